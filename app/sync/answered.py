"""Open field conflicts answered by a later edit here (tester M, item 3).

A conflict names the values of a field as they were when two sides met («здесь: Сочи, в файле: Анапа,
оставлено: здешнее»). When the person then edits that field on this computer, the edit is the word on it: the
conflict no longer describes the card, and choosing its other value would overwrite the edit unseen. So the edit
closes it, as a later file changing the field closes a bundle's conflict (``versioned_conflicts._Conflicts.settle``). A
tick's group (done, day, who; a lesson's done, day) is one conflict: an edit of any of its fields answers it.

Called by the session hook (app/team/hooks.py) after each flush of edits made here — never for the rows a sync
applies (it replays the server's). A field changed in another way (a pull, a statement that bypasses the hook) is
caught when the conflict is resolved: ``sync resolve`` refuses to write the other value over a field that no
longer holds the value in effect (app/sync/resolve.py ``_check_in_effect``).

A sync that writes another value into such a field answers it the same way (:class:`Answers`): the team's later
value (someone decided it elsewhere and synced) replaced the one the conflict names as kept, and ``sync resolve``
refused the conflict from then on while it stayed listed. So the push's and the pull's application of the server's
values (app/sync/laptop_apply.py ``_apply``) closes the open field conflicts of every field it changes here, or on which
it records a new conflict (which names both current values), in the same laptop transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.persistence.models import SyncConflict
from app.sync.merge import GROUPS

# the conflicts an edit of their field answers: a field's value either way (not a double billing, which closes
# only by a void, nor a billed figure, which the act holds, nor a whole record's or a refused team-wide change)
ANSWERED_KINDS = ("field",)


def settle_edited(s: Session, edited: Iterable[tuple[str, str, str]]) -> int:
    """Close the open field conflicts of the (table, record UUID, field) edited here; how many were closed. One
    query when there are open conflicts, none to close otherwise."""
    wanted = set(edited)
    if not wanted:
        return 0
    records = {(table, uuid) for table, uuid, _field in wanted}
    rows = s.execute(select(SyncConflict.id, SyncConflict.table_name, SyncConflict.record_uuid,
                            SyncConflict.field).where(SyncConflict.resolved.is_(False),
                                                      SyncConflict.kind.in_(ANSWERED_KINDS),
                                                      SyncConflict.field != "")).all()
    closed = []
    for cid, table, uuid, field in rows:
        if (table, uuid) not in records:
            continue
        fields = set(GROUPS.get(table, ())) if field in GROUPS.get(table, ()) else {field}
        if any((table, uuid, f) in wanted for f in fields):
            closed.append(cid)
    if closed:
        s.execute(update(SyncConflict).where(SyncConflict.id.in_(closed)).values(resolved=True),
                  execution_options={"synchronize_session": False})
    return len(closed)


class Answers:
    """The open field conflicts of one table (or of all), read at the first need and once per laptop transaction of
    a sync (a pull page, a push batch): a page of 5 000 pulled rows costs one query, not one per row."""

    def __init__(self, conn: Connection, table: str | None = None) -> None:
        self.conn = conn
        self.table = table
        self.open: dict[tuple[str, str], dict[str, list[int]]] | None = None
        self.closed = 0  # how many this transaction closed

    def _load(self) -> dict[tuple[str, str], dict[str, list[int]]]:
        if self.open is None:
            query = select(SyncConflict.id, SyncConflict.table_name, SyncConflict.record_uuid, SyncConflict.field
                           ).where(SyncConflict.resolved.is_(False), SyncConflict.kind.in_(ANSWERED_KINDS),
                                   SyncConflict.field != "")
            if self.table is not None:
                query = query.where(SyncConflict.table_name == self.table)
            self.open = {}
            for cid, table, uuid, field in self.conn.execute(query):
                self.open.setdefault((table, uuid), {}).setdefault(field, []).append(cid)
        return self.open

    def settle(self, table: str, uuids: Iterable[str], fields: Iterable[str]) -> int:
        """Close the open field conflicts of these fields of the record (under any of its ``uuids``: the laptop's
        and the server's, when a record met by its natural key took the server's); a tick's group as one. Returns
        how many were closed."""
        wanted = set(fields)
        if not wanted:
            return 0
        open_ = self._load()
        if not open_:
            return 0
        group = set(GROUPS.get(table, ()))
        if wanted & group:
            wanted |= group
        closed: list[int] = []
        for uuid in dict.fromkeys(uuids):
            by_field = open_.get((table, uuid))
            if not by_field:
                continue
            for field in wanted & by_field.keys():
                closed += by_field.pop(field)
        if closed:
            self.conn.execute(update(SyncConflict).where(SyncConflict.id.in_(closed)).values(resolved=True))
            self.closed += len(closed)
        return len(closed)
