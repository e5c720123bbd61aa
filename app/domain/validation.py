"""Validation of what the user types: ИНН, КПП, ОГРН, e-mail, phone, dates, one-line and multi-line text.

Identifiers are checked in their normalised form (``app.domain.normalize``): ``inn_error(" ７７０７ ")``
judges ``7707…``; the services store ``normalize_*(value)``, never the text as typed."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache

from app.domain.money import typed_digits
from app.domain.normalize import (
    email_parts,
    normalize_inn,
    normalize_kpp,
    normalize_ogrn,
    phone_parts,
)
from app.errors import UserError
from app.i18n import N_, _, format_number, ngettext

MAX_TEXT = 500
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100

# Characters that are letters for Unicode but print as nothing: Hangul fillers, the braille blank.
FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Unicode categories never allowed in text fields: controls, format characters (zero-width spaces and
# joiners, text-direction marks and overrides, the BOM, the soft hyphen), line/paragraph separators,
# private use and lone surrogates.
_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_FILLER_RE = re.compile("[" + "".join(sorted(FILLERS)) + "]")


def _char_problem(ch: str, *, multiline: bool) -> str | None:
    """``"break"``, ``"tab"``, ``"blank"`` (a letter that prints as nothing), ``"invisible"`` (a format
    character), ``"control"`` or None for one character of a text field."""
    if ch == "\n" and multiline:
        return None
    if ch in _BREAKS:
        return "break"
    if ch == "\t":
        return "tab"
    if ch in FILLERS:
        return "blank"
    category = unicodedata.category(ch)
    if category == "Cf":
        return "invisible"
    if category in ("Cc", "Co", "Cs", "Zl", "Zp"):
        return "control"
    return None


def text_problem(value: str, field: str, *, multiline: bool = False) -> str | None:
    """The Russian message for the first character a text field must not hold, or None.

    One-line fields (names, numbers, positions) refuse line breaks, tabs, control characters (terminal
    escape codes), and the invisible format characters (zero-width space/joiner, bidi marks and
    overrides that reorder what is printed, a BOM). Multi-line fields (notes, reasons) allow line
    breaks only."""
    if value.isprintable() and not _FILLER_RE.search(value):
        # the common case in C: no character of Cc, Cf, Cs, Co, Zl, Zp (nor other separators than the
        # space, nor unassigned ones) and no filler — none of them can hold a problem (a CSV import ran
        # the loop below on every character of every cell: 0.1 ms a row)
        return None
    for ch in value:
        problem = _char_problem(ch, multiline=multiline)
        if problem == "break":
            return _("Field «{field}» must be one line: it contains a line break.").format(field=field)
        if problem == "tab":
            return _("Field «{field}» contains a tab character: use spaces.").format(field=field)
        if problem == "blank":
            return _("Field «{field}» contains a character that prints as nothing (U+{code:04X}: a Hangul filler or "
                     "the braille blank): retype the text.").format(field=field, code=ord(ch))
        if problem == "invisible":
            return _("Field «{field}» contains invisible characters (U+{code:04X}: zero-width, text-direction "
                     "or BOM): retype the text.").format(field=field, code=ord(ch))
        if problem == "control":
            return _("Field «{field}» contains control characters.").format(field=field)
    return None


@cache
def _paper_starts() -> tuple[tuple[int, ...], tuple[int, ...]]:
    from app.domain.paper_glyphs import RANGES

    return tuple(a for a, _b in RANGES), tuple(b for _a, b in RANGES)


def unprintable_char(value: str) -> str | None:
    """The first character of ``value`` the documents' font cannot print (an emoji, a pictograph: a blank box on
    paper), or None; line breaks are not judged here (``text_problem`` does)."""
    if value.isascii():
        return None
    starts, ends = _paper_starts()
    for ch in value:
        code = ord(ch)
        if ch == "\n":
            continue
        i = bisect_right(starts, code) - 1
        if i < 0 or code > ends[i]:
            return ch
    return None


def paper_problem(value: str, field: str) -> str | None:
    """The Russian message for a character of a field that goes on paper (a client's name, a reason, an executor's
    detail) that the documents cannot print, naming it, or None (tester N, item 6: «😀» printed as a box)."""
    ch = unprintable_char(value)
    if ch is None:
        return None
    return _("Field «{field}» contains «{char}» (U+{code:04X}), which documents cannot print: remove or replace "
             "it.").format(field=field, char=ch, code=ord(ch))


def has_visible(value: str) -> bool:
    """True when the text has at least one letter or digit that prints as something."""
    return any(unicodedata.category(ch)[0] in "LN" and ch not in FILLERS for ch in value)


def clean_text(value: str | None, field: str, *, required: bool = False, max_len: int = MAX_TEXT,
               paper: bool = False) -> str:
    """A one-line text field, trimmed: refuses line breaks, tabs, control and invisible characters,
    a required value without a visible letter or digit, and overlong values (UserError, Russian); with ``paper``
    (a field printed on documents) also a character the documents' font cannot print."""
    text = (value or "").strip()
    if required and not text:
        raise UserError(_("Field «{field}» is required.").format(field=field))
    problem = text_problem(text, field) or (paper_problem(text, field) if paper else None)
    if problem:
        raise UserError(problem)
    if required and not has_visible(text):
        raise UserError(_("Field «{field}» has no visible letters or digits.").format(field=field))
    _check_length(text, field, max_len)
    return text


