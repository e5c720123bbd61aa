"""One sync as a user action: push, reserve document numbers, pull (`sync`); the status-bar text re-exported.

Errors reaching the server (wrong password, unreachable, revoked user, newer schema) become one Russian
UserError; the laptop's data are untouched by a failed sync and the next sync retries. `sync setup`:
app/sync/sync_setup.py; the window's background sync: app/sync/window_sync.py."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
)

from app.errors import UserError
from app.i18n import _, format_number
from app.persistence.db import Database
from app.persistence.models import Client, Setting, SyncConflict, utcnow
from app.sync import engine as sync_engine
from app.sync import pulling, pushing, team_data, witness
from app.sync import status as sync_status
from app.sync import unnoted as unnoted_notes
from app.sync.conflict_list import ConflictLine, ConflictView, conflict_lines, conflicts  # noqa: F401  (re-exported)
from app.sync.laptop_settings import _put, _setting_value
from app.sync.lock import started_mark, sync_lock
from app.sync.numbers import reserve, years_to_reserve
from app.sync.refusals import (
    KEPT,
    UNFINISHED,
    SyncRefused,
    is_local,
    keyring_available,
    local_failure,
    no_keyring,
    reason,
    server_refused,
    stopped,
)
from app.sync.refused import StoppedAt
from app.sync.refused_lift import lift_visible
from app.sync.refused_notes import held_note, others_note
from app.sync.resolve import resolve_conflict, settle_double_billings  # noqa: F401  (resolve: re-exported)
from app.sync.rows import table
from app.sync.server_check import _check_not_behind, _check_server, _connect
from app.sync.status import (  # noqa: F401  (the status line: re-exported)
    LAST_ERROR_KEY,
    LAST_KIND_KEY,
    LAST_OK_KEY,
    LAST_REFUSED_KEY,
    URL_KEY,
    SyncState,
    conflict_count,
    conflicts_part,
    last_error,
    pending_count,
    progress_text,
    status_text,
    sync_state,
)
from app.sync.status import read_settings as _settings
from app.sync.sync_setup import _moved_password, keyring_password
from app.sync.team_copy import _copy_members, _copy_team_data
from app.sync.visible import forget_visible, newly_visible
from app.team.users import LOGIN_KEY

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncReport:
    """What one sync did: records pushed and pulled, conflicts recorded, the status text after it, and the
    Russian sentences of what the server refused (team-wide changes of a member who is no administrator
    there: app/sync/team_data.py; each is also a conflict of kind ``refused``)."""

    pushed: int
    pulled: int
    conflicts: int
    status: str
    refused: tuple[str, ...] = ()
    lines: int = 0  # audit lines sent and taken (not in ``pushed``/``pulled``: those count records)
    not_taken: int = 0  # records sent and not taken by the server (not in ``pushed``; each has its conflict)
    notes: tuple[str, ...] = ()  # sentences about them (other members' clients kept here: app/sync/refused_notes.py)
    answered: int = 0  # open field conflicts the team's later value of their field closed (app/sync/answered.py)


def _client_uuids(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.execute(select(Client.uuid)).scalars())


def _older_trail_of_new_clients(db: Database, server: Engine, uuids: set[str], counts) -> None:
    """A client that became visible to this laptop after its first sync (assigned to this person) brings its
    whole audit trail, not only the lines written after the assignment: the pull takes the client's older
    records, and its older audit lines are fetched here (by client UUID: the trail has no client id), applied
    like a pulled page (lines already here are skipped). A first sync takes every line anyway (a snapshot)."""
    from sqlalchemy.engine import Connection

    from app.sync.rows import IdMap, payload

    if not uuids:
        return
    t = table("audit_log")
    wanted = sorted(uuids)
    for start in range(0, len(wanted), 500):
        sc: Connection
        with server.connect() as sc:
            rows = sc.execute(select(t).where(t.c.client_uuid.in_(wanted[start:start + 500]))
                              .order_by(t.c.row_version)).mappings().all()
            ids = IdMap(sc)
            items = [(r["uuid"], int(r["row_version"]), payload("audit_log", r, ids)) for r in rows]
        pulling.apply_page(db, "audit_log", items, counts)  # one laptop transaction, resumable


def sync_once(db: Database, *, password: str | None = None, today: date | None = None,
              wait: float = 0, progress: sync_engine.Progress | None = None) -> SyncReport:
    """Push, reserve document numbers, pull. Raises UserError (Russian) when the server cannot be used;
    then the failure is remembered for the status bar and nothing local is lost.

    One sync at a time per laptop (app/sync/lock.py: the window's background sync and `sync` from the command
    line are two processes): ``wait`` seconds for a running one to finish, then :class:`SyncBusy` (a UserError
    that is not remembered as a failure: this call sent and received nothing, the running sync does it all).

    ``progress(phase, done, total)`` tells the push's and the pull's way (app/sync/engine.py ``Progress``:
    «отправлено 1 200 из 5 000»), between the laptop's transactions."""
    with sync_lock(db, wait=wait), started_mark(db):  # a mark left behind says a sync was killed (lock.py)
        return _sync_locked(db, password, today, progress)


