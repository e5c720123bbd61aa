"""The audit trail of a work-log entry whose billing mark a sync or a bundle's import moved: it never leaves a
billing that did not hold as the entry's last word, nor says a voided act bills the entry after its void.

The same work billed on two laptops offline (a «double_billing», app/sync/claims.py) is settled by machinery,
not by the user's hand: the push keeps the act that reached the team first (the laptop's own act loses), a
bundle's import keeps the act its order says, and an act voided elsewhere passes the work to the act still in
force (``pass_to_listing_acts``). None of these wrote a line, so the trail kept «— → АУ-122/2026» (the act that
lost, or the act voided since) as the entry's newest billing line — and a line written offline before the void
reached the team after the void's lines, reading as if the voided act billed the work after its void.

The rule, read from the state (running it twice writes nothing more), for each entry a sync or an import
touched this way: when the newest line about the entry's billing names another act than the one billing it
now, that line is dropped if it never left this computer (``row_version`` 0: the billing it describes did not
hold for the team, and sent now it would read after the void), else it is answered by a line from that act
to the act in force — «АУ-122/2026 → АУ-121/2026», titled «оставлено значение сервера (см. конфликты)» after
a sync, «… из файла …» after an import (app/team/overridden.py's actions), by the person whose sync or import
settled it. As app/team/restored.py, this computer answers only for the entries its own sync or import moved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.persistence.models import AuditEntry, Document, SyncConflict, WorkLogEntry, utcnow
from app.persistence.types import new_uuid
from app.sync.merge import DOUBLE_BILLING
from app.team.overridden import KEPT_FILE, KEPT_SERVER
from app.team.restored import NEWEST, drop_unsent

FIELD = "billed_by_document_id"  # the audit trail's field of a billing mark (values: the act's UUID)
_CHUNK = 500

__all__ = ["FIELD", "KEPT_FILE", "KEPT_SERVER", "last_conflict_id", "settle", "settle_double_billings_and_trail"]


def last_conflict_id(conn: Connection | Session) -> int:
    """The highest ``sync_conflict`` id now (0 for none): the conflicts a sync or an import records after it
    are that sync's or import's."""
    return int(conn.execute(select(func.max(SyncConflict.id))).scalar() or 0)


def _marks(conn: Connection | Session, entries: list[str]) -> dict[str, tuple[str, str | None]]:
    """entry UUID -> (its client's UUID, the UUID of the act billing it here or None)."""
    from app.persistence.models import Client

    found: dict[str, tuple[str, str | None]] = {}
    for start in range(0, len(entries), _CHUNK):
        rows = conn.execute(select(WorkLogEntry.uuid, Client.uuid, Document.uuid)
                            .join(Client, Client.id == WorkLogEntry.client_id)
                            .outerjoin(Document, Document.id == WorkLogEntry.billed_by_document_id)
                            .where(WorkLogEntry.uuid.in_(entries[start:start + _CHUNK]))).all()
        found.update((entry, (client, act)) for entry, client, act in rows)
    return found


def _newest_lines(conn: Connection | Session, marks: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
    """entry UUID -> its newest billing line (in ``NEWEST``'s order) among the lines of the entry's client: one
    query per 500 clients (through the trail's client index), not one per entry — an import of 2 000 clients
    touches 120 000 entries."""
    found: dict[str, Any] = {}
    clients = sorted({client for client, _act in marks.values()})
    rank = func.row_number().over(partition_by=(AuditEntry.client_uuid, AuditEntry.record_uuid), order_by=NEWEST)
    for start in range(0, len(clients), _CHUNK):
        lines = (select(AuditEntry.uuid, AuditEntry.record_uuid, AuditEntry.client_uuid, AuditEntry.row_version,
                        AuditEntry.new_value, rank.label("rank"))
                 .where(AuditEntry.client_uuid.in_(clients[start:start + _CHUNK]),
                        AuditEntry.table_name == "work_log", AuditEntry.field == FIELD).subquery())
        for line in conn.execute(select(lines).where(lines.c.rank == 1)):
            mark = marks.get(line.record_uuid)
            if mark is not None and mark[0] == line.client_uuid:
                found[line.record_uuid] = line
    return found


def settle(conn: Connection | Session, entries: Iterable[str], author: str, *, action: str = KEPT_SERVER,
           answered: Iterable[str] | None = None) -> int:
    """For each work-log entry of ``entries`` whose newest billing line names another act than the one billing
    it here: drop that line if it never left this computer, else (only for the entries of ``answered``; None:
    all) write a line of ``action`` by ``author`` from that act to the act in force. In the caller's
    transaction; returns the number of lines written (the caller sends them)."""
    wanted = sorted(set(entries))
    if not wanted:
        return 0
    may_answer = set(wanted) if answered is None else set(answered)
    marks = _marks(conn, wanted)
    newest = _newest_lines(conn, marks)
    written = 0
    for entry in wanted:
        if entry not in marks:
            continue
        client_uuid, act = marks[entry]
        line = newest.get(entry)
        if line is None or line.new_value == act:
            continue
        if not line.row_version:  # never left this computer: the billing it describes did not hold
            drop_unsent(conn, [line.uuid])  # type: ignore[arg-type]  # a Session executes these alike
            continue
        if entry not in may_answer:
            continue
        conn.execute(insert(AuditEntry).values(
            uuid=new_uuid(), at=utcnow(), author=author, client_uuid=client_uuid, table_name="work_log",
            record_uuid=entry, action=action, field=FIELD, old_value=line.new_value, new_value=act))
        written += 1
    return written


def settle_double_billings_and_trail(conn: Connection | Session, since: int, author: str, *,
                                     action: str = KEPT_SERVER, touched: Iterable[str] = (),
                                     touched_chunks: Iterable[Iterable[str]] = ()) -> int:
    """After a sync's pull or a bundle's merge (the caller's transaction): close the double billings one of
    whose acts is voided here (app/sync/resolve.py ``settle_double_billings``, which passes the work to the
    act in force), then :func:`settle` the trail of every entry of a double billing recorded after conflict
    id ``since``, closed now or still open; ``touched`` (an import's work-log entries; ``touched_chunks``: more of them, a list at a time) only have their unsent lines that
    disagree with the entry's mark dropped. Returns the number of lines written."""
    from app.sync.resolve import settle_double_billings

    open_before = dict(conn.execute(select(SyncConflict.id, SyncConflict.record_uuid).where(
        SyncConflict.kind == DOUBLE_BILLING, SyncConflict.resolved.is_(False))).all())
    settle_double_billings(conn)
    closed = set()
    if open_before:
        closed = set(conn.execute(select(SyncConflict.record_uuid).where(
            SyncConflict.id.in_(sorted(open_before)), SyncConflict.resolved.is_(True))).scalars())
    recorded = set(conn.execute(select(SyncConflict.record_uuid).where(
        SyncConflict.kind == DOUBLE_BILLING, SyncConflict.table_name == "work_log",
        SyncConflict.id > since)).scalars())
    still_open = set(open_before.values()) - closed  # recorded by a sync stopped before this step, too
    settled = recorded | closed | still_open
    touched = set(touched)
    written = settle(conn, settled | touched, author, action=action, answered=settled)
    # more touched entries a chunk at a time (a streamed import's, issue 15): each entry's lines are its own, so
    # settling them apart is settling them with the rest
    if conn.execute(select(AuditEntry.id).where(AuditEntry.table_name == "work_log", AuditEntry.field == FIELD)
                    .limit(1)).first() is None:
        return written  # no billing line anywhere: ``settle`` has nothing to drop (an import into a new database)
    for chunk in touched_chunks:
        rest = set(chunk) - settled - touched
        if rest:
            written += settle(conn, rest, author, action=action, answered=set())
    return written


def withheld_lines(lc: Connection, sc: Connection) -> dict[str, str]:
    """The billing lines waiting in this laptop's outbox that name an act the team server holds voided (line
    UUID -> its entry's UUID): written offline before this laptop knew of the void, sent now they would reach
    the team after the void's lines and read as if the voided act billed the work after its void. The sync
    keeps them here (not sent); :func:`settle` then drops each that the entry's mark no longer agrees with.
    One query here and one per 500 acts on the server."""
    from app.persistence.models import SyncOutbox

    rows = lc.execute(select(AuditEntry.uuid, AuditEntry.record_uuid, AuditEntry.new_value)
                      .join(SyncOutbox, (SyncOutbox.table_name == "audit_log")
                            & (SyncOutbox.record_uuid == AuditEntry.uuid))
                      .where(AuditEntry.table_name == "work_log", AuditEntry.field == FIELD,
                             AuditEntry.new_value.is_not(None), AuditEntry.row_version == 0)).all()
    if not rows:
        return {}
    acts = sorted({r.new_value for r in rows})
    t = Document.__table__
    voided: set[str] = set()
    for start in range(0, len(acts), _CHUNK):
        voided.update(sc.execute(select(t.c.uuid).where(t.c.uuid.in_(acts[start:start + _CHUNK]),
                                                        t.c.voided_on.is_not(None))).scalars())
    return {r.uuid: r.record_uuid for r in rows if r.new_value in voided}
