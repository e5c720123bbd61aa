"""Files in the user cache folder that the program can rebuild: read only when regular, replaced at once.

Used by the list's name order (ui.models.name_order) and the first screen's rows (app.persistence
.first_screen_cache). A cache never stops the program: a missing, odd or unwritable file is the same as none."""

from __future__ import annotations

import glob
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

LEFT_OVER_S = 600  # a writer's temporary file older than this was left by a process that died


def open_cached(path: Path) -> BinaryIO | None:
    """``path`` opened for reading, or None when it is missing, unreadable or not a regular file (a pipe put
    there would block ``open`` and the start with it)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        return open(path, "rb")  # the caller closes it
    except OSError:
        return None


def replace_cached(path: Path, write: Callable[[BinaryIO], object]) -> bool:
    """Write ``path`` through ``write(file)`` into a temporary file beside it (owner-only) and put it in place at
    once, so that a reader sees the old file or the new one. False, nothing left behind, when ``write`` raises
    OSError, ValueError (e.g. a value ``marshal`` cannot write) or RuntimeError, or the folder cannot be made.
    Temporary files of this path that dead writers left are removed on success."""
    from app.config import ensure_private_dir

    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        ensure_private_dir(path.parent)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            write(out)
        os.replace(temporary, path)
    except (OSError, ValueError, RuntimeError):
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return False
    _remove_left_over(path)
    return True


def _remove_left_over(path: Path) -> None:
    now = time.time()
    for left in path.parent.glob(f"{glob.escape(path.name)}.*.tmp"):
        try:
            if now - left.stat().st_mtime > LEFT_OVER_S:
                left.unlink()
        except OSError:
            pass
