"""The rows of the window's first screen, read before SQLAlchemy loads (see app.persistence.first_rows)."""

from __future__ import annotations

import threading
from operator import attrgetter

from app.config import resolve_database_url
from app.errors import UserError
from app.persistence.first_rows import FirstRows, read_first_rows, sqlite_file
from app.persistence.migrations import HEAD


def first_rows(db_path: str | None = None, database_url: str | None = None) -> FirstRows | None:
    """The clients of the database ``open_workspace(db_path, database_url)`` will open, read with sqlite3, or None
    when that quick read cannot stand for the full one (not a SQLite file, a migration due, no clients, an error;
    ``read_first_rows``). Never raises for a bad option: the full open says what is wrong (UserError)."""
    try:
        url = resolve_database_url(db_path, database_url)
    except UserError:  # e.g. `--db ''`
        return None
    return read_first_rows(url, HEAD)


class EarlyRead:
    """``first_rows(db_path, database_url)`` started at once in a daemon thread of its own, so that the read runs
    beside the window's imports and construction (~90 ms of a start at 5 000 clients) instead of after them.

    ``result()`` waits for it and gives its answer (a FirstRows or None), or raises what the read raised."""

    def __init__(self, db_path: str | None = None, database_url: str | None = None) -> None:
        self._done = threading.Event()
        self._answer: FirstRows | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, args=(db_path, database_url), name="first-rows", daemon=True).start()

    def _run(self, db_path: str | None, database_url: str | None) -> None:
        try:
            self._answer = first_rows(db_path, database_url)
        except BaseException as exc:  # handed to the waiting side, which reports it
            self._error = exc
        finally:
            self._done.set()

    def result(self) -> FirstRows | None:
        """The read's answer; blocks until it is there (a caller off the UI thread: the window's loader task)."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._answer


def remember(db, held: list, basis) -> bool:
    """Keep the rows of SQLite database ``db`` for the next start's first screen (app.persistence.first_screen_cache),
    at a window's close: ``held`` — the window's rows (ClientSummary, any order) read with ``basis`` (a ListBasis,
    None when it has none). When the stamps' sums and the shared inputs are still the basis's (three small
    statements), the rows are written as held; else the rows whose stamps changed are read (``read_list``: also
    rows the window wrote itself) and merged in first. Written in the first read's order (name, id; ``_keepable``).
    False, nothing written, on PostgreSQL, without a basis, for a file ``_keepable`` refuses, or when the file
    cannot be written; never raises for the database (the window is closing). ~25 ms at 5 000 clients, ~0.3 s at
    50 000, a few MB besides the rows (two sorts by one key, not a key tuple a row)."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    from app.persistence import first_screen_cache
    from app.services.list_read import read_list

    path = sqlite_file(db.url)
    if path is None or basis is None:
        return False
    try:
        if not _keepable(db):
            return False
        if not _still(db, held, basis):
            read = read_list(db, basis)
            if read.basis is None:
                return False
            held, basis = _merged(held, read), read.basis
        rows = list(held)
        rows.sort(key=attrgetter("id"))
        rows.sort(key=attrgetter("name"))  # stable: (name, id)
        return first_screen_cache.save(path, HEAD, rows, basis)
    except (SQLAlchemyError, sqlite3.Error, UserError, OSError, TypeError, ValueError):
        # the database's own fault (a stamp that is text, a name that is a BLOB): the next start reads the rows
        return False


def _keepable(db) -> bool:
    """Whether the file's rows can be kept: its text is UTF-8 (Python's str order, code point by code point, is then
    SQLite's BINARY collation's, which the first read's ORDER BY name uses; a UTF-16 file orders otherwise) and
    every client has a stamp (else the sums differ at every read and the file would never be used)."""
    with db.read() as s:
        raw = s.connection().connection.driver_connection
        if raw.execute("PRAGMA encoding").fetchone()[0] != "UTF-8":
            return False
        return not raw.execute("SELECT EXISTS (SELECT 1 FROM client LEFT JOIN client_stamp ON client_stamp.client_id"
                               " = client.id WHERE client_stamp.client_id IS NULL)").fetchone()[0]


def _still(db, held: list, basis) -> bool:
    """Whether ``held`` are the rows of ``basis``'s clients and the database's stamps and shared inputs are still
    ``basis``'s (their sums: first_screen_cache)."""
    from app.persistence.first_screen_cache import SUMS_SQL, stamp_sums
    from app.persistence.stamps import read_shared

    stamps = basis.stamps
    if None in stamps.values() or len(held) != len(stamps) or not all(row.id in stamps for row in held):
        return False
    with db.read() as s:
        raw = s.connection().connection.driver_connection  # SQLite's (sqlite_file said so), inside the read's BEGIN
        return tuple(raw.execute(SUMS_SQL).fetchone()) == stamp_sums(stamps) and read_shared(raw) == basis.shared


def _merged(held: list, read) -> list:
    """``held`` with a ``read_list`` answer's rows in (every row when it read them all), only clients it stamped."""
    if read.complete:
        return read.rows
    by_id = {row.id: row for row in held}
    for client_id in read.gone or ():
        by_id.pop(client_id, None)
    by_id.update((row.id, row) for row in read.rows)
    stamps = read.basis.stamps
    return [row for client_id, row in by_id.items() if client_id in stamps]
