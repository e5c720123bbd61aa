"""Tariffs, VAT and exchange rates by date: which figures hold on a given day, and adding new ones.

A tariff or VAT change whose start date falls inside a period already billed by an act (an entry dated on
or after the start is billed by an act not voided) is refused unless forced with a reason: issued
documents keep their printed figures either way (they are snapshots), but the work log would then price
the same billed work differently from the act the client signed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.billing import minute_price
from app.domain.pricing import DAY_KINDS, TIME_KINDS, parse_decimal
from app.domain.rates import Rates, RateSchedule
from app.domain.vat import VAT_MODES, VatRule, VatSchedule, vat_ground
from app.errors import UserError
from app.i18n import _, format_number
from app.persistence.db import Database
from app.persistence.models import Document, ExchangeRate, Tariff, VatRate
from app.services.changes import Changes

TARIFF_KINDS = ("remote_hour", "onsite_day")
MAX_RATE = Decimal(10_000_000)


class RateTable(RateSchedule):
    """All tariffs and USD rates loaded once (two queries), answering ``on(date)`` in memory."""

    def __init__(self, s: Session) -> None:
        tariffs: dict[str, list[tuple[date, Decimal]]] = {}
        for kind, valid_from, rate in s.execute(select(Tariff.kind, Tariff.valid_from, Tariff.rate)):
            tariffs.setdefault(kind, []).append((valid_from, rate))
        usd = [(valid_from, rate) for valid_from, rate in s.execute(
            select(ExchangeRate.valid_from, ExchangeRate.rate).where(ExchangeRate.currency == "USD"))]
        super().__init__(tariffs, usd)


class VatTable(VatSchedule):
    """All dated VAT rules loaded once (one query), answering ``on(date)`` in memory."""

    def __init__(self, s: Session) -> None:
        # a basis an older version kept with double spaces, or with its own full stop, is the same basis written once
        super().__init__(VatRule(row.mode, row.rate, vat_ground(row.basis), row.valid_from)
                         for row in s.scalars(select(VatRate)))


def vat_table(db: Database) -> VatTable:
    with db.read() as s:
        return VatTable(s)


def rate_table(db: Database) -> RateTable:
    with db.read() as s:
        return RateTable(s)


def rates_on(db: Database, day: date) -> Rates:
    """The tariffs and USD rate holding on ``day`` (UserError when none is known for it yet)."""
    return rate_table(db).on(day)


@dataclass(frozen=True)
class DatedRate:
    kind: str  # remote_hour | onsite_day | USD
    rate: Decimal
    valid_from: date


def list_rates(db: Database) -> list[DatedRate]:
    """Every tariff and USD rate with the date it holds from."""
    with db.read() as s:
        rows = [DatedRate(t.kind, t.rate, t.valid_from) for t in s.scalars(select(Tariff))]
        rows += [DatedRate(r.currency, r.rate, r.valid_from) for r in s.scalars(select(ExchangeRate))]
    return sorted(rows, key=lambda r: (r.kind, r.valid_from))


def _check_rate(value: Decimal | str) -> Decimal:
    """A positive rate of at most MAX_RATE roubles in whole kopecks: ``0.001`` and ``1500.005`` are
    refused rather than stored as 0 or silently rounded to 1500.01 (UserError)."""
    rate = parse_decimal(value, _("Rate"))
    if not Decimal(0) < rate <= MAX_RATE:
        raise UserError(_("A rate must be positive and at most {max}.").format(max=format_number(MAX_RATE)))
    if rate != rate.quantize(Decimal("0.01")):
        raise UserError(_("A rate is in roubles and kopecks: at most two decimal places, not {value}.").format(
            value=f"{rate:f}"[:40]))
    return rate.quantize(Decimal("0.01"))


def billed_since(s: Session, valid_from: date) -> tuple[date, date, str] | None:
    """The live act (not voided) whose period reaches ``valid_from`` or later — a change from that day would
    fall inside its billed period: (period start, period end, act number); None when there is none."""
    from app.services.documents.register import document_code

    row = s.execute(select(Document.period_from, Document.period_to, Document.kind, Document.number, Document.year,
                           Document.series)
                    .where(Document.kind == "act", Document.voided_on.is_(None), Document.period_to >= valid_from)
                    .order_by(Document.period_to.desc(), Document.id.desc()).limit(1)).first()
    if row is None:
        return None
    return row.period_from, row.period_to, document_code(row.kind, row.number, row.year, row.series)


def billed_within(s: Session, start: date, end: date | None, kinds: tuple[str, ...] | None = None,
                  ) -> list[tuple[date, date, str]]:
    """The live acts (not voided) whose period reaches into the days from ``start`` up to ``end`` (not included;
    None: no end) and that bill work of ``kinds`` (None: any): (period start, period end, act number) each, in the
    order of their periods. The span a new rule changes ends where the next rule of its kind starts: a rate from
    01.10 followed by another from 15.10 touches nothing billed in November (tester N: it was refused naming
    November's act), and a day tariff no act billing only time."""
    from app.persistence.models import WorkLogEntry
    from app.services.documents.register import document_code

    work = select(WorkLogEntry.billed_by_document_id).where(WorkLogEntry.billed_by_document_id.is_not(None))
    if kinds is not None:
        work = work.where(WorkLogEntry.kind.in_(kinds))
    query = (select(Document.period_from, Document.period_to, Document.kind, Document.number, Document.year,
                    Document.series)
             .where(Document.kind == "act", Document.voided_on.is_(None), Document.period_to >= start,
                    Document.id.in_(work))
             .order_by(Document.period_from, Document.id))
    if end is not None:
        query = query.where(Document.period_from < end)
    return [(r.period_from, r.period_to, document_code(r.kind, r.number, r.year, r.series))
            for r in s.execute(query)]


def _check_billed(s: Session, valid_from: date, force: bool, reason: str, *, until: date | None = None,
                  kinds: tuple[str, ...] | None = None) -> str:
    """Refuse a change from ``valid_from`` (up to ``until``, where the next rule of its kind starts) of work of
    ``kinds`` that an act in force billed, unless forced with a reason; the reason."""
    from app.domain.validation import clean_text

    text = clean_text(reason or "", _("Reason"), max_len=2000)
    billed = billed_within(s, valid_from, until, kinds)
    if not billed:
        return text
    if not force or not text:
        raise billed_change_refusal(billed, valid_from)
    return text


class BilledChangeRefused(UserError):
    """A change of figures that acts in force keep (a tariff, a VAT rule, the billing rounding) refused until it is
    confirmed with a reason (``force`` and ``reason`` of the setter): a window asks for the reason and retries."""


def billed_change_refusal(billed: list[tuple[date, date, str]],
                          valid_from: date | None = None) -> BilledChangeRefused:
    """The refusal of a change of work the acts ``billed`` keep their figures for — a rule from ``valid_from``, or
    the billing rounding (None: it has no date) —, each act named with its period; forced with a reason on the
    command line."""
    hint = _("Or confirm the change with a reason: --force --reason TEXT.")  # the window has no such way
    last = max(end for _start, end, _code in billed).strftime("%d.%m.%Y")
    acts = "; ".join(_("{start}–{end} by act {code}").format(start=start.strftime("%d.%m.%Y"),
                                                             end=end.strftime("%d.%m.%Y"), code=code)
                     for start, end, code in billed[:5])
    if len(billed) > 5:
        acts += "; " + _("and {n} more").format(n=format_number(len(billed) - 5))
    if valid_from is None:
        return BilledChangeRefused(_("The billing rounding applies to the work of every period, and work already billed keeps "
                           "the rounding of its act: {acts}. Void the acts or confirm the change.").format(acts=acts),
                         cli_hint=hint)
    day = valid_from.strftime("%d.%m.%Y")
    if len(billed) == 1:
        start, end, code = billed[0]
        return BilledChangeRefused(_("The change from {date} falls inside a period already billed: {start}–{end} is billed by "
                           "act {code}. Choose a date after {end} or void the act.").format(
            date=day, start=start.strftime("%d.%m.%Y"), end=end.strftime("%d.%m.%Y"), code=code), cli_hint=hint)
    return BilledChangeRefused(_("The change from {date} falls inside periods already billed: {acts}. Choose a date after "
                       "{end} or void the acts.").format(date=day, acts=acts, end=last), cli_hint=hint)


def next_start(s: Session, column, after: date, *where) -> date | None:
    """The first day after ``after`` of the next rule (``column``: a table's ``valid_from``, ``where``: its kind)."""
    from sqlalchemy import func

    return s.scalar(select(func.min(column)).where(column > after, *where))


def set_tariff(db: Database, kind: str, rate: Decimal | str, valid_from: date, *, force: bool = False,
               reason: str = "") -> Changes:
    """Add (or correct) the tariff ``kind`` holding from ``valid_from``; earlier dates keep their figures.

    An hourly tariff must be a multiple of 0,60 ₽, so that a minute costs whole kopecks (the billing rule in
    ``app.domain.billing.time_line``); a date inside a billed period needs ``force`` and a ``reason``."""
    from app.team import rights

    rights.require_admin_db(db, rights.TARIFFS)  # team-wide data: the team's administrator only
    if kind not in TARIFF_KINDS:
        raise UserError(_("Unknown tariff «{kind}»: use remote_hour or onsite_day.").format(kind=str(kind)[:40]))
    value = _check_rate(rate)
    if kind == "remote_hour" and minute_price(value) is None:
        from app.i18n import format_amount

        cents = int(value * 100)
        lower, upper = Decimal(cents - cents % 60) / 100, Decimal(cents - cents % 60 + 60) / 100
        raise UserError(_("An hourly tariff must be a multiple of 0.60 RUB so that a minute costs whole kopecks "
                          "and every act line multiplies out: use {lower} or {upper} instead of {value}.").format(
            lower=format_amount(lower), upper=format_amount(upper), value=format_amount(value)))
    with db.unit() as s:
        # a remote hour prices time, an on-site day days: the span ends where the next tariff of its kind starts
        text = _check_billed(s, valid_from, force, reason,
                             until=next_start(s, Tariff.valid_from, valid_from, Tariff.kind == kind),
                             kinds=TIME_KINDS if kind == "remote_hour" else DAY_KINDS)
        row = s.scalar(select(Tariff).where(Tariff.kind == kind, Tariff.valid_from == valid_from))
        if row is None:
            s.add(Tariff(kind=kind, rate=value, valid_from=valid_from, reason=text))
        else:
            row.rate, row.reason = value, text
    return Changes(settings=True, worklog=True, estimates=True, clients=True, all_figures=True)


def parse_vat_mode(value: str) -> str:
    mode = str(value or "").strip().lower().replace("-", "_")
    aliases = {"": "included", "in": "included", "include": "included", "ontop": "on_top", "top": "on_top",
               "no": "none", "без": "none"}
    mode = aliases.get(mode, mode)
    if mode not in VAT_MODES:
        raise UserError(_("VAT mode «{value}» is unknown: use none, included or on_top.").format(value=str(value)[:20]))
    return mode


def set_vat(db: Database, mode: str, rate: Decimal | str | None, valid_from: date, *, basis: str = "",
            force: bool = False, reason: str = "") -> Changes:
    """VAT from ``valid_from``: ``none`` (with the legal ``basis`` printed on acts, e.g. «п. 2 ст. 346.11 НК РФ»),
    ``included`` in the prices or ``on_top`` of them at ``rate`` percent. Earlier dates keep their VAT;
    a date inside a billed period needs ``force`` and a ``reason``."""
    from app.domain.pricing import check_vat_rate
    from app.domain.validation import clean_text
    from app.team import rights

    rights.require_admin_db(db, rights.VAT)  # team-wide data: the team's administrator only

    mode = parse_vat_mode(mode)
    if mode == "none" and rate not in (None, ""):  # «none 20»: a percent was meant for another mode
        raise UserError(_("Without VAT there is no rate: leave the percent out, or choose «included» or «on_top» "
                          "for {rate} %.").format(rate=str(rate).strip()[:20]))
    if mode != "none" and (basis or "").strip():  # a basis is printed only for «none»: dropped without a word before
        raise UserError(_("The legal basis is printed only without VAT («none»): leave it out for VAT in or on top "
                          "of the prices."))
    value = None if mode == "none" else check_vat_rate(rate)
    if mode != "none" and value is None:
        raise UserError(_("Give the VAT rate in percent, e.g. 20."))
    # spaces as one: «ст.145  НК РФ» and «ст.145 НК РФ» were two bases, and forced two acts
    # and without its own full stop or «на основании»: the documents put them (vat_ground)
    basis_text = vat_ground(clean_text(basis or "", _("Legal basis"), max_len=500, paper=True)) if mode == "none" else ""
    with db.unit() as s:
        text = _check_billed(s, valid_from, force, reason, until=next_start(s, VatRate.valid_from, valid_from))
        row = s.scalar(select(VatRate).where(VatRate.valid_from == valid_from))
        if row is None:
            s.add(VatRate(valid_from=valid_from, mode=mode, rate=value, basis=basis_text, reason=text))
        else:
            row.mode, row.rate, row.basis, row.reason = mode, value, basis_text, text
    return Changes(settings=True, worklog=True, estimates=True, clients=True, all_figures=True)


@dataclass(frozen=True)
class ForcedChange:
    """A change made over work already billed, with the reason given for it (``--force --reason``)."""

    what: str  # remote_hour | onsite_day | vat | rounding
    valid_from: date | None  # None: the rounding (it has no date)
    value: str
    reason: str

    @property
    def title(self) -> str:
        """«тариф «удалённый час» с 10.11.2026: 2 400,00 ₽», «НДС с 01.11.2026», «округление: 15 мин»."""
        from app.i18n import format_money

        when = self.valid_from.strftime("%d.%m.%Y") if self.valid_from else ""
        if self.what == "rounding":
            return _("billing rounding: {value} min").format(value=self.value)
        if self.what == "vat":
            return _("VAT from {date}").format(date=when)
        kind = _("remote hourly tariff") if self.what == "remote_hour" else _("on-site daily tariff")
        return _("{what} from {date}: {rate}").format(what=kind, date=when, rate=format_money(Decimal(self.value)))


def forced_changes(db: Database) -> list[ForcedChange]:
    """Every tariff and VAT rule set over billed work with a reason, by date, then the rounding's (when it was)."""
    from app.services.entry_rounding import _rounding, rounding_reason

    with db.read() as s:
        found = [ForcedChange(t.kind, t.valid_from, str(t.rate), t.reason)
                 for t in s.scalars(select(Tariff).where(Tariff.reason != "")) if t.reason]
        found += [ForcedChange("vat", v.valid_from, v.mode + (f" {v.rate}" if v.rate is not None else ""), v.reason)
                  for v in s.scalars(select(VatRate).where(VatRate.reason != "")) if v.reason]
        found.sort(key=lambda f: (f.valid_from or date.min, f.what))
        reason = rounding_reason(s)
        if reason:
            found.append(ForcedChange("rounding", None, str(_rounding(s)), reason))
    return found


def list_vat(db: Database) -> list[VatRule]:
    """Every dated VAT rule, oldest first."""
    return list(vat_table(db).rows)


def set_exchange_rate(db: Database, rate: Decimal | str, valid_from: date, currency: str = "USD") -> Changes:
    """Add (or correct) the rouble rate of ``currency`` holding from ``valid_from``."""
    from app.team import rights

    rights.require_admin_db(db, rights.RATES)  # team-wide data: the team's administrator only
    value = _check_rate(rate)
    with db.unit() as s:
        row = s.scalar(select(ExchangeRate).where(ExchangeRate.currency == currency,
                                                  ExchangeRate.valid_from == valid_from))
        if row is None:
            s.add(ExchangeRate(currency=currency, rate=value, valid_from=valid_from))
        else:
            row.rate = value
    return Changes(settings=True, estimates=True)
