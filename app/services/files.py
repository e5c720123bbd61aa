"""Writing an exported file safely: through a temporary file in the same folder, never half-written."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import (
    UserError,
    exists_refusal,
    os_error_text,
    place_file,
    refuse_special_file,
)
from app.i18n import _
from app.part_files import make_part, remove_stale_parts


def write_file(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder: never a half-written file.

    With ``overwrite=False`` an existing ``path`` is refused (UserError «add --force», ``errors.exists_refusal``),
    also when it appears while the file is written (``errors.place_file``)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UserError(_("«{path}» is a folder: give a file name.").format(path=path))
    if not overwrite and os.path.lexists(path):
        raise exists_refusal(path)
    refuse_special_file(path)
    if not folder.is_dir():
        raise UserError(_("Folder «{folder}» does not exist.").format(folder=folder))
    remove_stale_parts(path)  # what a writer of this file killed earlier left beside it
    try:
        handle, temp = make_part(path)
    except OSError as exc:
        raise UserError(_("Cannot write to folder «{folder}»: {error}").format(
            folder=folder, error=os_error_text(exc))) from None
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        place_file(temp, path, overwrite=overwrite)
    except OSError as exc:
        raise UserError(_("Cannot write the file «{path}»: {error}").format(
            path=path, error=os_error_text(exc))) from None
    finally:
        if temp.exists():
            temp.unlink()


@contextmanager
def file_target(path: Path, force: bool = True) -> Iterator[Callable[[bytes], None]]:
    """Yield a writer that puts the data into a temporary file next to ``path``; moved into place when the
    ``with`` block ends without an error (an existing file is replaced only with ``force``). Used to write a
    document inside the transaction that registers it: if the write fails, nothing is registered; if the
    transaction fails, no file appears. Raises UserError for a folder, a missing folder or an unwritable one."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UserError(_("«{path}» is a folder: give a file name such as act.pdf.").format(path=path))
    if not force and os.path.lexists(path):
        raise exists_refusal(path)
    refuse_special_file(path)
    if not folder.is_dir():
        raise UserError(_("Folder «{folder}» does not exist.").format(folder=folder))
    remove_stale_parts(path)  # what a writer of this file killed earlier left beside it
    try:
        handle, temp = make_part(path)
    except OSError as exc:
        raise UserError(_("Cannot write to folder «{folder}»: {error}").format(
            folder=folder, error=os_error_text(exc))) from None
    os.close(handle)  # written below through its name; a killed writer's file is a minute old before it is taken

    def write(data: bytes) -> None:
        try:
            with temp.open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:  # full disk…: name the file asked for, not the temporary one
            raise OSError(exc.errno, exc.strerror, str(path)) from None

    try:
        yield write
        place_file(temp, path, overwrite=force)
    finally:
        if temp.exists():
            temp.unlink()
