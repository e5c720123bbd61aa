"""The demo lives in a database of its own: a separate file, marked as a demo, never the real data.

The mark is a row of the ``setting`` table (``demo_database = 1``) written in the same transaction as the
demo clients (app/services/demo.fill_demo), so a demo database says so wherever it is opened: the window
title and every printed page carry «ДЕМО» (app/services/documents puts ``"demo": true`` into the content
snapshot; app/reports draws the mark)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import data_dir, ensure_private_dir, sqlite_url
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database, open_database
from app.persistence.models import Client, Setting

DEMO_KEY = "demo_database"
DEMO_FILE = "demo.sqlite3"


def demo_database_path() -> Path:
    """``<data folder>/demo.sqlite3``: the demo's own file beside the real database."""
    return data_dir() / DEMO_FILE


def is_demo_session(s: Session) -> bool:
    """True when the database of this session is a demo database."""
    row = s.get(Setting, DEMO_KEY)
    return row is not None and row.value == "1"


def mark_demo(s: Session) -> None:
    """Mark the database of this session as a demo one (inside the caller's transaction)."""
    row = s.get(Setting, DEMO_KEY)
    if row is None:
        s.add(Setting(key=DEMO_KEY, value="1"))
    else:
        row.value = "1"


def is_demo(db: Database) -> bool:
    """True when ``db`` is a demo database (its documents and window are marked «ДЕМО»)."""
    with db.read() as s:
        return is_demo_session(s)


def prepare_demo_database(path: Path | None = None, today: date | None = None) -> Path:
    """The demo database file, created and filled with the demo clients when it has none; its path.

    An existing demo file is reused as it is (what was tried in it stays). Raises UserError when the file
    holds clients but is not marked as a demo — a real database is never touched."""
    from app.services.demo import fill_demo
    from app.services.demo_week import fill_demo_week

    path = Path(path) if path is not None else demo_database_path()
    ensure_private_dir(path.parent)
    db = open_database(sqlite_url(path))
    try:
        with db.read() as s:
            marked = is_demo_session(s)
            clients = s.scalar(select(func.count()).select_from(Client)) or 0
        if clients and not marked:
            raise UserError(_("The file «{path}» holds real clients, not a demo: the demo opens only in a "
                              "database of its own.").format(path=path))
        if not clients:
            fill_demo(db, today=today)
            fill_demo_week(db, today=today)  # the week's plan and questions to try as well
    finally:
        db.dispose()
    return path


def reset_demo_database(path: Path | None = None, today: date | None = None) -> Path:
    """Start the demo afresh: delete the demo file (only a marked one) and fill a new one."""
    path = Path(path) if path is not None else demo_database_path()
    if path.exists():
        db = open_database(sqlite_url(path))
        try:
            marked = is_demo(db)
        finally:
            db.dispose()
        if not marked:
            raise UserError(_("The file «{path}» is not a demo database: it is left as it is.").format(path=path))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return prepare_demo_database(path, today)
