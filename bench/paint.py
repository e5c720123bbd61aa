"""Waiting until the views are painted, and watching how long the UI thread is busy per event.

Hooks into the product: a view's ``UNPAINTED_ROLES`` (roles whose change it does not repaint), else Qt only. The
views to watch are found by the caller (by objectName).

* ``PaintWatch`` counts ``QEvent.Paint`` on the viewports of item views and remembers, per view, when its model
  last changed (rows inserted/removed/moved, reset, layout or data changed). A view has caught up when it was
  painted after its model's last change (a hidden view does not count: it cannot be seen).
* ``settle(done)`` runs the event loop until the UI thread is about to sleep (``aboutToBlock``) with ``done()``
  true and no worker thread of the window's pools running. One ``processEvents`` is not enough: it may return
  before the paint. Nor is ``aboutToBlock`` alone: Qt's glib dispatcher (Linux) emits it at the start of every
  turn of the loop that may wait, before it looks for work, so a view's delayed item layout (a zero timer) and
  the paint it schedules can still be due (a search keystroke's list and columns were painted only at the next
  keystroke, and timed there). ``settle(painted=True)`` therefore also waits until every visible watched view
  whose model changed after ``since`` was painted after that change — for changes that always repaint (a
  layout change, a reset); a change to rows out of sight repaints nothing and would wait for the timeout.
  Callers that know which views their interaction changes name them instead (``expect``): then exactly those
  must be painted after ``since`` and after their model's last change, and no other view is waited for, so a
  change that repaints nothing elsewhere cannot hold the timing until the timeout. A named view that never
  repaints makes ``settle`` raise ``Unsettled`` (a failed figure, never a timed one).
* ``SlotWatch`` records the longest single event handled on the UI thread: an application event filter notes
  when each event starts; the next event (or the loop going to sleep) ends it. A handler that sends an event
  synchronously is split in two there, so the figure is a lower bound of the longest handler; the bench's own
  direct calls of window methods (a move, a refresh) are timed whole as one slot each."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection

from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QEventLoop, QObject, QThreadPool, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from bench.common import interrupted, stop_if_interrupted

MODEL_SIGNALS = ("rowsInserted", "rowsRemoved", "rowsMoved", "modelReset", "layoutChanged", "dataChanged")


class PaintWatch(QObject):
    """Paint events and model changes of named item views."""

    def __init__(self, views: dict[str, QAbstractItemView]) -> None:
        super().__init__()
        self.views = views
        self.paints: dict[str, int] = dict.fromkeys(views, 0)
        self.painted_at: dict[str, float] = dict.fromkeys(views, 0.0)
        self.changed_at: dict[str, float] = dict.fromkeys(views, 0.0)
        self._viewports = {view.viewport(): name for name, view in views.items()}
        for name, view in views.items():
            view.viewport().installEventFilter(self)
            model = view.model()
            for signal in MODEL_SIGNALS:
                if signal == "dataChanged":
                    model.dataChanged.connect(lambda _tl, _br, roles=(), n=name: self._data_changed(n, roles))
                else:
                    getattr(model, signal).connect(lambda *_a, n=name: self._changed(n))

    def _changed(self, name: str) -> None:
        self.changed_at[name] = time.perf_counter()

    def _data_changed(self, name: str, roles) -> None:
        """A change of roles the view declares it does not paint (``UNPAINTED_ROLES``, a set of ints: the client
        list ignores the cards' and budgets' roles) repaints nothing there, so waiting for its paint would wait
        for the timeout: a budget read arriving between the list's paint and the board's was such a wait."""
        unpainted = getattr(self.views[name], "UNPAINTED_ROLES", None)
        if roles and unpainted and unpainted.issuperset(int(role) for role in roles):
            return
        self._changed(name)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            name = self._viewports.get(watched)
            if name is not None:
                self.paints[name] += 1
                self.painted_at[name] = time.perf_counter()
        return False

    def behind(self, since: float) -> list[str]:
        """Visible views whose model changed after ``since`` and that were not painted after that change (a
        change to rows out of sight repaints nothing: information for a failure message, not a condition)."""
        return [name for name, view in self.views.items()
                if view.isVisible() and self.changed_at[name] > since
                and self.painted_at[name] < self.changed_at[name]]

    def due(self, since: float, names: Collection[str]) -> list[str]:
        """Of ``names``, the views not yet painted after ``since`` and after their model's last change (a hidden
        view is due until it is shown and painted). Raises KeyError for a name not watched."""
        return [name for name in names if self.painted_at[name] <= max(since, self.changed_at[name])]

    def painted_since(self, since: float) -> list[str]:
        return [name for name in self.views if self.painted_at[name] > since]

    def rows(self, name: str) -> int:
        return self.views[name].model().rowCount()


def window_pools(window: QWidget) -> list[QThreadPool]:
    """The window's thread pools and the global one (a walk of the whole widget tree: ~0.25 ms at 5 000 clients,
    so ``settle`` looks them up once per call, not at every turn of the event loop it times)."""
    return [*window.findChildren(QThreadPool), QThreadPool.globalInstance()]


def pools_idle(window: QWidget, pools: list[QThreadPool] | None = None) -> bool:
    """No worker of the window's thread pools (or the global pool) is running."""
    return all(pool.activeThreadCount() == 0 for pool in (pools if pools is not None else window_pools(window)))


