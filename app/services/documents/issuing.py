"""Issuing a draft: the next free number, the snapshot and PDF written in one transaction; acts mark the
entries they bill; a repeated non-billing document reprints the registered one."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import cast

from sqlalchemy import CursorResult, Table, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Document, WorkLogEntry, utcnow
from app.services.changes import Changes
from app.services.common import find_client
from app.services.documents.batch_reads import BatchReads
from app.services.documents.kinds import Draft, kind_of
from app.services.documents.register import (
    DocumentRow,
    Renderer,
    document_code,
    number_for,
    register_row,
    stored_pdf,
)
from app.team.hooks import audit_updates, author_of


@dataclass(frozen=True)
class Issued:
    """A document written to the register, with its PDF."""

    id: int
    code: str
    pdf: bytes
    changes: Changes
    reprinted: bool = False  # an earlier entry of the same document was found and printed again


def _eq(column, value):
    return column.is_(None) if value is None else column == value


def _identity(draft: Draft) -> list:
    """What makes two issues of a non-billing kind the same document (voided ones never count)."""
    where = [Document.client_id == draft.client_id, Document.kind == draft.kind, Document.voided_on.is_(None)]
    if draft.kind == "signoff":
        where.append(_eq(Document.stage, draft.stage))
    elif draft.kind == "estimate":
        where += [Document.issued_on == draft.issued_on, _eq(Document.total, draft.total)]
    else:
        where.append(Document.issued_on == draft.issued_on)
    return where


def _same_document(s: Session, draft: Draft) -> Document | None:
    if kind_of(draft.kind).bills_work:  # an act bills what is left; it is never "the same" as an earlier one
        return None
    return s.scalar(select(Document).where(*_identity(draft)).order_by(Document.id.desc()).limit(1))


def find_issued(db: Database, draft: Draft) -> DocumentRow | None:
    """The latest register entry of the same document as ``draft`` (None when it was never issued; always None
    for an act, which only ever bills entries not billed yet)."""
    with db.read() as s:
        doc = _same_document(s, draft)
        return None if doc is None else register_row(s, doc.id)


_FREE_ENTRIES = (select(WorkLogEntry.uuid)  # built once: the entries an act may still bill
                 .where(WorkLogEntry.id.in_(bindparam("ids", expanding=True)),
                        WorkLogEntry.client_id == bindparam("client"), WorkLogEntry.deleted.is_(False),
                        WorkLogEntry.billed_by_document_id.is_(None))
                 .order_by(WorkLogEntry.id))


_LOG_TABLE: Table = WorkLogEntry.__table__  # type: ignore[assignment]  # Core: no ORM bookkeeping per act
_LOG = _LOG_TABLE.c
_MARK_BILLED = (update(_LOG_TABLE)  # built once: the marks of an act's entries, the conditions of _FREE_ENTRIES
                .where(_LOG.id.in_(bindparam("ids", expanding=True)), _LOG.client_id == bindparam("client"),
                       _LOG.deleted.is_(False), _LOG.billed_by_document_id.is_(None))
                .values(billed_by_document_id=bindparam("act"), updated_at=bindparam("at"),
                        updated_by=bindparam("by")))


def _mark_billed(s: Session, draft: Draft, document: Document, client_uuid: str) -> None:
    """Mark the act's entries billed by it; refuse when one was billed, edited away or deleted meanwhile.

    One UPDATE for all the entries (not one ORM object each; a statement built once, stamped with the author as
    the session hook stamps an ORM update) and their audit lines in one executemany: the same lines the session
    hook writes for a changed mark (field ``billed_by_document_id``, the act's UUID)."""
    ids = list(draft.entry_ids)
    if not ids:
        raise UserError(_("The act bills no work-log entries."))
    uuids = list(s.scalars(_FREE_ENTRIES, {"ids": ids, "client": draft.client_id}))
    changed = -1
    if len(uuids) == len(ids):
        result = s.connection().execute(_MARK_BILLED, {"ids": ids, "client": draft.client_id, "act": document.id,
                                                       "at": utcnow(), "by": author_of(s)})
        changed = cast(CursorResult, result).rowcount
    if changed != len(ids):
        raise UserError(_("Some of the act's work was billed or changed meanwhile: prepare the act again."))
    audit_updates(s, WorkLogEntry.__tablename__, client_uuid, uuids, "billed_by_document_id", None, document.uuid)


def issue(db: Database, draft: Draft, before_commit: Callable[[bytes], None] | None = None, *,
          new: bool = False, render: Renderer) -> Issued:
    """Write the document to the register with the next free number and return its PDF (all or nothing).

    An act marks the entries it bills (``Draft.entry_ids``) as billed by it, in the same transaction.
    For the other kinds, when the same document (see ``_identity``) is already in the register nothing is
    written: its stored snapshot is printed again (``Issued.reprinted``); ``new=True`` issues a fresh one.
    ``before_commit(pdf)`` runs inside the transaction (e.g. writes the file): if it raises, nothing is
    registered. A date before the previous number of the series is refused. ``render(content) -> PDF`` is the
    reports layer's renderer (``app.reports.printing.issue`` passes it: services never import app.reports)."""

    for attempt in range(3):
        try:
            with db.unit() as s:
                return _issue_in(s, draft, before_commit, new=new, render=render)
        except IntegrityError:
            if attempt == 2:
                raise UserError(_("Another user issued a document at the same moment: try again.")) from None
    raise AssertionError("unreachable")


def _issue_in(s: Session, draft: Draft, before_commit: Callable[[bytes], None] | None, *, new: bool,
              render: Renderer, client=None, number: int | None = None) -> Issued:
    """``issue`` inside the caller's transaction; ``client`` and ``number``: read already in this transaction
    (``issue_act``), not read again."""
    bills = kind_of(draft.kind).bills_work
    client = client if client is not None else find_client(s, draft.client_id)
    earlier = None if new else _same_document(s, draft)
    if earlier is not None:
        code = document_code(earlier.kind, earlier.number, earlier.year)
        pdf = stored_pdf(earlier.kind, code, earlier.content, render=render)
        if before_commit is not None:
            before_commit(pdf)
        return Issued(earlier.id, code, pdf, Changes(), reprinted=True)
    if number is None:
        number = number_for(s, draft.kind, draft.issued_on)
    content = dict(draft.content, number=number, code=document_code(draft.kind, number, draft.issued_on.year))
    pdf = render(content)
    doc = Document(client_id=client.id, kind=draft.kind, year=draft.issued_on.year, number=number,
                   issued_on=draft.issued_on, stage=draft.stage, period_from=draft.period_from,
                   period_to=draft.period_to, total=draft.total,
                   content=json.dumps(content, ensure_ascii=False, sort_keys=True))
    s.add(doc)
    s.flush()
    if bills:
        _mark_billed(s, draft, doc, client.uuid)
    if before_commit is not None:
        before_commit(pdf)
    changes = Changes(documents=True, client_ids=frozenset({client.id}))
    if bills:
        changes = changes.merge(Changes(worklog=True, clients=True))
    return Issued(doc.id, content["code"], pdf, changes)


def issue_act(db: Database, ref: int | str, date_from: date, date_to: date, *, on: date | None = None,
              stage: int | None = None, before_commit: Callable[[Draft, bytes], None] | None = None,
              render: Renderer, shared: BatchReads | None = None) -> Issued:
    """``act.prepare`` and ``issue`` of its draft in ONE transaction (the month's batch): the client, the
    register's number and the team checks are read once, and the number the draft shows is the number issued.
    ``before_commit(draft, pdf)`` runs inside the transaction (the batch names the file after the draft).
    Raises what ``act.prepare`` raises (``NothingToBill``, UserError) with nothing written. ``shared``: the reads
    of the batch this act is one of (``batch_reads.read_batch``)."""
    from app.services.documents.act import prepare_in

    for attempt in range(3):
        try:
            with db.unit() as s:
                client = find_client(s, ref)  # held here: the preparation finds it in the session, not in SQL
                draft = prepare_in(s, client.id, on=on, date_from=date_from, date_to=date_to, stage=stage,
                                   shared=shared)
                write = None if before_commit is None else partial(before_commit, draft)
                return _issue_in(s, draft, write, new=False, render=render, client=client,
                                 number=draft.content["number"])
        except IntegrityError:
            if attempt == 2:
                raise UserError(_("Another user issued a document at the same moment: try again.")) from None
    raise AssertionError("unreachable")
