"""The client rows of a SQLite file read with the standard library, for the window's first screen.

Importing SQLAlchemy and the models costs ~200 ms, more than the rest of a start; the window shows the
clients read here first and opens the database properly (migrations, seed, sessions) meanwhile. The four
statements are those of ``app.services.client_list._statements`` on SQLite written out as SQL (the counters from
``client_counts``, migration 0016), and the rows go through the same
``app.domain.client_summary.assemble_counted``: tests/unit/test_first_rows.py compares the two readers row by row.
The rows the last window left are taken instead (``app.persistence.first_screen_cache``), but for those whose
stamps changed since, which are read by id (``_updated``). No SQLAlchemy may be imported here
(tests/ui/test_startup.py checks it)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from operator import attrgetter
from pathlib import Path

from app.domain.client_summary import ClientSummary, assemble_counted, group_contacts
from app.domain.stages import codes_known
from app.domain.stalled import STALLED_DAYS_KEY, parse_stalled_days
from app.gcpause import paused_gc
from app.persistence import first_screen_cache
from app.persistence.stamps import ListBasis, read_basis

_SELECT_CLIENTS = ("SELECT id, uuid, name, inn, approach, stage, stage_since, contract_no, contract_date, "
                   "program_version, manager, coalesce(done_at_stage, 0), coalesce(lessons_done, 0) "
                   "FROM client LEFT JOIN client_counts ON client_counts.client_id = client.id")
_CLIENTS = _SELECT_CLIENTS + " ORDER BY name, id"
_CLIENTS_OF = _SELECT_CLIENTS + " WHERE client.id IN ({marks})"
_TEMPLATES = "SELECT code, stage FROM checklist_template"
_ACTIVE = "SELECT code FROM lesson WHERE active IS 1"
_CONTACTS = "SELECT client_id, name, phone, email FROM contact ORDER BY id"
_CONTACTS_OF = "SELECT client_id, name, phone, email FROM contact WHERE client_id IN ({marks}) ORDER BY id"
_IDS_A_STATEMENT = 500  # well under SQLite's limit of bound values
_NAME_ID = attrgetter("name", "id")
KEPT_ALL, KEPT_PARTLY = "all", "partly"  # FirstRows.kept: every row from the file; all but those changed since
_TIMEOUT_S = 1.0  # a writer holding the file: the full open waits instead, with its own messages


class SnapshotWatch:
    """Whether a SQLite file is still as one read saw it: the reading connection, kept open, and its
    ``PRAGMA data_version`` taken before the read. SQLite changes that value on a connection whenever another
    connection commits to the file (https://www.sqlite.org/pragma.html#pragma_data_version), so an equal value
    later means no commit since — by this process's SQLAlchemy engine or anyone else. The file's identity
    (device, inode) is compared too: a file put in its place (a restore by rename) is another file."""

    def __init__(self, conn: sqlite3.Connection, version: int, path: Path) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._version = version
        self._path = path.resolve()
        self._identity = _identity(path)

    def unchanged(self, url: str) -> bool:
        """True when ``url`` names the same file and nothing was committed to it since the read. One answer:
        the connection is closed (a second call, or any error, says False)."""
        conn, self._conn = self._conn, None
        if conn is None:
            return False
        try:
            path = sqlite_file(url)
            if path is None or path.resolve() != self._path or _identity(path) != self._identity:
                return False
            return conn.execute("PRAGMA data_version").fetchone()[0] == self._version
        except (sqlite3.Error, OSError):
            return False
        finally:
            conn.close()


def _identity(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_dev, stat.st_ino


@dataclass(frozen=True)
class FirstRows:
    """What the first screen shows: every client's row in the list's order, and the stalled threshold (days).
    ``watch``: whether the file is still as read (the full open then need not read the rows again); ``basis``: the
    stamps the rows were read with (``app.services.list_read``: a later reload reads only the changed rows)."""

    rows: list[ClientSummary]
    stalled_days: int
    basis: ListBasis | None = None
    watch: SnapshotWatch | None = None
    path: Path | None = None  # the file read
    named: list[ClientSummary] | None = None  # the rows in name order when ``rows`` are arranged in another order
    kept: str = ""  # KEPT_ALL, KEPT_PARTLY: the last window's rows (app.persistence.first_screen_cache); "": read


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL (as ``app.config.sqlite_url`` writes it), else None."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix):]
    return Path(path) if path and path != ":memory:" and not path.startswith("file:") else None


def read_first_rows(url: str, head: str | None) -> FirstRows | None:
    """The rows ``app.services.client_list.list_clients`` would give, read in one snapshot without SQLAlchemy.

    ``head``: the schema revision the program expects (app.persistence.migrations.HEAD). None — leave it
    to the full open — when the quick read cannot stand for it: not a SQLite file or not there yet, a schema
    at another revision (a migration comes first), no clients (the first-run page), or any SQLite error (the
    full open says in Russian what is wrong). Never writes: the connection is ``query_only``; it stays open in
    the answer's ``watch`` (``SnapshotWatch.unchanged`` closes it)."""
    path = sqlite_file(url)
    if path is None or head is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path, timeout=_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    except sqlite3.Error:
        return None
    first = None
    try:
        conn.execute("PRAGMA query_only=1")
        version = conn.execute("PRAGMA data_version").fetchone()[0]  # before the snapshot: a commit after it counts
        conn.execute("BEGIN")  # one snapshot for the reads
        try:
            with paused_gc():  # thousands of acyclic rows: see app/gcpause.py (at 50 000 clients ~0.2 s)
                first = _read(conn, head, path)
        finally:
            conn.execute("COMMIT")
        if first is not None:
            first = replace(first, watch=SnapshotWatch(conn, version, path), path=path)
        return first
    except (sqlite3.Error, OSError, ValueError):  # ValueError: a stored date not in ISO form (the full open names it)
        return None
    finally:
        if first is None or first.watch is None:
            conn.close()


def _read(conn: sqlite3.Connection, head: str, path: Path) -> FirstRows | None:
    versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    if versions != [(head,)]:
        return None
    stalled = parse_stalled_days(_setting(conn, STALLED_DAYS_KEY))
    kept = first_screen_cache.load(conn, path, head)
    if kept is not None and kept.rows:
        if kept.exact:
            first = FirstRows(kept.rows, stalled, kept.basis, kept=KEPT_ALL)
        else:
            first = FirstRows(_updated(conn, kept), stalled, kept.basis, kept=KEPT_PARTLY)
    else:
        basis = kept.basis if kept is not None else read_basis(conn)  # before the rows: see app.persistence.stamps
        rows = _assembled(conn, _converted(conn.execute(_CLIENTS)), group_contacts(conn.execute(_CONTACTS)))
        if not rows:
            return None
        first = FirstRows(rows, stalled, basis)
    # a stage or an approach another program wrote: the full open decides (and names such a value)
    return first if codes_known(first.rows) else None


def _converted(rows: Iterable[tuple]) -> list[tuple]:
    return [(cid, uuid, name, inn, approach, stage, datetime.fromisoformat(since), contract_no,
             date.fromisoformat(signed) if signed else None, version, manager, done, lessons)
            for cid, uuid, name, inn, approach, stage, since, contract_no, signed, version, manager, done, lessons
            in rows]


def _assembled(conn: sqlite3.Connection, rows: list[tuple], contacts: dict[int, list[str]]) -> list[ClientSummary]:
    stage_of = tuple(conn.execute(_TEMPLATES).fetchall())
    active = conn.execute(_ACTIVE).fetchall()
    return assemble_counted(rows, stage_of, len(active), contacts)


def _updated(conn: sqlite3.Connection, kept: first_screen_cache.Kept) -> list[ClientSummary]:
    """The kept rows with those of ``kept.changed`` read again and ``kept.gone`` left out, in the list's order
    (name, id). ``load`` gives rows only when at most half the clients changed, and at least one client is left."""
    changed = kept.changed
    raw: list[tuple] = []
    contact_rows: list[tuple] = []
    for start in range(0, len(changed), _IDS_A_STATEMENT):
        ids = changed[start:start + _IDS_A_STATEMENT]
        marks = ",".join("?" * len(ids))
        raw += conn.execute(_CLIENTS_OF.format(marks=marks), ids)
        # a client's contacts come in one statement, in id order: group_contacts keeps each client's order
        contact_rows += conn.execute(_CONTACTS_OF.format(marks=marks), ids)
    fresh = _assembled(conn, _converted(raw), group_contacts(contact_rows))
    fresh.sort(key=_NAME_ID)
    dropped = set(changed).union(kept.gone)
    rows = [row for row in kept.rows if row.id not in dropped]
    rows += fresh
    rows.sort(key=_NAME_ID)  # two runs in order: Timsort merges them in one pass
    return rows


def _setting(conn: sqlite3.Connection, key: str) -> str | None:
    stored = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return stored[0] if stored is not None else None