def _sync_locked(db: Database, password: str | None, today: date | None,
                 progress: sync_engine.Progress | None = None) -> SyncReport:
    settings = _settings(db)
    url, login = settings.get(URL_KEY), settings.get(LOGIN_KEY)
    if not url or not login:
        raise UserError(_("This laptop is not connected to a team server: run «sync setup --database-url …» "
                          "first."))
    url = _moved_password(db, url)
    if password is None:
        password = keyring_password(url)
    if password is None:
        error = no_keyring() if not keyring_available() else SyncRefused(
            "no_password", _("No password for the team server is saved on this laptop: run «sync setup» again; "
                             "{kept}.").format(kept=_(KEPT)))
        _fail(db, error)
        raise error
    counts = sync_engine.Counts()
    since = _last_conflict_id(db)  # the conflicts above it are this sync's
    server = _connect(url, password)
    try:
        server_year = _check_server(server, login)
        _check_not_behind(db, server)
        counts.pulled += _copy_members(server, db)  # the roster's changes are records taken too
        refused = team_data.push(db, server, counts)  # an administrator's team-wide changes; refused ones come back
        counts.pulled += _copy_team_data(server, db)
        admin = team_data.server_is_admin(server)
        withheld = _withheld_billing_lines(db, server)  # a billing by an act voided on the server: not sent

        def travels(name: str, data: dict) -> bool:
            return name != "audit_log" or (team_data.audit_line_travels(data, admin, login)
                                           and data.get("uuid") not in withheld)

        lift_visible(db, server)  # clients held here by a refusal that the server shows this member now
        pushing.push(db, server, counts, travels=travels, progress=progress)
        with server.connect() as sc, db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as lc:
            reserve(sc, lc, login, years_to_reserve(server_year, today))
        known = _client_uuids(db) if _setting_value(db, sync_engine.PULLED_KEY) else None  # None: a first sync
        pulling.pull(db, server, counts, progress)
        if known is not None:
            with db.engine.connect() as lc:
                seen_anew = set(newly_visible(lc))  # merged by ИНН or handed back (app/sync/visible.py)
            _older_trail_of_new_clients(db, server, (_client_uuids(db) - known) | seen_anew, counts)
            if seen_anew:
                with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as lc, lc.begin():
                    forget_visible(lc, seen_anew)
        restored = _settle_restored(db, login, since, set(withheld.values()))  # the trail of what this sync undid
        if restored or pending_count(db):
            # sent now, not at the next sync: those lines, and what the pull queued again (a checklist item deleted
            # elsewhere that a tick here keeps) — the status line said «с тех пор … (1)» after a sync (the trial)
            pushing.push(db, server, counts, travels=travels, progress=progress)
        witness.leave(db, server)  # the server's state this sync ended at, to be found there next time
    except UserError as exc:
        _fail(db, exc)
        raise
    except StoppedAt as exc:  # the server refused one record: named; the sync stops there until it is resolved
        error = stopped(db, exc)
        _fail(db, error)
        raise error from None
    except DBAPIError as exc:
        if is_local(exc):  # this laptop's SQLite (a full disk, a busy file): not the server's «no»
            error = local_failure(exc)
        elif isinstance(exc, (OperationalError, InterfaceError)):  # the server or the network: retried later
            error = reason(exc, url)
        else:  # the server answered «no» to something sent (a trigger, a right, a constraint)
            error = server_refused(exc)
        _fail(db, error)
        raise error from None
    except PendingRollbackError as exc:  # a connection lost inside a transaction, met again: no connection
        error = reason(exc, url)
        _fail(db, error)
        raise error from None
    except OSError as exc:  # the network, not a bug: retried at the next sync
        error = reason(exc, url)
        _fail(db, error)
        raise error from None
    except Exception:  # a bug: exit 1 with its traceback, but the status line says the sync did not finish
        _fail(db, UserError(_(UNFINISHED) + "."))
        raise
    finally:
        server.dispose()
    # (an act voided on another laptop closed its double billing here before the last push: _settle_restored)
    # to the microsecond: a failure noted beside the database names this very success (app/sync/unnoted.py)
    _put(db, {LAST_OK_KEY: utcnow().isoformat(timespec="microseconds"), LAST_ERROR_KEY: None, LAST_KIND_KEY: None,
              LAST_REFUSED_KEY: " ".join(refused) or None})
    sync_status.UNNOTED.pop(unnoted_notes.key_of(db), None)
    unnoted_notes.clear(db)
    notes = tuple(n for n in (others_note(db, counts.others), held_note(db, counts.held),
                              answered_note(counts.answered)) if n)
    return SyncReport(counts.pushed, counts.pulled, _new_open_conflicts(db, since), status_text(db),
                      tuple(refused), counts.lines, counts.refused, notes, counts.answered)


