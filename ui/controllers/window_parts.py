"""What the window installs beside its work area once the database is open: the week's docks, the database's name
in the title and status bar, the watcher of other programs' changes, the team sync (a base of MainWindow)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtWidgets import QDockWidget

from app.i18n import _
from ui.qtutil import available_size, program_title
from ui.views.status_bar import StatusBar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow as WindowBase

    from ui.controllers.sync import SyncController
    from ui.controllers.team import MyClientsFilter
    from ui.controllers.watch import ExternalChanges
    from ui.ops import Ops
    from ui.tasks import TaskManager
    from ui.views.week import WeekViews
    from ui.work_area import WorkArea
else:
    WindowBase = object

DOCK_HEIGHT = 240  # the week's docks under the board at 1366×768: the agenda shows six rows
WORK_AREA_FIRST = 410  # px of the screen's height the work area, menus and toolbar keep before the docks get more


def dock_height(available: int) -> int:
    """The week's docks' first height on a screen ``available`` px high: what is left once the work area above has
    WORK_AREA_FIRST px, within 150..DOCK_HEIGHT — 240 at 1366×768, 166 at 1280×720 and 125 % (576 px), where
    the work area above kept almost nothing (tester O)."""
    return max(150, min(DOCK_HEIGHT, available - WORK_AREA_FIRST))


AGENDA_HEADER_KEY = "agenda/header"  # the agenda's column widths


class WindowParts(WindowBase):
    """The parts around the work area; they act on the window's state (``ui.main_window.MainWindow``)."""

    if TYPE_CHECKING:  # the window's state and methods these use
        db: Any
        ops: Ops
        tasks: TaskManager
        settings: QSettings
        week: WeekViews | None
        watcher: ExternalChanges | None
        sync: SyncController | None
        my_clients: MyClientsFilter | None
        db_message: str
        _notify_reminders: bool

        def open_card(self, client_id: int) -> None: ...

    def _install_week(self, db, area: WorkArea) -> None:
        """Issue 16: the agenda and «Требует внимания» docks, the «Неделя» menu, start-up reminders and the
        client's questions log on the card. Its actions push onto the window's one undo stack and announce
        their Changes through the runner; changes made elsewhere reach it through the same signal."""

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
        self._show_db_line()

    def _show_db_line(self) -> None:
        """«База данных: PATH» shortened in the middle: the file's name stays (a sentence loses its end instead)."""
        bar = self.statusBar()
        if isinstance(bar, StatusBar):
            bar.show_path(self.db_message)
        else:
            bar.showMessage(self.db_message)

    def _restore_status(self, message: str) -> None:
        if not message:  # a temporary message ended: show the database again
            QTimer.singleShot(0, self, self._show_db_message)

    def _show_db_message(self) -> None:
        if not self.statusBar().currentMessage():
            self._show_db_line()

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
