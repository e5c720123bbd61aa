"""Field-level three-way merge of one record: the laptop's values, the server's, and the base both started from.

Rule (docs/sync.md): a field changed on one side only takes that side's value; changed on both sides to
different values it is a conflict, resolved by default in favour of the server (the value that reached the
team first stays; a bundle may ask for the local value, see app/exchange/versioned_clock.py ``keeps_here``) unless
the table is append-only (work log, stage history, audit), where the record is one person's own entry and
the laptop's value is taken without a conflict — except a shared mark written later by someone else (a work-log
entry's billing mark, ``SHARED_MARKS``): two different acts billing one entry are a ``double_billing``
conflict, the winner's act keeps the entry; an act against no act keeps the act (an unbilling only ever comes
from voiding that side's own act); the figures an act billed stay as it billed them, another side's change of
them being a ``billed_edit`` conflict. A group of fields (a checklist tick's done/day/who, a lesson's done/day)
changed on both sides is taken whole from one side, and is one conflict only when its outcome differs (done,
day): the same item ticked on both sides on the same day by different people is one tick, no conflict. The
record's ``uuid`` is its identity, never merged: a record met by its natural key takes the server's. Two
records with no base (made independently, met by a natural key) do not conflict over their creation stamps or a
field filled on one side only. Bookkeeping fields (who/when of the last write) never conflict, nor does a client's stage, which follows its
stage history (``DERIVED``)."""

from __future__ import annotations

from dataclasses import dataclass

BOOKKEEPING = frozenset({"updated_at", "updated_by"})
IDENTITY = "uuid"  # never merged, never a conflict: a record met by its natural key takes the server's
APPEND_ONLY = frozenset({"work_log", "stage_event", "audit_log"})
# fields of an append-only table that are not the author's own entry but a mark set later, possibly by
# someone else offline: the act that billed a work-log entry. Set to two different acts on two sides, it is a
# «double_billing» conflict (never taken silently from the laptop).
SHARED_MARKS: dict[str, frozenset[str]] = {"work_log": frozenset({"billed_by_document_uuid"})}
DOUBLE_BILLING = "double_billing"
# what an act printed of the entry it billed: changed on the other side (offline, where the entry was not yet
# billed), the act's side keeps it and the change is a «billed_edit» conflict — a billed entry is never
# silently edited, deleted, unbilled or re-billed (the window refuses the same: «void the act first»)
# (the note is not printed on an act: it merges by the append-only rule)
BILLED_FIGURES: dict[str, tuple[str, ...]] = {
    "work_log": ("on_date", "kind", "minutes", "days", "amount", "stage", "deleted")}
BILLED_EDIT = "billed_edit"
# fields that mean one thing together: a tick is (done, the day, who). Changed on both sides, the group is
# taken whole from the side that wins, so a tick never ends as «not done» with the other side's day.
GROUPS: dict[str, tuple[str, ...]] = {"checklist_state": ("done", "done_on", "who"),
                                      "lesson_progress": ("done", "done_on")}
# fields of a group that alone make no conflict: who ticked an item both sides ticked on the same day
QUIET: dict[str, frozenset[str]] = {"checklist_state": frozenset({"who"})}
# clock stamps of a record's creation: two records made independently and met by their natural key (no base:
# a client by its ИНН) were simply made at different moments; the server's stays, with no conflict. Changed on
# both sides since a base (each side met the client by its ИНН in another card), the side the order keeps wins,
# silently as well: a creation time is nothing a person chooses
CREATION_STAMPS = frozenset({"created_at", "stage_since"})
# fields that follow from another table and are put right after every merge (app/sync/stages.py: a client's
# stage is where its last move went): never a conflict; changed on both sides, this side's value is taken (a
# laptop's own moves are numbered above everything when it pushes them)
DERIVED: dict[str, frozenset[str]] = {"client": frozenset({"stage", "stage_since"})}
EMPTY = (None, "")


@dataclass(frozen=True)
class FieldConflict:
    """A field both sides changed: the laptop's and the server's value (text as stored in the sync payload)."""

    field: str
    local: object
    server: object
    kind: str = "field"  # or DOUBLE_BILLING: ``local``/``server`` are then the two acts' UUIDs; or BILLED_EDIT
    kept_local: bool | None = None  # which value was kept, when not the call's default (the billing side's)
    # a group's conflict (GROUPS: a tick's done, day and who): each side's values of the whole group, so that
    # choosing a side writes the group whole («keep local» on a lesson writes its day with its «done»)
    group: tuple[dict, dict] | None = None

    def recorded(self) -> tuple[object, object]:
        """The laptop's and the other side's value as ``sync_conflict`` keeps them: a group's conflict keeps
        each side's whole group (a dict holding ``field``; :func:`field_value` reads the field back)."""
        return self.group if self.group is not None else (self.local, self.server)


def field_value(field: str, recorded: object) -> object:
    """The conflicting field's value from a recorded value (a group's conflict records the whole group)."""
    return recorded.get(field) if isinstance(recorded, dict) else recorded


