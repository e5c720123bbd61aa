"""The export side: clients' records read from the database as an upsert changeset."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.exchange.changeset import Changeset
from app.exchange.chunks import chunks
from app.exchange.row_change import RowChange
from app.exchange.table_specs import table_specs


def collect(s: Session, client_ids: list[int] | None = None) -> Changeset:
    """The records of the given clients (all clients when None) as an upsert changeset."""
    result = Changeset()
    id_to_uuid: dict[str, dict[int, str]] = {}
    for table_spec in table_specs():
        t = table_spec.table
        query = select(t).order_by(t.c.id)
        if client_ids is not None and table_spec.name == "client":
            rows = [r for chunk in chunks(client_ids) for r in s.execute(query.where(t.c.id.in_(chunk))).mappings()]
        elif client_ids is not None and "client_id" in t.c:
            rows = [r for chunk in chunks(client_ids)
                    for r in s.execute(query.where(t.c.client_id.in_(chunk))).mappings()]
        else:
            rows = list(s.execute(query).mappings())
        changes = []
        known = id_to_uuid.setdefault(table_spec.name, {})
        for r in rows:
            values: dict[str, Any] = {}
            skip = False
            for col in table_spec.columns:
                value = r[col.name]
                if col.ref_table and value is not None:
                    value = id_to_uuid.get(col.ref_table, {}).get(value)
                    if value is None:  # refers to a row outside this export
                        skip = True
                        break
                values[col.key] = value
            if skip:
                continue
            known[r["id"]] = r["uuid"]
            changes.append(RowChange(table_spec.name, "upsert", r["uuid"], r["updated_at"], values))
        if changes:
            result.tables[table_spec.name] = changes
    from app.exchange.tombstones import collect_tombstones

    client_uuids = None if client_ids is None else [r.uuid for r in result.rows("client")]
    result.tombstones = collect_tombstones(s, client_uuids)
    from app.exchange.checklist_items import deleted_items, user_items

    result.checklist_items = user_items(s)
    result.checklist_deleted = deleted_items(s)
    return result
