"""One table's rows of a file merged by versions (app/exchange/versioned.py), a chunk at a time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.exchange.bundle_error import BundleError
from app.exchange.carried_bases import keep_carried_bases
from app.exchange.document_fixed import keep_fixed
from app.exchange.import_trail import ImportTrail
from app.exchange.merge_report import MergeReport
from app.exchange.merge_rows import insert_rows, note_existing
from app.exchange.record_labels import _Labels
from app.exchange.row_change import RowChange
from app.exchange.table_specs import TableSpec, spec
from app.exchange.versioned_bases import SERVER_PEER
from app.exchange.versioned_conflicts import _Conflicts
from app.exchange.versioned_merge_base import GONE, _Bases, _file_key, _same
from app.exchange.versioned_values import IGNORED, LOCAL_ONLY, _chunks, _t, as_json, from_json, local_values
from app.i18n import _
from app.sync.merge import BOOKKEEPING, DOUBLE_BILLING, FieldConflict, merge3


def _merge_table(s: Session, table_spec: TableSpec, changes: list[RowChange], guard, bases: _Bases,
                 conflicts: _Conflicts, id_map: dict[str, dict[str, int]], report: MergeReport,
                 labels: _Labels, *, marks=None) -> None:
    """Merge one table's rows (or a chunk of them: ``marks``, a ``versioned_stream.Watermarks``, tells the rows
    an earlier chunk added or met)."""
    from app.exchange.tombstones import Refusal
    from app.persistence.tracking import went_with

    t = table_spec.table
    name = table_spec.name
    local_rows: dict[str, Any] = {}
    for chunk in _chunks(sorted({c.uuid for c in changes})):
        local_rows.update({r["uuid"]: r for r in s.execute(select(t).where(t.c.uuid.in_(chunk))).mappings()})
    if marks is not None:
        marks.check(name, local_rows)

    # references: incoming UUIDs -> local ids (rows merged just before, or already here)
    for ref in table_spec.refs:
        assert ref.ref_table is not None
        known = id_map.setdefault(ref.ref_table, {})
        wanted = {c.values.get(ref.key) for c in changes} - known.keys() - {None}
        target = spec(ref.ref_table).table
        for chunk in _chunks(sorted(wanted)):
            known.update({u: i for i, u in s.execute(select(target.c.id, target.c.uuid).where(target.c.uuid.in_(chunk)))})

    def typed_columns(change_values: dict[str, Any], uuid: str) -> dict[str, Any]:
        values = {}
        for col in table_spec.columns:
            if col.key not in change_values:
                continue
            value = change_values[col.key]
            if col.ref_table and value is not None:
                local_id = id_map[col.ref_table].get(value)
                if local_id is None:
                    raise BundleError(_("The file is inconsistent: {record} refers to a record that is neither "
                                        "in the file nor here.").format(record=labels.label(name, change_values)))
                value = local_id
            values[col.name] = value
        return values

    if name == "client":
        labels.client_names.update({r["id"]: r["name"] for r in local_rows.values()})
    trail = ImportTrail(s, name, _file_key(bases))  # the lines a flush would write (app/exchange/import_trail.py)
    here_all = local_values(s, table_spec, list(local_rows.values()))
    here_clients = _ClientUuids(s)
    bases.load_server(s, name, [c.uuid for c in changes if SERVER_PEER in c.bases and c.uuid in local_rows])
    accepted = []
    for change in changes:
        reason = guard.refusal(change)
        if reason is not None:
            report.refused.append(Refusal(name, change.uuid, labels.label(name, change.values), reason))
            continue
        accepted.append(guard.keep_erased(change))
    typed = {c.uuid: typed_columns(c.values, c.uuid) for c in accepted}  # once per row (issue 15)
    natural = _NaturalKeys(s, table_spec, [typed[c.uuid] for c in accepted if c.uuid not in local_rows],
                           marks=marks)
    inserts: list[dict[str, Any]] = []
    carried_bases: dict[str, tuple[int, dict[str, Any]]] = {}  # new here: the server's state the file carried
    for change in accepted:
        values = typed[change.uuid]
        label_values = dict(values)
        local = local_rows.get(change.uuid)
        here_values = here_all.get(change.uuid)
        met_by_key = local is None  # two records made apart meet as one: that is no edit for the trail
        if local is None:
            local = natural.match(values, labels, report, change.uuid)
            if local is not None:
                here_values = local_values(s, table_spec, [local])[local["uuid"]]
        incoming = as_json(name, change.values)
        if local is None:
            base = bases.base(name, change.uuid, change.bases, incoming)
            bases.remember(name, change.uuid, incoming)
            if change.uuid in guard.deleted:
                owner = str(change.values.get("client_uuid") or "")
                # deleted here with its client (the client's own time), which this file brings back: it comes
                # back with it, under the client's one conflict
                with_client = name != "client" and owner in guard.came_back \
                    and went_with(guard.deleted[change.uuid], guard.deleted.get(owner))
                # not edited there since the common base: the deletion holds; the exporter kept it after seeing
                # our deletion (base GONE) or edited it: it comes back
                if not with_client and (base is None or (base is not GONE and _same(incoming, base))):
                    guard.refused.add(change.uuid)
                    report.refused.append(Refusal(name, change.uuid, labels.label(name, values),
                                                  guard.deleted_reason(change.uuid)))
                    continue
                # deleted here, edited there: the edit comes back (the team sync's rule)
                tombstone = _t("tombstone")
                s.execute(delete(tombstone).where(tombstone.c.uuid == change.uuid, tombstone.c.kind == "delete"))
                if with_client:
                    report.with_client[owner] += 1
                else:
                    conflicts.add(name, change.uuid, change.uuid if name == "client" else owner,
                                  labels.label(name, values), "edit_delete", "", "deleted", "edited", "file")
                    if name == "client":
                        guard.came_back.add(change.uuid)
            inserts.append({"uuid": change.uuid, "updated_at": change.updated_at, **values})
            report.added[name] += 1
            server_state = change.bases.get(SERVER_PEER)
            if bases.on_team and server_state is not None and server_state[1] is not None:
                carried_bases[change.uuid] = (server_state[0], from_json(name, server_state[1]))
            if change.uuid not in guard.deleted:  # a deletion undone is said by app/team/restored.py
                trail.added(change.uuid, str(change.values.get("client_uuid") or ""), values, change.bases)
            continue
        note_existing(name, change.uuid, local, id_map, report, labels)
        # a record met by its natural key is named as it is here (a client's name here, not the file's other one)
        label = labels.label(name, dict(local) if met_by_key else {**dict(local), **label_values})
        here = as_json(name, here_values or {})
        incoming = keep_fixed(name, here, incoming)  # an issued document keeps what it was issued with
        keys = [k for k in incoming if k not in LOCAL_ONLY]
        mine = {k: here.get(k) for k in keys}
        theirs = {k: incoming[k] for k in keys}
        base = bases.base(name, change.uuid, change.bases, incoming, mine)
        server = bases.server_base(name, change.uuid, change.bases, incoming)
        bases.remember(name, change.uuid, incoming)
        if base is GONE:  # deleted in that ancestor, here now: no usable base
            base = None
        found: list[FieldConflict]
        if guard.forced(change):  # the file erased its personal data: the anonymised version wins
            merged, found = {**mine, **theirs}, []
        else:
            # each candidate is a state both computers had: the nearer (fewer conflicts) is the newer ancestor
            candidates = [None if base is None else {k: base[k] for k in keys if k in base}]
            if server is not None:
                candidates.append({k: server[k] for k in keys if k in server})
            merged, found = min((merge3(name, c, mine, theirs, local_wins=bases.keep_here, symmetric=True) for c in candidates),
                                key=lambda result: len(result[1]))
        taken = tuple(k for k in keys if k not in IGNORED and k in merged and merged[k] != mine.get(k))
        # the client as this computer knows it: a client met by its ИНН (or a tick met by its client and item) has
        # the file's UUID there and this computer's here — the conflict list names the client by the one here
        # (tester L, item 3: «—» for the file's UUID)
        client_uuid = str(local["uuid"]) if name == "client" else here_clients.uuid_of(
            local.get("client_id"), str(incoming.get("client_uuid") or ""))
        if taken or found:  # a later change of a field answers its open conflict of an earlier file
            conflicts.settle(s, name, local["uuid"], (*taken, *(c.field for c in found)))
        for c in found:
            # the changeset's key: a column's name, or «entry_uuid» for a reference (which «sync resolve
            # --keep local» then only closes: it never writes a UUID into an id column); a double billing
            # names both acts by their numbers, as the team sync does
            here_value, file_value = (_act_code(s, c.local), _act_code(s, c.server)) if c.kind == DOUBLE_BILLING \
                else (c.local, c.server)
            kept_here = bases.keep_here if c.kept_local is None else c.kept_local
            conflicts.add(name, local["uuid"], client_uuid, label, c.kind, c.field, here_value, file_value,
                          "here" if kept_here else "file", group=c.group)
        if not taken:
            if not found:
                report.unchanged += 1
            continue
        update = typed_columns(from_json(name, {k: merged[k] for k in (*taken, *(k for k in BOOKKEEPING
                                                                                   if k in merged))}),
                               change.uuid)
        update["updated_at"] = max(local["updated_at"], change.updated_at)
        s.execute(t.update().where(t.c.id == local["id"]).values(**update))
        # a conflict is listed once, under «Конфликты»; «изменено по файлу» is what changed there only
        only_there = tuple(k for k in taken if k not in {c.field for c in found})
        # the trail too: a conflict's field gets its own line when it is settled (app/team/restored.py)
        if only_there and not met_by_key and not trail.the_teams(change.bases, list(only_there)):
            before = from_json(name, {k: mine.get(k) for k in only_there})
            after = from_json(name, {k: merged[k] for k in only_there})
            for k in only_there:
                trail.changed(local["uuid"], client_uuid, table_spec.by_key[k].name, before.get(k), after.get(k))
        if only_there:
            report.changed.append((label, only_there))
    insert_rows(s, table_spec, inserts, id_map, report, labels, ids=None if marks is None else name == "client")
    trail.write()
    keep_carried_bases(s, name, carried_bases)  # its first sync merges against it (app/exchange/carried_bases.py)


def matched_label(labels: _Labels, here: dict[str, Any], incoming: dict[str, Any]) -> str:
    """A client of the file met here by its ИНН, as the report lists it: by its name here, and the file's name
    beside it when the two differ («Заказчик «ООО «Ромашка» 7707083893» (в файле: ООО «Ромашка-2»)»)."""
    label = labels.label("client", here)
    if (incoming.get("name") or "") not in ("", here.get("name") or ""):
        label = _("{client} (in the file: {name})").format(client=label, name=incoming["name"])
    return label


class _ClientUuids:
    """This computer's client UUID of a local client id, one query per client asked (cached)."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.known: dict[int, str] = {}

    def uuid_of(self, client_id: object, default: str) -> str:
        """The UUID here of client ``client_id`` (``default`` when there is none: a record with no client)."""
        if not isinstance(client_id, int):
            return default
        if client_id not in self.known:
            t = _t("client")
            self.known[client_id] = str(self.s.execute(select(t.c.uuid).where(t.c.id == client_id)).scalar() or "")
        return self.known[client_id] or default


