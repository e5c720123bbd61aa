"""The register of issued documents: numbers per kind and year, reprints, signed copies, voiding.

Numbering: one sequence per kind of document per calendar year of issue (the printed number carries the
kind's prefix, e.g. «АУ-7/2026» is the 7th act of services of 2026). Numbers are never reused: a voided
document keeps its number, marked «аннулирован» with the reason. A document's content is stored as a JSON
snapshot when it is issued; a reprint renders that snapshot, identical to the first print."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.domain.validation import clean_reason
from app.errors import NotFoundError, UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Client, Document, WorkLogEntry, utcnow
from app.services.changes import Changes
from app.services.common import today
from app.services.documents.kinds import KINDS, PREFIXES, kind_of

VOIDED_WORD = "аннулирован"
Renderer = Callable[[dict], bytes]  # a content snapshot → its PDF (app.reports.render, passed in by the caller)


def document_code(kind: str, number: int, year: int, series: str = "") -> str:
    """The printed number: «АУ-7/2026»; another installation's document: «АУ-7/2026 (установка 3f2a)»."""
    code = f"{PREFIXES[kind]}-{number}/{year}"
    return f"{code} (установка {series[:4]})" if series else code


_SERIES_SUFFIX = re.compile(r"\s*\(\s*установка\s+([0-9A-Fa-f-]{1,36})\s*\)\s*$")
_CODE = re.compile(r"^\s*([А-ЯЁа-яёA-Za-z]{2})\s*-\s*(\d{1,6})\s*/\s*(\d{4})\s*$")


def parse_code(text: str) -> tuple[str, int, int] | None:
    """«АУ-7/2026» → ("act", 7, 2026); None when it is not a number of the register."""
    match = _CODE.match(text or "")
    if not match:
        return None
    prefix = match.group(1).upper()
    kinds = [kind for kind, p in PREFIXES.items() if p == prefix]
    if not kinds:
        return None
    return kinds[0], int(match.group(2)), int(match.group(3))


@dataclass(frozen=True)
class DocumentRow:
    """One entry of the register."""

    id: int
    kind: str
    year: int
    number: int
    code: str
    client_id: int
    client_name: str
    client_inn: str
    issued_on: date
    stage: int | None
    period_from: date | None
    period_to: date | None
    total: Decimal | None
    signed_returned_on: date | None
    voided_on: date | None = None
    void_reason: str = ""

    @property
    def kind_title(self) -> str:
        return _(kind_of(self.kind).title_ui)

    @property
    def signed_returned(self) -> bool:
        return self.signed_returned_on is not None

    @property
    def voided(self) -> bool:
        return self.voided_on is not None

    @property
    def awaits_signed_copy(self) -> bool:
        """Its signed copy is still to come back: an act or a stage sign-off (the kinds the client signs and returns,
        as the reminders count them), neither voided (a voided act is not coming back signed, tester L) nor marked
        returned."""
        from app.services.reminders import SIGNED_KINDS

        return self.kind in SIGNED_KINDS and self.voided_on is None and self.signed_returned_on is None

    def as_json(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "number": self.number, "year": self.year, "code": self.code,
            "client_id": self.client_id, "client": self.client_name, "issued_on": self.issued_on.isoformat(),
            "stage": self.stage,
            "period_from": self.period_from.isoformat() if self.period_from else None,
            "period_to": self.period_to.isoformat() if self.period_to else None,
            "total": None if self.total is None else str(self.total),
            "signed_returned_on": self.signed_returned_on.isoformat() if self.signed_returned_on else None,
            "status": VOIDED_WORD if self.voided_on else "",
            "voided_on": self.voided_on.isoformat() if self.voided_on else None,
            "void_reason": self.void_reason,
        }


def register_query():
    return (select(Document.id, Document.kind, Document.year, Document.number, Document.series, Document.client_id,
                   Client.name, Client.inn, Document.issued_on, Document.stage, Document.period_from,
                   Document.period_to, Document.total, Document.signed_returned_on, Document.voided_on,
                   Document.void_reason)
            .join(Client, Client.id == Document.client_id))


