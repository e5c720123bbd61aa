"""Parts every document snapshot shares, read inside the caller's one session: parties, money, work log,
lessons, checklist and stage as of a date, and the date rules."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from sqlalchemy import Date, bindparam, select
from sqlalchemy.orm import Session

from app.domain import validation as v
from app.domain.billing import LogItem
from app.domain.pricing import CENT, Line, Quote
from app.domain.quotes import in_quotes
from app.domain.stages import APPROACH_TITLES, STAGE_TITLES, Approach, Stage
from app.domain.timeutil import local_date
from app.errors import UserError
from app.i18n import _
from app.persistence.models import (
    ChecklistState,
    ChecklistTemplate,
    Client,
    Document,
    Lesson,
    LessonProgress,
    StageDef,
    StageEvent,
    WorkLogEntry,
)
from app.services import unusable_entries
from app.services.common import today
from app.services.demo_workspace import is_demo_session
from app.services.documents.executor import ExecutorDetails, require_on_paper
from app.services.documents.register import document_code, number_for

SCHEMA = 2
CHECKLIST_STAGES = (1, 2, 3)
LESSONS_ITEM = "s1.lessons"
# A settlement's own prefix (г., пос., с., д., пгт, п., ст-ца, х., рп, аул, дер., село…): no «г.» before it.
_PLACE_PREFIX = re.compile(r"^\s*(г|гор|пос|п|пгт|рп|с|д|дер|ст|ст-ца|станица|х|хут|аул|село|деревня|посёлок|"
                           r"поселок|город|мкр|тер)(\.|\s)", re.IGNORECASE)


def place_name(city: str) -> str:
    """«Москва» → «г. Москва»; «пос. Заречный» and «г. Тула» stay as typed (no double «г.»); '' stays ''."""
    text = " ".join((city or "").split())
    if not text:
        return ""
    return text if _PLACE_PREFIX.match(text) else f"г.\u00a0{text}"


def money_text(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def check_client_requisites(client: Client) -> None:
    """An organisation client (10-digit ИНН) needs its КПП before a document prints."""
    if len((client.inn or "").strip()) == 10 and not (client.kpp or "").strip():
        raise UserError(_("Cannot print: the client «{name}» is an organisation (10-digit INN) without a KPP — fill "
                          "in its KPP in the client card.").format(name=in_quotes(client.name)), cli_hint=_kpp_hint(client))
    if client.kpp and v.kpp_error(client.kpp):
        raise UserError(_("Cannot print: the client's KPP is not valid: {error}").format(
            error=v.kpp_error(client.kpp)), cli_hint=_kpp_hint(client))


def _kpp_hint(client: Client) -> str:
    """How the command line fills in the client's КПП (the window's card has the field)."""
    return _("The command: clients edit {client} --kpp KPP").format(client=client.inn or client.id)


def check_not_future(on: date) -> None:
    if on > today():
        raise UserError(_("A document cannot be dated in the future ({date}): today is {today}.").format(
            date=on.strftime("%d.%m.%Y"), today=today().strftime("%d.%m.%Y")))


def base(s: Session, kind: str, client: Client, executor: ExecutorDetails, issued_on: date, *,
         on_paper: bool = False, demo: bool | None = None) -> dict:
    """Heading, parties and contract of a snapshot (refuses missing requisites and an out-of-order date).
    ``on_paper``: ``executor`` is already the issuing person's, checked (``batch_reads.read_batch``); ``demo``:
    the demo mark read already (None: read here)."""
    # the issuing person signs (a team member, or this computer's profile), the requisites stay shared (issue 17)
    if not on_paper:
        executor = require_on_paper(s, executor)
    unusable_entries.refuse_client_values(s, client.id)  # an approach «ufo», a blob in the KPP: named, not a ValueError
    check_client_requisites(client)
    number = number_for(s, kind, issued_on)  # refuses a date before the previous number's
    signer_name = executor.signer_name or executor.specialist_name
    signer_position = executor.signer_position if executor.signer_name else executor.specialist_position
    poa = ""
    if executor.signer_name and executor.poa_number:
        poa = (f"по доверенности № {executor.poa_number}"
               + (f" от {executor.poa_date.strftime('%d.%m.%Y')}" if executor.poa_date else ""))
    return {
        "schema": SCHEMA, "kind": kind, "number": number, "year": issued_on.year,
        "code": document_code(kind, number, issued_on.year), "issued_on": issued_on.isoformat(),
        "city": executor.city.strip().removeprefix("г. ").strip(), "place": place_name(executor.city),
        "executor": {
            "company": executor.company, "inn": executor.inn, "kpp": executor.kpp, "ogrn": executor.ogrn,
            "address": executor.address, "signer_name": signer_name, "signer_position": signer_position,
            "specialist_name": executor.specialist_name, "specialist_position": executor.specialist_position,
            "poa": poa, "bank_account": executor.bank_account, "bank_name": executor.bank_name,
            "bank_bik": executor.bank_bik, "bank_corr": executor.bank_corr, "bank_details": executor.bank_details,
        },
        "client": {"id": client.id, "name": client.name, "inn": client.inn, "kpp": client.kpp,
                   "address": client.address or (place_name(client.city) if client.city else ""),
                   "signer_name": client.signer_name, "signer_position": client.signer_position},
        "contract": {"no": client.contract_no,
                     "date": client.contract_date.isoformat() if client.contract_date else None},
        "approach": client.approach, "approach_title": APPROACH_TITLES[Approach(client.approach)],
        "program_version": client.program_version,
        **({"demo": True} if (is_demo_session(s) if demo is None else demo) else {}),  # «ДЕМО» on every page (issue 14)
    }


def quote_json(quote: Quote) -> dict:
    """Lines, VAT per rule in force on the lines' dates, and totals, as the snapshot keeps them."""
    parts = [{"mode": p.rule.mode, "rate": None if p.rule.rate is None else str(p.rule.rate), "label": p.rule.label,
              "basis": p.rule.basis, "base": money_text(p.base), "amount": money_text(p.amount)}
             for p in quote.vat_parts]
    return {
        "lines": [{"label": line.label, "quantity": str(line.quantity), "unit": line.unit,
                   "rate": money_text(line.rate), "amount": money_text(line.amount), "kind": line.kind,
                   "minutes": line.minutes, **line_terms(line)} for line in quote.lines],
        "total": money_text(quote.total),
        "vat": parts,
        "total_due": money_text(quote.total_due),
        "billed_minutes": quote.billed_minutes,
    }


