"""Documents: executor details, the register, and the four kinds of document behind the `DocumentKind` registry.

Modules: ``executor`` (реквизиты исполнителя), ``register`` (numbers, reprints, signed copies, voiding),
``kinds`` (the registry and ``Draft``), ``issuing`` (numbering a draft, marking billed work), ``common``
(snapshot parts read in the caller's session) and one module per kind: ``signoff``, ``estimate``, ``act``,
``progress``. reportlab is imported only when a PDF is rendered (app.reports), never on import.

The names below are the package's public interface (the UI and CLI call them)."""

from __future__ import annotations

from datetime import date

from app.persistence.db import Database
from app.services.documents.act import NothingToBill, billable_clients, month_period, reconcile_marks
from app.services.documents.executor import (
    EXECUTOR_LABELS,
    ExecutorDetails,
    ExecutorDetailsMissing,
    executor_errors,
    get_executor,
    missing_executor_fields,
    parse_vat_rate,
    require_executor,
    set_executor,
    update_executor,
)
from app.services.documents.issuing import Issued, find_issued, issue
from app.services.documents.kinds import (
    KIND_TITLES_UI,
    KINDS,
    PREFIXES,
    REGISTRY,
    DocumentKind,
    Draft,
    kind_of,
    prepare,
)
from app.services.documents.register import (
    VOIDED_WORD,
    DocumentRow,
    already_issued_message,
    document_code,
    find_document,
    list_documents,
    parse_code,
    reprint,
    set_signed_returned,
    stored_content,
    suggested_file_name,
    void_document,
)
from app.services.documents.signoff import StageHasOpenItems


def prepare_signoff(db: Database, ref: int | str, stage: int | None = None, on: date | None = None, *,
                    force: bool = False, reason: str | None = None) -> Draft:
    """Акт сдачи-приёмки этапа (see ``signoff.prepare``)."""
    return REGISTRY["signoff"].prepare(db, ref, on=on, stage=stage, force=force, reason=reason)


def prepare_act(db: Database, ref: int | str, date_from: date, date_to: date, stage: int | None = None,
                on: date | None = None) -> Draft:
    """Акт оказанных услуг for the unbilled work of a period (see ``act.prepare``)."""
    return REGISTRY["act"].prepare(db, ref, on=on, date_from=date_from, date_to=date_to, stage=stage)


def prepare_estimate(db: Database, ref: int | str, on: date | None = None) -> Draft:
    """Расчёт стоимости внедрения (see ``estimate.prepare``)."""
    return REGISTRY["estimate"].prepare(db, ref, on=on)


def prepare_progress(db: Database, ref: int | str, on: date | None = None) -> Draft:
    """Отчёт о ходе внедрения as of ``on`` (see ``progress.prepare``)."""
    return REGISTRY["progress"].prepare(db, ref, on=on)


__all__ = [
    "EXECUTOR_LABELS",
    "KINDS",
    "KIND_TITLES_UI",
    "PREFIXES",
    "REGISTRY",
    "VOIDED_WORD",
    "DocumentKind",
    "DocumentRow",
    "Draft",
    "ExecutorDetails",
    "ExecutorDetailsMissing",
    "Issued",
    "NothingToBill",
    "StageHasOpenItems",
    "already_issued_message",
    "billable_clients",
    "document_code",
    "executor_errors",
    "find_document",
    "find_issued",
    "get_executor",
    "issue",
    "kind_of",
    "list_documents",
    "missing_executor_fields",
    "month_period",
    "parse_code",
    "parse_vat_rate",
    "prepare",
    "prepare_act",
    "prepare_estimate",
    "prepare_progress",
    "prepare_signoff",
    "reconcile_marks",
    "reprint",
    "require_executor",
    "set_executor",
    "set_signed_returned",
    "stored_content",
    "suggested_file_name",
    "update_executor",
    "void_document",
]
