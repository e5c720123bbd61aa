"""SQLite backups via the online backup API: daily and before migrations/imports/restores, with retention."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.config import data_dir, ensure_private_dir
from app.errors import (
    UserError,
    exists_refusal,
    os_error_text,
    place_file,
    refuse_special_file,
    sqlite_error_text,
)
from app.i18n import _

log = logging.getLogger(__name__)

KEEP_DAILY = 14
KEEP_MONTHLY = 12
SUFFIX = ".sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
REASONS = ("daily", "manual", "pre-migration", "pre-import", "pre-restore")
_NAME = re.compile(r"^(?P<stem>.+)_(?P<day>\d{4}-\d{2}-\d{2})_(?P<time>\d{6})(?:-(?P<seq>\d+))?_(?P<reason>[a-z-]+)\.sqlite3$")
_BUSY_TIMEOUT_S = 10.0
MAX_RESTORE_BYTES = 64 * 1024**3  # far beyond any real database; a bound for a device given by mistake


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where it is, when it was made and why."""

    path: Path
    created_at: datetime
    reason: str
    size: int
    # ``*.part`` files killed backups to the same target left beside it, removed by this one (app/part_files.py)
    leftovers: tuple[Path, ...] = ()

    @property
    def day(self) -> date:
        return self.created_at.date()


# ------------------------------------------------------------------ where


def live_path(db) -> Path:
    """The SQLite file behind ``db``; a clear refusal for PostgreSQL or an in-memory database."""
    if not db.is_sqlite:
        raise UserError(_("Backups of a PostgreSQL database are made on the server by its administrator "
                          "(pg_dump). To take the data with you, use «export --all -o FILE»."))
    path = db.sqlite_path
    if path is None:
        raise UserError(_("An in-memory database cannot be backed up."))
    return path.resolve()


def backups_dir(db) -> Path:
    """``<data dir>/backups/<file stem>-<hash of its path>``: one owner-only folder per database file."""
    path = live_path(db)
    key = hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:8]
    root = ensure_private_dir(data_dir())
    ensure_private_dir(root / "backups")
    return ensure_private_dir(root / "backups" / f"{path.stem}-{key}")


def _parse(path: Path) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if match is None or match["reason"] not in REASONS:
        return None
    try:
        created = datetime.strptime(f"{match['day']} {match['time']}", "%Y-%m-%d %H%M%S")
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path=path, created_at=created, reason=match["reason"], size=size)


def list_backups(db) -> list[BackupInfo]:
    """Backups of this database in its backups folder, newest first."""
    folder = backups_dir(db)
    found = [info for p in folder.iterdir() if p.is_file() and (info := _parse(p)) is not None]
    return sorted(found, key=lambda i: (i.created_at, i.path.name), reverse=True)


def _free_name(folder: Path, stem: str, now: datetime, reason: str) -> Path:
    base = f"{stem}_{now:%Y-%m-%d_%H%M%S}"
    candidate = folder / f"{base}_{reason}{SUFFIX}"
    seq = 2
    while candidate.exists() or candidate.with_name(candidate.name + ".part").exists():
        candidate = folder / f"{base}-{seq}_{reason}{SUFFIX}"
        seq += 1
    return candidate


# ------------------------------------------------------------------ make


def make_backup(db, reason: str = "manual", target: str | Path | None = None,
                now: datetime | None = None, *, overwrite: bool = True) -> BackupInfo:
    """Copy the live database with SQLite's online backup API into a checked, owner-only file.

    Without ``target`` the copy goes to the backups folder and old automatic copies are pruned. An existing
    ``target`` file is replaced only with ``overwrite`` (the CLI's --force; the window's save dialog asks).
    """
    if reason not in REASONS:
        raise ValueError(reason)
    source = live_path(db)
    if not source.exists():
        raise UserError(_("The database file {path} does not exist.").format(path=source))
    now = now or datetime.now()
    if target is None:
        dest = _free_name(backups_dir(db), source.stem, now, reason)
    else:
        dest = Path(target).expanduser()
        if dest.is_dir():
            dest = _free_name(dest, source.stem, now, reason)
        dest = dest.resolve()
        if dest == source or (dest.name.startswith(source.name + "-") and dest.parent == source.parent):
            raise UserError(_("A backup cannot be written over the database itself: {path}.").format(path=dest))
        if not dest.parent.is_dir():
            raise UserError(_("The folder {path} does not exist.").format(path=dest.parent))
        if not overwrite and os.path.lexists(dest):
            raise exists_refusal(dest)
        refuse_special_file(dest)
    leftovers: tuple[Path, ...] = ()
    if target is not None:  # in the backups folder, clean_leftovers does it (at start and by every retention pass)
        from app.part_files import remove_stale_parts

        leftovers = tuple(remove_stale_parts(dest))
    _copy_database(source, dest, overwrite=overwrite or target is None)
    info = BackupInfo(path=dest, created_at=now.replace(microsecond=0), reason=reason, size=dest.stat().st_size,
                      leftovers=leftovers)
    if target is None:
        prune_backups(dest.parent)
    return info


