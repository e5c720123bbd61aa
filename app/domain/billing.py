"""Billing the work log: each entry at the tariff and VAT of its own date, time stated in billed minutes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from app.domain.money import CENT, MINUTES_PER_HOUR, ONE, ZERO, money, rate_text, two_places
from app.domain.pricing import (
    AMOUNT_KINDS,
    DAY_KINDS,
    EXPENSE_LABELS,
    LINE_LABELS,
    TIME_KINDS,
    UNIT_DAY,
    UNIT_HOUR,
    UNIT_MINUTE,
    UNIT_SERVICE,
    Line,
    Quote,
    _line,
)
from app.domain.rates import Rates, RateSchedule
from app.domain.stages import Approach
from app.domain.vat import VatRule, VatSource, vat_function


def round_minutes(minutes: int, step: int) -> int:
    """Billing rule per entry: round up to a multiple of ``step`` minutes (0 = no rounding)."""
    if step <= 0 or minutes <= 0:
        return max(minutes, 0)
    return -(-minutes // step) * step


def minute_price(hour_rate: Decimal) -> Decimal | None:
    """The price of one minute when it is a whole number of kopecks (1 500,00 ₽/h → 25,00 ₽/min), else None."""
    cents = int(money(hour_rate) * 100)
    return None if cents % 60 else (Decimal(cents // 60) / 100).quantize(CENT)


def time_line(kind: str, minutes: int, hour_rate: Decimal, suffix: str = "", vat: VatRule | None = None,
              since: date | None = None) -> Line:
    """One billed time line. THE RULE (the same for the act, the stage sheet, the work log and the report):

    the quantity is the billed minutes themselves, the price is the price of one minute (hourly tariff / 60)
    and the amount is minutes × price. Because the hourly tariff is a multiple of 0,60 ₽ (``set_tariff``
    refuses others), the per-minute price is exact to the kopeck, so all three demands hold at once: the
    printed quantity IS the time billed (55 мин, not «0,92 ч» standing for 55 minutes), quantity × price
    = amount to the kopeck (an accountant can check every line), and the amount equals billed minutes ×
    hourly tariff / 60 rounded once, half up, at the line (55 min at 1 500 ₽/h = 1 375,00, not 1 380,00;
    218 min = 5 450,00; 4 ч 15 мин = 6 375,00). Hours shown anywhere are ``hours_of`` the billed minutes.

    A tariff stored by an older version that is not a multiple of 0,60 ₽ cannot have an exact minute price:
    such a line falls back to hours stated to 0,01 h × the hourly tariff (it still multiplies out; the
    amount may then differ from minutes × tariff / 60 by a few kopecks)."""
    rate = money(hour_rate)
    per_minute = minute_price(rate)
    label = LINE_LABELS[kind] + suffix
    if per_minute is not None:
        quantity = Decimal(int(minutes))
        return Line(label, quantity, UNIT_MINUTE, per_minute, money(quantity * per_minute), kind, int(minutes), vat,
                    since)
    hours = two_places(Decimal(int(minutes)) / MINUTES_PER_HOUR)
    return Line(label, hours, UNIT_HOUR, rate, money(hours * rate), kind, int(minutes), vat, since)


ROUNDING_RULE_TEXT = ("Учёт времени: количество указано в минутах {step}; цена минуты — часовой тариф, делённый "
                      "на 60; сумма строки — количество × цена.")


def has_time(quote: Quote) -> bool:
    """Whether a quote bills time (then its document prints the rounding rule)."""
    return any(line.kind in TIME_KINDS for line in quote.lines)


def rounding_rule_text(step: int) -> str:
    """The rounding rule in force, as the act and the stage sheet print it (kept in each document's snapshot).
    Rounded minutes are not the time «фактически затраченное» the text said under every rule (tester G): with a
    step the text names the rounding of each entry's time instead."""
    return ROUNDING_RULE_TEXT.format(step=_step_said(step))


def _step_said(step: int) -> str:
    return (f"с округлением времени каждой записи вверх до {int(step)}\u00a0мин" if step
            else "фактически затраченного времени без округления")


ROUNDING_RULES_TEXT = ("Учёт времени: количество указано в минутах: {parts}; цена минуты — часовой тариф, делённый на "
                       "60; сумма строки — количество × цена.")


def rounding_rules_text(steps: dict[int, list[str | None]]) -> str:
    """The rounding the figures of a document's time lines used: ``steps`` maps each step to the acts whose billed
    entries it rounded (their codes; None: the entries no act bills, rounded by the rule in force). One step: that
    rule's text (``rounding_rule_text``); several (the stage sheet over work billed under another rule than today's:
    its figures are the acts'): each step with the entries it rounded («по записям, выставленным актом АУ-1/2026, —
    …; по остальным записям — …»)."""
    if len(steps) <= 1:
        return rounding_rule_text(next(iter(steps), 0))

    parts, rest = [], None
    for step, acts in steps.items():
        if None in acts:
            rest = step
            continue
        codes = [code for code in acts if code]
        whose = "актом" if len(codes) == 1 else "актами"
        parts.append(f"по записям, выставленным {whose} {', '.join(codes)}".rstrip() + f", — {_step_said(step)}")
    if rest is not None:
        parts.append(f"по остальным записям — {_step_said(rest)}")
    return ROUNDING_RULES_TEXT.format(parts="; ".join(parts))


@dataclass(frozen=True)
class BilledTerms:
    """What an act in force billed an entry at (README: «work billed by an act in force keeps its figures until the
    act is voided»): the rounding step of the act, the tariff of its line (hourly for time, per day for days; None:
    an expense, or a kind the act has no line of — priced by today's rules) with the first day the act named for it
    (None: not named), and the VAT rule of its line (None: today's rule for the date)."""

    step: int = 0
    rate: Decimal | None = None
    since: date | None = None
    vat: VatRule | None = None


@dataclass(frozen=True)
class LogItem:
    """One work-log entry (or a group of entries of one kind and date) as the pricing engine sees it; ``terms``: the
    figures the act in force that billed it gave it (None: not billed — today's tariffs, VAT and rounding)."""

    on_date: date
    kind: str
    minutes: int | None = None
    days: Decimal | None = None
    amount: Decimal | None = None
    terms: BilledTerms | None = None


def bill(approach: Approach | str, items: Iterable[LogItem], rates_on: Callable[[date], Rates], on: date,
         rounding_step: int = 0, vat_rate: VatSource = None) -> Quote:
    """Bill logged work: each entry at the tariff and VAT valid on its own date; one time line per kind,
    tariff and VAT (see ``time_line`` for the rule), one day line per tariff and VAT, one expense line per
    trip or stay with its date. Minutes are rounded per entry only by the visible ``rounding_step``."""
    approach = Approach(approach)
    # a free approach prices nothing — time, days or expenses — except work an act in force billed before the client
    # became free: it keeps its act's tariff and amount (the log, the card's budget, the progress report priced it 0,
    # tester's r13 item 2)
    free = approach is Approach.ACCOMPANIED
    vat_on = vat_function(vat_rate)
    remote, onsite, usd_on = _pickers(rates_on)
    minutes: dict[tuple[str, date, Decimal, VatRule], int] = {}
    days: dict[tuple[date, Decimal, VatRule], Decimal] = {}
    expenses: list[tuple[date, int, str, Decimal, VatRule]] = []
    def tariff(item: LogItem, pick: Callable[[date], tuple[date, Decimal]]) -> tuple[date, Decimal]:
        terms = item.terms  # billed: the act's tariff, whatever the tariffs say today
        if terms is None or terms.rate is None:
            return pick(item.on_date)
        return terms.since or item.on_date, terms.rate

    for index, item in enumerate(items):
        terms = item.terms
        vat = terms.vat if terms is not None and terms.vat is not None else vat_on(item.on_date)
        if item.kind in TIME_KINDS:
            since, hour_rate = tariff(item, remote)
            key = (item.kind, since, ZERO if free and not _billed(terms) else hour_rate, vat)
            step = rounding_step if terms is None else terms.step
            minutes[key] = minutes.get(key, 0) + round_minutes(item.minutes or 0, step)
        elif item.kind in DAY_KINDS:
            since, day_rate = tariff(item, onsite)
            day_key = (since, ZERO if free and not _billed(terms) else day_rate, vat)
            days[day_key] = days.get(day_key, ZERO) + Decimal(item.days or 0)
        elif item.kind in AMOUNT_KINDS:
            # a free client's expense no act billed is free like its time: priced 0, in no total (its amount was
            # added to «выставлено актами» and to the xlsx log's «Всего», tester R, item 1); a billed one keeps it
            amount = ZERO if free and terms is None else Decimal(item.amount or 0)
            expenses.append((item.on_date, index, item.kind, amount, vat))

    def order(rule: VatRule) -> date:
        return rule.valid_from or date.min

    # a bill under two VAT rules names each line's: its totals give the VAT of each rule, and a reader must see
    # which lines bear which (the lines of other kinds were unmarked: a fresh tester, 2026-12-05)
    rules = {k[-1] for k in minutes} | {k[-1] for k in days} | {e[-1] for e in expenses}
    many_rules = len(rules) > 1

    def vat_label(rule: VatRule) -> str:
        return "без\u00a0НДС" if rule.mode == "none" or not rule.rate else f"НДС\u00a0{rate_text(rule.rate)}\u00a0%"

    def suffix(keys: list, since: date, rule: VatRule) -> str:
        parts = [f"тариф с\u00a0{since.strftime('%d.%m.%Y')}"] if len({k[-3] for k in keys}) > 1 else []
        if many_rules:
            parts.append(vat_label(rule))
        return f" ({'; '.join(parts)})" if parts else ""

    lines: list[Line] = []
    for kind in TIME_KINDS:
        keys = sorted((k for k in minutes if k[0] == kind), key=lambda k: (k[1], order(k[3])))
        for key in keys:
            lines.append(time_line(kind, minutes[key], key[2], suffix(keys, key[1], key[3]), key[3], key[1]))
    day_keys = sorted(days, key=lambda k: (k[0], order(k[2])))
    for day_key in day_keys:
        line = _line("onsite_day", days[day_key], UNIT_DAY, day_key[1], suffix(day_keys, day_key[0], day_key[2]))
        lines.append(replace(line, vat=day_key[2], since=day_key[0]))
    for day, _index, kind, amount, rule in sorted(expenses, key=lambda e: (e[0], AMOUNT_KINDS.index(e[2]), e[3])):
        label = f"{EXPENSE_LABELS[kind]} {day.strftime('%d.%m.%Y')}" + (f" ({vat_label(rule)})" if many_rules else "")
        lines.append(Line(label, ONE, UNIT_SERVICE, money(amount), money(amount), kind, None, rule))
    usd = usd_on(on)
    usd_date, usd_rate = usd if usd is not None else (on, ZERO)
    return Quote(approach.value, on, tuple(lines), usd_rate, usd_date, vat=vat_on(on))


def _billed(terms: BilledTerms | None) -> bool:
    """Whether an item's figures are an act's (its tariff kept), not today's rules."""
    return terms is not None and terms.rate is not None


def _pickers(rates_on: Callable[[date], Rates]):
    """Per-kind look-ups, so that billing asks only for the tariffs its entries use (a remote act never demands
    an on-site tariff or a USD rate); any other callable giving ``Rates`` works as before."""
    schedule = getattr(rates_on, "__self__", None)
    if isinstance(schedule, RateSchedule):
        strict = getattr(rates_on, "__func__", None) is not RateSchedule.lenient
        return (lambda day: schedule.remote(day, strict), lambda day: schedule.onsite(day, strict),
                lambda day: schedule.usd_on(day, strict))

    def remote(day: date) -> tuple[date, Decimal]:
        rates = rates_on(day)
        return rates.remote_from, rates.remote_hour

    def onsite(day: date) -> tuple[date, Decimal]:
        rates = rates_on(day)
        return rates.onsite_from, rates.onsite_day

    def usd(day: date) -> tuple[date, Decimal] | None:
        rates = rates_on(day)
        return rates.usd_date, money(rates.usd_rate)

    return remote, onsite, usd
