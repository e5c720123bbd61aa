"""Documents: executor details, preparing the four documents, the register (numbers, reprints, signed copies).

Numbering: one sequence per kind of document per calendar year of issue (the printed number carries the
kind's prefix, e.g. «АУ-7/2026» is the 7th act of services of 2026). A document's content is stored as a
JSON snapshot when it is issued; a reprint renders that snapshot, so it is identical to the first print
whatever changed since (client card, checklist, tariffs, executor details).

reportlab is imported only when a PDF is rendered (app.reports), never when this module is imported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain import validation as v
from app.domain.normalize import normalize_inn, normalize_kpp, normalize_ogrn
from app.domain.pricing import DAY_KINDS, TIME_KINDS, LogItem, Quote
from app.domain.stages import APPROACH_TITLES, STAGE_TITLES, Approach, Stage
from app.domain.timeutil import local_date
from app.errors import NotFoundError, UserError
from app.i18n import N_, _
from app.persistence.db import Database
from app.persistence.models import (
    ChecklistState,
    ChecklistTemplate,
    Client,
    Document,
    Executor,
    Lesson,
    LessonProgress,
    StageDef,
    StageEvent,
    WorkLogEntry,
)
from app.services.changes import Changes
from app.services.common import find_client, today
from app.services.demo_workspace import is_demo_session

SCHEMA = 1
KINDS = ("signoff", "estimate", "act", "progress")
PREFIXES = {"signoff": "АП", "estimate": "РС", "act": "АУ", "progress": "ОВ"}
KIND_TITLES_UI = {
    "signoff": N_("Stage sign-off sheet"),
    "estimate": N_("Implementation cost estimate"),
    "act": N_("Act of services"),
    "progress": N_("Implementation progress report"),
}
CHECKLIST_STAGES = (1, 2, 3)
CENT = Decimal("0.01")


# ------------------------------------------------------------------ executor details


@dataclass(frozen=True)
class ExecutorDetails:
    """Реквизиты исполнителя, used in every document. ``vat_rate`` None means «Без НДС»."""

    company: str = ""
    inn: str = ""
    kpp: str = ""
    ogrn: str = ""
    address: str = ""
    bank_details: str = ""
    city: str = ""
    specialist_name: str = ""
    specialist_position: str = ""
    signer_name: str = ""
    signer_position: str = ""
    vat_rate: Decimal | None = None


EXECUTOR_LABELS = {
    "company": N_("company name"),
    "inn": N_("executor's INN"),
    "kpp": N_("executor's KPP"),
    "ogrn": N_("OGRN"),
    "address": N_("executor's address"),
    "bank_details": N_("bank details"),
    "city": N_("city where documents are drawn up"),
    "specialist_name": N_("specialist's full name"),
    "specialist_position": N_("specialist's position"),
    "signer_name": N_("full name of the person who signs"),
    "signer_position": N_("position of the person who signs"),
    "vat_rate": N_("VAT rate"),
}
REQUIRED_EXECUTOR = ("company", "inn", "address", "city", "specialist_name", "specialist_position")
EXECUTOR_LIMITS = {"company": 300, "inn": 12, "kpp": 9, "ogrn": 15, "address": 500, "bank_details": 2000,
                   "city": 100, "specialist_name": 200, "specialist_position": 200, "signer_name": 200,
                   "signer_position": 200}


def _executor_row(s: Session) -> Executor | None:
    return s.scalar(select(Executor).order_by(Executor.id).limit(1))


def _details(row: Executor | None) -> ExecutorDetails:
    if row is None:
        return ExecutorDetails()
    texts = {f.name: getattr(row, f.name) or "" for f in fields(ExecutorDetails) if f.name != "vat_rate"}
    return ExecutorDetails(**texts, vat_rate=row.vat_rate)


def get_executor(db: Database) -> ExecutorDetails:
    with db.read() as s:
        return _details(_executor_row(s))


def parse_vat_rate(value: Decimal | str | int | None) -> Decimal | None:
    """«Без НДС» / empty / None → None; otherwise a rate from 0 to 99.99 percent, two decimals at most."""
    if value is None:
        return None
    text = str(value).strip().replace(",", ".").rstrip("%").strip()
    if not text or text.lower() in ("без ндс", "none", "no", "нет", "-"):
        return None
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise UserError(_("VAT rate «{value}» is not a number: give a percentage such as 20, or «none».").format(
            value=str(value)[:20])) from None
    if not rate.is_finite() or rate < 0 or rate >= 100 or rate != rate.quantize(CENT):
        raise UserError(_("VAT rate must be from 0 to 99.99 percent with at most two decimals."))
    return rate.quantize(CENT)


def executor_errors(details: ExecutorDetails) -> dict[str, str]:
    """Per-field messages for the executor form (empty fields are allowed here; printing needs them)."""
    errors: dict[str, str] = {}
    for name, limit in EXECUTOR_LIMITS.items():
        try:
            clean = v.clean_multiline if name == "bank_details" else v.clean_text  # issue 13: one-line rules
            clean(getattr(details, name), _(EXECUTOR_LABELS[name]), max_len=limit)
        except UserError as exc:
            errors[name] = exc.message
    if details.inn.strip() and "inn" not in errors:
        message = v.inn_error(details.inn)
        if message:
            errors["inn"] = message
    if details.kpp.strip() and "kpp" not in errors:
        message = v.kpp_error(details.kpp.strip(), details.inn)
        if message:
            errors["kpp"] = message
    if details.ogrn.strip() and v.ogrn_error(details.ogrn):
        errors["ogrn"] = v.ogrn_error(details.ogrn) or ""
    try:
        parse_vat_rate(details.vat_rate)
    except UserError as exc:
        errors["vat_rate"] = exc.message
    return errors


def missing_executor_fields(details: ExecutorDetails) -> list[str]:
    """Translated names of the details a document needs but that are empty (or an ИНН that is invalid)."""
    missing = [_(EXECUTOR_LABELS[name]) for name in REQUIRED_EXECUTOR if not getattr(details, name).strip()]
    if details.inn.strip() and v.inn_error(details.inn):
        missing.append(_("executor's INN (it is not valid)"))
    return missing


class ExecutorDetailsMissing(UserError):
    """A document cannot be printed until the executor's details are filled in (the UI offers the form)."""


