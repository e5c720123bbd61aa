"""What the push does with a record the team server will not take from this member (issue 17, eng17).

Three cases, each kept out of the push loop of app/sync/engine.py:

- **Another member's client** (``OTHERS_CLIENT``). A bundle carries every client of its exporter: a manager's
  «export --all» holds clients of several specialists. Imported on a specialist's laptop, such a client is
  new there and queued; the server's row-level security refuses its INSERT (SQLSTATE 42501, «new row violates
  row-level security policy»: the client is not this member's). Before, that refusal rolled back the whole
  push at every sync. Now the client's push is rolled back to its savepoint and becomes one conflict naming
  it; its records (contacts, work, documents, ticks, events, audit lines…) stay on this laptop without a
  conflict each and without being retried (``quiet``), and everything else of the batch syncs. A client the
  server no longer shows this member (``NOT_YOURS``: handed to someone else) is met the same way: its
  records stay behind with it, quietly.
- **Any other refusal of one record** (a constraint, a trigger, a right) that is no connection problem: it
  would stop every sync at the same record, so the sync stops naming the record and its client
  (:class:`StoppedAt`, worded by ``app/sync/refusals.py`` ``stopped_at``), never promising that the change
  «будет отправлено при следующей синхронизации».
- **Counts**: «отправлено» counts only what the server took (``tally``); what it refused is counted apart.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from app.persistence.models import SyncConflict

OTHERS_CLIENT = "others_client"  # sync_conflict.kind: another member's client (from a bundle) the server refused
NOT_YOURS = "not_yours"  # sync_conflict.kind: a client the server no longer shows this member (engine.NOT_YOURS)
KEPT_BY_SERVER = "kept_by_server"  # engine.KEPT_BY_SERVER
# the kinds of a client's refusal: its records stay behind with it, without a conflict each
CLIENT_REFUSALS = frozenset({OTHERS_CLIENT, NOT_YOURS})
# a pushed record's conflicts that mean the server did not take this laptop's change
NOT_TAKEN = frozenset({OTHERS_CLIENT, NOT_YOURS, KEPT_BY_SERVER, "orphan"})
# the conflict of an OTHERS_CLIENT refusal: (kind, field, this laptop, the server, kept)
OTHERS_CONFLICT = (OTHERS_CLIENT, "", "only here", "others", "local")
RLS_WORDS = "row-level security"


class StoppedAt(Exception):
    """The server refused one record of the push for a reason that will not go away by itself (not a connection
    problem): the sync stops there. ``table``, ``uuid`` and ``client_uuid`` name the record, ``cause`` is the
    driver's error (its SQLSTATE says why, app/team/pg_refusals.py)."""

    def __init__(self, table: str, uuid: str, client_uuid: str, cause: DBAPIError) -> None:
        super().__init__(f"{table} {uuid}: {cause}")
        self.table = table
        self.uuid = uuid
        self.client_uuid = client_uuid
        self.cause = cause


def stops(exc: BaseException) -> bool:
    """Whether an error of one record's push is the server's refusal of it (not the connection's failure, which
    the next sync retries: OperationalError, InterfaceError)."""
    return isinstance(exc, DBAPIError) and not isinstance(exc, (OperationalError, InterfaceError))


def refused_others_client(name: str, exc: DBAPIError) -> bool:
    """Whether ``exc`` is the server's row-level security refusing a client this member may not hold: the
    INSERT of another member's client (SQLSTATE 42501, «new row violates row-level security policy»)."""
    from app.team.pg_refusals import INSUFFICIENT_PRIVILEGE, primary, sqlstate

    return name == "client" and sqlstate(exc) == INSUFFICIENT_PRIVILEGE and RLS_WORDS in primary(exc)


def client_of(name: str, uuid: str, data: dict | None) -> str:
    """The UUID of the client a pushed record belongs to ('' for none: team-wide, a checklist item)."""
    if name == "client":
        return uuid
    return str((data or {}).get("client_uuid") or "")


def open_refusals(lc: Connection) -> set[str]:
    """The clients this laptop holds with an open refusal (``CLIENT_REFUSALS``): their records are not sent."""
    return set(lc.execute(select(SyncConflict.record_uuid).where(
        SyncConflict.table_name == "client", SyncConflict.kind.in_(sorted(CLIENT_REFUSALS)),
        SyncConflict.resolved.is_(False))).scalars())


