"""New client dialog: the card form; invalid input is explained and kept, saving is one transaction."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _
from app.services import clients as client_service
from app.services.changes import Changes
from ui.dialogs.clients.client_form import ClientForm, empty_input
from ui.dialogs.form_dialog import FormDialog
from ui.palette import banner_style, text_style
from ui.qtutil import after_colon, fit_to_screen, name_inputs


class NewClientDialog(FormDialog):
    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newClientDialog")
        self.setWindowTitle(_("New client"))
        self.db = db
        self.client_id: int | None = None
        self.changes: Changes | None = None
        self.form = ClientForm(self)
        self.form.set_data(empty_input())
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.form)
        self.banner = QLabel(self)
        self.banner.setObjectName("newClientBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(banner_style("error"))
        self.banner.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(_("Fields marked * are required. The client starts at stage «New»."), self)
        hint.setStyleSheet(text_style("muted"))
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 760, 640)
        name_inputs(self)
        self.form.edited.connect(self._clear_banner)
        self.form.fields["name"].setFocus()

    def _clear_banner(self) -> None:
        """The banner said «correct the fields»: once nothing is wrong any more it goes away."""
        if not self.banner.isHidden() and not self.form.validation_errors():
            self.banner.hide()

    def accept(self) -> None:
        if self.form.reveal_errors():
            self.banner.setText(_("Not saved: correct the fields marked in red."))
            self.banner.show()
            return
        try:
            self.client_id = client_service.add_client(self.db, self.form.value())
        except UserError as exc:
            self.banner.setText(_("Not saved: {error}").format(error=after_colon(exc.full_text())))
            self.banner.show()
            return
        self.changes = Changes(clients=True, client_ids=frozenset({self.client_id}))
        super().accept()