def require_executor(details: ExecutorDetails) -> None:
    missing = missing_executor_fields(details)
    if missing:
        raise ExecutorDetailsMissing(_("Cannot print: the executor's details are incomplete — fill in {fields} "
                          "(Settings → Executor details, or the «executor set» command).").format(
            fields=", ".join(missing)))


def set_executor(db: Database, details: ExecutorDetails) -> Changes:
    """Save the executor's details (all fields validated; nothing saved when any is wrong)."""
    errors = executor_errors(details)
    if errors:
        messages = list(errors.values())
        raise UserError(messages[0] if len(messages) == 1 else _("The executor's details have errors:"),
                        details=[] if len(messages) == 1 else messages)
    clean = {f.name: (getattr(details, f.name) or "").strip() for f in fields(ExecutorDetails) if f.name != "vat_rate"}
    clean.update(inn=normalize_inn(clean["inn"]), kpp=normalize_kpp(clean["kpp"]), ogrn=normalize_ogrn(clean["ogrn"]))
    with db.unit() as s:
        row = _executor_row(s)
        if row is None:
            row = Executor()
            s.add(row)
        for name, value in clean.items():
            setattr(row, name, value)
        row.vat_rate = parse_vat_rate(details.vat_rate)
    return Changes(settings=True, estimates=True)


def update_executor(db: Database, **changes) -> Changes:
    """Change some fields of the executor's details, keeping the others."""
    unknown = [name for name in changes if name not in EXECUTOR_LABELS]
    if unknown:
        raise UserError(_("Unknown executor field: {names}.").format(names=", ".join(unknown)))
    return set_executor(db, replace(get_executor(db), **changes))


# ------------------------------------------------------------------ register rows


def document_code(kind: str, number: int, year: int, series: str = "") -> str:
    """The printed number: «АУ-7/2026»; another installation's document: «АУ-7/2026 (установка 3f2a)»."""
    code = f"{PREFIXES[kind]}-{number}/{year}"
    return f"{code} (установка {series[:4]})" if series else code


_SERIES_SUFFIX = re.compile(r"\s*\(\s*установка\s+([0-9A-Fa-f-]{1,36})\s*\)\s*$")