def _copy_database(source: Path, dest: Path, *, overwrite: bool = True) -> None:
    fd = -1
    part: Path | None = None
    try:
        # a name of its own (O_EXCL, owner-only): a link planted at «dest.part» is never followed, and two
        # backups to one name never write one file; while its lock is held, the cleaners know it is being written
        from app.part_files import make_part

        fd, part = make_part(dest, hidden=False)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S)
        try:
            dst = sqlite3.connect(part, timeout=_BUSY_TIMEOUT_S)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
                check = dst.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    raise UserError(_("The backup copy failed its check: {result}").format(
                        result=_("the integrity check found errors")))
            finally:
                dst.close()
        finally:
            src.close()
        _fsync(part)
        place_file(part, dest, overwrite=overwrite)
        _fsync(dest.parent)
        if os.name == "posix":
            os.chmod(dest, 0o600)
    except sqlite3.Error as exc:
        _drop(part)
        raise UserError(_("The backup could not be made: {error}").format(error=sqlite_error_text(exc))) from None
    except OSError as exc:
        _drop(part)
        raise UserError(_("The backup could not be written to {path}: {error}").format(
            path=dest, error=os_error_text(exc))) from None
    except BaseException:
        _drop(part)
        raise
    finally:
        if fd >= 0:
            os.close(fd)


def _drop(part: Path | None) -> None:
    if part is not None:
        part.unlink(missing_ok=True)


def _abandoned(path: Path) -> bool:
    """A ``*.part`` file nobody is writing: its writer's lock is free (POSIX: ``app.part_files.in_use``), or older
    than a day elsewhere."""
    from app.part_files import in_use

    try:
        import fcntl  # noqa: F401  (only whether locks can be asked)
    except ImportError:
        try:
            return (datetime.now().timestamp() - path.stat().st_mtime) > 86400
        except OSError:
            return False
    return not in_use(path)


def clean_leftovers(root: Path | None = None) -> list[Path]:
    """Remove ``*.part`` files that killed backups left in the backups folders (they hold personal data
    outside retention and erasure). Called at start and by every retention pass; a copy another instance
    is writing right now is recognised by its lock and left alone."""
    folder = root if root is not None else data_dir() / "backups"
    removed = []
    try:
        parts = [p for p in folder.rglob("*.part") if p.is_file() and not p.is_symlink()]
    except OSError:
        return []
    for part in parts:
        if _abandoned(part):
            try:
                part.unlink()
                removed.append(part)
            except OSError as exc:
                log.warning("cannot remove the leftover %s: %s", part, exc)
    return removed


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ------------------------------------------------------------------ retention


def select_to_delete(backups: list[BackupInfo], keep_daily: int = KEEP_DAILY,
                     keep_monthly: int = KEEP_MONTHLY) -> list[BackupInfo]:
    """Every backup of the ``keep_daily`` most recent days that have backups is kept; of older ones,
    the newest backup of each of the ``keep_monthly`` most recent months. The rest goes."""
    days = sorted({b.day for b in backups}, reverse=True)[:keep_daily]
    keep = {b.path for b in backups if b.day in days}
    newest_of_month: dict[tuple[int, int], BackupInfo] = {}
    for b in sorted(backups, key=lambda b: b.created_at, reverse=True):
        newest_of_month.setdefault((b.created_at.year, b.created_at.month), b)
    for month in sorted(newest_of_month, reverse=True)[:keep_monthly]:
        keep.add(newest_of_month[month].path)
    return [b for b in backups if b.path not in keep]


def prune_backups(folder: Path, keep_daily: int = KEEP_DAILY, keep_monthly: int = KEEP_MONTHLY) -> list[Path]:
    """Apply the retention rule in one backups folder; files that are not our backups are left alone,
    except the ``*.part`` leftovers of killed backups."""
    clean_leftovers(folder)
    backups = [info for p in folder.iterdir() if p.is_file() and (info := _parse(p)) is not None]
    removed = []
    for info in select_to_delete(backups, keep_daily, keep_monthly):
        try:
            info.path.unlink()
            removed.append(info.path)
        except OSError as exc:  # a locked or vanished file must not stop the app
            log.warning("cannot remove old backup %s: %s", info.path, exc)
    return removed


