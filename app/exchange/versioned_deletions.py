"""A file's deletions and erasures in the version-based merge (app/exchange/versioned.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.exchange.import_trail import ImportTrail
from app.exchange.merge_report import MergeReport
from app.exchange.record_labels import _Labels
from app.exchange.table_specs import spec, table_specs
from app.exchange.versioned_conflicts import _Conflicts
from app.exchange.versioned_merge_base import GONE, _Bases, _file_key, _same
from app.exchange.versioned_values import JsonRow, as_json, local_values

if TYPE_CHECKING:
    from app.exchange.tombstones import TombstoneChange


def _tombstones(s: Session, tombstones: list, guard, bases: _Bases, conflicts: _Conflicts, report: MergeReport,
                labels: _Labels) -> None:
    """Deletions and erasures of the file, children before parents. An erasure always wins (issue 12); a
    deletion removes the record here unless it was edited here since the common base (then it stays, as a
    ``delete_edit`` conflict — nothing typed is lost).

    A client the merge keeps (``_kept_clients``: changed here, or something of it changed or added here) keeps
    every record its deletion there took with it: the tombstones of its cascade (the client's own time and UUID)
    are not applied, and the client's one conflict says how many stayed (``report.with_client``). Before, the
    children's tombstones came first and deleted its work, contacts and ticks under a conflict that said «kept»
    (the tester's report of 2026-12-05: 60 unbilled entries gone). A record deleted there on its own before
    (another time) is deleted as any record is."""
    from app.persistence.tracking import client_record_uuids, record_tombstones

    connection = s.connection()
    order = {t.name: n for n, t in enumerate(table_specs())}
    kept = _kept_clients(s, tombstones, bases)  # client UUID -> its deletion's time in the file
    for ts in sorted(tombstones, key=lambda ts: (-order[ts.table], ts.uuid)):
        table_spec = spec(ts.table)
        table = table_spec.table
        local = connection.execute(select(table).where(table.c.uuid == ts.uuid)).mappings().first()
        if ts.kind == "erase":
            record_tombstones(connection, [(ts.uuid, ts.table)], "erase", ts.at, ts.client_uuid)
            guard.incoming_erase[ts.uuid] = ts.at
            guard.erased.setdefault(ts.uuid, ts.at)
            if ts.table == "client" and local is not None:
                connection.execute(table.update().where(table.c.id == local["id"]).values(signer_name=""))
            continue
        bases.remember(ts.table, ts.uuid, None)
        if local is None:
            record_tombstones(connection, [(ts.uuid, ts.table)], "delete", ts.at, ts.client_uuid)
            guard.deleted.setdefault(ts.uuid, ts.at)
            continue
        if bases.merged_already(ts.table, ts.uuid):
            continue  # an older deletion than what was merged here since: the record came back for a reason
        current = as_json(ts.table, local_values(s, table_spec, [local])[ts.uuid])
        client_uuid = ts.uuid if ts.table == "client" else str(current.get("client_uuid") or "")
        with_client = ts.table != "client" and _with_client(ts, client_uuid, kept)
        if with_client:
            report.with_client[client_uuid] += 1  # went with the client there, stays with it here
        if _edited(current, bases.base(ts.table, ts.uuid, ts.bases, None)) or ts.uuid in kept:
            label = labels.label(ts.table, dict(local))
            conflicts.add(ts.table, ts.uuid, client_uuid, label, "delete_edit", "", "edited", "deleted", "here")
            continue
        if with_client:
            continue
        rows = client_record_uuids(connection, local["id"]) if ts.table == "client" else [(ts.uuid, ts.table)]
        record_tombstones(connection, rows, "delete", ts.at, ts.client_uuid or ts.uuid)
        trail = ImportTrail(s, ts.table, _file_key(bases))
        trail.removed(ts.uuid, str(current.get("client_uuid") or ""), dict(local))
        trail.write()
        connection.execute(table.delete().where(table.c.id == local["id"]))
        report.deleted[ts.table] += 1
        guard.deleted.setdefault(ts.uuid, ts.at)


def _edited(current: JsonRow, base: JsonRow | None) -> bool:
    """Whether a record here changed since the common base (none, or one where it was deleted: changed)."""
    return base is None or base is GONE or not _same(current, base)


def _with_client(ts: TombstoneChange, client_uuid: str, kept: dict[str, Any]) -> bool:
    """Whether the file's deletion of a record went with the deletion of its client, which the merge keeps here:
    the same client, at the client's time (``tracking.went_with``)."""
    from app.persistence.tracking import went_with

    return client_uuid in kept and ts.client_uuid == client_uuid and went_with(ts.at, kept[client_uuid])


def _kept_clients(s: Session, tombstones: list, bases: _Bases) -> dict[str, Any]:
    """The clients the file deletes that stay here (delete against edit), UUID -> the deletion's time: the card
    changed here since the common base, or a record of it that the file deletes with it changed here, or one it
    does not know (added here: the other computer deleted the client without it). Decided before any record is
    deleted, since the tombstones go children first."""
    from app.persistence.tracking import client_record_uuids

    deletions = {ts.uuid: ts for ts in tombstones if ts.kind == "delete" and ts.table == "client"}
    if not deletions:
        return {}
    connection = s.connection()
    client = spec("client")
    # the file's deletions of their records (a hand-made «delete» row names no client: looked up)
    by_client: dict[str, list] = {}
    for ts in tombstones:
        if ts.kind == "delete" and ts.table != "client" and (ts.client_uuid in deletions or not ts.client_uuid):
            by_client.setdefault(ts.client_uuid, []).append(ts)
    known = {ts.uuid for ts in tombstones}
    tables = {t.name for t in table_specs()}
    kept: dict[str, Any] = {}
    for uuid, ts in deletions.items():
        local = connection.execute(select(client.table).where(client.table.c.uuid == uuid)).mappings().first()
        if local is None or bases.merged_already("client", uuid):
            continue
        current = as_json("client", local_values(s, client, [local])[uuid])
        if _edited(current, bases.base("client", uuid, ts.bases, None)):
            kept[uuid] = ts.at
            continue
        if any(u not in known for u, name in client_record_uuids(connection, local["id"]) if name in tables):
            kept[uuid] = ts.at  # something of it was added here: the other computer deleted it without that
            continue
        for child in by_client.get(uuid, []) + by_client.get("", []):
            table_spec = spec(child.table)
            row = connection.execute(select(table_spec.table).where(
                table_spec.table.c.uuid == child.uuid)).mappings().first()
            if row is None or row["client_id"] != local["id"] or bases.merged_already(child.table, child.uuid):
                continue
            values = as_json(child.table, local_values(s, table_spec, [row])[child.uuid])
            if _edited(values, bases.base(child.table, child.uuid, child.bases, None)):
                kept[uuid] = ts.at
                break
    return kept