_CODE = re.compile(r"^\s*([А-ЯЁа-яёA-Za-z]{2})\s*-\s*(\d{1,6})\s*/\s*(\d{4})\s*$")


def parse_code(text: str) -> tuple[str, int, int] | None:
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

    @property
    def kind_title(self) -> str:
        return _(KIND_TITLES_UI[self.kind])

    @property
    def signed_returned(self) -> bool:
        return self.signed_returned_on is not None

    def as_json(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "number": self.number, "year": self.year, "code": self.code,
            "client_id": self.client_id, "client": self.client_name, "issued_on": self.issued_on.isoformat(),
            "stage": self.stage,
            "period_from": self.period_from.isoformat() if self.period_from else None,
            "period_to": self.period_to.isoformat() if self.period_to else None,
            "total": None if self.total is None else str(self.total),
            "signed_returned_on": self.signed_returned_on.isoformat() if self.signed_returned_on else None,
        }


def _register_query():
    return (select(Document.id, Document.kind, Document.year, Document.number, Document.series, Document.client_id,
                   Client.name,
                   Client.inn, Document.issued_on, Document.stage, Document.period_from, Document.period_to,
                   Document.total, Document.signed_returned_on)
            .join(Client, Client.id == Document.client_id))


def _row(r) -> DocumentRow:
    return DocumentRow(r.id, r.kind, r.year, r.number, document_code(r.kind, r.number, r.year, r.series), r.client_id,
                       r.name, r.inn, r.issued_on, r.stage, r.period_from, r.period_to, r.total,
                       r.signed_returned_on)


def list_documents(db: Database, client_id: int | None = None, kind: str | None = None,
                   year: int | None = None) -> list[DocumentRow]:
    """The register, newest first, in one SQL statement."""
    query = _register_query().order_by(Document.issued_on.desc(), Document.id.desc())
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
        return [_row(r) for r in s.execute(query)]


def _find_document(s: Session, ref: int | str) -> Document:
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
        doc = _find_document(s, ref)
        return _row(s.execute(_register_query().where(Document.id == doc.id)).one())


def set_signed_returned(db: Database, ref: int | str, on: date | None) -> Changes:
    """Record the day the signed copy came back (None clears the mark)."""
    with db.unit() as s:
        doc = _find_document(s, ref)
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


# ------------------------------------------------------------------ drafts and issuing


@dataclass(frozen=True)
class Draft:
    """A document ready to be issued: the content snapshot with the number it will most likely get."""

    kind: str
    client_id: int
    client_name: str
    content: dict
    stage: int | None = None
    period_from: date | None = None
    period_to: date | None = None
    total: Decimal | None = None

    @property
    def code(self) -> str:
        return self.content["code"]

    @property
    def issued_on(self) -> date:
        return date.fromisoformat(self.content["issued_on"])

    def file_name(self) -> str:
        return suggested_file_name(self.code, self.client_name)


@dataclass(frozen=True)
class Issued:
    """A document written to the register, with its PDF."""

    id: int
    code: str
    pdf: bytes
    changes: Changes
    reprinted: bool = False  # an earlier entry of the same document was found and printed again


def already_issued_message(code: str) -> str:
    """«Документ уже оформлен: АУ-1/2026 — печатается повторно»."""
    return _("The document has already been issued: {code} — printing it again").format(code=code)


def suggested_file_name(code: str, client_name: str) -> str:
    """«АУ-7-2026 ООО Ромашка.pdf» — safe on every file system."""
    name = re.sub(r"[«»\"'<>:/\\|?*\x00-\x1f]+", " ", f"{code.replace('/', '-')} {client_name}")
    name = re.sub(r"\s+", " ", name).strip()[:120].rstrip(". ")
    return f"{name}.pdf"


