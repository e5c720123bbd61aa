"""The audit trail of a deletion that a sync or a bundle undid: it never says «deleted» of a record that is there.

A local deletion loses to an edit made elsewhere (``edit_delete``: deleted here, edited on the server or in the
file — the record comes back; ``delete_edit``: deleted elsewhere, edited here — it stays), and a billed
work-log entry keeps what its act billed, its soft deletion included (``billed_edit`` of the field
``deleted``, app/sync/merge.py). The line that said «удалено» then describes a change that did not hold.

As for a team-wide change the server refuses at push (app/sync/team_data.py ``drop_audit_lines``): a deletion
line that never left this computer (``row_version`` 0: not on the team server) is dropped; one that did (the
team's trail holds it, so every laptop reads it) is answered by a line of action ``restore`` (by a sync) or
``restore_f`` (by a bundle's import): who — the person whose sync or import brought the record back — and when.

The rule is read from the state, not from the moment: the records named in those conflicts are looked at
after each sync (those recorded since the last look, whose id is kept in the same transaction) and import, and
only a record that is there (not soft-deleted) whose newest line about its existence is a deletion gets
anything. So a sync killed halfway is finished by the next one, and no line is written twice."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import case, delete, insert, or_, select
from sqlalchemy.engine import Connection

from app.persistence.models import AuditEntry, Base, SyncConflict, SyncOutbox, utcnow
from app.persistence.types import new_uuid

RESTORE = "restore"  # a sync brought the record back (app/team/audit.py ACTION_TITLES)
RESTORE_FILE = "restore_f"  # a bundle's import brought it back
SOFT_DELETE = "deleted"  # the field of a soft deletion (a work-log entry)
# conflicts that may leave a deletion line about a record that is there (app/sync/push_record.py, laptop_apply.py;
# exchange/versioned_table.py, versioned_deletions.py)
KINDS = ("edit_delete", "delete_edit")
BILLED_EDIT = "billed_edit"
# newest first, as the trail lists it (app/team/audit.py NEWEST_FIRST): unsent lines above the server's
NEWEST = (case((AuditEntry.row_version == 0, 0), else_=1), AuditEntry.row_version.desc(), AuditEntry.id.desc())


def candidates(rows: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(table, record UUID) of the conflicts among ``rows`` (dicts or rows with table_name, record_uuid, kind,
    field) that may have undone a deletion, each once, in order."""
    out: dict[tuple[str, str], None] = {}
    for row in rows:
        kind, field = row["kind"], row["field"]
        if kind in KINDS or (kind == BILLED_EDIT and field == SOFT_DELETE):
            out[(str(row["table_name"]), str(row["record_uuid"]))] = None
    return list(out)