def line_terms(line: Line) -> dict:
    """What the billed-work rule needs of a line, as data (app.services.billed_terms reads it): the first day of
    its tariff (``since``) and its VAT rule (``vat_rule``). Acts issued before kept them only in the printed label
    («тариф с 01.10.2026», «НДС 20 %»), which a wording change would have broken."""
    terms: dict = {}
    if line.since is not None:
        terms["since"] = line.since.isoformat()
    if line.vat is not None:
        rule = line.vat
        terms["vat_rule"] = {"mode": rule.mode, "rate": None if rule.rate is None else str(rule.rate),
                             "basis": rule.basis,
                             "from": None if rule.valid_from is None else rule.valid_from.isoformat()}
    return terms


def log_rows(s: Session, client_id: int, *, date_from: date | None = None, date_to: date | None = None,
             stage: int | None = None):
    """Work-log rows (not deleted) with the act that billed them, oldest first.

    Raises UserError naming the entries in the same range that the billing could not count right — a kind the
    program does not know (the act left it out of its total yet marked it billed) or a deleted flag other than
    0/1 («нет»: the entry vanished from the act) — written by another program (app.persistence.damaged)."""
    # the client's record and these entries as stored: a value no reader below can use, named (not a failure far away)
    unusable_entries.refuse_client_values(s, client_id, entries=True, date_from=date_from, date_to=date_to)
    query = _log_query(s.get_bind().dialect.name, date_from is not None, date_to is not None, stage is not None)
    rows = s.execute(query, {"client": client_id, "date_from": date_from, "date_to": date_to, "stage": stage}).all()
    unusable_entries.refuse_rows(rows, s)
    return rows


