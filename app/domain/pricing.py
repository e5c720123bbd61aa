"""The pricing vocabulary and the quote (Decimal): work kinds, labels, units, priced lines and their totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

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
from app.i18n import N_, _

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


def _line(kind: str, quantity: Decimal, unit: str, rate: Decimal, suffix: str = "") -> Line:
    quantity = two_places(quantity)
    return Line(LINE_LABELS[kind] + suffix, quantity, unit, money(rate), money(quantity * money(rate)), kind)


# Billing the work log lives in app.domain.billing (it builds on the quotes above); its names stay importable
# from here for the callers written before the split.
_BILLING = ("LogItem", "bill", "round_minutes", "minute_price", "time_line", "has_time", "rounding_rule_text",
            "ROUNDING_RULE_TEXT")


def __getattr__(name: str):
    if name in _BILLING:
        from app.domain import billing

        return getattr(billing, name)
    raise AttributeError(name)
