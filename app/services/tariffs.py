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
from app.domain.pricing import Rates, RateSchedule, parse_decimal
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


def _check_billed(s: Session, valid_from: date, force: bool, reason: str) -> str:
    """Refuse a change from ``valid_from`` inside a billed period unless forced with a reason; the reason."""
    from app.domain.validation import clean_text

    text = clean_text(reason or "", _("Reason"), max_len=2000)
    billed = billed_since(s, valid_from)
    if billed is None:
        return text
    if not force or not text:
        raise UserError(_("The change from {date} falls inside a period already billed: {start}–{end} is billed by "
                          "act {code}. Choose a date after {end} or void the act.").format(
            date=valid_from.strftime("%d.%m.%Y"), start=billed[0].strftime("%d.%m.%Y"),
            end=billed[1].strftime("%d.%m.%Y"), code=billed[2]),
            cli_hint=_("Or confirm the change with a reason: --force --reason TEXT."))  # the window has no such way
    return text


def set_tariff(db: Database, kind: str, rate: Decimal | str, valid_from: date, *, force: bool = False,
               reason: str = "") -> Changes:
    """Add (or correct) the tariff ``kind`` holding from ``valid_from``; earlier dates keep their figures.

    An hourly tariff must be a multiple of 0,60 ₽, so that a minute costs whole kopecks (the billing rule in
    ``app.domain.pricing.time_line``); a date inside a billed period needs ``force`` and a ``reason``."""
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
        text = _check_billed(s, valid_from, force, reason)
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
    basis_text = vat_ground(clean_text(basis or "", _("Legal basis"), max_len=500)) if mode == "none" else ""
    with db.unit() as s:
        text = _check_billed(s, valid_from, force, reason)
        row = s.scalar(select(VatRate).where(VatRate.valid_from == valid_from))
        if row is None:
            s.add(VatRate(valid_from=valid_from, mode=mode, rate=value, basis=basis_text, reason=text))
        else:
            row.mode, row.rate, row.basis, row.reason = mode, value, basis_text, text
    return Changes(settings=True, worklog=True, estimates=True, clients=True, all_figures=True)


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
