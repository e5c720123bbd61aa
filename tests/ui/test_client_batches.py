"""A batch of client rows (an import, a restore) reaches the models in one go, not one row at a time."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.models.client_filter import ClientFilter, ClientFilterProxy, CompiledFilter
from ui.models.client_order import sort_key
from ui.models.client_roles import ClientRole
from ui.models.clients import ClientTableModel
from ui.models.kanban_columns import KanbanColumnModel
from ui.models.names import name_key

from .test_client_models import TODAY, summary


def _rows(first: int, count: int, prefix: str = "ООО «Завод") -> list:
    return [summary(n, f"{prefix} {n:05d}»", stage=n % 5, inn=f"77{n:08d}") for n in range(first, first + count)]


def test_a_batch_of_new_renamed_and_deleted_clients_is_one_reset_with_every_view_right(qtbot, qtmodeltester):
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(_rows(1, 300))
    proxy = ClientFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(ClientFilter(text="завод 002"))
    columns = [KanbanColumnModel(stage, model) for stage in range(5)]
    inserted, resets = [], []
    model.rowsInserted.connect(lambda *args: inserted.append(args))
    model.modelReset.connect(lambda: resets.append(1))

    added = _rows(1000, 200)
    renamed = [summary(n, f"АО «Ясень {n}»", stage=(n + 1) % 5, inn=f"77{n:08d}") for n in range(1, 51)]
    deleted = list(range(51, 81))
    model.update_rows([s.id for s in added + renamed] + deleted, added + renamed)

    assert inserted == [] and resets == [1]
    expected = sorted(_rows(81, 220) + renamed + added, key=lambda s: (name_key(s.name), s.id))
    assert [s.id for s in model.summaries()] == [s.id for s in expected]
    assert all(model.row_of(n) is None for n in deleted)
    for stage, column in enumerate(columns):
        ids = [column.index(r, 0).data(ClientRole.ID) for r in range(column.rowCount())]
        assert ids == [s.id for s in expected if s.stage == stage]
        assert model.stage_count(stage) == len(ids)
    shown = [proxy.index(r, 0).data(ClientRole.ID) for r in range(proxy.rowCount())]
    wanted = CompiledFilter(ClientFilter(text="завод 002"))
    assert shown == [s.id for s in expected if wanted.matches(model, s)]
    assert 0 < len(shown) < len(expected)
    qtmodeltester.check(model)


def test_a_few_clients_still_arrive_row_by_row(qtbot):
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(_rows(1, 100))
    inserted, resets = [], []
    model.rowsInserted.connect(lambda *args: inserted.append(args))
    model.modelReset.connect(lambda: resets.append(1))
    new = _rows(500, 3)
    model.update_rows([s.id for s in new], new)
    assert len(inserted) == 3 and resets == []


def test_asking_for_the_order_the_rows_are_in_does_not_sort_again(qtbot):
    """Start-up restores the header's saved sort: rows already in that order are not sorted again."""
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(_rows(1, 50))
    layouts = []
    model.layoutChanged.connect(lambda *args: layouts.append(1))
    model.sort(-1)
    assert layouts == []
    model.sort(ClientTableModel.COL_DAYS, Qt.SortOrder.DescendingOrder)
    model.sort(ClientTableModel.COL_DAYS, Qt.SortOrder.DescendingOrder)
    assert layouts == [1]
    model.sort(-1, Qt.SortOrder.DescendingOrder)  # no column: the name order, whatever the arrow says
    assert layouts == [1, 1]
    assert [s.id for s in model.summaries()] == [s.id for s in sorted(_rows(1, 50), key=sort_key)]


def test_rows_presorted_in_a_worker_come_in_the_models_order(qtbot):
    """The lazy start sorts the rows in its worker (ui.models.names.presorted); the model keeps that order."""
    import random
    import threading

    from ui.models.names import presorted

    rows = _rows(1, 200) + [summary(900 + n, name, inn=f"78{n:08d}") for n, name in enumerate(
        ("ООО «Яблоко»", "АО «Ёлка»", "ИП Ёжиков", "«Альфа»", "ООО «альфа»"))]
    random.Random(3).shuffle(rows)
    result: list = []
    worker = threading.Thread(target=lambda: result.extend(presorted(rows)))
    worker.start()
    worker.join()
    assert [s.id for s in result] == [s.id for s in sorted(rows, key=sort_key)]
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(result)
    assert model.summaries() == result
    names = [s.name for s in result]
    assert names.index("АО «Ёлка»") < names.index("ООО «Яблоко»")
