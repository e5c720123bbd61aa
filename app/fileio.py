"""Reading files named on the command line or in a dialog: regular files of a bounded size only.

Every command that reads a file the user names (CSV import, lesson plan, password file, restore, import
bundle) goes through ``check_input_file`` or ``read_input_file``. ``/dev/zero`` would fill the memory and
a FIFO would block forever in ``open()``: the file is looked at with ``os.stat`` first, opened with
``O_NONBLOCK`` (a FIFO swapped in between does not hang) and checked again on the open descriptor.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from app.errors import UserError, os_error_text
from app.i18n import _


def _not_regular(path: Path) -> UserError:
    return UserError(_("{path} is not an ordinary file (a device, a pipe or a socket); give a file "
                       "saved on a disk.").format(path=path))


def _too_large(path: Path, limit: int) -> UserError:
    return UserError(_("The file {path} is too large: at most {mb} MB is accepted.").format(
        path=path, mb=max(1, round(limit / (1024 * 1024)))))


def _unreadable(path: Path, exc: OSError) -> UserError:
    return UserError(_("Cannot read the file {path}: {error}").format(path=path, error=os_error_text(exc)))


def check_input_file(path: str | Path, max_bytes: int) -> Path:
    """The path, after checking it names an existing regular file of at most ``max_bytes`` bytes.

    Raises UserError (one Russian sentence) for a missing file, a folder, a device, a FIFO or socket,
    or a file that is too large. Follows symbolic links (the target is what is checked)."""
    path = Path(path).expanduser()
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError(_("Cannot read the file {path}: {error}").format(
            path=path, error=_("this is a folder, not a file")))
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(path)
    if info.st_size > max_bytes:
        raise _too_large(path, max_bytes)
    return path


def read_input_file(path: str | Path, max_bytes: int) -> bytes:
    """The whole contents of a regular file of at most ``max_bytes`` bytes (see ``check_input_file``).

    The size is checked before and while reading, so a file that grows meanwhile is refused too."""
    path = check_input_file(path, max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced by a FIFO or device after the stat
            raise _not_regular(path)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise _too_large(path, max_bytes)
            chunks.append(chunk)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    finally:
        os.close(fd)
    return b"".join(chunks)
