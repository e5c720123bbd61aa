"""Issue 15 §3: the lazy start's first rows arrive in the order the list's header was saved with, arranged in a
worker (ui.models.first_order): the UI thread sorted 50 000 rows by days for ~1.2 s before the clients showed,
and made the board's name-ordered columns by collation key for ~0.7 s more."""

from __future__ import annotations

import random
import unicodedata

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from app.persistence.first_rows import read_first_rows
from app.persistence.migrate import head_revision
from app.services.client_list import list_clients
from tests.ui.test_client_models import TODAY, summary
from tests.ui.test_startup import demo_file, lazy_window
from ui.models import client_order as order_module
from ui.models.client_columns import sort_state
from ui.models.client_order import sort_key
from ui.models.client_roles import ClientRole
from ui.models.clients import ClientTableModel
from ui.models.first_order import in_saved_order
from ui.models.names import presorted
from ui.views.client_list import ClientListPanel
from ui.views.list_header import HEADER_KEY, saved_sort


def _rows() -> list:
    """Rows with many equal values in every column (ties decided by the name, then the id) and equal names."""
    rnd = random.Random(15)
    names = ["ООО «Ромашка»", "АО Ромашка", "ИП Ёлкин", "Яблоко", "ООО «Ёлка»", "ЗАО «10 станков»",
             "ЗАО «9 станков»", "ромашка", "ПАО «Альфа»", "Альфа", "Бета", "ООО «Бета»",
             "Цех 9", "Цех 09", "ООО «Цех 009»", "Це\u00adх 9", "Цех\u200b 9"]  # the collator holds these equal
    return [summary(i + 1, rnd.choice(names), stage=rnd.randrange(5), approach=rnd.choice(["remote", "onsite"]),
                    days=rnd.choice([-2, 0, 3, 3, 40, 400]), inn=rnd.choice(["7707083893", "6312345678"]),
                    contact=rnd.choice(["Иванов Иван", "иванов иван", "Петров"]),
                    phone=rnd.choice(["+7 343 210-45-17", "8 (831) 412-03-55"]))
            for i in range(120)]


@pytest.mark.parametrize("column", range(len(ClientTableModel.HEADERS)))
@pytest.mark.parametrize("descending", [False, True])
def test_rows_arranged_in_a_worker_are_in_the_order_the_table_sorts_them(qtbot, column, descending):
    rows = _rows()
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(list(rows))
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    model.sort(column, order)
    expected = [s.id for s in model.summaries()]
    arranged = in_saved_order(presorted(rows), *sort_state(column, order), TODAY)
    assert [s.id for s in arranged] == expected


def test_rows_given_in_the_tables_order_with_their_name_order_are_neither_sorted_nor_keyed(qtbot, monkeypatch):
    rows = _rows()
    reference = ClientTableModel(today=lambda: TODAY)
    reference.set_rows(list(rows))
    reference.sort(ClientTableModel.COL_DAYS, Qt.SortOrder.DescendingOrder)
    expected_columns = [[s.id for s in reference.stage_rows(stage)] for stage in range(5)]
    named = presorted(rows)
    arranged = in_saved_order(named, ClientTableModel.COL_DAYS, True, TODAY)

    model = ClientTableModel(today=lambda: TODAY)
    model.sort(ClientTableModel.COL_DAYS, Qt.SortOrder.DescendingOrder)  # empty: the header's order first
    monkeypatch.setattr(order_module, "sort_key", lambda _s: pytest.fail("a collation key on the UI thread"))
    monkeypatch.setattr(ClientTableModel, "_sorted", lambda _self, _rows: pytest.fail("sorted on the UI thread"))
    model.set_rows(arranged, in_order=(ClientTableModel.COL_DAYS, True), named=named)
    assert [s.id for s in model.summaries()] == [s.id for s in reference.summaries()]
    # the board's columns in name order, taken from ``named``
    assert [[s.id for s in model.stage_rows(stage)] for stage in range(5)] == expected_columns


