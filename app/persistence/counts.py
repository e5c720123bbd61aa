"""The list counters of ``client_counts`` (migration 0016) counted again for every client, in one statement.

The migration's triggers keep the table exact row by row. A writer that sets them aside for speed — the first
sync's copy of a snapshot into an empty table, which also drops the table's indexes the triggers' counts would
need (app/sync/snapshot.py) — recounts everything here afterwards (~0.1 s at 5 000 clients). The counts are those
of migration 0016's ``done_sql`` / ``lessons_sql`` and of ``app.services.client_list.summaries(live=True)``;
tests/unit/test_client_counts.py holds the three equal."""

from __future__ import annotations

from sqlalchemy.engine import Connection

_RECOUNT = (
    "INSERT INTO client_counts(client_id, done_at_stage, lessons_done) SELECT c.id, "
    "(SELECT count(*) FROM checklist_state s JOIN checklist_template t ON t.code = s.code AND t.stage = c.stage "
    "WHERE s.client_id = c.id AND s.done IS 1), "
    "(SELECT count(*) FROM lesson_progress p JOIN lesson l ON l.code = p.lesson_code "
    "WHERE p.client_id = c.id AND p.employee_uuid = '' AND p.done IS 1 AND l.active IS 1) FROM client c")

COUNTED_TABLES = ("client", "checklist_state", "lesson_progress", "checklist_template", "lesson")


def trigger_names(table: str) -> tuple[str, ...]:
    """The names of migration 0016's triggers on ``table`` (none for a table whose rows are not counted)."""
    return tuple(f"vn_counts_{table}_{event}" for event in ("ins", "upd", "del")) if table in COUNTED_TABLES else ()


def recount_all(conn: Connection) -> None:
    """Replace every row of client_counts by the live counts, in the caller's transaction (SQLite only)."""
    conn.exec_driver_sql("DELETE FROM client_counts")
    conn.exec_driver_sql(_RECOUNT)
