"""Billed work: the act in force that bills a work-log entry; the refusal to change it."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.domain.validation import day_text
from app.errors import RefusedForNow
from app.i18n import _
from app.persistence.models import Document, WorkLogEntry


def _act_code(s: Session, entry: WorkLogEntry) -> str | None:
    """The number of the act that billed ``entry`` (None: not billed). Refuses a mark naming a document that does
    not exist (another program wrote it): the entry would read as not billed, yet no act could ever bill it."""
    document_id = entry.billed_by_document_id
    if document_id is None:
        return None
    from app.services.documents.register import document_code

    doc = s.get(Document, document_id)
    if doc is None:
        from app.persistence.damaged import BrokenReference, values_refusal

        raise values_refusal([], s.get_bind(), [BrokenReference(WorkLogEntry.__tablename__, entry.id,
                                                                "billed_by_document_id", document_id,
                                                                Document.__tablename__)])
    return document_code(doc.kind, doc.number, doc.year, doc.series)


def billing_act(s: Session, entry: WorkLogEntry) -> tuple[str, date] | None:
    """The act in force that bills ``entry``: its number («АУ-3/2026») and date; None when nothing bills it (voiding
    an act frees its entries)."""
    code = _act_code(s, entry)
    if code is None:
        return None
    doc = s.get(Document, entry.billed_by_document_id)
    assert doc is not None  # _act_code refused a mark naming no document
    return code, doc.issued_on


def billed_refusal(message: str, code: str) -> RefusedForNow:
    """The refusal to change, delete or restore billed work: ``message`` names the act ``code``; for now only — once
    the act is voided the same action passes, so the window's undo keeps its step (ui/undo.py) instead of dropping
    it. The command line is told how to void the act."""
    return RefusedForNow(message, cli_hint=_("The command: documents void {code} --reason TEXT").format(code=code))


def refuse_billed(s: Session, entry: WorkLogEntry) -> None:
    """A billed entry cannot be changed, deleted or restored until its act is voided (README): RefusedForNow naming
    the act's number and date. Every path that writes an existing entry asks it — the work log's own actions and
    every undo that takes logged work back (an event done, a question solved: tester K, an undo deleted billed
    work without a word)."""
    act = billing_act(s, entry)
    if act is not None:
        code, issued = act
        raise billed_refusal(_("Work-log entry No. {id} is billed by act {code} of {date}: void the act first.").format(
            id=entry.id, code=code, date=day_text(issued)), code)
