"""In-process window figures on a generated database: search, kanban after a data change, a move, the card.

Every interaction is timed until every affected view has painted (bench.paint.settle): a keystroke until every
visible view it changed; a reload, a move and the card until the views each names (``expect``) were painted after
their last change — a named view that does not repaint fails the figure (``Unsettled``), it is never timed to a
timeout. Keys are sent as
key events carrying the text (``type_key``). Hooks into the product
(the lead fixes these at merge if a name changes):
  - ``ui.create_main_window(url)`` and its ``wait_for_rows(ms)`` when it has it (a lazy start); ``window.apply_changes(changes)``, ``window.set_current_client(id)``,
    ``window.request_move(id, stage)`` and the ``window.move_dialog`` setter (returns a
    ``ui.dialogs.stages.move_guard.MoveDecision``); ``app.services.changes.DATABASE_REPLACED``;
    ``window.background_pending()`` when the window has it (untimed, after a reload: the event loop runs until
    the reads that wait for its paint — budgets, the dock's reminders — are finished before the next sample;
    ``window.wait_for_background()`` only if they never finish);
  - objectNames: ``clientSearch`` (QLineEdit), ``clientList`` and ``kanbanList0``…``kanbanList4`` (item views),
    ``workTabs`` (QTabWidget), ``workLog`` (its page), ``workLogTable`` (item view), ``attentionTable`` (the
    «Требует внимания» dock's item view);
  - the search debounce is found as an active single-shot QTimer (interval ≤ 500 ms) among the window's
    children; the bench sleeps it out before timing the work that follows (the UI is idle meanwhile).
Data are changed behind the window with sqlite3 (stages of 1 client in 10) so that a reload has new rows."""

from __future__ import annotations

import sqlite3
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QEventLoop,
    QModelIndex,
    QSortFilterProxyModel,
    QStringListModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QTableView,
    QTabWidget,
    QWidget,
)
from shiboken6 import isValid

from bench.common import Figure, p90, stop_if_interrupted
from bench.paint import MessageGuard, PaintWatch, SlotWatch, settle, wait_quiet, window_pools

FRAME_BUDGET_MS = 16.0  # one frame at 60 Hz: the longest event the UI thread may handle in one go
QUERIES = ["уральский", "мебельная фабрика", "завод жби", "кузнецов"]  # typed as a person types
INN_QUERY = "770"  # three digits of an ИНН (regions 77…)
WARM_QUERY = "ф"  # untimed: shares no letter with the queries the slot watch times (the question search's memo)
HEAVY = [1, 2, 3, 4, 5]  # bench.generate gives these clients 2 000 work-log rows each
SETTLE_TIMEOUT = 60.0  # seconds: a named view not painted by then fails the figure (loaded machine: ~1 s each)


