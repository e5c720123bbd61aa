"""A file the window cannot open for values another program wrote: its refusal names «Файл ▸ Восстановить из резервной
копии…», a menu of a window that closed with the box (a tester's find). The box now offers the restore itself."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableView

from app.exchange.backup import make_backup
from app.persistence.db import open_database
from tests.unit.test_damaged_dates import _damage


@pytest.fixture
def backed_up(demo_file):
    """The demo file with a backup made while it was sound, then client 2's stage set to 9 by another program."""
    db = open_database(f"sqlite:///{demo_file}")
    try:
        backup = make_backup(db)
    finally:
        db.dispose()
    _damage(demo_file, "UPDATE client SET stage = 9 WHERE id = 2")
    return demo_file, backup.path


def _window(qtbot, path, answers: list[bool]):
    import ui

    window = ui.create_main_window(f"sqlite:///{path}")
    qtbot.addWidget(window)
    asked: list[str] = []
    shown: list[str] = []
    failed: list[tuple[str, int]] = []
    window.ask_restore_at_start = lambda message: asked.append(message) or answers.pop(0)
    window.show_startup_error = shown.append
    window.load_failed.connect(lambda message, status: failed.append((message, status)))
    return window, asked, shown, failed


def test_the_refusal_at_start_offers_the_restore_and_the_window_opens_on_the_backup(qtbot, backed_up, monkeypatch):
    path, backup = backed_up
    import ui.dialogs.data.actions as actions

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    monkeypatch.setattr(actions, "_confirm", lambda *a, **k: True)
    said: list[str] = []
    titles: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, title, text: titles.append(title) or said.append(text))
    window, asked, shown, failed = _window(qtbot, path, [True])
    window.show()
    assert window.wait_for_rows(60_000)
    assert len(asked) == 1 and "таблица client, запись 2, поле stage: «9»" in asked[0]
    assert shown == [] and failed == [] and window.isVisible()
    assert said and said[0].startswith("Данные восстановлены из ")
    assert titles == ["Внедрение АСУ «Менеджмент»"]  # the refusal's title, not a shorter «Внедрение» (a tester's find)
    assert window.findChild(QTableView, "clientList").model().rowCount() == 12
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT stage FROM client WHERE id = 2").fetchone()[0] != 9
    conn.close()


def test_closing_the_refusal_at_start_closes_the_window_with_status_2(qtbot, backed_up, monkeypatch):
    path, _backup = backed_up
    opened: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: opened.append("asked") or ("", ""))
    window, asked, shown, failed = _window(qtbot, path, [True, False])  # the file dialog cancelled, then «Закрыть»
    window.show()
    assert not window.wait_for_rows(60_000)
    assert len(asked) == 2 and opened == ["asked"]
    # «Закрыть» closes: the same refusal is not said again in a box of its own (a tester's find)
    assert shown == [] and failed == [(asked[0], 2)] and not window.isVisible()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT stage FROM client WHERE id = 2").fetchone()[0] == 9  # nothing replaced
    conn.close()


def test_a_refusal_a_backup_does_not_mend_offers_no_restore(qtbot, tmp_path):
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    window, asked, shown, failed = _window(qtbot, path, [])
    window.show()
    assert not window.wait_for_rows(60_000)
    assert asked == [] and len(shown) == 1 and failed == [(shown[0], 2)]