def with_records(conn: Connection, records: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """``records`` and, after each client among them, every record of that client that is here as (table, UUID,
    client UUID): a client a delete against an edit kept keeps its records, so those its deletion took come back
    with it and their «удалено» lines need the same answer (``settle`` passes over the others)."""
    from app.persistence.tracking import synced_tables

    out: list[tuple[str, ...]] = []
    for record in records:
        out.append(record)
        if record[0] != "client":
            continue
        client = Base.metadata.tables["client"]
        cid = conn.execute(select(client.c.id).where(client.c.uuid == record[1])).scalar()
        if cid is None:
            continue
        for t in synced_tables():
            if t.name != "client" and "client_id" in t.c:
                out.extend((t.name, u, record[1]) for u in conn.execute(
                    select(t.c.uuid).where(t.c.client_id == cid).order_by(t.c.id)).scalars())
    return out


def drop_unsent(conn: Connection, line_uuids: list[str]) -> None:
    """Delete these audit lines and their outbox entries: lines that never left this computer (``row_version``
    0) about a change that did not hold (undone by a sync, a bundle or the server's refusal)."""
    if not line_uuids:
        return
    conn.execute(delete(AuditEntry).where(AuditEntry.uuid.in_(line_uuids)))
    # after the lines: the outbox trigger queues a deleted line's deletion, which must not travel either
    conn.execute(delete(SyncOutbox).where(SyncOutbox.table_name == "audit_log",
                                          SyncOutbox.record_uuid.in_(line_uuids)))


def _there(conn: Connection, name: str, uuid: str) -> bool:
    """Whether the record is on this computer and not soft-deleted."""
    t = Base.metadata.tables.get(name)
    if t is None or "uuid" not in t.c:
        return False
    columns = [t.c.id] + ([t.c[SOFT_DELETE]] if SOFT_DELETE in t.c else [])
    row = conn.execute(select(*columns).where(t.c.uuid == uuid).limit(1)).first()
    return row is not None and not (len(row) > 1 and row[1])


def _is_deletion(action: str, field: str, new: str | None) -> bool:
    return action == "delete" or (action == "update" and field == SOFT_DELETE and new in ("1", "True", "true"))


def settle(conn: Connection, records: Iterable[tuple[str, ...]], author: str, *,
           action: str = RESTORE) -> int:
    """For each record (table, UUID) that is here (not soft-deleted) and whose newest line about its existence
    (added, deleted, restored, the field ``deleted``) is a deletion: drop that line if it never reached a
    server, else write a line of ``action`` by ``author`` now. In the caller's transaction; returns the number
    of lines written (the caller sends them)."""
    written = 0
    for record in records:
        name, uuid = record[0], record[1]
        if not _there(conn, name, uuid):
            continue
        where = [AuditEntry.table_name == name, AuditEntry.record_uuid == uuid,
                 or_(AuditEntry.action.in_(("insert", "delete", RESTORE, RESTORE_FILE)),
                     AuditEntry.field == SOFT_DELETE)]
        if len(record) > 2 and record[2]:  # (table, uuid, client UUID): the trail's index by client
            where.append(AuditEntry.client_uuid == record[2])
        line = conn.execute(
            select(AuditEntry.uuid, AuditEntry.row_version, AuditEntry.action, AuditEntry.field,
                   AuditEntry.old_value, AuditEntry.new_value, AuditEntry.client_uuid)
            .where(*where).order_by(*NEWEST).limit(1)).first()
        if line is None or not _is_deletion(line.action, line.field, line.new_value):
            continue
        if not line.row_version:  # never left this computer: the deletion it describes did not hold
            drop_unsent(conn, [line.uuid])
            continue
        soft = line.action == "update"
        conn.execute(insert(AuditEntry).values(
            uuid=new_uuid(), at=utcnow(), author=author, client_uuid=line.client_uuid, table_name=name,
            record_uuid=uuid, action=action, field=line.field,
            old_value=line.new_value if soft else None, new_value=line.old_value))
        written += 1
    return written


def _items_back(conn: Connection) -> list[tuple[str, str]]:
    """The user-added checklist items here that a trail line says were deleted: one a tick kept (the SQLite
    trigger ``vn_keep_ticked_template`` keeps an item the sync would delete while a client has it ticked, and
    sends it back) comes back with no conflict, and the team's history said «удалено» of an item that is there
    (the trial of 2026-12-01). ``settle`` looks at each: only one whose newest line is the deletion gets a line."""
    from app.persistence.models import ChecklistTemplate

    rows = conn.execute(select(ChecklistTemplate.uuid).where(
        ChecklistTemplate.uuid.is_not(None),
        select(AuditEntry.id).where(AuditEntry.table_name == "checklist_template",
                                    AuditEntry.record_uuid == ChecklistTemplate.uuid,
                                    AuditEntry.action == "delete").exists())).scalars()
    return [("checklist_template", str(u)) for u in rows]


SETTLED_KEY = "audit.restored_upto"  # setting: the last sync_conflict id looked at by ``settle_after_sync``


def settle_after_sync(conn: Connection, author: str) -> int:
    """``settle`` for every record a sync's conflict recorded since the last call may have brought back
    (``sync_conflict`` above the id kept in ``SETTLED_KEY``, moved on in the same transaction: a sync stopped
    before this step is finished by the next); ``author`` is the login the laptop syncs as."""
    from app.persistence.models import Setting

    written = settle(conn, _items_back(conn), author)
    done = conn.execute(select(Setting.value).where(Setting.key == SETTLED_KEY)).scalar()
    upto = int(done) if done and done.isdigit() else 0
    from app.team import overridden

    rows = conn.execute(select(SyncConflict.id, SyncConflict.table_name, SyncConflict.record_uuid,
                               SyncConflict.client_uuid, SyncConflict.kind, SyncConflict.field, SyncConflict.kept)
                        .where(SyncConflict.id > upto,
                               or_(SyncConflict.kind.in_(KINDS + overridden.KINDS),
                                   (SyncConflict.kind == BILLED_EDIT) & (SyncConflict.field == SOFT_DELETE)))
                        .order_by(SyncConflict.id)).mappings().all()
    if not rows:
        return written
    clients = {(r["table_name"], r["record_uuid"]): r["client_uuid"] or "" for r in rows}
    written += settle(conn, with_records(conn, [(name, uuid, clients[(name, uuid)])
                                                for name, uuid in candidates(dict(r) for r in rows)]), author)
    # an edit here that lost the same field's conflict: its line is not left as the field's last word
    for kept, action in (("server", overridden.KEPT_SERVER), ("file", overridden.KEPT_FILE)):  # said as it was kept
        written += overridden.settle(conn, overridden.candidates(dict(r) for r in rows if r["kept"] == kept), author,
                                     action=action)
    conn.execute(delete(Setting).where(Setting.key == SETTLED_KEY))
    conn.execute(insert(Setting).values(key=SETTLED_KEY, value=str(max(r["id"] for r in rows))))
    return written


__all__ = ["NEWEST", "RESTORE", "RESTORE_FILE", "candidates", "drop_unsent", "settle", "settle_after_sync",
           "with_records"]
