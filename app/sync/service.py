"""Sync as user actions: `sync setup` (password in the system keyring), one sync, the status-bar text.

Errors reaching the server (wrong password, unreachable, revoked user, newer schema) become one Russian
UserError; the laptop's data are untouched by a failed sync and the next sync retries."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import create_engine, delete, func, insert, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
    ProgrammingError,
)

from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Client, Setting, SyncConflict, SyncOutbox, utcnow
from app.services.changes import Changes
from app.sync import engine as sync_engine
from app.sync import pulling, pushing, team_data, witness
from app.sync import status as sync_status
from app.sync import unnoted as unnoted_notes
from app.sync.address import url_password, without_password
from app.sync.conflict_list import ConflictLine, ConflictView, conflict_lines, conflicts  # noqa: F401  (re-exported)
from app.sync.lock import SyncBusy, started_mark, sync_lock
from app.sync.numbers import reserve, years_to_reserve
from app.sync.refusals import (
    KEPT,
    UNFINISHED,
    SyncRefused,
    is_address_error,
    is_local,
    keyring_available,
    local_failure,
    no_keyring,
    reason,
    server_refused,
    server_went_back,
    stopped,
    wrong_integer_refusal,
)
from app.sync.refused import StoppedAt
from app.sync.refused_lift import lift_visible
from app.sync.refused_notes import held_note, others_note
from app.sync.resolve import resolve_conflict, settle_double_billings  # noqa: F401  (resolve: re-exported)
from app.sync.rows import TABLES, table
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
from app.sync.visible import forget_visible, newly_visible
from app.team.users import LOGIN_KEY

KEYRING_SERVICE = "vnedrenie-team-server"
CONNECT_TIMEOUT_S = 5
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


def _put(db: Database, values: dict[str, str | None]) -> None:
    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        t = table("setting")
        for key, value in values.items():
            conn.execute(delete(t).where(t.c.key == key))
            if value is not None:
                conn.execute(insert(t).values(key=key, value=value))


def _connect(url: str, password: str) -> Engine:
    full = make_url(url).set(password=password)
    return create_engine(full, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


def _check_server(server: Engine, login: str, first: bool = False) -> int:
    """Schema and membership checks; returns the server's current year. Raises SyncRefused (``first``: for the
    first «sync setup» of a laptop, which has no changes to keep)."""
    from app.persistence.migrate import head_revision
    from app.sync.refusals import kept_words

    with server.connect() as conn:
        try:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except ProgrammingError as exc:
            from app.sync.refusals import no_active_member
            from app.team.pg_refusals import INSUFFICIENT_PRIVILEGE, sqlstate

            if sqlstate(exc) == INSUFFICIENT_PRIVILEGE:  # a login of the server that may not read the team's data
                raise no_active_member(None, login, first) from None
            revision = None
        if revision is None or not _has_team_schema(conn):
            raise SyncRefused("not_team", _("The database «{db}» is not a team database (the administrator runs "
                                            "«server init» on it); {kept}.").format(
                db=server.url.database or "", kept=kept_words(first)))
        if revision == head_revision() and conn.execute(text("SELECT to_regclass('sync_witness')")).scalar() is None:
            revision = "witness"  # prepared by an older «server init» (no sync_witness): run it again
        if revision != head_revision():
            from app.persistence.migrate import versions_dir

            known = {p.name.split("_", 1)[0] for p in versions_dir().glob("*.py")}
            if revision not in known and revision != "witness":
                raise SyncRefused("schema_newer", _("The team server has a newer version of the data ({rev}) than "
                                                    "this program: update the program, then sync; {kept}.").format(
                    rev=revision, kept=kept_words(first)))
            raise SyncRefused("schema_older", _("The team server has an older version of the data: the "
                                                "administrator runs «server init» with this version of the program; "
                                                "{kept}.").format(kept=kept_words(first)))
        role = conn.execute(text("SELECT vn_app_role()")).scalar()
        if role is None:  # a member switched off, or a login of the server that is no member (its owner's)
            from app.sync.refusals import no_active_member

            raise no_active_member(conn, login, first)
        return int(conn.execute(text("SELECT extract(year FROM now())::int")).scalar_one())


def _has_team_schema(conn) -> bool:
    """Whether ``server init`` prepared this database (its function ``vn_app_role`` exists)."""
    return bool(conn.execute(text("SELECT count(*) FROM pg_proc WHERE proname = 'vn_app_role'")).scalar())


def _copy_members(server: Engine, db: Database) -> int:
    """The team's roster (logins, names, positions; every member may read it): the signed-in member's own name
    and position sign the documents this laptop issues offline, and every author in «История изменений» reads
    as the same name on every laptop, not a login here and a name there. Replaced in one transaction. Returns
    how many members are new, changed or gone here (a colleague's «users add|edit|disable|enable» is a record
    taken: «получено: N» counts it)."""
    t = table("team_user")
    with server.connect() as conn:
        wanted = [dict(r) for r in conn.execute(select(t).order_by(t.c.login)).mappings()]
    if not wanted:
        return 0
    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        current = [dict(r) for r in conn.execute(select(t).order_by(t.c.login)).mappings()]
        if current == wanted:
            return 0
        conn.execute(delete(t))
        conn.execute(insert(t), wanted)
    here, there = ({r["login"]: r for r in rows} for rows in (current, wanted))
    return sum(here.get(login) != there.get(login) for login in here.keys() | there.keys())


TEAM_DATA = ("tariff", "exchange_rate", "executor", "vat_rate")  # VAT is dated (issue 10)


def _team_rows(conn, name: str) -> list[dict]:
    """A team-wide table's rows in a stable order; of ``setting`` only the team's keys (rights.TEAM_SETTINGS)."""
    from app.team.rights import TEAM_SETTINGS

    t = table(name)
    if name == "setting":
        return [dict(r) for r in conn.execute(select(t).where(t.c.key.in_(sorted(TEAM_SETTINGS)))
                                              .order_by(t.c.key)).mappings()]
    return [dict(r) for r in conn.execute(select(t).order_by(t.c.id)).mappings()]


def _copy_team_data(server: Engine, db: Database) -> int:
    """Team-wide data (tariffs, exchange rates, the executor's requisites, VAT and the team's settings) come
    from the server, where admins change them: the laptop's copy is replaced in one transaction. A table with
    an administrator's change still queued here (written while this sync ran) keeps its rows until the next
    sync sends it; a refused change was unqueued before (app/sync/team_data.py), so its table is put back to
    the server's values here. Returns how many records changed here (new, changed or gone: «получено: N» counts
    them as records, by their names, app/team/rights.py ``record_key``; a row's local id is not a change)."""
    names = (*TEAM_DATA, "setting")
    with server.connect() as conn:
        rows = {name: _team_rows(conn, name) for name in names}
    if not rows["tariff"] and not rows["executor"]:
        return 0
    taken = 0
    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        queued = set(conn.execute(select(SyncOutbox.table_name).where(SyncOutbox.table_name.in_(names))).scalars())
        for name in names:
            t = table(name)
            current = _team_rows(conn, name)
            wanted = rows[name]
            if current == wanted or name in queued:
                continue
            taken += _records_changed(name, current, wanted)
            if name == "setting":
                conn.execute(delete(t).where(t.c.key.in_([r["key"] for r in current])))
            else:
                conn.execute(delete(t))
            if wanted:
                conn.execute(insert(t), wanted)
    return taken


