"""Field-level three-way merge of one record: the laptop's values, the server's, and the base both started from.

Rule (docs/sync.md): a field changed on one side only takes that side's value; changed on both sides to
different values it is a conflict, resolved by default in favour of the server (the value that reached the
team first stays) unless the table is append-only (work log, stage history, audit), where the record is one
person's own entry and the laptop's value is taken without a conflict. Bookkeeping fields (who/when of the
last write) never conflict."""

from __future__ import annotations

from dataclasses import dataclass

BOOKKEEPING = frozenset({"updated_at", "updated_by"})
APPEND_ONLY = frozenset({"work_log", "stage_event", "audit_log"})


@dataclass(frozen=True)
class FieldConflict:
    """A field both sides changed: the laptop's and the server's value (text as stored in the sync payload)."""

    field: str
    local: object
    server: object


def merge3(table: str, base: dict | None, local: dict, server: dict) -> tuple[dict, list[FieldConflict]]:
    """Merge ``local`` and ``server`` (column -> JSON value) against ``base`` (None: never seen, i.e. every
    difference is a both-sides change). Returns the merged values and the conflicts (server kept)."""
    base = base or {}
    merged: dict = {}
    conflicts: list[FieldConflict] = []
    local_won = False
    for field in sorted(set(local) | set(server)):
        if field in BOOKKEEPING:
            continue
        lv, sv = local.get(field), server.get(field)
        if lv == sv:
            merged[field] = sv
        elif field in base and lv == base[field]:
            merged[field] = sv
        elif field in base and sv == base[field]:
            merged[field], local_won = lv, True
        elif table in APPEND_ONLY:
            merged[field], local_won = lv, True
        else:
            merged[field] = sv
            conflicts.append(FieldConflict(field, lv, sv))
    source = local if local_won else server
    for field in BOOKKEEPING:
        if field in local or field in server:
            merged[field] = source.get(field, server.get(field))
    return merged, conflicts
