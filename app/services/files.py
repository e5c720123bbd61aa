"""Writing an exported file safely: through a temporary file in the same folder, never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.errors import UserError, exists_refusal, os_error_text, place_file
from app.i18n import _


def write_file(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder: never a half-written file.

    With ``overwrite=False`` an existing ``path`` is refused (UserError «add --force», ``errors.exists_refusal``),
    also when it appears while the file is written (``errors.place_file``)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UserError(_("«{path}» is a folder: give a file name.").format(path=path))
    if not overwrite and os.path.lexists(path):
        raise exists_refusal(path)
    if not folder.is_dir():
        raise UserError(_("Folder «{folder}» does not exist.").format(folder=folder))
    try:
        handle, temp_name = tempfile.mkstemp(prefix=".vnedrenie-", suffix=".part", dir=folder)
    except OSError as exc:
        raise UserError(_("Cannot write to folder «{folder}»: {error}").format(
            folder=folder, error=os_error_text(exc))) from None
    temp = Path(temp_name)
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
