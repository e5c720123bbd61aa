"""A window that closes leaves its rows for the next start's first screen (app.services.first_screen.remember), and
that start shows them without reading the clients — the same rows the database gives."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from app.persistence.db import open_database
from app.persistence.first_rows import KEPT_ALL, read_first_rows
from app.persistence.first_screen_cache import cache_file
from app.persistence.migrations import HEAD
from app.services.client_list import list_clients
from app.services.progress import advance
from tests.ui.test_startup import demo_file, lazy_window


def rows_of(url):
    db = open_database(url)
    try:
        return list_clients(db)
    finally:
        db.dispose()


def test_a_closed_window_leaves_its_rows_and_the_next_start_shows_them_unread(qtbot, tmp_path):
    path = demo_file(tmp_path)
    url = f"sqlite:///{path}"
    assert not read_first_rows(url, HEAD).kept and not cache_file(path).exists()
    db = open_database(url)
    window = lazy_window(qtbot, tmp_path, lambda: db, lambda: read_first_rows(url, HEAD))
    window.show()
    assert window.wait_for_rows(60_000)
    window.wait_for_background()
    moved = next(r for r in list_clients(db) if r.stage == 1)
    changes, _stage = advance(db, moved.id, force=True, reason="тест")  # a change the window hears of
    window.apply_changes(changes)
    window.wait_for_background()
    window.close()
    first = read_first_rows(url, HEAD)
    assert first is not None and first.kept == KEPT_ALL
    assert first.rows == rows_of(url) and next(r for r in first.rows if r.id == moved.id).stage == 2
    first.watch.unchanged(url)

    db = open_database(url)
    again = lazy_window(qtbot, tmp_path / "again", lambda: db, lambda: read_first_rows(url, HEAD))
    again.show()
    qtbot.waitUntil(lambda: again.findChild(QTableView, "clientList") is not None
                    and again.findChild(QTableView, "clientList").model().rowCount() == 12, timeout=30_000)
    assert again.wait_for_rows(60_000)
    again.wait_for_background()
    assert sorted(again.work_area.clients.summaries()) == sorted(rows_of(url))
    again.close()


def test_a_window_closed_while_loading_leaves_nothing(qtbot, tmp_path):
    import threading

    path = demo_file(tmp_path)
    url = f"sqlite:///{path}"
    gate = threading.Event()
    db = open_database(url)

    def opener():
        gate.wait(30)
        return db

    window = lazy_window(qtbot, tmp_path, opener, lambda: read_first_rows(url, HEAD))
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QTableView, "clientList") is not None, timeout=30_000)
    window.close()
    gate.set()
    assert not cache_file(path).exists()


def test_a_backup_restored_over_a_change_the_window_shows_is_shown_and_kept_as_restored(qtbot, tmp_path):
    """A restore brings back the stamps rows had before: a row the window updated after its own action (read
    without its stamp) must be read again, not taken as unchanged (found by a reviewer: the window showed, and the
    next start kept, the moved stage over the restored one)."""
    from app.exchange.backup import make_backup
    from app.exchange.restore import restore_backup

    path = demo_file(tmp_path)
    url = f"sqlite:///{path}"
    db = open_database(url)
    window = lazy_window(qtbot, tmp_path, lambda: db, lambda: read_first_rows(url, HEAD))
    window.show()
    assert window.wait_for_rows(60_000)
    window.wait_for_background()
    backup = make_backup(db, "manual", target=tmp_path / "before.sqlite3")
    moved = next(r for r in list_clients(db) if r.stage == 1)
    changes, _stage = advance(db, moved.id, force=True, reason="тест")
    window.apply_changes(changes)
    window.wait_for_background()
    assert window.work_area.clients.summary(moved.id).stage == 2
    result = restore_backup(db, backup.path)
    window.apply_changes(result.changes)
    window.wait_for_background()
    assert window.work_area.clients.summary(moved.id).stage == 1  # the window shows the restored row
    window.close()
    first = read_first_rows(url, HEAD)
    first.watch.unchanged(url)
    assert first.kept == KEPT_ALL and first.rows == rows_of(url)
    assert next(r for r in first.rows if r.id == moved.id).stage == 1