def clean_multiline(value: str | None, field: str, *, required: bool = False, max_len: int = 10_000,
                    paper: bool = False) -> str:
    """A multi-line text field (notes, reasons): line breaks kept (``\\r\\n`` and ``\\r`` become
    ``\\n``), everything else that ``clean_text`` refuses refused too (``paper``: as there)."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not text:
        raise UserError(_("Field «{field}» is required.").format(field=field))
    problem = text_problem(text, field, multiline=True) or (paper_problem(text, field) if paper else None)
    if problem:
        raise UserError(problem)
    if required and not has_visible(text):
        raise UserError(_("Field «{field}» has no visible letters or digits.").format(field=field))
    _check_length(text, field, max_len)
    return text


def clean_reason(value: str | None, field: str, *, required: bool = False, max_len: int = 10_000,
                 paper: bool = False) -> str:
    """A reason (a void's, a stage move's, a sign-off «с замечаниями»): ``clean_multiline``, its lines kept as
    lines but each trimmed of edge spaces, blank lines dropped: what is printed line by line and listed on one
    line as «a / b» has no empty parts."""
    text = "\n".join(line.strip() for line in (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
                     if line.strip())
    return clean_multiline(text, field, required=required, max_len=max_len, paper=paper)


def _check_length(text: str, field: str, max_len: int) -> None:
    if len(text) > max_len:
        raise UserError(
            ngettext("Field «{field}» is too long: {n} character, at most {max} allowed.",
                     "Field «{field}» is too long: {n} characters, at most {max} allowed.", len(text)).format(
                field=field, n=format_number(len(text)), max=format_number(max_len)
            )
        )


# ------------------------------------------------------------------ identifiers


def inn_error(inn: str | None) -> str | None:
    """None when ``inn`` (normalised: full-width digits, spaces and dashes allowed) is a Russian ИНН
    that can exist: 10 digits for a company, 12 for a person, right check digits (python-stdnum), and

    - not starting with ``00``: the first two digits are the code of the region whose tax office
      assigned the number (01–99); no region has the code 00. This also refuses ``0000000000`` and
      ``000000000000``, which pass the checksum because every weighted sum of zeros is zero.
    """
    from stdnum import exceptions
    from stdnum.ru import inn as stdnum_inn

    value = normalize_inn(inn)
    if not value:
        return _("INN is required.")
    if not (value.isascii() and value.isdigit()):
        return _("INN must contain digits only.")
    if len(value) not in (10, 12):
        return _("INN must have 10 or 12 digits.")
    try:
        stdnum_inn.validate(value)
    except exceptions.ValidationError:
        return _("INN {inn} has a wrong check digit.").format(inn=value)
    if value.startswith("00"):
        return _("INN {inn} cannot exist: no region has the code 00.").format(inn=value)
    return None


def validate_inn(inn: str | None) -> str:
    """The normalised ИНН, or UserError with the message of ``inn_error``."""
    error = inn_error(inn)
    if error:
        raise UserError(error)
    return normalize_inn(inn)


def kpp_error(kpp: str | None, inn: str | None = None) -> str | None:
    """None for an empty КПП or one that can exist. A КПП is NNNN PP XXX (ФНС):

    - NNNN, the tax office that registered the company: digits, the region (first two) not ``00``;
    - PP, the reason of the registration: digits or, since 2019, capital Latin letters; ``00`` is no
      reason (codes start at 01);
    - XXX, the serial number of registrations for that reason: digits, starting at 001, never ``000``.

    So ``000000000`` is refused. With ``inn`` of 12 digits (an individual entrepreneur) any КПП is
    refused: the tax office assigns КПП to organisations only."""
    if not kpp:
        return None
    value = normalize_kpp(kpp)
    if not value:
        return None
    shape = (len(value) == 9 and value.isascii() and value[:4].isdigit() and value[6:].isdigit()
             and all(c.isdigit() or "A" <= c <= "Z" for c in value[4:6]))
    if not shape:
        return _("KPP must have 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits.")
    if value.startswith("00") or value[4:6] == "00" or value[6:] == "000":
        return _("KPP {kpp} cannot exist: the region, the reason code and the serial number start at 01, 01 "
                 "and 001.").format(kpp=value)
    if inn is not None and len(normalize_inn(inn)) == 12:
        return _("An individual entrepreneur (12-digit INN) has no KPP: leave it empty.")
    return None


def bank_key_ok(digits: str) -> bool:
    """Whether 23 digits — a settlement account's 20 after the last 3 of the bank's BIK, or a correspondent
    account's 20 after «0» and the BIK's 5th and 6th digits — pass the Bank of Russia's control key (weights 7, 1, 3
    repeated; the sum of the products ends in 0: «Порядок расчёта контрольного ключа в номере лицевого счёта»,
    Положение Банка России № 579-П). False for anything but 23 ASCII digits."""
    if len(digits) != 23 or not (digits.isascii() and digits.isdigit()):
        return False
    return sum(int(d) * (7, 1, 3)[i % 3] for i, d in enumerate(digits)) % 10 == 0


def ogrn_error(ogrn: str | None) -> str | None:
    """None for an empty ОГРН or a valid ОГРН (13 digits) / ОГРНИП (15 digits): check digit by
    python-stdnum, and a first digit that names a kind of record (1 or 5 for ОГРН of a company,
    3 for ОГРНИП; ФНС uses 2 and 4 for other records, never in an ОГРН), so ``0000000000000`` is refused."""
    if not ogrn:
        return None
    from stdnum import exceptions
    from stdnum.ru import ogrn as stdnum_ogrn

    value = normalize_ogrn(ogrn)
    if not (value.isascii() and value.isdigit() and len(value) in (13, 15)):
        return _("OGRN must have 13 digits (OGRNIP 15).")
    if (len(value) == 13 and value[0] not in "15") or (len(value) == 15 and value[0] != "3"):
        return _("OGRN {ogrn} cannot exist: it must start with 1 or 5 (OGRNIP with 3).").format(ogrn=value)
    try:
        stdnum_ogrn.validate(value)
    except exceptions.ValidationError:
        return _("OGRN {ogrn} has a wrong check digit.").format(ogrn=value)
    return None


def email_error(email: str | None) -> str | None:
    """None for an empty e-mail or one with a valid syntax (email-validator, no DNS look-up)."""
    if not email or not email.strip():
        return None
    value, valid = email_parts(email)  # one validation, shared with the stored form (normalize_email)
    problem = text_problem(value, "E-mail")
    if problem:
        return problem
    if not valid:
        return _("E-mail address {value} is not valid.").format(value=value[:60])
    return None


def phone_error(phone: str | None) -> str | None:
    """None for an empty phone or a number the ``phonenumbers`` library knows as valid, written in any
    common form (``8 (495) 123-45-67``, ``+7 495 1234567``, ``+375 29 123-45-67``, ``… доб. 12``);
    a local number without the area code (``123-45-67``) is refused."""
    if not phone or not phone.strip():
        return None
    text = phone.strip()
    problem = text_problem(text, _("Phone"))
    if problem:
        return problem
    if not phone_parts(text)[1]:  # one parse, shared with the stored form (normalize_phone)
        return _("Phone number {value} is not valid: type it with the area code, e.g. +7 495 123-45-67 "
                 "or 8 (495) 123-45-67.").format(value=text[:40])
    return None


# ------------------------------------------------------------------ dates


_DOTTED = re.compile(r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}")


def _date_formats(value: str) -> tuple[str, ...]:
    """The formats to try, the likely one alone: a failed ``strptime`` costs as much as a parse (a CSV import
    of «15.03.2026» dates tried ISO first on every row)."""
    return ("%d.%m.%Y",) if _DOTTED.fullmatch(value) else ("%Y-%m-%d", "%d.%m.%Y")


MONTHS_IN = (N_("in January"), N_("in February"), N_("in March"), N_("in April"), N_("in May"), N_("in June"),
             N_("in July"), N_("in August"), N_("in September"), N_("in October"), N_("in November"),
             N_("in December"))
_NUMERIC_DAY = re.compile(r"(?:(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
                          r"|(?P<d2>[0-9]{1,2})\.(?P<m2>[0-9]{1,2})\.(?P<y2>[0-9]{4}))(?:[ T].*)?")


def no_such_day(text: str, field: str) -> str | None:
    """Why a date written in the right form does not exist — «Поле «начало»: неверная дата 29.02.2027: в феврале 2027
    года 28 дней.» — or None when the form is not a date's or the day exists (the caller says what it says). The
    form was blamed for it: «не дата и время (ожидается ГГГГ-ММ-ДД ЧЧ:ММ)» for 2027-02-29 (tester K)."""
    import calendar

    found = _NUMERIC_DAY.fullmatch(typed_digits((text or "").strip()))
    if found is None:
        return None
    year = int(found.group("y") or found.group("y2"))
    month = int(found.group("m") or found.group("m2"))
    day = int(found.group("d") or found.group("d2"))
    if not 1 <= month <= 12:
        typed = (text or "").strip().split()[0]  # as typed: «32.13.2026» was said as «месяца 13 нет» alone
        return _("Field «{field}»: there is no date {date}: there is no month {month}, months are 01 to 12.").format(
            field=field, date=typed, month=month)
    days = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if 1 <= day <= days:
        return None
    shown = f"{day:02d}.{month:02d}.{year:04d}"
    return ngettext("Field «{field}»: there is no {date}: {in_month} {year} there is {n} day.",
                    "Field «{field}»: there is no {date}: {in_month} {year} there are {n} days.", days).format(
        field=field, date=shown, in_month=_(MONTHS_IN[month - 1]), year=year, n=days)


def parse_date(text: str, field: str) -> date:
    """Parse YYYY-MM-DD or DD.MM.YYYY, in the digits of any script («２０２６-１２-０１», as every number typed:
    ``typed_digits``); refuse impossible dates such as 2024-02-30 and years outside 1990–2100."""
    value = (text or "").strip()
    digits = typed_digits(value)
    for fmt in _date_formats(digits):
        try:
            parsed = datetime.strptime(digits, fmt).date()
        except ValueError:
            continue
        if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            raise UserError(_("Field «{field}»: {date} is outside the years this program accepts "
                              "({first}–{last}); check the year.").format(
                field=field, date=day_text(parsed), first=EARLIEST_YEAR, last=LATEST_YEAR))
        return parsed
    missing = no_such_day(value, field)
    if missing is not None:
        raise UserError(missing)
    raise UserError(
        _("Field «{field}»: «{value}» is not a valid date (expected YYYY-MM-DD or DD.MM.YYYY).").format(
            field=field, value=value[:40]
        )
    )


def day_text(day: date) -> str:
    """A date as documents and messages write it, «01.01.0001» too (strftime wrote year 1 as «01.01.1»)."""
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


EARLIEST_DONE = date(2000, 1, 1)  # the first day a tick or a lesson may be dated (as entries and events)


def check_not_future(day: date, today: date, field: str) -> date:
    """``day`` unless it is after ``today`` (a thing done cannot be dated tomorrow) or before EARLIEST_DONE (a tick
    of 01.01.1990 was taken while entries, events and questions refuse dates before 2000): UserError."""
    if day > today:
        raise UserError(_("Field «{field}»: {date} is in the future; something done is dated today or "
                          "earlier.").format(field=field, date=day_text(day)))
    if day < EARLIEST_DONE:
        raise UserError(_("Field «{field}»: {date} is too early: marks are dated from 2000.").format(
            field=field, date=day_text(day)))
    return day


def joined(messages: Iterable[str], *, after_colon: bool = False) -> str:
    """Several refusals of one row as one line: each message's closing full stop dropped before «; » (they read
    «обязательно.; Неизвестный подход…»), each after the first begun in lower case (``mid_sentence``), the first
    too when the line follows a colon (``after_colon``), one full stop at the end; '' for none."""
    parts = [m.strip().rstrip(".") for m in messages if m and m.strip()]
    parts = [part if i == 0 and not after_colon else mid_sentence(part) for i, part in enumerate(parts)]
    return "; ".join(parts) + ("." if parts else "")


def mid_sentence(text: str) -> str:
    """A sentence as it reads inside another one (after «; » or «: »): its first letter in lower case, unless its
    first word is an abbreviation (ИНН, КПП) — «ещё нет: поле «Наименование» обязательно»."""
    word = text.split(" ", 1)[0]
    if len(word) > 1 and word[1].isupper():
        return text
    return text[:1].lower() + text[1:]