def _next_number(s: Session, kind: str, year: int) -> int:
    """Next number of this installation's series (imported documents keep their own series)."""
    from app.sync.numbers import document_number  # a team: numbers from the server / reserved blocks

    team_number = document_number(s, kind, year)
    if team_number is not None:
        return team_number
    return int(s.scalar(select(func.max(Document.number)).where(
        Document.series == "", Document.kind == kind, Document.year == year)) or 0) + 1


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _base(s: Session, kind: str, client: Client, executor: ExecutorDetails, issued_on: date) -> dict:
    from app.team.users import team_signer  # a team: the issuing member signs, requisites stay shared

    member = team_signer(s)
    if member is not None:
        executor = replace(executor, specialist_name=member[0], specialist_position=member[1])
    require_executor(executor)
    signer_name = executor.signer_name or executor.specialist_name
    signer_position = executor.signer_position if executor.signer_name else executor.specialist_position
    number = _next_number(s, kind, issued_on.year)
    return {
        "schema": SCHEMA, "kind": kind, "number": number, "year": issued_on.year,
        "code": document_code(kind, number, issued_on.year), "issued_on": issued_on.isoformat(),
        "city": executor.city.strip().removeprefix("г. ").strip(),
        "executor": {
            "company": executor.company, "inn": executor.inn, "kpp": executor.kpp, "ogrn": executor.ogrn,
            "address": executor.address, "signer_name": signer_name, "signer_position": signer_position,
            "specialist_name": executor.specialist_name, "specialist_position": executor.specialist_position,
        },
        "client": {"id": client.id, "name": client.name, "inn": client.inn, "kpp": client.kpp,
                   "address": client.address or (f"г. {client.city}" if client.city else ""),
                   "signer_name": client.signer_name, "signer_position": client.signer_position},
        "contract": {"no": client.contract_no,
                     "date": client.contract_date.isoformat() if client.contract_date else None},
        "approach": client.approach, "approach_title": APPROACH_TITLES[Approach(client.approach)],
        "program_version": client.program_version,
        **({"demo": True} if is_demo_session(s) else {}),  # «ДЕМО» on every page (issue 14)
    }


def _quote_json(quote: Quote) -> dict:
    return {
        "lines": [{"label": line.label, "quantity": str(line.quantity), "unit": line.unit,
                   "rate": _money(line.rate), "amount": _money(line.amount), "kind": line.kind}
                  for line in quote.lines],
        "total": _money(quote.total),
        "vat": {"rate": None if quote.vat_rate is None else str(quote.vat_rate), "label": quote.vat_label,
                "amount": _money(quote.vat_amount)},
    }


def _log_items(s: Session, client_id: int, *, date_from: date | None = None, date_to: date | None = None,
               stage: int | None = None) -> list[LogItem]:
    query = (select(WorkLogEntry.on_date, WorkLogEntry.kind, WorkLogEntry.minutes, WorkLogEntry.days,
                    WorkLogEntry.amount)
             .where(WorkLogEntry.client_id == client_id, WorkLogEntry.deleted.is_(False))
             .order_by(WorkLogEntry.on_date, WorkLogEntry.id))
    if date_from is not None:
        query = query.where(WorkLogEntry.on_date >= date_from)
    if date_to is not None:
        query = query.where(WorkLogEntry.on_date <= date_to)
    if stage is not None:
        query = query.where(WorkLogEntry.stage == stage)
    return [LogItem(r.on_date, r.kind, r.minutes, r.days, r.amount) for r in s.execute(query)]


def _bill(s: Session, approach: str, items: list[LogItem], on: date, vat_rate: Decimal | None,
          rounding_step: int) -> Quote:
    """Price logged work exactly like the work log does: each entry at its own date's tariff."""
    from app.domain import pricing
    from app.services.tariffs import RateTable

    return pricing.bill(approach, items, RateTable(s).on, on, rounding_step, vat_rate)


def _rounding_step(db: Database) -> int:
    from app.services.worklog import billing_rounding

    return billing_rounding(db)


def _stage_def(s: Session, number: int) -> tuple[str, str]:
    row = s.get(StageDef, number)
    return (row.title if row else STAGE_TITLES[Stage(number)]), (row.goal if row else "")


