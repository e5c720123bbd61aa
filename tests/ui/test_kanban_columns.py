"""Issue 15: a kanban column finds a card's row by bisection (a move no longer rebuilds an id → row map over
the whole column), whatever has moved in and out; the search keeps the counts and the selection."""

from __future__ import annotations

from tests.ui.test_client_models import TODAY, _many
from ui.models.client_filter import ClientFilter
from ui.models.client_roles import ClientRole
from ui.models.clients import ClientTableModel
from ui.models.kanban_columns import KanbanColumnModel


def _columns(rows):
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(rows)
    return model, [KanbanColumnModel(stage, model) for stage in range(5)]


def _assert_rows_found(columns) -> None:
    for column in columns:
        for row in range(column.rowCount()):
            client_id = column.index(row, 0).data(ClientRole.ID)
            assert column.row_of(client_id) == row
        assert column.row_of(-1) is None


def test_moves_in_and_out_keep_every_row_found_without_a_map(qtbot):
    rows = _many(600)
    model, columns = _columns(rows)
    _assert_rows_found(columns)
    for n, s in enumerate(rows[::37]):  # a few dozen moves, one client at a time
        moved = s._replace(stage=(s.stage + 1 + n % 3) % 5)
        model.update_rows([s.id], [moved])
        target = columns[moved.stage]
        assert target.row_of(s.id) is not None and columns[s.stage].row_of(s.id) is None
    assert all(column._row_of is None for column in columns)  # never rebuilt: bisection found every card
    _assert_rows_found(columns)
    assert sum(column.rowCount() for column in columns) == 600


def test_a_search_narrows_every_column_and_counts_say_shown_of_total(qtbot):
    rows = _many(600)
    _model, columns = _columns(rows)
    totals = [column.total_count() for column in columns]
    for column in columns:
        column.set_filter(ClientFilter(text="фабрика"))
    shown = [column.rowCount() for column in columns]
    assert sum(shown) == sum(1 for s in rows if "Фабрика" in s.name)
    assert [column.total_count() for column in columns] == totals  # «N из M»: M stays the stage's count
    _assert_rows_found(columns)
    for column in columns:
        column.set_filter(ClientFilter())
    assert [column.rowCount() for column in columns] == totals


def test_a_full_reload_repaints_each_column_without_a_reset_and_shows_the_changed_card(qtbot):
    """A reload reads every row afresh (equal rows, new objects): a column whose cards are the same ones says
    «data changed» over its rows (the view repaints the cards in sight) instead of a reset that loses the
    scroll position; a column whose rows are the very objects it holds says nothing."""
    rows = _many(600)
    model, columns = _columns(rows)
    seen = {column.stage: [] for column in columns}
    resets = {column.stage: 0 for column in columns}
    for column in columns:
        column.dataChanged.connect(lambda top, bottom, *_a, c=column: seen[c.stage].append((top.row(), bottom.row())))
        column.modelReset.connect(lambda c=column: resets.__setitem__(c.stage, resets[c.stage] + 1))
    fresh = [s._replace() for s in rows]  # equal copies, as a read from the database gives
    for n in range(0, 600, 6):  # more than set_rows updates row by row: a reset of the table
        fresh[n] = fresh[n]._replace(contract_no=f"ВН-{n}")  # shown on the cards; same names, same places
    renamed = fresh[6]
    model.set_rows(fresh)
    stage = renamed.stage
    column = columns[stage]
    row = column.row_of(renamed.id)
    assert column.index(row, 0).data(ClientRole.SUMMARY) == renamed
    assert resets == {s: 0 for s in range(5)}
    assert model.rowCount() == 600
    for c in columns:
        if c.rowCount():
            assert seen[c.stage] == [(0, c.rowCount() - 1)]
    for c in columns:
        seen[c.stage].clear()
        c.rebuild()  # the same objects: nothing to repaint
    assert all(not found for found in seen.values())


def test_a_card_added_or_removed_row_by_row_reads_right_at_every_signal(qtbot):
    """The column finds a card by its row (its texts say nothing): its rows follow the string list between the
    "about to" and "done" signals, so a view or a tester reading data() at either sees the rows as they are
    (a fresh tester found the rows shifted by one while rowsInserted / rowsRemoved were emitted)."""
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtTest import QAbstractItemModelTester

    from tests.ui.test_client_models import summary

    model, columns = _columns([summary(1, "ООО «Альфа»", stage=1), summary(3, "ООО «Вега»", stage=1)])
    column = columns[1]
    seen = []
    column.rowsInserted.connect(lambda _p, first, _l: seen.append(("in", column.index(first, 0).data(ClientRole.ID))))
    column.rowsAboutToBeRemoved.connect(
        lambda _p, first, _l: seen.append(("going", column.index(first, 0).data(ClientRole.ID))))
    column.rowsRemoved.connect(lambda _p, first, _l: seen.append(("out", column.index(first, 0).data(ClientRole.ID))))
    messages: list[str] = []
    previous = qInstallMessageHandler(lambda _mode, _context, message: messages.append(message))
    try:
        tester = QAbstractItemModelTester(column, QAbstractItemModelTester.FailureReportingMode.Warning)
        model.update_rows([2], [summary(2, "ООО «Бета»", stage=1)])  # between the two
        model.update_rows([1], [])  # the first one deleted
        model.update_rows([4, 3], [summary(4, "ООО «Альфа-2»", stage=1), summary(3, "ООО «Вега»", stage=2)])
    finally:
        qInstallMessageHandler(previous)
    del tester
    assert [m for m in messages if "FAIL" in m] == []
    assert seen[:3] == [("in", 2), ("going", 1), ("out", 2)]
    assert [column.index(r, 0).data(ClientRole.ID) for r in range(column.rowCount())] == [4, 2]