def quiet(name: str, data: dict | None, refused_clients: set[str]) -> bool:
    """Whether a record (not a client) stays on this laptop without a word: its client was refused (in this
    push or before, still open). A deletion (``data`` None) goes as before: the server ignores what it does not
    show."""
    return name != "client" and data is not None and str(data.get("client_uuid") or "") in refused_clients


def refusal_kind(conflicts: Iterable[tuple]) -> str | None:
    """The client-refusal kind among a result's conflicts, else None."""
    return next((c[0] for c in conflicts if c[0] in CLIENT_REFUSALS), None)


def drop_repeated(lc: Connection, name: str, uuid: str, conflicts: list[tuple]) -> list[tuple]:
    """A client's refusal already open here is not recorded again (the client edited again and refused again):
    one conflict per client, however many syncs. Either kind counts: an imported client whose entry left the
    outbox has the file's server version, so its next refusal is met as ``NOT_YOURS`` (a lazy base,
    app/sync/bases.py) — the same fact, said once."""
    if not any(c[0] in CLIENT_REFUSALS for c in conflicts):
        return conflicts
    if lc.execute(select(SyncConflict.id).where(
            SyncConflict.table_name == name, SyncConflict.record_uuid == uuid,
            SyncConflict.kind.in_(sorted(CLIENT_REFUSALS)), SyncConflict.resolved.is_(False)).limit(1)).first() is None:
        return conflicts
    return [c for c in conflicts if c[0] not in CLIENT_REFUSALS]


def taken(conflicts: Iterable[tuple], keep_local: bool) -> bool:
    """Whether the server took a pushed record (a refused one is kept here or replaced by the server's)."""
    return not keep_local and not any(c[0] in NOT_TAKEN for c in conflicts)


def tally(results: list, counts) -> None:
    """Count one pushed batch (engine.Result list into engine.Counts): «отправлено» only what the server took,
    the rest apart (``counts.refused``); audit lines in ``counts.lines``; the other members' clients refused
    (a conflict recorded now, not a repeat) named in ``counts.others``."""
    for r in results:
        took = taken(r.conflicts, r.keep_local)
        if r.table == "audit_log":
            counts.lines += took
        elif took:
            counts.pushed += 1
        else:
            counts.refused += 1
        if refusal_kind(r.conflicts) == OTHERS_CLIENT:
            counts.others.append(r.uuid)


def _client_names(conn: Connection, uuids: Iterable[str]) -> dict[str, str]:
    from app.persistence.models import Client

    wanted = sorted(set(uuids) - {""})
    return dict(conn.execute(select(Client.uuid, Client.name).where(Client.uuid.in_(wanted))).all()) if wanted else {}


def stopped(db, exc: StoppedAt):
    """The one Russian sentence (refusals.SyncRefused) of a sync stopped at one record: the record as the
    conflicts name it («Контакт (Петров Пётр)»), its client's name, the server's reason."""
    from app.sync.refusals import stopped_at
    from app.team import display

    with db.read() as s:
        name = _client_names(s.connection(), [exc.client_uuid]).get(exc.client_uuid, "")
        labels = display.record_labels(s, {(exc.table, exc.uuid)})
    record = display.describe(labels, exc.table, exc.uuid, "")
    return stopped_at(exc.cause, name, record)


def others_note(db, uuids: list[str]) -> str:
    """What a sync says of other members' clients the server did not take from this member ('' for none): their
    names, that they and their records stay on this laptop only, and where to look («sync conflicts»)."""
    from app.i18n import _

    if not uuids:
        return ""
    with db.engine.connect() as conn:
        names = _client_names(conn, uuids)
    shown = ", ".join(f"«{names.get(u) or u}»" for u in uuids)
    return _("The team server does not take from you the clients of other members of the team (they came in a "
             "bundle): {names} — they and their records stay on this laptop only (see «sync conflicts»).").format(
        names=shown)


def as_issued(server: dict, data: dict) -> dict:
    """A document pushed without a base that the server already has by its UUID: the team's issued document, which
    reached this laptop in a bundle before the server's copy did — through a computer outside the team, which
    gave it its issuer's installation series («(установка …)»). What an issued document keeps (its series,
    number, kind, year, client, dates, total, contents) is the server's, as a bundle keeps them for a document
    known here (``changeset.keep_fixed``): else the server would refuse the series as a change of an issued
    document and the laptop would hold a false ``kept_by_server`` conflict, though nobody changed the act."""
    from app.exchange.changeset import keep_fixed

    return keep_fixed("document", server, data)