def prepare_signoff(db: Database, ref: int | str, stage: int | None = None, on: date | None = None) -> Draft:
    """Акт сдачи-приёмки этапа for ``stage`` (default: the current stage; the last one when completed)."""
    on = on or today()
    step = _rounding_step(db)
    with db.read() as s:
        client = find_client(s, ref)
        executor = _details(_executor_row(s))
        current = int(client.stage)
        if stage is None:
            if current == Stage.NEW:
                raise UserError(_("«{name}» has not started the implementation yet (stage 0): there is no stage "
                                  "to sign off.").format(name=client.name))
            stage = min(current, int(Stage.FULL))
        stage = int(stage)
        if stage not in CHECKLIST_STAGES:
            raise UserError(_("Only stages 1, 2 and 3 are signed off, not «{stage}».").format(stage=stage))
        if stage > current:
            raise UserError(_("«{name}» is at stage {current}: stage {stage} cannot be signed off yet.").format(
                name=client.name, current=current, stage=stage))
        content = _base(s, "signoff", client, executor, on)
        title, goal = _stage_def(s, stage)
        events = s.execute(select(StageEvent.at, StageEvent.from_stage, StageEvent.to_stage)
                           .where(StageEvent.client_id == client.id).order_by(StageEvent.at, StageEvent.id)).all()
        since = until = None
        for at, from_stage, to_stage in events:
            if to_stage == stage and from_stage == stage - 1:
                since, until = local_date(at), None
            elif from_stage == stage and to_stage == stage + 1 and since is not None:
                until = local_date(at)
        states = {row.code: row for row in s.scalars(select(ChecklistState).where(
            ChecklistState.client_id == client.id, ChecklistState.done.is_(True)))}
        items = []
        for t in s.scalars(select(ChecklistTemplate).where(ChecklistTemplate.stage == stage)
                           .order_by(ChecklistTemplate.position, ChecklistTemplate.id)):
            state = states.get(t.code)
            items.append({"code": t.code, "title": t.title, "done": state is not None,
                          "done_on": state.done_on.isoformat() if state is not None and state.done_on else None})
        lessons = _lesson_counts(s, client.id)
        content.update({
            "stage": {"number": stage, "title": title, "goal": goal,
                      "since": since.isoformat() if since else None,
                      "until": (until or on).isoformat() if since else None},
            "checklist": items,
            "lessons": {"stage_done": lessons[stage][0], "stage_total": lessons[stage][1],
                        "done": sum(d for d, _t in lessons.values()), "total": sum(t for _d, t in lessons.values())},
            "spent": None,
        })
        total = None
        if client.approach != Approach.ACCOMPANIED:
            log = _log_items(s, client.id, stage=stage)
            quote = _bill(s, client.approach, log, on, executor.vat_rate, step)
            minutes = sum(item.minutes or 0 for item in log if item.kind in TIME_KINDS)
            days = sum((Decimal(item.days or 0) for item in log if item.kind in DAY_KINDS), Decimal(0))
            content["spent"] = {"minutes": minutes, "days": str(days), **_quote_json(quote)}
            total = quote.total
        return Draft("signoff", client.id, client.name, content, stage=stage, total=total)


def _lesson_counts(s: Session, client_id: int) -> dict[int, tuple[int, int]]:
    """stage → (watched, total) of the active lessons, for the client as a whole."""
    totals = dict(s.execute(select(Lesson.stage, func.count()).where(Lesson.active.is_(True))
                            .group_by(Lesson.stage)).all())
    done = dict(s.execute(select(Lesson.stage, func.count())
                          .join(LessonProgress, LessonProgress.lesson_code == Lesson.code)
                          .where(Lesson.active.is_(True), LessonProgress.client_id == client_id,
                                 LessonProgress.employee_uuid == "", LessonProgress.done.is_(True))
                          .group_by(Lesson.stage)).all())
    stages = sorted(set(totals) | set(CHECKLIST_STAGES))
    return {stage: (int(done.get(stage, 0)), int(totals.get(stage, 0))) for stage in stages}


