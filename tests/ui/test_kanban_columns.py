"""Issue 15: a kanban column finds a card's row by bisection (a move no longer rebuilds an id → row map over
the whole column), whatever has moved in and out; the search keeps the counts and the selection."""

from __future__ import annotations

from tests.ui.test_client_models import TODAY, _many
from ui.models.clients import ClientFilter, ClientRole, ClientTableModel
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
