"""Tree models for the stage checklist (grouped by stage) and the lesson plan (grouped by section)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont

from app.domain.quotes import in_quotes
from app.domain.stages import STAGE_SHORT, Stage, stage_title_ui
from app.i18n import N_, _
from app.services.progress import ChecklistItem, LessonItem
from ui.models.grouped import GroupedModel
from ui.palette import color

ItemRole = Qt.ItemDataRole.UserRole + 1


def short_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class StageChecklistModel(GroupedModel):
    """Stages 1–3 with their items; the current stage is marked; «requires» rules are explained."""

    COL_TITLE, COL_DONE, COL_RULE = range(3)
    HEADERS = (N_("Checklist item"), N_("Done on"), N_("Rule"))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.current_stage: int | None = None
        self._titles: dict[str, str] = {}
        self._done: set[str] = set()
        self._stage_titles: dict[int, str] = {}
        self._goals: dict[int, str] = {}

    def set_stage_info(self, titles: dict[int, str], goals: dict[int, str]) -> None:
        self._stage_titles, self._goals = dict(titles), dict(goals)

    def set_items(self, items: list[ChecklistItem], current_stage: int | None) -> None:
        self.beginResetModel()
        groups: dict[int, list[ChecklistItem]] = {}
        for item in items:
            groups.setdefault(item.stage, []).append(item)
        self._groups = sorted(groups.items())
        self._titles = {i.code: i.title for i in items}
        self._done = {i.code for i in items if i.done}
        self.current_stage = current_stage
        self.endResetModel()

    def blocked_by(self, item: ChecklistItem) -> str | None:
        """Title of the item that must be done first, when it is not done yet."""
        if item.requires and item.requires not in self._done and not item.done:
            return self._titles.get(item.requires, item.requires)
        return None

    def group_data(self, stage: int, items: list[ChecklistItem], column: int, role: int):
        done = sum(1 for i in items if i.done)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_TITLE:
                title = stage_title_ui(stage, self._stage_titles.get(stage, ""))
                text = f"{_(STAGE_SHORT[Stage(stage)])}. {title}" if title else _(STAGE_SHORT[Stage(stage)])
                mark = _(" (current)") if stage == self.current_stage else ""
                return f"{text}{mark}"
            if column == self.COL_DONE:
                return _("{done} of {total}").format(done=done, total=len(items))
            return None
        if role == Qt.ItemDataRole.FontRole:
            return _bold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._goals.get(stage) or None
        if role == Qt.ItemDataRole.ForegroundRole and self.current_stage is not None and stage > self.current_stage:
            return QBrush(color("muted"))
        return None

    def item_data(self, item: ChecklistItem, column: int, role: int):
        blocked = self.blocked_by(item)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_TITLE:
                return item.title
            if column == self.COL_DONE:
                return short_date(item.done_on)
            if column == self.COL_RULE and item.requires:
                first = self._titles.get(item.requires, item.requires)
                return _("after «{first}»").format(first=in_quotes(first))
            return None
        if role == Qt.ItemDataRole.CheckStateRole and column == self.COL_TITLE:
            return Qt.CheckState.Checked if item.done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and blocked:
            return QBrush(color("muted"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if blocked:
                return _("Cannot be done before «{first}» is done.").format(first=in_quotes(blocked))
            return item.title
        if role == ItemRole:
            return item
        return None


class LessonModel(GroupedModel):
    """The lesson plan grouped by section (sections in plan order); the next lesson is highlighted."""

    COL_TITLE, COL_DURATION, COL_DONE, COL_VIDEO = range(4)
    HEADERS = (N_("Lesson"), N_("Minutes"), N_("Watched on"), N_("Video"))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.next_code: str | None = None
        self.done_count = 0
        self.total_count = 0

    def set_lessons(self, items: list[LessonItem]) -> None:
        self.beginResetModel()
        ordered = sorted(items, key=lambda i: (i.number, i.code))
        groups: dict[str, list[LessonItem]] = {}
        for item in ordered:
            groups.setdefault(item.section, []).append(item)
        self._groups = list(groups.items())
        self.next_code = next((i.code for i in ordered if not i.done), None)
        self.done_count = sum(1 for i in ordered if i.done)
        self.total_count = len(ordered)
        self.endResetModel()

    def next_lesson(self) -> LessonItem | None:
        return next((i for i in self.items() if i.code == self.next_code), None)

    def group_data(self, section: str, items: list[LessonItem], column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_TITLE:
                return section
            if column == self.COL_DURATION:
                return str(sum(i.duration_min for i in items))
            if column == self.COL_DONE:
                return _("{done} of {total}").format(done=sum(1 for i in items if i.done), total=len(items))
            return None
        if role == Qt.ItemDataRole.FontRole:
            return _bold()
        return None

    def item_data(self, item: LessonItem, column: int, role: int):
        is_next = item.code == self.next_code
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_TITLE:
                prefix = "▶ " if is_next else ""
                return f"{prefix}{item.number}. {item.title}"
            if column == self.COL_DURATION:
                return str(item.duration_min) if item.duration_min else ""
            if column == self.COL_DONE:
                return short_date(item.done_on)
            if column == self.COL_VIDEO:
                return _("Open") if item.video_url else ""
            return None
        if role == Qt.ItemDataRole.CheckStateRole and column == self.COL_TITLE:
            return Qt.CheckState.Checked if item.done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and is_next:
            return QBrush(color("next"))
        if role == Qt.ItemDataRole.FontRole and is_next:
            return _bold()
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_VIDEO and item.video_url:
            return QBrush(color("link"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_VIDEO and item.video_url:
                return item.video_url
            return _("Next lesson: {title}").format(title=item.title) if is_next else item.title
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_DURATION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ItemRole:
            return item
        return None
