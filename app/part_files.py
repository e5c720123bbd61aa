"""The temporary ``*.part`` file a writer puts beside its target, and the ones killed writers left there.

Every file the program writes for the user (a backup ``-o``, an export, a report, a spreadsheet) is written into a
temporary file of its own beside the target — ``.<target name>.<8 random characters>.part`` (a backup's without
the leading dot) — and moved into place when complete. A writer killed meanwhile (``kill -9``, a power cut) leaves
that file behind: a full copy of personal data, beside the target, hidden in the export's case (tester L). The
next writer of the same target knows the name and removes such a leftover (``remove_stale_parts``), but never one
that another writer is still writing: the writer holds a lock on it (``hold``), and the file must be older than a
minute as well (a writer of an older version held no lock). A command says each one it removed, on stderr
(``telling_removed``, set around every command by app/cli: tester M, the reports and spreadsheets said nothing).
"""

from __future__ import annotations

import logging
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIX = ".part"
STALE_AFTER_S = 60.0
_RANDOM = r"[a-z0-9_]{8}"  # tempfile's random part
_TELL: ContextVar[Callable[[Path], None] | None] = ContextVar("part_files_tell", default=None)


@contextmanager
def telling_removed(tell: Callable[[Path], None]) -> Iterator[None]:
    """Within the block, every leftover ``remove_stale_parts`` removes is told to ``tell`` as well, whichever
    writer removed it (a backup, an export, a report, a spreadsheet, a batch of acts): one place says it."""
    token = _TELL.set(tell)
    try:
        yield
    finally:
        _TELL.reset(token)


def make_part(target: Path, *, hidden: bool = True) -> tuple[int, Path]:
    """Create the temporary file for ``target`` beside it (O_EXCL, owner-only: never a link followed, never another
    writer's file) and lock it for as long as the returned descriptor stays open. OSError as ``mkstemp``."""
    fd, name = tempfile.mkstemp(prefix=f"{'.' if hidden else ''}{target.name}.", suffix=SUFFIX, dir=target.parent)
    hold(fd)
    return fd, Path(name)


def hold(fd: int) -> None:
    """Lock the open ``*.part`` file ``fd`` (POSIX): while it is held, no cleaner takes the file for a leftover."""
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError):
        pass


def in_use(path: Path) -> bool:
    """True when a writer still holds the file's lock (POSIX). Elsewhere False: an open file cannot be removed
    there, so the removal itself fails for a file in use."""
    try:
        import fcntl
    except ImportError:
        return False
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def remove_stale_parts(target: Path, now: float | None = None) -> list[Path]:
    """Remove the ``*.part`` files killed writers of ``target`` left beside it (the visible and the hidden name
    form): ordinary files of this user, unchanged for a minute and not locked by a writer. Returns those removed;
    a file that cannot be removed is left (logged), never an error of the command."""
    folder = target.parent if str(target.parent) else Path(".")
    pattern = re.compile(rf"^\.?{re.escape(target.name)}\.{_RANDOM}{re.escape(SUFFIX)}$")
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        names = [entry.name for entry in os.scandir(folder) if pattern.match(entry.name)]
    except OSError:
        return removed
    for name in sorted(names):
        path = folder / name
        try:
            info = path.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            continue
        if now - info.st_mtime < STALE_AFTER_S or in_use(path):
            continue
        try:
            path.unlink()
        except OSError as exc:
            log.warning("cannot remove the leftover %s: %s", path, exc)
            continue
        removed.append(path)
        tell = _TELL.get()
        if tell is not None:
            tell(path)
    return removed
