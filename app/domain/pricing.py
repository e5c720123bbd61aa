"""Pricing engine: dated rates, priced lines and quotes, estimates for the three approaches, comparison (Decimal)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_CEILING, Decimal

from app.domain.money import (  # noqa: F401  (re-exported: the pricing vocabulary)
    CENT,
    MINUTES_PER_HOUR,
    ONE,
    ZERO,
    hours_of,
    money,
    parse_decimal,
    rate_text,
    two_places,
)
from app.domain.stages import Approach
from app.domain.vat import (  # noqa: F401  (re-exported)
    NO_VAT,
    VAT_LIMIT,
    VAT_MODES,
    VatPart,
    VatRule,
    VatSchedule,
    VatSource,
    check_vat_rate,
    included_vat,
    vat_function,
)
from app.errors import UserError
from app.i18n import N_, _, format_editable, format_number

DEFAULT_HOURS_PER_DAY = Decimal("8")

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
    # the first day of the tariff a billed line was priced at (None: an estimate's, an expense's); an act keeps it
    # in its snapshot beside the VAT rule, so that its billed work is read back without parsing the printed label
    since: date | None = field(default=None, compare=False)

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


STALE_USD_DAYS = 31  # a USD rate older than this beside an estimate's date is named as old (and left off paper)


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
    def usd_stale_days(self) -> int | None:
        """How many days the USD rate is older than the estimate's date, when that is more than STALE_USD_DAYS (the
        figure is then warned on screen and left off the printed estimate); None for a fresh rate or none."""
        days = (self.on - self.usd_date).days
        return days if self.usd_rate and days > STALE_USD_DAYS else None

    @property
    def usd_stale_ui(self) -> str:
        """The warning of a stale USD rate in the interface language («» when the rate is fresh)."""
        days = self.usd_stale_days
        if days is None:
            return ""
        return _("The USD rate is {days} days older than the estimate's date: set a newer one in Settings ▸ Rates "
                 "(or «billing rate USD RATE --from DATE»).").format(days=days)

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


# Billing the work log lives in app.domain.billing (it builds on the quotes above); its names stay importable
# from here for the callers written before the split.
_BILLING = ("LogItem", "bill", "round_minutes", "minute_price", "time_line", "has_time", "rounding_rule_text",
            "ROUNDING_RULE_TEXT")


def __getattr__(name: str):
    if name in _BILLING:
        from app.domain import billing

        return getattr(billing, name)
    raise AttributeError(name)