def prepare_act(db: Database, ref: int | str, date_from: date, date_to: date, stage: int | None = None,
                on: date | None = None) -> Draft:
    """Акт оказанных услуг for the work logged in a period (optionally only one stage's work)."""
    on = on or today()
    if date_from is None or date_to is None:
        raise UserError(_("An act needs a period: give both --from and --to."))
    if date_from > date_to:
        raise UserError(_("The period starts after it ends."))
    if stage is not None and int(stage) not in range(0, 5):
        raise UserError(_("Stage must be a number from 0 to 4, not «{value}».").format(value=stage))
    step = _rounding_step(db)
    with db.read() as s:
        client = find_client(s, ref)
        executor = _details(_executor_row(s))
        if client.approach == Approach.ACCOMPANIED:
            raise UserError(_("«{name}» is on the free accompanied approach: there is nothing to bill.").format(
                name=client.name))
        content = _base(s, "act", client, executor, on)
        log = _log_items(s, client.id, date_from=date_from, date_to=date_to, stage=stage)
        if not log:
            raise UserError(_("No work is logged for «{name}» from {start} to {end}.").format(
                name=client.name, start=date_from.strftime("%d.%m.%Y"), end=date_to.strftime("%d.%m.%Y")))
        quote = _bill(s, client.approach, log, on, executor.vat_rate, step)
        if quote.total <= 0:
            raise UserError(_("The work logged for «{name}» from {start} to {end} costs nothing: no act is needed.")
                            .format(name=client.name, start=date_from.strftime("%d.%m.%Y"),
                                    end=date_to.strftime("%d.%m.%Y")))
        from app.reports.text import amount_in_words

        stage_info = None
        if stage is not None:
            stage_info = {"number": int(stage), "title": _stage_def(s, int(stage))[0]}
        content.update({"period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
                        "stage": stage_info, **_quote_json(quote),
                        "total_words": amount_in_words(quote.total)})
        return Draft("act", client.id, client.name, content, stage=stage, period_from=date_from,
                     period_to=date_to, total=quote.total)


def prepare_estimate(db: Database, ref: int | str, on: date | None = None) -> Draft:
    """Расчёт стоимости внедрения from the client's latest saved estimate (tariffs of the estimate's date)."""
    from app.services.estimates import estimate_quote
    from app.services.tariffs import rate_table

    on = on or today()
    with db.read() as s:
        client = find_client(s, ref)
        executor = _details(_executor_row(s))
        content = _base(s, "estimate", client, executor, on)
        client_id, client_name = client.id, client.name
    saved, quote = estimate_quote(db, client_id)
    rates = rate_table(db).on(saved.on_date)
    from app.reports.text import amount_in_words

    tariffs = []
    if saved.approach == Approach.REMOTE:
        tariffs.append({"label": "Удалённые конференции", "rate": _money(rates.remote_hour), "per": "за час",
                        "from": rates.remote_from.isoformat()})
    elif saved.approach == Approach.ONSITE:
        tariffs.append({"label": "Выездное внедрение", "rate": _money(rates.onsite_day), "per": "за рабочий день",
                        "from": rates.onsite_from.isoformat()})
    content.update({
        "approach": saved.approach, "approach_title": APPROACH_TITLES[Approach(saved.approach)],
        "on": saved.on_date.isoformat(), "estimate_id": saved.id, **_quote_json(quote),
        "usd": {"rate": _money(quote.usd_rate), "date": quote.usd_date.isoformat(), "total": _money(quote.total_usd)},
        "tariffs": tariffs, "note": saved.note, "total_words": amount_in_words(quote.total),
    })
    return Draft("estimate", client_id, client_name, content, total=quote.total)


