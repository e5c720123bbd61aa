"""Restoring a backup: check it, scan its values, back up the live data, swap in one step, put back on failure."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.errors import UserError, sqlite_error_text
from app.exchange.backup import (
    _BUSY_TIMEOUT_S,
    MAX_RESTORE_BYTES,
    BackupInfo,
    _parse,
    check_backup_file,
    damaged_values,
    live_path,
    make_backup,
    unrestorable,
)
from app.exchange.restore_loss import RestoreLoss, compare
from app.i18n import _
from app.services.changes import DATABASE_REPLACED, Changes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestoreResult:
    """Where the data came from, the copy of the data replaced, and what the window must re-read."""

    restored_from: Path
    safety_backup: BackupInfo
    changes: Changes = DATABASE_REPLACED
    notices: tuple[str, ...] = ()  # a backup of another computer's file: here a computer of its own
    loss: RestoreLoss | None = None  # what the current data held that the backup does not


def _checked(db, source: str | Path) -> tuple[Path, Path]:
    """The live file and the backup ``source`` once it passed every check (UserError otherwise)."""
    live = live_path(db)
    from app.fileio import check_input_file

    path = Path(source).expanduser()
    if not os.path.lexists(path):
        raise UserError(_("The file {path} does not exist.").format(path=path))
    path = check_input_file(path, MAX_RESTORE_BYTES).resolve()
    if path == live or (live.exists() and os.path.samefile(path, live)):  # a hard link is the same file too
        raise UserError(_("This file is the open database itself; choose a backup."))
    check_backup_file(path)
    _refuse_demo_over_real(db, path)
    return live, path


def _loss(live: Path, path: Path) -> RestoreLoss:
    info = _parse(path)  # one of our backups: its name says when it was made
    return compare(live, path, info.created_at if info is not None else None)


def preview_restore(db, source: str | Path) -> RestoreLoss:
    """Check the backup ``source`` as ``restore_backup`` does (UserError when it would refuse it) and say what
    restoring it would undo: the window's confirmation shows it (app/exchange/restore_loss.py)."""
    live, path = _checked(db, source)
    return _loss(live, path)


def restore_backup(db, source: str | Path, *, allow_loss: bool = True) -> RestoreResult:
    """Replace the live data with a backup: checks it, backs up the current data first, then copies it in
    with the online backup API (one step, so other connections never see half a database). A backup holding
    values the program cannot read is refused before anything changes, unless the live data hold such values too
    (then restored, with a notice naming them: ``_damage_notice``). Without ``allow_loss`` (the CLI's --yes) a
    restore that would undo work the backup does not hold (``RestoreLoss``) is refused, naming it, nothing
    changed. Raises UserError (in Russian) on any refusal."""
    live, path = _checked(db, source)
    damage = _damage_notice(db, path)
    loss = _loss(live, path)
    if not allow_loss and not loss.empty:
        raise UserError(_("Nothing was restored: the current data hold work that the backup {name} does not.").format(
            name=path.name), loss.lines(),
            cli_hint=_("To restore it anyway, add --yes (the current data are backed up first)."))
    safety = make_backup(db, "pre-restore")
    db.engine.dispose()
    from app.sync.file_home import copied_notice, read_identity, settle, take_back
    from app.sync.number_marks import carry_floor, carry_marks, read_floor, read_marks

    # how far this computer's series and its team blocks were used: never given again after the restore
    marks, floor, identity = read_marks(live), read_floor(live), read_identity(live)
    try:
        _copy_into(path, live)
    except sqlite3.Error as exc:
        raise UserError(_("The restore failed and the data were left as they were: {error}. "
                          "The backup made before it: {path}").format(error=sqlite_error_text(exc),
                                                                        path=safety.path)) from None
    try:
        _open_restored(db)
        carry_marks(db, marks)
        carry_floor(db, floor)
        # a backup of another computer's file (or of a copy): it becomes a computer of its own here, or the two
        # would issue the same numbers from the same blocks (app/sync/file_home.py)
        # one of this file's own backups, opened elsewhere meanwhile (settled there as a copy): its own again
        copied = None if take_back(db, identity, marks) else settle(db)
    except Exception as exc:
        # the restored data cannot be used after all: put back what was there before, automatically
        _put_back(db, live, safety)
        message = exc.message if isinstance(exc, UserError) else str(exc).strip().splitlines()[0][:200]
        raise UserError(_("The restored data cannot be opened ({error}); the previous data were put back "
                          "unchanged.").format(error=message)) from None
    notices = () if copied is None else (copied_notice(copied),)
    return RestoreResult(restored_from=path, safety_backup=safety, notices=notices + damage, loss=loss)


def _put_back(db, live: Path, safety: BackupInfo) -> None:
    """Copy the data from before a restore (``safety``) back into the live file and open them again."""
    db.engine.dispose()
    try:
        _copy_into(safety.path, live)
        _open_restored(db)
    except Exception:
        log.exception("rolling back a failed restore failed")
        raise UserError(_("The restored data cannot be opened, and putting the previous data back failed "
                          "too. Restore this backup of them: {path}").format(path=safety.path)) from None


def _damage_notice(db, path: Path) -> tuple[str, ...]:
    """Before a restore replaces anything: look in the backup ``path`` for values the program cannot read or use
    (app.persistence.damaged: a copy of a file another program wrote into, or damaged). When the live data are
    sound, the restore is refused (restoring it would leave every window refusing), nothing changed and no copy
    made; when they hold such values too, the restore goes ahead (it is the way out the refusal offered) with a
    notice naming the backup's values. () for a sound backup."""
    from app.persistence.damaged import find_damaged, named
    from app.persistence.models import Base

    found = damaged_values(path)
    if not found:
        return ()
    if not find_damaged(db.engine, list(Base.metadata.sorted_tables), limit=1):
        raise unrestorable(path, None, found)
    count, lines = named(found)  # the way on said after every value (it stood between the first and the others)
    return ("\n".join([_("The restored data hold values the program cannot read, as the data before did: {n}; "
                         "{first}.").format(n=count, first=lines[0]), *lines[1:],
                       _("Correct them with the program that wrote them, or restore another backup.")]),)


def _refuse_demo_over_real(db, candidate: Path) -> None:
    """A demo database (marked by the demo setting) never replaces a real one (issue 14: the demo stays apart)."""
    from app.services.demo_workspace import DEMO_KEY, is_demo

    if is_demo(db):
        return
    con = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S)
    try:
        marked = con.execute("select value from setting where key = ?", (DEMO_KEY,)).fetchone()
    except sqlite3.Error:
        marked = None
    finally:
        con.close()
    if marked and marked[0] == "1":
        raise UserError(_("{path} is the demo database: it cannot replace your real data. Open the demo from "
                          "the start window or with «demo» instead.").format(path=candidate))


def _copy_into(source: Path, live: Path) -> None:
    """Replace the contents of ``live`` with ``source`` in one step (online backup API)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S)
    try:
        dst = sqlite3.connect(live, timeout=_BUSY_TIMEOUT_S)
        try:
            src.backup(dst, sleep=0.1)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
    finally:
        src.close()


def _open_restored(db) -> None:
    """What every command does on open: migrate an older backup to the current schema, seed what is missing,
    and read each table once, so a restore that would leave an unusable database fails here."""
    from sqlalchemy import text

    from app.persistence.migrate import upgrade_to_head
    from app.persistence.models import Base
    from app.persistence.seed import ensure_seed

    upgrade_to_head(db)
    ensure_seed(db)
    with db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            connection.execute(text(f'SELECT * FROM "{table.name}" LIMIT 1')).fetchall()
