"""One sync of a laptop with the team server: push the outbox, reserve document numbers, pull by version.

Order comes only from the server's ``row_version`` sequence (docs/sync.md): writers take a transaction-level
advisory lock on the server, so versions become visible in the order they were given, and a pull reads up
to the sequence value seen under the shared form of that lock. Each push batch is one server transaction
followed by one laptop transaction; each pull page one laptop transaction, the watermark saved with the
last one. Killing the process or dropping the connection anywhere leaves either side's last committed state,
and the next sync redoes the rest: re-pushing a row the server already has merges to "no change" (both
sides equal), re-pulling a row already applied writes the same values."""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import partial, reduce
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine

from app.persistence import unusable_records
from app.persistence.db import Database
from app.persistence.models import SyncBase, SyncConflict, SyncOutbox, SyncTombstone, utcnow
from app.sync import handover, hidden_keys, refused
from app.sync.answered import Answers
from app.sync.bases import base_versions, carried_by_file, read_bases
from app.sync.claims import record_claims
from app.sync.merge import APPEND_ONLY, BILLED_EDIT, BOOKKEEPING, DOUBLE_BILLING, FieldConflict, merge3
from app.sync.rows import FOREIGN, TABLES, IdMap, find_natural, payload, read_rows, table, values_for
from app.sync.stages import client_ids_of, settle_stages
from app.sync.visible import adopt_uuid, newly_visible

WRITE_LOCK = 7417222
APPLYING = "sync.applying"
PULLED_KEY = "sync.pulled"
BATCH = 500
PAGE = 5000
KEPT_BY_SERVER = refused.KEPT_BY_SERVER  # sync_conflict.kind: a change the server refused to an issued document or billed work
KEPT_TABLES = frozenset({"document", "work_log", "client"})  # rows the server may keep as they were (_kept_by_server)
NOT_YOURS = refused.NOT_YOURS  # sync_conflict.kind: a client the server no longer shows this member (app/team/display.py)
# setting: the records of the push batch under way, written before the server's transaction and cleared with the
# laptop's: a batch the server took whose laptop side never committed (a killed process, a file gone read-only)
# is found by the next push, which counts those records as sent (``_taken_before``)
IN_FLIGHT = "sync.in_flight"
SNAPSHOT_FIRST_SYNC = True  # a laptop that never pulled takes app/sync/snapshot.py (tests compare both ways)

# test hook: called with a stage name ("pushed-server", "pulled-page") so tests can kill or disconnect there
def _no_checkpoint(_stage: str) -> None:
    return None


checkpoint: Callable[[str], None] = _no_checkpoint

# what a sync tells of its way: ``progress(phase, done, total)`` with phase PUSHED or PULLED — the records of that
# phase sent (taken) so far and how many it has (docs/sync.md «One sync»). Called between the laptop's transactions
# (after a push batch's, after a pull page's; the first sync's one transaction: per chunk of its copy), so a callback
# that raises (Ctrl+C in the CLI) leaves the laptop as a kill there does
Progress = Callable[[str, int, int], None]
PUSHED = "push"
PULLED = "pull"


def _no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


class Told:
    """One phase's progress as told: ``add(n)`` after n more records are dealt with (the total is raised to what
    was done when more came than counted: a newly visible client's older records), ``end()`` at its end (the total
    then: rows changed again after the count leave the range, so fewer may come)."""

    def __init__(self, progress: Progress | None, phase: str, total: int) -> None:
        self.progress = progress or _no_progress
        self.phase = phase
        self.total = max(0, total)
        self.done = 0
        if self.total:
            self.progress(phase, 0, self.total)

    def add(self, n: int) -> None:
        if n <= 0:
            return
        self.done += n
        self.total = max(self.total, self.done)
        self.progress(self.phase, self.done, self.total)

    def end(self) -> None:
        if self.total and self.done != self.total:
            self.done = self.total
            self.progress(self.phase, self.done, self.total)


@dataclass
class Result:
    """What one pushed or pulled record does to the laptop."""

    table: str
    uuid: str  # the laptop's uuid (before adopting the server's)
    server_uuid: str
    version: int | None  # None: the record is gone on the server
    data: dict | None
    sent: dict | None  # what the push sent (the laptop row then), None for pulls
    conflicts: list[tuple[str, str, object, object, str]]  # (kind, field, local, server, kept)
    keep_local: bool = False  # the server cannot take it (its client is gone there): keep it here as it is
    changed: bool = False  # the push inserted, updated or deleted the server's row («Отправлено» counts only these)


@dataclass
class Counts:
    pushed: int = 0  # records whose push changed the server (inserted, updated, deleted; audit lines not counted)
    refused: int = 0  # records the user changed, sent and not taken (kept here or the server's taken back)
    others: list[str] = dataclass_field(default_factory=list)  # UUIDs of other members' clients refused (refused.py)
    held: list[str] = dataclass_field(default_factory=list)  # UUIDs of clients refused again, refusal in effect
    pulled: int = 0  # records changed or deleted by others, taken (audit lines not counted)
    lines: int = 0  # audit lines sent or taken (a history view refreshes on them)
    conflicts: int = 0
    answered: int = 0  # open field conflicts closed by the team's later value of their field (app/sync/answered.py)


def _local_begin(engine: Engine):
    return engine.connect().execution_options(sqlite_begin="IMMEDIATE")


def _guard(conn: Connection, on: bool) -> None:
    t = table("setting")
    if on:
        conn.execute(delete(t).where(t.c.key == APPLYING))
        conn.execute(insert(t).values(key=APPLYING, value="1"))
    else:
        conn.execute(delete(t).where(t.c.key == APPLYING))


