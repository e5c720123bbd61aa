"""The sync's status line: the settings a sync leaves behind, read into «Синхронизировано в 14:32», «Нет связи с
сервером — изменения сохранены на ноутбуке (12)» or the conflicts to look at (status bar, `sync status`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.domain.timeutil import to_local
from app.i18n import _, format_number
from app.persistence.db import Database
from app.persistence.models import Setting, SyncConflict, SyncOutbox
from app.sync import unnoted as unnoted_notes
from app.sync.refusals import STOPPED, UNFINISHED
from app.team.users import LOGIN_KEY

URL_KEY = "sync.url"
LAST_OK_KEY = "sync.last_ok"
LAST_ERROR_KEY = "sync.last_error"
LAST_KIND_KEY = "sync.last_error_kind"  # SyncRefused.kind of the last failed sync
LAST_REFUSED_KEY = "sync.last_refused"  # what the server refused at the last sync (team_data.py), '' for nothing

# the last failure of a sync that could not be noted in the laptop's file (read-only, full disk), per database
# (app/sync/unnoted.py key_of): the status line of this process still says it (the trial of 2026-12-01: it kept
# «Синхронизировано в …»); other processes read the note app/sync/unnoted.py keeps in the user's state folder
UNNOTED: dict[str, tuple[str, str]] = {}


def read_settings(db: Database) -> dict[str, str]:
    """This laptop's sync settings by key (the address, the last success and failure, the login), with a failure
    that could not be written into the file (read-only, full disk) put in from this process or the note beside it."""
    with db.read() as s:
        found = {r.key: r.value for r in s.scalars(select(Setting).where(Setting.key.in_(
            [URL_KEY, LAST_OK_KEY, LAST_ERROR_KEY, LAST_KIND_KEY, LOGIN_KEY, LAST_REFUSED_KEY])))}
    unnoted = UNNOTED.get(unnoted_notes.key_of(db))
    if unnoted is None and found.get(URL_KEY):  # another process's failure the file could not keep
        kept = unnoted_notes.read(db)
        if kept is not None and _no_success_since(kept, found.get(LAST_OK_KEY)):
            unnoted = (kept.error, kept.kind)
    if unnoted is not None:
        found[LAST_ERROR_KEY], found[LAST_KIND_KEY] = unnoted
    return found


def _no_success_since(kept: unnoted_notes.Unnoted, last_ok: str | None) -> bool:
    """Whether no sync succeeded since a failure noted beside the database (``last_ok``: LAST_OK_KEY's text):
    the database still holds the success it held when the sync failed; a note that could not say which, by
    its time."""
    if kept.after is not None:
        return kept.after == (last_ok or "")
    if not last_ok:
        return True
    try:
        return kept.at > datetime.fromisoformat(last_ok).replace(tzinfo=None)
    except ValueError:
        return True


def last_error(db: Database) -> str:
    """Why the last sync failed, in one Russian sentence ('' after a successful one): the status bar's tooltip;
    after a sync whose team-wide changes the server refused, what it refused (app/sync/team_data.py)."""
    settings = read_settings(db)
    return settings.get(LAST_ERROR_KEY) or settings.get(LAST_REFUSED_KEY) or ""


def pending_count(db: Database) -> int:
    """Records changed on this laptop and not yet on the server — the user's changes, not the audit lines
    that describe them (bookkeeping, sent along)."""
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(SyncOutbox).where(
            SyncOutbox.table_name != "audit_log")) or 0)


def conflict_count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.resolved.is_(False))) or 0)


def _state_line(settings: dict[str, str], pending: int) -> str:
    """The first part of the status line: the last sync's outcome with the count of changes waiting here.

    After a failed sync: «Нет связи с сервером — изменения сохранены на ноутбуке (12)» when the server could not
    be reached, else the refusal's own short words (``STOPPED``: «Сервер новее программы: обновите программу —
    …»), never «Нет связи» for a server that answered. After a successful one: «Синхронизировано в 14:32», with
    «; с тех пор изменения сохранены на ноутбуке (N)» while edits made since wait here."""
    if settings.get(LAST_ERROR_KEY):
        kind = settings.get(LAST_KIND_KEY) or "offline"  # none kept: a refusal from an older version of the program
        if not pending:  # nothing waits here: no «(0)» (the trial's «… сохранены на ноутбуке (0)»)
            return _("No connection to the server") if kind == "offline" else _(STOPPED.get(kind, UNFINISHED))
        if kind == "offline":
            return _("No connection to the server — changes are saved on the laptop ({n})").format(n=format_number(pending))
        why = STOPPED.get(kind, UNFINISHED)
        return _("{why} — changes are saved on the laptop ({n})").format(why=_(why), n=format_number(pending))
    if settings.get(LAST_OK_KEY):
        at = to_local(datetime.fromisoformat(settings[LAST_OK_KEY])).strftime("%H:%M")
        if pending:
            return _("Synchronised at {time}; changes since are saved on the laptop ({n})").format(time=at, n=format_number(pending))
        return _("Synchronised at {time}").format(time=at)
    return _("Not synchronised yet ({n} changes on the laptop)").format(n=format_number(pending))


def conflicts_part(count: int) -> str:
    """«конфликтов: 2» — the status line's last part ('' for none)."""
    return _("conflicts: {n}").format(n=format_number(count)) if count else ""


