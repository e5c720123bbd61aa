"""A failed sync the laptop's database could not keep (a read-only file, a full disk), noted beside it.

The status line of another process (`sync status`, the window opened later) reads the database; when the
failure could not be written there, it is written into ``failures.json`` in the user's state folder
(app/config.py ``state_dir``), keyed by the database's path, with the time and the last success the database
held then. ``app.sync.service`` shows it while no sync has succeeded since (the database still holds that same
last success: no clock is compared), and a successful sync removes it. Every function here
swallows its own I/O errors (logged at INFO): a folder that cannot take the note either must not turn the
sync's sentence into a traceback."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.config import ensure_private_dir, state_dir
from app.persistence.db import Database
from app.persistence.models import utcnow

FILE_NAME = "failures.json"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Unnoted:
    """A failure noted beside the database: its sentence, its kind (SyncRefused.kind), when (naive UTC), and
    the database's last success when it failed (its LAST_OK_KEY text, '' for none; None: it could not be read,
    then ``at`` is compared with the last success instead)."""

    error: str
    kind: str
    at: datetime
    after: str | None = None


def key_of(db: Database) -> str:
    """The database's key in the notes: a SQLite file by its resolved path, another database by its URL
    without the password."""
    path = db.sqlite_path
    if path is not None:
        try:
            return str(path.expanduser().resolve())
        except OSError:
            return str(path)
    return db.engine.url.render_as_string(hide_password=True)


def _path() -> Path:
    return state_dir() / FILE_NAME


def _load() -> dict[str, dict]:
    """The notes file as a dict ({} when missing, unreadable or not ours)."""
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.info("the notes of failed syncs could not be read", exc_info=True)
        return {}
    return data if isinstance(data, dict) else {}


def _save(data: dict[str, dict]) -> None:
    """Replace the notes file at once (a temporary file renamed over it); raises OSError."""
    folder = ensure_private_dir(_path().parent)
    fd, tmp = tempfile.mkstemp(prefix=".failures-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
        os.replace(tmp, _path())
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def note(db: Database, error: str, kind: str, after: str | None) -> bool:
    """Keep a failed sync beside the database (now, naive UTC; ``after``: see ``Unnoted``). Returns whether it
    was kept; never raises."""
    try:
        data = _load()
        data[key_of(db)] = {"error": error, "kind": kind, "at": utcnow().isoformat(), "after": after}
        _save(data)
        return True
    except (OSError, ValueError):
        log.info("the failed sync could not be noted in the state folder either", exc_info=True)
        return False


def read(db: Database) -> Unnoted | None:
    """The failure noted for this database, or None (none, or a note that does not parse); never raises."""
    entry = _load().get(key_of(db))
    if not isinstance(entry, dict):
        return None
    try:
        at = datetime.fromisoformat(str(entry["at"])).replace(tzinfo=None)
        error, kind = str(entry["error"]), str(entry.get("kind") or "refused")
    except (KeyError, TypeError, ValueError):
        return None
    after = entry.get("after")
    return Unnoted(error, kind, at, after if isinstance(after, str) else None) if error else None


def clear(db: Database) -> None:
    """Forget this database's note (a sync succeeded, or the database took the failure itself); never raises."""
    try:
        data = _load()
        if data.pop(key_of(db), None) is not None:
            _save(data)
    except (OSError, ValueError):
        log.info("the note of a failed sync could not be removed", exc_info=True)
