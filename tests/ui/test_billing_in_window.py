"""Issue 10 in the window: the act code of billed work, refusals for billed entries, voiding an act from the
register, and a stage with open items signed off «с замечаниями»."""

from __future__ import annotations

from datetime import date

import pytest

from app.reports import printing
from app.services import documents as docs
from app.services import worklog_read
from tests.reports.helpers import MARCH, build_world
from tests.ui.test_documents import ready
from tests.ui.test_main_window import make_window
from ui.dialogs.documents import preview as view
from ui.dialogs.documents.register import DocumentsRegisterDialog
from ui.models.documents import DocumentTableModel
from ui.models.worklog import WorkLogModel
from ui.ops import Ops


@pytest.fixture
def world(db):
    return build_world(db)


def billed_march(db, world) -> str:
    return printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=date(2026, 3, 31))).code


def test_the_work_log_shows_the_act_and_refuses_to_change_billed_work(qtbot, db, world, tmp_path):
    code = billed_march(db, world)
    window = make_window(qtbot, db, tmp_path)
    window.set_current_client(world.client_id)
    log = window.work_area.worklog
    log.reload()
    model = log.model
    acts = {model.index(r, WorkLogModel.COL_DATE).data(): model.index(r, WorkLogModel.COL_ACT).data()
            for r in range(model.rowCount())}
    assert acts["10.02.2026"] == "" and code in acts.values() and code == "АУ-1/2026"
    billed = next(r for r in worklog_read.list_entries(db, world.client_id).rows if r.billed_by == code)
    assert not log.delete_entries([billed.id])
    assert f"выставлена актом {code}" in log.message_label.text() and "аннулируйте акт" in log.message_label.text()
    assert "--reason" not in log.message_label.text()  # the command line's way is not the window's
    assert not log.edit_entry(billed.id, billed.as_input())
    assert worklog_read.get_entry(db, billed.id).billed_by == code
    assert not window.act_undo.isEnabled()  # a refused action leaves nothing to undo


def test_an_act_is_voided_from_the_register_through_the_runner(qtbot, db, world):
    code = billed_march(db, world)
    ops = Ops(db)
    announced = []
    ops.changed.connect(lambda changes, _initiator: announced.append(changes))
    dialog = DocumentsRegisterDialog(db, ops=ops)
    qtbot.addWidget(dialog)
    act = docs.find_document(db, code)
    assert dialog.select_id(act.id) and dialog.void_button.isEnabled()
    assert not dialog.void_selected("  ")  # a reason is required: refused, shown, nothing changed
    assert dialog.message_label.text() and docs.find_document(db, code).voided_on is None
    assert dialog.void_selected("Ошибка в периоде")
    assert docs.find_document(db, code).void_reason == "Ошибка в периоде"
    assert announced and announced[-1].documents and announced[-1].worklog
    row = next(r for r in range(dialog.proxy.rowCount())
               if dialog.proxy.index(r, DocumentTableModel.COL_NUMBER).data() == code)
    assert dialog.proxy.index(row, DocumentTableModel.COL_RETURNED).data().startswith("аннулирован")
    assert not dialog.void_button.isEnabled() and not dialog.returned_button.isEnabled()
    assert all(r.billed_by is None for r in worklog_read.list_entries(db, world.client_id).rows)


def test_a_stage_with_open_items_is_signed_off_with_remarks(qtbot, db, world):
    dialog = ready(qtbot, view.signoff_dialog(None, db, world.client_id, 2))
    assert dialog.error is not None and "незакрытые пункты" in dialog.error
    assert "--" not in dialog.error  # the window's way is its button, not the command line's options
    assert not dialog.remarks_button.isHidden()
    assert not dialog.accept_with_remarks("  ")  # no reason: said, the open items and the button kept
    assert "нужна причина" in dialog.info_label.text() and "незакрытые пункты" in dialog.info_label.text()
    assert not dialog.remarks_button.isHidden()
    assert dialog.accept_with_remarks("Склады позже")
    qtbot.waitUntil(lambda: dialog.is_ready() or dialog.error is not None, timeout=20000)
    assert dialog.error is None and dialog.remarks_button.isHidden()
    assert dialog.ensure_issued()
    issued = docs.list_documents(db)
    assert [(r.kind, r.stage) for r in issued] == [("signoff", 2)]
