"""A record new to a team laptop from a bundle keeps, as its sync base, the team server's state the file carried.

A bundle made on a team laptop carries each record's sync base (the server's version and values its exporter last
saw, as the peer ``SERVER_PEER``: app/exchange/versioned_bases.py). A record that arrives here by file and not by sync
had no base on this laptop, so its first sync merged the server's row against nothing, and every field the team had
changed since was a conflict — a client brought in while it was a colleague's, then handed to this laptop's
person, showed «ответственный специалист | здесь: Сидоров | на сервере: Иванова» though nobody had touched it
here (the trial of 2026-12-01, 17g finding 3). The server's history is one line, so that state is one this laptop
may merge against: its payload is the row's own (just inserted with the file's values) with the fields the server
had otherwise put back, marked as carried by a file (``bases.FILE``: a client hidden from this member is then a
colleague's that came in a file, not one handed away from here). The checklist items do the same (app/exchange/checklist_items.py ``_keep_server_base``)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.persistence.models import SyncBase


def keep_carried_bases(s: Session, name: str, carried: dict[str, tuple[int, dict[str, Any]]]) -> int:
    """Store ``carried`` (uuid -> (the server's version, the file's fields that differ from it, as typed changeset
    values)) as the sync bases of records of the synced table ``name`` just inserted here; a record that already has
    a base keeps it. Returns how many were stored. Raises nothing on a table the sync does not carry."""
    from app.sync.bases import FILE
    from app.sync.rows import TABLES, IdMap, read_rows, to_json

    if not carried or name not in TABLES:
        return 0
    conn = s.connection()
    uuids = sorted(carried)
    have: set[str] = set()
    for start in range(0, len(uuids), 500):
        have.update(conn.execute(select(SyncBase.record_uuid).where(
            SyncBase.table_name == name, SyncBase.record_uuid.in_(uuids[start:start + 500]))).scalars())
    rows = read_rows(conn, name, [u for u in uuids if u not in have], IdMap(conn))
    values = []
    for uuid, (_version, payload) in rows.items():
        version, server_fields = carried[uuid]
        data = {**payload, **{k: to_json(v) for k, v in server_fields.items() if k in payload}, FILE: 1}
        values.append({"table_name": name, "record_uuid": uuid, "row_version": version,
                       "data": json.dumps(data, ensure_ascii=False, sort_keys=True)})
    if values:
        conn.execute(insert(SyncBase), values)
    return len(values)
