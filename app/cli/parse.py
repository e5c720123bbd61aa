"""One parser for every id, number, year and client reference typed on the command line.

Python's ``str.isdigit()`` is true for ``²`` and ``int()`` accepts Arabic-Indic ``٣``; SQLite stores
at most 2**63 - 1. Every command therefore reads numbers here: decimal digits, inside a range, with one
Russian sentence when they are not. The decimal digits of other scripts (full-width «１２０», as an IME
types them) are read as 0–9 (``app.domain.money.typed_digits``), as dates and times are; look-alikes
that are no decimal digits (``²``, ``③``) are refused. The functions raise ``argparse.ArgumentTypeError`` when
used as an argparse ``type=`` (``*_arg`` helpers) and ``UserError`` otherwise."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from app.domain.money import GROUP_SPACES, typed_digits
from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import _

MAX_ID = 2**63 - 1  # SQLite INTEGER and PostgreSQL BIGINT
_INT = re.compile(r"[+-]?[0-9]+")
# no exponent: «1e3» for a sum of money or a number of days is a slip, not a person's way of writing 1 000
# (spaces: those between groups of digits; where they stand is parse_decimal's to judge, and to explain)
_DECIMAL = re.compile(r"[+-]?(?:[0-9][0-9" + GROUP_SPACES + r"]*(?:[.,][0-9]*)?|[.,][0-9]+)")


def _prefix(field: str) -> str:
    return f"{field}: " if field else ""


def parse_int(text: str | int, field: str, *, lo: int = 0, hi: int = MAX_ID) -> int:
    """An integer written with decimal digits (an optional sign), ``lo <= value <= hi``; UserError otherwise."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        raw = typed_digits(str(text).strip())
        if not _INT.fullmatch(raw):
            raise UserError(_prefix(field) + _("«{value}» is not a whole number written with the digits 0–9.").format(
                value=raw[:40]))
        if len(raw.lstrip("+-")) > 30:
            raise UserError(_prefix(field) + _("the number {value}… is out of range: from {lo} to {hi}.").format(
                value=raw[:20], lo=lo, hi=hi))
        value = int(raw)
    if not lo <= value <= hi:
        raise UserError(_prefix(field) + _("the number {value} is out of range: from {lo} to {hi}.").format(
            value=str(value)[:30], lo=lo, hi=hi))
    return value


def parse_id(text: str | int, what: str) -> int:
    """A record number: 1 … 2**63 - 1 in decimal digits."""
    return parse_int(text, what, lo=1, hi=MAX_ID)


def parse_client_ref(text: str) -> str:
    """CLIENT as typed: an id (decimal digits, 1…2**63-1, not 10 or 12 of them) or an ИНН (10 or 12 digits,
    full-width digits and spaces allowed and normalised). Returns the reference for ``find_client``."""
    from app.domain.normalize import normalize_inn

    raw = str(text).strip()
    digits = typed_digits(raw)  # «٣» is client 3, as «７７０７…» is an ИНН
    if digits.isascii() and digits.isdigit() and len(digits) not in (10, 12):
        return str(parse_id(digits, _("Client number")))
    inn = normalize_inn(raw)
    if inn.isascii() and inn.isdigit() and len(inn) in (10, 12):
        return inn
    raise UserError(_("«{value}» is neither a client number nor an INN: type the number or the INN with the "
                      "digits 0–9.").format(value=in_quotes(raw[:40])))


def parse_decimal_text(text: str, field: str) -> Decimal:
    """A decimal number (``2,5``, ``2.5``, ``7 000``, full-width ``１２０``); UserError otherwise."""
    # EN_GROUPED: English «1,500.50» too
    from app.domain.money import EN_GROUPED, odd_space, odd_space_refusal, parse_decimal

    raw = str(text).strip()
    if (ch := odd_space(raw)) is not None:  # «1 000» with an en space looks like a number: say what is wrong
        raise odd_space_refusal(raw, ch, field)
    digits = typed_digits(raw)  # «１２０» is 120, as parse_decimal reads it (r13)
    if digits and not (_DECIMAL.fullmatch(digits) or EN_GROUPED.fullmatch(digits)):
        raise UserError(_prefix(field) + _("«{value}» is not a number written with the digits 0–9.").format(
            value=raw[:40]))
    return parse_decimal(raw, field)


def check_ascii_digits(text: str, field: str) -> str:
    """``text`` with the decimal digits of other scripts (full-width ``７``, ``٣``) as 0–9, unless it has characters
    that only look like digits (``²``, ``③``), which Python's regular expressions and ``int()`` would otherwise
    take for numbers or fail on."""
    text = typed_digits(str(text))
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        raise UserError(_prefix(field) + _("«{value}» has characters that look like digits: type the digits "
                                           "0–9.").format(value=str(text)[:40]))
    return text


def _argtype(parse: Callable[[str], object], name: str) -> Callable[[str], object]:
    def convert(text: str):
        try:
            return parse(text)
        except UserError as exc:
            raise argparse.ArgumentTypeError(exc.message) from None

    convert.__name__ = name  # argparse names the type in its fallback message
    return convert


def client_arg(text: str) -> str:
    """argparse type of a CLIENT argument."""
    return _argtype(parse_client_ref, "client")(text)  # type: ignore[return-value]


def id_arg(what: str) -> Callable[[str], object]:
    """argparse type of a record number (argparse names the argument in the message)."""
    return _argtype(lambda text: parse_id(text, ""), "id")


def int_arg(field: str, lo: int, hi: int) -> Callable[[str], object]:
    """argparse type of a whole number from ``lo`` to ``hi``."""
    return _argtype(lambda text: parse_int(text, "", lo=lo, hi=hi), "int")


def decimal_arg(field: str) -> Callable[[str], object]:
    """argparse type of a decimal given as text (kept as text; the service parses it again)."""
    def check(text: str) -> str:
        parse_decimal_text(text, "")
        return text

    return _argtype(check, "decimal")


def ascii_digits_arg(field: str) -> Callable[[str], object]:
    """argparse type of text that may hold numbers (a time such as ``1:30``): digits 0–9 only."""
    return _argtype(lambda text: check_ascii_digits(text, ""), "text")


def output_with_suffix(path: str, suffix: str) -> Path:
    """The output file ``path`` when its name ends with ``suffix`` («.xlsx», «.pdf»); UserError otherwise (an act
    written as «x.txt» was a PDF that no viewer opened by its name)."""
    target = Path(path.rstrip())  # «y.pdf » typed with a trailing space is «y.pdf»
    # «.pdf» alone (its suffix is empty, said as «must end with .pdf»), « .pdf» or «акты/ .pdf» (a file named by a
    # space, which no file manager shows as a name): a name before the suffix is asked for
    if target.name.lower()[: -len(suffix)].strip() == "" and target.name.lower().endswith(suffix):
        raise UserError(_("Give the file a name before {suffix}: «{path}».").format(suffix=suffix, path=path))
    if target.suffix.lower() != suffix:
        raise UserError(_("The file name must end with {suffix}: «{path}».").format(suffix=suffix, path=path))
    return target
