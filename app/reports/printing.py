"""The document services with the PDF renderer bound: what the CLI, the window and the batch call to print.

The services in app.services.documents number, register and snapshot documents; they never import this
layer, so the functions that produce a PDF take ``render`` and the wrappers here pass ``app.reports.render``
(issue 11 §4: ``cli > exchange | reports > services > persistence > domain`` with no exceptions)."""

from __future__ import annotations

from collections.abc import Callable

from app.persistence.db import Database
from app.reports import render
from app.services.documents import issuing, register
from app.services.documents.kinds import Draft
from app.services.documents.register import DocumentRow


def render_draft(draft: Draft) -> bytes:
    """The PDF of a draft, exactly as it will be issued (with the number it will most likely get)."""
    return render(draft.content)


def issue(db: Database, draft: Draft, before_commit: Callable[[bytes], None] | None = None, *,
          new: bool = False) -> issuing.Issued:
    """``app.services.documents.issue`` with the PDF renderer (see there: one transaction, numbering,
    billed marks, ``before_commit(pdf)`` inside it, a reprint of the same non-billing document)."""
    return issuing.issue(db, draft, before_commit, new=new, render=render)


def issue_act(db: Database, ref: int | str, date_from, date_to, *, on=None, stage: int | None = None,
              before_commit: Callable[[Draft, bytes], None] | None = None, shared=None) -> issuing.Issued:
    """``app.services.documents.issuing.issue_act`` with the PDF renderer: an act prepared and issued in one
    transaction (the month's batch); ``before_commit(draft, pdf)`` runs inside it; ``shared``: the batch's
    reads (``app.services.documents.batch_reads.read_batch``)."""
    return issuing.issue_act(db, ref, date_from, date_to, on=on, stage=stage, before_commit=before_commit,
                             render=render, shared=shared)


def reprint(db: Database, ref: int | str) -> tuple[DocumentRow, bytes]:
    """A registered document's entry and its PDF from the stored snapshot (same number, same content)."""
    return register.reprint(db, ref, render=render)


def stored_pdf(kind: str, code: str, text: str, voided_mark: str = "") -> bytes:
    """The PDF of a stored snapshot (a voided document's reprint stamped with ``voided_mark``)."""
    return register.stored_pdf(kind, code, text, voided_mark, render=render)
