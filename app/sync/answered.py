"""Open field conflicts answered by a later edit here (tester M, item 3).

A conflict names the values of a field as they were when two sides met («здесь: Сочи, в файле: Анапа,
оставлено: здешнее»). When the person then edits that field on this computer, the edit is the word on it: the
conflict no longer describes the card, and choosing its other value would overwrite the edit unseen. So the edit
closes it, as a later file changing the field closes a bundle's conflict (``versioned._Conflicts.settle``). A
tick's group (done, day, who; a lesson's done, day) is one conflict: an edit of any of its fields answers it.

Called by the session hook (app/team/hooks.py) after each flush of edits made here — never for the rows a sync
applies (it replays the server's). A field changed in another way (a pull, a statement that bypasses the hook) is
caught when the conflict is resolved: ``sync resolve`` refuses to write the other value over a field that no
longer holds the value in effect (app/sync/resolve.py ``_check_in_effect``)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
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
