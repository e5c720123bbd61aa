"""Tariffs and exchange rates by date: which figures hold on a given day, and adding new ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.pricing import Rates, RateSchedule, parse_decimal
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import ExchangeRate, Tariff
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
        raise UserError(_("A rate must be positive and at most {max}.").format(max=MAX_RATE))
    if rate != rate.quantize(Decimal("0.01")):
        raise UserError(_("A rate is in roubles and kopecks: at most two decimal places, not {value}.").format(
            value=f"{rate:f}"[:40]))
    return rate.quantize(Decimal("0.01"))


def set_tariff(db: Database, kind: str, rate: Decimal | str, valid_from: date) -> Changes:
    """Add (or correct) the tariff ``kind`` holding from ``valid_from``; earlier dates keep their figures."""
    if kind not in TARIFF_KINDS:
        raise UserError(_("Unknown tariff «{kind}»: use remote_hour or onsite_day.").format(kind=str(kind)[:40]))
    value = _check_rate(rate)
    with db.unit() as s:
        row = s.scalar(select(Tariff).where(Tariff.kind == kind, Tariff.valid_from == valid_from))
        if row is None:
            s.add(Tariff(kind=kind, rate=value, valid_from=valid_from))
        else:
            row.rate = value
    return Changes(settings=True, worklog=True, estimates=True, clients=True)


def set_exchange_rate(db: Database, rate: Decimal | str, valid_from: date, currency: str = "USD") -> Changes:
    """Add (or correct) the rouble rate of ``currency`` holding from ``valid_from``."""
    value = _check_rate(rate)
    with db.unit() as s:
        row = s.scalar(select(ExchangeRate).where(ExchangeRate.currency == currency,
                                                  ExchangeRate.valid_from == valid_from))
        if row is None:
            s.add(ExchangeRate(currency=currency, rate=value, valid_from=valid_from))
        else:
            row.rate = value
    return Changes(settings=True, estimates=True)