def status_text(db: Database) -> str:
    """The status-bar text, everything true at once on one line: the last sync's outcome («Синхронизировано в
    14:32», «Нет связи с сервером — изменения сохранены на ноутбуке (12)», or the last refusal's short words),
    the count of changes waiting on this laptop, and «; конфликтов: N» while conflicts are open; '' when the
    laptop is not in a team. The refusal's full sentence is :func:`last_error`."""
    settings = read_settings(db)
    if not settings.get(URL_KEY):
        return ""
    line = _state_line(settings, pending_count(db))
    count = conflict_count(db)
    return f"{line}; {conflicts_part(count)}" if count else line


@dataclass(frozen=True)
class SyncState:
    """The status bar's state. ``kind``: 'off' (not in a team), 'never' (set up, not synced yet), 'synced',
    'offline' (the last sync failed; ``error`` says why), 'conflicts' (``conflicts`` to look at; ``error`` and
    ``pending`` still say the rest). ``text`` is :func:`status_text` (everything on one line); ``head`` is its
    part before the conflicts («Нет связи с сервером — изменения сохранены на ноутбуке (12)»), so the window can
    make the count a link; ``pending`` counts the records waiting on this laptop."""

    kind: str
    text: str
    conflicts: int = 0
    pending: int = 0
    error: str = ""
    head: str = ""


def sync_state(db: Database) -> SyncState:
    """The status of this laptop's sync, read in a few small queries (for the window's status bar)."""
    settings = read_settings(db)
    if not settings.get(URL_KEY):
        return SyncState("off", "")
    count, pending = conflict_count(db), pending_count(db)
    head = _state_line(settings, pending)
    error = settings.get(LAST_ERROR_KEY) or ""
    if count:
        kind = "conflicts"
    elif error:
        kind = "offline"
    elif settings.get(LAST_OK_KEY):
        kind = "synced"
    else:
        kind = "never"
    return SyncState(kind, f"{head}; {conflicts_part(count)}" if count else head, count, pending, error, head)


def progress_text(phase: str, done: int, total: int) -> str:
    """A running sync's way, for the CLI's stderr and the window's status line: «Синхронизация: отправлено 1 200 из
    5 000» (``phase`` «push»: outbox entries sent), «Синхронизация: получено 300 из 12 000» (else: rows taken) —
    app/sync/engine.py ``Progress``."""
    words = (_("Synchronising: sent {done} of {total}") if phase == "push"
             else _("Synchronising: received {done} of {total}"))
    return words.format(done=format_number(int(done)), total=format_number(int(total)))
