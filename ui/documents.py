"""Document preview and printing. INTERFACE STUB: the documents issue fills it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def open_signoff_preview(parent: QWidget, db, client_id: int, stage: int | None = None):
    """Show the sign-off sheet (акт сдачи-приёмки) of ``stage`` (default: current) in a preview dialog.

    Returns the Changes of the action (a new register entry) or None when cancelled."""
    return None


def open_documents_register(parent: QWidget, db, client_id: int | None = None):
    """Show the documents register (numbers, signed copy returned)."""
    return None


def open_executor_settings(parent: QWidget, db):
    """Edit реквизиты исполнителя. Returns Changes or None."""
    return None
