"""How the text of a date field reads: the typing rules of ``ui.dialogs.date_field.DateField``, pure Python (no Qt),
so they are tested and read apart from the widget.

The field shows fixed sections (dd.MM.yyyy HH:mm, blanks ``_`` where nothing is typed); ``read`` takes the text only
as a whole — the date when every section is there and the date exists, else the reason in the user's words (a date
that does not exist is never turned into another one). A two-digit year is 20YY («1.4.26»: 01.04.2026) once the
field is left; while it is typed a year of fewer than four digits is incomplete and not marked. «/», «-», «,» and a
space between sections act as «.» (tester P, items 1, 2, 8). The digits of every script are read as 0–9
(«０２.１２.２０２６», as every number typed: ``app.domain.money.typed_digits``), and a date pasted or typed in a plain
text field may name its month («1 апреля 2026», «01 апр 2026»: ``pasted``, ``typed_date``)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, time

from app.domain.money import typed_digits
from app.i18n import _

DATE = "dd.MM.yyyy"
DATE_TIME = "dd.MM.yyyy HH:mm"
MONTH = "MM.yyyy"
BLANK = "_"
SEPARATORS = "/-, .:"  # typed between sections: each skips to the next one, as «.» does
FIRST_DAY = date(1752, 9, 14)  # QDateEdit's own range
LAST_DAY = date(9999, 12, 31)
_TOKENS = {"dd": "day", "MM": "month", "yyyy": "year", "HH": "hour", "mm": "minute"}


@dataclass(frozen=True)
class Section:
    kind: str  # day, month, year, hour, minute
    start: int
    width: int


def sections(fmt: str) -> list[Section]:
    found, at = [], 0
    for match in re.finditer("|".join(_TOKENS), fmt):
        found.append(Section(_TOKENS[match.group()], match.start(), len(match.group())))
        at = match.end()
    if not found or (at != len(fmt) and re.search(r"[A-Za-z]", fmt[at:])):
        raise ValueError(f"unsupported date format {fmt!r}")
    return found


def pattern(fmt: str) -> str:
    """The format as the user reads it in a message (ДД.ММ.ГГГГ ЧЧ:ММ)."""
    return {DATE: _("DD.MM.YYYY"), DATE_TIME: _("DD.MM.YYYY HH:MM"), MONTH: _("MM.YYYY")}.get(fmt, fmt)


@dataclass(frozen=True)
class Reading:
    """What a typed text says: the date and time when they exist, else the reason («» when all is well)."""
    date: date | None
    time: time | None
    problem: str
    complete: bool  # every section typed (an incomplete text is not marked while it is being typed)


def _year_problem(year: int) -> str:
    """A year a date cannot hold or nobody means (0026: a two-digit year typed with zeros): asked in four digits."""
    example = 2000 + year % 100 if year < 100 else date.today().year
    return _("The year {year:04d} is not possible here: type the year in four digits, e.g. {example}.").format(
        year=year, example=example)


def read(text: str, fmt: str = DATE, minimum: date = FIRST_DAY, maximum: date = LAST_DAY, *,
         typing: bool = False, cut: frozenset[str] = frozenset()) -> Reading:
    """Read ``text`` typed in ``fmt`` (blanks ``_`` or spaces inside a section are ignored: «1_.4_.2026»). A
    two-digit year is the year 20YY, as in Russian forms («1.4.26»: 01.04.2026), and a one-digit day the day
    («1_»: 01) — unless the section is ``cut``: what erasing left of it («06.12.20__» erased from 2027, «1_» from
    16), which is not typed in full and said so, as a year of one or three digits is. ``typing``: the text is still being typed, so a year of
    fewer than four digits (or a lone 0 in a section) is not complete yet, and nothing is said."""
    text = typed_digits(text)  # «０２.１２.２０２６»: one character for one, the sections keep their places
    numbers: dict[str, int] = {}
    incomplete = Reading(None, None, _("Type the date in full: {pattern}.").format(pattern=pattern(fmt)), False)
    for section in sections(fmt):
        digits = text[section.start:section.start + section.width].replace(BLANK, "").strip()
        if not digits.isdigit() or not digits.isascii():
            return incomplete
        if section.kind == "year":
            if typing and len(digits) < 4:
                return incomplete
            if len(digits) in (1, 3) or (len(digits) == 2 and "year" in cut):
                shown = text[section.start:section.start + section.width].replace(" ", BLANK)
                return Reading(None, None, _(
                    "The year is not typed in full ({year}): type it in four digits, e.g. {example}.").format(
                    year=shown, example=date.today().year), False)
            numbers["year"] = int(digits) + (2000 if len(digits) == 2 else 0)
            continue
        if (typing and digits == "0") or (section.kind in cut and len(digits) < section.width):
            return incomplete  # the first of two digits (06) being typed, or one left of two erased
        numbers[section.kind] = int(digits)
    year, month, day = numbers["year"], numbers["month"], numbers.get("day", 1)
    hour, minute = numbers.get("hour", 0), numbers.get("minute", 0)
    if not 1 <= month <= 12:
        return Reading(None, None, _("There is no month {month:02d}: months are 01 to 12.").format(month=month), True)
    if year < 1:
        return Reading(None, None, _year_problem(year), True)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return Reading(None, None, _("There is no date {date}: that month has days 01 to {last:02d}.").format(
            date=f"{day:02d}.{month:02d}.{year:04d}", last=last), True)
    if hour > 23:
        return Reading(None, None, _("There is no hour {hour:02d}: hours are 00 to 23.").format(hour=hour), True)
    if minute > 59:
        return Reading(None, None, _("There is no minute {minute:02d}: minutes are 00 to 59.").format(
            minute=minute), True)
    value = date(year, month, day)
    if value < FIRST_DAY:
        return Reading(None, None, _year_problem(year), True)
    if value < minimum:
        return Reading(None, None, _("The date must not be before {date}.").format(
            date=minimum.strftime("%d.%m.%Y")), True)
    if value > maximum:
        return Reading(None, None, _("The date must not be after {date}.").format(
            date=maximum.strftime("%d.%m.%Y")), True)
    return Reading(value, time(hour, minute), "", True)


def separator_for(fmt: str, at: int, typed: str) -> str | None:
    """What a separator key ``typed`` at position ``at`` of a text in ``fmt`` does: «/», «-», «,» or a space is
    the separator after the cursor («.», « », «:»), which skips to the next section — else the mask took
    «1/4/2026» as 14.20.26 (tester P, item 8). ``typed`` itself when the mask takes it as it is (or it is no
    separator); None when it does nothing: the cursor already stands at a section's start (the mask skipped the
    separator after a full section: «01.»)."""
    if typed == "" or typed not in SEPARATORS:
        return typed
    if 0 < at < len(fmt) and not fmt[at - 1].isalpha():
        return None
    return next((c for c in fmt[at:] if not c.isalpha()), typed)


def _laid(fmt: str, base: str, parts: dict[str, str]) -> str:
    """``base`` (a text in ``fmt``) with the sections named in ``parts`` replaced (digits from the left, blanks
    after)."""
    text = list(base.ljust(len(fmt), BLANK)[:len(fmt)])
    for section in sections(fmt):
        if section.kind in parts:
            text[section.start:section.start + section.width] = parts[section.kind][:section.width].ljust(
                section.width, BLANK)
    return "".join(text)


_YEAR_FIRST = ("year", "month", "day", "hour", "minute")


def year_first(raw: str, fmt: str, base: str) -> tuple[str, int] | None:
    """The keys ``raw`` typed from a field's start as an ISO date (year first: «2026-04-01», «2026.4.1 9:30»): the
    text in ``fmt`` they make over ``base`` and where the cursor goes next; None when ``raw`` is no ISO date (four
    digits and a separator begin one). A section is full at its width and a separator ends it, as in the mask;
    the date's sections not typed yet are blank, the time's keep ``base``."""
    found = re.fullmatch(r"([0-9]{4})[-./](.*)", typed_digits(raw))
    if found is None:
        return None
    kinds = {section.kind: section for section in sections(fmt)}
    order = [kind for kind in _YEAR_FIRST if kind in kinds]
    parts: dict[str, str] = {kind: "" for kind in ("year", "month", "day") if kind in kinds}
    parts["year"], at, current = found[1], 1, ""
    for char in found[2]:
        if char in "0123456789" and at < len(order):
            current += char
            parts[order[at]] = current
            if len(current) == kinds[order[at]].width:
                at, current = at + 1, ""
        elif char in SEPARATORS + "T" and at < len(order):
            if current:  # a separator at a section's start does nothing
                at, current = at + 1, ""
        else:
            return None
    cursor = (kinds[order[at]].start + len(current) if at < len(order)
              else kinds[order[-1]].start + kinds[order[-1]].width)
    return _laid(fmt, base, parts), cursor


_DATE_ISO = r"(?P<year>\d{4})[-./](?P<month>\d{1,2})(?:[-./](?P<day>\d{1,2}))?"
_DATE_RU = r"(?:(?P<day>\d{1,2})[-./, ])?(?P<month>\d{1,2})[-./, ](?P<year>\d{4}|\d{2})"
_TIME = r"(?:(?:\s+|T)(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?)?"
_NAME = r"(?P<name>[^\W\d_]{3,})\.?"
_YEAR_WORD = r"(?:\s*(?:г\.?|года?))?"  # «1 апреля 2026 г.», «… 2026 года»
_DATE_NAMED = (  # «1 апреля 2026», «01 апр. 26», «апрель 2026» (a month field), «April 1, 2026»
    r"(?:(?P<day>\d{1,2})\s+)?" + _NAME + r",?\s+(?P<year>\d{4}|\d{2})" + _YEAR_WORD,
    _NAME + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})" + _YEAR_WORD,
)
# the months' names as written in a date (genitive) and alone (nominative), Russian and English; a word is a month's
# when it begins one of them and no other month's (three letters at least: «мар», «май», «сент.», «Apr»)
_MONTH_NAMES = (("января", "январь", "january"), ("февраля", "февраль", "february"), ("марта", "март", "march"),
                ("апреля", "апрель", "april"), ("мая", "май", "may"), ("июня", "июнь", "june"),
                ("июля", "июль", "july"), ("августа", "август", "august"), ("сентября", "сентябрь", "september"),
                ("октября", "октябрь", "october"), ("ноября", "ноябрь", "november"),
                ("декабря", "декабрь", "december"))


def month_named(word: str) -> int | None:
    """The month (1–12) ``word`` names («апреля», «апр», «Apr.»); None when it names none or several."""
    word = word.lower().rstrip(".")
    found = {number for number, names in enumerate(_MONTH_NAMES, 1) for name in names
             if len(word) >= 3 and name.startswith(word)}
    return found.pop() if len(found) == 1 else None


def _date_parts(clip: str) -> dict[str, str] | None:
    """The sections a whole date written out in ``clip`` gives (year, month, maybe day, hour and minute, as written);
    None when ``clip`` is no such date."""
    text = typed_digits(clip.strip())
    for date_part in (_DATE_ISO, _DATE_RU):
        found = re.fullmatch(date_part + _TIME, text, re.ASCII)
        if found is not None:
            return {kind: value for kind, value in found.groupdict().items() if value is not None}
    for date_part in _DATE_NAMED:
        found = re.fullmatch(date_part + _TIME, text, re.IGNORECASE)
        month = month_named(found["name"]) if found is not None else None
        if found is not None and month is not None:
            parts = {kind: value for kind, value in found.groupdict().items() if value is not None}
            parts["month"] = str(month)
            del parts["name"]
            return parts
    return None


def pasted(clip: str, fmt: str, base: str) -> str | None:
    """A whole date pasted (from a spreadsheet, a CLI, a letter): «2026-04-01», «01.04.2026», «1.4.26», «01/04/2026»,
    «1 апреля 2026», «01 апр 2026», with a time or without — the text in ``fmt`` it makes over ``base`` (a month field
    takes «2026-04», «4.26» and «апрель 2026»; a time not asked for is left out, one not given keeps ``base``'s); None
    when ``clip`` is no such date. The date is laid as typed and read as any typed text: 31.04.2027 is refused, not
    turned into another date."""
    kinds = {section.kind for section in sections(fmt)}
    found = _date_parts(clip)
    if found is None or ("day" in found) != ("day" in kinds):
        return None
    parts = {kind: value.zfill(2) for kind, value in found.items()}
    if len(parts["year"]) == 2:
        parts["year"] = str(2000 + int(parts["year"]))  # 20YY, as ``read`` takes it
    return _laid(fmt, base, {kind: value for kind, value in parts.items() if kind in kinds})


def not_a_date(clip: str) -> bool:
    """``clip`` holds a word (letters) and is no date ``pasted`` reads: pasting it is refused, its digits not poured
    into the sections («1 апреля 2026» unread made «12.02.6», tester R, item 7)."""
    return _date_parts(clip) is None and any(char.isalpha() for char in clip)


def typed_date(text: str, field: str) -> date:
    """A date typed in a plain text field (the card's «Дата договора», a power of attorney's date), read as the date
    fields read it: «1.4.26», «01/04/2026», «２０２６-０４-０１», «1 апреля 2026» as well as «2026-04-01» and «01.04.2026»
    (the card refused what the work log's date took, tester R, item 3); the years and days checked as
    ``app.domain.validation.parse_date`` checks them, its refusals (UserError) naming ``field``."""
    from app.domain.validation import parse_date

    found = _date_parts(text)
    if found is None or "day" not in found or "hour" in found:  # no date, or more than a date: refused as it is
        return parse_date(text, field)
    year = found["year"] if len(found["year"]) == 4 else str(2000 + int(found["year"]))  # 20YY, as ``read``
    return parse_date(f"{found['day'].zfill(2)}.{found['month'].zfill(2)}.{year}", field)
