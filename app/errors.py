"""Errors the user caused: they carry one clear, already translated message; OS errors in plain words."""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

from app.i18n import N_, _

if TYPE_CHECKING:  # only named in a signature: importing sqlite3 costs the window's first paint ~2 ms
    import sqlite3

_OS_ERRORS = {
    errno.ENOENT: N_("the file or folder does not exist"),
    errno.EACCES: N_("access denied"),
    errno.EPERM: N_("access denied"),
    errno.ENOSPC: N_("no space left on the disk"),
    errno.EISDIR: N_("this is a folder, not a file"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.EROFS: N_("the disk is read-only"),
    errno.EEXIST: N_("the file already exists"),
    errno.ENAMETOOLONG: N_("the file name is too long"),
}
# primary SQLite result codes (sqlite3.Error.sqlite_errorcode & 0xff)
_SQLITE_ERRORS = {
    3: N_("access denied"),  # SQLITE_PERM
    5: N_("the database is busy in another program"),  # SQLITE_BUSY
    6: N_("the database is busy in another program"),  # SQLITE_LOCKED
    8: N_("the database file is read-only"),  # SQLITE_READONLY (a read-only file, or a file on a read-only disk)
    10: N_("input/output error"),  # SQLITE_IOERR
    11: N_("the database file is damaged"),  # SQLITE_CORRUPT
    13: N_("no space left on the disk"),  # SQLITE_FULL
    14: N_("the file cannot be opened"),  # SQLITE_CANTOPEN
    19: N_("a rule of the database refused the data"),  # SQLITE_CONSTRAINT
    26: N_("the file is not a database"),  # SQLITE_NOTADB
}


class UserError(Exception):
    """Refused input or a refused action; the message is shown to the user as is. ``cli_hint``: how to do it on the
    command line (an option to add, a command to run), printed by the CLI after the message (``cli_text``) and never
    shown in a window, which offers its own way (a window saying «(--with-remarks --reason ТЕКСТ)» was a fault).
    ``restorable``: the stored data cannot be read and a backup is the way out (app.persistence.damaged)."""

    def __init__(self, message: str, details: list[str] | None = None, *, cli_hint: str = "",
                 restorable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.cli_hint = cli_hint
        self.restorable = restorable  # the way out is restoring a backup: a window that cannot open offers it

    def full_text(self) -> str:
        return "\n".join([self.message, *self.details])

    def cli_text(self) -> str:
        """``full_text`` and, last, the command-line hint: what the CLI prints."""
        return "\n".join([self.message, *self.details, *([self.cli_hint] if self.cli_hint else [])])


class NotFoundError(UserError):
    """The named client, item or document does not exist."""


class RefusedForNow(UserError):
    """Refused by a state the user can change — the day's 24 hours are full, another timer runs — so the same action
    may be done later (freeing time, stopping that timer). The window keeps an undo or redo refused so in its history
    to be tried again (ui/undo.py); the step was dropped, and with it the way back to a deleted entry (tester H)."""


def exists_refusal(path) -> UserError:
    """A command's output file is already there and --force was not given."""
    return UserError(_("The file {path} already exists; add --force to replace it.").format(path=path))


def refuse_special_file(path) -> None:
    """Raise UserError when an output ``path`` names a device, a pipe or a socket (following a link): a writer,
    even with --force, refuses it rather than replace it (/dev/full once became a zip). A regular file, a folder,
    a missing path or a dangling link pass."""
    import os
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise UserError(_("{path} is not an ordinary file (a device, a pipe or a socket); give a file saved on a "
                          "disk.").format(path=path))


def place_file(part, target, *, overwrite: bool) -> None:
    """Move a completely written ``part`` file to ``target``: replacing it only with ``overwrite``; otherwise
    refused (UserError) if ``target`` appeared meanwhile — a hard link cannot replace an existing name."""
    import os

    if overwrite:
        os.replace(part, target)
        return
    try:
        os.link(part, target)
    except FileExistsError:
        os.unlink(part)
        raise exists_refusal(target) from None
    except OSError:  # no hard links here (a FAT-formatted USB stick): check, then move
        if os.path.lexists(target):
            os.unlink(part)
            raise exists_refusal(target) from None
        os.replace(part, target)
        return
    os.unlink(part)


def os_error_text(exc: OSError) -> str:
    """The reason of a failed file operation in the UI language (the OS gives it in English)."""
    message = _OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    if message:
        return _(message)
    if exc.errno is None:
        return _("input/output error")
    return _("input/output error (code {code})").format(code=exc.errno)


def sqlite_error_text(exc: sqlite3.Error) -> str:
    """The reason of a failed SQLite operation in the UI language."""
    code = getattr(exc, "sqlite_errorcode", None)
    message = _SQLITE_ERRORS.get(code & 0xFF) if isinstance(code, int) else None
    if message:
        return _(message)
    return _("database error (code {code})").format(code=code) if isinstance(code, int) else _("database error")
