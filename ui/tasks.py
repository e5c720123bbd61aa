"""The one background-task runner (Anki's taskman / QueryOp idea): work off the UI thread, results back on it.

``TaskManager.start(work, on_done, on_failed)`` runs ``work(progress)`` on a worker thread and calls the
callbacks on the UI thread; ``run_modal`` does the same behind a progress dialog (determinate when the work
reports ``progress.set(done, total)``, with «Отмена» when cancelling is safe) and returns the result. A
task stays referenced until it finishes, whatever happens to the widget that started it. Light module:
Qt and the standard library only (the lazy start uses it before SQLAlchemy is imported)."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)
R = TypeVar("R")


class Cancelled(Exception):
    """Raised inside a task's work by ``Progress.check()`` once the user asked to cancel."""


class Progress:
    """Handed to a task's work: report ``set(done, total)`` (thread-safe) and ask ``cancelled``."""

    def __init__(self, signals: _TaskSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def set(self, done: int, total: int) -> None:
        _emit(self._signals.progress, int(done), int(total))

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise Cancelled when the user cancelled (call between safe steps of the work)."""
        if self._cancel.is_set():
            raise Cancelled

    def cancel(self) -> None:
        self._cancel.set()


class _TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(object)  # the exception
    progress = Signal(int, int)


class Task(QRunnable, Generic[R]):
    """One piece of work on the pool; ``signals`` deliver on the thread that created the task."""

    def __init__(self, work: Callable[[Progress], R]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.work = work
        self.signals = _TaskSignals()
        self.progress = Progress(self.signals)
        self.finished = threading.Event()

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except BaseException as exc:  # handed to the UI thread; never swallowed silently
            if not isinstance(exc, Cancelled):
                log.debug("task failed:\n%s", traceback.format_exc())
            _emit(self.signals.failed, exc)
        else:
            _emit(self.signals.done, result)
        finally:
            self.finished.set()

    def cancel(self) -> None:
        self.progress.cancel()


def _emit(signal, *args) -> bool:
    try:
        signal.emit(*args)
    except RuntimeError:  # the receiver's owner was deleted while we worked
        return False
    return True


class TaskManager(QObject):
    """Runs tasks on its own pool (``threads`` at a time); keeps each task referenced until it finishes."""

    def __init__(self, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._running: set[Task] = set()
        self._when_idle: list[Callable[[], None]] = []
        self._holds = 0  # hold_idle() calls not released yet: the when_idle callbacks wait for them too
        self._closed = False  # close(): the when_idle callbacks are dropped, running tasks still deliver

    def start(self, work: Callable[[Progress], Any], on_done: Callable[[Any], None] | None = None,
              on_failed: Callable[[BaseException], None] | None = None,
              on_progress: Callable[[int, int], None] | None = None) -> Task:
        """Run ``work(progress)`` off the UI thread; the callbacks run on the UI thread. A callback whose
        widgets were deleted meanwhile is dropped quietly; a failure without ``on_failed`` is logged. Once the owner
        has closed (``close``) nothing starts: the task is returned unstarted and its callbacks are never called
        (its work would read a database being disposed of, on a pool deleted with the owner)."""
        task: Task = Task(work)
        if self._closed:
            log.warning("a task started after its owner closed was not run: %r", work)
            return task
        self._running.add(task)

        def deliver(callback: Callable | None, *args) -> None:
            self._running.discard(task)
            try:
                if callback is None:
                    if args and isinstance(args[0], BaseException) and not isinstance(args[0], Cancelled):
                        log.error("background task failed: %r", args[0])
                    return
                try:
                    callback(*args)
                except RuntimeError as exc:  # "Internal C++ object already deleted": the window went away
                    if "already deleted" not in str(exc):
                        raise
            finally:
                if not self._running:
                    self._run_when_idle()

        task.signals.done.connect(lambda result: deliver(on_done, result))
        task.signals.failed.connect(lambda exc: deliver(on_failed, exc))
        if on_progress is not None:
            task.signals.progress.connect(on_progress)
        self.pool.start(task)
        return task

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the UI thread now when no task is running, else once the last running one has
        been delivered (and the tasks its callbacks started): work that can wait does not compete with the
        UI thread's handling of a result for the interpreter lock (nor, while ``hold_idle`` holds, with its
        layout and paint)."""
        if self._closed:
            return
        if not self._running and not self._holds:
            callback()
        else:
            self._when_idle.append(callback)

    def idle_waiting(self) -> int:
        """Callbacks waiting for idleness (``when_idle``): work still due though no task may be running yet."""
        return len(self._when_idle)

    def close(self) -> None:
        """The owner closes: work waiting for idleness is dropped (it would start tasks on a pool deleted with the
        owner when a running task delivers later); the running tasks still deliver to their callbacks."""
        self._closed = True
        self._when_idle.clear()

    def hold_idle(self) -> Callable[[], None]:
        """Keep the ``when_idle`` callbacks waiting (also when no task runs) until the returned function is
        called; calling it again does nothing. E.g. a result's rows must be painted before the reads that wait."""
        self._holds += 1
        held = [True]

        def release() -> None:
            if held:
                held.clear()
                self._holds -= 1
                self._run_when_idle()

        return release

    def _run_when_idle(self) -> None:
        while self._when_idle and not self._running and not self._holds:
            try:
                self._when_idle.pop(0)()
            except RuntimeError as exc:  # "Internal C++ object already deleted": the owner went away
                if "already deleted" not in str(exc):
                    raise

    def wait(self, msecs: int = 10_000) -> bool:
        """Tests and closing: wait for the running tasks (their results are delivered by the event loop)."""
        done = self.pool.waitForDone(msecs)
        QCoreApplication.processEvents()
        return done

    def running(self) -> int:
        return len(self._running)

    def run_modal(self, parent, text: str, work: Callable[[Progress], R], *, cancellable: bool = False,
                  title: str = "", counted: str | None = None) -> R:
        """Run ``work`` in the background behind a window-modal progress dialog and return its result.

        The window keeps painting (a nested event loop that wakes on the task's signals, no polling).
        ``counted``: the bar's text as a QProgressBar format, e.g. «%v из %m» (default: per cent).
        Re-raises the work's exception; Cancelled when the user pressed «Отмена» and the work stopped (a work
        that stops by itself between safe steps may also just return what it did)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QProgressBar, QProgressDialog

        from app.i18n import _
        from ui.qtutil import program_title  # the one title of the program's boxes

        dialog = QProgressDialog(text, _("Cancel") if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle(title or program_title())
        dialog.setObjectName("taskProgress")
        if counted:
            bar = QProgressBar(dialog)
            bar.setFormat(counted)
            dialog.setBar(bar)
            dialog.setRange(0, 0)  # busy until the work says how much there is
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setValue(0)  # starts the 0.4 s count: without a value Qt shows the dialog only after its default 4 s
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        outcome: dict[str, Any] = {}
        loop = QEventLoop()

        def done(result) -> None:
            outcome["value"] = result
            loop.quit()

        def failed(exc: BaseException) -> None:
            outcome["error"] = exc
            loop.quit()

        def progressed(value: int, total: int) -> None:
            if total > 0:
                dialog.setMaximum(total)
                dialog.setValue(min(value, total))

        task = self.start(work, done, failed, progressed)
        if cancellable:

            def cancel() -> None:
                task.cancel()
                dialog.setLabelText(_("Cancelling…"))

            dialog.canceled.connect(cancel)
        loop.exec()  # the task's signals are queued to this thread: they arrive inside the loop
        dialog.reset()
        dialog.deleteLater()
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")  # type: ignore[return-value]


_manager: TaskManager | None = None


def task_manager() -> TaskManager:
    """The application's task manager (created on first use, owned by the QApplication)."""
    global _manager
    if _manager is None or not _alive(_manager):
        _manager = TaskManager(QCoreApplication.instance())
    return _manager


def _alive(obj: QObject) -> bool:
    try:
        obj.objectName()
    except RuntimeError:
        return False
    return True
