"""Акт оказанных услуг: bills the work-log entries of a period that no act has billed yet."""

from __future__ import annotations

import calendar
import json
import re
from datetime import date, timedelta

from sqlalchemy import DateTime, Text, bindparam, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from app.domain.billing import has_time, rounding_rule_text
from app.domain.quotes import in_quotes, quoted
from app.domain.stages import Approach
from app.domain.validation import EARLIEST_YEAR, LATEST_YEAR, day_text
from app.domain.vat import VatRule, VatSchedule, vat_rule_text
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Client, Document, WorkLogEntry
from app.services import unusable_entries
from app.services.common import find_client, today
from app.services.documents import common as c
from app.services.documents.batch_reads import BatchReads, reads_in
from app.services.documents.kinds import Draft
from app.services.documents.register import document_code


class NothingToBill(UserError):
    """Every entry of the period is already billed: ``codes`` are the acts that billed them."""

    def __init__(self, message: str, codes: list[str]) -> None:
        super().__init__(message)
        self.codes = codes


def _check_date(on: date, date_to: date, contract_date: date | None) -> None:
    """An act may not be dated before the end of its period, before the contract, or after today."""
    if on < date_to:
        raise UserError(_("The act cannot be dated {date}, before the end of its period: date it {end} or later.")
                        .format(date=on.strftime("%d.%m.%Y"), end=date_to.strftime("%d.%m.%Y")))
    if contract_date is not None and on < contract_date:
        raise UserError(_("The act cannot be dated {date}, before the contract of {contract}.").format(
            date=on.strftime("%d.%m.%Y"), contract=contract_date.strftime("%d.%m.%Y")))
    c.check_not_future(on)


def prepare(db: Database, ref: int | str, *, on: date | None = None, date_from: date | None = None,
            date_to: date | None = None, stage: int | None = None) -> Draft:
    """Акт оказанных услуг for the work of a period (optionally one stage's) that no act has billed yet.

    Refuses (``NothingToBill``, naming the acts) when every entry of the period is billed already; work added
    later to a billed month is billed by a new act holding just the new entries."""
    with db.read() as s:
        return prepare_in(s, ref, on=on, date_from=date_from, date_to=date_to, stage=stage)


def prepare_in(s: Session, ref: int | str, *, on: date | None = None, date_from: date | None = None,
               date_to: date | None = None, stage: int | None = None, shared: BatchReads | None = None) -> Draft:
    """``prepare`` read in the caller's session (``issuing.issue_act`` prepares and issues in one transaction);
    ``shared``: the reads of a batch of acts (``batch_reads.read_batch``), not read again for this act."""
    on = on or today()
    if date_from is None or date_to is None:
        raise UserError(_("An act needs a period: give both --from and --to."))
    if date_from > date_to:
        raise UserError(_("The period starts ({start}) after it ends ({end}): swap the dates.").format(
            start=day_text(date_from), end=day_text(date_to)))
    if stage is not None and int(stage) not in range(0, 5):
        raise UserError(_("Stage must be a number from 0 to 4, not «{value}».").format(value=stage))
    client = find_client(s, ref)
    if client.approach == Approach.ACCOMPANIED:
        raise UserError(_("«{name}» is on the free accompanied approach: there is nothing to bill.").format(
            name=in_quotes(client.name)))
    _check_date(on, date_to, client.contract_date)
    rows = c.log_rows(s, client.id, date_from=date_from, date_to=date_to, stage=stage)
    period = {"start": date_from.strftime("%d.%m.%Y"), "end": date_to.strftime("%d.%m.%Y")}
    if not rows:
        raise UserError(_("No work is logged for «{name}» from {start} to {end}.").format(name=in_quotes(client.name),
                                                                                       **period))
    listed = billed_in_snapshots(s, client.id)
    unbilled = [r for r in rows if r.billed_by_document_id is None and r.uuid not in listed]
    # the acts that billed some of the period's work already: named on this act, which leaves that work out
    # (its header named the whole period: «за период с 01.03 по 31.05» held only April, a fresh tester's find)
    codes = _codes(s, {r.billed_by_document_id or listed[r.uuid] for r in rows
                       if r.billed_by_document_id is not None or r.uuid in listed})
    if not unbilled:
        raise NothingToBill(_("All the work of «{name}» from {start} to {end} is already billed by {codes}: "
                              "there is nothing left to bill (void an act to bill its work again).").format(
            name=in_quotes(client.name), codes=", ".join(codes), **period), codes)
    reads = shared if shared is not None else reads_in(s)
    _one_vat_mode(unbilled, reads.vat, client.name, period)
    step = reads.step
    content = c.base(s, "act", client, reads.executor, on, on_paper=True, demo=reads.demo)
    quote = c.bill(s, client.approach, c.items_of(unbilled), on, step=step, vat=reads.vat, rates=reads.rates)
    if quote.total <= 0:
        raise UserError(_("The work logged for «{name}» from {start} to {end} costs nothing: no act is needed.")
                        .format(name=in_quotes(client.name), **period))
    from app.domain.money import amount_in_words

    stage_info = None
    if stage is not None:
        stage_info = {"number": int(stage), "title": c.stage_def(s, int(stage))[0]}
    first, last = unbilled[0].on_date, unbilled[-1].on_date
    content.update({"period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
                    "work_dates": {"from": first.isoformat(), "to": last.isoformat()},
                    "stage": stage_info, **c.quote_json(quote),
                    "entries": [r.uuid for r in unbilled],  # the ledger, kept with the act itself
                    "rounding_rule": rounding_rule_text(step) if has_time(quote) else "",
                    "rounding_min": step,  # the step the act billed each entry with
                    "earlier_acts": codes,
                    **_services_approach(s, client, sorted({r.on_date for r in unbilled})),
                    "total_words": amount_in_words(quote.total_due)})
    return Draft("act", client.id, client.name, content, stage=stage, period_from=date_from,
                 period_to=date_to, total=quote.total_due, entry_ids=tuple(r.id for r in unbilled))


