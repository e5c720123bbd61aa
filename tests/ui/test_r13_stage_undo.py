"""The window's checklist tab under one rule for an item's day (round 13): an item ticked ahead of its stage keeps its
day, and when it is unticked after the move into that stage, undo gives that day back. The rule that refused a day
before the move refused the undo too: the tick came back as «… достиг …: выполнить его раньше этого дня нельзя»."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from app.services import progress
from app.services.demo import fill_demo
from tests.ui.test_main_window import client_at, make_window
from ui.actions import TAB_CHECKLIST


@pytest.fixture
def window(qtbot, db, tmp_path):
    fill_demo(db)
    return make_window(qtbot, db, tmp_path)


def test_untick_after_the_move_and_undo_restores_the_day_it_was_ticked_ahead(window, db):
    client_id = client_at(db, 2)
    ahead = date.today() - timedelta(days=3)
    progress.set_checklist(db, client_id, ["s3.resources"], True, on=ahead)  # ticked ahead, at stage 2
    progress.move_stage(db, client_id, 3, force=True, reason="Этап 2 принят с замечаниями")
    window.set_current_client(client_id)
    window.show_tab(TAB_CHECKLIST)
    model = window.work_area.stage_checklist.model
    index = model.index_of(lambda i: i.code == "s3.resources")
    assert model.item(index).done_on == ahead
    model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert not next(i for i in progress.checklist(db, client_id) if i.code == "s3.resources").done
    window.undo_stack.undo()
    restored = next(i for i in progress.checklist(db, client_id) if i.code == "s3.resources")
    assert (restored.done, restored.done_on) == (True, ahead), window.errors
    assert window.errors == [] and window.work_area.stage_checklist.banner.isHidden()
