"""One sync at a time per laptop: a lock file beside the laptop's SQLite file, held for a whole sync.

The window's background sync and `sync` from the command line are two processes on one file; without a lock
both read the same outbox and both report the full push. The lock is the operating system's (``filelock``:
``flock``), so a process killed mid-sync (SIGKILL) releases it with its death and the next sync simply takes it
— nothing to clean up. A database that is not a file (an in-memory one in tests) is guarded inside this
process only."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime

from filelock import FileLock, Timeout

from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database

_MEMORY_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


class SyncBusy(UserError):
    """Another sync of this laptop is running: this one sent and received nothing (no failure to remember)."""


def lock_path(db: Database) -> str | None:
    """``<the SQLite file>.sync-lock``; None for a database that is not a file."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" \
            or url.database.startswith("file:"):
        return None
    return os.path.abspath(url.database) + ".sync-lock"


def busy() -> SyncBusy:
    return SyncBusy(_("A sync of this laptop is already running (in the window or from another command): this one "
                      "sent nothing — the running sync sends everything."))


@contextmanager
def sync_lock(db: Database, *, wait: float = 0) -> Iterator[None]:
    """Hold this laptop's sync lock for the block. ``wait``: seconds to wait for a running sync to finish
    (0: not at all). Raises :class:`SyncBusy` when it is still held then."""
    path = lock_path(db)
    if path is None:
        with _GUARD:
            lock = _MEMORY_LOCKS.setdefault(str(db.engine.url), threading.Lock())
        acquired = lock.acquire(timeout=wait) if wait > 0 else lock.acquire(blocking=False)
        if not acquired:
            raise busy()
        try:
            yield
        finally:
            lock.release()
        return
    file_lock = FileLock(path, thread_local=False)
    try:
        file_lock.acquire(timeout=max(0.0, wait), poll_interval=0.1)
    except Timeout:
        raise busy() from None
    try:
        yield
    finally:
        file_lock.release()


def is_running(db: Database) -> bool:
    """Whether a sync of this laptop holds the lock now (for the CLI's «waiting for it» line)."""
    try:
        with sync_lock(db):
            return False
    except SyncBusy:
        return True


# A sync that is killed (SIGKILL, a power cut) leaves no trace in the lock: the operating system releases it. So a
# sync also leaves a mark beside the file for its run (``<the SQLite file>.sync-started``: the moment it began,
# ISO, UTC), removed when it ends in any way the process sees (done, refused, failed); one found while no sync
# holds the lock is a sync that was killed (tester L, item 9: `sync status` said nothing of it).
STARTED_SUFFIX = ".sync-started"


def started_path(db: Database) -> str | None:
    """``<the SQLite file>.sync-started``; None for a database that is not a file."""
    path = lock_path(db)
    return None if path is None else path[: -len(".sync-lock")] + STARTED_SUFFIX


@contextmanager
def started_mark(db: Database) -> Iterator[None]:
    """Around one sync (inside :func:`sync_lock`): the mark of a sync under way, removed however the block ends
    in this process. A folder that cannot take the mark (read-only) only loses the «interrupted» notice."""
    from app.persistence.models import utcnow

    path = started_path(db)
    if path is not None:
        with suppress(OSError):
            with open(path, "w", encoding="utf-8") as mark:
                mark.write(utcnow().isoformat(timespec="seconds"))
    try:
        yield
    finally:
        if path is not None:
            with suppress(OSError):
                os.remove(path)


def interrupted_at(db: Database) -> datetime | None:
    """When the last sync of this laptop began, if it was killed before it ended (its mark is still there and no
    sync holds the lock); None otherwise. Naive UTC; a mark whose time does not read gives the mark's file time."""
    path = started_path(db)
    if path is None or not os.path.exists(path) or is_running(db):
        return None
    try:
        with open(path, encoding="utf-8") as mark:
            return datetime.fromisoformat(mark.read().strip()).replace(tzinfo=None)
    except (OSError, ValueError):
        try:
            return datetime.fromtimestamp(os.path.getmtime(path), UTC).replace(tzinfo=None)
        except OSError:
            return None
