"""Engine and unit of work: SQLite tuned for a laptop (WAL, FK, busy timeout), migrations on open."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.config import ensure_private_dir
from app.errors import UserError
from app.i18n import _

if TYPE_CHECKING:
    from app.persistence.migrate import BeforeMigration

BUSY_TIMEOUT_MS = 10_000
# primary SQLite result codes that say something about the disk or the file, not about a bug
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 3, 8, 10, 13, 14
_LOW_SPACE = 4 * 1024 * 1024  # bytes free below which an I/O error on write is taken for a full disk


def _sqlite_code(exc: BaseException) -> int | None:
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _disk_nearly_full(path: Path | None) -> bool:
    if path is None or not hasattr(os, "statvfs"):
        return False
    try:
        info = os.statvfs(path.parent if path.parent.exists() else Path.cwd())
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < _LOW_SPACE


def storage_refusal(exc: BaseException, path: Path | None, name: str) -> UserError | None:
    """A disk or file problem behind a database error as one Russian sentence, or None for anything else.

    ``exc`` is a SQLAlchemy DBAPIError or a sqlite3.Error; ``path`` the SQLite file (None elsewhere), ``name``
    how to call the database in the message. Full disk (SQLITE_FULL, or an I/O error with almost no space
    left), read-only file or folder (SQLITE_READONLY, SQLITE_PERM), a file that cannot be opened."""
    code = _sqlite_code(exc)
    if code is None:
        return None
    if code == _SQLITE_FULL or (code == _SQLITE_IOERR and _disk_nearly_full(path)):
        return UserError(_("There is no space left on the disk: nothing was saved to the database {db}. "
                           "Free some space and try again.").format(db=name))
    if code in (_SQLITE_READONLY, _SQLITE_PERM):
        return UserError(_("The database file is read-only: {db} can be viewed but not changed, and nothing "
                           "was saved.").format(db=name))
    if code == _SQLITE_CANTOPEN:
        return UserError(_("The database {db} cannot be opened: the file or its folder cannot be read, or the "
                           "folder does not allow creating the working files beside it.").format(db=name))
    if code == _SQLITE_IOERR:
        return UserError(_("The disk reported an input/output error while working with the database {db}; "
                           "nothing was saved.").format(db=name))
    return None


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


def _read_only_folder(path: Path) -> bool:
    """An existing database file whose folder does not allow the -wal/-shm working files beside it, with no
    write-ahead log left to replay: it can be read as an immutable file."""
    wal = path.with_name(path.name + "-wal")
    try:
        return (path.is_file() and not os.access(path.parent, os.W_OK)
                and (not wal.exists() or wal.stat().st_size == 0))
    except OSError:
        return False


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        connect_args: dict = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database)
            # Owner-only: folders we create get 0700 and a new database file 0600; folders that already
            # exist (a shared folder, /tmp, $HOME) keep their modes.
            ensure_private_dir(path.parent)
            if not path.exists():
                try:
                    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                except FileExistsError:  # another instance created it just now
                    pass
            elif _read_only_folder(path):
                # e.g. a read-only medium: SQLite cannot create its working files, but can read the file as is
                import sqlite3

                uri = f"file:{path.resolve().as_posix()}?mode=ro&immutable=1"
                return _sqlite_engine(url, connect_args, creator=lambda: sqlite3.connect(
                    uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False))
        return _sqlite_engine(url, connect_args)
    return create_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: str, connect_args: dict, creator=None) -> Engine:
    if creator is not None:
        engine = create_engine(url, creator=creator)
    else:
        engine = create_engine(url, connect_args=connect_args)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _constraint(exc: Exception) -> str:
    """The constraint a PostgreSQL error names (psycopg's ``diag.constraint_name``), '' for none."""
    diag = getattr(getattr(exc, "orig", None), "diag", None)
    return str(getattr(diag, "constraint_name", "") or "")


def hidden_inn_refusal() -> UserError:
    """On the team server, a client's ИНН that a client hidden from this member by row-level security has (another
    member's): the service's check of the ИНН did not see it, the server's unique ИНН refused (issue 17)."""
    return UserError(_("The team server already has a client with this INN, and it is another team member's (you "
                       "do not see it): ask your manager or the administrator to assign it to you. Nothing was "
                       "changed."))


def _key_value(exc: Exception) -> str | None:
    """The value in PostgreSQL's «Key (inn)=(7707083893) already exists.» detail, None when there is none."""
    detail = str(getattr(getattr(getattr(exc, "orig", None), "diag", None), "message_detail", "") or "")
    start, end = detail.find(")=("), detail.rfind(")")
    return detail[start + 3:end] if start >= 0 and end > start + 3 else None


@dataclass
class Database:
    """An open database: the engine and a session factory; one ``unit()`` per user action."""

    url: str
    engine: Engine
    factory: sessionmaker[Session] = field(repr=False)
    notices: list[str] = field(default_factory=list, repr=False)  # said once after opening (a copied file)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        database = make_url(self.url).database
        return Path(database) if database and database != ":memory:" else None

    def _inn_hidden(self, exc: Exception) -> bool:
        """Whether the ИНН the server's unique ИНН refused is held by a client this member cannot see: only a team
        member's connection (vn_app_role() set) is judged by row-level security; PostgreSQL names the key in the
        error only when the member may read the row, and a client it sees (another window added it a moment
        earlier) is the ordinary race, said as such."""
        inn = _key_value(exc)
        try:
            with self.engine.connect() as conn:
                if conn.exec_driver_sql("SELECT vn_app_role()").scalar() is None:
                    return False
                if inn is None:  # PostgreSQL leaves the key out of the detail for a row the member may not read
                    return True
                return conn.exec_driver_sql("SELECT count(*) FROM client WHERE inn = %(inn)s", {"inn": inn}).scalar() == 0
        except DBAPIError:  # not a team server (no vn_app_role): an ordinary PostgreSQL database
            return False

    @contextmanager
    def unit(self) -> Iterator[Session]:
        """One transaction: commit when the block ends, roll everything back on any error."""
        session = self.factory()
        try:
            if self.is_sqlite:
                session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            yield session
            session.commit()
        except IntegrityError as exc:
            session.rollback()
            if not self.is_sqlite and _constraint(exc) == "uq_client_inn" and self._inn_hidden(exc):
                raise hidden_inn_refusal() from None
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
            refusal = self.storage_refusal(exc)
            if refusal is not None:
                raise refusal from None
            raise
        except (ValueError, TypeError, ArithmeticError) as exc:
            session.rollback()
            refusal = self.damaged_refusal(exc)
            if refusal is not None:
                raise refusal from None
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (never commits). A stored date SQLAlchemy cannot read becomes a refusal naming it
        (``damaged_refusal``)."""
        session = self.factory()
        try:
            yield session
        except (ValueError, TypeError, ArithmeticError) as exc:
            refusal = self.damaged_refusal(exc)
            if refusal is not None:
                raise refusal from None
            raise
        finally:
            session.rollback()
            session.close()

    def damaged_refusal(self, exc: BaseException) -> UserError | None:
        """A failure while SQLAlchemy read a row, when the file holds dates it cannot read (another program wrote
        them, or damage): a refusal naming them (app.persistence.damaged); else None."""
        if not self.is_sqlite:
            return None
        from app.persistence.damaged import damaged_refusal

        return damaged_refusal(exc, self.engine, str(self.sqlite_path or ""))

    def unexpected_refusal(self, exc: BaseException) -> UserError | None:
        """A failure about to be said as «Внутренняя ошибка», when the file holds values the program cannot read or
        use (a stage or an approach it does not know, a damaged date): the refusal naming them
        (app.persistence.damaged.unexpected_refusal); else None. Never raises: when the look itself fails, the
        original failure is the one to say."""
        if not self.is_sqlite:
            return None
        try:
            from app.persistence.damaged import unexpected_refusal

            return unexpected_refusal(exc, self.engine, str(self.sqlite_path or ""))
        except Exception:
            return None

    def storage_refusal(self, exc: BaseException) -> UserError | None:
        """See the module function: a full disk or a read-only file as one sentence, else None."""
        return storage_refusal(exc, self.sqlite_path, self.display_name()) if self.is_sqlite else None

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
    if migrate:
        _refuse_a_foreign_file(url)
    try:
        engine = make_engine(url)
        with engine.connect():
            pass
    except Exception as exc:
        refusal = _open_refusal(url, exc)
        if refusal is not None:
            raise refusal from None
        if _safe(url) == "?":  # not a URL at all: nothing to name
            raise UserError(_("The database address is not valid: write it like "
                              "postgresql+psycopg://user@server/database, or give a file with --db.")) from None
        raise UserError(_("Cannot open the database {db}: {error}").format(db=_safe(url), error=_reason(exc))) from exc
    db = Database(url=url, engine=engine, factory=sessionmaker(engine, expire_on_commit=False))
    from app.team.hooks import install as install_authorship

    install_authorship()  # every write records its author and the audit trail (issue 17)
    try:
        if migrate:
            from app.persistence.migrate import upgrade_to_head

            upgrade_to_head(db, before_migration)
            _repair_derived(db)
        if seed:
            from app.persistence.seed import ensure_seed
            from app.sync.file_home import copied_notice, settle

            ensure_seed(db)
            copied = settle(db)  # a copied laptop file becomes an installation of its own (issue 17)
            if copied is not None:
                db.notices.append(copied_notice(copied))
    except (OperationalError, UserError) as exc:
        db.dispose()
        refusal = db.storage_refusal(exc) if isinstance(exc, OperationalError) else None
        if refusal is not None:
            raise refusal from None
        raise
    return db


def _refuse_a_foreign_file(url: str) -> None:
    """UserError (``migrate.foreign_database``) for an SQLite file another program made, found before the
    program's first connection: that one switches the file to WAL, a change to a file that is not ours."""
    try:
        parsed = make_url(url)
    except Exception:
        return
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return
    from app.persistence.migrate import foreign_database, foreign_file_objects

    objects = foreign_file_objects(Path(database))
    if objects:
        raise foreign_database(objects)


def _repair_derived(db: Database) -> None:
    """Make the derived list tables (app.persistence.repair) and the sync triggers (app.persistence.sync_triggers)
    again if a hand or a tool damaged them, in one transaction, each said once in ``db.notices``; SQLite only.

    Reads ``sqlite_master`` and the derived tables' columns; writes only when something is damaged. Raises
    UserError when it is damaged and the file or its folder is read-only (then it cannot be repaired, and a
    damaged file is not shown: its counters may be wrong, its client list unreadable), or when the sync triggers
    cannot be made again for tables changed outside the program; OperationalError as the statements raise it."""
    if db.engine.dialect.name != "sqlite":
        return
    from app.persistence import sync_triggers
    from app.persistence.repair import missing, repair_derived, vn_triggers

    with db.engine.connect() as connection:
        triggers = vn_triggers(connection)  # one read of sqlite_master for both checks
        if not missing(connection, triggers) and not sync_triggers.damaged(triggers):
            return
        connection.rollback()
        connection.execution_options(sqlite_begin="IMMEDIATE")
        try:
            with connection.begin():
                repaired = repair_derived(connection)
                restored = sync_triggers.repair(connection)
                in_team = bool(restored and connection.exec_driver_sql(
                    "SELECT value FROM setting WHERE key = 'team.login'").scalar())
        except OperationalError as exc:
            if _sqlite_code(exc) in (_SQLITE_READONLY, _SQLITE_PERM):
                raise UserError(_("The database {db} is damaged (its service tables or triggers were changed outside "
                                  "the program) and cannot be repaired, because the file or its folder is read-only; "
                                  "nothing was changed. Allow writing to the file and its folder, then open it "
                                  "again.").format(db=db.display_name())) from None
            raise
        except sync_triggers.Unrepairable:
            raise UserError(_("The database {db} is damaged: its sync triggers were changed outside the program and "
                              "cannot be made again, because its tables are not those the program made either. "
                              "Nothing was changed; restore the database from a backup.").format(
                db=db.display_name())) from None
    if repaired:
        db.notices.append(_("The client list's service tables in {db} were damaged (changed outside the program) "
                            "and have been rebuilt from the data: nothing was lost.").format(db=db.display_name()))
    if restored and in_team:
        db.notices.append(_(
            "The sync triggers in {db} were damaged (changed outside the program) and have been restored. Changes "
            "made while they were missing may not have reached the team server, and the program cannot tell which: "
            "run «sync setup» again to send the records added meanwhile, and after the next sync check that your "
            "recent edits of other records are seen by the team; make again any that are not.").format(
            db=db.display_name()))
    elif restored:
        db.notices.append(_("The sync triggers in {db} were damaged (changed outside the program) and have been "
                            "restored. This computer does not sync with a team server, so nothing was lost.").format(
            db=db.display_name()))


def _open_refusal(url: str, exc: Exception) -> UserError | None:
    try:
        parsed = make_url(url)
    except Exception:
        return None
    if parsed.get_backend_name() != "sqlite":
        return None
    if isinstance(exc, OSError):  # creating the folder or the file
        from app.errors import os_error_text

        if exc.errno == errno.ENOSPC:
            return UserError(_("There is no space left on the disk: nothing was saved to the database {db}. "
                               "Free some space and try again.").format(db=parsed.database))
        return UserError(_("Cannot open the database {db}: {error}").format(db=parsed.database,
                                                                          error=os_error_text(exc)))
    path = Path(parsed.database) if parsed.database not in (None, "", ":memory:") else None
    return storage_refusal(exc, path, str(path) if path else _safe(url))


def _safe(url: str) -> str:
    """The database as a message names it: an SQLite file by its path (as the user gave it with --db), a
    server by its URL without the password; "?" when ``url`` is not a URL."""
    try:
        parsed = make_url(url)
    except Exception:
        return "?"
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return parsed.database
    secret = [key for key in parsed.query if "pass" in key.lower() or key.lower() in ("pwd", "sslkey")]
    if secret:  # libpq takes a password in the query too (…/db?password=…): shown masked as the user part is
        parsed = parsed.update_query_dict(dict.fromkeys(secret, "***"))
    return parsed.render_as_string(hide_password=True)


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
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    if isinstance(exc, (ImportError, NoSuchModuleError)):  # mysql://, oracle://… or a missing driver
        return _("this kind of database is not supported: use SQLite (a file) or PostgreSQL "
                 "(postgresql+psycopg://…).")
    if isinstance(exc, ArgumentError):
        return _("the address is not a valid database URL: write it like postgresql+psycopg://user@server/database.")
    if isinstance(exc, DBAPIError):  # the server refused, does not answer, or rejected the user
        return _("the database server refused the connection or does not answer: check the server's address and "
                 "port, the user name, the password and the database name.")
    return _first_line(exc)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def file_mode_private(path: Path) -> None:
    if os.name == "posix" and path.exists():
        os.chmod(path, 0o600)