def _in_flight(conn: Connection) -> set[tuple[str, str]]:
    """The records of a push whose server side may have committed while the laptop's did not (``IN_FLIGHT``)."""
    raw = _setting(conn, IN_FLIGHT)
    try:
        return {(str(n), str(u)) for n, u in json.loads(raw)} if raw else set()
    except (ValueError, TypeError):
        return set()


def _set_in_flight(conn: Connection, records: set[tuple[str, str]]) -> None:
    conn.execute(delete(table("setting")).where(table("setting").c.key == IN_FLIGHT))
    if records:
        _set_setting(conn, IN_FLIGHT, json.dumps(sorted(records)))


def _base(conn: Connection, name: str, uuids: list[str]) -> dict[str, tuple[int, dict]]:
    """uuid -> (version, payload) of the merge bases (app/sync/bases.py; either stored form)."""
    return read_bases(conn, name, uuids)


# ---------------------------------------------------------------- push


def push(local: Database, server: Engine, counts: Counts,
         travels: Callable[[str, dict], bool] | None = None, progress: Progress | None = None) -> None:
    """Send the outbox in batches until it is empty (each batch all-or-nothing on both sides). A row for which
    ``travels(table, payload)`` is false stays on this laptop: its outbox entry is dropped, nothing is sent
    (an audit line of a setting of this computer's own, or of team-wide data from a member who is no
    administrator on the server: app/sync/team_data.py). ``progress(PUSHED, done, total)``: at the start and after
    each batch, the outbox entries dealt with and those plus the ones left (read with the batch anyway: no count of
    its own); the total grows when a batch queues more (a client sent again with its records)."""
    told = progress or _no_progress
    done = 0
    order = {name: i for i, name in enumerate(TABLES)}
    previous: set[tuple] = set()
    revived: set[str] = set()  # clients sent again in this push because a record of theirs changed here
    # a client kept by a delete against an edit keeps its records: those the server's deletion took are sent again
    # with it (``whole``), those this laptop's deletion took are not deleted there (``undeleted``: the server edited
    # the client, which comes back here with them) — before, the client came back without its work
    whole: set[str] = set()
    undeleted: set[str] = set()
    with local.engine.connect() as lc:
        earlier = _in_flight(lc)  # an earlier push's batch the laptop may not have taken
    while True:
        with local.engine.connect() as lc:
            entries = lc.execute(select(SyncOutbox.table_name, SyncOutbox.record_uuid, SyncOutbox.deleted)).all()
            entries = [e for e in entries if e[0] in order]
            if entries and not done:
                told(PUSHED, 0, len(entries))
            total = done + len(entries)
            # a client's deletion first (its server row goes with its records, cascaded), so that a client added
            # again here with the same ИНН is inserted, not merged into the row being deleted; then upserts
            # parents first, then the other deletions children first
            entries.sort(key=lambda e: (not (e[2] and e[0] == "client"), e[2],
                                        order[e[0]] if not e[2] else -order[e[0]]))
            entries = entries[:BATCH]
            if not entries:
                return
            if set(entries) == previous:  # the last batch consumed nothing: stop there instead of spinning for ever
                name, uuid, _deleted = entries[0]
                raise refused.StoppedAt(name, uuid, refused.client_of(name, uuid, None), refused.Stuck())
            previous = set(entries)
            ids_l = IdMap(lc)
            by_table: dict[str, list[str]] = {}
            for name, uuid, _deleted in entries:
                by_table.setdefault(name, []).append(uuid)
            # values another program wrote into these records, refused before anything is read or sent: a kind
            # «ufo» or a stage 9 reached the server as they were, a date «2026-13-45» stopped the sync in English.
            # A reference to nothing goes as none: the server's merge answers it (a deleted act comes back)
            unusable_records.refuse(lc, [table(name) for name in by_table],
                                    {name: ("uuid", uuids) for name, uuids in by_table.items()}, references=False)
            local_rows = {name: read_rows(lc, name, uuids, ids_l) for name, uuids in by_table.items()}
            installation = _setting(lc, "installation_id") or "laptop"
            login = _setting(lc, "team.login") or ""
            bases = {name: _base(lc, name, uuids) for name, uuids in by_table.items()}
            carried = carried_by_file(lc, "client", by_table.get("client", []))  # bases a bundle brought, not a sync
            refused_clients = refused.open_refusals(lc)  # their records stay here (app/sync/refused.py)
            # the clients this laptop holds, of every record of the batch
            here = refused.clients_here(lc, {u: r for rows in local_rows.values() for u, r in rows.items()})
        batch = {(name, uuid) for name, uuid, deleted in entries if not deleted}
        with _local_begin(local.engine) as lc, lc.begin():
            _set_in_flight(lc, earlier | batch)
        results: list[Result] = []
        revive: set[str] = set()
        adopted: dict[str, str] = {}  # a client met by its ИНН: the laptop's UUID -> the server's (this batch)
        stay = {(name, uuid) for name, uuid, deleted in entries if travels is not None and not deleted
                and uuid in local_rows[name] and not travels(name, local_rows[name][uuid][1])}
        lines = refused.HiddenLines(local_rows.get("audit_log", {}), here)
        sent_again: set[str] = set()  # clients deleted on the server that this batch sent again
        with server.begin() as sc:
            sc.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            ids_s = IdMap(sc)
            for name, uuid, deleted in entries:
                if (name, uuid) in stay:
                    continue
                if name == "audit_log" and lines.hidden(sc, uuid, adopted):
                    if lines.client_of(uuid) not in revive:  # (a revived client's lines go after it, queued)
                        stay.add((name, uuid))  # of a client the server does not show this member: stays here only
                    continue
                row = local_rows[name].get(uuid)
                base = bases[name].get(uuid)
                if not deleted and row is not None and refused.quiet(name, row[1], refused_clients):
                    stay.add((name, uuid))  # its client was refused: it stays with it, no conflict of its own
                    continue
                kept_there = _kept_with_client(sc, ids_s, name, uuid, undeleted) if deleted else None
                if kept_there is not None:  # its client's deletion lost to an edit there: it comes back with it
                    results.append(kept_there)
                    continue
                with refused.stopping(name, uuid, row):  # a refusal of this record: the sync stops, naming it
                    result = _push_one(sc, ids_s, name, uuid, None if deleted or row is None else row[1], base,
                                       adopted, login, installation, resent=(name, uuid) in earlier,
                                       # a base that came in a file with a record the sync never brought here
                                       from_file=name == "client" and uuid in carried, whole=whole)
                if name == "client" and any(c[0] == "delete_edit" for c in result.conflicts):
                    sent_again.add(result.server_uuid)  # its records the deletion took go after it
                    whole.add(result.server_uuid)
                elif name == "client" and deleted and any(c[0] == "edit_delete" for c in result.conflicts):
                    undeleted.add(uuid)
                owner = _client_uuid(name, result.sent, "")
                if _orphan(result) and owner in here and owner not in revived and not handover.hidden_client(
                        sc, owner):
                    # its client was deleted on the server while this record was added or changed here: the change
                    # wins, as an edit of the card does (delete against edit) — the client is sent again first, then
                    # the record; before, the pull's tombstone took both from this laptop too, under a conflict
                    # that said «оставлено: здешнее» (the trial 17f)
                    revive.add(owner)
                    continue
                if _orphan(result) and handover.hidden_client(sc, owner):
                    # its client was handed to someone else: the client's one refusal, the record quietly with it
                    stay.add((name, uuid))
                    result = Result("client", owner, owner, None, None, None, [handover.NOT_YOURS_CONFLICT],
                                    keep_local=True)
                    name, uuid = "client", owner
                refused.mark(refused_clients, name, uuid, result.conflicts)  # refused now, or taken again
                if name == "client" and result.server_uuid != uuid:
                    adopted[uuid] = result.server_uuid
                results.append(result)
        checkpoint("pushed-server")
        with _local_begin(local.engine) as lc, lc.begin():
            _guard(lc, True)
            ids_l = IdMap(lc)
            # the records the server kept come back last, parents first (an act before the entry it bills)
            kept = sorted((r for r in results if _is_kept(r)), key=lambda r: order[r.table])
            answers = Answers(lc)  # the open field conflicts a value the server holds answers (app/sync/answered.py)
            for result in [r for r in results if not _is_kept(r)] + kept:
                result.conflicts = refused.settle(lc, result.table, result.uuid, result.conflicts)
                counts.conflicts += _apply(lc, ids_l, result, pushed=True, answers=answers)
            counts.answered += answers.closed
            for name, uuid in stay:
                lc.execute(delete(SyncOutbox).where(SyncOutbox.table_name == name, SyncOutbox.record_uuid == uuid))
            # the records here of a client sent again: queued, so that what the server's deletion took goes back
            # with it (quietly: the client's one conflict says it); sent unchanged, the others change nothing there
            _queue_records(lc, sent_again)
            if revive:  # the records stay queued; their clients go first in the next batch, each under one conflict
                lc.execute(insert(SyncOutbox).prefix_with("OR IGNORE"), [
                    {"table_name": "client", "record_uuid": u, "deleted": False} for u in sorted(revive)])
                for owner in sorted(revive):
                    counts.conflicts += _record(lc, Result("client", owner, owner, None, None, None, []),
                                                [("delete_edit", "", "edited", "deleted", "local")])
                revived.update(revive)
                _queue_records(lc, revive)  # and all its records with it, as any client a delete against an edit keeps
            earlier -= batch
            _set_in_flight(lc, earlier)
            # a client whose row took the server's stage stands again where its moves say (its own are the last)
            moved = settle_stages(lc, client_ids_of(lc, {r.server_uuid if r.table == "client" else _client_uuid(
                r.table, r.data or r.sent, r.server_uuid) for r in results if r.table in ("client", "stage_event")}))
            if moved:  # the server's row stands elsewhere (a copy met by its ИНН had moves of its own): sent next
                lc.execute(insert(SyncOutbox).prefix_with("OR IGNORE"), [
                    {"table_name": "client", "record_uuid": u, "deleted": False}
                    for u in lc.execute(select(table("client").c.uuid).where(table("client").c.id.in_(moved))).scalars()])
            _guard(lc, False)
        refused.tally(results, counts)
        done += len(entries)
        told(PUSHED, done, max(total, done))


