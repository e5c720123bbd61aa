"""Settings ▸ Checklist: add, rename, delete and reorder the items of each stage (app.services.templates).

Ticks stay with their item's code and issued documents keep their printed wording; the rule that
warehouses need the inventory first holds whatever the order."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.quotes import in_quotes
from app.domain.stages import CHECKLIST_STAGES, stage_title_ui
from app.errors import UserError
from app.i18n import _
from app.services import templates
from app.services.changes import Changes
from ui.dialogs.errors import ErrorLine
from ui.models.templates import ChecklistTemplateModel


class ChecklistTemplatePage(QWidget):
    """Edits the template through the services; ``changed`` carries each action's Changes."""

    changed = Signal(object)

    def __init__(self, db, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistTemplatePage")
        self.db = db
        self.stage = QComboBox()
        self.stage.setAccessibleName(_("Stage"))
        for stage in CHECKLIST_STAGES:
            self.stage.addItem(f"{int(stage)}. {stage_title_ui(stage)}", int(stage))
        self.model = ChecklistTemplateModel(self)
        self.table = QTableView()
        self.table.setObjectName("checklistTemplateTable")
        self.table.setAccessibleName(_("Checklist items"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(ChecklistTemplateModel.COL_TITLE,
                                                           QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(_("Add…"))
        self.rename_button = QPushButton(_("Rename…"))
        self.delete_button = QPushButton(_("Delete"))
        self.up_button = QPushButton(_("Up"))
        self.down_button = QPushButton(_("Down"))
        for button in (self.add_button, self.rename_button, self.delete_button, self.up_button, self.down_button):
            button.setAccessibleName(button.text().rstrip("…"))
        self.add_button.clicked.connect(self.add_item)
        self.rename_button.clicked.connect(self.rename_item)
        self.delete_button.clicked.connect(self.delete_item)
        self.up_button.clicked.connect(lambda: self.move_item(-1))
        self.down_button.clicked.connect(lambda: self.move_item(1))
        self.stage.currentIndexChanged.connect(self.reload)
        note = QLabel(_("Changes apply to every client from now on; ticks already made and issued documents "
                        "stay as they are."))
        note.setWordWrap(True)
        self.error = ErrorLine(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Stage")))
        top.addWidget(self.stage, 1)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.delete_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(note)
        self.reload()

    def reload(self) -> None:
        items = templates.checklist_template(self.db)
        stage = self.stage.currentData()
        self.model.set_items([i for i in items if i.stage == stage], items)
        self.table.resizeColumnToContents(ChecklistTemplateModel.COL_CODE)
        self.table.resizeColumnToContents(ChecklistTemplateModel.COL_REQUIRES)

    def _selected_code(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(ChecklistTemplateModel.CodeRole) if index.isValid() else None

    def _run(self, action) -> bool:
        try:
            changes: Changes = action()
        except UserError as exc:
            self.error.show_error(exc.message)
            return False
        self.error.clear_error()
        self.reload()
        self.changed.emit(changes)
        return True

    def add_item(self, title: str | None = None) -> None:
        if title is None:
            title, ok = QInputDialog.getText(self, _("New checklist item"), _("Item"))
            if not ok:
                return
        self._run(lambda: templates.add_checklist_item(self.db, self.stage.currentData(), title)[1])

    def rename_item(self, title: str | None = None) -> None:
        code = self._selected_code()
        if code is None:
            return
        if title is None:
            current = self.table.currentIndex().siblingAtColumn(ChecklistTemplateModel.COL_TITLE).data()
            title, ok = QInputDialog.getText(self, _("Rename the item"), _("Item"), text=current)
            if not ok:
                return
        self._run(lambda: templates.rename_checklist_item(self.db, code, title))

    def delete_item(self, confirm: bool = True) -> None:
        """Delete the selected item after a question; the service refuses items of the process and
        ticked ones, shown on the page's error line."""
        code = self._selected_code()
        if code is None:
            return
        title = self.table.currentIndex().siblingAtColumn(ChecklistTemplateModel.COL_TITLE).data()
        if confirm:
            answer = QMessageBox.question(self, _("Delete"), _("Delete the item «{title}»?").format(title=in_quotes(title)))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._run(lambda: templates.delete_checklist_item(self.db, code))

    def move_item(self, offset: int) -> None:
        code = self._selected_code()
        if code is None:
            return
        if self._run(lambda: templates.move_checklist_item(self.db, code, offset)):
            for row in range(self.model.rowCount()):
                if self.model.index(row, 0).data(ChecklistTemplateModel.CodeRole) == code:
                    self.table.selectRow(row)
