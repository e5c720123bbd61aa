"""What an empty database shows: what to do first, and a button that creates demo data."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import _


class EmptyState(QWidget):
    demo_requested = Signal()
    new_client_requested = Signal()
    import_requested = Signal()
    restore_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        title = QLabel(_("No clients yet"), self)
        font = title.font()
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.6)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(_(
            "Here you will follow every client through the stages of the rollout: the stage checklists, "
            "the video lessons, the cost and the documents.\n\n"
            "Add your first client (Ctrl+N), import a client list from a CSV file, or restore a backup. "
            "To look around first, create demo data: a dozen believable clients at every stage "
            "(better in a separate database, see --db)."), self)
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(640)
        self.demo_button = QPushButton(_("Create demo data"), self)
        self.demo_button.setObjectName("createDemo")
        self.demo_button.setDefault(True)
        self.new_button = QPushButton(_("Add a client…"), self)
        self.new_button.setObjectName("emptyNewClient")
        self.import_button = QPushButton(_("Import clients from CSV…"), self)
        self.restore_button = QPushButton(_("Restore a backup…"), self)
        self.demo_button.clicked.connect(self.demo_requested.emit)
        self.new_button.clicked.connect(self.new_client_requested.emit)
        self.import_button.clicked.connect(self.import_requested.emit)
        self.restore_button.clicked.connect(self.restore_requested.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.demo_button, self.new_button, self.import_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addSpacing(12)
        centered = QHBoxLayout()
        centered.addStretch(1)
        centered.addWidget(text)
        centered.addStretch(1)
        layout.addLayout(centered)
        layout.addSpacing(18)
        layout.addLayout(buttons)
        layout.addStretch(3)