def daily_backup_if_due(db, today: date | None = None) -> BackupInfo | None:
    """The first start of a day makes a backup (SQLite files only; PostgreSQL is the server's job)."""
    if not db.is_sqlite or db.sqlite_path is None or not db.sqlite_path.exists():
        return None
    today = today or date.today()
    if any(b.reason == "daily" and b.day == today for b in list_backups(db)):
        return None
    now = datetime.combine(today, datetime.now().time())
    return make_backup(db, "daily", now=now)


# ------------------------------------------------------------------ checking a backup file


def check_backup_file(path: Path) -> str | None:
    """Refuse anything that is not a sound database of this program; returns its schema revision."""
    from app.persistence.migrate import alembic_config

    try:
        with path.open("rb") as fh:
            magic = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise UserError(_("Cannot read the file {path}: {error}").format(path=path, error=os_error_text(exc))) from None
    if magic != SQLITE_MAGIC:
        raise UserError(_("The file {path} is not a backup of this program's database.").format(path=path.name))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S)
        try:
            check = con.execute("PRAGMA integrity_check(1)").fetchone()[0]
            schema = _schema(con)
            revision = None
            if "alembic_version" in schema:
                rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
                revision = rows[0][0] if len(rows) == 1 else None
            broken = _broken_references(con) if check == "ok" else None
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise unreadable_backup(path, exc) from None
    if check != "ok":
        raise unreadable_backup(path, None)
    if not {"client", "alembic_version"} <= schema.keys() or not isinstance(revision, str):
        raise UserError(_("The file {path} is not a backup of this program's database.").format(path=path.name))
    from alembic.script import ScriptDirectory

    known = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision not in known:
        raise UserError(_("The backup {path} was made by a newer version of the program; update the program "
                          "to restore it.").format(path=path.name))
    expected = expected_schema(revision)
    missing = sorted(expected.keys() - schema.keys())
    if missing:
        raise UserError(_("The file {path} is not a complete backup of this program's database: the table "
                          "«{table}» is missing.").format(path=path.name, table=missing[0]))
    for table, columns in sorted(expected.items()):
        lacking = sorted(columns - schema[table])
        if lacking:
            raise UserError(_("The file {path} is not a complete backup of this program's database: the table "
                              "«{table}» lacks the column «{column}».").format(
                path=path.name, table=table, column=lacking[0]))
    if broken is not None:  # the values it holds too, so that one refusal names all (not one kind a try)
        raise unrestorable(path, broken, damaged_values(path))
    return revision


_DAMAGE_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB: the file itself is damaged (cut short, overwritten)


def unreadable_backup(path: Path, exc: sqlite3.Error | None) -> UserError:
    """The refusal of a backup SQLite cannot read (``exc``) or whose integrity check fails (None): what is wrong
    said once (not «повреждён: файл базы данных повреждён», tester L), then what to do, as the other refusals of
    a backup say it."""
    code = getattr(exc, "sqlite_errorcode", None) if exc is not None else None
    if exc is None or (isinstance(code, int) and code & 0xFF in _DAMAGE_CODES):
        said = _("The file {path} is damaged or incomplete (for example cut short while copying): it cannot be "
                 "restored.").format(path=path.name)
    else:
        said = _("The file {path} cannot be read: {error}.").format(path=path.name, error=sqlite_error_text(exc))
    return UserError(said, [_("Nothing was restored: the data are as they were; choose another backup.")])


def unrestorable(path: Path, broken: tuple[str, list[str]] | None, values: list) -> UserError:
    """The refusal of the backup ``path``: its references to records that do not exist (``_broken_references``'
    count and lines, or None) and the values it holds that the program cannot read or use (``damaged_values``,
    or []), not both none. Each kind is said with its count and first record, the rest listed below it; that
    nothing was restored is said last, after every record named (it stood between the first and the others)."""
    from app.persistence.damaged import named

    said: list[str] = []
    if broken is not None:
        count, lines = broken
        said += [_("The file {path} is damaged: records refer to records that do not exist: {n}; {first}.").format(
            path=path.name, n=count, first=lines[0]), *lines[1:]]
    if values:
        count, lines = named(values)
        heading = (_("The file {path} also holds values the program cannot read (written by another program, or "
                     "damaged): {n}; {first}.") if said else
                   _("The backup {path} holds values the program cannot read (written by another program, or "
                     "damaged): {n}; {first}."))
        said += [heading.format(path=path.name, n=count, first=lines[0]), *lines[1:]]
    said.append(_("Nothing was restored: the data are as they were; choose another backup."))
    return UserError(said[0], said[1:])


