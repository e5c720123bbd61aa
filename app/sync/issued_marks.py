"""This computer's note of the highest document number each installation issued, kept outside the database file.

A laptop file put back by hand — an older copy copied over it, at the same path, so the same inode and the same
home (app/sync/file_home.py) — holds fewer documents than were printed from it, and its next act took a number
already on paper: «АУ-83/2026» twice, the sync then quietly renaming the second into the installation's series
(the trial 17i, finding 1). ``restore`` guards itself (app/sync/number_marks.py); a copy by hand cannot be seen
inside the file. So each number issued is also noted here, in the user's state folder (``config.state_dir``),
per installation, kind and year, and the next number is taken above it. The note only ever raises numbers: a
lost or unreadable note numbers as before, a note ahead of the file leaves a gap, never a duplicate."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

NAME = "issued-numbers.json"  # {"<installation id>": {"act:2026": 83, …}, …}
_PENDING = "issued_marks.pending"  # Session.info key: numbers taken in the open transaction


def note_path() -> Path:
    from app.config import state_dir

    return state_dir() / NAME


_cache: dict[str, tuple[tuple, dict]] = {}  # path -> (the file's stat key when read, its content): a batch of acts


def _stat_key(path: Path) -> tuple:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def _read() -> dict:
    """The note's content (a copy the caller may change); read again only when the file changed (another process
    noted a number), else from this process's copy: ~1 ms an act of a month's batch before."""
    path = note_path()
    try:
        key = _stat_key(path)
    except OSError:
        return {}
    kept = _cache.get(str(path))
    if kept is not None and kept[0] == key:
        return json.loads(json.dumps(kept[1]))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    _cache[str(path)] = (key, data)
    return json.loads(json.dumps(data))


def high(installation: str, kind: str, year: int) -> int:
    """The highest number of ``kind`` and ``year`` this computer noted for ``installation`` (0: none)."""
    if not installation:
        return 0
    found = _read().get(installation, {})
    value = found.get(f"{kind}:{year}", 0) if isinstance(found, dict) else 0
    return value if isinstance(value, int) else 0


def note(installation: str, kind: str, year: int, number: int) -> None:
    """Note ``number`` as issued (kept when higher than the note), written atomically; a folder that cannot be
    written is passed over (the file's own numbering still holds)."""
    if not installation:
        return
    data = _read()
    marks = data.get(installation)
    if not isinstance(marks, dict):
        marks = data[installation] = {}
    key = f"{kind}:{year}"
    if isinstance(marks.get(key), int) and marks[key] >= number:
        return
    marks[key] = number
    path = note_path()
    tmp = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".issued-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, sort_keys=True)
        os.replace(tmp, path)
        _cache[str(path)] = (_stat_key(path), data)
    except OSError:  # a full disk: no half-written temporary file left beside the note
        if tmp:
            Path(tmp).unlink(missing_ok=True)


def note_at_commit(session, installation: str, kind: str, year: int, number: int) -> None:
    """``note`` once ``session`` (a SQLAlchemy Session issuing the document) commits; nothing when it rolls back
    (a document that failed to issue leaves no gap). A no-op without an installation (the team server)."""
    if not installation:
        return
    pending = session.info.get(_PENDING)
    if pending is None:
        from sqlalchemy import event

        pending = session.info[_PENDING] = []
        event.listen(session, "after_commit", _write_pending)
        event.listen(session, "after_rollback", _drop_pending)
    pending.append((installation, kind, year, number))


def _write_pending(session) -> None:
    for installation, kind, year, number in session.info.pop(_PENDING, None) or ():
        note(installation, kind, year, number)
    session.info[_PENDING] = []


def _drop_pending(session) -> None:
    session.info[_PENDING] = []