def merge3(table: str, base: dict | None, local: dict, server: dict, *,
           local_wins: bool = False, symmetric: bool = False) -> tuple[dict, list[FieldConflict]]:
    """Merge ``local`` and ``server`` (column -> JSON value) against ``base`` (None: never seen, i.e. every
    difference is a both-sides change). Returns the merged values and the conflicts: the server's value is
    kept, or the local one when ``local_wins`` (a bundle whose sender's side comes second in the order of
    app/exchange/versioned_clock.py ``keeps_here``). ``symmetric`` (a bundle): an append-only record changed on both
    sides takes the side ``local_wins`` names, not always this computer's — two files crossing in the post must
    leave both computers with one value (a sync converges anyway: the last push is the server's value)."""
    unrelated = not base  # two records with no common history, met by their natural key
    base = base or {}
    merged: dict = {}
    conflicts: list[FieldConflict] = []
    local_won = False
    for field in sorted(set(local) | set(server)):
        if field in BOOKKEEPING:
            continue
        lv, sv = local.get(field), server.get(field)
        if field == IDENTITY:
            merged[field] = sv if field in server else lv
            continue
        if lv == sv:
            merged[field] = sv
        elif field in base and lv == base[field]:
            merged[field] = sv
        elif field in base and sv == base[field]:
            merged[field], local_won = lv, True
        elif field in DERIVED.get(table, ()):
            merged[field] = sv if unrelated else lv  # a copy met by its ИНН: the team's client, its moves first
        elif field in CREATION_STAMPS:
            # never a conflict, with a base too: two computers that each met the client by its ИНН in a card made
            # on a third one took different creation stamps (tester L, item 4: «создано» to choose, both values
            # printing alike). Made apart: the server's stays; changed on both sides: the side the order keeps
            merged[field] = lv if local_wins and not unrelated else sv
            local_won = local_won or (local_wins and not unrelated)
        elif unrelated and (lv in EMPTY or sv in EMPTY):  # filled on one side only: nothing to disagree on
            merged[field] = lv if sv in EMPTY else sv
            local_won = local_won or sv in EMPTY
        elif field in SHARED_MARKS.get(table, ()):
            if lv is None or sv is None:  # billed on one side, unbilled (its act voided) on the other: billed
                merged[field] = sv if lv is None else lv
                local_won = local_won or lv is not None
            else:  # two acts bill the same work: the winner's act keeps it, the other must be voided
                merged[field] = lv if local_wins else sv
                local_won = local_won or local_wins
                conflicts.append(FieldConflict(field, lv, sv, DOUBLE_BILLING))
        elif table in APPEND_ONLY:
            mine = local_wins or not symmetric
            merged[field] = lv if mine else sv
            local_won = local_won or mine
        else:
            merged[field] = lv if local_wins else sv
            local_won = local_won or local_wins
            conflicts.append(FieldConflict(field, lv, sv))
    if table in GROUPS and _merge_group(GROUPS[table], QUIET.get(table, frozenset()), base, local, server, merged,
                                        conflicts, local_wins):
        local_won = local_won or local_wins
    if table in SHARED_MARKS and _keep_billed_figures(table, base, local, server, merged, conflicts):
        local_won = True
    source = local if local_won else server
    for field in BOOKKEEPING:
        if field in local or field in server:
            merged[field] = source.get(field, server.get(field))
    return merged, conflicts


def _keep_billed_figures(table: str, base: dict, local: dict, server: dict, merged: dict,
                         conflicts: list[FieldConflict]) -> bool:
    """The side that billed the entry since the base (its act holds the merged mark) keeps the figures its act
    printed (``BILLED_FIGURES``); each one the other side changed differently is a BILLED_EDIT conflict
    (in place). Returns whether the laptop's side is that billing side and changed something."""
    (mark,) = SHARED_MARKS[table]

    def billed_anew(side: dict) -> bool:
        return side.get(mark) is not None and side.get(mark) == merged.get(mark) and (
            mark not in base or side.get(mark) != base[mark])

    biller = local if billed_anew(local) else server if billed_anew(server) else None
    if biller is None:
        return False
    other = server if biller is local else local
    changed = False
    for f in BILLED_FIGURES[table]:
        if (f not in local and f not in server) or other.get(f) == biller.get(f):
            continue
        changed = changed or merged.get(f) != biller.get(f)
        merged[f] = biller.get(f)
        if f not in base or other.get(f) != base[f]:  # the other side changed what the act billed
            conflicts[:] = [c for c in conflicts if c.field != f]
            conflicts.append(FieldConflict(f, local.get(f), server.get(f), BILLED_EDIT, kept_local=biller is local))
    return changed and biller is local


def _merge_group(group: tuple[str, ...], quiet: frozenset[str], base: dict, local: dict, server: dict,
                 merged: dict, conflicts: list[FieldConflict], local_wins: bool) -> bool:
    """A group changed on both sides to different values: the winner's values for every field of the group (in
    place), and one conflict (its first differing field) unless only ``quiet`` fields differ (the same tick on
    the same day by two people: one outcome). Returns whether the group was taken from the winner."""
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
    conflicts[:] = [c for c in conflicts if c.field not in fields]
    differing = [f for f in fields if local.get(f) != server.get(f) and f not in quiet]
    if differing:
        conflicts.append(FieldConflict(differing[0], local.get(differing[0]), server.get(differing[0]),
                                       group=({f: local.get(f) for f in fields}, {f: server.get(f) for f in fields})))
    return True
