"""What the acts in force billed their entries at — the one rule every reader that sums billed work follows.

README: «work billed by an act in force keeps its figures until the act is voided». The act keeps them in its
snapshot (``content``: its lines, VAT parts and rounding step); after a forced tariff change or a new rounding,
the work log, the card's budget, the progress report, the stage sheet and «Требует внимания» re-priced that work
with today's rules (tester N). Here each billed entry gets its act's terms (``BilledTerms``: the act's rounding
step, the tariff and VAT of the act line it went into); an entry no act in force bills keeps ``None`` (today's
rules). Every reader reads the terms in two statements whatever the number of entries (``read_terms``), or, summing
whole acts (the budgets of all clients), takes the acts' lines themselves (``act_items``).

An act's lines do not list their entries: its entries (by date) are matched to the lines of their kind in the
lines' order (``billing.bill`` sorts them by the tariff's first day, then by VAT rule — both move forward with the
date, so each line holds a run of consecutive dates), each line taking entries until its quantity is reached.

A line's tariff (its ``rate`` and ``unit``) and the act's rounding step (``rounding_min``) are data; so are, for acts
issued since 2026-12, the line's tariff's first day (``since``) and VAT rule (``vat_rule``:
``documents.common.line_terms``). Only acts issued before read those two back from the printed label."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.billing import BilledTerms, LogItem, round_minutes
from app.domain.money import rate_text
from app.domain.pricing import AMOUNT_KINDS, DAY_KINDS, TIME_KINDS, UNIT_HOUR
from app.domain.rates import RateSchedule
from app.domain.vat import VatRule
from app.persistence.models import Document, WorkLogEntry

_SINCE = re.compile(r"тариф с[\s\u00a0](\d{2}\.\d{2}\.\d{4})")


class _Line:
    """One line of an act's snapshot as the terms need it."""

    __slots__ = ("amount", "days", "kind", "minutes", "rate", "since", "size", "vat")

    def __init__(self, data: dict, vat: VatRule | None) -> None:
        self.kind = str(data.get("kind") or "")
        self.vat = vat
        self.amount = _decimal(data.get("amount"))
        quantity = _decimal(data.get("quantity"))
        price = _decimal(data.get("rate"))
        self.minutes = self.days = None
        self.rate: Decimal | None = None
        if self.kind in TIME_KINDS:
            hours = data.get("unit") == UNIT_HOUR  # an older tariff not a multiple of 0,60 ₽: hours × hourly tariff
            stored = data.get("minutes")
            self.minutes = int(stored) if isinstance(stored, int) else int(quantity * 60 if hours else quantity)
            self.rate = price if hours else price * 60  # the hourly tariff the line was priced at
        elif self.kind in DAY_KINDS:
            self.days, self.rate = quantity, price
        self.size = self.minutes if self.minutes is not None else self.days
        self.since = _line_since(data)


def _line_since(data: dict) -> date | None:
    """The first day of the tariff an act's line was priced at: the ``since`` the act keeps as data
    (``documents.common.line_terms``), or for an act issued before, the «тариф с 01.10.2026» its label names."""
    if "since" in data:
        try:
            return date.fromisoformat(str(data["since"]))
        except ValueError:
            return None
    found = _SINCE.search(str(data.get("label") or ""))
    return datetime.strptime(found[1], "%d.%m.%Y").date() if found else None


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except (InvalidOperation, ValueError):
        return Decimal(0)


