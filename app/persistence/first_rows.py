"""The client rows of a SQLite file read with the standard library, for the window's first screen.

Importing SQLAlchemy and the models costs ~200 ms, more than the rest of a start; the window shows the
clients read here first and opens the database properly (migrations, seed, sessions) meanwhile. The six
statements are those of ``app.services.clients._statements`` written out as SQLite SQL, and the rows go
through the same ``app.domain.client_summary.assemble``: tests/unit/test_first_rows.py compares the two
readers row by row. No SQLAlchemy may be imported here (tests/ui/test_startup.py checks it)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.domain.client_summary import ClientSummary, assemble, group_contacts
from app.domain.stalled import STALLED_DAYS_KEY, parse_stalled_days

_CLIENTS = ("SELECT id, uuid, name, inn, approach, stage, stage_since, contract_no, contract_date, "
            "program_version, manager FROM client ORDER BY name, id")
_TEMPLATES = "SELECT code, stage FROM checklist_template"
_ACTIVE = "SELECT code FROM lesson WHERE active IS 1"
_CONTACTS = "SELECT client_id, name, phone, email FROM contact ORDER BY id"
_TIMEOUT_S = 1.0  # a writer holding the file: the full open waits instead, with its own messages


@dataclass(frozen=True)
class FirstRows:
    """What the first screen shows: every client's row in the list's order, and the stalled threshold (days)."""

    rows: list[ClientSummary]
    stalled_days: int


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL (as ``app.config.sqlite_url`` writes it), else None."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix):]
    return Path(path) if path and path != ":memory:" and not path.startswith("file:") else None


def read_first_rows(url: str, head: str | None) -> FirstRows | None:
    """The rows ``app.services.clients.list_clients`` would give, read in one snapshot without SQLAlchemy.

    ``head``: the schema revision the program expects (app.persistence.migrate.head_revision). None — leave it
    to the full open — when the quick read cannot stand for it: not a SQLite file or not there yet, a schema
    at another revision (a migration comes first), no clients (the first-run page), or any SQLite error (the
    full open says in Russian what is wrong). Never writes: the connection is ``query_only``."""
    path = sqlite_file(url)
    if path is None or head is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path, timeout=_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA query_only=1")
        conn.execute("BEGIN")  # one snapshot for the six reads
        try:
            return _read(conn, head)
        finally:
            conn.execute("COMMIT")
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, head: str) -> FirstRows | None:
    versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    if versions != [(head,)]:
        return None
    rows = [(cid, uuid, name, inn, approach, stage, datetime.fromisoformat(since), contract_no,
             date.fromisoformat(signed) if signed else None, version, manager)
            for cid, uuid, name, inn, approach, stage, since, contract_no, signed, version, manager
            in conn.execute(_CLIENTS)]
    if not rows:
        return None
    stage_of = tuple(conn.execute(_TEMPLATES).fetchall())
    done = dict(conn.execute(*_done_statement(stage_of)).fetchall()) if stage_of else {}
    active = [code for (code,) in conn.execute(_ACTIVE)]
    lessons_done: dict[int, int] = {}
    if active:
        marks = ", ".join("?" * len(active))
        lessons_done = dict(conn.execute(
            "SELECT client_id, count(*) FROM lesson_progress WHERE employee_uuid = '' AND done IS 1 "
            f"AND lesson_code IN ({marks}) GROUP BY client_id", active).fetchall())
    contacts = group_contacts(conn.execute(_CONTACTS))
    stored = conn.execute("SELECT value FROM setting WHERE key = ?", (STALLED_DAYS_KEY,)).fetchone()
    return FirstRows(assemble(rows, stage_of, done, len(active), lessons_done, contacts),
                     parse_stalled_days(stored[0] if stored is not None else None))


def _done_statement(stage_of: tuple[tuple[str, int], ...]) -> tuple[str, list[str | int]]:
    """Ticked items at each client's current stage (``app.services.clients._done_statement``): SQL and parameters."""
    codes: dict[int, list[str]] = {}
    for code, stage in stage_of:
        codes.setdefault(stage, []).append(code)
    terms, params = [], list[str | int]()
    for stage, group in sorted(codes.items()):
        terms.append(f"client.stage = ? AND checklist_state.code IN ({', '.join('?' * len(group))})")
        params += [stage, *group]
    return ("SELECT checklist_state.client_id, count(*) FROM checklist_state JOIN client "
            "ON client.id = checklist_state.client_id WHERE checklist_state.done IS 1 AND "
            f"({' OR '.join(terms)}) GROUP BY checklist_state.client_id"), params