def _save_header(settings: QSettings, column: int, order: Qt.SortOrder) -> None:
    """The header state as the window saves it: the product's own list panel sorted by ``column``."""
    panel = ClientListPanel(ClientTableModel())
    panel.view.horizontalHeader().setSortIndicator(column, order)
    settings.setValue(HEADER_KEY, panel.view.horizontalHeader().saveState())
    settings.sync()


def test_the_saved_sort_is_read_from_the_header_state_and_nothing_saved_or_garbage_is_name_order(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert saved_sort(settings) == (-1, Qt.SortOrder.AscendingOrder)
    _save_header(settings, ClientTableModel.COL_DAYS, Qt.SortOrder.DescendingOrder)
    assert saved_sort(settings) == (ClientTableModel.COL_DAYS, Qt.SortOrder.DescendingOrder)
    settings.setValue(HEADER_KEY, b"\x00\x01garbage")
    assert saved_sort(settings) == (-1, Qt.SortOrder.AscendingOrder)
    settings.setValue(HEADER_KEY, "не заголовок")
    assert saved_sort(settings) == (-1, Qt.SortOrder.AscendingOrder)


@pytest.mark.parametrize(("column", "order"), [(ClientTableModel.COL_DAYS, Qt.SortOrder.DescendingOrder),
                                               (ClientTableModel.COL_INN, Qt.SortOrder.AscendingOrder),
                                               (ClientTableModel.COL_NAME, Qt.SortOrder.DescendingOrder)])
def test_a_start_with_a_saved_sort_shows_the_first_rows_in_it_without_sorting_on_the_ui_thread(
        qtbot, tmp_path, monkeypatch, column, order):
    import threading

    from app.persistence.db import open_database

    path = demo_file(tmp_path)
    db = open_database(f"sqlite:///{path}")
    _save_header(QSettings(str(tmp_path / "lazy.ini"), QSettings.Format.IniFormat), column, order)
    gate = threading.Event()

    def opener():
        gate.wait(30)
        return db

    sorts: list[int] = []
    real_sorted = ClientTableModel._sorted
    monkeypatch.setattr(ClientTableModel, "_sorted",
                        lambda self, rows: sorts.append(len(rows)) or real_sorted(self, rows))
    window = lazy_window(qtbot, tmp_path, opener, lambda: read_first_rows(f"sqlite:///{path}", head_revision()))
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QTableView, "clientList") is not None
                    and window.findChild(QTableView, "clientList").model().rowCount() == 12, timeout=30_000)
    assert not [n for n in sorts if n], "the first rows were sorted on the UI thread"
    table = window.findChild(QTableView, "clientList")
    reference = ClientTableModel()
    reference.set_rows(list_clients(db))
    reference.sort(column, order)
    shown = [table.model().index(r, 0).data(ClientRole.ID) for r in range(12)]
    assert shown == [s.id for s in reference.summaries()]
    header = table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (column, order)
    assert header.isSortIndicatorShown() and table.isColumnHidden(ClientTableModel.COL_PHONE)  # as it was saved
    for stage in range(5):  # the board in name order whatever the list's
        board = window.findChild(QAbstractItemView, f"kanbanList{stage}").model()
        ids = [board.index(r, 0).data(ClientRole.ID) for r in range(board.rowCount())]
        assert ids == [s.id for s in sorted((s for s in list_clients(db) if s.stage == stage), key=sort_key)]
    gate.set()
    assert window.wait_for_rows(60_000)
    window.wait_for_background()
    assert [table.model().index(r, 0).data(ClientRole.ID) for r in range(12)] == shown
    window.close()


def _reference(rows: list, column: int, descending: bool) -> list[int]:
    """The table's order by definition: keys (value, sort_key), reversed whole for a descending sort."""
    model = ClientTableModel(today=lambda: TODAY)
    if column < 0:
        keyed = [(sort_key(s), s) for s in rows]
    else:
        keyed = [((model.sort_value(s, column), sort_key(s)), s) for s in rows]
    order = sorted(range(len(rows)), key=lambda i: keyed[i][0], reverse=descending)
    return [rows[i].id for i in order]


