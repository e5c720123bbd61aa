"""The main window's loading state: the database opens and the first rows are read in a worker thread.

A lazy start (``ui.app.start_main_window``) paints the window frame — menus, toolbar, an empty client
list saying «Загрузка…» and a progress bar in the status bar — before SQLAlchemy is even imported;
this module must stay light (Qt and the standard library only at import time)."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _

if TYPE_CHECKING:
    from app.persistence.stamps import ListBasis

log = logging.getLogger(__name__)

STEP_OPEN, STEP_ROWS, STEP_VIEWS, STEPS = range(4)


def step_text(step: int) -> str:
    if step == STEP_OPEN:
        return _("Opening the database…")
    if step == STEP_ROWS:
        return _("Reading the clients…")
    return _("Building the views…")


@dataclass
class InitialData:
    """What the work area needs first, read off the UI thread in one constant-size set of queries."""

    rows: list | None = field(default_factory=list)  # None: the first screen's rows stand (nothing changed)
    stalled_days: int = 0
    stages: list = field(default_factory=list)
    backup_due: bool = False
    notices: list = field(default_factory=list)  # sentences said once after opening (a copied file)
    in_name_order: bool = False  # ``rows`` arranged in the list's name order (ClientTableModel.set_rows)
    basis: ListBasis | None = None  # the stamps ``rows`` were read with (app.persistence.stamps; None: none)


def read_initial_data(db, arrange: Callable[[list], list] | None = None,
                      unchanged: Callable[[str], bool] | None = None) -> InitialData:
    """What the work area needs first. ``arrange`` (in the worker too): put the rows in the list's order
    beforehand (ui.models.names.presorted), so that the UI thread's sort of them is linear. ``unchanged(url)``
    (app.persistence.first_rows.SnapshotWatch.unchanged): True when the first screen's rows are still the
    file's — then they are not read a second time (``rows`` None): at 50 000 clients a second full set of rows
    beside the first was ~70 MB of the window's peak memory and ~1 s of a worker's CPU."""
    from app.exchange import workspace
    from app.services import board
    from app.services.list_read import read_list

    notes = workspace.last_startup
    rows: list | None = None
    basis = None
    if unchanged is None or not unchanged(db.url):
        read = read_list(db)
        rows, basis = read.rows, read.basis
        if arrange is not None:
            rows = arrange(rows)
    return InitialData(rows=rows, stalled_days=board.stalled_days(db),
                       stages=board.stages(db), backup_due=notes.backup_due and notes.url == db.url,
                       notices=list(getattr(db, "notices", [])), in_name_order=arrange is not None, basis=basis)


WAITING = object()  # the first rows are still being read


class Once:
    """``fn()`` on the first call only (two triggers, one action: a paint or a timer, whichever comes first)."""

    def __init__(self, fn: Callable[[], None]) -> None:
        self._fn: Callable[[], None] | None = fn

    def __call__(self) -> None:
        fn, self._fn = self._fn, None
        if fn is not None:
            fn()


class FirstPaint(QObject):
    """Calls ``then`` (from the event loop) once ``widget`` has been painted for the first time."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self, self._then)
            self._then = None
        return False


class AfterPaint(QObject):
    """Calls ``then`` (from the event loop) once the rows just handed to ``views`` are on screen: every visible view
    whose model changed between ``AfterPaint(...)`` and ``armed()`` painted after that change. Work that can wait
    (decorations read in a worker) starts then, instead of taking the interpreter lock from the layout and paint
    the user waits for. A view whose model did not change, or that is hidden, is not waited for; when none is
    due, ``then`` runs at the next turn of the event loop. At the latest after ``fallback_ms`` (a window that is
    never painted, e.g. minimized); ``run_now()`` calls it at once (tests, closing). ``then`` runs once."""

    SIGNALS = ("modelReset", "rowsInserted", "rowsRemoved", "layoutChanged", "dataChanged")

    def __init__(self, parent: QObject, views: list, then: Callable[[], None], fallback_ms: int = 500) -> None:
        super().__init__(parent)
        self._then: Callable[[], None] | None = then
        self._views = {view.viewport(): view for view in views}
        self._due: set = set()
        self._armed = False
        self._connections: list[tuple[Any, Any]] = []
        for viewport, view in self._views.items():
            viewport.installEventFilter(self)
            for name in self.SIGNALS:
                signal = getattr(view.model(), name)
                slot = partial(self._changed, viewport)
                signal.connect(slot)
                self._connections.append((signal, slot))
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.setInterval(fallback_ms)
        self._fallback.timeout.connect(self.run_now)

    @property
    def pending(self) -> bool:
        return self._then is not None

    def _changed(self, viewport, *_args) -> None:
        if self._views[viewport].isVisible():
            self._due.add(viewport)

    def armed(self) -> None:
        """The rows are in: from now on, wait for the due views' paint (model changes still count)."""
        self._armed = True
        self._fallback.start()
        self._check()

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint and obj in self._due:
            self._due.discard(obj)
            self._check()
        return False

    def _check(self) -> None:
        if self._armed and not self._due and self._then is not None:
            QTimer.singleShot(0, self, self.run_now)  # after the rest of this paint pass

    def run_now(self) -> None:
        """Call ``then`` now if it has not run yet, and stop watching."""
        then = self.cancel()
        if then is not None:
            then()

    def cancel(self) -> Callable[[], None] | None:
        """Stop watching without calling ``then`` (the owner closes); returns ``then`` when it had not run yet."""
        then, self._then = self._then, None
        if then is None:
            return None
        self._fallback.stop()
        for viewport in self._views:
            viewport.removeEventFilter(self)
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # the model went away meanwhile
                pass
        self._connections.clear()
        return then


