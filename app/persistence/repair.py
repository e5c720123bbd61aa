"""The laptop's derived list tables (client_counts, client_stamp) and their triggers made again when missing.

Both tables hold nothing but what the other tables say (migrations 0016 and 0017): a hand, a database tool or a
restore from a partial dump can drop a table or a trigger, and then every write to a client fails ("no such
table: main.client_stamp") or the counters and stamps silently stop following the rows. Opening a SQLite database
at head checks them (one read of ``sqlite_master``, well under a millisecond) and makes what is missing again,
filled from the rows, in one transaction. The triggers' SQL is the migrations' own (``trigger_sql()``): a later
migration that changes these triggers must be named in ``_DERIVED`` instead."""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass
from types import ModuleType

from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Derived:
    """A derived table: its name, the migration file whose ``trigger_sql()`` and ``TRIGGERS`` keep it, and the
    SQL that fills it from the other tables (after a ``DELETE`` of every row)."""

    table: str
    migration: str
    fill: str


_DERIVED = (
    Derived("client_counts", "0016_client_counts.py", ""),  # filled by app.persistence.counts.recount_all
    Derived("client_stamp", "0017_client_stamps.py",
            "INSERT INTO client_stamp(client_id, stamp) SELECT id, random() FROM client"),
)


def _migration(filename: str) -> ModuleType:
    from app.persistence.migrate import versions_dir

    path = versions_dir() / filename
    spec = importlib.util.spec_from_file_location(f"_vn_migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _names(conn: Connection) -> set[str]:
    return {name for (name,) in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') "
        "AND (name IN ('client_counts', 'client_stamp') OR name LIKE 'vn_counts_%' OR name LIKE 'vn_stamp_%')")}


def missing(conn: Connection) -> list[str]:
    """The derived tables (of ``_DERIVED``) of the SQLite database on ``conn`` whose table or any of whose
    triggers is missing; [] when all are there."""
    present = _names(conn)
    wanted = []
    for derived in _DERIVED:
        triggers = _expected_triggers(derived)
        if derived.table not in present or not set(triggers) <= present:
            wanted.append(derived.table)
    return wanted


def _expected_triggers(derived: Derived) -> tuple[str, ...]:
    # the names follow one rule in both migrations: vn_<counts|stamp>_<table>_<ins|upd|del>
    if derived.table == "client_counts":
        from app.persistence.counts import COUNTED_TABLES, trigger_names

        return tuple(name for table in COUNTED_TABLES for name in trigger_names(table))
    return tuple(f"vn_stamp_{table}_{event}" for table in ("client", "client_counts", "contact")
                 for event in ("ins", "upd", "del"))


def repair_derived(conn: Connection) -> list[str]:
    """Make the derived tables missing on ``conn`` (a SQLite connection inside the caller's write transaction,
    schema at head) again: the table, all its triggers (dropped and created, so none is left half-defined), its
    rows filled from the other tables. Returns the tables repaired ([] — nothing written — when nothing was
    missing). Raises what the statements raise (sqlalchemy.exc.OperationalError: a read-only or full disk)."""
    repaired = missing(conn)
    if not repaired:
        return []
    from app.persistence.models import Base

    tables = Base.metadata.tables
    for derived in _DERIVED:
        if derived.table not in repaired:
            continue
        module = _migration(derived.migration)
        for name in module.TRIGGERS:
            conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')
        tables[derived.table].create(conn, checkfirst=True)
        for sql in module.trigger_sql():
            conn.exec_driver_sql(sql)
        if derived.fill:
            conn.exec_driver_sql(f"DELETE FROM {derived.table}")
            conn.exec_driver_sql(derived.fill)
        else:
            from app.persistence.counts import recount_all

            recount_all(conn)
        log.warning("the derived table %s or its triggers were missing: made again from the rows", derived.table)
    return repaired
