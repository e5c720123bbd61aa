"""Pricing engine: estimates for the three approaches and billing of work-log entries (pure Decimal)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.domain.stages import Approach

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MINUTES_PER_HOUR = Decimal(60)

# Work-log kinds and how they are measured.
TIME_KINDS = ("conference", "questions", "control")  # minutes, billed per hour (remote)
DAY_KINDS = ("onsite_day",)  # days, billed per day (on-site)
AMOUNT_KINDS = ("transfer", "lodging")  # roubles, passed through at cost
KINDS = TIME_KINDS + DAY_KINDS + AMOUNT_KINDS

# Russian labels for document lines (documents are always Russian).
LINE_LABELS = {
    "conference": "Удалённые конференции с пользователями",
    "questions": "Время на возникающие вопросы",
    "control": "Контроль введённой информации",
    "onsite_day": "Выездное внедрение, рабочие дни",
    "transfer": "Трансфер",
    "lodging": "Проживание",
    "accompanied": "Сопровождение внедрения (бесплатно)",
}
UNIT_HOUR, UNIT_DAY, UNIT_SERVICE = "ч", "дн.", "усл."


def money(value: Decimal | int | str) -> Decimal:
    """Round to kopecks, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rates:
    """Tariffs and the USD rate valid on one date (each with the date it holds from)."""

    remote_hour: Decimal
    onsite_day: Decimal
    usd_rate: Decimal
    usd_date: date
    remote_from: date
    onsite_from: date


@dataclass(frozen=True)
class Line:
    label: str
    quantity: Decimal
    unit: str
    rate: Decimal
    amount: Decimal
    kind: str = ""

    def as_json(self) -> dict:
        return {"label": self.label, "quantity": str(self.quantity), "unit": self.unit,
                "rate": str(self.rate), "amount": str(self.amount)}


@dataclass(frozen=True)
class Quote:
    """A priced list of lines: the total is always the sum of the lines."""

    approach: str
    on: date
    lines: tuple[Line, ...]
    usd_rate: Decimal
    usd_date: date
    vat_rate: Decimal | None = None  # None → «Без НДС»; otherwise VAT included in the total
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def total(self) -> Decimal:
        return money(sum((line.amount for line in self.lines), ZERO))

    @property
    def vat_amount(self) -> Decimal:
        if self.vat_rate is None:
            return ZERO
        return money(self.total * self.vat_rate / (Decimal(100) + self.vat_rate))

    @property
    def vat_label(self) -> str:
        if self.vat_rate is None:
            return "Без НДС"
        return f"В том числе НДС {format(self.vat_rate.normalize(), 'f')}%"

    @property
    def total_usd(self) -> Decimal:
        if not self.usd_rate:
            return ZERO
        return money(self.total / self.usd_rate)

    def as_json(self) -> dict:
        return {
            "approach": self.approach, "on": self.on.isoformat(),
            "lines": [line.as_json() for line in self.lines], "total": str(self.total),
            "vat": None if self.vat_rate is None else {"rate": str(self.vat_rate), "amount": str(self.vat_amount)},
            "currency": "RUB", "usd_rate": str(self.usd_rate), "usd_rate_date": self.usd_date.isoformat(),
            "total_usd": str(self.total_usd),
        }


@dataclass(frozen=True)
class EstimateInput:
    conference_hours: Decimal = ZERO
    question_hours: Decimal = ZERO
    control_hours: Decimal = ZERO
    days: Decimal = ZERO
    transfer: Decimal = ZERO
    lodging: Decimal = ZERO


def _line(kind: str, quantity: Decimal, unit: str, rate: Decimal) -> Line:
    return Line(LINE_LABELS[kind], quantity, unit, money(rate), money(quantity * rate), kind)


def estimate(approach: Approach | str, data: EstimateInput, rates: Rates, on: date,
             vat_rate: Decimal | None = None) -> Quote:
    """Price planned work: remote hours × hourly tariff; on-site days × daily tariff + transfer + lodging."""
    approach = Approach(approach)
    lines: list[Line] = []
    if approach is Approach.ACCOMPANIED:
        lines.append(Line(LINE_LABELS["accompanied"], Decimal(1), UNIT_SERVICE, ZERO, ZERO, "accompanied"))
    elif approach is Approach.REMOTE:
        for kind, hours in (("conference", data.conference_hours), ("questions", data.question_hours),
                            ("control", data.control_hours)):
            lines.append(_line(kind, Decimal(hours), UNIT_HOUR, rates.remote_hour))
    else:
        lines.append(_line("onsite_day", Decimal(data.days), UNIT_DAY, rates.onsite_day))
        lines.append(Line(LINE_LABELS["transfer"], Decimal(1), UNIT_SERVICE, money(data.transfer),
                          money(data.transfer), "transfer"))
        lines.append(Line(LINE_LABELS["lodging"], Decimal(1), UNIT_SERVICE, money(data.lodging),
                          money(data.lodging), "lodging"))
    return Quote(approach.value, on, tuple(lines), rates.usd_rate, rates.usd_date, vat_rate)


def round_minutes(minutes: int, step: int) -> int:
    """Billing rule per entry: round up to a multiple of ``step`` minutes (0 = no rounding)."""
    if step <= 0 or minutes <= 0:
        return max(minutes, 0)
    return -(-minutes // step) * step


@dataclass(frozen=True)
class LogItem:
    """One work-log entry as the pricing engine sees it."""

    on_date: date
    kind: str
    minutes: int | None = None
    days: Decimal | None = None
    amount: Decimal | None = None


def bill(approach: Approach | str, items: Iterable[LogItem], rates_on: Callable[[date], Rates], on: date,
         rounding_step: int = 0, vat_rate: Decimal | None = None) -> Quote:
    """Bill logged work: each entry at the tariff valid on its own date, one line per kind and rate."""
    approach = Approach(approach)
    hours: dict[tuple[str, Decimal], Decimal] = {}
    days: dict[Decimal, Decimal] = {}
    amounts: dict[str, Decimal] = {}
    for item in items:
        rates = rates_on(item.on_date)
        if item.kind in TIME_KINDS:
            billed = Decimal(round_minutes(item.minutes or 0, rounding_step))
            key = (item.kind, ZERO if approach is Approach.ACCOMPANIED else rates.remote_hour)
            hours[key] = hours.get(key, ZERO) + billed / MINUTES_PER_HOUR
        elif item.kind in DAY_KINDS:
            rate = ZERO if approach is Approach.ACCOMPANIED else rates.onsite_day
            days[rate] = days.get(rate, ZERO) + Decimal(item.days or 0)
        elif item.kind in AMOUNT_KINDS:
            amounts[item.kind] = amounts.get(item.kind, ZERO) + Decimal(item.amount or 0)
    lines: list[Line] = []
    for kind in TIME_KINDS:
        for (k, rate), qty in sorted(hours.items(), key=lambda kv: kv[0][1]):
            if k == kind:
                lines.append(_line(kind, qty.quantize(CENT, rounding=ROUND_HALF_UP), UNIT_HOUR, rate))
    for rate, qty in sorted(days.items()):
        lines.append(_line("onsite_day", qty, UNIT_DAY, rate))
    for kind in AMOUNT_KINDS:
        if kind in amounts:
            lines.append(Line(LINE_LABELS[kind], Decimal(1), UNIT_SERVICE, money(amounts[kind]),
                              money(amounts[kind]), kind))
    usd = rates_on(on)
    return Quote(approach.value, on, tuple(lines), usd.usd_rate, usd.usd_date, vat_rate)