def _act_code(s: Session, uuid: object) -> str:
    """«АУ-7/2026» (another installation's: «АУ-7/2026 (установка 3f2a)») of the document with this UUID here;
    '' when it is not here."""
    from app.services.documents.register import document_code

    t = _t("document")
    row = s.execute(select(t.c.kind, t.c.number, t.c.year, t.c.series).where(t.c.uuid == str(uuid))).first()
    return document_code(row.kind, row.number, row.year, row.series or "") if row is not None else ""


class _NaturalKeys:
    """Rows made independently here with the same natural key (a client's ИНН, one tick per client and code)
    as the file's new rows: merged as one record; a different record with the same non-reference key (a
    document number) is refused. Loaded once per table (a query per 500 keys)."""

    def __init__(self, s: Session, table_spec: TableSpec, candidates: list[dict[str, Any]], *, marks=None) -> None:
        self.spec = table_spec
        self.marks = marks  # a streamed import: a row an earlier chunk added is the file's own (``match``)
        self.index: dict[tuple[str, ...], dict[tuple, Any]] = {}
        self.pending: dict[tuple[tuple[str, ...], tuple], str] = {}
        t = table_spec.table
        for key_cols in table_spec.natural_keys:
            firsts = sorted({v.get(key_cols[0]) for v in candidates} - {None}, key=str)
            index: dict[tuple, Any] = {}
            for chunk in _chunks(firsts):
                for r in s.execute(select(t).where(t.c[key_cols[0]].in_(chunk))).mappings():
                    index[tuple(r[c] for c in key_cols)] = r
            self.index[key_cols] = index

    def match(self, values: dict[str, Any], labels: _Labels, report: MergeReport, uuid: str):
        from app.exchange.record_titles import field_title

        name = self.spec.name
        for key_cols, index in self.index.items():
            key = tuple(values.get(c) for c in key_cols)
            if None in key:
                continue
            found = index.get(key)
            if found is not None and self.marks is not None and self.marks.inserted(name, found):
                raise BundleError(_("The file contains two records for {label}.").format(
                    label=labels.label(name, values)))
            if found is not None:
                if name != "client" and not any(self.spec.column(c).ref_table for c in key_cols):
                    raise BundleError(_("{label} in the file clashes with a different record here with the same "
                                        "{fields}.").format(label=labels.label(name, values),
                                                            fields=", ".join(map(field_title, key_cols))))
                if name == "client":
                    report.matched.append(matched_label(labels, dict(found), values))
                return found
            if (key_cols, key) in self.pending:
                raise BundleError(_("The file contains two records for {label}.").format(
                    label=labels.label(name, values)))
            self.pending[(key_cols, key)] = uuid
        return None
