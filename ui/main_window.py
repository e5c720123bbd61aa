"""The main window: frame, menus, toolbar, status bar; the lazy start is its base (ui.views.lazy_start), the work is done elsewhere.

The actions come from ``ui.actions`` (one table), every write runs through ``ui.ops.Ops`` (one undo
history), the views live in ``ui.work_area.WorkArea`` and stage moves / ticks in
``ui.controllers.stages.StageController``. This module stays light: a lazy start paints the frame before
SQLAlchemy or the views are imported (tests/ui/test_startup.py checks it)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QMessageBox,
    QToolBar,
)

from app import gcpause
from app.domain.quotes import in_quotes
from app.domain.stages import Stage
from app.errors import UserError
from app.i18n import _, format_number
from app.services.changes import Changes
from ui import loading
from ui.actions import (
    ACTIONS,
    MENUS,
    TAB_BOARD,
    TAB_CARD,
    TAB_TITLES,
    TAB_WORKLOG,
    TOOLBAR,
    MainAction,
    create_actions,
    make_action,
)
from ui.ops import Ops, show_user_error
from ui.qtutil import available_size, program_title
from ui.tasks import TaskManager
from ui.views.lazy_start import LazyStart
from ui.views.status_bar import CountLabel, StatusBar

if TYPE_CHECKING:
    from app.services.first_screen import EarlyRead
    from ui.controllers.stages import StageController
    from ui.controllers.sync import SyncController
    from ui.controllers.team import MyClientsFilter
    from ui.controllers.watch import ExternalChanges
    from ui.dialogs.stages.move_guard import MoveDecision
    from ui.views.week import WeekViews
    from ui.work_area import WorkArea

log = logging.getLogger(__name__)
DOCK_HEIGHT = 240  # the week's docks under the board at 1366×768: the agenda shows six rows
WORK_AREA_FIRST = 410  # px of the screen's height the work area, menus and toolbar keep before the docks get more


def dock_height(available: int) -> int:
    """The week's docks' first height on a screen ``available`` px high: what is left once the work area above has
    WORK_AREA_FIRST px, within 150..DOCK_HEIGHT — 240 at 1366×768, 166 at 1280×720 and 125 % (576 px), where
    the work area above kept almost nothing (tester O)."""
    return max(150, min(DOCK_HEIGHT, available - WORK_AREA_FIRST))


AGENDA_HEADER_KEY = "agenda/header"  # the agenda's column widths
IMPORT_CHANGES_SHOWN = 8  # lines of an update import's changes in its box; all of them (up to 200 clients) in «Details»
__all__ = ["TAB_BOARD", "TAB_CARD", "TAB_TITLES", "TAB_WORKLOG", "MainWindow", "open_window"]


class MainWindow(LazyStart):
    closed = Signal()
    _notify_reminders = True  # start-up reminders in the status bar (and the tray where there is one)  # the window accepted its close (the demo window returns to the real one)

    def __init__(self, db, settings: QSettings | None = None, *,
                 today: Callable[[], date] = date.today, opener: Callable[[], object] | None = None,
                 first_rows: Callable[[], object] | None = None) -> None:
        """``db``: an open Database, and the whole window is built now. ``db=None`` and ``opener`` (returns
        an open Database; runs in a worker thread): only the frame is built now — menus, toolbar, status
        bar, a list saying «Загрузка…» — and the work area once the database and the first rows arrive,
        after the first paint (``rows_loaded``; ``wait_for_rows`` in tests). ``first_rows`` (a worker thread
        too; returns app.persistence.first_rows.FirstRows or None): read before ``opener`` runs, the rows
        fill the list and the board at once, and the rest of the work area follows with the database."""
        super().__init__()
        self.setStatusBar(StatusBar(self))  # a long message shortened before the count, whole in the tooltip
        self.db = db
        if settings is None:
            from ui.settings import settings as app_settings

            settings = app_settings()
        self.settings = settings
        self.setObjectName("mainWindow")
        self.setWindowTitle(program_title())
        self._today = today
        self._loaded = False
        self._closing = False
        self._thawed = False  # closed: gc.unfreeze done, nothing of this window is frozen again
        self._opener = opener
        self._first_rows = first_rows
        self._loader: object = None
        self.work_area: WorkArea | None = None  # set once the database is attached
        self._first_area: WorkArea | None = None  # a lazy start's list and board, before the database
        self._first_order: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)  # its rows' (_arranged)
        self._spare_area: WorkArea | None = None  # built unseen while the first rows are read
        self.stages: StageController | None = None
        self.watcher: ExternalChanges | None = None
        self.week: WeekViews | None = None
        self.sync: SyncController | None = None
        self.my_clients: MyClientsFilter | None = None
        self.db_message = ""
        self.loading_page: loading.LoadingPage | None = None
        self.tasks = TaskManager(self, threads=1)
        self.ops = Ops(db, self)
        self.ops.error_handler = lambda exc: self.show_error(exc)
        self.undo_stack = self.ops.undo_stack
        from ui.dialogs import keyboard

        keyboard.install()  # Tab leaves every table and multi-line box of the window and its dialogs
        self.actions_by_key = create_actions(self)
        self._name_actions()
        self._build_toolbar()
        self._build_menus()
        self.count_label = CountLabel(self)
        self.count_label.setObjectName("clientCount")
        self.statusBar().addPermanentWidget(self.count_label)
        if db is None:
            self._build_loading_frame()
            return
        self._build_work_area(db, None)
        self._restore_geometry()
        assert self.work_area is not None
        self.work_area.restore_state()
        self.work_area.restore_choice()
        self._loaded = True

    # ================================================================ building

    def _name_actions(self) -> None:
        """``act_<name>`` attributes for the actions (tests and the screenshot script use them)."""
        for key, action in self.actions_by_key.items():
            setattr(self, f"act_{key.value}", action)

    def action(self, key: MainAction) -> QAction:
        return self.actions_by_key[key]

    def _build_toolbar(self) -> None:
        # Qt's enums by number through properties: the first use of the ``Qt`` namespace creates ~90 Python
        # enum classes (~15 ms), which the frame need not pay before its first paint
        self.toolbar = QToolBar(_("Main toolbar"), self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setProperty("toolButtonStyle", 2)  # Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        for key in TOOLBAR:
            if key is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(self.actions_by_key[key])
        for key in (MainAction.UNDO, MainAction.REDO):  # «Отменить: …» grows: icon only, the text in the tip
            button = self.toolbar.widgetForAction(self.actions_by_key[key])
            if button is not None:
                button.setProperty("toolButtonStyle", 0)  # Qt.ToolButtonStyle.ToolButtonIconOnly
        self.addToolBar(self.toolbar)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for title, keys in MENUS:
            menu = bar.addMenu(_(title))
            for key in keys:
                menu.addSeparator() if key is None else menu.addAction(self.actions_by_key[key])
        view_menu = bar.addMenu(_("&View"))
        self.tab_actions: list[QAction] = []
        for index, title in enumerate(TAB_TITLES):
            action = make_action(self, _(title), partial(self.show_tab, index), (f"Ctrl+{index + 1}",))
            view_menu.addAction(action)
            self.tab_actions.append(action)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.setObjectName("helpMenu")  # the last menu: ui.views.week puts «Неделя» before it
        help_menu.addAction(self.actions_by_key[MainAction.ABOUT])
        from ui.dialogs.keyboard import keep_bar_mnemonics

        keep_bar_mnemonics(bar)  # an Alt-letter on every item, unique in its menu (tester K, 2026-12-05)

    def show_tab(self, index: int) -> None:
        if self.work_area is not None:
            self.work_area.tabs.setCurrentIndex(index)

    def _new_work_area(self) -> WorkArea:
        """The work area's list and board (ui.work_area: its first step), as the central widget."""
        area, self._spare_area = self._spare_area or self._make_work_area(), None
        self.setCentralWidget(area)
        area.show()
        area.counts_changed.connect(self.count_label.show_counts)
        return area

    def _make_work_area(self) -> WorkArea:
        from ui.work_area import WorkArea

        return WorkArea(None, self.ops, self.tasks, self.settings, self, today=self._today)

    def _build_work_area(self, db, data: loading.InitialData | None) -> None:
        """The views, the stage controller and the database's name in the title and status bar."""
        from ui.controllers.stages import StageController

        self.db = db
        self.ops.db = db
        area = self._first_area
        if area is None:
            area = self._new_work_area()
        area.attach(db)
        self._first_area = None
        self.work_area = area
        self.stages = StageController(db, self.ops, area, lambda text: self.statusBar().showMessage(text, 5000))
        area.current_changed.connect(self._update_actions)
        area.board.move_requested.connect(self.stages.request_move)
        area.board.move_refused.connect(lambda message: self.statusBar().showMessage(message, 5000))
        area.board.signoff_requested.connect(self.print_signoff)
        area.card.print_signoff_requested.connect(self.print_signoff)
        area.card.dirty_changed.connect(lambda dirty: self.actions_by_key[MainAction.SAVE_CARD].setEnabled(dirty))
        area.card.draft_kept.connect(lambda name: self.statusBar().showMessage(
            _("Unsaved edits of «{client}» are kept: come back to its card to save them.").format(client=in_quotes(name)), 8000))
        area.stage_checklist.tick_requested.connect(self.stages.tick_checklist)
        area.lessons.tick_requested.connect(self.stages.tick_lesson)
        area.calculator.print_document = _open_estimate_preview
        area.calculator._update_buttons()
        area.empty_state.demo_requested.connect(self.create_demo)
        area.empty_state.new_client_requested.connect(self.new_client)
        area.empty_state.import_requested.connect(self.import_clients_csv)
        area.empty_state.restore_requested.connect(self.restore_backup)
        area.empty_state.requisites_saved.connect(self.apply_changes)
        self._install_week(db, area)
        self._show_database()
        area.load(data)
        self._start_watcher()
        self._start_team(db, area)

    def _install_week(self, db, area: WorkArea) -> None:
        """Issue 16: the agenda and «Требует внимания» docks, the «Неделя» menu, start-up reminders and the
        client's questions log on the card. Its actions push onto the window's one undo stack and announce
        their Changes through the runner; changes made elsewhere reach it through the same signal."""
        from PySide6.QtCore import Qt

        from ui.views.week import install_week_views

        def visible_ids() -> list[int]:
            proxy = area.list_panel.proxy
            return [int(area.clients.row_at(proxy.mapToSource(proxy.index(row, 0)).row()).id)
                    for row in range(proxy.rowCount())]

        # the docks below the work area, not beside it: at 1366×768 the board keeps the width its five columns
        # need (placed there at once: moving them from the right re-laid the window out twice)
        self.week = week = install_week_views(
            self, db, ops=self.ops, open_client=self.open_card, current_client=lambda: area.current_id,
            visible_client_ids=visible_ids, notify=self._notify_reminders, tasks=self.tasks,
            dock_area=Qt.DockWidgetArea.BottomDockWidgetArea, settings=self.settings)
        area.current_changed.connect(week.show_client)
        area.card.add_section(week.questions, _("Questions"))
        week.agenda.restore_header(self.settings.value(AGENDA_HEADER_KEY))
        # the docks as the last session left them (their tab, their height): the state was restored before they
        # existed (a lazy start restores it with the frame), and the default height then replaced it (tester K)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty() and self.restoreState(state):
            return
        attention = next(dock for dock in self.findChildren(QDockWidget) if dock.objectName() == "attentionDock")
        height = dock_height(available_size(self).height())
        QTimer.singleShot(0, lambda: self.resizeDocks([attention], [height], Qt.Orientation.Vertical))

    def _show_database(self) -> None:
        """The database's name in the title (two windows on two databases differ) and the status bar."""
        name = self.db.display_name()
        self.setWindowTitle(f"{program_title()} — {name}")
        self.db_message = _("Database: {name}").format(name=name)
        self.statusBar().messageChanged.connect(self._restore_status)
        self.statusBar().showMessage(self.db_message)

    def _restore_status(self, message: str) -> None:
        if not message:  # a temporary message ended: show the database again
            QTimer.singleShot(0, self, self._show_db_message)

    def _show_db_message(self) -> None:
        if not self.statusBar().currentMessage():
            self.statusBar().showMessage(self.db_message)

    def _start_watcher(self) -> None:
        """Poll for changes made by another window or a CLI command (ui.controllers.watch)."""
        from ui.controllers.watch import ExternalChanges

        self.watcher = ExternalChanges(self.db, self.ops, self)

    def _start_team(self, db, area: WorkArea) -> None:
        """Issue 17: the background sync and its status line, «Мои заказчики» (ui.controllers.sync, .team)."""
        from ui.controllers.sync import SyncController
        from ui.controllers.team import MyClientsFilter

        self.sync = SyncController(db, self.ops, self, watcher=self.watcher,
                                   message=lambda text: self.statusBar().showMessage(text, 8000))
        self.statusBar().addPermanentWidget(self.sync.label)
        self.my_clients = MyClientsFilter(db, self.ops, area.list_panel, self)

    def sync_now(self) -> None:
        """«Синхронизировать сейчас» (F5): a sync in the background; the status line tells the result."""
        if self.sync is not None:
            self.sync.sync_now()

    def show_sync_conflicts(self) -> None:
        if self.sync is not None:
            self.sync.show_conflicts()

    # ================================================================ the work area's state

    @property
    def current_id(self) -> int | None:
        return self.work_area.current_id if self.work_area is not None else None

    def set_current_client(self, client_id: int | None, source: str = "") -> None:
        if self.work_area is not None:
            self.work_area.set_current_client(client_id, source)

    def select_client(self, client_id: int | None) -> None:
        self.set_current_client(client_id)

    def open_card(self, client_id: int) -> None:
        if self.work_area is not None:
            self.work_area.open_card(client_id)

    def focus_search(self) -> None:
        if self.work_area is not None:
            self.work_area.focus_search()

    def apply_changes(self, changes: Changes | None, initiator: object = None) -> None:
        """Announce changes made outside the runner (a dialog's result) through the same refresh path."""
        self.ops.announce(changes, initiator)

    def reload_all(self) -> None:
        if self.work_area is not None:
            self.work_area.reload_all()

    @property
    def move_dialog(self) -> Callable[..., MoveDecision | None]:
        assert self.stages is not None
        return self.stages.move_dialog

    @move_dialog.setter
    def move_dialog(self, value: Callable[..., MoveDecision | None]) -> None:
        assert self.stages is not None
        self.stages.move_dialog = value

    def move_current(self, delta: int) -> bool:
        return self.stages.move_current(delta) if self.stages is not None else False

    def request_move(self, client_id: int, target: int) -> bool:
        return self.stages.request_move(client_id, target) if self.stages is not None else False

    def _update_actions(self, *_args) -> None:
        area = self.work_area
        if area is None:
            return
        summary = area.clients.summary(area.current_id)
        for key, spec in ACTIONS.items():
            if spec.needs_client:
                self.actions_by_key[key].setEnabled(summary is not None and (
                    not spec.needs_signable or summary.stage > Stage.INTRO))  # as the card and the board offer it
        self.actions_by_key[MainAction.PREVIOUS_STAGE].setEnabled(summary is not None and summary.stage > Stage.NEW)
        self.actions_by_key[MainAction.NEXT_STAGE].setEnabled(summary is not None and summary.stage < Stage.DONE)
        self.actions_by_key[MainAction.SAVE_CARD].setEnabled(area.card.is_dirty())

    # ================================================================ client actions

    def new_client(self) -> None:
        from ui.dialogs.clients.new_client import NewClientDialog

        dialog = NewClientDialog(self.db, self)
        if dialog.exec() and dialog.client_id is not None:
            self.apply_changes(dialog.changes)
            self.set_current_client(dialog.client_id)
            self.show_tab(TAB_CARD)
        dialog.deleteLater()

    def save_card(self) -> None:
        if self.work_area is not None and self.work_area.card.is_dirty():
            self.show_tab(TAB_CARD)
            self.work_area.card.save()

    def delete_client(self) -> None:
        """Delete the current client after a question; Edit ▸ Undo brings it back with all its records."""
        from app.exchange import client_undo
        from ui.undo import UndoStep

        summary = self.work_area.clients.summary(self.current_id) if self.work_area is not None else None
        if summary is None:
            return
        if not self.confirm(_("Delete client"), _("Delete «{client}» with its checklist, lessons, work log and "
                                                   "documents? Edit ▸ Undo brings it back while this window "
                                                   "is open.").format(client=in_quotes(summary.name))):
            return
        db = self.db
        self.ops.run(lambda: client_undo.delete_client(db, summary.id), undo=lambda result: UndoStep(
            _("deleting the client"), lambda: client_undo.delete_again(db, result[0]),
            lambda: client_undo.restore_client(db, result[0])))

    def create_demo(self) -> None:
        """Open the demo in a window of its own on the demo database; this database is never filled."""
        from ui.controllers.demo import open_demo_window

        open_demo_window(self, open_window)

    def import_clients_csv(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import clients"), "",
                                                    _("CSV files (*.csv);;All files (*)"))
        if path:
            self.import_clients_from(path)

    def import_clients_from(self, path: str) -> bool:
        """Import the CSV at ``path`` off the UI thread with progress and «Отмена»
        (``ui.dialogs.clients.csv_import``). When it names clients already here (ClientsAlreadyExist,
        issue 13), offer «Обновить существующих», which imports it again with ``update=True``."""
        from app.services.importing import skipped_line
        from ui.dialogs.clients.csv_import import import_csv

        result = import_csv(self, self.ops, self.db, path, lambda exc: self.ask_update_existing(exc))
        if result is None:
            return False
        # the clients workbook's computed columns (stage, progress …) passed over: said, never silently (r13)
        skipped = f" {skipped_line(result.skipped)}" if result.skipped else ""
        if not result.added and not result.updated:  # the file again: said, not «0, 0»
            self.statusBar().showMessage(_("Nothing changed: the clients already have the file's values.") + skipped,
                                         5000)
            return True
        said = _("Imported clients: {n}, updated: {m}.").format(
            n=format_number(len(result.added)), m=format_number(len(result.updated))) + skipped
        self.statusBar().showMessage(said, 5000)
        if result.updates:  # what «Обновить существующих» changed, as `clients import --update` says it
            self.show_import_changes(said, result.updates)
        return True

    def show_import_changes(self, said: str, updates: list) -> None:
        """A box saying what an update import changed in each client (the first 200 clients in its details),
        so that a value replaced from the file is seen, not only counted."""
        from app.services.card_changes import update_lines

        box = QMessageBox(QMessageBox.Icon.Information, _("Import clients"), said, QMessageBox.StandardButton.Ok,
                          self)
        lines = update_lines(updates, limit=200)
        box.setInformativeText("\n".join(lines[:IMPORT_CHANGES_SHOWN] + (["…"] if len(lines) > IMPORT_CHANGES_SHOWN
                                                                          else [])))
        if len(lines) > IMPORT_CHANGES_SHOWN:  # «Details» only when it adds lines: else it repeated the box
            box.setDetailedText("\n".join(lines))
        box.setObjectName("importChanges")
        box.open()  # not modal to the work: the window goes on; the box stays until closed

    def ask_update_existing(self, exc: UserError) -> bool:
        """True to import the file again, updating the clients already here from its columns."""
        box = QMessageBox(QMessageBox.Icon.Question, _("Import clients"), exc.full_text(),
                          QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText(_("«Update existing» takes the file's filled cells; an empty cell or a column the file "
                                 "lacks keeps the stored value, and no contact is deleted."))
        update = box.addButton(_("Update existing"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is update

    # ================================================================ documents

    def print_signoff(self, client_id: int | None = None) -> None:
        """The sign-off sheet of the current stage of ``client_id`` (default: the current client)."""
        from ui.dialogs.documents import preview

        client_id = self.current_id if client_id is None else client_id
        if client_id is None:
            return
        summary = self.work_area.clients.summary(client_id) if self.work_area is not None else None
        if summary is not None and summary.stage <= Stage.INTRO:  # an action greyed a moment late (a sync moved it)
            self.statusBar().showMessage(_("«{name}» has not completed a stage yet: a sign-off sheet is printed for "
                                           "a completed stage, from stage 2.").format(name=in_quotes(summary.name)), 8000)
            return
        self.apply_changes(preview.open_signoff_preview(self, self.db, client_id))

    def print_act(self) -> None:
        """Ask for a period (default: the previous month), then preview the act of services."""
        from ui.dialogs.documents import period, preview

        if self.current_id is None:
            return
        chosen = period.ask_period(self, _("Act of services"))
        if chosen is not None:
            self.apply_changes(preview.open_act_preview(self, self.db, self.current_id, *chosen))

    def print_estimate(self) -> None:
        if self.current_id is not None:
            self.apply_changes(_open_estimate_preview(self, self.db, self.current_id))

    def print_progress(self) -> None:
        from ui.dialogs.documents import preview

        if self.current_id is not None:
            self.apply_changes(preview.open_progress_preview(self, self.db, self.current_id))

    def month_acts(self) -> None:
        """Документы ▸ «Акты за месяц всем заказчикам…» (ui/dialogs/documents/batch.py, through the runner)."""
        from ui.dialogs.documents.batch import issue_month_acts

        issue_month_acts(self, self.ops)

    def documents_register(self) -> None:
        from ui.dialogs.documents.register import open_documents_register

        summary = self.work_area.clients.summary(self.current_id) if self.work_area is not None else None
        self.apply_changes(open_documents_register(self, self.db, summary.id if summary else None, self.ops,
                                                   summary.name if summary else ""))

    def executor_settings(self) -> None:
        from ui.dialogs.documents.executor import open_executor_settings

        self.apply_changes(open_executor_settings(self, self.db))

    # ================================================================ data

    def backup_now(self) -> None:
        from ui.dialogs.data import actions

        actions.backup_now(self, self.ops)  # through the runner: it shows refusals and announces changes

    def restore_backup(self) -> None:
        from ui.dialogs.data import actions

        self._replacing_data(lambda: actions.restore_backup(self, self.ops), _(
            "A restore replaces all data with the backup: edits not saved now are lost. Saved now, they are kept in "
            "the copy of the current data made before the restore."))

    def export_bundle(self) -> None:
        from ui.dialogs.data import actions

        summary = self.work_area.clients.summary(self.current_id) if self.work_area is not None else None
        ids = [summary.id] if summary is not None else None
        actions.export_bundle(self, self.ops, ids, summary.name if summary else "")

    def import_bundle(self) -> None:
        from ui.dialogs.data import actions

        self._replacing_data(lambda: actions.import_bundle(self, self.ops), _(
            "An import may replace these clients' records with the file's: save the edits first, or drop them."))

    def _replacing_data(self, action: Callable[[], Changes | None], informative: str) -> None:
        """Run an action that replaces the data (a restore, a bundle import) once the unsaved card edits are saved
        or dropped, as the user chooses (``informative`` says what the action does to them); cancelled: not run.
        Dropped edits go only when the action did replace the data (a cancelled file choice keeps them)."""
        go_on, drop = self.settle_unsaved(informative)
        if go_on and action() is not None and drop and self.work_area is not None:
            self.work_area.card.discard_edits()

    def settle_unsaved(self, informative: str) -> tuple[bool, bool]:
        """Ask about the unsaved card edits before the data are replaced: (go on, drop them afterwards). «Save»
        saves every unsaved card here and now (a card refused stops it, shown with its errors); «Cancel» shows the
        first unsaved card, as closing the window does."""
        from ui.dialogs.clients.unsaved import Unsaved

        area = self.work_area
        if area is None:
            return True, False
        card = area.card
        shown = card.client_id if card.is_dirty() else None
        unsaved = [*([shown] if shown is not None else []), *(i for i in card.unsaved_clients() if i != shown)]
        if not unsaved:
            return True, False
        names = [summary.name if (summary := area.clients.summary(i)) is not None else str(i) for i in unsaved]
        choice = self.ask_before_replacing(names, informative)
        if choice is None:
            self.set_current_client(unsaved[0])
            self.show_tab(TAB_CARD)
            return False, False
        if choice is Unsaved.SAVE:
            current = self.current_id
            for client_id in unsaved:
                self.set_current_client(client_id)
                card.save()
                if card.is_dirty():  # refused: the card says why, and nothing is replaced
                    self.show_tab(TAB_CARD)
                    return False, False
            self.set_current_client(current)
        return True, choice is Unsaved.DISCARD

    def ask_before_replacing(self, names: list[str], informative: str):
        """Save / Don't save / Cancel (None) for the unsaved edits of the cards of ``names`` (tests answer it)."""
        from ui.dialogs.clients.unsaved import ask_before_replacing

        return ask_before_replacing(self, names, informative)

    def erase_personal_data(self) -> None:
        from ui.dialogs.data import actions

        if self.current_id is not None:
            actions.erase_personal_data(self, self.ops, self.current_id)

    # ================================================================ settings

    def open_settings(self) -> None:
        from ui.dialogs.settings.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.db, self.settings, self, ops=self.ops)
        dialog.exec()
        dialog.deleteLater()

    def about(self) -> None:
        QMessageBox.about(self, _("About"), _("Vnedrenie — the workbench of the specialist who rolls out "
                                              "АСУ «Менеджмент».\n\n{db}").format(db=self.db_message))

    def _restore_geometry(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen = QApplication.primaryScreen()
            area = screen.availableGeometry() if screen else None
            if area is not None and area.width() > 0:
                self.resize(min(1600, int(area.width() * 0.92)), min(1000, int(area.height() * 0.9)))
            else:
                self.resize(1366, 768)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        area = self.work_area or self._first_area
        if area is not None:
            area.apply_default_splitter(self.width())

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        if self.week is not None:
            s.setValue(AGENDA_HEADER_KEY, self.week.agenda.header_state())
            if self.week.plan_window is not None and self.week.plan_window.isVisible():
                self.week.plan_window.save_layout()  # still open as the window closes: as its own close keeps it
        area = self.work_area or self._first_area
        if area is not None:
            area.save_state()
        s.sync()

    # ================================================================ messages

    def show_error(self, exc: UserError) -> None:
        show_user_error(self, exc)

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def ask_unsaved(self, count: int) -> bool:
        """True to close anyway and lose the unsaved card edits."""
        return self.confirm(_("Unsaved changes"), _("{n} client cards have unsaved changes. Close anyway and "
                                                    "lose them?").format(n=count))

    def start_daily_backup(self) -> None:
        """The first start of a day copies the database in the background; the status bar tells the result."""
        from app.exchange.workspace import daily_backup

        db = self.db
        self.tasks.start(lambda _progress: daily_backup(db), self._backup_finished)

    def _backup_finished(self, notes) -> None:
        if not notes.backup_problem and self.statusBar().currentMessage() == getattr(self, "_opening_notice", None):
            return  # a notice of the opening is still shown: a backup made needs no word over it
        if notes.backup_problem:
            self.statusBar().showMessage(_("The daily backup could not be made: {problem}").format(
                problem=notes.backup_problem), 30_000)
        elif notes.backup_path:
            # the file's name, not its whole path: the status bar's permanent widgets cut a long line
            from pathlib import Path

            name = Path(notes.backup_path).name
            self.statusBar().showMessage(_("Daily backup made: {name} (the backups folder)").format(name=name), 8000)

    # ================================================================ a start that failed (the window's boxes:
    # ui/views/ shows no refusal box of its own, tests/ui/test_one_runner.py)

    def show_startup_error(self, message: str) -> None:
        QMessageBox.critical(self, program_title(), message)

    def ask_restore_at_start(self, message: str) -> bool:
        """The refusal of a file the window cannot open, with the way out it names at hand: True for «Восстановить
        из резервной копии…», False for «Закрыть» (the window then closes). Tests replace it."""
        box = QMessageBox(QMessageBox.Icon.Critical, program_title(), message, QMessageBox.StandardButton.NoButton, self)
        restore = box.addButton(_("Restore from backup…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Close"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        chosen = box.clickedButton() is restore
        box.deleteLater()
        return chosen

    # ================================================================ closing

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._loaded or self.work_area is None:  # still loading: the task disposes of the database
            self._closing = True
            self._thawed = True
            self.tasks.close()  # the loader still delivers (and disposes of the database)
            gcpause.thaw()
            super().closeEvent(event)
            self.closed.emit()
            return
        card = self.work_area.card
        unsaved = card.unsaved_clients()
        if unsaved and not self.ask_unsaved(len(unsaved)):
            event.ignore()
            self.set_current_client(unsaved[0])
            self.show_tab(TAB_CARD)
            return
        if self.week is not None:  # first: stopping the sync runs the event loop, where its reads would start
            self.week.stop_background()
        self.save_settings()
        if self.sync is not None:
            self.sync.stop()
        if self.watcher is not None:
            self.watcher.stop()
        self.work_area.stop_background()
        self.tasks.close()  # first: nothing starts any more, not even from the event loop the wait runs
        self.tasks.wait(10_000)
        self.work_area.remember_first_screen()
        self.db.dispose()
        self._thawed = True
        gcpause.thaw()  # what this window froze may be garbage now
        super().closeEvent(event)
        self.closed.emit()



def _open_estimate_preview(parent, db, client_id: int) -> Changes | None:
    """The estimate preview, imported when first asked for (QtPdf is not needed at start-up)."""
    from ui.dialogs.documents.preview import open_estimate_preview

    return open_estimate_preview(parent, db, client_id)


def open_window(db_path: str | None = None, database_url: str | None = None,
                early: EarlyRead | None = None) -> MainWindow:
    """A window as ``python main.py`` opens it (the frame now, the database and rows after the first paint),
    marked «ДЕМО» once its database turns out to be the demo one. Show it and run the event loop. ``early``: the
    first rows' read already started on the same options (an app.services.first_screen.EarlyRead), else it is
    started with the window's loader task."""

    def opener():
        from app.exchange.workspace import open_workspace

        return open_workspace(db_path, database_url, backup_later=True)

    def first_rows():
        if early is not None:
            return early.result()
        from app.services.first_screen import first_rows

        return first_rows(db_path, database_url)

    def mark_demo() -> None:  # imported once the rows are in: not on the way to the first paint (~20 ms)
        from ui.controllers.demo import mark_if_demo

        mark_if_demo(window)

    window = MainWindow(None, opener=opener, first_rows=first_rows)
    window.rows_loaded.connect(mark_demo)
    return window
