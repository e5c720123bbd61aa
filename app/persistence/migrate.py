"""Run Alembic migrations programmatically: every open brings the schema to head.

Opening a database that is already at head must not pay for importing Alembic (~250 ms): the stored
revision is read with one plain SELECT and the head is read from the version files' own
``revision``/``down_revision`` lines; Alembic is imported only when there is something to migrate."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine


class Migratable(Protocol):
    """What migrations need of an open database (``app.persistence.db.Database`` has it; no import of it
    here, so that db -> migrate is the only direction)."""

    url: str
    engine: Engine


# Called with (database, current_revision) before pending migrations run on a non-empty database.
BeforeMigration = Callable[[Migratable, str | None], None]

_MISSING = object()
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*(?:#.*)?$", re.MULTILINE)


def versions_dir() -> Path:
    return Path(str(resources.files("app.persistence").joinpath("migrations", "versions")))


def alembic_config(db: Migratable | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("app.persistence").joinpath("migrations")))
    if db is not None:
        config.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return config


def heads_from_files(folder: Path) -> set[str] | None:
    """The head revisions of the version files in ``folder``, read without importing them.

    None when a file does not state its revisions as plain literals (then only Alembic can tell)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in folder.glob("*.py"):
        if path.name.startswith("_"):
            continue
        found: dict[str, object] = {}
        for name, value in _ASSIGNMENT.findall(path.read_text(encoding="utf-8")):
            if name in found:
                return None  # assigned twice: not the simple form alembic writes
            try:
                found[name] = ast.literal_eval(value)
            except (ValueError, SyntaxError):
                return None
        revision, down = found.get("revision"), found.get("down_revision", _MISSING)
        if not isinstance(revision, str) or down is _MISSING:
            return None
        if down is None:
            downs: tuple = ()
        elif isinstance(down, str):
            downs = (down,)
        elif isinstance(down, tuple | list) and all(isinstance(d, str) for d in down):
            downs = tuple(down)
        else:
            return None
        if revision in revisions:
            return None
        revisions.add(revision)
        parents.update(downs)
    if not revisions or not parents <= revisions:
        return None
    return revisions - parents


def head_revision() -> str | None:
    heads = heads_from_files(versions_dir())
    if heads is not None and len(heads) == 1:
        return next(iter(heads))
    return alembic_head_revision()


def alembic_head_revision() -> str | None:
    """Alembic's own answer (imports Alembic and every version file)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db: Migratable) -> str | None:
    """The revision stored in ``alembic_version`` (None for a database Alembic never touched)."""
    from sqlalchemy import inspect, text

    with db.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = [r[0] for r in connection.execute(text("SELECT version_num FROM alembic_version"))]
    if len(rows) > 1:  # several heads stored: let Alembic say what it makes of that
        from alembic.runtime.migration import MigrationContext

        with db.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    return rows[0] if rows else None


def upgrade(db: Migratable, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config(db)
    # Two instances opening one database at once: the first migrates, the second waits for the lock and
    # then finds nothing left to do (SQLite: BEGIN IMMEDIATE + busy timeout; PostgreSQL: an advisory lock).
    with db.engine.connect() as connection:
        connection.execution_options(sqlite_begin="IMMEDIATE")
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7417220)")
            config.attributes["connection"] = connection
            command.upgrade(config, revision)


def _known(revision: str) -> bool:
    """Whether ``revision`` is one of this program's migrations (else a newer program wrote the database)."""
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def newer_schema(revision: str):
    """The refusal (UserError) of a database whose schema ``revision`` a newer version of the program made."""
    from app.errors import UserError
    from app.i18n import _

    return UserError(_("This database was made by a newer version of the program (schema {revision}): update the "
                       "program. Nothing was changed.").format(revision=revision))


# Tables every database of ours has from its first revision on: a file with other objects and not these is
# another program's (a half-made one of ours that lost its revision still has them)
OUR_TABLES = frozenset(("client", "setting", "work_log"))


def foreign_objects(names: Iterable[str]) -> list[str]:
    """Of a database's tables and views (``names``), those that make it another program's, sorted; [] for an
    empty database, one holding only an ``alembic_version`` table (ours, half made), or one with our tables
    (``OUR_TABLES``: ours, whatever revision it is at — a newer program's is refused by ``newer_schema``)."""
    rest = set(names) - {"alembic_version"}
    return [] if not rest or OUR_TABLES <= rest else sorted(rest)


def foreign_tables(db: Migratable) -> list[str]:
    """``foreign_objects`` of the database's default schema (tables and views)."""
    from sqlalchemy import inspect

    with db.engine.connect() as connection:
        inspector = inspect(connection)
        names = [*inspector.get_table_names(), *inspector.get_view_names()]
    return foreign_objects(names)


def foreign_file_objects(path: Path) -> list[str]:
    """``foreign_objects`` of an SQLite file, read through a read-only connection that changes nothing in it (the
    program's own connections switch a file to WAL as they open it). [] when the file is empty, missing or not
    an SQLite database (the normal opening says why)."""
    import sqlite3

    try:
        if not path.is_file() or path.stat().st_size == 0:
            return []
        con = sqlite3.connect(f"file:{path.resolve().as_posix()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return []
    try:
        names = [name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                                  "AND name NOT LIKE 'sqlite_%'")]
    except sqlite3.Error:
        return []
    finally:
        con.close()
    return foreign_objects(names)


def foreign_database(tables: list[str]):
    """The refusal (UserError) of a database another program made: its tables are named, nothing is written."""
    from app.errors import UserError
    from app.i18n import _

    shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
    return UserError(_("This database belongs to another program (its tables: {tables}): «Внедрение» opens only "
                       "its own databases or an empty new file. Nothing was changed.").format(tables=shown))


def upgrade_to_head(db: Migratable, before_migration: BeforeMigration | None = None) -> None:
    """Bring the schema to head; ``before_migration(db, current_revision)`` runs first when a database that
    already has a schema is about to be migrated (the workspace passes the pre-migration backup). UserError
    (``newer_schema``), nothing changed, for a database of a newer program (a revision this one does not know);
    UserError (``foreign_database``), nothing written, for a database with tables but none of our revisions
    (another program's: making our 200 tables beside its own would be a change nobody asked for)."""
    current = current_revision(db)
    if current == head_revision():
        return
    tables = foreign_tables(db)  # whatever the revision: another program's Alembic table holds one too
    if tables:
        raise foreign_database(tables)
    if current is not None and not _known(current):
        raise newer_schema(current)
    if current is not None and before_migration is not None:
        before_migration(db, current)
    upgrade(db, "head")