def load_in_background(tasks, opener: Callable[[], object], on_step: Callable[[int, int], None],
                       on_loaded: Callable[[tuple], None], on_failed: Callable[[tuple], None],
                       arrange: Callable[[list], list] | None = None,
                       unchanged: Callable[[str], bool] | None = None):
    """Run ``opener()`` (imports SQLAlchemy, opens and migrates the database) and read the first rows as a
    task of ``tasks`` (ui.tasks.TaskManager). ``on_loaded((db, data))``; ``on_failed((message, status))``:
    status 2 for a refused database (UserError; a third item, True, when a backup is the way out:
    ``UserError.restorable``), 1 for a bug. The database is disposed of when nobody
    is left to take it. ``arrange``, ``unchanged``: see read_initial_data."""

    def work(progress) -> tuple:
        db: Any = opener()
        progress.set(STEP_ROWS, STEPS)
        try:
            return db, read_initial_data(db, arrange, unchanged)
        except Exception as exc:
            # a value another program wrote (a blob where a name belongs) failing far from its reader: the refusal
            # naming it, looked for here in the worker (Database.unexpected_refusal never raises)
            refuse = getattr(db, "unexpected_refusal", None)
            refusal = refuse(exc) if refuse is not None else None
            db.dispose()
            if refusal is not None:
                raise refusal from exc
            raise
        except BaseException:
            db.dispose()
            raise

    def loaded(result: tuple) -> None:
        try:
            on_loaded(result)
        except RuntimeError:  # the window was deleted while we worked
            result[0].dispose()
            raise

    def failed(exc: BaseException) -> None:
        if isinstance(exc, UserError):
            on_failed((exc.full_text(), 2, exc.restorable))
            return
        log.error("opening the workspace failed: %s", "".join(traceback.format_exception(exc)))
        on_failed((_("Internal error: {error}").format(error=f"{type(exc).__name__}: {exc}"), 1))

    return tasks.start(work, loaded, failed, on_step)


# Before the first paint, nothing here may touch the Qt namespace (Qt.AlignmentFlag …): PySide builds its
# ~100 Python enums on first use (~50 ms). Hence stretches instead of setAlignment, and QLayout.addWidget
# (no alignment argument, unlike QBoxLayout.addWidget whose default value is a Qt.AlignmentFlag).
_add = QLayout.addWidget


def _centred(label: QLabel, parent: QWidget) -> QWidget:
    box = QWidget(parent)
    row = QHBoxLayout()
    row.addStretch(1)
    _add(row, label)
    row.addStretch(1)
    column = QVBoxLayout(box)
    column.addStretch(1)
    column.addLayout(row)
    column.addStretch(2)
    return box


class LoadingPage(QSplitter):
    """Stands where the client list and the work area will be: an empty, disabled list saying «Загрузка…»."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)  # horizontal; QSplitter(parent) would resolve the Qt.Orientation overload
        self.setObjectName("loadingPage")
        left = QWidget(self)
        layout = QVBoxLayout(left)
        layout.setContentsMargins(4, 4, 4, 4)
        search = QLineEdit(left)
        search.setPlaceholderText(_("Search: name, INN, contact, phone (Ctrl+F)"))
        search.setEnabled(False)
        _add(layout, search)
        frame = QFrame(left)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame_layout = QVBoxLayout(frame)
        self.list_message = QLabel(_("Loading clients…"), frame)
        self.list_message.setObjectName("loadingMessage")
        self.list_message.setEnabled(False)
        _add(frame_layout, _centred(self.list_message, frame))
        _add(layout, frame)
        layout.setStretch(1, 1)
        self.work_message = QLabel(step_text(STEP_OPEN))
        self.work_message.setEnabled(False)
        self.addWidget(left)
        self.addWidget(_centred(self.work_message, self))
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setChildrenCollapsible(False)
        left.setMinimumWidth(320)

    def show_step(self, step: int) -> None:
        self.work_message.setText(step_text(step))


class LoadingProgress(QProgressBar):
    """The status bar's progress: open the database, read the clients, build the views."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loadingProgress")
        self.setRange(0, STEPS)
        self.setValue(STEP_OPEN)
        self.setMaximumWidth(180)
        self.setTextVisible(False)