def _kept_with_client(sc: Connection, ids: IdMap, name: str, uuid: str, undeleted: set[str]) -> Result | None:
    """This laptop's deletion of a record whose client's deletion the server just refused (edited there: the
    client comes back here): not sent — the server's record comes back here with its client, under the client's one
    conflict. None for any other deletion."""
    if not undeleted or name == "client" or name not in TABLES or "client_id" not in table(name).c:
        return None
    current = _server_row(sc, ids, name, uuid)
    if current is None or current[1].get("client_uuid") not in undeleted:
        return None
    return Result(name, uuid, uuid, current[0], current[1], None, [])


def _queue_records(lc: Connection, clients: set[str]) -> None:
    """Queue for the push every record here of these clients (those a client's table holds, the trail aside)."""
    if not clients:
        return
    client = table("client")
    for name in TABLES:
        t = table(name)
        if name in ("client", "audit_log") or "client_id" not in t.c:
            continue
        uuids = lc.execute(select(t.c.uuid).join(client, client.c.id == t.c.client_id)
                           .where(client.c.uuid.in_(sorted(clients)))).scalars().all()
        if uuids:
            lc.execute(insert(SyncOutbox).prefix_with("OR IGNORE"),
                       [{"table_name": name, "record_uuid": u, "deleted": False} for u in uuids])