def prepare_progress(db: Database, ref: int | str, on: date | None = None) -> Draft:
    """Отчёт о ходе внедрения as of ``on``: stage, checklists, lessons, estimate against actual, history."""
    from app.services.budget import budget_summaries

    on = on or today()
    with db.read() as s:
        client = find_client(s, ref)
        executor = _details(_executor_row(s))
        content = _base(s, "progress", client, executor, on)
        stage_defs = {row.number: (row.title, row.goal) for row in s.scalars(select(StageDef))}

        def title(n: int) -> str:
            return stage_defs[n][0] if n in stage_defs else STAGE_TITLES[Stage(n)]

        states = {row.code: row for row in s.scalars(select(ChecklistState).where(
            ChecklistState.client_id == client.id, ChecklistState.done.is_(True)))}
        groups: dict[int, list[dict]] = {}
        for t in s.scalars(select(ChecklistTemplate).order_by(ChecklistTemplate.stage, ChecklistTemplate.position,
                                                              ChecklistTemplate.id)):
            state = states.get(t.code)
            groups.setdefault(t.stage, []).append({
                "code": t.code, "title": t.title, "done": state is not None,
                "done_on": state.done_on.isoformat() if state is not None and state.done_on else None})
        lessons = _lesson_counts(s, client.id)
        events = s.execute(select(StageEvent).where(StageEvent.client_id == client.id)
                           .order_by(StageEvent.at, StageEvent.id)).scalars().all()
        history = [{"at": local_date(e.at).isoformat(), "from": e.from_stage, "to": e.to_stage,
                    "to_title": title(e.to_stage), "who": e.who, "reason": e.reason, "forced": e.forced}
                   for e in events]
        current = int(client.stage)
        since = local_date(client.stage_since) if client.stage_since else None
        client_id, client_name = client.id, client.name
        content.update({
            "as_of": on.isoformat(),
            "stage": {"number": current, "title": title(current),
                      "goal": stage_defs[current][1] if current in stage_defs else "",
                      "since": since.isoformat() if since else None,
                      "days": max(0, (on - since).days) if since else 0},
            "checklist": [{"stage": n, "title": title(n), "items": groups[n]} for n in sorted(groups)],
            "history": history,
        })
    done_all = sum(d for d, _t in lessons.values())
    total_all = sum(t for _d, t in lessons.values())
    content["lessons"] = {
        "by_stage": [{"stage": n, "title": title(n), "done": d, "total": t, "percent": _percent(d, t)}
                     for n, (d, t) in sorted(lessons.items()) if t],
        "done": done_all, "total": total_all, "percent": _percent(done_all, total_all),
    }
    summary = budget_summaries(db, [client_id], on=on).get(client_id)
    from app.services.estimates import latest_estimate

    latest = latest_estimate(db, client_id)
    content["budget"] = {
        "has_estimate": bool(summary and summary.has_estimate),
        "planned_total": _money(summary.planned_total if summary else Decimal(0)),
        "actual_total": _money(summary.actual_total if summary else Decimal(0)),
        "planned_hours": str(summary.planned_hours if summary else Decimal("0.00")),
        "actual_hours": str(summary.actual_hours if summary else Decimal("0.00")),
        "planned_days": str(summary.planned_days if summary else Decimal("0.00")),
        "actual_days": str(summary.actual_days if summary else Decimal("0.00")),
        "estimate_on": latest.on_date.isoformat() if latest else None,
    }
    return Draft("progress", client_id, client_name, content)


def _percent(done: int, total: int) -> int:
    return (done * 100) // total if total else 0


def prepare(db: Database, kind: str, ref: int | str, *, stage: int | None = None, date_from: date | None = None,
            date_to: date | None = None, on: date | None = None) -> Draft:
    """One entry point for the four kinds (what the `report` command calls)."""
    if kind == "signoff":
        _refuse_options(kind, date_from=date_from, date_to=date_to)
        return prepare_signoff(db, ref, stage, on)
    if kind == "act":
        return prepare_act(db, ref, date_from, date_to, stage, on)  # type: ignore[arg-type]
    if kind == "estimate":
        _refuse_options(kind, stage=stage, date_from=date_from, date_to=date_to)
        return prepare_estimate(db, ref, on)
    if kind == "progress":
        _refuse_options(kind, stage=stage, date_from=date_from, date_to=date_to)
        return prepare_progress(db, ref, on)
    raise UserError(_("Unknown kind of document «{kind}»: use signoff, estimate, act or progress.").format(
        kind=str(kind)[:30]))


def _refuse_options(kind: str, **given) -> None:
    names = {"stage": "--stage", "date_from": "--from", "date_to": "--to"}
    extra = [names[name] for name, value in given.items() if value is not None]
    if extra:
        raise UserError(_("Option {options} does not apply to this document.").format(options=", ".join(extra)))


def render_draft(draft: Draft) -> bytes:
    """The PDF of a draft, exactly as it will be issued (with the number it will most likely get)."""
    from app.reports import render

    return render(draft.content)


def _eq(column, value):
    return column.is_(None) if value is None else column == value


def _identity(draft: Draft) -> list:
    """What makes two issues the same document (a repeated run must not bill the work twice)."""
    where = [Document.client_id == draft.client_id, Document.kind == draft.kind]
    if draft.kind == "signoff":
        where.append(_eq(Document.stage, draft.stage))
    elif draft.kind == "act":
        where += [_eq(Document.period_from, draft.period_from), _eq(Document.period_to, draft.period_to),
                  _eq(Document.stage, draft.stage)]
    elif draft.kind == "estimate":
        where += [Document.issued_on == draft.issued_on, _eq(Document.total, draft.total)]
    else:
        where.append(Document.issued_on == draft.issued_on)
    return where


def _same_document(s: Session, draft: Draft) -> Document | None:
    return s.scalar(select(Document).where(*_identity(draft)).order_by(Document.id.desc()).limit(1))


