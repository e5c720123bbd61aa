"""Money and quantities as documents need them: Decimal, two places, half up; what a person typed, parsed."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.errors import UserError
from app.i18n import _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ONE = Decimal("1.00")
MINUTES_PER_HOUR = Decimal(60)


def money(value: Decimal | int | str) -> Decimal:
    """Round to kopecks, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def two_places(value: Decimal | int | str) -> Decimal:
    """Quantities (hours, days) are kept with two decimals, like money."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
# «1,500» / «1,500.50» as English writes thousands (the English window shows «RUB1,500.50»): read with commas as
# groups in the English interface, where they were a decimal comma and made 1 500 ₽ into 1,50 ₽ (tester H)
EN_GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?")  # «0,500» is a half, not 500


# the spaces people put between groups of three digits: a space, NBSP, narrow NBSP (babel's), and what Word and 1С
# paste — thin (U+2009), figure (U+2007) and punctuation (U+2008) spaces; a thin-space «1 000» was «не время» while it
# looks exactly like the accepted «1 000» (tester J)
GROUP_SPACES = " \u00a0\u202f\u2009\u2007\u2008"
_SPACE = "[" + GROUP_SPACES + "]"
# a whole number in groups of three digits, as the Russian interface writes it («1 000», with one of GROUP_SPACES)
# and, in the English interface, «1,000»: a first group of 1–3 digits not starting with 0, then whole groups
_GROUPS = r"[1-9][0-9]{0,2}(?:" + _SPACE + r"[0-9]{3})+"
_GROUPED_INT = re.compile(r"(?<![0-9.,])" + _GROUPS + r"(?![0-9])")
_EN_GROUPED_INT = re.compile(r"(?<![0-9.,])[1-9][0-9]{0,2}(?:,[0-9]{3})+(?![0-9.,])")
# a number whose whole part is written so, a fraction after it: the only place a typed number may hold spaces
_GROUPED_NUMBER = re.compile(r"[+-]?" + _GROUPS + r"(?:[.,][0-9]*)?")


_WIDE_SIGNS = str.maketrans({"：": ":", "，": ",", "．": ".", "－": "-", "＋": "+"})


def typed_digits(text: str) -> str:
    """``text`` with the decimal digits of every script (full-width «１２０», Arabic-Indic «١٢٠» …) as ASCII ones and
    full-width «：，．－＋» as ASCII signs: an IME types them (tester O, round 11), as the ИНН's full-width digits are
    read (app.domain.normalize). Superscript and circled digits are no decimal digits: they stay, to be refused.
    Every number a person types goes through here first (``parse_decimal``, ``parse_minutes``, the command line's
    ``app.cli.parse``, the lesson plan's cells), so no field takes «１２０» while its neighbour refuses it."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch
                   for ch in text).translate(_WIDE_SIGNS)


def ungrouped(text: str) -> str:
    """``text`` with each whole number written in groups of three digits as plain digits: «1 000 мин» → «1000 мин»
    (``parse_decimal`` takes «7 000» the same way; «1 000» minutes were refused, tester H). In the English interface
    «1,000» too, as ``EN_GROUPED``. Anything else — «1 0», «1 0000», «0 500» — is left as typed, for the caller to
    refuse."""
    text = _GROUPED_INT.sub(lambda m: re.sub(_SPACE, "", m.group()), text)
    if "," in text and _english():
        text = _EN_GROUPED_INT.sub(lambda m: m.group().replace(",", ""), text)
    return text


def without_group_spaces(text: str) -> str:
    """``text`` with every one of ``GROUP_SPACES`` taken out."""
    return re.sub(_SPACE, "", text)


def odd_space(text: str) -> str | None:
    """The first space character in ``text`` that is none of ``GROUP_SPACES`` (a tab, an en or em space), which a
    number never holds; None when there is none."""
    return next((ch for ch in text if ch.isspace() and ch not in GROUP_SPACES), None)