def _push_one(sc: Connection, ids: IdMap, name: str, uuid: str, data: dict | None, base: tuple[int, dict] | None,
              adopted: dict[str, str], login: str, installation: str, *, resent: bool = False,
              from_file: bool = False, whole: set[str] | frozenset[str] = frozenset()) -> Result:
    """One record's push (``data`` None: its deletion), in a savepoint where refusals are met (_kept_by_server);
    ``resent``: the record was in a batch whose laptop side never committed (``IN_FLIGHT``); ``from_file``: its
    base is the server's state a bundle carried (app/exchange/carried_bases.py), not one this laptop synced;
    ``whole``: the clients this push sent again after their deletion there (a record of theirs the deletion took
    goes back quietly, under the client's conflict)."""
    if data is None:
        return _kept_by_server(sc, ids, name, uuid, None, partial(_push_delete, sc, ids, name, uuid, base))
    if data.get("client_uuid") in adopted:  # its client took the server's UUID just before
        data = {**data, "client_uuid": adopted[data["client_uuid"]]}
    sent = data
    if name == "audit_log" and data.get("author") != login:
        # written on this laptop before it joined the team, under the local profile's name:
        # the server only takes lines under the sender's login, the local name stays beside it
        data = {**data, "author": f"{login} ({data.get('author') or '—'})"}
    result = _kept_by_server(sc, ids, name, uuid, data, partial(
        _push_row, sc, ids, name, uuid, data, base, installation, resent, from_file,
        quiet=name != "client" and data.get("client_uuid") in whole))
    result.sent = sent  # what the laptop holds: unchanged since read → the entry is done
    return result


def _orphan(r: Result) -> bool:
    """A record kept here because its client is not on the server (not the client itself)."""
    return r.table != "client" and r.keep_local and [c[0] for c in r.conflicts] == ["orphan"]


def _is_kept(r: Result) -> bool:
    return any(c[0] == KEPT_BY_SERVER for c in r.conflicts)


def _kept_by_server(sc: Connection, ids: IdMap, name: str, uuid: str, sent: dict | None,
                    attempt: Callable[[], Result]) -> Result:
    """``attempt()`` (one record's push) in a savepoint, for the tables whose rows the server keeps as they were
    (app/team/server_triggers.py: an issued document, work billed by an act in force, a client with documents).
    The program never sends such a change (its services refuse it, the merge makes it a conflict), but a laptop
    whose file was changed behind it (an old version, a hand-edited file) would be refused at every sync: the
    refusal is rolled back to the savepoint instead, the server's row comes back to the laptop, and a conflict of
    kind ``KEPT_BY_SERVER`` says so (closed with «--keep server»); another member's client, or its ИНН on a client
    this member does not see: refused.py, hidden_keys.py (``kept_conflict``). Any other error goes on."""
    from sqlalchemy.exc import DBAPIError

    if name not in KEPT_TABLES:
        return attempt()
    savepoint = sc.begin_nested()
    try:
        result = attempt()
    except DBAPIError as exc:
        if exc.connection_invalidated:  # the connection itself went (the trial 17d): no savepoint to go back to
            raise
        savepoint.rollback()
        current = _server_row(sc, ids, name, uuid)
        conflict = hidden_keys.kept_conflict(name, exc, sent, current)  # None: no refusal of a kept row
        if conflict is None:
            raise
        if current is None or conflict[4] == "local":  # kept here only (another member's client, its ИНН)
            return Result(name, uuid, uuid, None, None, sent, [conflict], keep_local=True)
        return Result(name, uuid, uuid, current[0], current[1], sent, [conflict])
    savepoint.commit()
    return result


def _server_row(sc: Connection, ids: IdMap, name: str, uuid: str) -> tuple[int, dict] | None:
    # the audit trail is append-only: no UPDATE right, hence no FOR UPDATE either (nor any need)
    return read_rows(sc, name, [uuid], ids, lock=name != "audit_log").get(uuid)


def _tombstoned(sc: Connection, name: str, uuid: str) -> bool:
    return sc.execute(select(SyncTombstone.id).where(SyncTombstone.table_name == name,
                                                     SyncTombstone.record_uuid == uuid).limit(1)).first() is not None