def _codes(s: Session, ids: set[int]) -> list[str]:
    """The codes («АУ-1/2026») of the documents ``ids``, in the order they were issued."""
    if not ids:
        return []
    return [document_code(d.kind, d.number, d.year, d.series)
            for d in s.scalars(select(Document).where(Document.id.in_(sorted(ids))).order_by(Document.id))]


def _one_vat_mode(rows, vat: VatSchedule, name: str, period: dict[str, str]) -> None:
    """Refuse an act whose entries (``rows``, by date) fall under two VAT modes — without VAT and with it, or VAT in
    the prices and on top of them: the act said «НДС не облагается на основании …» and «НДС 22 %: 330,00» at once,
    its lines unmarked, and with «сверху» and «в том числе» its whole VAT appeared nowhere (a fresh tester,
    2026-12-05). The message names the day the mode changes and the two acts to issue instead. A change of the
    rate within one mode (20 → 22 %, issue 10) stays one act: its lines name their VAT."""
    rows = sorted(rows, key=lambda r: r.on_date)
    first = vat.on(rows[0].on_date)
    for row in rows[1:]:
        rule = vat.on(row.on_date)
        # without VAT, the legal basis printed is part of the mode: two bases printed «Без налога (НДС)» twice
        # and named both bases without saying which lines each covers (a fresh tester, 2026-12-05)
        if rule.mode == first.mode and (rule.mode != "none" or rule.basis == first.basis):
            continue
        day = rule.valid_from or row.on_date
        if rule.mode == first.mode == "none":  # «НДС меняется: без НДС → без НДС» read oddly
            raise UserError(_("The legal basis of the exemption from VAT of the work of «{name}» from {start} to "
                              "{end} changes on {day}: before it, {before}; from it, {after}. One act cannot print "
                              "both: issue two acts, to {eve} and from {day}.").format(
                name=in_quotes(name), day=day.strftime("%d.%m.%Y"), before=_rule_basis(first), after=_rule_basis(rule),
                eve=(day - timedelta(days=1)).strftime("%d.%m.%Y"), **period))
        raise UserError(_("The VAT of the work of «{name}» from {start} to {end} changes on {day}: before it, "
                          "{before}; from it, {after}. One act cannot bill both: issue two acts, to {eve} and from "
                          "{day}.").format(name=in_quotes(name), day=day.strftime("%d.%m.%Y"), before=_vat_said(first),
                                           after=_vat_said(rule), eve=(day - timedelta(days=1)).strftime("%d.%m.%Y"),
                                           **period))


