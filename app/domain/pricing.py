"""Pricing engine: estimates for the three approaches, comparison, and billing of the work log (pure Decimal)."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

from app.domain.stages import Approach
from app.errors import UserError
from app.i18n import N_, _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ONE = Decimal("1.00")
MINUTES_PER_HOUR = Decimal(60)
DEFAULT_HOURS_PER_DAY = Decimal("8")
VAT_LIMIT = Decimal("100")

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
# The same lines for the interface (translated).
LINE_LABELS_UI = {
    "conference": N_("Remote conferences with users"),
    "questions": N_("Time on questions"),
    "control": N_("Checking the entered data"),
    "onsite_day": N_("On-site implementation, working days"),
    "transfer": N_("Transfer"),
    "lodging": N_("Lodging"),
    "accompanied": N_("Accompanied implementation (free)"),
}
KIND_TITLES_UI = {
    "conference": N_("Conference"),
    "questions": N_("Questions"),
    "control": N_("Data check"),
    "onsite_day": N_("On-site day"),
    "transfer": N_("Transfer"),
    "lodging": N_("Lodging"),
}
# One act line per trip or stay, with its date (the accountant matches it to the ticket or the invoice).
EXPENSE_LABELS = {
    "transfer": "Возмещение расходов на проезд (трансфер)",
    "lodging": "Возмещение расходов на проживание",
}
UNIT_HOUR, UNIT_MINUTE, UNIT_DAY, UNIT_SERVICE = "ч", "мин", "дн.", "усл."
UNITS_UI = {UNIT_HOUR: N_("hr"), UNIT_MINUTE: N_("min"), UNIT_DAY: N_("day(s)"), UNIT_SERVICE: N_("service")}

# Sanity caps for planned work (an estimate covers a whole project).
MAX_PLAN_HOURS = Decimal(10_000)
MAX_PLAN_DAYS = Decimal(1_000)
MAX_PLAN_AMOUNT = Decimal(100_000_000)


def money(value: Decimal | int | str) -> Decimal:
    """Round to kopecks, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def two_places(value: Decimal | int | str) -> Decimal:
    """Quantities (hours, days) are kept with two decimals, like money."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_decimal(text: str | Decimal | int | None, field_name: str) -> Decimal:
    """A finite decimal typed by a person: ``2,5``, ``2.5``, ``7 000``; refuses garbage, NaN and infinity."""
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        raw = "" if text is None else str(text)
        cleaned = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
        if not cleaned:
            return ZERO
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            value = Decimal("NaN")
    if not value.is_finite():
        raise UserError(_("Field «{field}»: «{value}» is not a number.").format(
            field=field_name, value=str(text)[:40]))
    return value


def hours_of(minutes: int) -> Decimal:
    """The one figure of hours shown for a set of entries: their billed minutes summed first, then / 60,
    two places, half up (190 min → 3,17 h). The work log, its totals, the act, the stage sheet and the
    progress report all call this on the same sum, so they never disagree (3,17 h vs 3,16 h)."""
    return two_places(Decimal(int(minutes)) / MINUTES_PER_HOUR)


def rate_text(rate: Decimal) -> str:
    """A percentage as documents print it: 20 · 16,67 · 0,5 (decimal comma, no trailing zeros)."""
    text = format(Decimal(rate).quantize(CENT).normalize(), "f")
    return text.replace(".", ",")


# ------------------------------------------------------------------ VAT


VAT_MODES = ("none", "included", "on_top")


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


# ------------------------------------------------------------------ rates


@dataclass(frozen=True)
class Rates:
    """Tariffs and the USD rate valid on one date (each with the date it holds from)."""

    remote_hour: Decimal
    onsite_day: Decimal
    usd_rate: Decimal
    usd_date: date
    remote_from: date
    onsite_from: date


class RateSchedule:
    """Dated tariffs and USD rates in memory: ``on(day)`` picks the ones holding on that day."""

    def __init__(self, tariffs: dict[str, list[tuple[date, Decimal]]], usd: list[tuple[date, Decimal]]) -> None:
        self.tariffs = {kind: sorted(rows) for kind, rows in tariffs.items()}
        self.usd = sorted(usd)
        self._cache: dict[tuple[date, bool], Rates] = {}

    @staticmethod
    def _pick(rows: list[tuple[date, Decimal]], day: date, what: str, strict: bool) -> tuple[date, Decimal]:
        position = bisect.bisect_right([row[0] for row in rows], day)
        if position == 0:
            if rows and not strict:
                return rows[0]  # a lenient overview uses the earliest figure
            raise UserError(_("No {what} holds on {date}: add one valid from that date or earlier.").format(
                what=what, date=day.strftime("%d.%m.%Y")))
        return rows[position - 1]

    def on(self, day: date, strict: bool = True) -> Rates:
        key = (day, strict)
        if key not in self._cache:
            remote_from, remote = self._pick(self.tariffs.get("remote_hour", []), day,
                                             _("remote hourly tariff"), strict)
            onsite_from, onsite = self._pick(self.tariffs.get("onsite_day", []), day,
                                             _("on-site daily tariff"), strict)
            usd_from, usd = self._pick(self.usd, day, _("USD exchange rate"), strict)
            self._cache[key] = Rates(remote_hour=money(remote), onsite_day=money(onsite), usd_rate=money(usd),
                                     usd_date=usd_from, remote_from=remote_from, onsite_from=onsite_from)
        return self._cache[key]

    def lenient(self, day: date) -> Rates:
        return self.on(day, strict=False)

    def remote(self, day: date, strict: bool = True) -> tuple[date, Decimal]:
        """Only the hourly tariff holding on ``day`` (its start, the rate): what a remote act needs."""
        start, rate = self._pick(self.tariffs.get("remote_hour", []), day, _("remote hourly tariff"), strict)
        return start, money(rate)

    def onsite(self, day: date, strict: bool = True) -> tuple[date, Decimal]:
        """Only the daily tariff holding on ``day``."""
        start, rate = self._pick(self.tariffs.get("onsite_day", []), day, _("on-site daily tariff"), strict)
        return start, money(rate)

    def usd_on(self, day: date, strict: bool = True) -> tuple[date, Decimal] | None:
        """The USD rate holding on ``day``; None when there is none (an act does not need it)."""
        try:
            start, rate = self._pick(self.usd, day, _("USD exchange rate"), strict)
        except UserError:
            return None
        return start, money(rate)


# ------------------------------------------------------------------ quotes


@dataclass(frozen=True)
class Line:
    label: str
    quantity: Decimal
    unit: str
    rate: Decimal
    amount: Decimal
    kind: str = ""
    minutes: int | None = None  # billed minutes behind a time line of the work log (exact time)
    vat: VatRule | None = None  # the VAT of the line's own date (None: the quote's)

    @property
    def ui_unit(self) -> str:
        return _(UNITS_UI[self.unit]) if self.unit in UNITS_UI else self.unit

    @property
    def ui_label(self) -> str:
        """The label in the interface language (documents use ``label``, always Russian)."""
        base = _(LINE_LABELS_UI[self.kind]) if self.kind in LINE_LABELS_UI else self.label
        russian = LINE_LABELS.get(self.kind, self.label)
        if self.kind in EXPENSE_LABELS and self.label.startswith(EXPENSE_LABELS[self.kind]):
            russian = EXPENSE_LABELS[self.kind]
        return base + self.label[len(russian):]

    def as_json(self) -> dict:
        return {"label": self.label, "quantity": str(self.quantity), "unit": self.unit,
                "rate": str(self.rate), "amount": str(self.amount)}


@dataclass(frozen=True)
class LineTotals:
    """What a set of priced lines adds up to: billed minutes, hours (``hours_of`` the minutes, or the stated
    hours of an estimate), on-site days, expenses and money (the lines' sum)."""

    minutes: int
    hours: Decimal
    days: Decimal
    expenses: Decimal
    amount: Decimal


def totals_of(lines: Iterable[Line]) -> LineTotals:
    """THE one function that totals lines: the work log's totals, the act, the stage sheet, the progress report
    and the screens all show these figures for the same entries."""
    lines = tuple(lines)
    time_lines = [line for line in lines if line.kind in TIME_KINDS]
    minutes = sum(line.minutes or 0 for line in time_lines)
    if any(line.minutes is not None for line in time_lines):
        hours = hours_of(minutes)
    else:
        hours = sum((line.quantity for line in time_lines), ZERO)
    return LineTotals(
        minutes=minutes, hours=hours,
        days=sum((line.quantity for line in lines if line.kind in DAY_KINDS), ZERO),
        expenses=money(sum((line.amount for line in lines if line.kind in AMOUNT_KINDS), ZERO)),
        amount=money(sum((line.amount for line in lines), ZERO)))


@dataclass(frozen=True)
class Quote:
    """A priced list of lines: the total is always the sum of the lines."""

    approach: str
    on: date
    lines: tuple[Line, ...]
    usd_rate: Decimal
    usd_date: date
    vat_rate: Decimal | None = None  # legacy shortcut: VAT included at this rate (None and no ``vat``: none)
    notes: tuple[str, ...] = field(default_factory=tuple)
    vat: VatRule | None = None  # the rule for lines without their own (an estimate: the rule of its date)

    @property
    def totals(self) -> LineTotals:
        return totals_of(self.lines)

    @property
    def total(self) -> Decimal:
        """The sum of the lines (with VAT inside for «included», without it for «on top»)."""
        return money(sum((line.amount for line in self.lines), ZERO))

    def _rule(self, line: Line) -> VatRule:
        return line.vat or self.vat or included_vat(self.vat_rate)

    @property
    def vat_parts(self) -> tuple[VatPart, ...]:
        """VAT per rule in force on the lines' dates, in the order the rules first appear; each entry is taxed
        at the rate of its own date, so one act may show 20 % for December and 22 % for January."""
        bases: dict[VatRule, Decimal] = {}
        for line in self.lines:
            rule = self._rule(line)
            bases[rule] = bases.get(rule, ZERO) + line.amount
        if not bases:
            bases[self.vat or included_vat(self.vat_rate)] = ZERO
        return tuple(VatPart(rule, money(base), rule.amount(base)) for rule, base in bases.items())

    @property
    def vat_amount(self) -> Decimal:
        return money(sum((part.amount for part in self.vat_parts), ZERO))

    @property
    def vat_on_top(self) -> Decimal:
        return money(sum((part.amount for part in self.vat_parts if part.rule.mode == "on_top"), ZERO))

    @property
    def total_due(self) -> Decimal:
        """«Всего (с учётом НДС)»: the lines plus the VAT charged on top of them."""
        return money(self.total + self.vat_on_top)

    @property
    def vat_label(self) -> str:
        return "; ".join(part.rule.label for part in self.vat_parts)

    @property
    def vat_ui(self) -> str:
        """The VAT line in the interface language."""
        from app.i18n import format_money

        texts = []
        for part in self.vat_parts:
            texts.append(part.rule.ui if part.rule.mode == "none" else
                         f"{part.rule.ui}: {format_money(part.amount)}")
        return "; ".join(texts)

    @property
    def total_usd(self) -> Decimal:
        if not self.usd_rate:
            return ZERO
        return money(self.total_due / self.usd_rate)

    @property
    def billed_minutes(self) -> int:
        return self.totals.minutes

    @property
    def hours(self) -> Decimal:
        """Hours of the time lines (``totals_of``): billed minutes / 60 rounded once, or an estimate's hours."""
        return self.totals.hours

    @property
    def days(self) -> Decimal:
        return self.totals.days

    @property
    def expenses(self) -> Decimal:
        return self.totals.expenses

    def estimate_json(self) -> dict:
        """Exactly the shape of ``estimate --json`` in DESIGN.md (money as strings)."""
        return {"approach": self.approach, "lines": [line.as_json() for line in self.lines],
                "total": str(self.total), "currency": "RUB", "usd_rate": str(self.usd_rate),
                "total_usd": str(self.total_usd)}

    def as_json(self) -> dict:
        """The DESIGN.md shape plus the date, VAT and the date of the USD rate (document snapshots)."""
        return {
            "approach": self.approach, "on": self.on.isoformat(),
            "lines": [line.as_json() for line in self.lines], "total": str(self.total),
            "vat": [{"mode": p.rule.mode, "rate": None if p.rule.rate is None else str(p.rule.rate),
                     "amount": str(p.amount)} for p in self.vat_parts],
            "total_due": str(self.total_due),
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


def check_estimate_input(data: EstimateInput) -> EstimateInput:
    """Refuse negative or absurd planned figures; keep two decimals (as stored)."""
    values = {}
    for name, (label, cap) in ESTIMATE_FIELDS.items():
        value = parse_decimal(getattr(data, name), _(label))
        if value < 0:
            raise UserError(_("Field «{field}» cannot be negative.").format(field=_(label)))
        if value > cap:
            raise UserError(_("Field «{field}»: {value} is more than the allowed {max}.").format(
                field=_(label), value=value, max=cap))
        values[name] = two_places(value)
    return EstimateInput(**values)


def relevant_input(approach: Approach | str, data: EstimateInput) -> EstimateInput:
    """Only the figures the approach prices (what a saved estimate keeps)."""
    approach = Approach(approach)
    if approach is Approach.REMOTE:
        return replace(data, days=ZERO, transfer=ZERO, lodging=ZERO)
    if approach is Approach.ONSITE:
        return replace(data, conference_hours=ZERO, question_hours=ZERO, control_hours=ZERO)
    return EstimateInput()


def _line(kind: str, quantity: Decimal, unit: str, rate: Decimal, suffix: str = "") -> Line:
    quantity = two_places(quantity)
    return Line(LINE_LABELS[kind] + suffix, quantity, unit, money(rate), money(quantity * money(rate)), kind)


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


# ------------------------------------------------------------------ comparison


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
    hpd = parse_decimal(hours_per_day, _("Hours per working day"))
    if not Decimal(1) <= hpd <= Decimal(24):
        raise UserError(_("Hours per working day must be from 1 to 24."))
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


# ------------------------------------------------------------------ billing the work log


def round_minutes(minutes: int, step: int) -> int:
    """Billing rule per entry: round up to a multiple of ``step`` minutes (0 = no rounding)."""
    if step <= 0 or minutes <= 0:
        return max(minutes, 0)
    return -(-minutes // step) * step


def minute_price(hour_rate: Decimal) -> Decimal | None:
    """The price of one minute when it is a whole number of kopecks (1 500,00 ₽/h → 25,00 ₽/min), else None."""
    cents = int(money(hour_rate) * 100)
    return None if cents % 60 else (Decimal(cents // 60) / 100).quantize(CENT)


def time_line(kind: str, minutes: int, hour_rate: Decimal, suffix: str = "", vat: VatRule | None = None) -> Line:
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
        return Line(label, quantity, UNIT_MINUTE, per_minute, money(quantity * per_minute), kind, int(minutes), vat)
    hours = two_places(Decimal(int(minutes)) / MINUTES_PER_HOUR)
    return Line(label, hours, UNIT_HOUR, rate, money(hours * rate), kind, int(minutes), vat)


ROUNDING_RULE_TEXT = ("Учёт времени: количество указано в минутах фактически затраченного времени"
                      "{step}; цена минуты — часовой тариф, делённый на 60; сумма строки — количество × цена.")


def has_time(quote: Quote) -> bool:
    """Whether a quote bills time (then its document prints the rounding rule)."""
    return any(line.kind in TIME_KINDS for line in quote.lines)


def rounding_rule_text(step: int) -> str:
    """The rounding rule in force, as the act and the stage sheet print it."""
    part = (f" (каждая запись округляется вверх до {int(step)}\u00a0мин)" if step
            else " без округления")
    return ROUNDING_RULE_TEXT.format(step=part)


@dataclass(frozen=True)
class LogItem:
    """One work-log entry (or a group of entries of one kind and date) as the pricing engine sees it."""

    on_date: date
    kind: str
    minutes: int | None = None
    days: Decimal | None = None
    amount: Decimal | None = None


def bill(approach: Approach | str, items: Iterable[LogItem], rates_on: Callable[[date], Rates], on: date,
         rounding_step: int = 0, vat_rate: VatSource = None) -> Quote:
    """Bill logged work: each entry at the tariff and VAT valid on its own date; one time line per kind,
    tariff and VAT (see ``time_line`` for the rule), one day line per tariff and VAT, one expense line per
    trip or stay with its date. Minutes are rounded per entry only by the visible ``rounding_step``."""
    approach = Approach(approach)
    free = approach is Approach.ACCOMPANIED
    vat_on = vat_function(vat_rate)
    remote, onsite, usd_on = _pickers(rates_on)
    minutes: dict[tuple[str, date, Decimal, VatRule], int] = {}
    days: dict[tuple[date, Decimal, VatRule], Decimal] = {}
    expenses: list[tuple[date, int, str, Decimal, VatRule]] = []
    for index, item in enumerate(items):
        if item.kind in TIME_KINDS:
            since, hour_rate = remote(item.on_date)
            key = (item.kind, since, ZERO if free else hour_rate, vat_on(item.on_date))
            minutes[key] = minutes.get(key, 0) + round_minutes(item.minutes or 0, rounding_step)
        elif item.kind in DAY_KINDS:
            since, day_rate = onsite(item.on_date)
            day_key = (since, ZERO if free else day_rate, vat_on(item.on_date))
            days[day_key] = days.get(day_key, ZERO) + Decimal(item.days or 0)
        elif item.kind in AMOUNT_KINDS:
            expenses.append((item.on_date, index, item.kind, Decimal(item.amount or 0), vat_on(item.on_date)))

    def order(rule: VatRule) -> date:
        return rule.valid_from or date.min

    def suffix(keys: list, since: date, rule: VatRule) -> str:
        if len({k[-3] for k in keys}) > 1:
            return f" (тариф с\u00a0{since.strftime('%d.%m.%Y')})"
        if len({k[-1] for k in keys}) > 1 and rule.valid_from is not None:
            return f" (НДС с\u00a0{rule.valid_from.strftime('%d.%m.%Y')})"
        return ""

    lines: list[Line] = []
    for kind in TIME_KINDS:
        keys = sorted((k for k in minutes if k[0] == kind), key=lambda k: (k[1], order(k[3])))
        for key in keys:
            lines.append(time_line(kind, minutes[key], key[2], suffix(keys, key[1], key[3]), key[3]))
    day_keys = sorted(days, key=lambda k: (k[0], order(k[2])))
    for day_key in day_keys:
        line = _line("onsite_day", days[day_key], UNIT_DAY, day_key[1], suffix(day_keys, day_key[0], day_key[2]))
        lines.append(replace(line, vat=day_key[2]))
    for day, _index, kind, amount, rule in sorted(expenses, key=lambda e: (e[0], AMOUNT_KINDS.index(e[2]), e[3])):
        lines.append(Line(f"{EXPENSE_LABELS[kind]} {day.strftime('%d.%m.%Y')}", ONE, UNIT_SERVICE, money(amount),
                          money(amount), kind, None, rule))
    usd = usd_on(on)
    usd_date, usd_rate = usd if usd is not None else (on, ZERO)
    return Quote(approach.value, on, tuple(lines), usd_rate, usd_date, vat=vat_on(on))


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
