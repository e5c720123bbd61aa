"""Issue 15 §1: the window benches time an interaction until the views it names have painted (bench.paint.settle
with ``expect``); a named view that never repaints fails loudly instead of being timed to a timeout."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QHBoxLayout, QListView, QWidget

from bench.paint import PaintWatch, Unsettled, settle


def _window(qtbot, hidden: bool = False):
    window = QWidget()
    qtbot.addWidget(window)
    layout = QHBoxLayout(window)
    views = {}
    for name in ("a", "b"):
        view = QListView(window)
        view.setModel(QStringListModel([f"{name}{n}" for n in range(50)], view))
        layout.addWidget(view)
        views[name] = view
    window.resize(400, 300)
    window.show()
    qtbot.waitExposed(window)
    if hidden:
        views["b"].hide()
    watch = PaintWatch(views)
    settle(window, watch, time.perf_counter(), expect=(), timeout=5)
    return window, views, watch


def test_settle_returns_only_after_the_named_views_painted_their_change(qtbot):
    window, views, watch = _window(qtbot)
    for _ in range(3):
        since = time.perf_counter()
        for view in views.values():
            view.model().setStringList([f"x{n}" for n in range(40)])
        end = settle(window, watch, since, expect=("a", "b"), timeout=5)
        for name in ("a", "b"):
            assert since < watch.changed_at[name] < watch.painted_at[name] <= end
        assert watch.due(since, ("a", "b")) == []


def test_a_change_after_a_paint_makes_the_view_due_again(qtbot):
    window, views, watch = _window(qtbot)
    since = time.perf_counter()
    views["a"].model().setStringList(["one"])
    settle(window, watch, since, expect=("a",), timeout=5)
    assert watch.due(since, ("a",)) == []
    views["a"].model().setStringList(["two"])
    assert watch.due(since, ("a",)) == ["a"]  # painted before its last change: not caught up


def test_a_change_of_roles_the_view_does_not_paint_does_not_make_it_due(qtbot):
    """The client list repaints nothing for the cards' and budgets' roles (ui.views.client_list.ClientTableView):
    a budget read arriving after its paint made a reload's settle wait 60 s for a paint that never came."""
    window, views, watch = _window(qtbot)
    from PySide6.QtCore import Qt

    views["a"].UNPAINTED_ROLES = frozenset({int(Qt.ItemDataRole.UserRole) + 7})
    model = views["a"].model()
    since = time.perf_counter()
    model.setStringList(["one"])
    settle(window, watch, since, expect=("a",), timeout=5)
    changed = watch.changed_at["a"]
    model.dataChanged.emit(model.index(0, 0), model.index(0, 0), [int(Qt.ItemDataRole.UserRole) + 7])
    assert watch.changed_at["a"] == changed and watch.due(since, ("a",)) == []
    model.dataChanged.emit(model.index(0, 0), model.index(0, 0), [int(Qt.ItemDataRole.DisplayRole)])
    assert watch.changed_at["a"] > changed and watch.due(since, ("a",)) == ["a"]  # a painted role: due again
    model.dataChanged.emit(model.index(0, 0), model.index(0, 0))  # no roles named: every role may have changed
    assert watch.due(since, ("a",)) == ["a"]


def test_a_named_view_that_never_paints_fails_instead_of_being_timed(qtbot):
    window, views, watch = _window(qtbot, hidden=True)
    since = time.perf_counter()
    views["b"].model().setStringList(["hidden"])
    with pytest.raises(Unsettled, match=r"views not painted: \['b'\], of them hidden: \['b'\]"):
        settle(window, watch, since, expect=("b",), timeout=0.3)


def test_views_not_named_do_not_hold_the_timing(qtbot):
    """A change that repaints nothing (here: a hidden view) holds ``painted=True`` until the timeout; named
    views are all that is waited for."""
    window, views, watch = _window(qtbot, hidden=True)
    since = time.perf_counter()
    views["a"].model().setStringList(["shown"])
    views["b"].model().setStringList(["hidden"])
    started = time.perf_counter()
    settle(window, watch, since, expect=("a",), timeout=5)
    assert time.perf_counter() - started < 4
    assert watch.painted_at["a"] > watch.changed_at["a"]


