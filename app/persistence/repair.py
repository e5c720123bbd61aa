"""The laptop's derived list tables (client_counts, client_stamp) and their triggers made again when damaged.

Both tables hold nothing but what the other tables say (migrations 0016 and 0017): a hand, a database tool or a
restore from a partial dump can drop or change a table or a trigger, and then every write to a client fails ("no
such table: main.client_stamp") or the counters and stamps silently stop following the rows. Opening a SQLite
database at head compares each table's columns and the SHA-256 of its triggers' SQL in ``sqlite_master`` with what
the migrations made (well under a millisecond; nothing written when they match) and makes a damaged one again,
filled from the rows, in one transaction. The triggers' SQL is the migrations' own (``trigger_sql()``): a later
migration that changes these tables or triggers must be named in ``_DERIVED``, with its digest."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
from dataclasses import dataclass
from types import ModuleType

from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Derived:
    """A derived table: its name and columns, the prefix of its triggers' names, the migration file whose
    ``trigger_sql()`` makes them, the SHA-256 of their SQL as that migration writes it (``triggers_digest``;
    tests/unit/test_schema_repair.py holds it equal to the migration's), and the SQL that fills the table from
    the other tables after a ``DELETE`` of every row ("" for client_counts: ``counts.recount_all``)."""

    table: str
    columns: tuple[str, ...]
    prefix: str
    migration: str
    digest: str
    fill: str


_DERIVED = (
    Derived("client_counts", ("client_id", "done_at_stage", "lessons_done"), "vn_counts_", "0016_client_counts.py",
            "95cb57fe335839256e8e07d05aeef4952a1a258ffacd9804a6508bfe12486cb3", ""),
    Derived("client_stamp", ("client_id", "stamp"), "vn_stamp_", "0017_client_stamps.py", "7d8aa3b443b35378bbc05bd5aedea4ae7e407eea3f6954e2c03b6af979c62af5",
            "INSERT INTO client_stamp(client_id, stamp) SELECT id, random() FROM client"),
)


def triggers_digest(triggers: dict[str, str]) -> str:
    """SHA-256 (hex) of triggers given as name → their ``CREATE TRIGGER`` SQL (as ``sqlite_master`` keeps it)."""
    text = "\n".join(f"{name}\0{triggers[name]}" for name in sorted(triggers))
    return hashlib.sha256(text.encode()).hexdigest()


def load_migration(filename: str) -> ModuleType:
    """The migration file ``filename`` of app/persistence/migrations/versions loaded as a module of its own (its
    ``trigger_sql()`` and constants; Alembic is imported with it). Raises FileNotFoundError for a missing file."""
    from app.persistence.migrate import versions_dir

    path = versions_dir() / filename
    spec = importlib.util.spec_from_file_location(f"_vn_migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def vn_triggers(conn: Connection) -> dict[str, str]:
    """Every trigger of the program's (its name starts with ``vn_``) in the SQLite database on ``conn``: name →
    ``CREATE TRIGGER`` SQL as ``sqlite_master`` keeps it. One read, shared by the checks on open, on the driver's
    cursor: SQLAlchemy's rows cost as much as the read itself (~130 against ~75 µs for ~100 triggers)."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, 3) = 'vn_'")
        return dict(cursor.fetchall())
    finally:
        cursor.close()


def with_prefix(triggers: dict[str, str], *prefixes: str) -> dict[str, str]:
    """The triggers of ``triggers`` (name → SQL) whose names start with one of ``prefixes``."""
    return {name: sql for name, sql in triggers.items() if name.startswith(prefixes)}


def _columns(conn: Connection, table: str) -> tuple[str, ...]:
    return tuple(row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})"))


def missing(conn: Connection, triggers: dict[str, str] | None = None) -> list[str]:
    """The derived tables (of ``_DERIVED``) of the SQLite database on ``conn`` that are not as their migrations
    made them: the table missing or with other columns, or a trigger missing, added or with another body;
    [] when all are as made. ``triggers``: ``vn_triggers(conn)`` when the caller has read it already."""
    if triggers is None:
        triggers = vn_triggers(conn)
    return [derived.table for derived in _DERIVED
            if _columns(conn, derived.table) != derived.columns
            or triggers_digest(with_prefix(triggers, derived.prefix)) != derived.digest]


def repair_derived(conn: Connection) -> list[str]:
    """Make the derived tables that ``missing`` names again on ``conn`` (a SQLite connection inside the caller's
    write transaction, schema at head): every trigger of theirs dropped first (so that no half-set of them fires
    meanwhile), the table re-created when its columns differ, refilled from the other tables, the migration's
    triggers created. Returns the tables repaired ([] — nothing written — when none was damaged). Raises what the
    statements raise (sqlalchemy.exc.OperationalError: a read-only or full disk)."""
    done: list[str] = []
    for _round in _DERIVED:  # a table re-created drops the other's triggers on it (client_stamp's on client_counts)
        damaged = missing(conn)
        if not damaged:
            break
        _repair(conn, [derived for derived in _DERIVED if derived.table in damaged])
        done += [table for table in damaged if table not in done]
    return done


def _repair(conn: Connection, repaired: list[Derived]) -> None:
    from app.persistence.counts import recount_all
    from app.persistence.models import Base

    present = vn_triggers(conn)
    for derived in repaired:
        for name in with_prefix(present, derived.prefix):
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    for derived in repaired:
        if _columns(conn, derived.table) != derived.columns:
            conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{derived.table}"')
            Base.metadata.tables[derived.table].create(conn)
    for derived in repaired:  # client_counts first: its refill fires client_stamp's triggers when those are whole
        if derived.fill:
            conn.exec_driver_sql(f"DELETE FROM {derived.table}")
            conn.exec_driver_sql(derived.fill)
        else:
            recount_all(conn)
        for sql in load_migration(derived.migration).trigger_sql():
            conn.exec_driver_sql(sql)
        log.info("the derived table %s or its triggers were damaged: made again from the rows", derived.table)
