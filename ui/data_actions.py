"""Backup, restore, export/import bundles, personal-data erase. INTERFACE STUB: the field-safe data issue fills it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def backup_now(parent: QWidget, db):
    """Make a backup now and tell the user where it went. Returns None (nothing in the views changes)."""
    return None


def restore_backup(parent: QWidget, db):
    """Ask for a backup file, confirm, back up first, restore. Returns Changes (everything) or None."""
    return None


def export_bundle(parent: QWidget, db, client_ids: list[int] | None = None):
    return None


def import_bundle(parent: QWidget, db):
    """Returns Changes or None."""
    return None


def erase_personal_data(parent: QWidget, db, client_id: int):
    """Confirm, then erase the client's contacts and staff. Returns Changes or None."""
    return None
