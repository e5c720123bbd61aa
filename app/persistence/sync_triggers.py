"""A laptop's sync triggers made again when a hand or a tool damaged them.

The triggers that feed the team sync on a SQLite laptop: the outbox (``vn_outbox_*``, migration 0009 for the
synced tables and audit_log, 0015 for checklist_template), the lazy merge base (``vn_base_*``, 0012 — its SQL
names every column of its table — and 0015) and the guard that keeps a ticked checklist item the server deletes
(``vn_keep_ticked_template``, 0015). Dropped or changed by a database tool or a partial restore, edits no longer
reach the outbox and silently never sync. Opening a SQLite database at head compares the SHA-256 of these
triggers' SQL in ``sqlite_master`` (one read, nothing written when it matches) with ``DIGEST``, the migrations'
own; when they differ, every trigger with these prefixes is dropped and the migrations' SQL generators
(``trigger_sql``) make them again, in the caller's transaction. A migration that changes these triggers (or a
synced table's columns, which 0012's SQL names) must update ``DIGEST``: tests/unit/test_sync_trigger_repair.py
computes it from a freshly migrated database."""

from __future__ import annotations

import logging

from sqlalchemy.engine import Connection

from app.persistence.repair import load_migration, triggers_digest, vn_triggers, with_prefix

log = logging.getLogger(__name__)

PREFIXES = ("vn_outbox_", "vn_base_", "vn_keep_")
# the 66 triggers as migrations 0009, 0012 and 0015 make them on a fresh database (triggers_digest)
DIGEST = "6b347cfcd075e96cb3f20426dbdd1575794c01873336c25d54f3af30c6b35e82"
_OUTBOX, _BASE, _TEMPLATE = "0009_team_audit_versions.py", "0012_sync_lazy_base.py", "0015_template_sync.py"


class Unrepairable(Exception):
    """The migrations' triggers, made for this database's tables, are not those of ``DIGEST``: a synced table's
    columns were changed outside the program too (0012's triggers name every column)."""


def damaged(triggers: dict[str, str]) -> bool:
    """Whether the sync triggers among ``triggers`` (name → SQL of the database's triggers, e.g.
    ``repair.vn_triggers(conn)``: one read of ``sqlite_master``) are not exactly those the migrations made: one
    missing, one added under these prefixes, or one with another body."""
    return triggers_digest(with_prefix(triggers, *PREFIXES)) != DIGEST


def made(conn: Connection) -> dict[str, str]:
    """The sync triggers the migrations make for the tables of the SQLite database on ``conn`` as they are now
    (0012's with each table's current columns, from ``PRAGMA table_info``): name → ``CREATE TRIGGER`` SQL, in
    the order the migrations create them. Imports the three migration files (Alembic with them: ~250 ms)."""
    base = load_migration(_BASE)
    statements = list(load_migration(_OUTBOX).trigger_sql())
    for table in base.TABLES:
        columns = [row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")]
        statements += [base.trigger_sql(table, columns, event) for event in ("UPDATE", "DELETE")]
    statements += load_migration(_TEMPLATE).trigger_sql()
    return {sql.split()[2]: sql for sql in statements}


def repair(conn: Connection) -> bool:
    """Make the sync triggers again on ``conn`` (a SQLite connection inside the caller's write transaction,
    schema at head) when ``damaged``: every trigger with these prefixes dropped, the migrations' created.

    Returns False — nothing written — when they are whole (another process may have repaired them since the
    caller looked) or exactly those the migrations make (``DIGEST`` left stale by a migration: logged as an
    error, the database still opens), True when they were made again. Raises ``Unrepairable`` before writing anything when the
    migrations' triggers for the current tables would not be the pinned ones, or after writing when the result
    read back is not (the caller's transaction must then roll back); and what the statements raise
    (sqlalchemy.exc.OperationalError: a read-only file or a full disk)."""
    present = with_prefix(vn_triggers(conn), *PREFIXES)
    if triggers_digest(present) == DIGEST:
        return False
    wanted = made(conn)
    if wanted == present:  # the migrations' own: a migration changed them and DIGEST was not updated with it
        log.error("the sync triggers are the migrations' own but not those of DIGEST: update DIGEST")
        return False
    if triggers_digest(wanted) != DIGEST:
        raise Unrepairable("the migrations' sync triggers for these tables' columns are not the pinned ones")
    for name in present:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    for sql in wanted.values():
        conn.exec_driver_sql(sql)
    if damaged(vn_triggers(conn)):
        raise Unrepairable("the sync triggers made again are not the pinned ones")
    log.info("the sync triggers were damaged (%s missing, %s other): made again",
             len(set(wanted) - set(present)), len({n for n in present if present[n] != wanted.get(n)}))
    return True