def _rule_basis(rule: VatRule) -> str:
    """The legal basis of a rule without VAT, in quotes, or «не указано»."""
    return quoted(rule.basis) if rule.basis else _("none given")


def _vat_said(rule: VatRule) -> str:
    """A VAT rule in words, with its legal basis when it is «none» («без НДС на основании п. 2 ст. 346.11 НК РФ»)."""
    return vat_rule_text(rule.mode, rule.rate, rule.basis)


def billed_in_snapshots(s: Session, client_id: int) -> dict[str, int]:
    """Work-log entry UUID → the live act (not voided) whose snapshot lists it.

    The snapshot is the act's own record of what it billed: even if a merge brought back an older copy of an
    entry without its mark, the entry stays billed by the act that lists it (see ``reconcile_marks``)."""
    return {uuid: ids[0] for uuid, ids in _snapshot_owners(s, client_id).items()}


_LIVE_ACTS = (select(Document.id, Document.content)  # built once: read for every act prepared
              .where(Document.client_id == bindparam("client"), Document.kind == "act", Document.voided_on.is_(None))
              .order_by(Document.id))


def _snapshot_owners(s: Session, client_id: int) -> dict[str, list[int]]:
    """Work-log entry UUID → every live act whose snapshot lists it (oldest first; two only after a double
    billing that a merge recorded as a conflict)."""
    found: dict[str, list[int]] = {}
    for doc_id, text in s.execute(_LIVE_ACTS, {"client": client_id}):
        try:
            entries = json.loads(text or "{}").get("entries") or []
        except (ValueError, AttributeError):
            entries = []
        for uuid in entries:
            owners = found.setdefault(str(uuid), [])
            if doc_id not in owners:
                owners.append(doc_id)
    return found


def refuse_double_billing(s: Session, client_id: int) -> None:
    """UserError when two live acts of a client list the same work-log entry (two laptops billed it offline
    and a merge brought both acts together): the import that caused it is rolled back, and the message names
    both acts, so that one is voided where it was issued before the data are merged again (issue 10: an
    entry is billed at most once, everywhere)."""
    owners: dict[str, list[str]] = {}
    for number, year, series, text in s.execute(select(Document.number, Document.year, Document.series,
                                                       Document.content).where(
            Document.client_id == client_id, Document.kind == "act", Document.voided_on.is_(None))):
        code = document_code("act", number, year, series)
        try:
            entries = json.loads(text or "{}").get("entries") or []
        except (ValueError, AttributeError):
            entries = []
        for uuid in set(map(str, entries)):
            owners.setdefault(uuid, []).append(code)
    twice = sorted({tuple(sorted(codes)) for codes in owners.values() if len(codes) > 1})
    if twice:
        name = s.scalar(select(Client.name).where(Client.id == client_id)) or ""
        raise UserError(_("The same work of «{name}» would be billed twice: by {acts}. Nothing was imported. Void "
                          "one of these acts on the computer that issued it, then merge again.").format(
            name=in_quotes(name), acts="; ".join(" / ".join(pair) for pair in twice)))


def reconcile_marks(db: Database, client_ids: list[int] | None = None) -> int:
    """Mark again every entry a live act lists but whose mark was lost (e.g. an import brought an older copy of
    the entry without it); returns how many entries were marked. Call it after merging a bundle."""
    with db.unit() as s:
        return reconcile_in(s, client_ids)


def reconcile_in(s: Session, client_ids: list[int] | None = None, *, refuse: bool = True) -> int:
    """``reconcile_marks`` inside the caller's transaction (the bundle import calls it before committing).

    ``refuse``: two live acts listing one entry refuse the import (``refuse_double_billing``; a format-1
    bundle). A format-2 bundle passes False: its merge has already decided which act keeps the entry and
    recorded the other as a «double_billing» conflict, as the team sync does (docs/sync.md), so an entry whose
    mark is one of the acts listing it keeps that mark."""
    from app.persistence.models import utcnow

    fixed = 0
    query = select(Document.client_id).where(Document.kind == "act", Document.voided_on.is_(None)).distinct()
    if client_ids is not None:
        query = query.where(Document.client_id.in_(client_ids))
    for client_id in list(s.scalars(query)):
        if refuse:
            refuse_double_billing(s, client_id)
        listed = _snapshot_owners(s, client_id)
        if not listed:
            continue
        for entry in s.scalars(select(WorkLogEntry).where(WorkLogEntry.client_id == client_id,
                                                          WorkLogEntry.uuid.in_(list(listed)))):
            if entry.billed_by_document_id not in listed[entry.uuid]:
                entry.billed_by_document_id = listed[entry.uuid][0]
                entry.updated_at = utcnow()
                fixed += 1
    return fixed


