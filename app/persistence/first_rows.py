"""The client rows of a SQLite file read with the standard library, for the window's first screen.

Importing SQLAlchemy and the models costs ~200 ms, more than the rest of a start; the window shows the
clients read here first and opens the database properly (migrations, seed, sessions) meanwhile. The four
statements are those of ``app.services.clients._statements`` on SQLite written out as SQL (the counters from
``client_counts``, migration 0016), each result read in one step (app.persistence.json_rows), and the rows go
through the same ``app.domain.client_summary.assemble_counted``: tests/unit/test_first_rows.py compares the two
readers row by row. No SQLAlchemy may be imported here (tests/ui/test_startup.py checks it)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import chain
from operator import itemgetter
from pathlib import Path

from app.domain.client_summary import ClientSummary, assemble_counted, group_contacts
from app.domain.stalled import STALLED_DAYS_KEY, parse_stalled_days
from app.gcpause import paused_gc
from app.persistence.json_rows import ReadRowByRow, ordered_chunks
from app.persistence.stamps import ListBasis, read_basis

_CLIENTS = ("SELECT id, uuid, name, inn, approach, stage, stage_since, contract_no, contract_date, "
            "program_version, manager, coalesce(done_at_stage, 0) AS done, coalesce(lessons_done, 0) AS lessons "
            "FROM client LEFT JOIN client_counts ON client_counts.client_id = client.id")
_CLIENT_COLUMNS = ("id", "uuid", "name", "inn", "approach", "stage", "stage_since", "contract_no", "contract_date",
                   "program_version", "manager", "done", "lessons")
_CLIENT_ORDER = (("name", "id"), (2, 0))  # the list's order; the columns' positions in a row
_TEMPLATES = "SELECT code, stage FROM checklist_template"
_ACTIVE = "SELECT code FROM lesson WHERE active IS 1"
_CONTACTS = "SELECT id, client_id, name, phone, email FROM contact"
_CONTACT_COLUMNS = ("id", "client_id", "name", "phone", "email")
_PERSON = itemgetter(1, 2, 3, 4)  # (client_id, name, phone, email) of a contact row
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


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL (as ``app.config.sqlite_url`` writes it), else None."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix):]
    return Path(path) if path and path != ":memory:" and not path.startswith("file:") else None


def read_first_rows(url: str, head: str | None, pause: Callable[[], object] | None = None) -> FirstRows | None:
    """The rows ``app.services.clients.list_clients`` would give, read in one snapshot without SQLAlchemy.

    ``head``: the schema revision the program expects (app.persistence.migrate.head_revision). None — leave it
    to the full open — when the quick read cannot stand for it: not a SQLite file or not there yet, a schema
    at another revision (a migration comes first), no clients (the first-run page), or any SQLite error (the
    full open says in Russian what is wrong). Never writes: the connection is ``query_only``; it stays open in
    the answer's ``watch`` (``SnapshotWatch.unchanged`` closes it). ``pause``: called once the statements are
    read, before the rows are assembled (search texts and all: ~25 ms at 5 000 clients alone, several times that
    beside the window's thread): the start's read waits there for the window's first frame
    (app.services.first_screen)."""
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
                read = _read(conn, head)
        finally:
            conn.execute("COMMIT")
        if read is None:
            return None
        if pause is not None:  # outside the snapshot (no lock kept on a rollback-journal file) and the collector on
            pause()
        with paused_gc():
            first = read.assemble()
        first = replace(first, watch=SnapshotWatch(conn, version, path), path=path)
        return first
    except (sqlite3.Error, OSError):
        return None
    finally:
        if first is None or first.watch is None:
            conn.close()


@dataclass(frozen=True)
class _Read:
    """What the statements gave, before the rows are assembled (search texts, ClientSummary)."""

    rows: list[tuple]
    contacts: dict[int, list[str]]
    stage_of: tuple
    active_lessons: int
    stalled_days: int
    basis: ListBasis

    def assemble(self) -> FirstRows:
        return FirstRows(assemble_counted(self.rows, self.stage_of, self.active_lessons, self.contacts),
                         self.stalled_days, self.basis)


def _read(conn: sqlite3.Connection, head: str) -> _Read | None:
    versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    if versions != [(head,)]:
        return None
    basis = read_basis(conn)  # before the rows: see app.persistence.stamps
    # one step a chunk, not one a row (app.persistence.json_rows): the window's thread runs Python meanwhile
    try:
        rows = _client_rows(chain.from_iterable(ordered_chunks(conn, _CLIENT_COLUMNS, _CLIENTS, *_CLIENT_ORDER)))
    except ReadRowByRow:
        rows = _client_rows(conn.execute(f"{_CLIENTS} ORDER BY name, id"))
    if not rows:
        return None
    try:
        contacts = group_contacts(map(_PERSON, chain.from_iterable(
            ordered_chunks(conn, _CONTACT_COLUMNS, _CONTACTS, ("id",), (0,)))))
    except ReadRowByRow:
        contacts = group_contacts(map(_PERSON, conn.execute(f"{_CONTACTS} ORDER BY id")))
    stage_of = tuple(conn.execute(_TEMPLATES).fetchall())
    active = conn.execute(_ACTIVE).fetchall()
    stored = conn.execute("SELECT value FROM setting WHERE key = ?", (STALLED_DAYS_KEY,)).fetchone()
    return _Read(rows, contacts, stage_of, len(active), parse_stalled_days(stored[0] if stored is not None else None),
                 basis)


def _client_rows(found: Iterable[Sequence]) -> list[tuple]:
    """The clients' rows as assemble_counted takes them: the dates parsed."""
    return [(cid, uuid, name, inn, approach, stage, datetime.fromisoformat(since), contract_no,
             date.fromisoformat(signed) if signed else None, version, manager, done, lessons)
            for cid, uuid, name, inn, approach, stage, since, contract_no, signed, version, manager, done, lessons
            in found]