def _push_row(sc: Connection, ids: IdMap, name: str, uuid: str, data: dict,
              base: tuple[int, dict] | None, installation: str, resent: bool = False,
              from_file: bool = False, quiet: bool = False) -> Result:
    t = table(name)
    server_uuid = uuid
    current = _server_row(sc, ids, name, uuid)
    conflicts: list[tuple[str, str, object, object, str]] = []
    gone = current is None and base is not None and name not in APPEND_ONLY and _tombstoned(sc, name, uuid)
    if current is None and (base is None or gone):
        # new here, or edited here and deleted there: met by its natural key (a client added again with its ИНН
        # meanwhile is one company: the edit goes into it, a delete-against-edit conflict says so)
        natural = find_natural(sc, name, data, ids)
        if natural is not None:
            server_uuid = natural
            current = _server_row(sc, ids, name, natural)
            if gone and current is not None:
                conflicts.append(("delete_edit", "", "edited", "deleted", "local"))
    if name == "document" and base is None and current is not None:  # the team's act, first met here in a file
        data = refused.as_issued(current[1], data)
    changed = False
    if current is None:
        if gone and not quiet:  # (``quiet``: deleted with its client, sent again with it: the client's conflict)
            conflicts.append(("delete_edit", "", "edited", "deleted", "local"))
        elif base is not None and name == "client" and not from_file:
            # it came from the server, is neither there for this member nor deleted: row-level security hides
            # it (handed to another specialist). Refused: nothing is sent — its audit lines neither (push) — and
            # the laptop keeps its copy with a conflict saying so, instead of a sync that fails for ever
            return Result(name, uuid, uuid, None, None, data, [(NOT_YOURS, "", "edited", "hidden", "local")],
                          keep_local=True)
        values = values_for(name, data, ids)
        if values is None:  # its client is not on the server (deleted there, or not yours): keep it here
            return Result(name, uuid, uuid, None, None, data, [("orphan", "", "kept", "missing", "local")],
                          keep_local=True)
        hidden_keys.insert_row(sc, name, values, installation)  # a document's number taken: this installation's series
        changed = True
    else:
        version, server_data = current
        if name == "audit_log":
            return Result(name, uuid, server_uuid, version, server_data, data, [])
        if base is not None and base[0] == version:
            merged, found = {**server_data, **data}, list[FieldConflict]()
        else:
            merged, found = merge3(name, base[1] if base else None, data, server_data)
        conflicts += _conflicts_of(sc, found, "server")
        merged["uuid"] = server_uuid
        if any(merged.get(k) != server_data.get(k) for k in merged if k not in ("updated_at", "updated_by")):
            values = values_for(name, merged, ids) or {}
            values.pop("uuid", None)
            sc.execute(update(t).where(t.c.uuid == server_uuid).values(**values))
            changed = True
        else:
            changed = resent and _taken_before(base, version, data, server_data)
    taken = read_rows(sc, name, [server_uuid], ids)
    if server_uuid not in taken and name == "audit_log":
        # a line of a client deleted on the server (refused.deleted_clients): taken, but row-level security hides
        # it from this member until the client is back; its version is the one the server's trigger just drew
        taken[server_uuid] = (int(sc.execute(text("SELECT currval('vn_row_version')")).scalar_one()), data)
    after = taken[server_uuid]
    if name == "client":
        ids.forget("client", server_uuid)
    return Result(name, uuid, server_uuid, after[0], after[1], data, conflicts, changed=changed)


def _taken_before(base: tuple[int, dict] | None, version: int, data: dict, server_data: dict) -> bool:
    """Whether the server already holds this laptop's change from the earlier push of a batch whose laptop side
    never committed (``IN_FLIGHT``: a file gone read-only, a process killed after the server's commit): the
    server's row is newer than the base (or there is none: an insert), written by the same login, and equal to
    what is sent. It was sent, and is counted so — the trial of 2026-12-01 saw «Отправлено: 0» after the file was
    made writable again. A record the server merely holds as it is (the team's own data back from a bundle) was
    in no such batch."""
    return ((base is None or version > base[0]) and bool(data.get("updated_by"))
            and data.get("updated_by") == server_data.get("updated_by")
            and all(server_data.get(k) == v for k, v in data.items() if k not in ("updated_at", "uuid")))


def _act_code(conn: Connection, uuid: object) -> str:
    """«АУ-7/2026» of the document with this UUID on this connection ('' when it is not there)."""
    from app.services.documents.register import document_code

    t = table("document")
    row = conn.execute(select(t.c.kind, t.c.number, t.c.year, t.c.series).where(t.c.uuid == str(uuid))).first()
    return document_code(row.kind, row.number, row.year, row.series or "") if row is not None else ""


def _conflicts_of(conn: Connection, found: list[FieldConflict], kept: str) -> list[tuple[str, str, object, object, str]]:
    """merge3's conflicts as recorded (kind, field, laptop's value, server's, kept): a double billing names both
    acts by their numbers; ``kept`` unless the conflict says which side kept its value (a billed entry's)."""
    out: list[tuple[str, str, object, object, str]] = []
    for c in found:
        side = kept if c.kept_local is None else "local" if c.kept_local else "server"
        if c.kind == DOUBLE_BILLING:
            out.append((c.kind, c.field, _act_code(conn, c.local), _act_code(conn, c.server), side))
        else:
            out.append((c.kind, c.field, *c.recorded(), side))  # a tick's: the whole group of each side
    return out


def _push_delete(sc: Connection, ids: IdMap, name: str, uuid: str, base: tuple[int, dict] | None) -> Result:
    current = _server_row(sc, ids, name, uuid)
    if current is None or name == "audit_log":
        return Result(name, uuid, uuid, None if current is None else current[0],
                      None if current is None else current[1], None, [])
    if base is not None and base[0] == current[0]:
        t = table(name)
        sc.execute(delete(t).where(t.c.uuid == uuid))
        kept = _server_row(sc, ids, name, uuid) if name == "checklist_template" else None
        if kept is not None:  # the server skipped it (vn_template_delete): ticked for a client of the team
            return Result(name, uuid, uuid, kept[0], kept[1], None, [("edit_delete", "", "deleted", "in use", "server")])
        return Result(name, uuid, uuid, None, None, None, [], changed=True)
    # edited on the server since this laptop saw it: the edit stays, the laptop gets the record back
    return Result(name, uuid, uuid, current[0], current[1], None,
                  [("edit_delete", "", "deleted", "edited", "server")])


# ---------------------------------------------------------------- apply on the laptop


def _client_uuid(name: str, data: dict | None, uuid: str) -> str:
    if name == "client":
        return uuid
    if data is None:
        return ""
    return str(data.get("client_uuid") or "")


