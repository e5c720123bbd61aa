"""Issue 11 §2: every user action in the window goes through the one runner (ui/ops.py) — the week's actions
and dialogs, the backup/restore/export/import/erase dialogs: refusals are shown the runner's one way, the undo
step lands on the window's stack, the Changes are announced with their initiator."""

from __future__ import annotations

import ast
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.errors import UserError
from app.services import plan, plan_read
from app.services.client_list import list_clients
from app.services.demo import fill_demo
from app.services.event_input import EventInput
from tests.ui.test_main_window import make_window
from ui.dialogs.plan.event_dialog import EventDialog

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot, db, tmp_path, monkeypatch):
    fill_demo(db)
    boxes: list[str] = []
    for kind in ("warning", "critical"):  # a view's own box would land here instead of window.errors
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, *a, **k: boxes.append(text))
    made = make_window(qtbot, db, tmp_path)
    made.boxes = boxes
    announced: list[tuple[object, object]] = []
    made.ops.changed.connect(lambda changes, initiator: announced.append((changes, initiator)))
    made.announced = announced
    return made


def an_event(db) -> int:
    client_id = next(s.id for s in list_clients(db) if s.stage == 1)
    start = (datetime.now() + timedelta(days=2)).replace(hour=11, minute=0, second=0, microsecond=0)
    return plan.add_event(db, client_id, EventInput("conference", start, "Europe/Moscow", 60))[0]


def test_a_refusal_of_the_weeks_service_shows_through_the_runner(window, db, monkeypatch):
    event_id = an_event(db)

    def refuse(*args, **kwargs):
        raise UserError("Событие уже проведено: отменить его нельзя.")

    monkeypatch.setattr(plan, "cancel_event", refuse)
    before = window.undo_stack.count()
    window.week.cancel_event(event_id, reason="перенос")
    assert [exc.message for exc in window.errors] == ["Событие уже проведено: отменить его нельзя."]
    assert window.boxes == [] and window.undo_stack.count() == before and window.announced == []


def test_a_week_action_is_announced_with_the_week_as_initiator_and_undone_from_edit(window, db):
    event_id = an_event(db)
    window.week.cancel_event(event_id, reason="перенос")
    changes, initiator = window.announced[-1]
    assert changes.plan and initiator is window.week
    assert plan_read.get_event(db, event_id).status == "cancelled"
    assert window.act_undo.isEnabled()
    window.act_undo.trigger()
    assert plan_read.get_event(db, event_id).status == "planned"
    assert window.announced[-1][0].plan  # the undo is announced by the runner too


def test_a_refused_dialog_stays_open_with_the_reason_and_nothing_is_pushed(window, db, monkeypatch):
    before = window.undo_stack.count()
    seen: dict[str, object] = {}

    def run(dialog):
        dialog.zone.setCurrentText("Mars/Olympus")  # the service refuses an unknown zone
        dialog.accept()
        seen["refused"] = (dialog.result(), dialog.error.isHidden(), dialog.error.text())
        dialog.zone.setCurrentText("Europe/Moscow")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(EventDialog, "exec", run)
    window.week.plan_event(next(s.id for s in list_clients(db) if s.stage == 1))
    result, hidden, text = seen["refused"]
    assert result == 0 and not hidden and "Mars/Olympus" in str(text)
    assert window.errors == [] and window.boxes == []  # shown in the dialog's line, through the runner's on_error
    assert window.undo_stack.count() == before + 1
    changes, initiator = window.announced[-1]
    assert changes.plan and initiator is window.week
    window.undo_stack.undo()
    assert window.announced[-1][0].plan


def test_a_refused_restore_shows_through_the_runner(window, tmp_path, monkeypatch):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("не копия", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bogus), ""))
    window.restore_backup()
    assert len(window.errors) == 1 and window.boxes == [] and window.announced == []


def test_a_data_action_announces_its_changes_with_the_window_as_initiator(window, db, monkeypatch):
    import ui.dialogs.data.actions as data_actions

    monkeypatch.setattr(data_actions, "_confirm", lambda *a, **k: True)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    client_id = window.current_id or list_clients(db)[0].id
    window.set_current_client(client_id)
    window.erase_personal_data()
    changes, initiator = window.announced[-1]
    assert client_id in changes.client_ids and initiator is window


def _boxes_for_refusals(path: Path) -> list[str]:
    """Calls of QMessageBox.warning/critical and boxes built with a warning/critical icon in one module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "QMessageBox" \
                and node.attr in ("warning", "critical"):
            found.append(f"{path.name}:{node.lineno} QMessageBox.{node.attr}")
        if isinstance(node, ast.Attribute) and node.attr in ("Warning", "Critical") \
                and isinstance(node.value, ast.Attribute) and node.value.attr == "Icon":
            found.append(f"{path.name}:{node.lineno} QMessageBox.Icon.{node.attr}")
    return found


def test_no_view_or_dialog_shows_a_refusal_in_a_box_of_its_own():
    """Views and dialogs show a refusal through the runner (Ops.run's on_error / report_error, ui.ops.show_user_error)
    or in their own inline error line — never in a warning/critical box of their own."""
    modules = sorted((ROOT / "ui" / "views").rglob("*.py")) + sorted((ROOT / "ui" / "dialogs").rglob("*.py"))
    assert len(modules) > 20
    assert [hit for module in modules for hit in _boxes_for_refusals(module)] == []


def test_the_scan_finds_a_box_of_its_own(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f(p, exc):\n    QMessageBox.warning(p, 't', exc.message)\n"
                      "    QMessageBox(QMessageBox.Icon.Critical, 't', exc.message).exec()\n", encoding="utf-8")
    assert _boxes_for_refusals(sample) == ["sample.py:2 QMessageBox.warning", "sample.py:3 QMessageBox.Icon.Critical"]


def test_undoing_a_cancel_in_the_window_gives_the_note_back_whole(window, db):
    """The window's Ctrl+Z after a cancel put the note back by cutting at « · Отменено: », which also cut the
    user's own text of that form (a fresh tester, 2026-12-05); the undo keeps the note as it was."""
    event_id = an_event(db)
    mine = "Созвон по складу · Отменено: прошлый созвон, перенесён сюда"
    row = plan_read.get_event(db, event_id)
    plan.update_event(db, event_id, EventInput(row.kind, row.start_local, row.time_zone, row.duration_min, note=mine))
    for reason in ("перенос", ""):
        window.week.cancel_event(event_id, reason=reason)
        assert plan_read.get_event(db, event_id).status == "cancelled"
        window.act_undo.trigger()
        assert (plan_read.get_event(db, event_id).status, plan_read.get_event(db, event_id).note) == ("planned", mine)
