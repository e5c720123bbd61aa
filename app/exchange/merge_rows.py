"""What both merges do with a file's records: note those that exist here, insert the new ones."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.exchange.chunks import chunks
from app.exchange.merge_report import MergeReport
from app.exchange.record_labels import _Labels
from app.exchange.table_specs import TableSpec, table_specs


def note_existing(name: str, uuid: str, local: Any, id_map: dict[str, dict[str, int]], report: MergeReport,
                  labels: _Labels) -> None:
    """A file's record that exists here (``local``: its row mapping): remember its local id and the client
    it touches, and a client's name for the report's labels."""
    id_map.setdefault(name, {})[uuid] = local["id"]
    if name == "client":
        report.client_ids.add(local["id"])
        labels.client_names[local["id"]] = local["name"]
    elif "client_id" in local:
        report.client_ids.add(local["client_id"])


# Session.info key: {table: {uuid: local id}} the records inserted in this session should take when free
KEEP_IDS = "vnedrenie.keep_ids"


def insert_rows(s: Session, table_spec: TableSpec, rows: list[dict[str, Any]], id_map: dict[str, dict[str, int]],
                report: MergeReport, labels: _Labels, *, ids: bool | None = None) -> None:
    """Insert new records of one table in chunks of 1 000 (rows of one file normally share their keys: grouped
    so that each executemany is uniform), recording their local ids in ``id_map`` (``ids``; None: for the tables
    other records refer to; a client's always) and the touched clients.
    A record named in ``s.info[KEEP_IDS]`` takes that local id when no row holds it (undo of a deletion)."""
    t = table_spec.table
    name = table_spec.name
    wanted = s.info.get(KEEP_IDS, {}).get(name)
    if wanted:  # an undone deletion: its records take their old local ids back where still free
        hinted = {r["uuid"]: wanted[r["uuid"]] for r in rows if r["uuid"] in wanted}
        taken = {i for chunk in chunks(sorted(hinted.values()))
                 for (i,) in s.execute(select(t.c.id).where(t.c.id.in_(chunk)))}
        rows = [{**r, "id": hinted[r["uuid"]]} if hinted.get(r["uuid"]) not in (None, *taken) else r for r in rows]
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    # one executemany per chunk, without RETURNING: with it SQLite (no sentinel column) is sent one INSERT per
    # row (issue 15: 120 000 single-row statements at 2 000 clients); the ids of the records others refer to
    # are read back by UUID, one SELECT per chunk
    needs_ids = name == "client" or (name in referenced_tables() if ids is None else ids)
    from app.exchange.fast_insert import insert_many

    for group in groups.values():
        for chunk in chunks(group, 1000):
            insert_many(s.connection(), t, chunk)
            if needs_ids:
                known = id_map.setdefault(name, {})
                for local_id, row_uuid in s.execute(select(t.c.id, t.c.uuid).where(
                        t.c.uuid.in_([r["uuid"] for r in chunk]))):
                    known[row_uuid] = local_id
                    if name == "client":
                        report.client_ids.add(local_id)
            if "client_id" in t.c:
                report.client_ids.update(r["client_id"] for r in chunk)
    if name == "client":
        labels.client_names.update({id_map[name][r["uuid"]]: r.get("name", "") for r in rows})


@cache
def referenced_tables() -> frozenset[str]:
    """The tables whose rows other client-owned rows refer to (a merge needs their local ids)."""
    return frozenset(c.ref_table for t in table_specs() for c in t.refs if c.ref_table)