def _apply(lc: Connection, ids: IdMap, r: Result, *, pushed: bool, answers: Answers | None = None) -> int:
    """Write one result into the laptop's tables; returns the number of conflicts recorded. ``answers``: the open
    field conflicts of this laptop transaction (read once; one query of this call's own otherwise)."""
    t = table(r.table)
    if r.keep_local:
        lc.execute(delete(SyncOutbox).where(SyncOutbox.table_name == r.table, SyncOutbox.record_uuid == r.uuid))
        return _record(lc, r, list(r.conflicts))
    outbox = lc.execute(select(SyncOutbox.deleted).where(SyncOutbox.table_name == r.table,
                                                         SyncOutbox.record_uuid == r.uuid)).first()
    current = read_rows(lc, r.table, [r.uuid], ids).get(r.uuid)
    # (a record the server kept as it was takes the server's values whatever this laptop holds)
    changed_meanwhile = pushed and not _is_kept(r) and (current[1] if current else None) != r.sent
    conflicts = list(r.conflicts)
    base_version = r.version
    if not pushed and outbox is not None and r.data is not None:
        base = _base(lc, r.table, [r.uuid]).get(r.uuid)
        if current is not None:  # edited here and there: merge, the laptop keeps its own changes pushed later
            merged, found = merge3(r.table, base[1] if base else None, current[1], r.data)
            conflicts += _conflicts_of(lc, found, "server")
            data = merged
        else:  # deleted here, changed on the server: the server's edit stays
            conflicts.append(("edit_delete", "", "deleted", "edited", "server"))
            data = r.data
            lc.execute(delete(SyncOutbox).where(SyncOutbox.table_name == r.table, SyncOutbox.record_uuid == r.uuid))
    elif not pushed and outbox is not None and r.data is None:  # deleted there, edited here: keep ours
        if current is not None:
            conflicts.append(("delete_edit", "", "edited", "deleted", "local"))
        lc.execute(delete(SyncBase).where(SyncBase.table_name == r.table, SyncBase.record_uuid == r.uuid))
        return _record(lc, r, conflicts)
    else:
        data = r.data  # type: ignore[assignment]
        if not pushed and _billing_undid_deletion(r.table, current, data):
            conflicts.append((BILLED_EDIT, "deleted", True, False, "server"))
    if changed_meanwhile:  # someone edited the row while it was being pushed: leave it dirty, just rebase
        pass
    elif data is None:
        if current is not None:
            lc.execute(delete(t).where(t.c.uuid == r.uuid))
            if r.table == "client":
                ids.forget("client", r.uuid)
    else:
        values = values_for(r.table, {**data, "uuid": r.server_uuid}, ids)
        if values is None:
            return _record(lc, r, conflicts)
        if base_version and any(data.get(field) and values.get(column) is None
                                for column, (_parent, field) in FOREIGN.items() if column in values):
            # the server's row refers to a record this laptop has not pulled yet (e.g. the act another laptop
            # billed this entry with, met by a push): based one version lower, the pull that brings the
            # parent applies the row again
            base_version -= 1
        if current is not None:
            lc.execute(update(t).where(t.c.uuid == r.uuid).values(**values, row_version=r.version or 0))
        else:
            inserted = lc.execute(insert(t).values(**values, row_version=r.version or 0)).inserted_primary_key
            new_id = inserted[0] if inserted is not None else 0
            if r.table in ("client", "work_log"):
                ids.remember(r.table, r.server_uuid, int(new_id))
    if r.server_uuid != r.uuid:  # met by its natural key: the laptop's row took the server's UUID
        lc.execute(delete(SyncBase).where(SyncBase.table_name == r.table, SyncBase.record_uuid == r.uuid))
        if r.table == "client":
            ids.forget("client", r.uuid)
            adopt_uuid(lc, r.uuid, r.server_uuid)  # its trail follows; the server's older records come with the pull
    lc.execute(delete(SyncBase).where(SyncBase.table_name == r.table, SyncBase.record_uuid == r.server_uuid))
    if base_version is not None and r.data is not None:
        lc.execute(insert(SyncBase).values(table_name=r.table, record_uuid=r.server_uuid, row_version=base_version,
                                           data=json.dumps(r.data, ensure_ascii=False, sort_keys=True)))
    if pushed and not changed_meanwhile:
        lc.execute(delete(SyncOutbox).where(SyncOutbox.table_name == r.table, SyncOutbox.record_uuid == r.uuid))
    _answer(lc, r, current, None if changed_meanwhile else data, conflicts, answers)
    return _record(lc, r, conflicts)


def _answer(lc: Connection, r: Result, current: tuple | None, written: dict | None, conflicts: list,
            answers: Answers | None) -> None:
    """Close the open field conflicts of the fields this result changed here (``current``: the laptop's row
    before, ``written``: the values now in it) or records a new conflict on — before that conflict is recorded
    (app/sync/answered.py). Before, a pulled later value of the field left its conflict listed, still naming the
    value kept here, and «sync resolve» then refused it."""
    fields = {c[1] for c in conflicts if c[1]}
    if current is not None and written is not None:
        fields |= {k for k, v in written.items() if k not in BOOKKEEPING and k != "uuid" and current[1].get(k) != v}
    if fields:
        (answers if answers is not None else Answers(lc, r.table)).settle(r.table, (r.uuid, r.server_uuid), fields)


def _billing_undid_deletion(name: str, current: tuple | None, data: dict | None) -> bool:
    """Whether a pulled work-log entry deleted here (the deletion already sent) comes back billed: an act issued
    elsewhere kept it (the pushing laptop recorded a ``billed_edit`` of «deleted», kept its own); this laptop is
    told by the same conflict, kept 'server' (issue 17)."""
    return (name == "work_log" and current is not None and bool(current[1].get("deleted")) and data is not None
            and not data.get("deleted") and bool(data.get("billed_by_document_uuid")))


