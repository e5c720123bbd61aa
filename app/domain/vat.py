"""VAT by date: without VAT (with its legal basis), included in the prices, or on top of them."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.domain.money import CENT, ZERO, money, parse_decimal, rate_text
from app.errors import UserError
from app.i18n import N_, _

VAT_LIMIT = Decimal("100")


VAT_MODES = ("none", "included", "on_top")
VAT_MODE_TITLES = {"none": N_("no VAT"), "included": N_("VAT included in the prices"),
                   "on_top": N_("VAT on top of the prices")}


def vat_mode_text(mode: str, rate: object = None) -> str:
    """A VAT rule in words for the user: «НДС сверху цен 20 %» (the codes none/included/on_top never shown)."""
    title = VAT_MODE_TITLES.get(mode)
    text = _(title) if title else mode
    if rate is not None and mode != "none":
        try:
            text += f" {rate_text(Decimal(str(rate).replace(',', '.')))} %"
        except (ArithmeticError, ValueError):
            text += f" {rate} %"
    return text


_GROUND_LEAD = "на основании "


def vat_ground(basis: str | None) -> str:
    """The legal ground of «none» as it is printed after «на основании»: spaces as one, without an «на основании»
    of its own and without its own closing full stop — the sentence puts one: «ст. 145 НК РФ (освобождение).» was
    printed «… (освобождение)..» on the act and «… (освобождение)., с 01.04.2026» in the settings (tester J)."""
    ground = " ".join((basis or "").split())
    if ground.casefold().startswith(_GROUND_LEAD):  # the ground is Russian legal text whatever the language
        ground = ground[len(_GROUND_LEAD):]
    return ground.rstrip(". ")


def vat_rule_text(mode: str, rate: object = None, basis: str = "") -> str:
    """A VAT rule in words with the legal ground of «none», as the act says it: «без НДС на основании п. 2 ст. 346.11
    НК РФ (УСН)». The ground in parentheses read «(п. 2 ст. 346.11 НК РФ (УСН))» and, followed by «(с 01.01.2026)»,
    «… (УСН)) (с 01.01.2026)» (tester H); a ground typed with its own «на основании» is not given a second one."""
    text = vat_mode_text(mode, rate)
    ground = vat_ground(basis)
    if mode != "none" or not ground:
        return text
    return _("{vat} under {basis}").format(vat=text, basis=ground)


@dataclass(frozen=True)
class VatRule:
    """VAT in force from ``valid_from``: ``none`` (the executor is on УСН or exempt; ``basis`` is the legal
    ground printed on the act, e.g. «п. 2 ст. 346.11 НК РФ»), ``included`` (prices include VAT) or
    ``on_top`` (VAT is added to the prices). Two rules with the same mode, rate and basis are the same VAT."""

    mode: str = "none"
    rate: Decimal | None = None
    basis: str = ""
    valid_from: date | None = field(default=None, compare=False)

    def amount(self, base: Decimal) -> Decimal:
        """VAT on ``base`` roubles (the sum of the lines taxed by this rule), rounded once, half up."""
        if self.mode == "none" or not self.rate:
            return ZERO
        if self.mode == "included":
            return money(base * self.rate / (Decimal(100) + self.rate))
        return money(base * self.rate / Decimal(100))

    @property
    def label(self) -> str:
        """The line of the totals block: «Без налога (НДС)», «В том числе НДС 20 %», «НДС 20 %»."""
        if self.mode == "none" or self.rate is None:
            return "Без налога (НДС)"
        prefix = "В том числе НДС" if self.mode == "included" else "НДС"
        return f"{prefix} {rate_text(self.rate)}\u00a0%"

    @property
    def ui(self) -> str:
        if self.mode == "none" or self.rate is None:
            return _("No VAT")
        if self.mode == "included":
            return _("VAT {rate} % included").format(rate=rate_text(self.rate))
        return _("VAT {rate} % on top").format(rate=rate_text(self.rate))


NO_VAT = VatRule()


def included_vat(rate: Decimal | None) -> VatRule:
    """The old undated setting: a rate means VAT included in the price; None means without VAT."""
    return NO_VAT if rate is None else VatRule("included", Decimal(rate).quantize(CENT))


class VatSchedule:
    """Dated VAT rules in memory: ``on(day)`` is the rule holding on that day (without VAT before the first)."""

    def __init__(self, rows: Iterable[VatRule]) -> None:
        self.rows = sorted((r for r in rows if r.valid_from is not None), key=lambda r: r.valid_from or date.min)
        self._starts = [r.valid_from or date.min for r in self.rows]

    def on(self, day: date) -> VatRule:
        position = bisect.bisect_right(self._starts, day)
        return self.rows[position - 1] if position else NO_VAT


VatSource = VatRule | Decimal | Callable[[date], VatRule] | None


def vat_function(vat: VatSource) -> Callable[[date], VatRule]:
    """Any way of giving VAT (a dated schedule's ``on``, one rule, a legacy included rate, None) as a function."""
    if vat is None or isinstance(vat, Decimal | int | str):
        rule = included_vat(None if vat is None else Decimal(vat))
        return lambda _day: rule
    if isinstance(vat, VatRule):
        return lambda _day: vat
    return vat


@dataclass(frozen=True)
class VatPart:
    """VAT of the lines taxed by one rule."""

    rule: VatRule
    base: Decimal
    amount: Decimal


def check_vat_rate(value: Decimal | str | int | None) -> Decimal | None:
    """None / empty / «без НДС» / «none» → no VAT; otherwise a rate from 0 to 99.99 %, two decimals at most
    (the same rule as the executor's details form)."""
    if value is None:
        return None
    text = str(value).strip().rstrip("%").strip()
    if text.lower() in ("", "none", "no", "без ндс", "нет", "-"):
        return None
    rate = parse_decimal(text, _("VAT rate"))
    if not ZERO <= rate < VAT_LIMIT or rate != rate.quantize(CENT):
        raise UserError(_("VAT rate must be from 0 to 99.99 percent with at most two decimals."))
    return rate.quantize(CENT)
