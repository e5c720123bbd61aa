"""The push of one sync: the outbox sent in batches, each one server transaction and then one laptop one."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection, Engine

from app.persistence import unusable_records
from app.persistence.db import Database
from app.persistence.models import SyncOutbox
from app.sync import engine as sync_engine
from app.sync import handover, hidden_lines, refused
from app.sync.answered import Answers
from app.sync.bases import carried_by_file
from app.sync.engine import (
    PUSHED,
    WRITE_LOCK,
    Counts,
    Progress,
    Result,
    _base,
    _guard,
    _is_kept,
    _local_begin,
    _no_progress,
    _set_setting,
    _setting,
)
from app.sync.laptop_apply import _apply, _client_uuid, _record
from app.sync.push_record import _push_one, _server_row
from app.sync.rows import TABLES, IdMap, read_rows, table
from app.sync.stages import client_ids_of, settle_stages

BATCH = 500
# setting: the records of the push batch under way, written before the server's transaction and cleared with the
# laptop's: a batch the server took whose laptop side never committed (a killed process, a file gone read-only)
# is found by the next push, which counts those records as sent (``push_record._taken_before``)
IN_FLIGHT = "sync.in_flight"


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
            here = hidden_lines.clients_here(lc, {u: r for rows in local_rows.values() for u, r in rows.items()})
        batch = {(name, uuid) for name, uuid, deleted in entries if not deleted}
        with _local_begin(local.engine) as lc, lc.begin():
            _set_in_flight(lc, earlier | batch)
        results: list[Result] = []
        revive: set[str] = set()
        adopted: dict[str, str] = {}  # a client met by its ИНН: the laptop's UUID -> the server's (this batch)
        stay = {(name, uuid) for name, uuid, deleted in entries if travels is not None and not deleted
                and uuid in local_rows[name] and not travels(name, local_rows[name][uuid][1])}
        lines = hidden_lines.HiddenLines(local_rows.get("audit_log", {}), here)
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
        sync_engine.checkpoint("pushed-server")  # looked up here: tests replace it
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


def _orphan(r: Result) -> bool:
    """A record kept here because its client is not on the server (not the client itself)."""
    return r.table != "client" and r.keep_local and [c[0] for c in r.conflicts] == ["orphan"]


__all__ = ["push"]
