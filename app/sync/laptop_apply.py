"""One pushed or pulled record written into the laptop's tables, its conflicts recorded there."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from app.persistence.db import Database
from app.persistence.models import SyncBase, SyncConflict, SyncOutbox, utcnow
from app.sync.answered import Answers
from app.sync.engine import Result, _base, _is_kept
from app.sync.merge import BILLED_EDIT, BOOKKEEPING, DOUBLE_BILLING, FieldConflict, merge3
from app.sync.rows import FOREIGN, IdMap, read_rows, table, values_for
from app.sync.visible import adopt_uuid


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


def conflict_rows(db: Database) -> list[Any]:
    """Unresolved conflicts (SyncConflict rows as tuples), oldest first."""
    with db.engine.connect() as conn:
        return list(conn.execute(select(SyncConflict).where(SyncConflict.resolved.is_(False))
                                 .order_by(SyncConflict.id)).all())


__all__ = ["conflict_rows"]
