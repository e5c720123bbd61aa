"""A work-log entry as typed: minutes, days or an amount parsed from what people type, and the entry's checks.

Shared by the window, the command line, the CSV and bundle imports (``validate_entry`` per imported entry); no
database here. Re-exported by ``app.services.worklog``, where callers have always found these names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from app.domain import pricing
from app.domain.money import GROUP_SPACES, LINE_BREAKS, odd_space, typed_digits, ungrouped
from app.domain.pricing import AMOUNT_KINDS, DAY_KINDS, KINDS, TIME_KINDS
from app.domain.stages import Stage
from app.domain.validation import day_text
from app.errors import UserError
from app.i18n import _, format_money, format_number
from app.services.common import today

MAX_MINUTES = 24 * 60  # one entry is at most a day
MAX_DAYS = Decimal(31)
MAX_AMOUNT = Decimal(1_000_000)
EARLIEST = date(2000, 1, 1)
FUTURE_DAYS = 365
MAX_NOTE = 2000


def measure_of(kind: str) -> str:
    """How an entry of ``kind`` is measured: ``minutes``, ``days`` or ``amount``."""
    if kind in TIME_KINDS:
        return "minutes"
    if kind in DAY_KINDS:
        return "days"
    if kind in AMOUNT_KINDS:
        return "amount"
    raise UserError(_("Unknown kind of work «{kind}»: use one of {kinds}.").format(
        kind=str(kind)[:40], kinds=", ".join(KINDS)))


# ------------------------------------------------------------------ parsing what people type

_HM = re.compile(r"^(\d{1,3}):([0-5]\d)$")
_H_M = re.compile(r"^(\d{1,3})\s*(?:ч|час|часа|часов|h)\.?\s*(\d{1,3})\s*(?:м|мин|минут|минуты|min|m)?\.?$")
_H = re.compile(r"^(\d{1,4}(?:[.,]\d{1,4})?)\s*(?:ч|час|часа|часов|h)\.?$")
_M = re.compile(r"^(\d{1,6})\s*(?:м|мин|минут|минуты|min|m)?\.?$")


def parse_minutes(text: str | int) -> int:
    """Minutes from ``90``, ``1:30``, ``1ч30``, ``1,5 ч``, ``1h30m``, ``45 мин``. Hours take two decimals at most
    (``1,33 ч`` is 80 min; ``1,005 ч`` is refused, not billed as 1:00)."""
    if isinstance(text, int):
        return text
    typed = str(text).strip()  # what a refusal quotes: «1 000,5» was echoed as «1000,5» (tester J)
    if (ch := odd_space(typed)) is not None:
        if ch in LINE_BREAKS or ch == "\t":  # a pasted column is not «a space» (tester N, item 8)
            from app.domain.printable import printable

            raise UserError(_("«{value}» is not a time: it holds a line break or a tab; type one time.").format(
                value=printable(typed[:40])))
        raise UserError(_("«{value}» is not a time: it holds an unusual space character ({code}); type an ordinary "
                          "space.").format(value=typed[:40], code=f"U+{ord(ch):04X}"))
    if not typed:  # ««» — не время» quoted nothing (tester O)
        raise UserError(_("Type the time: minutes (90) or hours and minutes (1:30)."))
    value = re.sub("[" + GROUP_SPACES + "]", " ", ungrouped(typed_digits(typed)).lower())  # a thin space too
    if value.startswith("-"):
        raise UserError(_("Time cannot be negative: «{value}».").format(value=typed[:40]))
    if m := _HM.match(value):
        return int(m.group(1)) * 60 + int(m.group(2))
    if m := _H_M.match(value):
        return int(m.group(1)) * 60 + int(m.group(2))
    if m := _H.match(value):
        hours = Decimal(m.group(1).replace(",", "."))
        if hours != hours.quantize(pricing.CENT):  # «1,005 ч» was 60 min, «0,001» 0 min: refused as the estimate does
            raise UserError(_("{field}: at most two decimal places.").format(field=_("Hours")))
        return int((hours * 60).to_integral_value(rounding=ROUND_HALF_UP))
    if m := _M.match(value):
        return int(m.group(1))
    if value.isascii() and value.isdigit():  # 10 digits of minutes were «не время»; «0000090» is 90
        minutes = int(value.lstrip("0") or "0") if len(value.lstrip("0")) <= 7 else MAX_MINUTES + 1
        if minutes <= MAX_MINUTES:
            return minutes
        raise UserError(_("{value} min is more than 24 hours in one entry: split it by days.").format(
            value=format_number(int(value)) if len(value) <= 40 else value[:40] + "…"))
    if re.search(r"[0-9] +[0-9]", value):  # «1 0», «1 0000», «0 500»: the groups that ungrouped() left
        raise UserError(_("«{value}» is not a time: spaces go only between groups of three digits, as in 1 000.")
                        .format(value=typed[:40]))
    raise UserError(_("«{value}» is not a time: type minutes (90) or hours and minutes (1:30).").format(
        value=typed[:40]))


def parse_measure(kind: str, text: str) -> dict:
    """Turn what was typed in the quick-entry field into the entry's measure for ``kind``."""
    measure = measure_of(kind)
    if measure == "minutes":
        return {"minutes": parse_minutes(text)}
    cleaned = typed_digits(str(text).strip().lower())
    for unit in ("дн.", "дн", "дней", "дня", "день", "d", "руб.", "руб", "₽", "р."):
        if cleaned.endswith(unit):
            cleaned = cleaned[: -len(unit)].strip()
            break
    field = _("Days") if measure == "days" else _("Amount")
    return {measure: pricing.parse_decimal(cleaned, field)}


