"""The rows of the window's first screen, read before SQLAlchemy loads (see app.persistence.first_rows)."""

from __future__ import annotations

import threading

from app.config import resolve_database_url
from app.errors import UserError
from app.persistence.first_rows import FirstRows, read_first_rows
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