def _record(lc: Connection, r: Result, conflicts: list) -> int:
    for kind, field, local_value, server_value, kept in conflicts:
        lc.execute(insert(SyncConflict).values(
            at=utcnow(), table_name=r.table, record_uuid=r.server_uuid,
            client_uuid=_client_uuid(r.table, r.data or r.sent, r.server_uuid), kind=kind, field=field,
            local_value=json.dumps(local_value, ensure_ascii=False),
            server_value=json.dumps(server_value, ensure_ascii=False), kept=kept, resolved=False))
    return len(conflicts)


# ---------------------------------------------------------------- pull


def _setting(conn: Connection, key: str) -> str | None:
    t = table("setting")
    return conn.execute(select(t.c.value).where(t.c.key == key)).scalar()


def _set_setting(conn: Connection, key: str, value: str) -> None:
    t = table("setting")
    conn.execute(delete(t).where(t.c.key == key))
    conn.execute(insert(t).values(key=key, value=value))


def pull(local: Database, server: Engine, counts: Counts, progress: Progress | None = None) -> None:
    """Fetch every row and deletion with a version above the laptop's watermark, up to a safe high mark.

    A laptop that has never pulled takes the first-sync path instead (app/sync/snapshot.py: one server
    snapshot by COPY, one laptop transaction). ``progress(PULLED, done, total)``: the rows and deletions in that
    range (one count for the whole pull) and those taken so far, after each laptop transaction."""
    with local.engine.connect() as lc:
        low = int(_setting(lc, PULLED_KEY) or 0)
    if low == 0 and SNAPSHOT_FIRST_SYNC:
        from app.sync.snapshot import first_pull

        first_pull(local, server, counts, progress)
        return
    with server.begin() as sc:
        sc.exec_driver_sql(f"SELECT pg_advisory_xact_lock_shared({WRITE_LOCK})")
        high = int(sc.execute(text("SELECT last_value FROM vn_row_version")).scalar() or 0)
    if high <= low:
        return
    with server.connect() as sc:
        told = Told(progress, PULLED, pull_total(local, sc, low, high) if progress is not None else 0)
        gone = [(str(n), str(u)) for n, u in sc.execute(
            select(SyncTombstone.table_name, SyncTombstone.record_uuid).where(
                SyncTombstone.row_version > low, SyncTombstone.row_version <= high)
            .order_by(SyncTombstone.row_version))]
        handed = handover.handed_away(gone)  # clients handed to others: gone from here unless still seen
        back = _came_back(sc, gone + [("client", u) for u in handed])
    # the deletions first, in one laptop transaction: a client deleted and added again with its ИНН elsewhere
    # must be gone here before the new one is inserted (this laptop's ИНН is unique); applied again harmlessly
    # if the pull is cut off before its watermark moves
    with _local_begin(local.engine) as lc, lc.begin():
        _guard(lc, True)
        ids_l = IdMap(lc)
        for name, uuid in gone:
            if name in TABLES and (name, uuid) not in back:
                counts.conflicts += _apply(lc, ids_l, Result(name, uuid, uuid, None, None, None, []), pushed=False)
                counts.pulled += 1  # a deletion by someone else is a change taken too
        for uuid in handed:
            if ("client", uuid) in back:
                continue
            if handover.unsent_here(lc, uuid):  # something of it is this laptop's alone: it stays, said once
                if uuid not in refused.open_refusals(lc):
                    counts.conflicts += _record(lc, Result("client", uuid, uuid, None, None, None, []),
                                                [handover.NOT_YOURS_CONFLICT])
            elif handover.drop_client(lc, uuid):
                ids_l.forget("client", uuid)
                counts.pulled += 1
        _guard(lc, False)
    told.add(len(gone))
    new_clients: list[str] = []  # clients new to this laptop (e.g. just assigned to this person)
    billing: set[str] = set()  # clients whose acts or work entries came in: their acts' claims are checked
    moved: set[str] = set()  # clients whose row or stage history came in: they stand where their last move went
    for name in TABLES:
        after = low
        while True:
            with server.connect() as sc:
                t = table(name)
                rows = sc.execute(select(t).where(t.c.row_version > after, t.c.row_version <= high)
                                  .order_by(t.c.row_version).limit(PAGE)).mappings().all()
                ids_s = IdMap(sc)
                if rows and "client_id" in rows[0]:
                    ids_s.load_ids("client", {r["client_id"] for r in rows})
                items = [(r["uuid"], int(r["row_version"]), payload(name, r, ids_s)) for r in rows]
                extra = []
                if "client_id" in t.c and new_clients and after == low:
                    # a client newly visible here (assigned to this person): its older records too
                    ids_s.load_uuids("client", new_clients)
                    cids = [c for c in (ids_s.id_of("client", u) for u in new_clients) if c]
                    older = sc.execute(select(t).where(t.c.client_id.in_(cids), t.c.row_version <= low)
                                       ).mappings().all()
                    extra = [(r["uuid"], int(r["row_version"]), payload(name, r, ids_s)) for r in older]
            if name in ("document", "work_log"):
                billing.update(str(d.get("client_uuid")) for _u, _v, d in extra + items if d.get("client_uuid"))
            elif name in ("client", "stage_event"):
                moved.update(str(u if name == "client" else d.get("client_uuid")) for u, _v, d in extra + items)
            fresh = apply_page(local, name, extra + items, counts, told)
            if name == "client" and low > 0:
                new_clients += fresh
            checkpoint("pulled-page")
            if len(rows) < PAGE:
                break
            after = items[-1][1]
        if name == "client" and low > 0:  # and those merged here by their ИНН or handed back (app/sync/visible.py)
            with local.engine.connect() as lc:
                new_clients += [u for u in newly_visible(lc) if u not in new_clients]
    with _local_begin(local.engine) as lc, lc.begin():
        _guard(lc, True)
        counts.conflicts += record_claims(lc, billing)  # another laptop's act billing work an act bills here
        settle_stages(lc, client_ids_of(lc, moved))  # once all pages are in: a client row comes before its moves
        _set_setting(lc, PULLED_KEY, str(high))
        _guard(lc, False)
    told.end()