@cache
def _log_query(dialect: str, since: bool, until: bool, staged: bool):
    """``log_rows``' statement, built once per database kind and shape of the question (a batch of 500 acts asks it
    500 times): the client, the bounds and the stage are bound parameters."""
    on_sqlite = dialect == "sqlite"
    scope = [WorkLogEntry.client_id == bindparam("client"),
             *unusable_entries.period_bounds(on_sqlite, bindparam("date_from", type_=Date) if since else None,
                                             bindparam("date_to", type_=Date) if until else None)]
    if staged:
        scope.append(WorkLogEntry.stage == bindparam("stage"))
    flag, flag_ok, kept = unusable_entries.flag_columns_of(on_sqlite)  # the check rides on the read: one statement
    return (select(WorkLogEntry.id, WorkLogEntry.uuid, WorkLogEntry.on_date, WorkLogEntry.kind, WorkLogEntry.minutes,
                   WorkLogEntry.days, WorkLogEntry.amount, WorkLogEntry.billed_by_document_id, flag.label("flag"),
                   flag_ok.label("flag_ok"), unusable_entries.act_found())
            .outerjoin(Document, Document.id == WorkLogEntry.billed_by_document_id)  # a mark naming no act: refused
            .where(*scope, kept)
            .order_by(WorkLogEntry.on_date, WorkLogEntry.id))


def items_of(rows, terms: dict | None = None) -> list[LogItem]:
    """Billing items of ``log_rows``; ``terms`` (``billed_terms.read_terms``): a billed entry keeps its act's figures."""
    return [LogItem(r.on_date, r.kind, r.minutes, r.days, r.amount, (terms or {}).get(r.id)) for r in rows]


def billed_items(s: Session, rows, rates=None) -> list[LogItem]:
    """``items_of`` the rows with the terms of the acts in force that billed them (app.services.billed_terms): a
    report sums billed work at the figures of its acts, not at today's tariffs and rounding (tester N)."""
    return billed_reads(s, rows, rates)[0]


def billed_reads(s: Session, rows, rates=None) -> tuple[list[LogItem], dict]:
    """``billed_items`` and the acts in force that billed the rows (document id → ``billed_terms.ActSnapshot``)."""
    from app.services.billed_terms import read_snapshots, read_terms
    from app.services.tariffs import RateTable

    marks = [r.billed_by_document_id for r in rows if r.billed_by_document_id is not None]
    if not marks:
        return items_of(rows), {}
    acts = read_snapshots(s, marks)
    return items_of(rows, read_terms(s, marks, rates if rates is not None else RateTable(s), acts)), acts


def rounding_rule_of(rows, acts: dict, step: int) -> str:
    """The rounding wording of the time the figures of ``rows`` used: an entry an act in force billed was rounded by
    its act's step (``acts``: ``billed_reads``), any other by ``step``, the rule in force (the stage sheet printed
    today's wording over billed entries of another step: its figures are the act's)."""
    from app.domain.billing import rounding_rules_text
    from app.domain.pricing import TIME_KINDS

    steps: dict[int, list[str | None]] = {}
    for r in rows:
        if r.kind not in TIME_KINDS:
            continue
        act = acts.get(r.billed_by_document_id) if r.billed_by_document_id is not None else None
        own, code = (step, None) if act is None else (act.step, act.code)
        named = steps.setdefault(own, [])
        if code not in named:
            named.append(code)
    return rounding_rules_text(steps)


def bill(s: Session, approach: str, items: list[LogItem], on: date, *, step: int | None = None,
         vat=None, rates=None) -> Quote:
    """Price logged work exactly as the work log does: each entry at its own date's tariff and VAT, the rounding
    rule in force (one function for the log, the act, the stage sheet and the report). ``step`` (the rounding
    step), ``vat`` (a ``VatTable``) and ``rates`` (a ``RateTable``), when the caller has read them already, are
    not read again."""
    from app.domain import billing
    from app.services.tariffs import RateTable, VatTable

    vat = vat if vat is not None else VatTable(s)
    rates = rates if rates is not None else RateTable(s)
    return billing.bill(approach, items, rates.on, on, rounding_step(s) if step is None else step, vat.on)