def row_of(r) -> DocumentRow:
    return DocumentRow(r.id, r.kind, r.year, r.number, document_code(r.kind, r.number, r.year, r.series), r.client_id,
                       r.name, r.inn, r.issued_on, r.stage, r.period_from, r.period_to, r.total,
                       r.signed_returned_on, r.voided_on, r.void_reason or "")


def register_row(s: Session, document_id: int) -> DocumentRow:
    return row_of(s.execute(register_query().where(Document.id == document_id)).one())


def list_documents(db: Database, client_id: int | None = None, kind: str | None = None,
                   year: int | None = None) -> list[DocumentRow]:
    """The register, newest first, in one SQL statement."""
    query = register_query().order_by(Document.issued_on.desc(), Document.id.desc())
    if client_id is not None:
        query = query.where(Document.client_id == client_id)
    if kind is not None:
        if kind not in KINDS:
            raise UserError(_("Unknown kind of document «{kind}»: use signoff, estimate, act or progress.").format(
                kind=str(kind)[:30]))
        query = query.where(Document.kind == kind)
    if year is not None:
        query = query.where(Document.year == year)
    with db.read() as s:
        return [row_of(r) for r in s.execute(query)]


def find_in(s: Session, ref: int | str) -> Document:
    """A register entry by its printed number («АУ-7/2026», «… (установка 3f2a)») or its id (NotFoundError)."""
    text = str(ref).strip()
    suffix = _SERIES_SUFFIX.search(text)
    parsed = parse_code(text[:suffix.start()] if suffix else text)
    row = None
    if parsed:
        kind, number, year = parsed
        series = Document.series.startswith(suffix.group(1).lower()) if suffix else Document.series == ""
        row = s.scalar(select(Document).where(Document.kind == kind, Document.number == number,
                                              Document.year == year, series).order_by(Document.id).limit(1))
    elif text.isdigit() and len(text) < 10:
        row = s.get(Document, int(text))
    if row is None:
        raise NotFoundError(_("Document «{ref}» not found in the register (give its number, e.g. АУ-7/2026).").format(
            ref=text[:40]))
    return row


def find_document(db: Database, ref: int | str) -> DocumentRow:
    """A register entry by its printed number («АУ-7/2026») or its register id."""
    with db.read() as s:
        return register_row(s, find_in(s, ref).id)


def set_signed_returned(db: Database, ref: int | str, on: date | None) -> Changes:
    """Record the day the signed copy came back (None clears the mark)."""
    with db.unit() as s:
        doc = find_in(s, ref)
        if doc.voided_on is not None:
            raise UserError(_("Document {code} was voided on {date}: its signed copy cannot be marked.").format(
                code=document_code(doc.kind, doc.number, doc.year, doc.series),
                date=doc.voided_on.strftime("%d.%m.%Y")))
        if on is not None:
            if on < doc.issued_on:
                raise UserError(_("The signed copy cannot come back ({date}) before the document was issued "
                                  "({issued}).").format(date=on.strftime("%d.%m.%Y"),
                                                        issued=doc.issued_on.strftime("%d.%m.%Y")))
            if on > today():
                raise UserError(_("The date the signed copy came back cannot be in the future."))
        doc.signed_returned_on = on
        client_id = doc.client_id
    return Changes(documents=True, client_ids=frozenset({client_id}))


