"""Engine and unit of work: SQLite tuned for a laptop (WAL, FK, busy timeout), migrations on open."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.config import data_dir, ensure_private_dir
from app.errors import UserError
from app.i18n import _

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
        except IntegrityError:
            session.rollback()
            # a rule of the schema caught what the service checks missed (e.g. another window added the
            # same ИНН a moment earlier): a refusal in plain words, never «UNIQUE constraint failed»
            raise UserError(_("Nothing was saved: the data conflict with a record saved in the meantime (a "
                              "duplicate or a removed reference). Refresh and try again.")) from None
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

    def display_name(self) -> str:
        path = self.sqlite_path
        if path is not None:
            return str(path)
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True, seed: bool = True) -> Database:
    """Open (creating if needed) a database, bring its schema to head and load the seed data."""
    try:
        engine = make_engine(url)
        with engine.connect():
            pass
    except Exception as exc:
        raise UserError(_("Cannot open the database {db}: {error}").format(db=_safe(url), error=_reason(exc))) from exc
    db = Database(url=url, engine=engine, factory=sessionmaker(engine, expire_on_commit=False))
    from app.team.hooks import install as install_authorship

    install_authorship()  # every write records its author and the audit trail (issue 17)
    if migrate:
        from app.persistence.migrate import upgrade_to_head

        upgrade_to_head(db)
    if seed:
        from app.persistence.seed import ensure_seed

        ensure_seed(db)
    return db


def _safe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "?"


def _reason(exc: Exception) -> str:
    """Why a database could not be opened, in the UI language when SQLite or the OS says why."""
    import sqlite3

    from app.errors import os_error_text, sqlite_error_text

    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.Error):
        return sqlite_error_text(orig)
    if isinstance(exc, sqlite3.Error):
        return sqlite_error_text(exc)
    if isinstance(exc, OSError):
        return os_error_text(exc)
    return _first_line(exc)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def file_mode_private(path: Path) -> None:
    if os.name == "posix" and path.exists():
        os.chmod(path, 0o600)
