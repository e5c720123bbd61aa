"""Importing a bundle: the whole file checked, then merged in one transaction, backed up before it commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.exchange.apply import apply
from app.exchange.bundle import BundleInfo, _refused
from app.exchange.bundle_error import BundleError
from app.exchange.bundle_read import load_bundle
from app.exchange.changeset import Changeset
from app.exchange.merge_report import MergeReport
from app.i18n import _
from app.persistence.page_cache import larger_page_cache
from app.services.changes import DATABASE_REPLACED, Changes

# SQLite's page cache while an import writes (KiB): 2 000 clients' import 68.7 -> 59.3 s beside the default 2 MB
IMPORT_CACHE_KIB = 65_536


@dataclass(frozen=True)
class ImportResult:
    info: BundleInfo
    report: MergeReport
    backup_path: Path | None
    changes: Changes


def import_bundle(db, path: str | Path, password: str | None = None, *, backup: bool = True,
                  now: datetime | None = None) -> ImportResult:
    """Merge a bundle: the whole file is checked first, then one transaction merges it, backed up (SQLite,
    ``backup``) before it commits when it changed anything (``ImportResult.backup_path`` None otherwise).

    A format-2 file is merged by versions (docs/sync.md «Bundles»: conflicts recorded for «sync conflicts»,
    no clock compared); a format-1 file, made by an older program, by the old rule (newer ``updated_at``
    wins), ``now`` (UTC, default the clock) being what «later than now» means for its records' dates."""
    from sqlalchemy.exc import DataError, IntegrityError

    from app.exchange.bundle_stream import final, open_stream

    # a format-2 file is checked whole, then merged as it is read again, a chunk of rows at a time (issue 15:
    # memory bounded whatever its size); another is read whole
    streamed = open_stream(path, password)
    if streamed is not None:
        info, changeset = streamed.info, Changeset()
    else:
        info, changeset = load_bundle(path, password)
    if info.demo:
        from app.services.demo_workspace import is_demo

        if not is_demo(db):
            raise _refused(_("The file {name} was exported from the demo database: demo data never go into real "
                             "data.").format(name=Path(path).name))
    backup_path = None
    try:
        with db.unit() as s, larger_page_cache(s.connection(), IMPORT_CACHE_KIB):
            written_before = _rows_written(s) if backup and db.is_sqlite else None
            if streamed is not None:
                report = streamed.merge(s)
            else:
                report = _merge_whole(s, info, changeset, now)
            from app.services.documents.act import reconcile_in

            # an act's work stays billed by it (issue 10); a format-2 merge records a double billing as a conflict
            reconcile_in(s, sorted(report.client_ids), refuse=not report.versioned)
            from app.sync.stages import settle_stages

            # two computers that moved one client each stand where the last move went (the history keeps both)
            settle_stages(s.connection(), report.client_ids)
            if backup and db.is_sqlite and db.sqlite_path is not None and _rows_written(s) != written_before:
                from app.exchange.backup import make_backup

                # Made once the merge is known to succeed, before it commits: under WAL the copy reads the
                # last committed state, i.e. the data before this import. A failed copy cancels the import.
                backup_path = make_backup(db, "pre-import").path
    except BundleError as exc:
        raise final(exc) from None
    except (IntegrityError, DataError) as exc:
        raise _refused(_("The file's records clash with the data here: {error}").format(
            error=str(exc.orig).strip().splitlines()[0][:200] if exc.orig else exc)) from None
    # a merge replaces records wholesale: the window re-reads everything and clears its undo history
    changes = Changes(client_ids=frozenset(report.client_ids)).merge(DATABASE_REPLACED)
    return ImportResult(info=info, report=report, backup_path=backup_path, changes=changes)


def _rows_written(s) -> int:
    """SQLite's count of rows inserted, updated or deleted on this connection, triggers' included
    (``total_changes()``): equal before and after a merge when the file changed nothing, and then there is
    nothing to back up (a 5 000-client database is a 230 MB copy)."""
    return int(s.connection().exec_driver_sql("SELECT total_changes()").scalar() or 0)


def _merge_whole(s, info: BundleInfo, changeset: Changeset, now: datetime | None) -> MergeReport:
    """The merge of a changeset read whole (``load_bundle``), with the team's checks of ``import_bundle``."""
    from app.exchange.origin import check_clients_met_by_inn

    # a client met here only by its ИНН: another computer's card (issue 17), refused before any write
    check_clients_met_by_inn(s, changeset, from_team=info.team)
    from app.sync.import_note import others_in_file

    others = others_in_file(s, changeset)  # before the merge: the clients new here only
    report = apply(s, changeset, info.source_installation_id, made_at=info.created_at, now=now,
                   version=info.exchange_version, from_team=info.team)
    report.notes.extend(others)
    return report