def void_document(db: Database, ref: int | str, reason: str) -> Changes:
    """Void a document: it stays in the register under its number (never reused), marked «аннулирован» with
    the reason and the day; the work-log entries it billed become unbilled again (editable, billable) — except
    an entry another live act lists (a double billing): it passes to that act (app/sync/claims.py)."""
    # line breaks as a stage move's reason; printed on the voided copy
    text = clean_reason(reason, _("Reason"), required=True, max_len=2000, paper=True)
    with db.unit() as s:
        doc = find_in(s, ref)
        code = document_code(doc.kind, doc.number, doc.year, doc.series)
        if doc.voided_on is not None:
            raise UserError(_("Document {code} was already voided on {date}.").format(
                code=code, date=doc.voided_on.strftime("%d.%m.%Y")))
        doc.voided_on, doc.void_reason = today(), text
        billed = list(s.scalars(select(WorkLogEntry.uuid).where(WorkLogEntry.billed_by_document_id == doc.id)))
        s.execute(update(WorkLogEntry).where(WorkLogEntry.billed_by_document_id == doc.id)
                  .values(billed_by_document_id=None, updated_at=utcnow()))
        from app.sync.claims import pass_to_listing_acts
        from app.sync.resolve import settle_double_billings
        from app.team.hooks import audit_updates

        pass_to_listing_acts(s, set(billed))  # work another live act lists stays billed, by that act (issue 17)
        settle_double_billings(s)  # a double billing naming this act is settled (issue 17)
        # each entry's line «выставлено актом: АУ-… → —» (or → the act it passed to), as issuing wrote «— → АУ-…»
        client_uuid = s.scalar(select(Client.uuid).where(Client.id == doc.client_id)) or ""
        now_by: dict[str | None, list[str]] = {}
        for uuid, mark in s.execute(select(WorkLogEntry.uuid, Document.uuid).outerjoin(
                Document, Document.id == WorkLogEntry.billed_by_document_id).where(WorkLogEntry.uuid.in_(billed))):
            now_by.setdefault(mark, []).append(uuid)
        for passed_to, uuids in now_by.items():
            audit_updates(s, WorkLogEntry.__tablename__, client_uuid, uuids, "billed_by_document_id", doc.uuid,
                          passed_to)
        client_id = doc.client_id
    return Changes(documents=True, worklog=True, clients=True, client_ids=frozenset({client_id}))


def next_number(s: Session, kind: str, year: int) -> int:
    """Next number of this installation's series (voided numbers count: a number is never reused), taken for a
    document the caller issues in this transaction; no date check (``number_for`` is the issuing path)."""
    return _take_number(s, kind, year, _last_of_series(s, kind, year))


def _take_number(s: Session, kind: str, year: int, last) -> int:
    """The number a new document gets (``last``: ``_last_of_series`` of its year): from the team's blocks or
    series when in a team (app/sync/numbers.py), else past this file's highest and a restore's floor; on a
    laptop's file also past the numbers this computer noted for the installation (app/sync/issued_marks.py: a
    file put back by hand), the number itself noted once the transaction commits."""
    from app.sync import issued_marks
    from app.sync.numbers import (
        document_number,  # a team: numbers from the server / reserved blocks (issue 17)
    )

    installation = _installation(s)  # a laptop's file: its numbers are noted outside it too (issued_marks)
    above = issued_marks.high(installation, kind, year) if installation else 0
    team_number = document_number(s, kind, year, above=above)
    if team_number is not None:
        number = team_number
    else:
        from app.sync.number_marks import floor_of

        # past the numbers given before a restore put older data back (app/sync/number_marks.py)
        number = max(last.number if last is not None else 0, floor_of(s, kind, year), above) + 1
    issued_marks.note_at_commit(s, installation, kind, year, number)
    return number


def _installation(s: Session) -> str:
    """This SQLite file's installation id ('' on PostgreSQL: the team server numbers for everyone)."""
    from app.persistence.models import Setting

    if s.get_bind().dialect.name != "sqlite":
        return ""
    row = s.get(Setting, "installation_id")
    return row.value if row is not None and row.value else ""


_LAST_OF_SERIES = (select(Document.number, Document.issued_on)  # built once: a statement per document issued
                   .where(Document.series == "", Document.kind == bindparam("kind"), Document.year == bindparam("year"))
                   .order_by(Document.number.desc()).limit(1))