def test_expected_names_may_be_decided_during_the_interaction(qtbot):
    """A view named only when the interaction changed it (the move's dock); a named view must repaint."""
    window, views, watch = _window(qtbot)
    for change_b in (False, True):
        since = time.perf_counter()

        def expect(since=since) -> tuple[str, ...]:
            return ("a", "b") if watch.changed_at["b"] > since else ("a",)

        views["a"].model().setStringList([f"a {change_b}"])
        if change_b:
            views["b"].model().setStringList(["b"])
        settle(window, watch, since, timeout=5, expect=expect)
        assert watch.painted_at["a"] > watch.changed_at["a"] > since
        assert (watch.painted_at["b"] > watch.changed_at["b"] > since) is change_b


def test_unknown_or_unwatched_names_are_refused(qtbot):
    window, _views, watch = _window(qtbot)
    with pytest.raises(ValueError, match="not watched"):
        settle(window, watch, time.perf_counter(), expect=("nope",), timeout=1)
    with pytest.raises(ValueError, match="no PaintWatch"):
        settle(window, None, time.perf_counter(), expect=("a",), timeout=1)


class _BusyWindow(QWidget):
    """A window whose background work ends after a few event-loop turns (a timer), as a reload's budgets do."""

    def __init__(self) -> None:
        super().__init__()
        self.done = False
        self.blocked = 0
        from PySide6.QtCore import QTimer

        QTimer.singleShot(60, self._finish)

    def _finish(self) -> None:
        self.done = True

    def background_pending(self) -> bool:
        return not self.done

    def wait_for_background(self) -> None:
        self.blocked += 1
        self.done = True


def test_draining_the_background_runs_the_event_loop_and_never_blocks_the_ui_thread(qtbot):
    """The kanban figure's longest UI-thread event was the bench's own wait_for_background (a blocked
    thread-pool wait, 74–214 ms) taken for the product's: the drain lets the loop run instead."""
    from bench.paint import SlotWatch
    from bench.window import drain_background

    window = _BusyWindow()
    qtbot.addWidget(window)
    slots = SlotWatch()
    slots.start()
    try:
        drain_background(window, slots, timeout=5)
    finally:
        slots.stop()
    assert window.done and window.blocked == 0
    assert slots.longest < 0.05  # the 60 ms of waiting were spent asleep in the loop, not in one stretch


def test_draining_falls_back_to_the_blocking_wait_when_the_work_never_ends(qtbot):
    from bench.paint import SlotWatch
    from bench.window import drain_background

    window = _BusyWindow()
    qtbot.addWidget(window)
    window.background_pending = lambda: window.blocked == 0  # never ends by itself
    drain_background(window, SlotWatch(), timeout=0.1)
    assert window.blocked == 1


def test_pools_given_beforehand_are_waited_for_without_walking_the_widgets(qtbot, monkeypatch):
    """A keystroke's figure must not time the bench's own walk of the widget tree (~1 ms at 5 000 clients):
    ``settle(pools=…)`` waits for exactly those pools and looks nothing up."""
    from PySide6.QtCore import QThreadPool, QTimer

    import bench.paint

    window, _views, watch = _window(qtbot)
    pool = QThreadPool()
    finished: list[float] = []
    pool.start(lambda: (time.sleep(0.2), finished.append(time.perf_counter())))
    ticker = QTimer()  # wakes the event loop, as the window's own timers and workers' signals do
    ticker.start(20)
    monkeypatch.setattr(bench.paint, "window_pools", lambda _w: pytest.fail("the widget tree was walked"))
    reached = settle(window, watch, time.perf_counter(), pools=[pool], timeout=5)
    assert finished and reached >= finished[0]
    pool.waitForDone()
