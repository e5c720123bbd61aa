"""Issue 15 §1: a restore-style reload that changes many clients but no names keeps the shown order without
sorting again (one pass), and ends exactly as a fresh sort would."""

from __future__ import annotations

import random

import pytest

from tests.ui.test_client_models import TODAY, _many
from ui.models.client_roles import ClientRole
from ui.models.clients import ClientTableModel
from ui.models.kanban_columns import KanbanColumnModel


def _fresh_order(rows) -> list[int]:
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(list(rows))
    return [s.id for s in model.summaries()]


def _column_ids(column: KanbanColumnModel) -> list[int]:
    return [column.index(r, 0).data(ClientRole.ID) for r in range(column.rowCount())]


@pytest.fixture
def shown(qtbot):
    model = ClientTableModel(today=lambda: TODAY)
    rows = _many(400)
    random.Random(7).shuffle(rows)  # the worker's order is not the list's
    model.set_rows(rows)
    return model, rows


def _spy_sort(model: ClientTableModel, monkeypatch) -> list[int]:
    calls: list[int] = []
    original = model._sorted
    monkeypatch.setattr(model, "_sorted", lambda rows: calls.append(len(rows)) or original(rows))
    return calls


def test_many_stage_changes_keep_the_order_without_a_sort(shown, monkeypatch):
    model, rows = shown
    columns = {stage: KanbanColumnModel(stage, model) for stage in range(5)}
    calls = _spy_sort(model, monkeypatch)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    changed = [s._replace(stage=(s.stage + 1) % 5) if s.id % 3 == 0 else s for s in rows]
    random.Random(8).shuffle(changed)
    model.set_rows(changed)
    assert resets == [1]  # more than INCREMENTAL_LIMIT changed: a reset, as before
    assert calls == []  # ...but no sort
    assert [s.id for s in model.summaries()] == _fresh_order(changed)
    assert {s.id: s.stage for s in model.summaries()} == {s.id: s.stage for s in changed}
    for stage, column in columns.items():
        assert _column_ids(column) == [s.id for s in model.summaries() if s.stage == stage]


@pytest.mark.parametrize("edit", ["rename", "drop", "add", "duplicate"])
def test_a_changed_name_or_set_of_clients_is_sorted_afresh(shown, monkeypatch, edit):
    model, rows = shown
    calls = _spy_sort(model, monkeypatch)
    changed = [s._replace(stage=(s.stage + 1) % 5) for s in rows]  # a reset either way
    if edit == "rename":
        changed[5] = changed[5]._replace(name="АО «Абрикос»")  # first in the collation now
    elif edit == "drop":
        del changed[5]
    elif edit == "add":
        changed.append(changed[0]._replace(id=9999, name="ИП Яковлев"))
    else:  # the same count, one client twice and one missing: never taken for the same clients
        changed[5] = changed[6]
    model.set_rows(changed)
    assert calls  # sorted
    if edit != "duplicate":
        assert [s.id for s in model.summaries()] == _fresh_order(changed)
    if edit == "rename":
        assert model.summaries()[0].name == "АО «Абрикос»"


def test_a_table_sorted_by_a_column_is_sorted_afresh(shown, monkeypatch):
    model, rows = shown
    model.sort(ClientTableModel.COL_STAGE)
    calls = _spy_sort(model, monkeypatch)
    changed = [s._replace(stage=(s.stage + 1) % 5) for s in rows]
    model.set_rows(changed)
    assert calls
    stages = [s.stage for s in model.summaries()]
    assert stages == sorted(stages)


def test_the_same_stalled_threshold_again_repaints_nothing(shown):
    """Every restore-style refresh reads the threshold afresh: the same value announced nothing to the views
    (it repainted the list and all five columns); a new value still does."""
    model, _rows = shown
    column = KanbanColumnModel(1, model)
    changed, decorations, column_changed = [], [], []
    model.dataChanged.connect(lambda *args: changed.append(args))
    model.decorations_changed.connect(lambda: decorations.append(1))
    column.dataChanged.connect(lambda *args: column_changed.append(args))
    model.set_stalled_days(model.stalled_days)
    assert (changed, decorations, column_changed) == ([], [], [])
    before = {s.id for s in model.summaries() if model.is_stalled(s)}
    other = model.stalled_days + 7
    model.set_stalled_days(other)
    assert model.stalled_days == other and len(changed) == 1 and decorations == [1] and column_changed
    assert {s.id for s in model.summaries() if model.is_stalled(s)} != before  # days 0..69 in _many
    model.set_stalled_days(0)  # clamped to 1 day: a change
    assert model.stalled_days == 1 and decorations == [1, 1]
    model.set_stalled_days(-5)  # clamped to 1 again: no change
    assert decorations == [1, 1]