def pull_total(local: Database, sc: Connection | None, low: int, high: int, on_server: int | None = None) -> int:
    """How many rows and deletions a pull of versions (low, high] takes: those the server holds in that range (as
    this member sees them; ``on_server`` when counted already) less the rows this laptop holds at such a version
    already — what its push just sent, which the pull reads back and skips. One statement on each side, by the
    version indexes the pages read by."""
    def counted(conn: Connection, tables: list) -> int:
        parts = [select(func.count()).select_from(t).where(t.c.row_version > low, t.c.row_version <= high)
                 .scalar_subquery() for t in tables]
        return int(conn.execute(select(reduce(operator.add, parts))).scalar() or 0)

    synced = [table(name) for name in TABLES]
    if on_server is None:
        assert sc is not None
        on_server = counted(sc, [*synced, SyncTombstone.__table__])
    with local.engine.connect() as lc:
        held = counted(lc, synced)
    return max(0, on_server - held)


def _came_back(sc: Connection, gone) -> set[tuple[str, str]]:
    """The deleted records the server holds again (a delete against an edit keeps the edit under the same
    UUID, docs/sync.md): their older tombstone must not delete them here."""
    by_table: dict[str, list[str]] = {}
    for name, uuid in gone:
        if name in TABLES:
            by_table.setdefault(name, []).append(uuid)
    back: set[tuple[str, str]] = set()
    for name, uuids in by_table.items():
        t = table(name)
        for start in range(0, len(uuids), 500):
            back.update((name, u) for u in sc.execute(select(t.c.uuid).where(t.c.uuid.in_(uuids[start:start + 500])))
                        .scalars())
    return back


def apply_page(local: Database, name: str, items: list, counts: Counts, told: Told | None = None) -> list[str]:
    """Apply one page of pulled rows in one laptop transaction; returns the UUIDs that were new here. ``told``:
    the rows taken (not those this laptop held already) are added to it once the transaction is committed."""
    if not items:
        return []
    taken = 0
    with _local_begin(local.engine) as lc, lc.begin():
        _guard(lc, True)
        ids_l = IdMap(lc)
        if name != "client":
            ids_l.load_uuids("client", {d.get("client_uuid") for _u, _v, d in items if d.get("client_uuid")})
        if name == "client":  # a client held here by its ИНН (others_inn), shown now: the laptop's joins it
            refused.adopt_by_inn(lc, items)
        uuids = [u for u, _v, _d in items]
        bases = base_versions(lc, name, uuids)
        t = table(name)
        present: set[str] = set()
        for start in range(0, len(uuids), 500):
            chunk = uuids[start:start + 500]
            present.update(lc.execute(select(t.c.uuid).where(t.c.uuid.in_(chunk))).scalars())
            present.update(lc.execute(select(SyncOutbox.record_uuid).where(
                SyncOutbox.table_name == name, SyncOutbox.record_uuid.in_(chunk))).scalars())
        fresh_rows, fresh_bases = [], []
        answers = Answers(lc, name)  # the open field conflicts a pulled later value answers (app/sync/answered.py)
        for uuid, version, data in items:
            base = bases.get(uuid)
            if base is not None and base >= version:
                continue  # already applied (a resumed pull)
            taken += 1
            if name == "audit_log":
                counts.lines += 1
            else:
                counts.pulled += 1
            if uuid not in present and base is None:  # new to this laptop: inserted in bulk below
                values = values_for(name, data, ids_l)
                if values is not None:
                    fresh_rows.append({**values, "row_version": version})
                    fresh_bases.append({"table_name": name, "record_uuid": uuid, "row_version": version,
                                        "data": json.dumps(data, ensure_ascii=False, sort_keys=True)})
                continue
            counts.conflicts += _apply(lc, ids_l, Result(name, uuid, uuid, version, data, None, []), pushed=False,
                                       answers=answers)
        counts.answered += answers.closed
        if fresh_rows:  # the first sync of a laptop: thousands of rows per statement
            _bulk_insert(lc, name, fresh_rows)
            lc.exec_driver_sql("INSERT INTO sync_base (table_name, record_uuid, row_version, data) VALUES (?, ?, ?, ?)",
                               [(b["table_name"], b["record_uuid"], b["row_version"], b["data"]) for b in fresh_bases])
        _guard(lc, False)
    if told is not None:
        told.add(taken)
    return [b["record_uuid"] for b in fresh_bases]


def _bulk_insert(lc: Connection, name: str, rows: list[dict]) -> None:
    """Insert complete rows (every column but ``id``) with the column types' own conversions, straight
    through the driver's executemany (SQLAlchemy's per-row parameter handling costs more than SQLite)."""
    t = table(name)
    columns = [c for c in t.columns if c.key != "id"]
    processors = [c.type._cached_bind_processor(lc.dialect) for c in columns]
    sql = (f"INSERT INTO {name} ({', '.join(c.name for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    params = [tuple(p(r.get(c.key)) if p is not None else r.get(c.key) for c, p in zip(columns, processors, strict=True))
              for r in rows]
    lc.exec_driver_sql(sql, params)


def conflict_rows(db: Database) -> list[Any]:
    """Unresolved conflicts (SyncConflict rows as tuples), oldest first."""
    with db.engine.connect() as conn:
        return list(conn.execute(select(SyncConflict).where(SyncConflict.resolved.is_(False))
                                 .order_by(SyncConflict.id)).all())


__all__ = ["Counts", "FieldConflict", "conflict_rows", "pull", "push"]
