"""The one operations runner: every user action in the window goes through ``Ops.run``.

In the spirit of Anki's ``CollectionOp`` (qt/aqt/operations/__init__.py): call the service, show a refused
action (UserError) one way, push the undo step when there is one, clear the history when the database was
replaced, and announce the resulting ``Changes`` with the initiator. Views listen to ``changed`` through
their ``on_changes(changes, initiator)`` and never reload inside their own action methods."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QMessageBox, QSizePolicy, QSpacerItem, QWidget

from app.errors import UserError
from app.services.changes import Changes, requires_undo_clear
from ui.qtutil import available_size, program_title
from ui.undo import ServiceCommand, UndoStack, UndoStep

R = TypeVar("R")
_EXPLAINED, _UNASKED = "_vnedrenie_explained", object()  # Ops.explain's answer kept on the failure it explained


def changes_of(result: Any) -> Changes | None:
    """The Changes a service returned: the value itself, the last item of a tuple, or an attribute."""
    if isinstance(result, Changes):
        return result
    if isinstance(result, tuple) and result and isinstance(result[-1], Changes):
        return result[-1]
    value = getattr(result, "changes", None)
    return value if isinstance(value, Changes) else None


OUTCOME_WIDTH = 720  # px: an outcome box naming what it left undone (the month's skipped clients)
SHOWN_DETAILS = 14  # a refusal naming values has up to ten, «… и ещё N», then what happened (damaged.named)


BOX_RESERVE = 380  # px of a screen a bounded box's lines leave: its centring, title bar, message, buttons, «Details»


def shortened(lines: list[str], limit: int = SHOWN_DETAILS) -> list[str]:
    """What a box shows of ``lines``: all of them up to ``limit``; past it the first ``limit - 2``, «…» and the last
    (a refusal closes with what happened or what to do: a restore's «Ничего не восстановлено…» came 12th, and 23rd
    with broken references and damaged values both)."""
    if len(lines) <= limit:
        return list(lines)
    return [*lines[:max(limit - 2, 1)], "…", lines[-1]]


def widen(box: QMessageBox, width: int) -> None:
    """Make ``box`` at least ``width`` px wide (Qt wraps its text at 400–500 px), never past its screen."""
    grid = box.layout()
    if isinstance(grid, QGridLayout):
        width = min(width, available_size(box).width() - 80)
        grid.addItem(QSpacerItem(width, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding),
                     grid.rowCount(), 0, 1, grid.columnCount())


def bound_details(box: QMessageBox, details: list[str], after: str = "") -> None:
    """The informative text of a box built from a text that may be long (a refusal's details, a list of names):
    ``details`` shortened as the refusal box shows them (``shortened``: SHOWN_DETAILS lines; fewer when long lines
    would take the box, its «Details» opened, past the screen's height), then ``after`` (the question's own words),
    and every line under «Details» only when some are left out; the box widened to a line a detail. A question built
    from a CSV's 5 000 refused rows was 140 000 px high, its buttons off the screen (tester T)."""
    width = min(OUTCOME_WIDTH, available_size(box).width() - 80) if details else 0
    room = available_size(box).height() - BOX_RESERVE
    limit = SHOWN_DETAILS
    while True:
        shown = shortened(details, limit)
        text = "\n\n".join(part for part in ("\n".join(shown), after) if part)
        if limit <= 3 or _text_height(box, text, width) <= room:
            break
        limit -= 1
    box.setInformativeText(text)
    if shown != details:
        box.setDetailedText("\n".join(details))  # only what the box leaves out adds to it (tester M #4)
    if width:
        widen(box, width)  # last: setting a text lays the box out anew, without the spacer


def _text_height(box: QMessageBox, text: str, width: int) -> int:
    """The height ``text`` takes in the box's font wrapped as in a box ``width`` px wide (less the icon's column;
    Qt wraps a box's text at 400 px at least)."""
    from PySide6.QtCore import QRect

    wrap = QRect(0, 0, max(width - 100, 400), 0)
    return box.fontMetrics().boundingRect(wrap, Qt.TextFlag.TextWordWrap, text).height()


def show_user_error(parent: QWidget | None, exc: UserError) -> None:
    """The one way a refused action is shown in a box: the message, up to SHOWN_DETAILS details. Past the limit the
    last detail is still shown after «…» (``shortened``), and all of them are in «Details». Within the limit there is
    no «Details» button: it only repeated the box (tester M #4, an undo refused for now showed «Шаг остаётся в
    истории…» twice)."""
    box = QMessageBox(QMessageBox.Icon.Warning, program_title(), exc.message, QMessageBox.StandardButton.Ok, parent)
    if exc.details:
        shown = shortened(exc.details)
        if shown != exc.details:
            box.setDetailedText("\n".join(exc.details))  # only what the box leaves out adds to it
        box.setInformativeText("\n".join(shown))
    box.exec()
    box.deleteLater()


def show_outcome(parent: QWidget | None, title: str, text: str, details: str = "", *, left_undone: bool = False,
                 name: str = "") -> None:
    """The one way the outcome of a batch is shown (the month's acts: issued, skipped): an information box, or a
    warning when ``left_undone`` (work the batch refused to do, each refusal in ``details``, the box's «Details»).
    ``name``: the box's objectName, for tests to find it."""
    icon = QMessageBox.Icon.Warning if left_undone else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # names and stored values as they are, never read as markup
    if name:
        box.setObjectName(name)
    if details:
        box.setDetailedText(details)
    if left_undone:  # the refusals named in the text: wide enough that each reads in a few lines (400 px: 7–8)
        widen(box, OUTCOME_WIDTH)
    box.exec()
    box.deleteLater()


def show_internal_error(parent: QWidget | None, exc: BaseException) -> None:
    """The one way a fault (not a refusal) is shown: «Внутренняя ошибка: …»; the window stays open."""
    from app.i18n import _

    QMessageBox.critical(parent, program_title(), _("Internal error: {error}").format(error=f"{type(exc).__name__}: {exc}"))


class Ops(QObject):
    """Runner of one window's actions on one database; owns the window's single QUndoStack.

    ``changed(changes, initiator)``: after every successful action, undo and redo. ``error_handler``:
    how a refused action is shown when the caller gives no ``on_error`` (a message box by default)."""

    changed = Signal(object, object)  # Changes, the initiating view (or None)

    def __init__(self, db, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.undo_stack = UndoStack(self)
        self.error_handler: Callable[[UserError], None] = self._box

    def _box(self, exc: UserError) -> None:
        parent = self.parent()
        show_user_error(parent if isinstance(parent, QWidget) else None, exc)

    def report_error(self, exc: UserError) -> None:
        self.error_handler(exc)

    def explain(self, exc: BaseException) -> UserError | None:
        """An unexpected failure that a value of the database explains (a stage or an approach the program does not
        know, a date another program wrote): the refusal naming those values (the database's
        ``unexpected_refusal``), else None — it stays a fault. The look reads every typed column of the file
        (~2 s at 5 000 clients): it runs in a worker behind a window-modal progress dialog (shown after 0.4 s), the
        window painting meanwhile; its answer is kept on the failure, so asking again of it reads nothing."""
        refuse = getattr(self.db, "unexpected_refusal", None)  # app.persistence.db.Database's (never raises)
        if refuse is None:
            return None
        kept = getattr(exc, _EXPLAINED, _UNASKED)  # asked already (run() re-raised it to the window's last word)
        if kept is None or isinstance(kept, UserError):
            return kept
        from app.i18n import _
        from ui.tasks import task_manager

        parent = self.parent()
        try:
            answer = task_manager().run_modal(parent if isinstance(parent, QWidget) else None,
                                              _("Looking for values the program cannot read in the database…"),
                                              lambda _progress: refuse(exc))
        except Exception:  # the look failed: the failure is the one to say
            answer = None
        try:
            setattr(exc, _EXPLAINED, answer)
        except (AttributeError, TypeError):  # a failure type without instance attributes: asked again next time
            pass
        return answer

    def run(self, action: Callable[[], R], *, initiator: object = None,
            undo: Callable[[R], UndoStep | None] | UndoStep | None = None,
            on_error: Callable[[UserError], None] | None = None) -> R | None:
        """Call ``action`` (a service call returning Changes, or a tuple ending with Changes, or an object
        with ``.changes``); on success push ``undo`` (a step, or a function of the result giving one) and
        announce the changes. Returns the result, or None when the action was refused (UserError shown
        through ``on_error`` or the window's error handler)."""
        try:
            result = action()
        except UserError as exc:
            (on_error or self.report_error)(exc)
            return None
        except Exception as exc:  # the team server's «no» (a member's rights, too long a text): a refusal
            from app.team.pg_refusals import server_refusal

            refusal = server_refusal(exc) or self.explain(exc)
            if refusal is None:
                raise
            (on_error or self.report_error)(refusal)
            return None
        step = undo(result) if callable(undo) else undo
        if step is not None:
            self.undo_stack.push(ServiceCommand(self, step))
        self.announce(changes_of(result), initiator)
        return result

    def announce(self, changes: Changes | None, initiator: object = None) -> None:
        """Tell the views what changed (also for changes made by a dialog or found by the watcher)."""
        if changes is None:
            return
        if requires_undo_clear(changes):
            self.undo_stack.clear()  # the commands describe a database that was replaced
        self.changed.emit(changes, initiator)
