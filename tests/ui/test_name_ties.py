"""Names equal but for their legal form sort by id wherever they are sorted (the UI thread, a worker, a fresh
window), and the board stays in name order when the list is sorted by another column."""

from __future__ import annotations

import random
import threading

from PySide6.QtCore import Qt

from tests.ui.test_client_models import TODAY, summary
from ui.models import names
from ui.models.client_order import sort_key
from ui.models.clients import ClientTableModel
from ui.models.row_merge import sorted_by


def test_names_equal_but_for_the_legal_form_are_ordered_by_id(qtbot, monkeypatch):
    monkeypatch.setattr(names, "_keys", {})
    monkeypatch.setattr(names, "_texts", {}, raising=False)
    a, b = summary(2, "АО «Ромашка»"), summary(3, "ООО «Ромашка»")
    assert sort_key(a) < sort_key(b) and not sort_key(b) < sort_key(a)
    other = []
    worker = threading.Thread(target=lambda: other.append(names.worker_sort_key()(summary(4, "ПАО Ромашка"))))
    worker.start()
    worker.join()
    assert other[0][0] is sort_key(a)[0]  # the worker's key is the same object: the id decides there too
    rows = [summary(i, random.Random(i).choice(["АО «Ромашка»", "ООО «Ромашка»", "ИП Ромашка", "ромашка"]))
            for i in range(1, 41)]
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert [s.id for s in sorted_by(shuffled, sort_key)] == list(range(1, 41))


def test_the_board_keeps_name_order_when_the_list_is_sorted_by_another_column(qtbot):
    rows = [summary(i, name, stage=1, approach=approach) for i, (name, approach) in enumerate(
        [("ООО «Берёза»", "remote"), ("АО «Альфа»", "onsite"), ("ЗАО «Вега»", "remote"), ("ПАО «Гамма»", "onsite"),
         ("ИП Абрикосов", "accompanied")], start=1)]
    by_name = ClientTableModel(today=lambda: TODAY)
    by_name.set_rows(rows)
    sorted_model = ClientTableModel(today=lambda: TODAY)
    sorted_model.sort(ClientTableModel.COL_APPROACH, Qt.SortOrder.AscendingOrder)
    sorted_model.set_rows(rows)
    assert [s.id for s in sorted_model.stage_rows(1)] == [s.id for s in by_name.stage_rows(1)] == [5, 2, 1, 3, 4]
