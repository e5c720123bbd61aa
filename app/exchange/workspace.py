"""Opening the workspace the UI and CLI share: resolve the database, back up, migrate, seed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from app.config import data_dir, default_database_path, ensure_private_dir, resolve_database_url
from app.errors import UserError
from app.persistence.db import Database, open_database

log = logging.getLogger(__name__)


@dataclass
class StartupNotes:
    """What happened while opening, for the status bar: the daily backup made, or why it failed."""

    backup_path: str | None = None
    backup_problem: str | None = None
    backup_due: bool = False  # open_workspace(backup_later=True): the caller runs daily_backup() itself
    url: str | None = None  # of the database these notes are about


last_startup = StartupNotes()


def open_workspace(db_path: str | None = None, database_url: str | None = None, *,
                   backup_later: bool = False) -> Database:
    """The database named by --db/--database-url/env, or the default SQLite file; ready to use.

    A pending migration is preceded by a backup; the first start of a day makes the daily backup —
    here, or with ``backup_later`` by the caller (the window runs ``daily_backup`` in the background
    after its first paint, so copying a large file never delays the start).
    """
    global last_startup
    from app.exchange.backup import clean_leftovers, pre_migration_backup

    url = resolve_database_url(db_path, database_url)
    parsed = make_url(url)
    existed = False
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        existed = path.exists()
        if path.resolve() == default_database_path().resolve():
            ensure_private_dir(data_dir())
    db = open_database(url, before_migration=pre_migration_backup)
    clean_leftovers()  # *.part files of backups killed earlier hold personal data outside retention
    last_startup = StartupNotes(backup_due=existed and backup_later, url=url)
    if existed and not backup_later:
        last_startup = daily_backup(db)
    return db


def daily_backup(db: Database) -> StartupNotes:
    """Make today's backup if none exists yet; a failure never stops the app from opening."""
    from app.exchange.backup import daily_backup_if_due

    try:
        info = daily_backup_if_due(db)
    except (UserError, OSError) as exc:
        message = exc.message if isinstance(exc, UserError) else str(exc)
        log.warning("daily backup failed: %s", message)
        return StartupNotes(backup_problem=message)
    return StartupNotes(backup_path=str(info.path) if info else None)
