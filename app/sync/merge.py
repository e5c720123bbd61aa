"""Field-level three-way merge of one record: the laptop's values, the server's, and the base both started from.

Rule (docs/sync.md): a field changed on one side only takes that side's value; changed on both sides to
different values it is a conflict, resolved by default in favour of the server (the value that reached the
team first stays; a bundle may ask for the local value, see app/exchange/versioned.py ``keeps_here``) unless
the table is append-only (work log, stage history, audit), where the record is one person's own entry and
the laptop's value is taken without a conflict. A group of fields (a checklist tick's done/day/who) changed
on both sides is one conflict and is taken whole from one side. Bookkeeping fields (who/when of the last
write) never conflict."""

from __future__ import annotations

from dataclasses import dataclass

BOOKKEEPING = frozenset({"updated_at", "updated_by"})
APPEND_ONLY = frozenset({"work_log", "stage_event", "audit_log"})
# fields that mean one thing together: a tick is (done, the day, who). Changed on both sides, the group is
# taken whole from the side that wins, so a tick never ends as «not done» with the other side's day.
GROUPS: dict[str, tuple[str, ...]] = {"checklist_state": ("done", "done_on", "who")}


@dataclass(frozen=True)
class FieldConflict:
    """A field both sides changed: the laptop's and the server's value (text as stored in the sync payload)."""

    field: str
    local: object
    server: object


def merge3(table: str, base: dict | None, local: dict, server: dict, *,
           local_wins: bool = False) -> tuple[dict, list[FieldConflict]]:
    """Merge ``local`` and ``server`` (column -> JSON value) against ``base`` (None: never seen, i.e. every
    difference is a both-sides change). Returns the merged values and the conflicts: the server's value is
    kept, or the local one when ``local_wins`` (a bundle whose sender's side comes second in the order of
    app/exchange/versioned.py ``keeps_here``)."""
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
            merged[field] = lv if local_wins else sv
            local_won = local_won or local_wins
            conflicts.append(FieldConflict(field, lv, sv))
    if table in GROUPS and _merge_group(GROUPS[table], base, local, server, merged, conflicts, local_wins):
        local_won = local_won or local_wins
    source = local if local_won else server
    for field in BOOKKEEPING:
        if field in local or field in server:
            merged[field] = source.get(field, server.get(field))
    return merged, conflicts


def _merge_group(group: tuple[str, ...], base: dict, local: dict, server: dict, merged: dict,
                 conflicts: list[FieldConflict], local_wins: bool) -> bool:
    """A group changed on both sides to different values: one conflict (its first differing field), the
    winner's values for every field of the group (in place). Returns whether it was such a conflict."""
    fields = [f for f in group if f in local or f in server]
    if not fields:
        return False

    def changed(side: dict) -> bool:
        return any(f not in base or side.get(f) != base[f] for f in fields)

    if not (changed(local) and changed(server)) or all(local.get(f) == server.get(f) for f in fields):
        return False
    winner = local if local_wins else server
    for f in fields:
        merged[f] = winner.get(f)
    first = next(f for f in fields if local.get(f) != server.get(f))
    conflicts[:] = [c for c in conflicts if c.field not in fields]
    conflicts.append(FieldConflict(first, local.get(first), server.get(first)))
    return True
