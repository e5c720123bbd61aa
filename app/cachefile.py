"""Files in the user cache folder that the program can rebuild: read only when regular, replaced at once, and
removed once the database they were made from is gone.

Used by the list's name order (ui.models.name_order) and the first screen's rows (app.persistence
.first_screen_cache), named by ``cache_key`` of their database. A cache never stops the program: a missing, odd or
unwritable file is the same as none."""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

LEFT_OVER_S = 600  # a writer's temporary file older than this was left by a process that died
OWNERS = "owners.json"  # cache key → the database file its cache files were made from
PREFIXES = ("first-screen-", "name-order-")  # the cache files of a database: PREFIX + cache_key + ".bin"
UNOWNED_DAYS = 30  # a cache file no entry names (an earlier version wrote it) goes once untouched this long
_KEY = re.compile(r"[0-9a-f]{16}")


def cache_key(database: Path) -> str:
    """The part of ``database``'s cache file names that is its own: 16 hex digits of a digest of its resolved path.
    Raises RuntimeError for a loop of symbolic links in the path."""
    return hashlib.blake2b(str(database.resolve()).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


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


def _owners(folder: Path) -> dict[str, str]:
    source = open_cached(folder / OWNERS)
    if source is None:
        return {}
    try:
        with source:
            owners = json.load(source)
    except (OSError, ValueError, RecursionError):  # damaged (or nested past the parser's depth): as none
        return {}
    if not isinstance(owners, dict):
        return {}
    return {key: path for key, path in owners.items()
            if isinstance(key, str) and _KEY.fullmatch(key) and isinstance(path, str)}


def register(database: Path, now: float | None = None) -> list[Path]:
    """Note that the cache files named by ``cache_key(database)`` were made from ``database``, then ``sweep``;
    returns what the sweep removed. Two programs writing at once may lose each other's note: the next write of
    that database's cache notes it again (a file noted by nobody is only removed after UNOWNED_DAYS)."""
    try:
        key = cache_key(database)
        path = str(database.resolve())
    except (OSError, RuntimeError):
        return []
    return sweep({key: path}, now)


def sweep(new: dict[str, str] | None = None, now: float | None = None) -> list[Path]:
    """Remove the cache files of databases that no longer exist (the rows kept for the first screen hold names and
    contacts: a database deleted must not leave them behind), and files no entry names untouched for UNOWNED_DAYS;
    keep the notes of the others, with ``new`` ones (cache key → database path) added. Returns the files removed;
    an error of the disk only leaves a file for the next sweep."""
    from app.config import cache_dir

    folder = cache_dir()
    on_disk = _owners(folder)
    noted = {**on_disk, **(new or {})}
    kept: dict[str, str] = {}
    removed: list[Path] = []
    for key, path in noted.items():
        if os.path.exists(path):
            kept[key] = path
            continue
        for prefix in PREFIXES:
            removed += _remove(folder / f"{prefix}{key}.bin")
    limit = (time.time() if now is None else now) - UNOWNED_DAYS * 86_400
    for prefix in PREFIXES:
        for file in folder.glob(f"{prefix}*.bin"):
            key = file.name[len(prefix):-len(".bin")]
            try:
                old = file.stat().st_mtime < limit
            except OSError:
                continue
            if key not in kept and old:
                removed += _remove(file)
    if kept != on_disk:
        replace_cached(folder / OWNERS, lambda out: out.write(json.dumps(kept).encode()))
    return removed


def _remove(file: Path) -> list[Path]:
    try:
        file.unlink()
    except OSError:  # gone meanwhile, or not ours to remove: left as it is
        return []
    return [file]
