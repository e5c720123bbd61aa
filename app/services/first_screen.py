"""The rows of the window's first screen, read before SQLAlchemy loads (see app.persistence.first_rows)."""

from __future__ import annotations

from app.config import resolve_database_url
from app.errors import UserError
from app.persistence.first_rows import FirstRows, read_first_rows
from app.persistence.migrate import head_revision


def first_rows(db_path: str | None = None, database_url: str | None = None) -> FirstRows | None:
    """The clients of the database ``open_workspace(db_path, database_url)`` will open, read with sqlite3, or None
    when that quick read cannot stand for the full one (not a SQLite file, a migration due, no clients, an error;
    ``read_first_rows``). Never raises for a bad option: the full open says what is wrong (UserError)."""
    try:
        url = resolve_database_url(db_path, database_url)
    except UserError:  # e.g. `--db ''`
        return None
    return read_first_rows(url, head_revision())
