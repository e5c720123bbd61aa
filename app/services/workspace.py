"""Opening the workspace the UI and CLI share: resolve the database, migrate, seed."""

from __future__ import annotations

from app.config import resolve_database_url
from app.persistence.db import Database, open_database


def open_workspace(db_path: str | None = None, database_url: str | None = None) -> Database:
    """The database named by --db/--database-url/env, or the default SQLite file; ready to use."""
    return open_database(resolve_database_url(db_path, database_url))