# ------------------------------------------------------------------ validation


@dataclass(frozen=True)
class EntryInput:
    """One work-log entry as typed: exactly one of minutes / days / amount, by kind."""

    on_date: date
    kind: str
    minutes: int | None = None
    days: Decimal | None = None
    amount: Decimal | None = None
    note: str = ""
    stage: int | None = None  # None = the client's current stage


_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}


def clean_note(note: str | None) -> str:
    text = (note or "").replace("\r\n", "\n").strip()
    if any((unicodedata.category(c) == "Cc" and c != "\n") or c in _BIDI for c in text):
        raise UserError(_("The note contains control characters."))
    if len(text) > MAX_NOTE:
        raise UserError(_("The note is too long: {n} characters, at most {max} allowed.").format(
            n=format_number(len(text)), max=format_number(MAX_NOTE)))
    return text


def _exact(value: Decimal, field: str) -> Decimal:
    if not value.is_finite() or abs(value) >= Decimal(10) ** 12:  # quantize would overflow
        raise UserError(_("{field}: the number is too large.").format(field=field))
    if value != value.quantize(pricing.CENT):
        raise UserError(_("{field}: at most two decimal places.").format(field=field))
    return value.quantize(pricing.CENT)


def validate_entry(data: EntryInput, *, on: date | None = None) -> EntryInput:
    """Refuse what cannot be true: wrong measure for the kind, negative or absurd values, odd dates, junk."""
    measure = measure_of(data.kind)
    given = [name for name in ("minutes", "days", "amount") if getattr(data, name) is not None]
    wrong = [name for name in given if name != measure]
    if wrong or measure not in given:  # the words only for a refusal (a bundle checks 100 000s of entries)
        names = {"minutes": _("minutes"), "days": _("days"), "amount": _("an amount")}
        kind_title = _(pricing.KIND_TITLES_UI[data.kind])
        if wrong:
            raise UserError(_("«{kind}» is measured in {expected}, not in {given}.").format(
                kind=kind_title, expected=names[measure], given=names[wrong[0]]))
        raise UserError(_("«{kind}» needs {expected}.").format(kind=kind_title, expected=names[measure]))
    day = on or today()
    if not isinstance(data.on_date, date):
        raise UserError(_("The date of the entry is required."))
    if data.on_date < EARLIEST:
        raise UserError(_("The date {date} is too early: entries start from 2000.").format(
            date=day_text(data.on_date)))
    if data.on_date > day + timedelta(days=FUTURE_DAYS):
        raise UserError(_("The date {date} is more than a year ahead.").format(
            date=data.on_date.strftime("%d.%m.%Y")))
    values: dict = {"minutes": None, "days": None, "amount": None}
    if measure == "minutes":
        minutes = data.minutes
        if isinstance(minutes, Decimal) and minutes == minutes.to_integral_value():
            minutes = int(minutes)
        if not isinstance(minutes, int) or isinstance(minutes, bool):
            raise UserError(_("Minutes must be a whole number."))
        if minutes <= 0:
            raise UserError(_("Time must be positive, not {value} min.").format(value=format_number(minutes)))
        if minutes > MAX_MINUTES:
            raise UserError(_("{value} min is more than 24 hours in one entry: split it by days.").format(
                value=format_number(minutes)))  # «60000 мин» (tester J #8), as parse_minutes says it
        values["minutes"] = minutes
    elif measure == "days":
        days = _exact(pricing.parse_decimal(data.days, _("Days")), _("Days"))
        if days <= 0:
            raise UserError(_("Days must be positive, not {value}.").format(value=format_number(days)))
        if days > MAX_DAYS:
            raise UserError(_("{value} days in one entry is more than {max}: split it by months.").format(
                value=format_number(days), max=format_number(MAX_DAYS)))
        values["days"] = days
    else:
        amount = _exact(pricing.parse_decimal(data.amount, _("Amount")), _("Amount"))
        if amount <= 0:
            raise UserError(_("The amount must be positive, not {value}.").format(value=format_money(amount, "RUB")))
        if amount > MAX_AMOUNT:
            raise UserError(_("The amount {value} is more than {max} RUB in one entry.").format(
                value=format_money(amount, "RUB"), max=format_number(MAX_AMOUNT)))
        values["amount"] = amount
    stage = data.stage
    if stage is not None:
        if not isinstance(stage, int) or not Stage.NEW <= stage <= Stage.DONE:
            raise UserError(_("Stage must be a number from 0 to 4, not «{value}».").format(value=str(stage)[:20]))
    return replace(data, note=clean_note(data.note), stage=stage, **values)