@dataclass
class StatementCounter:
    """SQL statements sent by any engine (UI thread and workers), per labelled interaction (max seen)."""

    label: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    _now: int = 0

    def install(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        event.listen(Engine, "before_cursor_execute", self._seen)

    def remove(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        event.remove(Engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self._now += 1

    def begin(self, label: str) -> None:
        self.label, self._now = label, 0

    def end(self) -> None:
        self.counts[self.label] = max(self.counts.get(self.label, 0), self._now)
        self.label = ""


def _views(window: QWidget) -> dict[str, QAbstractItemView]:
    views: dict[str, QAbstractItemView] = {"list": window.findChild(QAbstractItemView, "clientList")}
    for stage in range(5):
        views[f"kanban{stage}"] = window.findChild(QAbstractItemView, f"kanbanList{stage}")
    views["worklog"] = window.findChild(QAbstractItemView, "workLogTable")
    views["attention"] = window.findChild(QAbstractItemView, "attentionTable")
    missing = [name for name, view in views.items() if view is None]
    if missing:
        raise RuntimeError(f"views not found by objectName: {missing}")
    return views


def type_key(widget: QWidget, char: str) -> None:
    """Press and release one key carrying ``char`` as the platform delivers typed text. QTest.keyClick(s)
    cannot type Cyrillic: it maps characters through a Latin table (an assertion, or 'Ð'/'Ñ')."""
    code = ord(char.upper()) if char != " " else int(Qt.Key.Key_Space)
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, char))


def _debounce_timers(window: QWidget) -> list[QTimer]:
    return [t for t in window.findChildren(QTimer) if t.isActive() and t.isSingleShot() and 0 < t.interval() <= 500]


class WindowBench:
    """A window on ``db_file`` at 1366×768 with its views watched."""

    def __init__(self, db_file: Path, clients: int) -> None:
        import ui
        from app.config import sqlite_url

        self.db_file = db_file
        self.clients = clients
        self.app = QApplication.instance()
        self.messages = MessageGuard()
        self.window = ui.create_main_window(sqlite_url(db_file))
        self.window.resize(1366, 768)
        self.window.show()
        getattr(self.window, "wait_for_rows", lambda _ms: True)(600_000)  # a lazy start: the database opens behind
        wait_quiet(self.window)
        self.views = _views(self.window)
        self.watch = PaintWatch(self.views)
        self.search: QLineEdit = self.window.findChild(QLineEdit, "clientSearch")
        self.tabs: QTabWidget = self.window.findChild(QTabWidget, "workTabs")
        self.con = sqlite3.connect(db_file, isolation_level=None)
        self.con.execute("PRAGMA busy_timeout=10000")
        total = self.watch.rows("list")
        if total != clients:
            raise RuntimeError(f"the list shows {total} clients, the database has {clients}")
        self.slots = SlotWatch()
        self.statements = StatementCounter()
        self.key_cpu: list[float] = []  # UI-thread CPU seconds per timed keystroke (bench_search)
        self.dock_moves = 0  # moves that changed the «Требует внимания» dock's rows (bench_move)
        self.cpu: dict[str, list[float]] = {}  # UI-thread CPU seconds of each timed reload, move, card

    def close(self) -> None:
        self.con.close()
        self.window.close()
        QApplication.processEvents()

    def show_tab(self, object_name: str) -> None:
        page = self.window.findChild(QWidget, object_name)
        self.tabs.setCurrentWidget(page)
        wait_quiet(self.window)

    # ------------------------------------------------------------------ search

    def _type(self, char: str) -> float:
        """One keystroke: key events, the debounce slept out, then the work until every view painted (wall
        seconds); the UI thread's CPU seconds of the same stretches are appended to ``self.key_cpu``."""
        started, cpu_started = time.perf_counter(), time.thread_time()
        type_key(self.search, char)
        keyed, cpu_keyed = time.perf_counter(), time.thread_time()
        timers = _debounce_timers(self.window)  # looked up untimed: a walk of the widget tree is ~1 ms
        pools = window_pools(self.window)  # likewise
        pending = [t.remainingTime() for t in timers]
        # the longest-event watch stops here, not before the walks: wrapping a QTimer for Python sends it a
        # DynamicPropertyChange, which restarted the watch, and the debounce's sleep below counted as UI work
        self.slots.pause()
        if pending:
            time.sleep(max(0, max(pending)) / 1000 + 0.002)
        resumed, cpu_resumed = time.perf_counter(), time.thread_time()
        end = settle(self.window, self.watch, started, done=lambda: not any(t.isActive() for t in timers),
                     painted=True, pools=pools)
        self.key_cpu.append((cpu_keyed - cpu_started) + (time.thread_time() - cpu_resumed))
        return (keyed - started) + (end - resumed)

    def _clear_search(self) -> None:
        since = time.perf_counter()
        self.search.clear()
        settle(self.window, self.watch, since, painted=True)  # the full list painted now, not in the first key

    def type_query(self, query: str) -> tuple[list[float], int]:
        """Type ``query`` into an empty box; per-key times and the clients it matches (asserted > 0)."""
        self._clear_search()
        self.search.setFocus()
        started = time.perf_counter()
        times = [self._type(char) for char in query]
        if "list" not in self.watch.painted_since(started):
            raise RuntimeError(f"the list was never painted while typing {query!r}")
        shown = self.watch.rows("list")
        if self.search.text() != query:
            raise RuntimeError(f"typed {query!r}, the box holds {self.search.text()!r}")
        if not 0 < shown < self.clients:
            raise RuntimeError(f"search {query!r} matches {shown} of {self.clients} clients: not a real search")
        return times, shown

    def bench_search(self, rounds: int) -> list[Figure]:
        self.show_tab("stageKanban")
        keys: list[float] = []
        first: list[float] = []
        inn: list[float] = []
        matched: dict[str, int] = {}
        self.key_cpu = []
        for _ in range(rounds):
            for query in QUERIES:
                times, matched[query] = self.type_query(query)
                keys += times
                first.append(times[0])
            times, matched[INN_QUERY] = self.type_query(INN_QUERY)
            inn += times
            first.append(times[0])
        self._clear_search()
        base_keys, base_note = bare_search(self.window, self.con, rounds)
        seen = ", ".join(f"«{q}» {n}" for q, n in matched.items())
        target_median, target_p90 = (8, 16) if self.clients <= 5000 else (16, 50)
        all_keys = keys + inn
        return [
            Figure("search keystroke until list + kanban painted", self.clients, all_keys, "ms",
                   "bare QSortFilterProxyModel + QListView, same strings", base_keys,
                   f"median ≤ {target_median} ms", statistics.median(all_keys) * 1000 <= target_median,
                   f"matches: {seen}; {base_note}"),
            Figure("search keystroke, slowest 10 % (p90)", self.clients, [p90(all_keys)], "ms", "", [],
                   f"p90 ≤ {target_p90} ms", p90(all_keys) * 1000 <= target_p90, f"{len(all_keys)} keystrokes"),
            Figure("search, first keystroke (full list → one letter)", self.clients, first, "ms", "", [],
                   f"≤ {target_p90} ms (as the slowest 10 %)", max(first) * 1000 <= target_p90,
                   f"max {max(first) * 1000:.1f} ms"),
            Figure(f"search «{INN_QUERY}» (3-digit ИНН), per keystroke", self.clients, inn, "ms", "", [],
                   f"p90 ≤ {target_p90} ms", p90(inn) * 1000 <= target_p90, f"max {max(inn) * 1000:.1f} ms"),
            Figure("search keystroke, UI-thread CPU (the same keys)", self.clients, self.key_cpu, "ms", "", [], "",
                   None, "information: on a loaded machine the wall figures wait for other processes too"),
        ]

    # ------------------------------------------------------------------ kanban after a data change

    def _stage_counts(self) -> list[int]:
        return [self.watch.rows(f"kanban{stage}") for stage in range(5)]

    def _flip_ids(self) -> list[tuple[int, int]]:
        if not hasattr(self, "_flip"):
            self._flip = list(self.con.execute("SELECT id, stage FROM client WHERE id % 10 = 3 AND stage IN (1, 2) "
                                               "ORDER BY id"))
            self._flipped = False
        return self._flip

    def change_data(self) -> list[int]:
        """Move 1 client in 10 (of stages 1–2) one stage on, or back, behind the window; the expected counts."""
        from app.services.changes import DATABASE_REPLACED  # noqa: F401  (imported early: not timed)

        flip = self._flip_ids()
        expected = self._stage_counts()
        step = -1 if self._flipped else 1
        ids = [cid for cid, _stage in flip]
        self.con.execute("BEGIN IMMEDIATE")
        self.con.executemany("UPDATE client SET stage = stage + ? WHERE id = ?", [(step, cid) for cid in ids])
        self.con.execute("COMMIT")
        for _cid, stage in flip:
            now = stage + (1 if self._flipped else 0)
            expected[now] -= 1
            expected[now + step] += 1
        self._flipped = not self._flipped
        return expected

    def _reload_views(self) -> tuple[str, ...]:
        """What a reload after ``change_data`` must repaint: the columns clients left or joined, and the list when
        one of the moved clients is among its visible rows (their stage cell changes). The other columns and a
        list whose visible rows are unchanged show the same: a product that leaves them alone is right, so they
        are not waited for (nor is a later repaint for the budgets). Looked up before the timed stretch."""
        stages = {stage for _cid, stage in self._flip_ids()}
        columns = tuple(f"kanban{stage}" for stage in sorted(stages | {s + 1 for s in stages}))
        return ("list", *columns) if self._moved_client_in_sight() else columns

    def _moved_client_in_sight(self) -> bool:
        view = self.views["list"]
        model = view.model()
        top = view.rowAt(0)
        bottom = view.rowAt(view.viewport().height() - 1)
        if top < 0:
            return False
        bottom = model.rowCount() - 1 if bottom < 0 else bottom
        shown = {model.index(row, 0).data() for row in range(top, bottom + 1)}
        if not hasattr(self, "_flip_names"):
            ids = [cid for cid, _stage in self._flip_ids()]
            marks = ",".join("?" * len(ids))
            self._flip_names = {name for (name,) in self.con.execute(
                f"SELECT name FROM client WHERE id IN ({marks})", ids)} if ids else set()
        return bool(shown & self._flip_names)

    def reload_after_change(self) -> float:
        from app.services.changes import DATABASE_REPLACED

        expected = self.change_data()
        views = self._reload_views()
        started, cpu = time.perf_counter(), time.thread_time()
        self.slots.call("apply_changes(DATABASE_REPLACED)", lambda: self.window.apply_changes(DATABASE_REPLACED))
        end = settle(self.window, self.watch, started, done=lambda: self._stage_counts() == expected,
                     wait_pools=False, expect=views, timeout=SETTLE_TIMEOUT)
        elapsed = end - started
        self.cpu.setdefault("kanban", []).append(time.thread_time() - cpu)
        drain_background(self.window, self.slots)  # the reads that wait for the paint must not overlap the next sample
        wait_quiet(self.window)
        return elapsed

    def bench_kanban(self, repeat: int) -> list[Figure]:
        self.show_tab("stageKanban")
        self.reload_after_change()  # warm
        self.cpu["kanban"] = []
        times = [self.reload_after_change() for _ in range(repeat)]
        rows = [list(self.con.execute("SELECT name FROM client WHERE stage = ? ORDER BY name", (s,)))
                for s in range(5)]
        base = bare_kanban(self.window, [[r[0] for r in stage] for stage in rows], repeat)
        target = 100 if self.clients <= 5000 else 300
        return [Figure("kanban + list after a data change (restore-style refresh), until painted", self.clients,
                       times, "ms", "bare 5 × QListView + QStringListModel reset", base, f"≤ {target} ms",
                       statistics.median(times) * 1000 <= target,
                       f"{len(self._flip)} clients changed stage; until painted: {', '.join(self._reload_views())}; "
                       "budgets and the dock's reminders arrive later (worker), not counted"),
                _cpu_figure("kanban after a data change, UI-thread CPU", self.clients, self.cpu["kanban"],
                            "the rows are read in a worker: its CPU is not in this figure")]

    # ------------------------------------------------------------------ one move

    def _movable(self) -> list[tuple[int, int]]:
        flip = {cid for cid, _ in self._flip_ids()}
        rows = self.con.execute("SELECT id, stage FROM client WHERE stage IN (1, 2) AND id % 10 != 3 AND id > 5 "
                                "ORDER BY id LIMIT 400")
        return [(cid, stage) for cid, stage in rows if cid not in flip]

    def move(self, client_id: int, source: int, target: int) -> float:
        """The card is made current first (untimed: the board scrolls to it), as a user drags a card in sight."""
        self.window.set_current_client(client_id)
        wait_quiet(self.window)
        counts = self._stage_counts()
        expected = list(counts)
        expected[source] -= 1
        expected[target] += 1
        started, cpu = time.perf_counter(), time.thread_time()
        ok = self.slots.call("request_move", lambda: self.window.request_move(client_id, target))
        if not ok:
            raise RuntimeError(f"move of client {client_id} to {target} refused: {self.messages.seen[-1:]}")
        board = ("list", f"kanban{source}", f"kanban{target}")  # the moved row's stage, the two columns

        def expect() -> tuple[str, ...]:  # the dock's rows of the moved client, when the move changed them
            return (*board, "attention") if self.watch.changed_at["attention"] > started else board

        end = settle(self.window, self.watch, started, done=lambda: self._stage_counts() == expected,
                     wait_pools=False, expect=expect, timeout=SETTLE_TIMEOUT)
        elapsed = end - started
        self.cpu.setdefault("move", []).append(time.thread_time() - cpu)
        self.dock_moves += "attention" in expect()
        wait_quiet(self.window)
        return elapsed

    def bench_move(self, repeat: int) -> list[Figure]:
        from ui.dialogs.stages.move_guard import MoveDecision

        self.show_tab("stageKanban")
        self.window.move_dialog = lambda *args: MoveDecision(reason="бенчмарк", force=True)
        movable = self._movable()
        times = []
        self.dock_moves = 0
        self.cpu["move"] = []
        for client_id, stage in movable[: repeat + 1]:
            forward = self.move(client_id, stage, stage + 1)
            back = self.move(client_id, stage + 1, stage)
            times += [forward, back]
        times = times[2:]  # the first pair warms up
        cpu = self.cpu["move"][2:]
        base = bare_move(self.db_file, len(times))
        return [Figure("one move (drop on the next column, and back) until painted", self.clients, times, "ms",
                       "bare sqlite3 UPDATE + INSERT commit (synchronous=FULL)", base, "≤ 15 ms",
                       statistics.median(times) * 1000 <= 15,
                       f"forced moves, reason given; until painted: the list, both columns, and the «Требует "
                       f"внимания» dock when it changed ({self.dock_moves} of {len(times) + 2} moves)"),
                _cpu_figure("one move, UI-thread CPU", self.clients, cpu, "")]

    # ------------------------------------------------------------------ card with its work log shown

    def open_client(self, client_id: int) -> float:
        expected = self.con.execute("SELECT count(*) FROM work_log WHERE client_id = ? AND deleted = 0",
                                    (client_id,)).fetchone()[0]
        started, cpu = time.perf_counter(), time.thread_time()
        self.slots.call("set_current_client", lambda: self.window.set_current_client(client_id))
        end = settle(self.window, self.watch, started, done=lambda: self.watch.rows("worklog") == expected,
                     wait_pools=False, expect=("worklog", "list"), timeout=SETTLE_TIMEOUT)
        elapsed = end - started
        self.cpu.setdefault("card", []).append(time.thread_time() - cpu)
        wait_quiet(self.window)
        return elapsed

    def bench_card(self, repeat: int) -> list[Figure]:
        self.show_tab("workLog")
        # the client shown already (the slots part ends on HEAVY[0]) is not opened again: nothing would repaint
        current = getattr(self.window, "current_id", None)
        heavy = [cid for cid in HEAVY if cid != current] + [cid for cid in HEAVY if cid == current]
        order = (heavy * (repeat + 2))[: repeat + 1]
        self.cpu["card"] = []
        times = [self.open_client(cid) for cid in order][1:]
        cpu = self.cpu["card"][1:]
        self.window.set_current_client(None)
        wait_quiet(self.window)
        base = bare_card(self.window, self.con, HEAVY, repeat)
        return [Figure("open a client, work-log tab shown (2 000 rows read and painted)", self.clients, times,
                       "ms", "bare SELECT of the rows + QTableView painted", base,
                       "≤ 100 ms (earlier suite; not in the issue's table)", statistics.median(times) * 1000 <= 100,
                       "until painted: the work-log table and the list's current row"),
                _cpu_figure("open a client, UI-thread CPU", self.clients, cpu, "")]

    # ------------------------------------------------------------------ UI-thread events and SQL statements

    def _warm_watch(self) -> None:
        """Untimed: one search typed and cleared with the longest-event watch on. The watch is a Python event
        filter on the application, so it wraps every object an event goes to; PySide makes a class's Python type
        (and its enums) when it first wraps one, and a search is the first time the watch meets the animation
        objects the main window's layout makes (60 enum classes, 15–21 ms, timed as «ClientListPanel
        LayoutRequest»). The window wraps none of them: that cost is the watch's, paid here once. The letter is
        in none of the timed queries, so the question search's memo of fruitless texts skips none of their
        statements (the counts stay those of a search typed afresh)."""
        self.slots.start()
        try:
            self.type_query(WARM_QUERY)
            self._clear_search()
            wait_quiet(self.window)
        finally:
            self.slots.stop()
        self.slots.longest, self.slots.what = 0.0, ""

    def bench_slots(self) -> list[Figure]:
        """The same interactions once more with the longest-event watch and the statement counter on."""
        from ui.dialogs.stages.move_guard import MoveDecision

        self.window.move_dialog = lambda *args: MoveDecision(reason="бенчмарк", force=True)
        longest: dict[str, tuple[float, str]] = {}
        # the window's periodic polls (the file watcher, the sync status, the team's availability) fire on the
        # clock, not because of an interaction: counted when they happened to fall inside one, they made the
        # counts differ between runs (a reload 40, 45 or 52), so they wait while the statements are counted
        periodic = [t for t in self.window.findChildren(QTimer) if t.isActive() and not t.isSingleShot()]
        for timer in periodic:
            timer.stop()
        self.show_tab("stageKanban")
        self._warm_watch()
        self.statements.install()
        try:
            def watched(label: str, fn) -> None:
                drain_background(self.window, self.slots)  # the start's deferred reads too (the dock's reminders)
                wait_quiet(self.window)
                self.slots.longest, self.slots.what = 0.0, ""
                self.statements.begin(label)
                self.slots.start()
                try:
                    fn()
                    wait_quiet(self.window)
                finally:
                    self.slots.stop()
                    self.statements.end()
                longest[label] = max(longest.get(label, (0.0, "")), (self.slots.longest, self.slots.what))

            self.show_tab("stageKanban")
            watched("search (typing «уральский» and «770»)", lambda: (self.type_query("уральский"),
                                                                      self.type_query(INN_QUERY)))
            self._clear_search()
            watched("kanban/list reload after a data change", self.reload_after_change)
            client_id, stage = self._movable()[-1]
            watched("one move", lambda: (self.move(client_id, stage, stage + 1), self.move(client_id, stage + 1, stage)))
            self.show_tab("workLog")
            watched("open a client, work log shown", lambda: self.open_client(HEAVY[0]))
        finally:
            self.statements.remove()
            for timer in periodic:
                if isValid(timer):  # a poll's owner may have gone meanwhile (a dialog's timer)
                    timer.start()
        figures = []
        for label, (seconds, what) in longest.items():
            figures.append(Figure(f"longest UI-thread event: {label}", self.clients, [seconds], "ms", "", [],
                                  f"≤ {FRAME_BUDGET_MS:.0f} ms (one frame)", seconds * 1000 <= FRAME_BUDGET_MS,
                                  what))
        for label, count in self.statements.counts.items():
            figures.append(Figure(f"SQL statements: {label}", self.clients, [count], "count", "", [],
                                  "same at every size", None, ""))
        return figures


def drain_background(window: QWidget, slots: SlotWatch, timeout: float = SETTLE_TIMEOUT) -> None:
    """Untimed: let the window's background work finish (a reload's budgets, the dock's events) with the event
    loop running as a user's would — the UI thread sleeping between events — so the longest-event watch sees
    only the product's own events. ``wait_for_background`` blocked the UI thread in the thread pool's wait and
    the watch took that stretch (74–214 ms) for a product event. Falls back to it, with the watch paused, when
    the work has not finished by ``timeout`` seconds (a read that waits for a paint which never comes)."""
    pending = getattr(window, "background_pending", None)
    if pending is None:
        return
    deadline = time.perf_counter() + timeout
    while pending() and time.perf_counter() < deadline:
        stop_if_interrupted()
        loop = QEventLoop()
        QTimer.singleShot(5, loop.quit)
        loop.exec()
    if pending():
        slots.pause()
        window.wait_for_background()
        slots.pause()


def _cpu_figure(name: str, clients: int, seconds: list[float], note: str) -> Figure:
    """Information beside a wall figure: on a loaded machine the wall time also waits for other processes."""
    return Figure(name, clients, seconds, "ms", "", [], "", None,
                  note or "information: on a loaded machine the wall figures wait for other processes too")


# ---------------------------------------------------------------------- bare Qt baselines


class _Bare(QWidget):
    """A top-level widget of its own, shown offscreen, holding the bare views."""

    def __init__(self) -> None:
        super().__init__()
        self.resize(1366, 768)
        self.layout_ = QHBoxLayout(self)


def bare_search(window: QWidget, con: sqlite3.Connection, rounds: int) -> tuple[list[float], str]:
    """A QLineEdit whose textChanged sets a fixed-string filter of a QSortFilterProxyModel over the same
    clients' name, ИНН, contact and phone, shown in a QListView; keys typed and timed the same way."""
    strings = [" ".join(str(v or "") for v in row) for row in con.execute(
        "SELECT c.name, c.inn, ct.name, ct.phone FROM client c LEFT JOIN contact ct ON ct.client_id = c.id "
        "GROUP BY c.id ORDER BY c.name")]
    bare = _Bare()
    box = QLineEdit(bare)
    model = QStringListModel(strings)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    view = QListView(bare)
    view.setModel(proxy)
    view.setUniformItemSizes(True)
    box.textChanged.connect(proxy.setFilterFixedString)
    bare.layout_.addWidget(box)
    bare.layout_.addWidget(view)
    bare.show()
    watch = PaintWatch({"bare": view})
    wait_quiet(window)
    times = []
    for _ in range(rounds):
        for query in [*QUERIES, INN_QUERY]:
            since = time.perf_counter()
            box.clear()
            settle(window, watch, since, painted=True)
            box.setFocus()
            for char in query:
                started = time.perf_counter()
                type_key(box, char)
                times.append(settle(window, watch, started, painted=True) - started)
    note = f"bare matched «{QUERIES[0]}» on {sum(QUERIES[0] in s.lower() for s in strings)}"
    bare.close()
    bare.deleteLater()
    return times, note


def bare_kanban(window: QWidget, names: list[list[str]], repeat: int) -> list[float]:
    bare = _Bare()
    models, views = [], {}
    for stage, _rows in enumerate(names):
        model = QStringListModel()
        view = QListView(bare)
        view.setModel(model)
        view.setUniformItemSizes(True)
        bare.layout_.addWidget(view)
        models.append(model)
        views[f"b{stage}"] = view
    bare.show()
    watch = PaintWatch(views)
    times = []
    for i in range(repeat + 1):
        started = time.perf_counter()
        for model, rows in zip(models, names, strict=True):
            model.setStringList(rows if i % 2 == 0 else rows[1:])  # changed rows every time
        times.append(settle(window, watch, started, expect=tuple(views)) - started)
    bare.close()
    bare.deleteLater()
    return times[1:]


def bare_move(db_file: Path, repeat: int) -> list[float]:
    """UPDATE one client's stage and INSERT its stage event, committed with fsync, on a scratch copy."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="vn-bench-move-"))
    try:
        copy = folder / "copy.sqlite3"
        shutil.copyfile(db_file, copy)
        con = sqlite3.connect(copy, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        times = []
        for i in range(repeat + 1):
            started = time.perf_counter()
            con.execute("BEGIN IMMEDIATE")
            con.execute("UPDATE client SET stage = stage WHERE id = ?", (i + 1,))
            con.execute("INSERT INTO stage_event(uuid, updated_at, client_id, from_stage, to_stage, at, who, reason, "
                        "forced) VALUES (?, '2026-11-01 09:00:00.000000', ?, 1, 2, '2026-11-01 09:00:00.000000', "
                        "'bench', 'bench', 1)", (f"00000000-0000-4000-8000-{i:012d}", i + 1))
            con.execute("COMMIT")
            times.append(time.perf_counter() - started)
        con.close()
        return times[1:]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class _Rows(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple] = []

    def set_rows(self, rows: list[tuple]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            value = self.rows[index.row()][index.column()]
            return "" if value is None else str(value)
        return None


def bare_card(window: QWidget, con: sqlite3.Connection, heavy: list[int], repeat: int) -> list[float]:
    bare = _Bare()
    model = _Rows()
    view = QTableView(bare)
    view.setModel(model)
    bare.layout_.addWidget(view)
    bare.show()
    watch = PaintWatch({"bare": view})
    times = []
    for i in range(repeat + 1):
        started = time.perf_counter()
        rows = list(con.execute("SELECT on_date, kind, minutes, days, amount, note FROM work_log "
                                "WHERE client_id = ? AND deleted = 0 ORDER BY on_date", (heavy[i % len(heavy)],)))
        model.set_rows(rows)
        times.append(settle(window, watch, started, expect=("bare",)) - started)
    bare.close()
    bare.deleteLater()
    return times[1:]
