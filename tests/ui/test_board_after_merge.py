"""The board's columns after a delta reload take the worker's ready index of each stage (no pass over the column on
the UI thread), repaint only where rows were read afresh, and copy before changing what they share with the
client model; the «Требует внимания» rows are let go of in steps and its columns fitted once."""

from __future__ import annotations

import gc
import random
import weakref

from PySide6.QtWidgets import QApplication

from app.services.reminders import Reminder
from tests.ui.test_client_models import TODAY
from tests.ui.test_merge_rows import _rows
from ui.models import release
from ui.models.client_roles import ClientRole
from ui.models.clients import ClientTableModel
from ui.models.kanban_columns import KanbanColumnModel


def _model_and_columns(rows):
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(rows)
    return model, [KanbanColumnModel(stage, model) for stage in range(5)]


def _signals(columns):
    seen = {stage: [] for stage in range(5)}
    for stage, column in enumerate(columns):
        column.modelReset.connect(lambda s=stage: seen[s].append("reset"))
        column.dataChanged.connect(lambda *_a, s=stage: seen[s].append("data"))
    return seen


def test_columns_repaint_only_where_the_merge_read_rows_afresh(qtbot):
    rows = _rows(random.Random(5), range(1, 501))
    model, columns = _model_and_columns(rows)
    at_two = [r for r in rows if r.stage == 2]
    fresh = [r._replace(contact_phone="+7 902 000-00-00") for r in at_two]  # same names: no card moves
    assert len(fresh) > ClientTableModel.INCREMENTAL_LIMIT  # a reset, as a reload of many rows
    seen = _signals(columns)
    model.merge_rows(fresh, [], model.merge_planner().plan(fresh, []))
    assert seen[2] == ["data"]
    assert all(seen[stage] == [] for stage in (0, 1, 3, 4)), seen
    shown = [columns[2].index(r, 0).data(ClientRole.SUMMARY) for r in range(columns[2].rowCount())]
    assert [s.contact_phone for s in shown] == ["+7 902 000-00-00"] * len(at_two)
    # a merge whose fresh rows joined column 3 resets it; column 2 lost them
    moved = [r._replace(stage=3) for r in fresh]
    seen = _signals(columns)
    model.merge_rows(moved, [], model.merge_planner().plan(moved, []))
    assert "reset" in seen[2] and "reset" in seen[3]
    assert columns[2].rowCount() == 0
    assert [columns[3].index(r, 0).data(ClientRole.ID) for r in range(columns[3].rowCount())] == \
        [s.id for s in model.stage_rows(3)]


def test_a_column_changed_after_a_merge_copies_what_it_shares_with_the_model(qtbot):
    rows = _rows(random.Random(9), range(1, 401))
    model, columns = _model_and_columns(rows)
    fresh = [r._replace(name=r.name + " (новое)") for r in rows[:200]]
    model.merge_rows(fresh, [], model.merge_planner().plan(fresh, []))
    shared = model.stage_index(2)
    before = (list(shared.ids), list(shared.rows))
    one = next(r for r in model.stage_rows(2))
    model.update_rows([one.id], [model.summary(one.id)._replace(stage=3)])  # a move: row by row
    assert (list(shared.ids), list(shared.rows)) == before  # the plan's lists untouched
    for stage in (2, 3):
        assert [columns[stage].index(r, 0).data(ClientRole.ID) for r in range(columns[stage].rowCount())] == \
            [s.id for s in model.stage_rows(stage)] == model.stage_index(stage).ids


def test_rows_let_go_of_in_steps_between_events(qtbot):
    class Row:
        pass

    rows = [Row() for _ in range(release.STEP * 3 + 5)]
    probe = weakref.ref(rows[0])
    release.release_later(rows)
    assert len(rows) > release.STEP * 2  # not all at once
    gc.collect()
    assert probe() is not None
    qtbot.waitUntil(lambda: release.pending() == 0, timeout=5000)
    assert rows == [] and probe() is None
    short = [Row()]
    release.release_later(short)
    assert short == []


def test_the_attention_columns_are_fitted_once_and_keep_the_users_widths(qtbot):
    from ui.views.attention_panel import AttentionPanel

    panel = AttentionPanel()
    qtbot.addWidget(panel)

    def reminders(n: int, name: str) -> list[Reminder]:
        return [Reminder("stalled", i, f"{name} {i}", "этап не менялся", None, (f"{name} {i}", i)) for i in range(n)]

    panel.set_reminders(reminders(10, "ООО «Ромашка»"))
    fitted = panel.table.columnWidth(0)
    assert fitted > 0
    panel.table.setColumnWidth(1, 77)  # the user's own width
    panel.set_reminders(reminders(12_000, "ООО «Очень длинное название организации заказчика»"))
    assert panel.table.columnWidth(1) == 77 and panel.table.columnWidth(0) == fitted
    assert panel.model.rowCount() == 12_000
    qtbot.waitUntil(lambda: release.pending() == 0, timeout=5000)
    QApplication.processEvents()
