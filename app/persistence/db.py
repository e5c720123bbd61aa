"""Engine and unit of work: SQLite tuned for a laptop (WAL, FK, busy timeout), migrations on open."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.config import data_dir, ensure_private_dir
from app.errors import UserError
from app.i18n import _

if TYPE_CHECKING:
    from app.persistence.migrate import BeforeMigration

BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Take transaction control from the sqlite3 module so DDL (migrations) is transactional too.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed transaction survives a power cut, which a travelling laptop will have.
    cursor.execute("PRAGMA synchronous=FULL")
    # Deleted and overwritten content is zeroed in the file, not left in free space (erase-personal).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # Writers ask for IMMEDIATE so they wait (busy timeout) instead of failing on lock upgrade.
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).parent
            # Owner-only: the app's data folder and folders we create, never e.g. /tmp or $HOME.
            if not folder.exists() or folder.resolve() == data_dir().resolve():
                ensure_private_dir(folder)
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


@dataclass
class Database:
    """An open database: the engine and a session factory; one ``unit()`` per user action."""

    url: str
    engine: Engine
    factory: sessionmaker[Session] = field(repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        database = make_url(self.url).database
        return Path(database) if database and database != ":memory:" else None

    @contextmanager
    def unit(self) -> Iterator[Session]:
        """One transaction: commit when the block ends, roll everything back on any error."""
        session = self.factory()
        try:
            if self.is_sqlite:
                session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            if self.is_sqlite and "locked" in str(exc.orig):  # another program held the lock past the timeout
                raise UserError(_("The database is busy: another window or program has been writing to it for "
                                  "more than {s} s. Nothing was saved; try again.").format(
                    s=BUSY_TIMEOUT_MS // 1000)) from None
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (never commits)."""
        session = self.factory()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def checkpoint(self) -> bool:
        """Copy the write-ahead log into the database file and empty it (SQLite; no-op elsewhere).

        Waits for readers up to the busy timeout; returns False when another connection kept the log busy
        (the copy then completes at the next checkpoint)."""
        if not self.is_sqlite:
            return True
        with self.engine.connect() as connection:
            row = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return bool(row is not None and row[0] == 0)

    def display_name(self) -> str:
        path = self.sqlite_path
        if path is not None:
            return str(path)
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True, seed: bool = True,
                  before_migration: BeforeMigration | None = None) -> Database:
    """Open (creating if needed) a database, bring its schema to head and load the seed data.

    ``before_migration(db, current_revision)`` runs before a pending migration of a database that already
    has a schema (the workspace and the CLI pass ``app.exchange.backup.pre_migration_backup``)."""
    try:
        engine = make_engine(url)
        with engine.connect():
            pass
    except Exception as exc:
        raise UserError(_("Cannot open the database {db}: {error}").format(db=_safe(url), error=_first_line(exc))) from exc
    db = Database(url=url, engine=engine, factory=sessionmaker(engine, expire_on_commit=False))
    if migrate:
        from app.persistence.migrate import upgrade_to_head

        upgrade_to_head(db, before_migration)
    if seed:
        from app.persistence.seed import ensure_seed

        ensure_seed(db)
    return db


def _safe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "?"


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def file_mode_private(path: Path) -> None:
    if os.name == "posix" and path.exists():
        os.chmod(path, 0o600)