def month_period(text: str) -> tuple[date, date]:
    """«2026-03» → (2026-03-01, 2026-03-31)."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UserError(_("Month «{value}» is not valid: expected YYYY-MM, e.g. 2026-03.").format(
            value=str(text)[:20]))
    if not EARLIEST_YEAR <= int(match.group(1)) <= LATEST_YEAR:
        raise UserError(_("Month «{value}» is outside the years this program accepts ({first}–{last}).").format(
            value=str(text).strip()[:20], first=EARLIEST_YEAR, last=LATEST_YEAR))
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def billable_clients(db: Database, date_from: date, date_to: date) -> list[tuple[int, str]]:
    """Clients on a paid approach with work logged in the period (one SQL statement), by name.

    Also a client whose entries include one the period's act refuses by name rather than bills: a date that is not
    a date (``unusable_entries.period_scope``) or a deleted flag neither 0 nor 1 (``flag_columns``) — the SQL
    filter left such a client out when that was its only entry of the month, and the batch said nothing about
    work never billed; listed, the client's act refuses and the batch's line names the values."""
    with db.read() as s:
        _flag, _flag_ok, kept = unusable_entries.flag_columns(s)
        logged = select(WorkLogEntry.client_id).where(kept, *unusable_entries.period_scope(s, date_from, date_to))
        query = (select(Client.id, Client.name).where(Client.approach != Approach.ACCOMPANIED.value)
                 .where(Client.id.in_(logged))
                 .order_by(Client.name, Client.id))
        # a name another program wrote as a blob: the client by its number (its act's refusal names the value)
        return [(r.id, r.name if isinstance(r.name, str) else _("client No. {id}").format(id=r.id))
                for r in s.execute(query)]


# the client's changes of approach, latest first: one statement made once (an ORM select built per act cost ~1 ms of
# a 500-act batch's each: its cache key, coercions and the ORM's execution; bench.acts)
_APPROACH_CHANGES = sql_text(
    'SELECT "at", old_value FROM audit_log WHERE client_uuid = :client AND table_name = \'client\' '
    'AND record_uuid = :client AND "action" = \'update\' AND "field" = \'approach\' ORDER BY "at" DESC, id DESC'
).columns(at=DateTime(), old_value=Text())


def _services_approach(s: Session, client: Client, days: list[date]) -> dict:
    """``{"services_approach": «подход(ы) …»}`` when the client's contract approach on the days of the act's work
    (``days``) was another than today's (its approach changed after on-site days were logged: the act named
    «Удалённые конференции» above «Выездное внедрение, рабочие дни», tester G); else nothing (the approach's title
    says it). The approach is the client's, never read from the kinds of the lines: an on-site client's act of one
    conference said «подход «Удалённые конференции»» (tester Q, round 13) — a client reads that as other terms.
    The approach of a day is today's walked back through the changes of it the audit trail holds, made after that
    day; a day under the free approach is named by today's (the act bills its work at today's terms)."""
    from app.domain.stages import APPROACH_TITLES

    current = Approach(client.approach)
    changes = s.connection().execute(_APPROACH_CHANGES, {"client": client.uuid}).all()
    named: list[Approach] = []
    for day in days:
        approach = current
        for at, old in changes:
            if _local_day(at) <= day:
                break
            approach = Approach(old) if old in {a.value for a in Approach} else current
        if approach is Approach.ACCOMPANIED:
            approach = current
        if approach not in named:
            named.append(approach)
    if named in ([current], []):
        return {}
    if len(named) == 1:
        return {"services_approach": f"подход «{APPROACH_TITLES[named[0]]}»"}
    return {"services_approach": "подходы " + " и ".join(f"«{APPROACH_TITLES[a]}»" for a in named)}


def _local_day(at) -> date:
    """The day on this computer's clock of an audit moment (kept in UTC without a zone)."""
    from datetime import UTC

    return at.replace(tzinfo=UTC).astimezone().date()