class Unsettled(RuntimeError):
    """The views did not catch up within the time allowed."""


Expect = Collection[str] | Callable[[], Collection[str]]


def _expected(expect: Expect) -> Callable[[], Collection[str]]:
    if callable(expect):
        return expect
    fixed = tuple(expect)
    return lambda: fixed


def settle(window: QWidget, watch: PaintWatch | None, since: float, done: Callable[[], bool] = lambda: True,
           timeout: float = 120.0, wait_pools: bool = True, painted: bool = False, expect: Expect = (),
           pools: list[QThreadPool] | None = None) -> float:
    """Run the event loop until idle with ``done()`` and the pools idle, and (with ``painted``) every visible
    watched view changed after ``since`` painted after its change — or, when ``expect`` names views (a collection,
    or a callable asked at each turn, for views known to change only once the work ran), exactly those painted
    after ``since`` and after their last change. Returns the ``perf_counter`` moment it was reached (seconds).
    ``pools``: the window's thread pools looked up beforehand, untimed (``window_pools`` walks every widget:
    ~1 ms at 5 000 clients, which a keystroke's figure would otherwise count as the product's); looked up here
    when not given. Raises Unsettled after ``timeout`` seconds (the views still due in the message),
    ValueError for ``expect`` without a watch or with a name the watch does not know, KeyboardInterrupt at the
    next turn of the loop after a Ctrl+C (``bench.common.interrupted``), even one a Qt callback swallowed."""
    stop_if_interrupted()
    names = _expected(expect)
    if names() and watch is None:
        raise ValueError("settle: views expected but no PaintWatch given")
    unknown = [name for name in names() if watch is not None and name not in watch.views]
    if unknown:
        raise ValueError(f"settle: views not watched: {unknown}")
    dispatcher = QAbstractEventDispatcher.instance()
    loop = QEventLoop()
    reached: list[float] = []
    if not wait_pools:
        pools = []
    elif pools is None:
        pools = window_pools(window)

    def views_ready() -> bool:
        if watch is None:
            return True
        expected = names()
        if expected:
            return not watch.due(since, expected)
        return not (painted and watch.behind(since))

    def ready() -> bool:
        return done() and (not wait_pools or pools_idle(window, pools)) and views_ready()

    def check() -> None:
        if interrupted():  # raising here would be swallowed: leave the loop and raise below
            loop.quit()
            return
        if not reached and ready():
            reached.append(time.perf_counter())
            loop.quit()

    QApplication.processEvents()  # what is already posted
    dispatcher.aboutToBlock.connect(check)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout * 1000))
    try:
        check()
        if not reached:
            loop.exec()
    finally:
        timer.stop()
        dispatcher.aboutToBlock.disconnect(check)
    stop_if_interrupted()
    if not reached:
        expected = names()
        behind = (watch.due(since, expected) if expected else watch.behind(since)) if watch is not None else []
        hidden = [name for name in behind if watch is not None and not watch.views[name].isVisible()]
        raise Unsettled(f"not settled in {timeout} s (views not painted: {behind}, of them hidden: {hidden}, "
                        f"done: {done()}, pools idle: {pools_idle(window, pools)})")
    return reached[0]