def odd_space_refusal(raw: str, ch: str, field_name: str = "") -> UserError:
    """The refusal of a number typed with the space ``ch`` that it may not hold: it looks like an ordinary space, so
    the message names it."""
    if ch in LINE_BREAKS or ch == "\t":  # not «a space»: a pasted column or table (tester N, item 8)
        said = (_("«{value}» is not a number: it holds a line break; type one number on one line.") if ch != "\t"
                else _("«{value}» is not a number: it holds a tab character; type one number."))
        if field_name:
            said = _("Field «{field}»: {problem}").format(field=field_name, problem=said)
        from app.domain.printable import printable

        return UserError(said.format(value=printable(raw[:40])))
    said = _("«{value}» is not a number: it holds an unusual space character ({code}); type an ordinary space.")
    if field_name:
        said = _("Field «{field}»: «{value}» is not a number: it holds an unusual space character ({code}); type an "
                 "ordinary space.")
    return UserError(said.format(field=field_name, value=raw[:40], code=f"U+{ord(ch):04X}"))


LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def parse_decimal(text: str | Decimal | int | None, field_name: str) -> Decimal:
    """A finite decimal typed by a person: ``2,5``, ``2.5``, ``7 000``, ``1 234 567,89``; in the English interface
    also ``1,500`` and ``1,500.50`` (commas between groups of three digits; elsewhere a comma is the decimal mark, as
    in Russian); refuses garbage, NaN, infinity, an exponent («1e3»: an accountant's sum is written out) and spaces
    anywhere but between groups of three digits («1 0,5», «0 500», «10 00»). UserError in Russian naming the field."""
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        typed = ("" if text is None else str(text)).strip()  # what a refusal quotes
        if (ch := odd_space(typed)) is not None:
            raise odd_space_refusal(typed, ch, field_name)
        raw = typed_digits(typed)  # «１２０» as «120», as the date and the time beside it (r13)
        cleaned = without_group_spaces(raw)
        if cleaned != raw and not _GROUPED_NUMBER.fullmatch(raw):  # «1 0,5» was 10,5 (a fresh helper, 2026-12-05)
            said = _("«{value}» is not a number: spaces go only between groups of three digits, as in 1 000 000,50.")
            if field_name:  # the command line names its option itself
                said = _("Field «{field}»: «{value}» is not a number: spaces go only between groups of three "
                         "digits, as in 1 000 000,50.")
            raise UserError(said.format(field=field_name, value=typed[:40]))
        if EN_GROUPED.fullmatch(cleaned) and _english():
            cleaned = cleaned.replace(",", "")
        cleaned = cleaned.replace(",", ".")
        if not cleaned:
            return ZERO
        try:  # digits and one decimal point only: Decimal would also take «1e3», «1_000» and «Infinity»
            value = Decimal(cleaned) if _PLAIN.fullmatch(cleaned) else Decimal("NaN")
        except InvalidOperation:
            value = Decimal("NaN")
    if not value.is_finite():
        raw = str(text).strip()
        if EN_GROUPED.fullmatch(without_group_spaces(typed_digits(raw))):  # «1,234.56» in the Russian interface
            said = _("«{value}» is not a number: the decimal mark is a comma and the groups of digits are parted by "
                     "spaces, as in 1 234,56.")
        else:
            said = _("«{value}» is not a number.")
        if field_name:  # the command line names its option itself: never «Поле «»» (tester N, item 8)
            said = _("Field «{field}»: {problem}").format(field=field_name, problem=said)
        raise UserError(said.format(value=raw[:40]))
    return value


def _english() -> bool:
    from app.i18n import language

    return language() == "en"


def hours_of(minutes: int) -> Decimal:
    """The one figure of hours shown for a set of entries: their billed minutes summed first, then / 60,
    two places, half up (190 min → 3,17 h). The work log, its totals, the act, the stage sheet and the
    progress report all call this on the same sum, so they never disagree (3,17 h vs 3,16 h)."""
    return two_places(Decimal(int(minutes)) / MINUTES_PER_HOUR)


def rate_text(rate: Decimal) -> str:
    """A percentage as documents print it: 20 · 16,67 · 0,5 (decimal comma, no trailing zeros)."""
    text = format(Decimal(rate).quantize(CENT).normalize(), "f")
    return text.replace(".", ",")


def amount_in_words(value: Decimal | str) -> str:
    """Двадцать шесть тысяч двести пятьдесят рублей 00 копеек (num2words, kopecks as digits).

    The sum in words an act and an estimate state (built into their snapshots by the services, printed by
    app.reports). Raises ValueError for a negative amount."""
    from num2words import num2words

    number = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    if number < 0:
        raise ValueError("amount in words needs a non-negative amount")
    text = num2words(number, lang="ru", to="currency", currency="RUB", cents=False, separator="")
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]