def _last_of_series(s: Session, kind: str, year: int):
    """(number, issued_on) of the highest number of this installation's series in ``year``, or None."""
    return s.execute(_LAST_OF_SERIES, {"kind": kind, "year": year}).first()


def _refuse_before(kind: str, issued_on: date, last) -> None:
    if last is not None and issued_on < last.issued_on:
        raise UserError(_("The document cannot be dated {date}: the previous number of its series, {code}, is dated "
                          "{previous}; date it {previous} or later.").format(
            date=issued_on.strftime("%d.%m.%Y"), code=document_code(kind, last.number, issued_on.year),
            previous=last.issued_on.strftime("%d.%m.%Y")))


def check_after_previous(s: Session, kind: str, issued_on: date) -> None:
    """A document may not be dated before the previous number of its series (АУ-7 of 28.02 after АУ-6 of 30.04)."""
    _refuse_before(kind, issued_on, _last_of_series(s, kind, issued_on.year))


def number_for(s: Session, kind: str, issued_on: date) -> int:
    """``check_after_previous`` then the next number with one read of the register: the number a document of
    ``kind`` dated ``issued_on`` gets, taken as ``next_number`` takes it (UserError when the date is before the
    previous number's, or when a laptop of a team has no reserved number left)."""
    last = _last_of_series(s, kind, issued_on.year)
    _refuse_before(kind, issued_on, last)
    return _take_number(s, kind, issued_on.year, last)


def stored_pdf(kind: str, code: str, text: str, voided_mark: str = "", *, render: Renderer) -> bytes:
    """The PDF of a stored snapshot, exactly as it was first printed; a non-empty ``voided_mark`` (see
    ``voided_mark``) stamps every page of a voided document's reprint. ``render``: the reports layer's
    renderer (content dict → PDF bytes)."""

    try:
        content = json.loads(text)
    except ValueError:
        content = None
    if not isinstance(content, dict) or content.get("kind") != kind:
        raise UserError(_("The stored content of document {code} is damaged: it cannot be printed again.").format(
            code=code))
    if voided_mark:
        content = {**content, "voided_mark": voided_mark}
    return render(content)


def voided_mark(voided_on: date | None, reason: str) -> str:
    """«АННУЛИРОВАН 30.11.2026. Причина: …» for a voided document (documents are always Russian), else "";
    a reason of several lines keeps them (``\\n``), each line's spaces collapsed, blank lines dropped."""
    if voided_on is None:
        return ""
    text = f"АННУЛИРОВАН {voided_on.strftime('%d.%m.%Y')}."
    reason = "\n".join(" ".join(line.split()) for line in (reason or "").splitlines() if line.strip())
    return f"{text} Причина: {reason}" if reason else text


def reprint(db: Database, ref: int | str, *, render: Renderer) -> tuple[DocumentRow, bytes]:
    """The register entry and its PDF rendered from the stored snapshot (same number, same content) by
    ``render`` (``app.reports.printing.reprint`` passes the reports layer's renderer)."""
    with db.read() as s:
        doc = find_in(s, ref)
        row = register_row(s, doc.id)
        text = doc.content
    return row, stored_pdf(row.kind, row.code, text, voided_mark(row.voided_on, row.void_reason), render=render)


def stored_content(db: Database, ref: int | str) -> dict:
    with db.read() as s:
        return json.loads(find_in(s, ref).content)


def suggested_file_name(code: str, client_name: str) -> str:
    """«АУ-7-2026 ООО Ромашка.pdf» — safe on every file system."""
    name = re.sub(r"[«»\"'<>:/\\|?*\x00-\x1f]+", " ", f"{code.replace('/', '-')} {client_name}")
    name = re.sub(r"\s+", " ", name).strip()[:120].rstrip(". ")
    return f"{name}.pdf"


def already_issued_message(code: str) -> str:
    """«Документ уже оформлен: АУ-1/2026 — печатается повторно»."""
    return _("The document has already been issued: {code} — printing it again").format(code=code)
