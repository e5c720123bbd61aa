"""Cost calculator widget (objectName ``costCalculator``). INTERFACE STUB: the calculator issue fills it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget


class CostCalculator(QWidget):
    """Interface the main window relies on: (db, parent), set_client(id|None), refresh(changes), changed."""

    changed = Signal(object)  # app.services.changes.Changes after a write

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("costCalculator")
        self.db = db
        self.client_id: int | None = None
        QVBoxLayout(self)

    def set_client(self, client_id: int | None) -> None:
        self.client_id = client_id

    def refresh(self, changes) -> None:
        pass
