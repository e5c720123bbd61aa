"""Clients this laptop sees anew since its last pull, whose older records the next pull must bring.

A pull takes the rows with a version above the laptop's watermark. A client that comes into view otherwise than
as a new row — the laptop's own client merged by its ИНН into the server's (made on two laptops offline, or held
by a refusal until it was handed to this member: ``refused_lift.adopt_by_inn``/``refused.lift``), a client handed back —
already has rows of the server (documents, stage moves, ticks, the trail) numbered below that watermark, which no
pull would read (the trial of 2026-12-01: the client merged, its acts and history never arrived). Their UUIDs
(the server's) are kept in the laptop's settings until the pull and the trail fetch have run, so a sync killed in
between brings them the next time."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from app.sync.rows import table

KEY = "sync.newly_visible"  # JSON list of client UUIDs


def newly_visible(conn: Connection) -> list[str]:
    """The client UUIDs noted since the last completed pull (empty when none; a damaged value counts as none)."""
    t = table("setting")
    raw = conn.execute(select(t.c.value).where(t.c.key == KEY)).scalar()
    try:
        found = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [str(u) for u in found if isinstance(u, str)] if isinstance(found, list) else []


def note_visible(conn: Connection, uuids: Iterable[str]) -> None:
    """Add client ``uuids`` to the list, in the caller's transaction."""
    wanted = sorted(set(newly_visible(conn)) | {str(u) for u in uuids if u})
    t = table("setting")
    conn.execute(delete(t).where(t.c.key == KEY))
    if wanted:
        conn.execute(insert(t).values(key=KEY, value=json.dumps(wanted)))


def forget_visible(conn: Connection, uuids: Iterable[str]) -> None:
    """Drop client ``uuids`` from the list (their older records are in), in the caller's transaction."""
    done = {str(u) for u in uuids}
    left = [u for u in newly_visible(conn) if u not in done]
    t = table("setting")
    conn.execute(delete(t).where(t.c.key == KEY))
    if left:
        conn.execute(insert(t).values(key=KEY, value=json.dumps(left)))


def adopt_uuid(conn: Connection, old: str, new: str) -> None:
    """The laptop's client ``old`` became the server's ``new`` (met by its ИНН): what names it by UUID follows —
    its trail lines (else «История изменений» here lost the lines written before the merge, which the server and
    the other laptops show: the trial of 2026-12-01), its conflicts and its bundle tombstones — and the server's
    older records of it come with the next pull (``note_visible``). In the caller's transaction."""
    from sqlalchemy import update

    from app.persistence.models import AuditEntry, SyncConflict, Tombstone

    if old == new:
        return
    conn.execute(update(AuditEntry).where(AuditEntry.client_uuid == old).values(client_uuid=new))
    conn.execute(update(AuditEntry).where(AuditEntry.table_name == "client", AuditEntry.record_uuid == old)
                 .values(record_uuid=new))
    conn.execute(update(SyncConflict).where(SyncConflict.record_uuid == old).values(record_uuid=new))
    conn.execute(update(SyncConflict).where(SyncConflict.client_uuid == old).values(client_uuid=new))
    conn.execute(update(Tombstone).where(Tombstone.client_uuid == old).values(client_uuid=new))
    note_visible(conn, [new])
