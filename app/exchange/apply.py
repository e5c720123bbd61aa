"""A changeset merged into the database (``apply``): by versions (format 2), else the old rule, newer wins."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from app.exchange.bundle_error import BundleError
from app.exchange.changeset import Changeset
from app.exchange.chunks import chunks
from app.exchange.document_fixed import keep_fixed
from app.exchange.document_series import localize_series
from app.exchange.merge_report import Conflict, MergeReport
from app.exchange.merge_rows import insert_rows, note_existing
from app.exchange.record_labels import _Labels, item_titles
from app.exchange.record_titles import field_title
from app.exchange.row_change import RowChange
from app.exchange.table_specs import TableSpec, spec, table_specs
from app.i18n import _


def apply(s: Session, changeset: Changeset, source_installation: str | None = None, *,
          made_at: datetime | None = None, now: datetime | None = None, version: int | None = None,
          from_team: bool = False) -> MergeReport:
    """Merge into the database in the caller's transaction. A clash that cannot be merged raises BundleError
    (the caller rolls back).

    ``version`` is the exporter's export number (bundle format 2): the merge is then version-based, the same
    rules as the team sync (``app/exchange/versioned.py``, docs/sync.md «Bundles»). Without it (format 1,
    an older program's file) the old rule holds: new rows are added, for the same UUID the newer
    ``updated_at`` wins.

    Every record first goes through the domain validation the forms use (``validate.check_changeset``);
    one invalid record refuses the whole changeset. ``made_at`` is when the changeset was made (UTC) and
    ``now`` the current UTC time (default: the clock). ``source_installation`` is the id of the installation
    that made the changeset: its documents keep their numbers in that installation's series (see
    ``localize_series``; ``from_team``: the file was made on a team's computer, the manifest's «team»)."""
    from app.exchange.checklist_items import ensure
    from app.exchange.tombstones import Guard, apply_incoming
    from app.exchange.validate import check_changeset
    from app.persistence.models import utcnow

    if version is not None:  # the items merged by versions there, before the checks
        from app.exchange.versioned import apply_versioned

        return apply_versioned(s, changeset, source_installation or "", version, made_at=made_at,
                               from_team=from_team)
    ensure(s, changeset.checklist_items)  # before the checks: a tick of an item added there is known here
    now = now or utcnow()
    check_changeset(s, changeset, made_at=made_at, now=now)
    if source_installation is not None:
        changeset = localize_series(s, changeset, source_installation, from_team=from_team)
    report = MergeReport()
    uuids = {r.uuid for rows in changeset.tables.values() for r in rows}
    uuids |= {r.values["client_uuid"] for rows in changeset.tables.values() for r in rows
              if isinstance(r.values.get("client_uuid"), str)}
    guard = Guard.load(s, uuids, made_at=made_at, now=now)
    apply_incoming(s, changeset.tombstones, guard, report)
    id_map: dict[str, dict[str, int]] = {}  # table -> incoming uuid -> local id
    labels = _Labels(item_titles(s, changeset))
    for table_spec in table_specs():
        changes = changeset.rows(table_spec.name)
        if changes:
            _apply_table(s, table_spec, _guarded(changes, guard, report, labels), id_map, report, labels,
                         guard)
    return report


def _guarded(changes: list[RowChange], guard, report: MergeReport, labels: _Labels) -> list[RowChange]:
    """The upserts the guard lets in (deleted or erased here, future-dated… are reported and left out)."""
    from app.exchange.tombstones import Refusal

    kept = []
    for change in changes:
        if change.op == "upsert":
            reason = guard.refusal(change)
            if reason is not None:
                report.refused.append(Refusal(change.table, change.uuid, labels.label(change.table, change.values),
                                              reason))
                continue
            change = guard.keep_erased(change)
        kept.append(change)
    return kept


def _load_by(s: Session, t: Table, column: str, keys: list) -> list:
    rows: list = []
    for chunk in chunks(sorted(set(keys), key=str)):
        rows.extend(s.execute(select(t).where(t.c[column].in_(chunk))).mappings())
    return rows


def _apply_table(s: Session, table_spec: TableSpec, changes: list[RowChange], id_map: dict[str, dict[str, int]],
                 report: MergeReport, labels: _Labels, guard=None) -> None:
    t = table_spec.table
    name = table_spec.name
    local_by_uuid = {r["uuid"]: r for r in _load_by(s, t, "uuid", [c.uuid for c in changes])}

    # references: incoming UUIDs -> local ids (rows merged just before, or already here)
    for ref in table_spec.refs:
        assert ref.ref_table is not None
        known = id_map.setdefault(ref.ref_table, {})
        wanted = {c.values.get(ref.key) for c in changes} - known.keys() - {None}
        if wanted:
            target = spec(ref.ref_table).table
            for chunk in chunks(sorted(set(wanted))):
                known.update({u: i for i, u in s.execute(select(target.c.id, target.c.uuid).where(
                    target.c.uuid.in_(chunk)))})

    def local_values(change: RowChange) -> dict[str, Any]:
        values = {}
        for col in table_spec.columns:
            if col.key not in change.values:
                continue
            value = change.values[col.key]
            if col.ref_table and value is not None:
                local_id = id_map[col.ref_table].get(value)
                if local_id is None:
                    raise BundleError(_("The file is inconsistent: {record} refers to a record that is neither "
                                        "in the file nor here.").format(record=labels.label(name, change.values)))
                value = local_id
            values[col.name] = value
        return values

    prepared = [(c, local_values(c) if c.op == "upsert" else {}) for c in changes]

    # natural keys (INN, one checklist row per client and code…): a row made independently on both sides
    by_key: dict[tuple[str, ...], dict[tuple, Any]] = {}
    for key_cols in table_spec.natural_keys:
        candidates = [v.get(key_cols[0]) for c, v in prepared if c.op == "upsert" and c.uuid not in local_by_uuid]
        candidates = [x for x in candidates if x is not None]
        index: dict[tuple, Any] = {}
        if candidates:
            for r in _load_by(s, t, key_cols[0], candidates):
                index[tuple(r[c] for c in key_cols)] = r
        by_key[key_cols] = index

    if name == "client":
        labels.client_names.update({r["id"]: r["name"] for r in local_by_uuid.values()})
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    deletes: list[int] = []
    deleted_uuids: list[tuple[str, datetime]] = []  # an older file's «delete» rows: remembered as tombstones
    pending_keys: dict[tuple[tuple[str, ...], tuple], str] = {}
    value_cols = [c.name for c in table_spec.columns]
    for change, values in prepared:
        local = local_by_uuid.get(change.uuid)
        if change.op == "delete":
            if local is None:
                continue
            if change.updated_at >= local["updated_at"]:
                deletes.append(local["id"])
                deleted_uuids.append((change.uuid, change.updated_at))
                report.deleted[name] += 1
            else:
                report.kept_local.append(Conflict(name, change.uuid, labels.label(name, dict(local)), ("—",),
                                                  local["updated_at"], change.updated_at))
            continue
        if local is None:
            for key_cols, index in by_key.items():
                key = tuple(values.get(c) for c in key_cols)
                if None in key:
                    continue
                found = index.get(key)
                if found is not None:
                    if name != "client" and not any(table_spec.column(c).ref_table for c in key_cols):
                        raise BundleError(_("{label} in the file clashes with a different record here with the same "
                                            "{fields}.").format(
                            label=labels.label(name, values), fields=", ".join(map(field_title, key_cols))))
                    local = found
                    if name == "client":
                        report.matched.append(labels.label(name, values))
                    break
                if (key_cols, key) in pending_keys:
                    raise BundleError(_("The file contains two records for {label}.").format(
                        label=labels.label(name, values)))
                pending_keys[(key_cols, key)] = change.uuid
        if local is None:
            row = {"uuid": change.uuid, "updated_at": change.updated_at, **values}
            inserts.append(row)
            report.added[name] += 1
            continue
        note_existing(name, change.uuid, local, id_map, report, labels)
        values = keep_fixed(name, dict(local), values)  # an issued document keeps what it was issued with
        diff = tuple(c for c in value_cols if c in values and values[c] != local[c])
        label_values = {**dict(local), **values}
        forced = guard is not None and guard.forced(change)
        if change.updated_at > local["updated_at"] or (forced and diff):
            merged = {c: values.get(c, local[c]) for c in value_cols}
            stamp = max(change.updated_at, local["updated_at"])
            updates.append({"_pk": local["id"], "_stamp": stamp, **{f"v_{c}": v for c, v in merged.items()}})
            if diff:
                report.overwritten.append(Conflict(name, change.uuid, labels.label(name, label_values), diff,
                                                   local["updated_at"], change.updated_at))
            else:
                report.unchanged += 1
        elif diff:
            report.kept_local.append(Conflict(name, change.uuid, labels.label(name, label_values), diff,
                                              local["updated_at"], change.updated_at))
        else:
            report.unchanged += 1

    if deletes:
        from app.persistence.tracking import record_tombstones

        for row_uuid, stamp in deleted_uuids:
            record_tombstones(s.connection(), [(row_uuid, name)], "delete", stamp, "")
        for chunk in chunks(deletes):
            s.execute(t.delete().where(t.c.id.in_(chunk)))
    if updates:
        stmt = (sql_update(t).where(t.c.id == _bind("_pk"))
                .values({"updated_at": _bind("_stamp"), **{c: _bind(f"v_{c}") for c in value_cols}}))
        s.execute(stmt, updates)
    if inserts:
        insert_rows(s, table_spec, inserts, id_map, report, labels)


def _bind(name: str):
    from sqlalchemy import bindparam

    return bindparam(name)