@pytest.mark.parametrize("board", [True, False])
def test_a_header_click_from_any_order_to_any_order_sorts_as_the_keys_say(qtbot, board):
    """A header click sorts by the column's value alone, the rows taken in name order from the board's buckets
    (ClientTableModel._in_name_order): from every order to every other, the result is the keys' order."""
    rows = _rows()
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(list(rows))
    orders = [(-1, Qt.SortOrder.AscendingOrder)] + [
        (c, o) for c in range(len(ClientTableModel.HEADERS))
        for o in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder)]
    rnd = random.Random(3)
    for _ in range(60):
        if board:
            [model.stage_rows(stage) for stage in range(5)]  # the board made its buckets
        column, order = rnd.choice(orders)
        model.sort(column, order)
        want = _reference(rows, *sort_state(column, order))
        assert [s.id for s in model.summaries()] == want, (column, order)
        assert [model.summary(i).id for i in want] == want  # indexed as after a sort


@pytest.mark.parametrize(("column", "order"), [(ClientTableModel.COL_DAYS, Qt.SortOrder.DescendingOrder),
                                               (ClientTableModel.COL_INN, Qt.SortOrder.AscendingOrder)])
def test_all_rows_in_name_order_into_a_table_sorted_otherwise_are_put_in_its_order_without_collation_keys(
        qtbot, monkeypatch, column, order):
    """The full open's rows (read again when the file changed after the first screen) come in name order while
    the list shows another: by the column's value alone, no key sort on the UI thread."""
    rows = _rows()
    model = ClientTableModel(today=lambda: TODAY)
    model.sort(column, order)
    fresh = [summary(s.id + 1000, s.name, stage=s.stage, days=7) for s in rows]  # every row another: a reset
    named = presorted(fresh)
    want = _reference(fresh, *sort_state(column, order))
    columns = [[s.id for s in sorted((r for r in fresh if r.stage == stage), key=sort_key)] for stage in range(5)]
    model.set_rows(presorted(rows), in_name_order=True)
    monkeypatch.setattr(ClientTableModel, "_sorted", lambda _self, _rows: pytest.fail("sorted by keys"))
    monkeypatch.setattr(order_module, "sort_key", lambda _s: pytest.fail("a collation key on the UI thread"))
    model.set_rows(named, in_name_order=True)
    assert [s.id for s in model.summaries()] == want
    assert [[s.id for s in model.stage_rows(stage)] for stage in range(5)] == columns


def test_names_the_collator_holds_equal_are_ordered_by_id_whatever_order_they_come_in(qtbot):
    """«Цех 09» and «Цех 9» (numeric mode), a soft hyphen or a zero-width space: equal to the collator, so the id
    decides — before, they had two keys comparing neither less nor equal, and the order was the order of arrival."""
    rows = [summary(i, name, stage=1) for i, name in enumerate(
        ["Цех 9", "Цех 09", "ООО «Цех 009»", "Це\u00adх 9", "Цех\u200b 9", "АО Цех 9", "Цех 10", "Цех 8",
         "Цех \u200e9", "Цех 9\ufe0f", "Цех \u0669", "Цех \uff19", "Цех 9\x01"], 1)]
    orders = set()
    for seed in range(12):
        shuffled = list(rows)
        random.Random(seed).shuffle(shuffled)
        model = ClientTableModel(today=lambda: TODAY)
        model.set_rows(shuffled)
        orders.add(tuple(s.id for s in model.summaries()))
        orders.add(tuple(s.id for s in presorted(shuffled)))
        model.sort(ClientTableModel.COL_DAYS, Qt.SortOrder.DescendingOrder)  # all equal: name order reversed
        orders.add(tuple(reversed([s.id for s in model.summaries()])))
    assert orders == {(8, 1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 7)}
    fir = [summary(1, "Ёлка"), summary(2, unicodedata.normalize("NFD", "Ёлка")), summary(3, "Ёлка")]
    orders = set()
    for seed in range(6):
        shuffled = list(fir)
        random.Random(seed).shuffle(shuffled)
        orders.add(tuple(s.id for s in presorted(shuffled)))
    assert orders == {(1, 2, 3)}  # typed composed or decomposed, the same name
