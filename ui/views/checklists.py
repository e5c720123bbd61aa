"""Stage checklist (``stageChecklist``) and lesson checklist (``lessonChecklist``) of the selected client."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain.quotes import in_quotes
from app.domain.stages import STAGE_SHORT, Stage
from app.errors import UserError
from app.i18n import _
from app.services import progress
from app.services.changes import Changes, requires_lessons, requires_stage_checklist
from app.services.client_input import PersonInput
from app.services.client_list import list_clients
from ui.models.checklist import LessonModel, StageChecklistModel
from ui.palette import banner_style
from ui.views.lazy import StaleOnHidden


def _tree(parent: QWidget, name: str, model) -> QTreeView:
    view = QTreeView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setUniformRowHeights(True)
    view.setAlternatingRowColors(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAllColumnsShowFocus(True)
    view.setWordWrap(False)
    header = view.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    # fixed widths: ResizeToContents would ask every row for its size on each reload
    metrics = view.fontMetrics()
    for column in range(1, model.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        width = max(metrics.horizontalAdvance(title), metrics.horizontalAdvance("00.00.0000 ")) + 24
        view.setColumnWidth(column, width)
    return view


class StageChecklistView(StaleOnHidden, QWidget):
    """The client's checklist grouped by stage with done dates. A tick asks the window to run it
    (through the undo stack); a refused tick is explained in the banner above the tree. While hidden it
    does not read: it marks itself stale and reads once when shown (``StaleOnHidden``)."""

    tick_requested = Signal(str, str, bool, object)  # code, title, done, previous date

    def __init__(self, db, parent: QWidget | None = None,
                 stage_of: Callable[[int], int | None] | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.stage_of = stage_of
        self.client_id: int | None = None
        self.model = StageChecklistModel(self)
        self.view = _tree(self, "stageChecklist", self.model)
        self.view.header().setSectionResizeMode(StageChecklistModel.COL_RULE, QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(StageChecklistModel.COL_RULE, 320)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.banner = QLabel(self)
        self.banner.setObjectName("checklistBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(banner_style("note"))
        self.banner.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        self.model.tick_requested.connect(self._on_tick)
        self._stage_info_loaded = False
        self._loaded_client: int | None = None

    def set_stage_info(self, titles: dict[int, str], goals: dict[int, str]) -> None:
        self.model.set_stage_info(titles, goals)
        self._stage_info_loaded = True

    def set_client(self, client_id: int | None) -> None:
        self.client_id = client_id
        self.banner.hide()
        self.request_reload()

    def on_stale(self) -> None:
        if self._loaded_client != self.client_id:  # never show another client's items
            self._loaded_client = None
            self.model.set_items([], None)
            self.title.setText("")

    def reload(self) -> None:
        """Read the client's checklist now (callers use ``request_reload``)."""
        self._loaded_client = self.client_id
        if self.client_id is None:
            self.model.set_items([], None)
            self.title.setText(_("Select a client to see the stage checklist."))
            return
        try:
            items = progress.checklist(self.db, self.client_id)
            if self.stage_of is not None:
                current = self.stage_of(self.client_id)
            else:
                rows = list_clients(self.db, ids=[self.client_id])
                current = rows[0].stage if rows else None
        except UserError as exc:
            self.show_problem(exc.full_text())  # with its details: the values named and the way out
            self.model.set_items([], None)  # not the items of the client shown before, under this one's name
            self.title.setText("")
            return
        expanded = self._expanded_stages()
        self.model.set_items(items, current)
        for row in range(self.model.rowCount()):
            stage = self.model.group(self.model.index(row, 0))
            self.view.setExpanded(self.model.index(row, 0), stage in expanded if expanded is not None
                                  else (current is None or stage is None or stage <= max(current, 1)))
        if current is not None:
            self.title.setText(_("Current stage: {stage}. Items of the current stage must be done before "
                                 "moving on.").format(stage=_(STAGE_SHORT[Stage(current)])))

    def _expanded_stages(self) -> set[int] | None:
        if self.model.rowCount() == 0:
            return None
        groups = (self.model.group(self.model.index(r, 0)) for r in range(self.model.rowCount())
                  if self.view.isExpanded(self.model.index(r, 0)))
        return {group for group in groups if group is not None}

    def _on_tick(self, code: str, done: bool) -> None:
        item = next((i for i in self.model.items() if i.code == code), None)
        if item is None:
            return
        blocked = self.model.blocked_by(item)
        if done and blocked:
            self.show_problem(_("«{item}» cannot be done before «{first}» is done: tick «{first}» first.").format(
                item=in_quotes(item.title), first=in_quotes(blocked)))
            return
        self.banner.hide()
        self.tick_requested.emit(code, item.title, done, item.done_on)

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        """Re-read when a tick, a move or a replaced database concerns the shown client."""
        if requires_stage_checklist(changes, self.client_id):
            self.request_reload()

    def show_problem(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.show()


class LessonChecklistView(StaleOnHidden, QWidget):
    """Lessons in plan order grouped by section; tick per client or per employee; next lesson highlighted.
    While hidden it marks itself stale instead of reading (``StaleOnHidden``)."""

    tick_requested = Signal(str, str, bool, object, object)  # code, title, done, previous date, employee

    def __init__(self, db, parent: QWidget | None = None,
                 open_url: Callable[[QUrl], object] = QDesktopServices.openUrl) -> None:
        super().__init__(parent)
        self.db = db
        self.open_url = open_url
        self.client_id: int | None = None
        self.model = LessonModel(self)
        self.view = _tree(self, "lessonChecklist", self.model)
        self.who = QComboBox(self)
        self.who.setObjectName("lessonEmployee")
        self.who.setToolTip(_("Progress of the whole client or of one of its employees"))
        self.progress = QProgressBar(self)
        self.progress.setObjectName("lessonProgress")
        self.progress.setFormat(_("%v of %m lessons (%p%)"))
        self.next_label = QLabel(self)
        self.next_label.setObjectName("nextLesson")
        self.next_label.setWordWrap(True)
        self.open_button = QPushButton(_("Open video"), self)
        self.open_button.setObjectName("openVideo")
        self.open_button.setEnabled(False)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(banner_style("note"))
        self.banner.hide()
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Whose progress:"), self))
        top.addWidget(self.who, 1)
        top.addWidget(self.progress, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.next_label, 1)
        bottom.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self.model.tick_requested.connect(self._on_tick)
        self.who.currentIndexChanged.connect(lambda _i: self.request_reload())
        self.view.doubleClicked.connect(self._on_double_click)
        self.view.clicked.connect(self._on_click)
        self.view.selectionModel().currentChanged.connect(self._update_open_button)
        self.open_button.clicked.connect(self.open_current_video)
        self._employees: list[PersonInput] = []
        self._loaded_client: int | None = None

    def employee(self) -> str | None:
        return self.who.currentData() or None

    def set_client(self, client_id: int | None, employees: list[PersonInput] | None = None) -> None:
        self.client_id = client_id
        self.set_employees(employees or [])
        self.banner.hide()
        self.request_reload()

    def on_stale(self) -> None:
        if self._loaded_client != self.client_id:  # never show another client's lessons
            self._loaded_client = None
            self.model.set_lessons([])
            self.progress.setValue(0)
            self.next_label.setText("")

    def set_employees(self, employees: list[PersonInput]) -> None:
        """Fill the «whose progress» list, keeping the chosen employee when still there."""
        current = self.employee()
        self._employees = [p for p in employees if p.uuid]
        self.who.blockSignals(True)
        self.who.clear()
        self.who.addItem(_("The client as a whole"), "")
        for person in self._employees:
            label = f"{person.name} — {person.department}" if person.department else person.name
            self.who.addItem(label, person.uuid)
        index = self.who.findData(current) if current else 0
        self.who.setCurrentIndex(max(0, index))
        self.who.blockSignals(False)

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        """Re-read when the shown client's lessons or the lesson plan changed."""
        if requires_lessons(changes, self.client_id):
            self.request_reload()

    def reload(self) -> None:
        """Read the client's lessons now (callers use ``request_reload``)."""
        self._loaded_client = self.client_id
        if self.client_id is None:
            self.model.set_lessons([])
            self._update_summary()
            return
        try:
            items = progress.lessons(self.db, self.client_id, employee=self.employee())
        except UserError as exc:
            self.banner.setText(exc.full_text())  # with its details: the values named and the way out
            self.banner.show()
            self.who.setCurrentIndex(0)
            self.model.set_lessons([])  # not the lessons of the client shown before, under this one's name
            self.progress.setMaximum(1)
            self.progress.setValue(0)
            self.progress.setFormat("—")  # no count: the banner says why
            self.next_label.setText("")
            return
        self.progress.setFormat(_("%v of %m lessons (%p%)"))
        self.model.set_lessons(items)
        self.view.expandAll()
        self._update_summary()

    def _update_summary(self) -> None:
        self.progress.setMaximum(max(1, self.model.total_count))
        self.progress.setValue(self.model.done_count)
        nxt = self.model.next_lesson()
        if self.client_id is None:
            self.next_label.setText(_("Select a client to see its lessons."))
        elif nxt is None:
            self.next_label.setText(_("All lessons are watched.") if self.model.total_count else
                                    _("The lesson plan is empty: import it in Settings."))
        else:
            self.next_label.setText(_("Next lesson: {number}. {title}").format(number=nxt.number, title=nxt.title))
        self._update_open_button()

    def _current_lesson(self):
        item = self.model.item(self.view.currentIndex())
        return item or self.model.next_lesson()

    def _update_open_button(self, *args) -> None:
        item = self._current_lesson()
        self.open_button.setEnabled(bool(item and item.video_url))

    def open_current_video(self) -> None:
        item = self._current_lesson()
        if item and item.video_url:
            self._open_video(item.video_url)

    def _open_video(self, url: str) -> None:
        """Open the lesson's video in the browser; say so when no browser opened it (and give the address)."""
        if self.open_url(QUrl(url)) is False:
            self.banner.setText(_("No browser opened the video. Copy its address: {url}").format(url=url))
            self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.banner.show()
        else:
            self.banner.hide()

    def _on_click(self, index: QModelIndex) -> None:
        if index.column() == LessonModel.COL_VIDEO:
            self._on_double_click(index)

    def _on_double_click(self, index: QModelIndex) -> None:
        item = self.model.item(index)
        if item and item.video_url:
            self._open_video(item.video_url)

    def _on_tick(self, code: str, done: bool) -> None:
        item = next((i for i in self.model.items() if i.code == code), None)
        if item is not None:
            self.banner.hide()
            self.tick_requested.emit(code, f"{item.number}. {item.title}", done, item.done_on, self.employee())
