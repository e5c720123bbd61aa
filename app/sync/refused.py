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
- **Counts**: «отправлено» counts only what the server took and what changed the server by it (``tally``); what
  it refused is counted apart.

Beside them: the import's note naming such clients before any sync (``others_in_file``), and the team's issued
document met first in a bundle of a computer outside the team, taken as the server issued it (``as_issued``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

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

    def __init__(self, table: str, uuid: str, client_uuid: str, cause: Exception) -> None:
        super().__init__(f"{table} {uuid}: {cause}")
        self.table = table
        self.uuid = uuid
        self.client_uuid = client_uuid
        self.cause = cause


def stops(exc: BaseException) -> bool:
    """Whether an error of one record's push is the server's refusal of it (not the connection's failure, which
    the next sync retries: OperationalError, InterfaceError)."""
    return isinstance(exc, DBAPIError) and not isinstance(exc, (OperationalError, InterfaceError))


@contextmanager
def stopping(name: str, uuid: str, row: tuple | None) -> Iterator[None]:
    """Around one record's push (``row``: its (version, payload) here, None for a deletion): the server's refusal
    of it (``stops``) becomes :class:`StoppedAt` naming the record and its client; anything else goes on."""
    try:
        yield
    except Exception as exc:
        if not stops(exc):
            raise
        raise StoppedAt(name, uuid, client_of(name, uuid, None if row is None else row[1]), exc) from exc


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
    """Count one pushed batch (engine.Result list into engine.Counts): «отправлено» only what the server took
    and what changed the server by it (``Result.changed``: inserted, updated, deleted) — not a record the server
    already held as it is (the team's own data back from a bundle), nor one whose change the server's value
    overrode (a same-field conflict kept by the server, a deletion of a record edited there); what the server
    refused apart (``counts.refused``); audit lines in ``counts.lines``; the other members'
    clients refused (a conflict recorded now, not a repeat) named in ``counts.others``."""
    for r in results:
        took = taken(r.conflicts, r.keep_local)
        if r.table == "audit_log":
            counts.lines += took
        elif not took:
            counts.refused += 1
        elif r.changed:
            counts.pushed += 1
        if refusal_kind(r.conflicts) == OTHERS_CLIENT:
            counts.others.append(r.uuid)


def client_names(conn: Connection, uuids: Iterable[str]) -> dict[str, str]:
    """uuid -> name of these clients on this connection (those not here left out)."""
    from app.persistence.models import Client

    wanted = sorted(set(uuids) - {""})
    return dict(conn.execute(select(Client.uuid, Client.name).where(Client.uuid.in_(wanted))).all()) if wanted else {}


def others_note(db, uuids: list[str]) -> str:
    """What a sync says of other members' clients the server did not take from this member ('' for none): their
    names, that they and their records stay on this laptop only, and where to look («sync conflicts»)."""
    from app.i18n import _

    if not uuids:
        return ""
    with db.engine.connect() as conn:
        names = client_names(conn, uuids)
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
    from app.team.server_triggers import DOCUMENT_KEPT

    fixed = {"client_uuid" if c == "client_id" else c for c in DOCUMENT_KEPT if c != "uuid"}
    return {k: server[k] if k in fixed and k in server else v for k, v in data.items()}


def _sees(login: str, role: str, roster: dict[str, str], spec: str, mgr: str) -> bool:
    """The server's ``vn_sees`` (app/team/server.py) with its client defaults, on the laptop's copy of the roster
    (``roster``: login -> that member's manager): whether the server takes a client with these logins from
    ``login``. A client with no specialist is a specialist's own (the server assigns it); with no manager either,
    a manager's own."""
    if role == "admin":
        return True
    if role == "specialist":
        return spec in ("", login)
    if role == "manager":
        return login in (spec, mgr) or (spec == "" and mgr == "") or (spec != "" and roster.get(spec) == login)
    return False


def others_in_file(s, changeset) -> list[str]:
    """On a team laptop, the sentence naming the clients of a bundle that are new here and that the team server
    will not take from the signed-in member (another member's: a manager's «export --all» imported by a
    specialist), for the import's report; [] outside a team, on the server, or when this member's role is not
    known here yet (the roster comes with the first sync). Read before the merge."""
    from app.i18n import _
    from app.persistence.models import Client, TeamUser
    from app.team.rights import member

    if s.get_bind().dialect.name != "sqlite":
        return []
    found = member(s)
    if found is None or found[1] is None or not found[1].active:
        return []
    login, row = found[0], found[1]
    incoming = [r for r in changeset.rows("client") if r.op == "upsert"]
    if not incoming:
        return []
    here = set(s.scalars(select(Client.uuid).where(Client.uuid.in_([r.uuid for r in incoming]))))
    roster = {u.login: u.manager_login or "" for u in s.scalars(select(TeamUser))}
    names = [str(r.values.get("name") or "") for r in incoming if r.uuid not in here and not _sees(
        login, row.role, roster, str(r.values.get("specialist_login") or ""), str(r.values.get("manager_login") or ""))]
    if not names:
        return []
    return [_("Clients of other members of the team: {names} — the team server does not take them from you, so "
              "they and their records stay on this laptop only (the sync names them in «sync conflicts»).").format(
        names=", ".join(f"«{n}»" for n in names))]


class HiddenLines:
    """The audit lines of one push batch (``lines``: uuid -> (version, payload)) whose client the server does not
    show this member (handed to someone else, another member's from a bundle): the write each describes was
    refused or kept on this laptop, so the line stays here only — the server's trail never gets a line without
    the change it describes (docs/sync.md «Team-wide data»). Asked once per batch, after its clients were sent."""

    def __init__(self, lines: dict) -> None:
        self.lines = lines
        self.visible: set[str] | None = None

    def hidden(self, sc: Connection, uuid: str, adopted: dict[str, str]) -> bool:
        """Whether the line ``uuid`` stays on this laptop (``adopted``: clients that took the server's UUID)."""
        if uuid not in self.lines:
            return False
        line = self.lines[uuid][1]
        client = adopted.get(line.get("client_uuid"), line.get("client_uuid"))
        if not client:
            return False
        if self.visible is None:  # the audit lines come last: this batch's clients are in already
            self.visible = visible_clients(sc, self.lines.values(), adopted)
        return client not in self.visible


def visible_clients(sc: Connection, lines: Iterable, adopted: dict[str, str]) -> set[str]:
    """The UUIDs among these audit lines' clients that the server shows this member (one query per 500)."""
    from app.sync.rows import table

    t = table("client")
    wanted = sorted({adopted.get(d.get("client_uuid"), d.get("client_uuid")) for _v, d in lines} - {None, ""})
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(sc.execute(select(t.c.uuid).where(t.c.uuid.in_(wanted[start:start + 500]))).scalars())
    return found