class ActSnapshot:
    """The figures of one act in force, from its stored content."""

    def __init__(self, content: str | None) -> None:
        from app.services.entry_rounding import act_rounding_step

        try:
            data = json.loads(content or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        self.step = act_rounding_step(content)
        self.code = str(data.get("code") or "")  # «АУ-1/2026»
        rules = [_rule(part) for part in data.get("vat") or [] if isinstance(part, dict)]
        lines = [line for line in data.get("lines") or [] if isinstance(line, dict)]
        self.lines = [_Line(line, _line_rule(line, rules)) for line in lines]
        work = data.get("work_dates") or data.get("period") or {}
        try:
            self.first_day: date | None = date.fromisoformat(str(work.get("from")))
        except (ValueError, AttributeError):
            self.first_day = None

    def items(self) -> list[LogItem]:
        """The act's lines as billing items (whole: the reader sums every entry the act bills)."""
        day = self.first_day or date.min
        result = []
        for line in self.lines:
            terms = BilledTerms(0, line.rate, line.since or day, line.vat)
            if line.kind in TIME_KINDS:
                result.append(LogItem(day, line.kind, minutes=line.minutes, terms=terms))
            elif line.kind in DAY_KINDS:
                result.append(LogItem(day, line.kind, days=line.days, terms=terms))
            elif line.kind in AMOUNT_KINDS:
                result.append(LogItem(day, line.kind, amount=line.amount, terms=terms))
        return result

    def assign(self, entries: list, rates: RateSchedule | None) -> dict[int, BilledTerms]:
        """Entry id → its terms, for the act's own ``entries`` (rows with id, on_date, kind, minutes, days, amount)."""
        result: dict[int, BilledTerms] = {}
        ordered = sorted(entries, key=lambda e: (e.on_date, e.id))
        # one line per expense, in the order the act printed them (by date, kind, amount)
        expenses = sorted((e for e in ordered if e.kind in AMOUNT_KINDS),
                          key=lambda e: (e.on_date, AMOUNT_KINDS.index(e.kind), _decimal(e.amount)))
        lines = [line for line in self.lines if line.kind in AMOUNT_KINDS]
        for index, entry in enumerate(expenses):
            result[entry.id] = self._terms(entry, lines[min(index, len(lines) - 1)] if lines else None, rates)
        for kind in (*TIME_KINDS, *DAY_KINDS):
            lines = [line for line in self.lines if line.kind == kind]
            index, used = 0, Decimal(0)
            for entry in (e for e in ordered if e.kind == kind):
                line = lines[index] if lines else None
                result[entry.id] = self._terms(entry, line, rates)
                if line is None or line.size is None:
                    continue
                used += round_minutes(entry.minutes or 0, self.step) if kind in TIME_KINDS else _decimal(entry.days)
                if used >= line.size and index < len(lines) - 1:  # the line is full: the next dates are the next's
                    index, used = index + 1, Decimal(0)
        return result

    def _terms(self, entry, line: _Line | None, rates: RateSchedule | None) -> BilledTerms:
        if line is None:  # a kind the act has no line of (it cannot be: left to today's rules, with the act's step)
            return BilledTerms(self.step)
        since = line.since
        if since is None and line.rate is not None:
            since = _since(rates, entry.kind, line.rate, entry.on_date) or self.first_day or entry.on_date
        return BilledTerms(self.step, line.rate, since, line.vat)


def _since(rates: RateSchedule | None, kind: str, rate: Decimal, day: date) -> date | None:
    """The first day of the latest tariff at ``rate`` holding by ``day`` (the act names it only when it printed two
    tariffs of a kind): keeps the lines of one tariff together with the unbilled work priced at it."""
    if rates is None:
        return None
    rows = rates.tariffs.get("remote_hour" if kind in TIME_KINDS else "onsite_day", [])
    found = [since for since, value in rows if since <= day and Decimal(value) == rate]
    return found[-1] if found else None


def _rule(part: dict) -> VatRule:
    rate = part.get("rate")
    try:
        valid_from = date.fromisoformat(str(part["from"])) if part.get("from") else None
    except ValueError:
        valid_from = None
    return VatRule(str(part.get("mode") or "none"), None if rate in (None, "") else _decimal(rate),
                   str(part.get("basis") or ""), valid_from)


def _line_rule(line: dict, rules: list[VatRule]) -> VatRule | None:
    """The VAT rule of an act's line: the ``vat_rule`` the act keeps as data (``documents.common.line_terms``); for
    an act issued before, the act's only one, or the one its label names (an act under two rates of one mode marks
    each line «НДС 20 %» / «НДС 22 %»: ``billing.bill``)."""
    own = line.get("vat_rule")
    if isinstance(own, dict):
        return _rule(own)
    if len(rules) <= 1:
        return rules[0] if rules else None
    label = str(line.get("label") or "")
    for rule in rules:
        mark = ("без\u00a0НДС" if rule.mode == "none" or not rule.rate
                else f"НДС\u00a0{rate_text(rule.rate)}\u00a0%")
        if mark in label:
            return rule
    return rules[0]


def read_snapshots(s: Session, document_ids: Iterable[int | None]) -> dict[int, ActSnapshot]:
    """Document id → its act's figures, for the acts in force among ``document_ids`` (one statement)."""
    ids = sorted({i for i in document_ids if i is not None})
    if not ids:
        return {}
    return {doc_id: ActSnapshot(text) for doc_id, text in s.execute(
        select(Document.id, Document.content).where(Document.id.in_(ids), Document.kind == "act",
                                                    Document.voided_on.is_(None)))}


def read_terms(s: Session, document_ids: Iterable[int | None], rates: RateSchedule | None = None,
               acts: dict[int, ActSnapshot] | None = None) -> dict[int, BilledTerms]:
    """Work-log entry id → the terms its act in force billed it at, for every entry of the acts ``document_ids``
    (the billing marks of a reader's rows): two statements — the acts, and their entries, whichever of them the
    reader's period left out (the act's lines are matched against all of them). ``acts``: those acts read already
    (``read_snapshots``), then one statement."""
    if acts is None:
        acts = read_snapshots(s, document_ids)
    if not acts:
        return {}
    own: dict[int, list] = {}
    for row in s.execute(select(WorkLogEntry.id, WorkLogEntry.on_date, WorkLogEntry.kind, WorkLogEntry.minutes,
                                WorkLogEntry.days, WorkLogEntry.amount, WorkLogEntry.billed_by_document_id)
                         .where(WorkLogEntry.billed_by_document_id.in_(sorted(acts)))):
        own.setdefault(row.billed_by_document_id, []).append(row)
    result: dict[int, BilledTerms] = {}
    for doc_id, act in acts.items():
        result.update(act.assign(own.get(doc_id, []), rates))
    return result


def items_of(rows, terms: dict[int, BilledTerms]) -> list[LogItem]:
    """Billing items of work-log rows (with ``id``): a billed entry with its act's terms, any other with none."""
    return [LogItem(r.on_date, r.kind, r.minutes, r.days, r.amount, terms.get(r.id)) for r in rows]
