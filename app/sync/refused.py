"""What the push does with a record the team server will not take from this member (issue 17, eng17).

Three cases, each kept out of the push loop of app/sync/pushing.py:

- **Another member's client** (``OTHERS_CLIENT``). A bundle carries every client of its exporter: a manager's
  «export --all» holds clients of several specialists. Imported on a specialist's laptop, such a client is
  new there and queued; the server's row-level security refuses its INSERT (SQLSTATE 42501, «new row violates
  row-level security policy»: the client is not this member's). Before, that refusal rolled back the whole
  push at every sync. Now the client's push is rolled back to its savepoint and becomes one conflict naming
  it; its records (contacts, work, documents, ticks, events, audit lines…) stay on this laptop without a
  conflict each and without being retried (``quiet``), and everything else of the batch syncs. A client the
  server no longer shows this member (``NOT_YOURS``: handed to someone else) is met the same way: its
  records stay behind with it, quietly. So is a client new here whose ИНН is a hidden client's (``OTHERS_INN``,
  app/sync/hidden_keys.py). Such a refusal stays in effect after «--keep local» (the server still refuses the
  client: no conflict per new record) until the server shows the client (``lift_visible``: handed to this
  member) or takes it (``settle``: its ИНН corrected, or it was deleted here): then the records that stayed
  behind are queued again (``lift``).
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

from app.domain.quotes import quoted
from app.persistence.models import SyncConflict
from app.sync.visible import adopt_uuid, note_visible

OTHERS_CLIENT = "others_client"  # sync_conflict.kind: another member's client (from a bundle) the server refused
NOT_YOURS = "not_yours"  # sync_conflict.kind: a client the server no longer shows this member (engine.NOT_YOURS)
# sync_conflict.kind: a client new here whose ИНН is that of a client on the server this member does not see
# (another member's): the server's unique ИНН refused it (23505), as it would at every sync
OTHERS_INN = "others_inn"
# sync_conflict.kind: a client of the server whose ИНН was changed here to that of a client hidden from this member:
# the server's ИНН is back here (field «inn»: both values)
INN_TAKEN = "inn_taken"
KEPT_BY_SERVER = "kept_by_server"  # engine.KEPT_BY_SERVER
# sync_conflict.kind: a document whose number the team holds twice already, under the team's series and under this
# installation's (hidden_keys.insert_row): the server cannot take it under either, it stays here
NUMBER_TWICE = "number_twice"
# the kinds of a client's refusal: its records stay behind with it, without a conflict each
CLIENT_REFUSALS = frozenset({OTHERS_CLIENT, NOT_YOURS, OTHERS_INN})
# a pushed record's conflicts that mean the server did not take this laptop's change
NOT_TAKEN = frozenset({OTHERS_CLIENT, NOT_YOURS, OTHERS_INN, INN_TAKEN, KEPT_BY_SERVER, NUMBER_TWICE, "orphan"})
# the conflict of an OTHERS_CLIENT refusal: (kind, field, this laptop, the server, kept)
OTHERS_CONFLICT = (OTHERS_CLIENT, "", "only here", "others", "local")
OTHERS_INN_CONFLICT = (OTHERS_INN, "", "only here", "others inn", "local")
RLS_WORDS = "row-level security"
LIFTED = "lifted"  # sync_conflict.kept of a client refusal the server no longer makes (``lift``)


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


class Stuck(Exception):
    """The cause of a :class:`StoppedAt` when a push batch left its records in the outbox, unsent and unrefused
    (app/sync/pushing.py ``push``): the sync stops naming the first of them rather than trying them for ever."""


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


def _in_effect():
    """The refusal conflicts still in effect: open, or closed with «--keep local» (the client stays on this laptop
    only, so its records stay with it) — not those lifted once the server took the client (``settle``)."""
    return (SyncConflict.table_name == "client") & SyncConflict.kind.in_(sorted(CLIENT_REFUSALS)) & (
        SyncConflict.resolved.is_(False) | (SyncConflict.kept != LIFTED))


# the refusals of a client the server keeps elsewhere (another member's, handed away): deleting it here deletes
# nothing of the team's. Not ``OTHERS_INN``: that client is this laptop's own, never on the server.
KEPT_ELSEWHERE = frozenset({OTHERS_CLIENT, NOT_YOURS})


def refused_here(s, client_id: int) -> bool:
    """Whether the client ``client_id`` is held on this laptop under a refusal in effect whose client the team
    server keeps with another member (``KEPT_ELSEWHERE``): another member's client from a bundle, or one handed to
    someone else. ``s``: a Session or a Connection of this laptop."""
    from app.persistence.models import Client

    return s.execute(select(SyncConflict.id).join(Client, Client.uuid == SyncConflict.record_uuid).where(
        _in_effect(), SyncConflict.kind.in_(sorted(KEPT_ELSEWHERE)), Client.id == client_id).limit(1)).first() \
        is not None


def held_documents_only_here(s, client_id: int) -> list[str]:
    """The printed numbers of the client's documents that, as far as this laptop knows, never reached the team
    server: neither pulled from it (row version 0) nor carried by a bundle with the server's state of them (a sync
    base of a version above 0, app/exchange/carried_bases.py) — issued here, or in a file whose computer had not
    synced them. Oldest first."""
    from app.persistence.models import Document, SyncBase
    from app.services.documents.register import document_code

    known = select(SyncBase.record_uuid).where(SyncBase.table_name == "document", SyncBase.row_version > 0)
    rows = s.execute(select(Document.kind, Document.number, Document.year, Document.series).where(
        Document.client_id == client_id, Document.row_version == 0, Document.uuid.not_in(known))
        .order_by(Document.year, Document.number)).all()
    return [document_code(r.kind, r.number, r.year, r.series or "") for r in rows]


def require_deletable(s, client) -> None:
    """Before ``client`` (a mapped Client, in the deleting Session ``s``) is deleted here: refuse as
    ``rights.require_client_deletable`` does (a client with issued documents is the team's administrator's to
    delete) — except a client held here under a refusal whose client the server keeps with another member
    (``refused_here``: another member's client from a bundle, one handed to someone else). Deleting such a client
    here deletes nothing of the team's (the server does not show it to this member: the pushed deletion changes
    nothing there, its audit lines stay here), and its documents stay on the server with their specialist; only a
    document of it that never reached the server (``held_documents_only_here``: issued here) keeps it here, the
    refusal naming it. Its open conflicts (the refusal, a double billing naming another member's act, a field) are
    then closed: nothing is left to choose. The refusal stays in effect, as «--keep local» leaves it, until the
    push of the deletion lifts it (``settle``). Tester L, item 1: the conflict said «удалите его здесь» and the
    deletion was refused."""
    from sqlalchemy import update

    from app.errors import UserError
    from app.i18n import _
    from app.team.rights import require_client_deletable

    if not refused_here(s, client.id):
        require_client_deletable(s, client.id)
        return
    only_here = held_documents_only_here(s, client.id)
    if only_here:
        raise UserError(_("Documents issued on this laptop for this client have not reached the team server: "
                          "{codes}. An issued document is never deleted, so the client stays on this laptop; "
                          "nothing was changed.").format(codes=", ".join(only_here)))
    s.execute(update(SyncConflict).where(SyncConflict.client_uuid == client.uuid, SyncConflict.resolved.is_(False))
              .values(resolved=True))


def open_refusals(lc: Connection) -> set[str]:
    """The clients this laptop holds with a refusal in effect (``CLIENT_REFUSALS``; also one closed with «--keep
    local»: the server still refuses the client): their records are not sent, and no conflict each."""
    return set(lc.execute(select(SyncConflict.record_uuid).where(_in_effect())).scalars())


def quiet(name: str, data: dict | None, refused_clients: set[str]) -> bool:
    """Whether a record (not a client) stays on this laptop without a word: its client was refused (in this
    push or before, still in effect). A deletion (``data`` None) goes as before: the server ignores what it does
    not show."""
    return name != "client" and data is not None and str(data.get("client_uuid") or "") in refused_clients


def refusal_kind(conflicts: Iterable[tuple]) -> str | None:
    """The client-refusal kind among a result's conflicts, else None."""
    return next((c[0] for c in conflicts if c[0] in CLIENT_REFUSALS), None)


def mark(refused_clients: set[str], name: str, uuid: str, conflicts: list[tuple]) -> None:
    """Keep the push's set of refused clients: a client refused now joins it; one the server took now leaves it,
    so its records queued again (``lift``) are sent, not held back."""
    if refusal_kind(conflicts):
        refused_clients.add(uuid)
    elif name == "client" and not any(c[0] in NOT_TAKEN for c in conflicts):
        refused_clients.discard(uuid)


def settle(lc: Connection, name: str, uuid: str, conflicts: list[tuple]) -> list[tuple]:
    """The conflicts to record for one pushed record, in the laptop's transaction. A client's refusal already in
    effect here (open, or closed with «--keep local») is not recorded again when the client, edited again, is
    refused again: one conflict per client, however many syncs. Either kind counts: an imported client whose entry
    left the outbox has the file's server version, so its next refusal is met as ``NOT_YOURS`` (a lazy base,
    app/sync/bases.py) — the same fact, said once. A client the server now takes (its ИНН corrected here, handed
    to this member) lifts its refusal: closed, and the records that stayed here with it queued again (``lift``)."""
    if name != "client":
        return conflicts
    in_effect = lc.execute(select(SyncConflict.id).where(_in_effect(), SyncConflict.record_uuid == uuid)
                           ).first() is not None
    if not in_effect:
        return conflicts
    if any(c[0] in CLIENT_REFUSALS for c in conflicts):
        return [c for c in conflicts if c[0] not in CLIENT_REFUSALS]
    if not any(c[0] in NOT_TAKEN for c in conflicts):
        lift(lc, uuid)
    return conflicts


def lift(lc: Connection, uuid: str, *, with_client: bool = False) -> None:
    """The server took client ``uuid`` (on this laptop's connection ``lc``): its refusal conflicts are closed as
    lifted, and its records that stayed here with it are queued again (the client too when ``with_client``), sent
    at this very sync (the push reads the outbox again after each batch)."""
    from sqlalchemy import update

    from app.persistence.models import Client, SyncOutbox
    from app.sync.rows import TABLES, table

    lc.execute(update(SyncConflict).where(_in_effect(), SyncConflict.record_uuid == uuid)
               .values(resolved=True, kept=LIFTED))
    note_visible(lc, [uuid])  # what others wrote of it meanwhile comes with the next pull (app/sync/visible.py)
    client_id = lc.execute(select(Client.id).where(Client.uuid == uuid)).scalar()
    queued = {(n, u) for n, u in lc.execute(select(SyncOutbox.table_name, SyncOutbox.record_uuid))}
    rows: list[dict] = [] if client_id is None or ("client", uuid) in queued or not with_client else [
        {"table_name": "client", "record_uuid": uuid, "deleted": False}]
    for name in TABLES:
        t = table(name)
        if "client_id" in t.c and client_id is not None:
            found = lc.execute(select(t.c.uuid).where(t.c.client_id == client_id)).scalars()
        elif "client_uuid" in t.c:
            found = lc.execute(select(t.c.uuid).where(t.c.client_uuid == uuid)).scalars()
        else:
            continue
        rows += [{"table_name": name, "record_uuid": u, "deleted": False} for u in found if (name, u) not in queued]
    if rows:
        from sqlalchemy import insert

        lc.execute(insert(SyncOutbox), rows)


def taken(conflicts: Iterable[tuple], keep_local: bool) -> bool:
    """Whether the server took a pushed record (a refused one is kept here or replaced by the server's)."""
    return not keep_local and not any(c[0] in NOT_TAKEN for c in conflicts)


def tally(results: list, counts) -> None:
    """Count one pushed batch (engine.Result list into engine.Counts): «отправлено» only what the server took
    and what changed the server by it (``Result.changed``: inserted, updated, deleted) — not a record the server
    already held as it is (the team's own data back from a bundle), nor one whose change the server's value
    overrode (a same-field conflict kept by the server, a deletion of a record edited there); what the server
    refused apart (``counts.refused``); audit lines in ``counts.lines``; the other members'
    clients refused (a conflict recorded now, not a repeat) named in ``counts.others``; a client edited again whose
    refusal is in effect (its conflict open or closed with «--keep local»: ``settle`` left no conflict) named in
    ``counts.held``, not counted as refused anew."""
    for r in results:
        took = taken(r.conflicts, r.keep_local)
        if r.table == "audit_log":
            counts.lines += took
        elif not took and r.table == "client" and r.keep_local and not r.conflicts:
            counts.held.append(r.uuid)
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
    shown = ", ".join(quoted(names.get(u) or u) for u in uuids)
    return _("The team server does not take from you the clients of other members of the team (they came in a "
             "bundle): {names} — they and their records stay on this laptop only (see «sync conflicts»).").format(
        names=shown)


def held_here(db) -> list[str]:
    """The names of the clients this laptop holds for itself because the team server refuses them (a refusal in
    effect: its conflict open, or closed with «--keep local»), sorted; their records are not sent."""
    with db.engine.connect() as conn:
        return sorted(client_names(conn, open_refusals(conn)).values())


def held_note(db, uuids: list[str]) -> str:
    """What a sync says of clients it did not send again because their refusal is in effect ('' for none): their
    names, that their changes stay on this laptop, and why (the server still does not take them)."""
    from app.i18n import _

    if not uuids:
        return ""
    with db.engine.connect() as conn:
        names = client_names(conn, uuids)
    shown = ", ".join(quoted(names.get(u) or u) for u in dict.fromkeys(uuids))
    return _("Not sent: the team server still does not take these clients from you, so their changes stay on this "
             "laptop only: {names} (see «sync status»).").format(names=shown)


def as_issued(server: dict, data: dict) -> dict:
    """A document pushed without a base that the server already has by its UUID: the team's issued document, which
    reached this laptop in a bundle before the server's copy did — through a computer outside the team, which
    gave it its issuer's installation series («(установка …)»). What an issued document keeps (its series,
    number, kind, year, client, dates, total, contents) is the server's, as a bundle keeps them for a document
    known here (``document_fixed.keep_fixed``): else the server would refuse the series as a change of an issued
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
    return others_sentence(others_names(s, changeset.rows("client")))


def others_names(s, rows: list) -> list[str]:
    """``others_in_file`` for one chunk of the file's clients (read before they are merged): the names of those
    new here that the team server will not take from the signed-in member; [] where the sentence is never said."""
    from app.persistence.models import Client, TeamUser
    from app.team.rights import member

    if s.get_bind().dialect.name != "sqlite":
        return []
    found = member(s)
    if found is None or found[1] is None or not found[1].active:
        return []
    login, row = found[0], found[1]
    incoming = [r for r in rows if r.op == "upsert"]
    if not incoming:
        return []
    here = set(s.scalars(select(Client.uuid).where(Client.uuid.in_([r.uuid for r in incoming]))))
    roster = {u.login: u.manager_login or "" for u in s.scalars(select(TeamUser))}
    return [str(r.values.get("name") or "") for r in incoming if r.uuid not in here and not _sees(
        login, row.role, roster, str(r.values.get("specialist_login") or ""), str(r.values.get("manager_login") or ""))]


def others_sentence(names: list[str]) -> list[str]:
    """The report's sentence naming other members' clients (``others_names``), as a list of 0 or 1 sentences."""
    from app.i18n import _

    if not names:
        return []
    return [_("Clients of other members of the team: {names} — the team server does not take them from you, so "
              "they and their records stay on this laptop only (the sync names them in «sync conflicts»).").format(
        names=", ".join(quoted(n) for n in names))]


def adopt_by_inn(lc: Connection, items: list) -> None:
    """In a pulled page of clients (``items``: (uuid, version, payload)), one new here whose ИНН this laptop's own
    client holds under a refusal in effect (``OTHERS_INN``: the hidden client, handed to this member since the
    push of this sync): the laptop's client takes the server's UUID (its records follow by id), its refusal is
    lifted and its records are queued again, and the pulled row then applies to it — instead of a second client of
    one ИНН, which this laptop's unique ИНН refuses."""
    from sqlalchemy import update

    from app.persistence.models import Client

    by_inn = {str(d.get("inn") or ""): u for u, _v, d in items if d.get("inn")}
    if not by_inn:
        return
    held = lc.execute(select(SyncConflict.record_uuid, Client.inn).join(
        Client, Client.uuid == SyncConflict.record_uuid).where(_in_effect(), SyncConflict.kind == OTHERS_INN,
                                                               Client.inn.in_(sorted(by_inn)))).all()
    for uuid, inn in held:
        if by_inn[inn] == uuid:
            continue
        lift(lc, uuid)
        lc.execute(update(Client).where(Client.uuid == uuid).values(uuid=by_inn[inn]))
        adopt_uuid(lc, uuid, by_inn[inn])  # its trail and conflicts follow; its older records come (app/sync/visible.py)


def lift_visible(db, server) -> None:
    """Before a push: the clients held here by a refusal in effect that the server shows this member now (handed to
    them by a manager or the administrator; for ``OTHERS_INN``, the client of the server with its ИНН) are sent
    again with their records (``lift``): the push then merges such a client into the server's (met by its UUID, or
    by its ИНН: ``rows.find_natural``) instead of holding it here for ever. Two small reads when there is none."""
    from app.persistence.models import Client
    from app.sync.rows import table

    with db.engine.connect() as lc:
        rows = lc.execute(select(SyncConflict.record_uuid, Client.inn, SyncConflict.kind).join(
            Client, Client.uuid == SyncConflict.record_uuid).where(_in_effect())).all()
    if not rows:
        return
    held = [(u, i) for u, i, _k in rows]
    t = table("client")
    uuids, inns = sorted({u for u, _i in held}), sorted({i for _u, i in held})
    with server.connect() as sc:
        seen = set(sc.execute(select(t.c.uuid).where(t.c.uuid.in_(uuids))).scalars())
        seen_inns = set(sc.execute(select(t.c.inn).where(t.c.inn.in_(inns))).scalars())
        # a hidden colleague's client of that ИНН deleted since: the ИНН is free, the client goes up as new
        free = {inn for inn in {i for _u, i, k in rows if k == OTHERS_INN} - seen_inns if inn_free(sc, inn)}
    back = {u for u, inn in held if u in seen or inn in seen_inns or inn in free}
    if back:
        with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as lc, lc.begin():
            for uuid in sorted(back):
                lift(lc, uuid, with_client=True)


def inn_free(sc: Connection, inn: str) -> bool:
    """Whether no client of the team server, visible to this member or not, has this ИНН (``vn_inn_free``, a
    security-definer function of ``server init``: says yes or no of one ИНН, nothing more — the unique ИНН's
    refusal says as much). False when the server has no such function yet (an older ``server init``)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with sc.begin_nested():
            return bool(sc.execute(text("SELECT vn_inn_free(:inn)"), {"inn": inn}).scalar())
    except DBAPIError:
        return False


class HiddenLines:
    """The audit lines of one push batch (``lines``: uuid -> (version, payload)) whose client the server does not
    show this member (handed to someone else, another member's from a bundle): the write each describes was
    refused or kept on this laptop, so the line stays here only — the server's trail never gets a line without
    the change it describes (docs/sync.md «Team-wide data»). Asked once per batch, after its clients were sent.
    A client the server does not show because it was deleted (``deleted_clients``: its deletion perhaps sent in
    this very batch), and that this laptop no longer holds either (``here``), is no such case: its lines — «удалено» among them — go up, so that the team's trail says who
    deleted it, also when an edit elsewhere brings it back (trial 17c, finding 3)."""

    def __init__(self, lines: dict, here: Iterable[str] = ()) -> None:
        self.lines = lines
        self.here = set(here)  # the lines' clients this laptop still holds
        self.visible: set[str] | None = None
        self.deleted: set[str] = set()

    def client_of(self, uuid: str) -> str:
        """The client UUID of the line ``uuid`` ('' for none)."""
        return str(self.lines[uuid][1].get("client_uuid") or "") if uuid in self.lines else ""

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
            # deleted there and here: this laptop's own deletion (one elsewhere, met by changes still here, leaves
            # those changes kept back on the laptop — their lines with them)
            self.deleted = deleted_clients(sc, {adopted.get(d.get("client_uuid"), d.get("client_uuid"))
                                                for _v, d in self.lines.values()}
                                           - self.visible - self.here - {None, ""})
        return client not in self.visible and client not in self.deleted


def clients_here(lc: Connection, rows: dict) -> set[str]:
    """The UUIDs of the clients of these rows (uuid -> (version, payload): audit lines or a batch's records, by
    their ``client_uuid``) that this laptop holds. One query per 500."""
    from app.sync.rows import table

    t = table("client")
    wanted = sorted({str(d.get("client_uuid")) for _v, d in rows.values() if d.get("client_uuid")})
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(lc.execute(select(t.c.uuid).where(t.c.uuid.in_(wanted[start:start + 500]))).scalars())
    return found


def deleted_clients(sc: Connection, uuids: set[str]) -> set[str]:
    """The UUIDs among ``uuids`` (clients the server does not show this member) that were deleted on the server,
    as a tombstone this member reads says, and never handed to other people (``client_handed``: the records of
    such a client stayed on this laptop, app/sync/handover.py). One query per 500."""
    from app.persistence.models import SyncTombstone
    from app.team.server_triggers import HANDED

    wanted = sorted(uuids)
    found: dict[str, set[str]] = {}
    for start in range(0, len(wanted), 500):
        for name, uuid in sc.execute(select(SyncTombstone.table_name, SyncTombstone.record_uuid).where(
                SyncTombstone.table_name.in_(("client", HANDED)),
                SyncTombstone.record_uuid.in_(wanted[start:start + 500]))):
            found.setdefault(str(uuid), set()).add(str(name))
    return {uuid for uuid, kinds in found.items() if kinds == {"client"}}


def visible_clients(sc: Connection, lines: Iterable, adopted: dict[str, str]) -> set[str]:
    """The UUIDs among these audit lines' clients that the server shows this member (one query per 500)."""
    from app.sync.rows import table

    t = table("client")
    wanted = sorted({adopted.get(d.get("client_uuid"), d.get("client_uuid")) for _v, d in lines} - {None, ""})
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(sc.execute(select(t.c.uuid).where(t.c.uuid.in_(wanted[start:start + 500]))).scalars())
    return found
