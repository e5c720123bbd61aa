"""Estimating planned work: its figures (``EstimateInput``), their checks, the quote priced from them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from app.domain.money import CENT, ONE, ZERO, money, parse_decimal, two_places
from app.domain.pricing import LINE_LABELS, UNIT_DAY, UNIT_HOUR, UNIT_SERVICE, Line, Quote, _line
from app.domain.rates import Rates
from app.domain.stages import Approach
from app.domain.vat import VatSource, vat_function
from app.errors import UserError
from app.i18n import N_, _, format_editable, format_number

# Sanity caps for planned work (an estimate covers a whole project).
MAX_PLAN_HOURS = Decimal(10_000)
MAX_PLAN_DAYS = Decimal(1_000)
MAX_PLAN_AMOUNT = Decimal(100_000_000)


@dataclass(frozen=True)
class EstimateInput:
    conference_hours: Decimal = ZERO
    question_hours: Decimal = ZERO
    control_hours: Decimal = ZERO
    days: Decimal = ZERO
    transfer: Decimal = ZERO
    lodging: Decimal = ZERO

    @property
    def remote_hours(self) -> Decimal:
        return self.conference_hours + self.question_hours + self.control_hours


ESTIMATE_FIELDS = {
    "conference_hours": (N_("Conference hours"), MAX_PLAN_HOURS),
    "question_hours": (N_("Hours on questions"), MAX_PLAN_HOURS),
    "control_hours": (N_("Hours checking data"), MAX_PLAN_HOURS),
    "days": (N_("On-site working days"), MAX_PLAN_DAYS),
    "transfer": (N_("Transfer, RUB"), MAX_PLAN_AMOUNT),
    "lodging": (N_("Lodging, RUB"), MAX_PLAN_AMOUNT),
}


def check_estimate_field(name: str, value: Decimal | str | int | None) -> Decimal:
    """One planned figure of ``ESTIMATE_FIELDS`` as typed («1 500,50», «2,5»): refused when it is not a number,
    negative, absurd or has a third decimal (hours, days and roubles are kept with two, as stored: «0,005 ₽» was
    rounded to 0,01 while the work log refuses it). The window marks the field this names; raises UserError."""
    label, cap = ESTIMATE_FIELDS[name]
    number = parse_decimal(value, _(label))
    if number < 0:
        raise UserError(_("Field «{field}» cannot be negative.").format(field=_(label)))
    if number > cap:
        raise UserError(_("Field «{field}»: {value} is more than the allowed {max}.").format(
            field=_(label), value=format_editable(number), max=format_number(cap)))  # «1500», «1000» (tester J)
    if number != number.quantize(CENT):
        raise UserError(_("{field}: at most two decimal places.").format(field=_(label)))
    return two_places(number)


def check_estimate_input(data: EstimateInput) -> EstimateInput:
    """Every figure through ``check_estimate_field``: returns them as two-place decimals; raises UserError naming
    the first wrong field."""
    return EstimateInput(**{name: check_estimate_field(name, getattr(data, name)) for name in ESTIMATE_FIELDS})


def relevant_input(approach: Approach | str, data: EstimateInput) -> EstimateInput:
    """Only the figures the approach prices (what a saved estimate keeps)."""
    approach = Approach(approach)
    if approach is Approach.REMOTE:
        return replace(data, days=ZERO, transfer=ZERO, lodging=ZERO)
    if approach is Approach.ONSITE:
        return replace(data, conference_hours=ZERO, question_hours=ZERO, control_hours=ZERO)
    return EstimateInput()


def _expense_line(kind: str, amount: Decimal) -> Line:
    return Line(LINE_LABELS[kind], ONE, UNIT_SERVICE, money(amount), money(amount), kind)


def estimate(approach: Approach | str, data: EstimateInput, rates: Rates, on: date,
             vat_rate: VatSource = None) -> Quote:
    """Price planned work: remote hours × hourly tariff; on-site days × daily tariff + transfer + lodging."""
    approach = Approach(approach)
    data = check_estimate_input(data)
    lines: list[Line] = []
    if approach is Approach.ACCOMPANIED:
        lines.append(Line(LINE_LABELS["accompanied"], ONE, UNIT_SERVICE, ZERO, ZERO, "accompanied"))
    elif approach is Approach.REMOTE:
        for kind, hours in (("conference", data.conference_hours), ("questions", data.question_hours),
                            ("control", data.control_hours)):
            lines.append(_line(kind, hours, UNIT_HOUR, rates.remote_hour))
    else:
        lines.append(_line("onsite_day", data.days, UNIT_DAY, rates.onsite_day))
        lines.append(_expense_line("transfer", data.transfer))
        lines.append(_expense_line("lodging", data.lodging))
    return Quote(approach.value, on, tuple(lines), money(rates.usd_rate), rates.usd_date,
                 vat=vat_function(vat_rate)(on))
