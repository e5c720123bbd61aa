"""What an empty database shows: three ways to start — your company's requisites, clients from a CSV file,
or a look around in the demo (a database of its own, see ui/controllers/demo.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.palette import text_style
from ui.views.lazy import ReloadWhenShown


class _PathCard(QFrame):
    """One way to start: a heading, two or three lines on what it does, and its button."""

    def __init__(self, number: int, title: str, text: str, button: QPushButton, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"firstRunPath{number}")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)  # one height for all three
        self.setMinimumWidth(280)
        self.setMaximumWidth(360)
        heading = QLabel(f"{number}. {title}", self)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.15)
        heading.setFont(font)
        heading.setWordWrap(True)
        body = QLabel(text, self)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        body.setMinimumHeight(body.fontMetrics().lineSpacing() * 6)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet(text_style("success"))
        self.status.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(heading)
        layout.addWidget(body, 1)
        layout.addWidget(self.status)
        layout.addWidget(button)


class FirstRunView(QWidget):
    """The page of the main window while the database has no clients.

    Signals (the window connects them as it did for the former empty page): ``import_requested`` (CSV),
    ``demo_requested`` (the window opens the demo database, never filling this one),
    ``new_client_requested`` and ``restore_requested`` (the smaller links below the three paths).
    The requisites form is the executor dialog (ИНН/КПП/ОГРН checked by app.services.documents)."""

    demo_requested = Signal()
    new_client_requested = Signal()
    import_requested = Signal()
    restore_requested = Signal()
    requisites_saved = Signal(object)  # Changes

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.db = db
        title = QLabel(_("Welcome to Vnedrenie"), self)
        title.setObjectName("firstRunTitle")
        font = title.font()
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.7)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro = QLabel(_("Here you will follow every client through the stages of the rollout: the stage "
                         "checklists, the video lessons, the cost and the documents. The database has no "
                         "clients yet — choose how to start:"), self)
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro.setFixedWidth(760)

        self.requisites_button = QPushButton(_("Enter the requisites…"), self)
        self.requisites_button.setObjectName("firstRunRequisites")
        self.import_button = QPushButton(_("Import clients from CSV…"), self)
        self.import_button.setObjectName("firstRunImport")
        self.demo_button = QPushButton(_("Open the demo"), self)
        self.demo_button.setObjectName("createDemo")
        self.requisites_card = _PathCard(1, _("Your company's requisites"), _(
            "Company, ИНН, КПП, ОГРН, address and the specialist who signs: they go into every act and "
            "estimate. ИНН, КПП and ОГРН are checked before they are saved."), self.requisites_button, self)
        self.import_card = _PathCard(2, _("Clients from a CSV file"), _(
            "A client list saved from Excel (;-separated, UTF-8 or cp1251) with the header row "
            "Наименование;ИНН;Подход;… — all rows or none are imported."), self.import_button, self)
        self.demo_card = _PathCard(3, _("Look around in the demo"), _(
            "A dozen believable clients at every stage, in a separate demo database marked «ДЕМО». "
            "Your own database stays empty and untouched; leave the demo to come back to it."),
            self.demo_button, self)

        self.new_button = QPushButton(_("Add a client by hand…"), self)
        self.new_button.setObjectName("emptyNewClient")
        self.new_button.setFlat(True)
        self.restore_button = QPushButton(_("Restore a backup…"), self)
        self.restore_button.setObjectName("firstRunRestore")
        self.restore_button.setFlat(True)

        self.requisites_button.clicked.connect(self.edit_requisites)
        self.import_button.clicked.connect(self.import_requested.emit)
        self.demo_button.clicked.connect(self.demo_requested.emit)
        self.new_button.clicked.connect(self.new_client_requested.emit)
        self.restore_button.clicked.connect(self.restore_requested.emit)

        cards = QHBoxLayout()
        cards.setSpacing(16)
        cards.addStretch(1)
        for card in (self.requisites_card, self.import_card, self.demo_card):
            cards.addWidget(card)
        cards.addStretch(1)
        links = QHBoxLayout()
        links.addStretch(1)
        links.addWidget(self.new_button)
        links.addWidget(self.restore_button)
        links.addStretch(1)
        centered = QHBoxLayout()
        centered.addStretch(1)
        centered.addWidget(intro)
        centered.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addSpacing(10)
        layout.addLayout(centered)
        layout.addSpacing(20)
        layout.addLayout(cards)
        layout.addSpacing(12)
        layout.addLayout(links)
        layout.addStretch(3)
        # read when the page is first shown: the window builds it hidden behind its clients (~18 ms of start-up)
        self._requisites_loader = ReloadWhenShown(self, self.refresh_requisites)
        self._requisites_loader.stale = True

    def refresh_requisites(self) -> None:
        """Show whether the requisites are complete enough to print documents."""
        if self.db is None:
            return
        from app.services.documents import missing_executor_fields
        from app.services.documents.executor import get_executor_on_paper

        details = get_executor_on_paper(self.db)  # as printing sees them: the profile counts (issue 17)
        missing = missing_executor_fields(details)
        if details.company.strip() and not missing:
            self.requisites_card.status.setText(_("✓ Filled in: {company}").format(company=details.company))
            self.requisites_card.status.show()
            self.requisites_button.setText(_("Change the requisites…"))
        else:
            self.requisites_card.status.hide()
            self.requisites_button.setText(_("Enter the requisites…"))

    def edit_requisites(self) -> None:
        """The executor form (validated by the service); a save refreshes the card."""
        from ui.dialogs.documents.executor import open_executor_settings

        changes = open_executor_settings(self, self.db)
        if changes is not None:
            self.refresh_requisites()
            self.requisites_saved.emit(changes)
