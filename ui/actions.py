"""The main window's actions in one table (Picard's ui/mainwindow/actions.py + MainAction enum).

Each action is one row: text, shortcuts, icon, tip, and the window method it triggers. The window only
collects them (``create_actions``) and places them in menus and the toolbar by ``MainAction``. Light module:
it runs before the first paint of a lazy start."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

from app.i18n import N_, _

if TYPE_CHECKING:
    from ui.main_window import MainWindow


TAB_BOARD, TAB_CARD, TAB_CHECKLIST, TAB_LESSONS, TAB_COST, TAB_WORKLOG = range(6)
# the work area's tabs; the View menu is built from these before the tabs exist (a lazy start)
TAB_TITLES = (N_("Stage board"), N_("Card"), N_("Stage checklist"), N_("Lessons"), N_("Cost"), N_("Work log"))


class MainAction(Enum):
    NEW_CLIENT = "new"
    FIND = "find"
    IMPORT_CLIENTS = "import_clients"
    BACKUP = "backup"
    RESTORE = "restore"
    EXPORT = "export"
    IMPORT_BUNDLE = "import_bundle"
    DEMO = "demo"
    SETTINGS = "settings"
    QUIT = "quit"
    UNDO = "undo"
    REDO = "redo"
    PREVIOUS_STAGE = "prev"
    NEXT_STAGE = "next"
    SAVE_CARD = "save"
    DELETE_CLIENT = "delete"
    ERASE_PERSONAL = "erase"
    SIGNOFF = "signoff"
    ESTIMATE_DOC = "estimate_doc"
    PROGRESS_DOC = "progress_doc"
    ACT_DOC = "act_doc"
    MONTH_ACTS = "month_acts"
    REGISTER = "register"
    EXECUTOR = "executor"
    ABOUT = "about"
    SYNC_NOW = "sync_now"
    SYNC_CONFLICTS = "sync_conflicts"


SP = QStyle.StandardPixmap


@dataclass(frozen=True)
class ActionSpec:
    """One row of the table. ``trigger`` calls the window; ``needs_client``: greyed without a current client;
    ``needs_signable``: greyed while the current client has no completed stage to sign off (stages 0 and 1)."""

    text: str
    trigger: Callable[[MainWindow], object]
    shortcuts: tuple[str, ...] = ()
    icon: tuple[str, QStyle.StandardPixmap] | None = None
    tip: str = ""
    needs_client: bool = False
    needs_signable: bool = False


ACTIONS: dict[MainAction, ActionSpec] = {
    MainAction.NEW_CLIENT: ActionSpec(N_("New client…"), lambda w: w.new_client(), ("Ctrl+N",),
                                      ("document-new", SP.SP_FileIcon), N_("Add a client")),
    MainAction.FIND: ActionSpec(N_("Find client"), lambda w: w.focus_search(), ("Ctrl+F",),
                                ("edit-find", SP.SP_FileDialogContentsView),
                                N_("Search by name, INN, contact or phone")),
    MainAction.IMPORT_CLIENTS: ActionSpec(N_("Import clients from CSV…"), lambda w: w.import_clients_csv()),
    MainAction.BACKUP: ActionSpec(N_("Back up now"), lambda w: w.backup_now(), ("Ctrl+Shift+B",),
                                  ("document-save", SP.SP_DialogSaveButton), N_("Make a backup copy of the database")),
    MainAction.RESTORE: ActionSpec(N_("Restore from backup…"), lambda w: w.restore_backup()),
    MainAction.EXPORT: ActionSpec(N_("Export clients…"), lambda w: w.export_bundle()),
    MainAction.IMPORT_BUNDLE: ActionSpec(N_("Import bundle…"), lambda w: w.import_bundle()),
    MainAction.DEMO: ActionSpec(N_("Open the demo"), lambda w: w.create_demo()),
    MainAction.SETTINGS: ActionSpec(N_("Settings…"), lambda w: w.open_settings(), ("Ctrl+,",),
                                    ("preferences-system", SP.SP_FileDialogDetailedView)),
    MainAction.QUIT: ActionSpec(N_("Quit"), lambda w: w.close(), ("Ctrl+Q",)),
    MainAction.PREVIOUS_STAGE: ActionSpec(N_("Previous stage"), lambda w: w.move_current(-1), ("Ctrl+Left",),
                                          ("go-previous", SP.SP_MediaSeekBackward),
                                          N_("Move the selected client one stage back"), needs_client=True),
    MainAction.NEXT_STAGE: ActionSpec(N_("Next stage"), lambda w: w.move_current(+1), ("Ctrl+Right",),
                                      ("go-next", SP.SP_MediaSeekForward),
                                      N_("Move the selected client to the next stage"), needs_client=True),
    MainAction.SAVE_CARD: ActionSpec(N_("Save card"), lambda w: w.save_card(), ("Ctrl+S",)),
    MainAction.DELETE_CLIENT: ActionSpec(N_("Delete client…"), lambda w: w.delete_client(), needs_client=True),
    MainAction.ERASE_PERSONAL: ActionSpec(N_("Erase personal data…"), lambda w: w.erase_personal_data(),
                                          needs_client=True),
    MainAction.SIGNOFF: ActionSpec(N_("Sign-off sheet…"), lambda w: w.print_signoff(), ("Ctrl+P",),
                                   ("document-print", SP.SP_FileDialogInfoView),
                                   N_("Preview and print the stage sign-off sheet"), needs_client=True,
                                   needs_signable=True),
    MainAction.ESTIMATE_DOC: ActionSpec(N_("Cost estimate…"), lambda w: w.print_estimate(), needs_client=True),
    MainAction.PROGRESS_DOC: ActionSpec(N_("Progress report…"), lambda w: w.print_progress(), needs_client=True),
    MainAction.ACT_DOC: ActionSpec(N_("Act of services…"), lambda w: w.print_act(), needs_client=True),
    MainAction.MONTH_ACTS: ActionSpec(N_("Acts of a month for all clients…"), lambda w: w.month_acts(),
                                      tip=N_("Issue the month's acts for every client with billable work")),
    MainAction.REGISTER: ActionSpec(N_("Documents register…"), lambda w: w.documents_register()),
    MainAction.EXECUTOR: ActionSpec(N_("Executor details…"), lambda w: w.executor_settings()),
    MainAction.ABOUT: ActionSpec(N_("About"), lambda w: w.about()),
    MainAction.SYNC_NOW: ActionSpec(N_("Synchronise now"), lambda w: w.sync_now(), ("F5",),
                                    tip=N_("Send this laptop's changes to the team server and fetch the others'")),
    MainAction.SYNC_CONFLICTS: ActionSpec(N_("Sync conflicts…"), lambda w: w.show_sync_conflicts()),
}

# where the actions go; None is a separator
MENUS: tuple[tuple[str, tuple[MainAction | None, ...]], ...] = (
    (N_("&File"), (MainAction.NEW_CLIENT, MainAction.IMPORT_CLIENTS, None, MainAction.BACKUP, MainAction.RESTORE,
                   None, MainAction.EXPORT, MainAction.IMPORT_BUNDLE, None, MainAction.SYNC_NOW,
                   MainAction.SYNC_CONFLICTS, None, MainAction.DEMO, None,
                   MainAction.SETTINGS, None, MainAction.QUIT)),
    (N_("&Edit"), (MainAction.UNDO, MainAction.REDO, None, MainAction.FIND)),
    (N_("&Client"), (MainAction.PREVIOUS_STAGE, MainAction.NEXT_STAGE, None, MainAction.SAVE_CARD, None,
                     MainAction.ERASE_PERSONAL, MainAction.DELETE_CLIENT)),
    (N_("&Documents"), (MainAction.SIGNOFF, MainAction.ACT_DOC, MainAction.ESTIMATE_DOC, MainAction.PROGRESS_DOC,
                        None, MainAction.MONTH_ACTS, None, MainAction.REGISTER, None, MainAction.EXECUTOR)),
)
TOOLBAR: tuple[MainAction | None, ...] = (
    MainAction.NEW_CLIENT, MainAction.FIND, None, MainAction.UNDO, MainAction.REDO, None,
    MainAction.PREVIOUS_STAGE, MainAction.NEXT_STAGE, None, MainAction.SIGNOFF, MainAction.BACKUP)


def icon(widget: QWidget, theme: str, fallback: QStyle.StandardPixmap) -> QIcon:
    return QIcon.fromTheme(theme, widget.style().standardIcon(fallback))


def make_action(window: QWidget, text: str, slot: Callable[[], object], shortcuts: tuple[str, ...] = (),
                action_icon: QIcon | None = None, tip: str = "") -> QAction:
    """A QAction on ``window`` with its shortcuts named in the tool tip («Найти (Ctrl+F)»)."""
    action = QAction(text, window)
    if shortcuts:
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
    if action_icon is not None:
        action.setIcon(action_icon)
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    plain = tip or text.replace("…", "")
    action.setToolTip(f"{plain} ({keys})" if keys else plain)
    action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


def create_actions(window: MainWindow) -> dict[MainAction, QAction]:
    """Every action of the table, plus Undo/Redo made from the window's one QUndoStack."""
    actions: dict[MainAction, QAction] = {}
    for key, spec in ACTIONS.items():
        action_icon = icon(window, *spec.icon) if spec.icon else None
        actions[key] = make_action(window, _(spec.text), partial(spec.trigger, window), spec.shortcuts,
                                   action_icon, _(spec.tip) if spec.tip else "")
    from ui.undo import history_action

    stack = window.ops.undo_stack
    undo = history_action(stack, window)
    undo.setShortcuts([QKeySequence("Ctrl+Z")])
    undo.setIcon(icon(window, "edit-undo", SP.SP_ArrowBack))
    redo = history_action(stack, window, redo=True)
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    redo.setIcon(icon(window, "edit-redo", SP.SP_ArrowForward))
    for action in (undo, redo):
        window.addAction(action)
    actions[MainAction.UNDO] = undo
    actions[MainAction.REDO] = redo
    return actions