def answered_note(closed: int) -> str:
    """The sync's sentence on the conflicts it closed because the team's later value of their field arrived (''
    for none): they left the list, and the value in effect is the one decided elsewhere (app/sync/answered.py)."""
    if not closed:
        return ""
    return _("Conflicts closed: {n} — their field has been changed in the team since, and the new value is in "
             "effect here.").format(n=format_number(closed))


def _last_conflict_id(db: Database) -> int:
    from app.sync.billing_trail import last_conflict_id

    with db.engine.connect() as conn:
        return last_conflict_id(conn)


def _new_open_conflicts(db: Database, since: int) -> int:
    """The conflicts this sync recorded (id above ``since``) that are still open: a double billing that closed
    itself in the same sync (its act voided before the sync brought it) is not new for the user. A refused
    team-wide change counts as the lines «sync conflicts» shows for it (one per differing field), not by the
    sentences that say why (``SyncReport.refused``): the re-trial's «новых конфликтов: 2» over three new lines."""
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.id > since, SyncConflict.resolved.is_(False))).scalar() or 0)


def _withheld_billing_lines(db: Database, server: Engine) -> dict[str, str]:
    from app.sync.billing_trail import withheld_lines

    with db.engine.connect() as lc, server.connect() as sc:
        return withheld_lines(lc, sc)


def _settle_restored(db: Database, login: str, since: int = 0, touched: frozenset[str] | set[str] = frozenset()) -> int:
    """A local deletion the sync undid (delete against an edit, a billed entry): its audit line is dropped if
    it never left the laptop, else answered by a «restored by the sync» line (app/team/restored.py); a double
    billing closed by an act voided elsewhere passes its work to the act in force, and a billing line the sync
    overtook (``touched``: the entries of the billing lines it withheld) is dropped or answered
    (app/sync/billing_trail.py). Returns the lines written, which the caller
    sends."""
    from app.sync.billing_trail import settle_double_billings_and_trail
    from app.team.restored import settle_after_sync

    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        return (settle_double_billings_and_trail(conn, since, login, touched=touched)
                + settle_after_sync(conn, login))


def _fail(db: Database, error: UserError) -> None:
    """Remember a failed sync for the status line: its sentence and why (SyncRefused.kind)."""
    noted = (error.full_text(), str(getattr(error, "kind", "refused")))
    try:
        _put(db, {LAST_ERROR_KEY: noted[0], LAST_KIND_KEY: noted[1]})
    except Exception:  # a full or read-only disk: the error itself still reaches the user, the status line too
        sync_status.UNNOTED[unnoted_notes.key_of(db)] = noted
        log.info("the failed sync could not be noted on this laptop", exc_info=True)
        unnoted_notes.note(db, *noted, _last_ok(db))  # for `sync status` in another process (never raises)
        return
    sync_status.UNNOTED.pop(unnoted_notes.key_of(db), None)
    unnoted_notes.clear(db)  # the file says it now


def _last_ok(db: Database) -> str | None:
    """The database's last success as LAST_OK_KEY keeps it ('' for none), None when it cannot be read."""
    try:
        with db.read() as s:
            row = s.get(Setting, LAST_OK_KEY)
            return row.value if row is not None else ""
    except Exception:  # the file itself is unreadable: the note is then judged by its time
        log.info("the last sync's time could not be read", exc_info=True)
        return None
