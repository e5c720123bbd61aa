"""The other issuer of a double billing told too: a pulled act claiming work that another live act bills here.

Through the server, the laptop that meets a double billing is the one whose push finds the entry billed already
(app/sync/merge.py ``SHARED_MARKS``): it records the «double_billing» conflict. The server then keeps one mark on
the entry (the first act's), but the second act keeps its own claim in its line list (``content["entries"]``,
the ledger an act is issued with, never changed after issue). So the laptop of the first act learns of the
second one when it pulls that act: after a pull, every live act of the clients whose acts or work entries came
in is read, and an entry it lists that another live act bills here is recorded as the same conflict, naming
both acts by number (the act billing the entry here is the one that keeps it). A bundle's import does the same
(app/exchange/versioned.py), so that a USB stick and the server tell the same. A conflict naming the same two
acts for the entry is never recorded twice; it closes itself when either act is voided
(app/sync/resolve.py ``settle_double_billings``)."""

from __future__ import annotations

import json

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.persistence.models import Client, Document, SyncConflict, WorkLogEntry, utcnow
from app.sync.merge import DOUBLE_BILLING, SHARED_MARKS

MARK = next(iter(SHARED_MARKS["work_log"]))  # the conflict's field: the entry's billing mark


def _listed(content: str | None) -> list[str]:
    try:
        entries = json.loads(content or "{}").get("entries") or []
    except (ValueError, AttributeError):
        return []
    return [str(e) for e in entries]


def record_claims(lc: Connection | Session, client_uuids: set[str], *, kept: str = "local") -> int:
    """In the laptop's transaction ``lc``: record a «double_billing» conflict for each work-log entry of these
    clients that a live act lists while another live act bills it here (its mark), unless a conflict of that
    entry already names the same two acts (open or closed). ``kept``: 'local' after a sync, 'here' after a
    bundle's import (the act billing the entry here keeps it). A constant number of queries per client; returns
    how many conflicts were recorded."""
    from app.services.documents.register import document_code

    if not client_uuids:
        return 0
    recorded = 0
    clients = lc.execute(select(Client.id, Client.uuid).where(Client.uuid.in_(sorted(client_uuids)))).all()
    # only the clients with two live acts or more can have a double billing (one query per 500 clients, so an
    # import of every client does not ask each one, issue 15)
    several: set[int] = set()
    ids = [client_id for client_id, _uuid in clients]
    for start in range(0, len(ids), 500):
        several.update(lc.execute(select(Document.client_id).where(
            Document.client_id.in_(ids[start:start + 500]), Document.kind == "act", Document.voided_on.is_(None))
            .group_by(Document.client_id).having(func.count() > 1)).scalars())
    for client_id, client_uuid in clients:
        if client_id not in several:
            continue
        acts = lc.execute(select(Document.id, Document.number, Document.year, Document.series, Document.content)
                          .where(Document.client_id == client_id, Document.kind == "act",
                                 Document.voided_on.is_(None))).all()
        if len(acts) < 2:
            continue
        code = {a.id: document_code("act", a.number, a.year, a.series or "") for a in acts}
        claims = {(entry, a.id) for a in acts for entry in _listed(a.content)}
        if not claims:
            continue
        marks = dict(lc.execute(select(WorkLogEntry.uuid, WorkLogEntry.billed_by_document_id).where(
            WorkLogEntry.client_id == client_id, WorkLogEntry.billed_by_document_id.in_(list(code)))).all())
        wanted = sorted((entry, marks[entry], act) for entry, act in claims
                        if entry in marks and marks[entry] != act)
        if not wanted:
            continue
        known = _known_pairs(lc, {entry for entry, _mark, _act in wanted})
        for entry, mark, act in wanted:
            pair = frozenset({code[mark], code[act]})
            if pair in known.get(entry, ()):
                continue
            lc.execute(insert(SyncConflict).values(
                at=utcnow(), table_name="work_log", record_uuid=entry, client_uuid=client_uuid, kind=DOUBLE_BILLING,
                field=MARK, local_value=json.dumps(code[mark], ensure_ascii=False),
                server_value=json.dumps(code[act], ensure_ascii=False), kept=kept, resolved=False))
            known.setdefault(entry, set()).add(pair)
            recorded += 1
    return recorded


def _known_pairs(lc: Connection | Session, entries: set[str]) -> dict[str, set[frozenset[str]]]:
    """entry UUID -> the pairs of act codes its «double_billing» conflicts name (a sync's or a bundle's)."""
    found: dict[str, set[frozenset[str]]] = {}
    rows = lc.execute(select(SyncConflict.record_uuid, SyncConflict.local_value, SyncConflict.server_value).where(
        SyncConflict.kind == DOUBLE_BILLING, SyncConflict.table_name == "work_log",
        SyncConflict.record_uuid.in_(sorted(entries)))).all()
    for entry, here, other in rows:
        codes = frozenset(str(json.loads(v)) for v in (here, other) if v is not None)
        found.setdefault(entry, set()).add(codes)
    return found


def pass_to_listing_acts(lc: Connection | Session, entry_uuids: set[str]) -> int:
    """In the caller's transaction: each of these work-log entries that no live act bills here (no mark, or the
    mark of a voided act) while a live act of its client lists it (``content["entries"]``, the act's ledger)
    passes to that act — its mark becomes that act (the oldest, when several list it), so the work stays billed,
    shown as billed and not editable, as long as an act in force covers it (issue 17: voiding one act of a
    double billing must not unbill work the other act still bills). The entry's figures stay as they are: they
    were frozen while it was billed. Returns how many entries were marked."""
    if not entry_uuids:
        return 0
    rows = lc.execute(select(WorkLogEntry.id, WorkLogEntry.uuid, WorkLogEntry.client_id,
                             WorkLogEntry.billed_by_document_id)
                      .where(WorkLogEntry.uuid.in_(sorted(entry_uuids)))).all()
    marks = {r.billed_by_document_id for r in rows if r.billed_by_document_id is not None}
    live_marks = set(lc.execute(select(Document.id).where(Document.id.in_(sorted(marks)),
                                                          Document.voided_on.is_(None))).scalars()) if marks else set()
    loose = [r for r in rows if r.billed_by_document_id not in live_marks]
    if not loose:
        return 0
    acts = lc.execute(select(Document.id, Document.client_id, Document.content).where(
        Document.client_id.in_(sorted({r.client_id for r in loose})), Document.kind == "act",
        Document.voided_on.is_(None)).order_by(Document.id)).all()
    owner: dict[tuple[int, str], int] = {}
    for act in acts:
        for entry in _listed(act.content):
            owner.setdefault((act.client_id, entry), act.id)
    marked = 0
    for r in loose:
        act_id = owner.get((r.client_id, r.uuid))
        if act_id is not None:
            lc.execute(update(WorkLogEntry).where(WorkLogEntry.id == r.id).values(
                billed_by_document_id=act_id, updated_at=utcnow()))
            marked += 1
    return marked