def wait_quiet(window: QWidget, timeout: float = 600.0) -> None:
    """Untimed: let background work of an earlier step finish (budgets after a reload …)."""
    settle(window, None, time.perf_counter(), timeout=timeout)


class SlotWatch(QObject):
    """The longest event handled on the UI thread while started, with what handled it."""

    def __init__(self) -> None:
        super().__init__()
        self.longest = 0.0
        self.what = ""
        self._start: float | None = None
        self._label: tuple[object, int] | None = None
        self._what = ""  # the method SlotWatch.call runs, until a nested event splits it
        self._on = False

    def start(self) -> None:
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        dispatcher = QAbstractEventDispatcher.instance()
        dispatcher.aboutToBlock.connect(self.pause)
        dispatcher.awake.connect(self.pause)
        self._on = True

    def stop(self) -> None:
        if not self._on:
            return
        self.pause()
        app = QApplication.instance()
        assert app is not None
        app.removeEventFilter(self)
        dispatcher = QAbstractEventDispatcher.instance()
        dispatcher.aboutToBlock.disconnect(self.pause)
        dispatcher.awake.disconnect(self.pause)
        self._on = False

    def _record(self, seconds: float, what: str | None = None) -> None:
        if seconds > self.longest:
            self.longest = seconds
            self.what = self._describe() if what is None else what

    def pause(self) -> None:
        """End the event being handled (the loop goes to sleep, or the bench takes over)."""
        if self._start is not None:
            now = time.perf_counter()
            self._record(now - self._start)
        self._start = None

    def _describe(self) -> str:
        if self._label is None:
            return self._what
        obj, kind = self._label
        try:
            name = obj.objectName() if isinstance(obj, QObject) else ""
        except RuntimeError:  # deleted meanwhile
            name = "?"
        try:
            kind_name = QEvent.Type(kind).name
        except ValueError:
            kind_name = str(kind)
        return f"{type(obj).__name__}{'#' + name if name else ''} {kind_name}"

    def eventFilter(self, watched, event) -> bool:
        now = time.perf_counter()
        if self._start is not None:
            self._record(now - self._start)
        self._start = now
        self._label = (watched, int(event.type().value))
        return False

    def call(self, what: str, fn: Callable[[], object]) -> object:
        """Run a window method the way a slot runs (the bench calls it instead of a click or a drop).

        A method that opens a modal dialog over work in a task runs a nested event loop: the events that loop
        handles (paints, the progress) split the call, as they split any other event, so the figure is the
        longest stretch the UI thread did not answer, not the dialog's whole life."""
        self.pause()
        self._start = time.perf_counter()
        self._label = None
        self._what = what
        try:
            return fn()
        finally:
            if self._start is not None:
                self._record(time.perf_counter() - self._start)
            self._start = None
            self._what = ""


class MessageGuard(QObject):
    """Closes a modal message box the window opens (an error offscreen would wait for a click forever) and
    remembers its text, so the bench fails with it instead of hanging. Progress dialogs are left alone.

    Made before the window, so it makes the application first (the product's ``ui.app.ensure_application``, as
    ``create_main_window`` would): a timer started before any QApplication never fires — Qt only said
    «QObject::startTimer: current thread's event dispatcher has already been destroyed», and the window parts
    and the CSV window ran unguarded."""

    def __init__(self) -> None:
        from ui.app import ensure_application

        ensure_application()
        super().__init__()
        self.seen: list[str] = []
        self.timer = QTimer(self)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self._check)
        self.timer.start()

    def _check(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            self.seen.append(box.text())
            box.reject()