def _records_changed(name: str, current: list[dict], wanted: list[dict]) -> int:
    """How many records of a team-wide table differ between this laptop's rows and the server's (by name; the
    local id and the bookkeeping stamps — a fresh laptop's empty requisites stamped at its start — are no change)."""
    from app.sync.merge import BOOKKEEPING
    from app.team.rights import record_key

    def named(rows: list[dict]) -> dict[str, dict]:
        return {record_key(name, r.get): {k: v for k, v in r.items() if k != "id" and k not in BOOKKEEPING}
                for r in rows}

    here, there = named(current), named(wanted)
    return sum(here.get(key) != there.get(key) for key in here.keys() | there.keys())


def _setting_value(db: Database, key: str) -> str:
    with db.engine.connect() as conn:
        return str(conn.execute(select(Setting.value).where(Setting.key == key)).scalar() or "")


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


def keyring_password(url: str) -> str | None:
    """The saved password of ``url`` from the system keyring (None if none is saved or none can be read)."""
    import keyring

    try:
        return keyring.get_password(KEYRING_SERVICE, url)
    except Exception as exc:  # any backend's failure: the sync says the password cannot be read
        log.info("keyring: %s", exc)
        return None


def _moved_password(db: Database, url: str) -> str:
    """The stored server URL without a password: one stored with it by an earlier version is rewritten, its
    password moved to the keyring under the clean URL and the old entry removed. Returns the clean URL."""
    clean = without_password(url)
    if clean == url:
        return url
    import keyring

    password = keyring_password(url) or url_password(url)
    try:
        keyring.set_password(KEYRING_SERVICE, clean, str(password))
        keyring.delete_password(KEYRING_SERVICE, url)
    except Exception as exc:  # any backend's failure: the URL is cleaned anyway, «sync setup» saves it again
        log.info("keyring: %s", exc)
    _put(db, {URL_KEY: clean})
    return clean


