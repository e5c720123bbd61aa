"""Comparing the approaches for the same work: hours per on-site day, ``compare`` and its reasons."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_CEILING, Decimal

from app.domain.estimate import EstimateInput, check_estimate_input, estimate
from app.domain.money import CENT, ZERO, money, parse_decimal, two_places
from app.domain.pricing import Quote
from app.domain.rates import Rates
from app.domain.vat import VatSource
from app.errors import UserError
from app.i18n import _

DEFAULT_HOURS_PER_DAY = Decimal("8")


def check_hours_per_day(value: Decimal | str | int, field: str | None = None) -> Decimal:
    """Hours in one on-site working day: 1 to 24 with two decimals at most (stored so; «8,125» was compared as
    typed, then saved as 8,13); ``field`` names it in the refusal. Raises UserError."""
    name = field or _("Hours per working day")
    hours = parse_decimal(value, name)
    if not Decimal(1) <= hours <= Decimal(24):
        raise UserError(_("Hours per working day must be from 1 to 24."))
    if hours != hours.quantize(CENT):
        raise UserError(_("{field}: at most two decimal places.").format(field=name))
    return two_places(hours)


@dataclass(frozen=True)
class Option:
    """One approach priced for the compared amount of work."""

    approach: str
    quote: Quote
    hours: Decimal  # hours of the specialist's work it covers
    days: Decimal  # on-site working days (0 for the others)

    @property
    def per_hour(self) -> Decimal:
        """What one hour of work costs the client with this approach, expenses included."""
        return money(self.quote.total / self.hours) if self.hours else ZERO


@dataclass(frozen=True)
class Comparison:
    work_hours: Decimal
    hours_per_day: Decimal
    options: tuple[Option, ...]
    cheapest: str  # among the paid approaches; "" when they cost the same
    saving: Decimal  # how much the cheapest saves against the other paid approach
    break_even_hours: Decimal | None  # from how many hours on-site gets cheaper; None = never
    reasons: tuple[str, ...]  # the "why", in the interface language

    def option(self, approach: str) -> Option:
        return next(o for o in self.options if o.approach == approach)


def compare(data: EstimateInput, rates: Rates, on: date, hours_per_day: Decimal = DEFAULT_HOURS_PER_DAY,
            vat_rate: VatSource = None) -> Comparison:
    """Price the same amount of work with every approach and explain which is cheaper and why.

    The work is the remote hours when given, otherwise the on-site days × hours per day; on-site needs
    whole working days and adds the transfer and lodging entered."""
    from app.i18n import format_money, format_number

    data = check_estimate_input(data)
    hpd = check_hours_per_day(hours_per_day)
    work = data.remote_hours if data.remote_hours > 0 else two_places(data.days * hpd)
    if data.remote_hours > 0:
        remote_in = replace(data, days=ZERO, transfer=ZERO, lodging=ZERO)
    else:
        remote_in = EstimateInput(conference_hours=work)
    days = (work / hpd).to_integral_value(rounding=ROUND_CEILING) if work else ZERO
    onsite_in = EstimateInput(days=two_places(days), transfer=data.transfer, lodging=data.lodging)
    remote = Option("remote", estimate("remote", remote_in, rates, on, vat_rate), work, ZERO)
    onsite = Option("onsite", estimate("onsite", onsite_in, rates, on, vat_rate), work, two_places(days))
    free = Option("accompanied", estimate("accompanied", EstimateInput(), rates, on, vat_rate), work, ZERO)

    expenses = money(data.transfer + data.lodging)
    onsite_hour = money(rates.onsite_day / hpd)
    difference = remote.quote.total - onsite.quote.total
    cheapest = "" if difference == 0 else ("onsite" if difference > 0 else "remote")
    break_even: Decimal | None = None
    if rates.remote_hour > onsite_hour:
        break_even = two_places(expenses / (rates.remote_hour - rates.onsite_day / hpd))

    reasons = [
        _("The same work: {hours} h = {days} on-site working days at {hpd} h per day.").format(
            hours=format_number(work), days=format_number(days), hpd=format_number(hpd)),
        _("Remote: {rate} per hour, nothing else to pay.").format(rate=format_money(rates.remote_hour)),
        _("On-site: {rate} per day = {per_hour} per hour of work, plus transfer and lodging {expenses}.").format(
            rate=format_money(rates.onsite_day), per_hour=format_money(onsite_hour),
            expenses=format_money(expenses)),
    ]
    if cheapest:
        title = _("Remote conferences") if cheapest == "remote" else _("On-site")
        reasons.append(_("{approach} is cheaper by {saving}.").format(approach=title,
                                                                       saving=format_money(abs(difference))))
    else:
        reasons.append(_("Both paid approaches cost the same."))
    if break_even is None:
        reasons.append(_("An on-site hour costs no less than a remote one, so remote stays cheaper "
                         "for any amount of work."))
    else:
        reasons.append(_("On-site becomes cheaper from about {hours} h of work (whole days rounded up).").format(
            hours=format_number(break_even)))
    reasons.append(_("Accompanied implementation is free: video lessons and a personal manager, "
                     "without the specialist's hours."))
    return Comparison(work_hours=work, hours_per_day=hpd, options=(remote, onsite, free), cheapest=cheapest,
                      saving=money(abs(difference)), break_even_hours=break_even, reasons=tuple(reasons))

