"""A laptop file copied to another computer or folder becomes an installation of its own (trial 17f, finding 2).

A synced laptop issues document numbers offline from the blocks it reserved on the team server
(app/sync/numbers.py). A copy of its file carried the same blocks, so the original and the copy printed the same
act number offline; the server could only put the second one under another series after the paper was signed.
The copy also carried the same installation id, so a bundle from one to the other was taken for the importer's own
file and merged as nothing new (its edits were dropped without a word), and the sync's witness
(app/sync/witness.py) was shared by two files.

So each file keeps where it lives — a hash of the machine's id (the ``py-machineid`` library: /etc/machine-id,
the Windows MachineGuid, the macOS IOPlatformUUID), its own path and its inode — and :func:`settle`, run when
the program opens it, compares. The same machine and path: nothing to do. The same machine, another path and the
same inode: the file was moved, it keeps everything. Otherwise it is a copy: it takes a new
installation id, gives up the numbers left in its blocks (the original still holds them; the next sync reserves
new blocks, so the series gets a gap, never a duplicate) and forgets its witness (the next sync leaves its own).
It remembers the file it was copied from and that file's export counter then (``COPIED_AT_KEY``): the original's
bundles numbered up to it hold nothing the copy has not, and merge into it as into the original — against
themselves (tester T, 2026-12-06: an older bundle of the original met the copy's later edits as conflicts).
A file restored from one of its own backups lives where it lived and keeps everything (app/sync/number_marks.py
guards its numbers)."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sqlite3
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from app.persistence.db import Database
from app.persistence.models import ExchangeBase, NumberBlock, Setting
from app.sync.witness import INSTALLATION_KEY, WITNESS_KEY

HOME_KEY = "file.home"  # setting: JSON {"machine": hashed machine id, "path": resolved path, "file": "dev:inode"}
COPIED_FROM_KEY = "file.copied_from"  # setting of a copy: the installation id it was a copy of
# setting of a copy: the export counter it had then (versioned_clock): the original's exports up to it are its history
COPIED_AT_KEY = "file.copied_at_export"
CLOCK_KEY = "exchange.clock"  # versioned_clock.CLOCK_KEY: the file's export counter
APP_ID = "vnedrenie"  # the machine id is hashed with it, never stored as it is


@dataclass(frozen=True)
class Copied:
    """What :func:`settle` did to a copied file: ``released`` numbers given up from its reserved blocks (0 for a
    file of a computer outside a team), its new installation id."""

    released: int
    installation: str


def copied_notice(copied: Copied) -> str:
    """The sentence the user reads once after opening a copied file (CLI: on stderr; window: the status bar)."""
    from app.i18n import _, format_number

    if copied.released:
        return _("This database file was copied from another computer or folder. The program takes it for a copy of "
                 "its own, with its own document numbers: the {count} numbers of its reserved blocks belong to the "
                 "original file, and this copy reserves new ones at its next sync. If the file was opened by "
                 "mistake, open the original; otherwise nothing needs doing.").format(count=format_number(copied.released))
    return _("This database file was copied from another computer or folder. The program takes it for a copy of its "
             "own: exchange files passed between this copy and the original merge the changes of both. If the file "
             "was opened by mistake, open the original; otherwise nothing needs doing.")


@cache
def machine() -> str:
    """This computer's id as a hex SHA-256 keyed with the program's name (``machineid.hashed_id``); the host
    name's hash where the system keeps no machine id (a bare container). Read once per process (on Windows the
    registry through ``winregistry``; macOS asks ``ioreg``). Raises nothing."""
    try:
        import machineid

        found = machineid.hashed_id(APP_ID)
        if found:
            return str(found)
    except Exception:  # any failure of the library: the host name stands in
        pass
    return hashlib.sha256(f"{APP_ID}:{platform.node()}".encode()).hexdigest()


def _path(path: Path) -> str:
    return os.path.normcase(str(path.expanduser().resolve()))


def settle(db: Database) -> Copied | None:
    """Compare where the SQLite file of ``db`` lives with where it lived when last opened; a copy becomes an
    installation of its own (module docstring), in one transaction. Returns :class:`Copied` for a copy, None
    otherwise (PostgreSQL, an in-memory database, the first opening, the same place, a move, and a file that
    cannot be written: read-only, which issues nothing, or busy past the wait, settled at the next opening)."""
    path = db.sqlite_path
    if path is None:
        return None
    try:
        return _settle(db, path)
    except OperationalError:
        return None


def _settle(db: Database, path: Path) -> Copied | None:
    here = {"machine": machine(), "path": _path(path), "file": _file_id(path)}
    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        values = dict(conn.execute(select(Setting.key, Setting.value).where(
            Setting.key.in_((HOME_KEY, INSTALLATION_KEY)))).all())
        home = _read_home(values.get(HOME_KEY))
        if home == here:
            return None
        _set(conn, HOME_KEY, json.dumps(here, ensure_ascii=False))
        if home is None or not _copied(home, here, values.get(INSTALLATION_KEY) or ""):
            return None  # the first opening since this was kept, the same place, or a move on its own computer
        new = str(uuid.uuid4())
        _set(conn, INSTALLATION_KEY, new)
        _set(conn, COPIED_FROM_KEY, values.get(INSTALLATION_KEY) or "")
        _set(conn, COPIED_AT_KEY, str(_clock(conn)))  # a copy of a copy: its nearest original replaces the first
        conn.execute(delete(Setting).where(Setting.key == WITNESS_KEY))
        released = _release_blocks(conn)
    return Copied(released=released, installation=new)


def read_identity(live: Path) -> tuple[str, str] | None:
    """(installation id, home JSON) of the SQLite file ``live``, read-only; None when it has none or cannot be read
    (taken before a restore replaces it: :func:`take_back`)."""
    try:
        con = sqlite3.connect(f"file:{live}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return None
    try:
        values = dict(con.execute("SELECT key, value FROM setting WHERE key IN (?, ?)", (INSTALLATION_KEY, HOME_KEY)))
    except sqlite3.Error:
        return None
    finally:
        con.close()
    installation = values.get(INSTALLATION_KEY)
    return (str(installation), str(values.get(HOME_KEY) or "")) if installation else None


def take_back(db: Database, identity: tuple[str, str] | None, marks: list[tuple[str, int, int, int, str, int]]) -> bool:
    """After a restore into ``db``: a backup of this very file that was opened elsewhere meanwhile (``--db
    backup.sqlite3``: settled there as a copy of it, ``COPIED_FROM_KEY``) is this file's own again — its
    installation id and home (``identity``: :func:`read_identity` of the file it replaced) and, for each of its
    blocks, exactly how far it was used (``marks``: number_marks.read_marks of that file), undoing the release.
    Returns whether it did (the trial 17h, finding 3: a peek at one's own backup cost the laptop its identity and
    numbers at the restore)."""
    if identity is None:
        return False
    installation, home = identity
    with db.engine.begin() as conn:
        came_from = conn.execute(select(Setting.value).where(Setting.key == COPIED_FROM_KEY)).scalar()
        if not came_from or came_from != installation:
            return False
        _set(conn, INSTALLATION_KEY, installation)
        if home:
            _set(conn, HOME_KEY, home)
        conn.execute(delete(Setting).where(Setting.key.in_((COPIED_FROM_KEY, COPIED_AT_KEY))))
        for kind, year, first, _last, _login, used_to in marks:
            conn.execute(update(NumberBlock).where(NumberBlock.kind == kind, NumberBlock.year == year,
                                                   NumberBlock.first == first).values(next=used_to))
    return True


def _clock(conn: Connection) -> int:
    """The file's export counter: every export number it made or saw (``versioned_clock._clock``, read here
    since app/persistence opens files through this module and may not reach app/exchange)."""
    try:
        stored = int(conn.execute(select(Setting.value).where(Setting.key == CLOCK_KEY)).scalar() or 0)
    except ValueError:
        stored = 0
    return max(stored, int(conn.execute(select(func.max(ExchangeBase.version))).scalar() or 0))


def _file_id(path: Path) -> str:
    """«device:inode» of the file ('' where the file system gives none): ``mv`` on one file system keeps it, a
    copy never has it."""
    try:
        info = path.stat()
    except OSError:
        return ""
    return f"{info.st_dev}:{info.st_ino}" if info.st_ino else ""


def _copied(home: dict[str, str], here: dict[str, str], installation: str) -> bool:
    """Whether the file that lived at ``home`` and now is ``here`` is a copy. Another machine: yes. The same path:
    no (one file at a path; replaced there, as a restore does, it is still this computer's file). Another path:
    a move when the file is the same one (its inode, which ``mv`` keeps) — a copy and the original moved away
    afterwards both left the old path, so an emptied old path proves nothing (the trial 17h); with no inode to
    compare, when no file of this installation is left at the old path."""
    if home["machine"] != here["machine"]:
        return True
    if home["path"] == here["path"]:
        return False
    if home.get("file") and here["file"]:
        return home["file"] != here["file"]
    return _holds(Path(home["path"]), installation)


def _read_home(value: str | None) -> dict[str, str] | None:
    try:
        home = json.loads(value) if value else None
    except ValueError:
        return None
    if not isinstance(home, dict) or not isinstance(home.get("machine"), str) or not isinstance(home.get("path"), str):
        return None
    return {"machine": home["machine"], "path": home["path"], "file": str(home.get("file") or "")}


def _holds(path: Path, installation: str) -> bool:
    """Whether a file of the installation ``installation`` is still at ``path`` (then this one is a copy of it).
    An unreadable file there counts as one: giving up numbers is safe, issuing them twice is not."""
    if not installation:
        return path.exists()
    try:
        if not path.is_file():
            return False
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except (OSError, sqlite3.Error):
        return True
    try:
        row = con.execute("SELECT value FROM setting WHERE key = ?", (INSTALLATION_KEY,)).fetchone()
    except sqlite3.Error:
        return True
    finally:
        con.close()
    return row is not None and str(row[0]) == installation


def _set(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(Setting).where(Setting.key == key))
    conn.execute(insert(Setting).values(key=key, value=value))


_LEFT = text("SELECT coalesce(sum(max(b.last - max(b.next, coalesce((SELECT max(d.number) + 1 FROM document d "
              "WHERE d.series = '' AND d.kind = b.kind AND d.year = b.year AND d.number BETWEEN b.first AND b.last), "
              "b.first)) + 1, 0)), 0) FROM number_block b")  # numbers.free_in_blocks' count, for every block


def _release_blocks(conn: Connection) -> int:
    """Mark every reserved block used up (``next`` past ``last``); how many numbers that gave up."""
    released = int(conn.execute(_LEFT).scalar_one())
    conn.execute(update(NumberBlock).values(next=NumberBlock.last + 1))
    return released