def _known_member(db: Database, login: str) -> bool:
    """Whether ``login`` is an active member in this laptop's copy of the team's roster (the last sync's)."""
    from app.persistence.models import TeamUser

    with db.read() as session:
        member = session.get(TeamUser, login)
        return member is not None and bool(member.active)


def setup(db: Database, url: str, password: str) -> str:
    """Connect this laptop to the team server as the user named in ``url``; returns the login.

    Checks the password and the membership by connecting, saves the password in the system keyring (never in
    the database or a config file), remembers the URL without password, and queues every record that has
    never been synced so the first sync sends it. Raises UserError for anything that cannot work, and for a
    laptop that already synced as another member (it holds their data: a database per member)."""
    from app.sync.refusals import require_member_url

    require_member_url(url)  # worded for a laptop: a member's login, not the owner's
    parsed = make_url(url)
    login = parsed.username or ""
    if not login:
        raise UserError(_("The URL must name your login: postgresql+psycopg://LOGIN@host/db."))
    clean = without_password(url)
    if password and url_password(url) and password != url_password(url):  # which one is meant: the trial 17g
        raise UserError(_("The address has a password in it and the password file (or the prompt) gives another: "
                          "give the password once, in the file (or at the prompt), with the address without it; "
                          "nothing was saved."))
    if not keyring_available():  # asked first: a password that cannot be kept is not checked for nothing
        raise no_keyring()
    settings = _settings(db)
    first = not settings.get(URL_KEY)  # never connected: no «next sync» to promise, no changes kept
    bad_integer = wrong_integer_refusal(url, first)  # «?connect_timeout=abc»: the program's own timeout hid it
    if bad_integer is not None:
        raise bad_integer
    before = settings.get(LOGIN_KEY) or ""
    if before and before != login and _setting_value(db, sync_engine.PULLED_KEY):
        # the laptop holds what the server showed another member, with their bases: a second person on it would
        # push one's edits as the other's and never receive their own clients (the trial)
        if not _known_member(db, login):  # the server owner's login, or no member this laptop has heard of
            raise UserError(_("This laptop already syncs with the team as «{before}» and holds that member's data: "
                              "it cannot switch to «{login}», which is not a member of the team here. Each member "
                              "works in a database of their own (another data folder or --db FILE), connected "
                              "with the login the administrator added them with («users add»); the server owner's "
                              "login only prepares the server («server init»). Nothing was changed.")
                            .format(before=before, login=login))
        raise UserError(_("This laptop already syncs with the team as «{before}» and holds that member's data: it "
                          "cannot switch to «{login}». Work as «{login}» in a database of their own (another data "
                          "folder or --db FILE), and connect that one with «sync setup». Nothing was changed.")
                        .format(before=before, login=login))
    server = _connect(clean, password or url_password(url))
    try:
        _check_server(server, login, first)
        _copy_members(server, db)  # the member's role is known here from now on (app/team/rights.py)
    except (OperationalError, InterfaceError, OSError) as exc:
        raise reason(exc, clean, first=first) from None
    except ProgrammingError as exc:
        if not is_address_error(exc):
            raise
        raise reason(exc, clean, first=first) from None
    finally:
        server.dispose()
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, clean, password or url_password(url))
    except Exception as exc:  # any backend's failure (D-Bus gone, locked store …): never a plain-text fallback
        log.info("keyring: %s", exc)
        raise no_keyring() from None
    _put(db, {URL_KEY: clean, LOGIN_KEY: login, LAST_ERROR_KEY: None, LAST_KIND_KEY: None})
    unnoted_notes.clear(db)
    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        for name in TABLES:
            conn.execute(text(
                f"INSERT OR IGNORE INTO sync_outbox(table_name, record_uuid, deleted) SELECT '{name}', uuid, 0 "
                f"FROM {name} WHERE row_version = 0 "  # > 0: came from the server (its own base, app/sync/bases.py)
                f"AND uuid NOT IN (SELECT record_uuid FROM sync_base WHERE table_name = '{name}')"))
    return login


def _check_not_behind(db: Database, server: Engine) -> None:
    """Stop before anything is sent when the server's version sequence is below this laptop's watermark, or the
    server no longer holds the witness of this laptop's last sync (``refusals.server_went_back``: restored from
    an older dump; app/sync/witness.py)."""
    seen = int(_setting_value(db, sync_engine.PULLED_KEY) or 0)
    if not seen:
        return
    with server.connect() as sc:
        high = int(sc.execute(text("SELECT last_value FROM vn_row_version")).scalar() or 0)
    if high < seen:
        raise server_went_back(high, seen)
    if witness.server_went_back(db, server):  # restored, and others have drawn the sequence past us since
        raise server_went_back()


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
             "effect here.").format(n=closed)


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