def damaged_values(path: Path) -> list:
    """The values of the SQLite file ``path`` (opened read-only) that the program cannot read or use
    (app.persistence.damaged.find_damaged), on the tables and columns it has."""
    from sqlalchemy import create_engine

    from app.persistence.damaged import find_damaged
    from app.persistence.models import Base

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S)

    engine = create_engine("sqlite://", creator=connect)
    try:
        con = connect()
        try:
            present = _schema(con)
        finally:
            con.close()
        return find_damaged(engine, list(Base.metadata.sorted_tables), present=present)
    except Exception as exc:  # SQLAlchemy wraps the driver's error (exc.orig)
        reason = getattr(exc, "orig", exc)
        if not isinstance(reason, sqlite3.Error):
            raise
        raise unreadable_backup(path, reason) from None
    finally:
        engine.dispose()


def _broken_references(con: sqlite3.Connection) -> tuple[str, list[str]] | None:
    """The records of ``con`` that refer to records that do not exist (e.g. a stage 9 another program wrote into
    client.stage, a work-log entry of client 999), as the damaged-values refusal names values
    (app.persistence.damaged.counted): the count to say («3», «1000+») and a line a record with its field and value,
    the first SHOWN of them, then «… and N more»; None when there are none. PRAGMA foreign_key_check gives (table,
    rowid, parent, foreign key id); PRAGMA foreign_key_list names the key's columns."""
    from app.persistence.damaged import FOUND_MAX, SHOWN, counted

    found = con.execute("PRAGMA foreign_key_check").fetchmany(FOUND_MAX)
    if not found:
        return None
    return counted(len(found), [_broken_reference(con, *row) for row in found[:SHOWN]])


def _broken_reference(con: sqlite3.Connection, table: str, rowid: int | None, parent: str, key_id: int) -> str:
    """One row of PRAGMA foreign_key_check said with its record, field and value."""
    columns = [r[3] for r in con.execute("SELECT * FROM pragma_foreign_key_list(?)", (table,)) if r[0] == key_id]
    if rowid is None or not columns:  # a WITHOUT ROWID table, or a key SQLite does not list: the table alone
        return _("records refer to records that do not exist (table «{table}»)").format(table=table)
    names = ", ".join(f'"{c}"' for c in columns)
    values = con.execute(f'SELECT {names} FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone() or ()
    shown = ", ".join(f"{c}: «{v}»" for c, v in zip(columns, values, strict=False))
    return _("table {table}, record {key}, {field}: no such record in «{parent}»").format(
        table=table, key=rowid, field=shown, parent=parent)


def _schema(con: sqlite3.Connection) -> dict[str, set[str]]:
    """Table name -> column names of an open SQLite database (SQLite's own tables left out)."""
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                        "AND name NOT LIKE 'sqlite_%'")]
    return {name: {r[1] for r in con.execute("SELECT * FROM pragma_table_info(?)", (name,))} for name in tables}


_EXPECTED: dict[str, dict[str, set[str]]] = {}


def expected_schema(revision: str) -> dict[str, set[str]]:
    """The tables and columns a database of this program has at ``revision``: the migrations up to it are
    run once on a scratch file and its schema read (cached per revision)."""
    if revision not in _EXPECTED:
        import tempfile

        from app.persistence.db import open_database
        from app.persistence.migrate import upgrade

        with tempfile.TemporaryDirectory(prefix="vnedrenie-schema-") as folder:
            scratch = open_database(f"sqlite:///{Path(folder) / 'schema.sqlite3'}", migrate=False, seed=False)
            try:
                upgrade(scratch, revision)
            finally:
                scratch.dispose()
            con = sqlite3.connect(Path(folder) / "schema.sqlite3")
            try:
                _EXPECTED[revision] = _schema(con)
            finally:
                con.close()
    return _EXPECTED[revision]


# ------------------------------------------------------------------ before a migration


def pre_migration_backup(db, current_revision: str | None) -> None:
    """Back up a SQLite file before a pending migration runs (``open_database(before_migration=…)``)."""
    if db.is_sqlite and db.sqlite_path is not None and db.sqlite_path.exists():
        make_backup(db, "pre-migration")