def rounding_step(s: Session) -> int:
    from app.services.entry_rounding import _rounding

    return _rounding(s)


def stage_def(s: Session, number: int) -> tuple[str, str]:
    row = s.get(StageDef, number)
    return (row.title if row else STAGE_TITLES[Stage(number)]), (row.goal if row else "")


def stage_events(s: Session, client_id: int, until: date) -> list:
    """Stage moves up to the end of ``until`` (local dates), oldest first."""
    events = s.execute(select(StageEvent).where(StageEvent.client_id == client_id)
                       .order_by(StageEvent.at, StageEvent.id)).scalars().all()
    return [e for e in events if local_date(e.at) <= until]


def stage_as_of(s: Session, client: Client, on: date) -> int:
    """The client's stage on ``on``: the stage it left by its first move after that day, or its stage now."""
    later = [e for e in s.execute(select(StageEvent).where(StageEvent.client_id == client.id)
                                  .order_by(StageEvent.at, StageEvent.id)).scalars() if local_date(e.at) > on]
    return int(later[0].from_stage) if later else int(client.stage)


def lesson_counts(s: Session, client_id: int, on: date) -> dict[int, tuple[int, int, date | None]]:
    """stage → (watched by ``on``, total active, the day the last of them was watched). The flags are read, not
    filtered in SQL: «нет» or 2 in lesson.active or lesson_progress.done is named (types.Flag) instead of a lesson
    silently left out of the sheet's counts."""
    totals: dict[int, int] = {}
    for stage, active in s.execute(select(Lesson.stage, Lesson.active)):
        if active:
            totals[stage] = totals.get(stage, 0) + 1
    done: dict[int, tuple[int, date | None]] = {}
    for stage, active, watched, done_on in s.execute(
            select(Lesson.stage, Lesson.active, LessonProgress.done, LessonProgress.done_on)
            .join(LessonProgress, LessonProgress.lesson_code == Lesson.code)
            .where(LessonProgress.client_id == client_id, LessonProgress.employee_uuid == "")):
        if not (active and watched) or (done_on is not None and done_on > on):
            continue
        count, last = done.get(stage, (0, None))
        done[stage] = (count + 1, max(filter(None, (last, done_on)), default=None))
    stages = sorted(set(totals) | set(CHECKLIST_STAGES))
    return {stage: (done.get(stage, (0, None))[0], int(totals.get(stage, 0)), done.get(stage, (0, None))[1])
            for stage in stages}


def checklist_as_of(s: Session, client_id: int, on: date, lessons: dict, stage: int | None = None) -> dict[int, list]:
    """stage → items as of ``on``: ticks after that day do not count; «s1.lessons» follows the lesson progress
    (done when every active lesson of stage 1 was watched by then) or a tick, which the sheet shows as a manual
    mark when the lessons are not all watched."""
    states = {row.code: row for row in s.scalars(select(ChecklistState).where(  # the flag read: «нет» is named
        ChecklistState.client_id == client_id)) if row.done}
    query = select(ChecklistTemplate).order_by(ChecklistTemplate.stage, ChecklistTemplate.position,
                                               ChecklistTemplate.id)
    if stage is not None:
        query = query.where(ChecklistTemplate.stage == stage)
    groups: dict[int, list] = {}
    for t in s.scalars(query):
        state = states.get(t.code)
        ticked = state is not None and (state.done_on is None or state.done_on <= on)
        done_on = state.done_on if ticked and state is not None else None
        item = {"code": t.code, "title": t.title, "done": ticked,
                "done_on": done_on.isoformat() if done_on else None, "note": ""}
        if t.code == LESSONS_ITEM:
            watched, total, last = lessons.get(1, (0, 0, None))
            if total and watched >= total:
                when = last or done_on
                item.update(done=True, done_on=when.isoformat() if when else None,
                            note=f"просмотрено {watched} из {total}")
            elif ticked:
                item["note"] = f"отмечено вручную; просмотрено {watched} из {total}"
        groups.setdefault(t.stage, []).append(item)
    return groups
