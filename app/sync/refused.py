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

Beside them: the team's issued document met first in a bundle of a computer outside the team, taken as the
server issued it (``as_issued``). Elsewhere: the import's note naming such clients before any sync
(app/sync/import_note.py ``others_in_file``), a sync's sentences naming them (app/sync/refused_notes.py), the
lift before a push and the adoption by ИНН in a pull (app/sync/refused_lift.py), the audit lines that stay here
with them (app/sync/hidden_lines.py), and the deletion here of one the server keeps elsewhere
(app/sync/refused_delete.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from app.persistence.models import SyncConflict
from app.sync.visible import note_visible

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
