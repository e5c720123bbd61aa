"""The sync for the window: one background sync that never raises for the server's absence, and what it
announces."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.services.changes import Changes
from app.sync import engine as sync_engine
from app.sync.lock import SyncBusy
from app.sync.service import SyncReport, sync_once
from app.sync.status import URL_KEY, SyncState, status_text, sync_state
from app.sync.status import read_settings as _settings


def sync_in_background(db: Database) -> str:
    """For the window's timer (off the UI thread): sync when this laptop is set up, never raise for the
    server's absence; returns the status-bar text ('' when not in a team)."""
    if not _settings(db).get(URL_KEY):
        return ""
    try:
        sync_once(db)
    except UserError:
        pass  # remembered for the status text; retried at the next tick
    return status_text(db)


# what a sync that brought something may have touched: every view re-reads, but the database was not
# replaced, so the undo history stays (its steps check their own preconditions)
SYNCED = Changes(clients=True, stage=True, checklist=True, lessons=True, worklog=True, estimates=True,
                 documents=True, catalogue=True, settings=True, plan=True, questions=True, all_figures=True)


@dataclass(frozen=True)
class BackgroundSync:
    """One background sync for the window: its report (None when it failed or the laptop is not in a team),
    the refusal in one Russian sentence, the state after it, and the Changes to announce (None: nothing
    arrived, the views keep what they show)."""

    report: SyncReport | None
    error: str
    state: SyncState
    changes: Changes | None


def sync_for_window(db: Database, progress: sync_engine.Progress | None = None) -> BackgroundSync:
    """Sync once when this laptop is set up; never raises for the server's absence (the failure is kept
    for the status bar and the next tick retries). Runs off the UI thread; ``progress``: as :func:`sync_once`'s."""
    if not _settings(db).get(URL_KEY):
        return BackgroundSync(None, _("This laptop is not connected to a team server: run «sync setup "
                                      "--database-url …» first."), SyncState("off", ""), None)
    report: SyncReport | None = None
    error = ""
    try:
        report = sync_once(db, progress=progress)  # never waits: a sync already running (`sync` from the command line) does it all
    except SyncBusy as exc:  # not a failure: the status line keeps what it says
        error = exc.full_text()
    except UserError as exc:
        error = exc.full_text()
    if report is not None and report.refused:  # shown like a failure: the server refused something of ours
        error = " ".join(report.refused)
    changes = SYNCED if report is not None and (report.pulled or report.conflicts or report.lines
                                                 or report.answered) else None
    return BackgroundSync(report, error, sync_state(db), changes)
