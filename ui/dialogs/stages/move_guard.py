"""Guard dialog before a stage move: lists unfinished items, asks for a reason to override or go back."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.quotes import in_quotes
from app.domain.stages import STAGE_SHORT, Stage
from app.i18n import _
from app.services.progress import MovePreview
from ui.dialogs.form_dialog import FormDialog
from ui.palette import text_style
from ui.qtutil import name_inputs


@dataclass(frozen=True)
class MoveDecision:
    reason: str
    force: bool


class MoveGuardDialog(FormDialog):
    """Forward with unfinished items: list them, override only with a tick and a reason.
    Back: a reason is required. Cancel changes nothing."""

    def __init__(self, preview: MovePreview, client_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moveGuardDialog")
        self.preview = preview
        target = _(STAGE_SHORT[Stage(preview.target)])
        current = _(STAGE_SHORT[Stage(preview.current)])
        layout = QVBoxLayout(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.message)
        self.override = QCheckBox(_("Move anyway, the items stay unfinished"), self)
        self.override.setObjectName("overrideCheck")
        name = html.escape(client_name)
        if preview.forward:
            self.setWindowTitle(_("The stage is not finished"))
            items = "".join(f"<li>{html.escape(item.title)}</li>" for item in preview.missing)
            self.message.setText(
                _("«{client}» has unfinished items of {stage}:").format(client=in_quotes(name), stage=current)
                + f"<ul>{items}</ul>"
                + _("Finish them first, or move to {target} anyway and say why.").format(target=target))
            layout.addWidget(self.override)
        else:
            self.setWindowTitle(_("Move back"))
            self.message.setText(_("Move «{client}» back from {current} to {target}? Say why: the reason "
                                   "is kept in the stage history.").format(client=in_quotes(name), current=current,
                                                                           target=target))
            self.override.hide()
        layout.addWidget(QLabel(_("Reason:"), self))
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("moveReason")
        self.reason.setPlaceholderText(
            _("For example: the client asked to start stage 2 while the staff finish the lessons")
            if preview.forward else _("For example: the warehouse data must be entered again"))
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        layout.addWidget(self.reason)
        self.hint = QLabel(self)
        self.hint.setObjectName("moveHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(text_style("muted"))
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Move to {target}").format(target=target))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.override.toggled.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self.setMinimumWidth(460)
        name_inputs(self)
        self._update()
        self.reason.setFocus()

    def _update(self) -> None:
        self.hint.setStyleSheet(text_style("muted"))
        has_reason = bool(self.reason.toPlainText().strip())
        needs_override = self.preview.forward and bool(self.preview.missing)
        if needs_override and not self.override.isChecked():
            self.hint.setText(_("Tick «Move anyway» to override the checklist."))
        elif not has_reason:
            self.hint.setText(_("A reason is required."))
        else:
            self.hint.setText("")
        self.ok.setEnabled(has_reason and (self.override.isChecked() or not needs_override))

    def submit(self) -> bool:
        """OK: a reason the move would refuse (the check progress.move_stage makes) is said here and the box stays
        open with the text (a refusal after the box closed lost the typed reason: tester N, item 3)."""
        from app.domain.validation import clean_multiline
        from app.errors import UserError

        try:
            clean_multiline(self.reason.toPlainText(), _("Reason"), max_len=2000)
        except UserError as exc:
            self.hint.setText(exc.full_text())
            self.hint.setStyleSheet(text_style("error"))
            self.reason.setFocus()
            return False
        self.accept()
        return True

    def decision(self) -> MoveDecision:
        return MoveDecision(reason=self.reason.toPlainText().strip(),
                            force=self.preview.forward and bool(self.preview.missing))


def ask_move_decision(parent: QWidget | None, preview: MovePreview, client_name: str) -> MoveDecision | None:
    """Show the guard dialog modally; None when the user cancels."""
    dialog = MoveGuardDialog(preview, client_name, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.decision()
        return None
    finally:
        dialog.deleteLater()