def find_issued(db: Database, draft: Draft) -> DocumentRow | None:
    """The latest register entry of the same document as ``draft`` (None when it was never issued)."""
    with db.read() as s:
        doc = _same_document(s, draft)
        if doc is None:
            return None
        return _row(s.execute(_register_query().where(Document.id == doc.id)).one())


def _stored_pdf(kind: str, code: str, text: str) -> bytes:
    """The PDF of a stored snapshot, exactly as it was first printed."""
    from app.reports import render

    try:
        content = json.loads(text)
    except ValueError:
        content = None
    if not isinstance(content, dict) or content.get("kind") != kind:
        raise UserError(_("The stored content of document {code} is damaged: it cannot be printed again.").format(
            code=code))
    return render(content)


def issue(db: Database, draft: Draft, before_commit: Callable[[bytes], None] | None = None, *,
          new: bool = False) -> Issued:
    """Write the document to the register with the next free number and return its PDF (all or nothing).

    When the same document (see ``_identity``) is already in the register, nothing is written: its stored
    snapshot is printed again under its number (``Issued.reprinted``); ``new=True`` issues a fresh one anyway.
    ``before_commit(pdf)`` runs inside the transaction (e.g. writes the file): if it raises, nothing is
    registered."""
    from app.reports import render

    for attempt in range(3):
        try:
            with db.unit() as s:
                client = find_client(s, draft.client_id)
                earlier = None if new else _same_document(s, draft)
                if earlier is not None:
                    code = document_code(earlier.kind, earlier.number, earlier.year)
                    pdf = _stored_pdf(earlier.kind, code, earlier.content)
                    if before_commit is not None:
                        before_commit(pdf)
                    return Issued(earlier.id, code, pdf, Changes(), reprinted=True)
                number = _next_number(s, draft.kind, draft.issued_on.year)
                content = dict(draft.content, number=number,
                               code=document_code(draft.kind, number, draft.issued_on.year))
                pdf = render(content)
                doc = Document(client_id=client.id, kind=draft.kind, year=draft.issued_on.year, number=number,
                               issued_on=draft.issued_on, stage=draft.stage, period_from=draft.period_from,
                               period_to=draft.period_to, total=draft.total,
                               content=json.dumps(content, ensure_ascii=False, sort_keys=True))
                s.add(doc)
                s.flush()
                if before_commit is not None:
                    before_commit(pdf)
                return Issued(doc.id, content["code"], pdf,
                              Changes(documents=True, client_ids=frozenset({client.id})))
        except IntegrityError:
            if attempt == 2:
                raise UserError(_("Another user issued a document at the same moment: try again.")) from None
    raise AssertionError("unreachable")


def reprint(db: Database, ref: int | str) -> tuple[DocumentRow, bytes]:
    """The register entry and its PDF rendered from the stored snapshot (same number, same content)."""
    with db.read() as s:
        doc = _find_document(s, ref)
        row = _row(s.execute(_register_query().where(Document.id == doc.id)).one())
        text = doc.content
    return row, _stored_pdf(row.kind, row.code, text)


def stored_content(db: Database, ref: int | str) -> dict:
    with db.read() as s:
        return json.loads(_find_document(s, ref).content)


# ------------------------------------------------------------------ batches


def month_period(text: str) -> tuple[date, date]:
    """«2026-03» → (2026-03-01, 2026-03-31)."""
    import calendar

    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1990 <= int(match.group(1)) <= 2100:
        raise UserError(_("Month «{value}» is not valid: expected YYYY-MM, e.g. 2026-03.").format(
            value=str(text)[:20]))
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def billable_clients(db: Database, date_from: date, date_to: date) -> list[tuple[int, str]]:
    """Clients on a paid approach with work logged in the period (one SQL statement), by name."""
    query = (select(Client.id, Client.name).where(Client.approach != Approach.ACCOMPANIED.value)
             .where(Client.id.in_(select(WorkLogEntry.client_id).where(
                 WorkLogEntry.deleted.is_(False), WorkLogEntry.on_date >= date_from,
                 WorkLogEntry.on_date <= date_to)))
             .order_by(Client.name, Client.id))
    with db.read() as s:
        return [(r.id, r.name) for r in s.execute(query)]
