"""Statement-count guards (issue 15 §5): list load, search, a move and opening a client with its work log shown
send the same number of SQL statements on a small and a ten-times-larger database.

Two synthetic databases from bench.generate (200 and 2 000 clients, 4 work-log rows a client); the benchmark
(bench.run --only slots) repeats the check from 1 000 to 50 000 clients. Statements of every thread count
(the budget summaries run in a worker)."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTabWidget, QWidget
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.config import sqlite_url

SIZES = (200, 2000)


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, *_args) -> None:
        self.n += 1

    def take(self) -> int:
        n, self.n = self.n, 0
        return n


def _counts(path, qtbot) -> dict[str, int]:
    import ui
    from ui.dialogs.stages.move_guard import MoveDecision
    from ui.settings import settings as app_settings

    # both windows start on the board: the first one's close saves the work-log tab it ended on, and a lazy start
    # reads a visible work log's two settings at once but a hidden one's when it is first shown; and with no client
    # chosen: the second would open the first one's last client at start (WorkArea.restore_choice)
    state = app_settings()
    state.remove("window/tab")
    state.remove("window/client")
    state.sync()
    counter = Counter()
    event.listen(Engine, "before_cursor_execute", counter)
    try:
        window = ui.create_main_window(sqlite_url(path))
        window.resize(1366, 768)
        window.show()
        window.wait_for_background(60_000)
        qtbot.wait(50)
        window.wait_for_background(60_000)
        counts = {"list load": counter.take()}

        search = window.findChild(QLineEdit, "clientSearch")
        search.setText("уральский")
        qtbot.wait(300)  # the search waits for a pause in typing
        window.wait_for_background(60_000)
        shown = window.findChild(QAbstractItemView, "clientList").model().rowCount()
        assert 0 < shown < window.findChild(QAbstractItemView, "clientList").model().sourceModel().rowCount()
        counts["search"] = counter.take()
        search.clear()
        qtbot.wait(50)
        window.wait_for_background(60_000)
        counter.take()

        window.move_dialog = lambda *args: MoveDecision(reason="проверка", force=True)
        con = sqlite3.connect(path)
        client_id, stage = con.execute("SELECT id, stage FROM client WHERE stage = 1 AND id > 5 ORDER BY id").fetchone()
        con.close()
        assert window.request_move(client_id, stage + 1)
        window.wait_for_background(60_000)
        qtbot.wait(50)
        counts["move"] = counter.take()

        tabs = window.findChild(QTabWidget, "workTabs")
        tabs.setCurrentWidget(window.findChild(QWidget, "workLog"))
        qtbot.wait(50)
        window.wait_for_background(60_000)
        counter.take()
        window.set_current_client(1)
        qtbot.wait(50)
        window.wait_for_background(60_000)
        log_rows = window.findChild(QAbstractItemView, "workLogTable").model().rowCount()
        con = sqlite3.connect(path)
        expected = con.execute("SELECT count(*) FROM work_log WHERE client_id = 1 AND deleted = 0").fetchone()[0]
        con.close()
        assert log_rows == expected > 100  # client 1 is one of the heavy ones: all its rows were read
        counts["open client, work log shown"] = counter.take()
        window.close()
    finally:
        event.remove(Engine, "before_cursor_execute", counter)
    return counts


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    from bench.generate import generate

    folder = tmp_path_factory.mktemp("perf")
    paths = {}
    for clients in SIZES:
        paths[clients] = folder / f"clients-{clients}.sqlite3"
        generate(paths[clients], clients, clients * 4)
    return paths


def test_statement_counts_do_not_grow_with_clients(databases, qtbot):
    small = _counts(databases[SIZES[0]], qtbot)
    large = _counts(databases[SIZES[1]], qtbot)
    assert small == large, f"{SIZES[0]} clients: {small}; {SIZES[1]} clients: {large}"
