"""Text and identifier normalisation: one place for search, duplicate checks and import.

Two families of functions live here, both pure and without database or Qt:

- ``fold`` / ``search_tokens`` / ``search_digits`` turn what a Russian user types into a comparison
  key: letter case, ё/е, the many quote and dash characters, invisible and doubled spaces, full-width
  digits. The client list builds its search text with ``fold`` and the search box splits the query
  with ``search_tokens``, so «зеленый» finds «ООО «Зелёный сад»» and «петр» finds «Фёдоров Пётр».
- ``normalize_inn`` / ``normalize_kpp`` / ``normalize_ogrn`` / ``normalize_phone`` /
  ``normalize_email`` give the one stored spelling of an identifier, so that ``７７０７０８３８９３``,
  ``7707 083 893`` and ``7707083893`` are the same ИНН for the duplicate check. They never validate:
  ``app.domain.validation`` checks the normalised form they return.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Quotes people and word processors use around company names: «» „“ “” ‘’ ‚‘ ‹› "" '' and primes.
QUOTES = "«»„“”‟‘’‚‛‹›\"'`´″′＂＇"
# Hyphen-like characters: hyphen, non-breaking hyphen, figure dash, en/em dash, horizontal bar, minus.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043"
# Characters with no glyph that sneak in from Word, web pages and messengers (dropped by ``fold``).
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"

_QUOTE_TABLE = {ord(c): " " for c in QUOTES}
_DASH_TABLE = {ord(c): "-" for c in DASHES}
_INVISIBLE_TABLE = {ord(c): None for c in INVISIBLE}
# the same three replacements as character classes: one C-level scan each, ~20× faster than str.translate
# with a dict table on Cyrillic text (the client list folds the search text of every client on a reload)
_QUOTE_RE = re.compile(f"[{re.escape(QUOTES)}]")
_DASH_RE = re.compile(f"[{re.escape(DASHES)}]")
_INVISIBLE_RE = re.compile(f"[{re.escape(INVISIBLE)}]")
_ODD_RE = re.compile(f"[{re.escape(QUOTES + DASHES + INVISIBLE)}]")
# separators people put inside an identifier: spaces of every kind, dashes, dots, slashes, underscores
_ID_SEPARATORS = re.compile(r"[\s\-./_]+")


def fold(text: str | None) -> str:
    """The comparison key of free text: NFKC (full-width letters and digits, ligatures, NBSP become
    plain), case folded, «ё» as «е», quotes as spaces, every dash as «-», invisible characters dropped,
    runs of white space as one space, trimmed.

    >>> fold("ООО «Зелёный  сад»")
    'ооо зеленый сад'
    """
    if not text:
        return ""
    # «№» first as NFKC maps it («No»): NFKC then finds most text already normal (a full pass is ~60× slower);
    # str.split() splits at what ``\s`` matches (str.isspace), and is faster than a regex
    value = unicodedata.normalize("NFKC", text.replace("№", "No")).casefold().replace("ё", "е")
    # the guillemets of nearly every company name by str.replace; the three scans only for what is left (a
    # client's search text: 18 → 12 ms for 5 000 texts). None of these characters is changed by casefold.
    value = value.replace("«", " ").replace("»", " ")
    if _ODD_RE.search(value) is not None:
        value = _DASH_RE.sub("-", _QUOTE_RE.sub(" ", _INVISIBLE_RE.sub("", value)))
    return " ".join(value.split())


# what separates the words of a query besides spaces: dashes («Кубань-Агромаш» finds «Кубань Агромаш» and back: the
# words are looked for apart) and commas — the list shows «Ромашка, ООО» (ui.models.names.list_name), and that text
# typed back found nothing (tester K, 2026-12-05)
_QUERY_SEPARATORS = str.maketrans({"-": " ", ",": " ", ";": " "})


def search_tokens(query: str | None) -> tuple[str, ...]:
    """The words of a search query, each folded as ``fold``, split at spaces, dashes and commas: a row matches when
    its search text contains all of them.

    >>> search_tokens("Кубань-Агромаш"), search_tokens("Ромашка, ООО")
    (('кубань', 'агромаш'), ('ромашка', 'ооо'))
    """
    return tuple(fold(query).translate(_QUERY_SEPARATORS).split())


def search_digits(query: str | None) -> str:
    """The digits of a query typed as a phone number or an identifier (``8 (495) 123-45-67``,
    ``+7 495 123 45 67``, ``7707 083 893``), for matching against digits-only text; "" when the query
    is not such a number (fewer than three digits, or letters in it).

    A Russian phone number written nationally (``8…``) or internationally (``+7…``, ``7…`` with 11
    digits) gives its 10-digit national number, so every spelling finds the same stored phone."""
    value = unicodedata.normalize("NFKC", query or "").strip()
    compact = re.sub(r"[\s()\-+.]", "", value.translate(_DASH_TABLE))
    if len(compact) < 3 or not compact.isascii() or not compact.isdigit():
        return ""
    if value.startswith("+7") or (len(compact) == 11 and compact[0] in "78"):
        return compact[1:]
    if value.startswith("8") and len(compact) > 1 and value[1:2] in " (-":
        return compact[1:]  # «8 (495…» being typed: the trunk prefix is not part of the number
    return compact


def _ascii_digit(ch: str) -> str:
    """A decimal digit of any script (Arabic-Indic ``٣``, Devanagari …) as its ASCII digit."""
    return str(unicodedata.decimal(ch)) if not ch.isascii() and unicodedata.category(ch) == "Nd" else ch


def _not_a_digit(ch: str) -> str:
    """``ch`` itself, or ``?`` for a character that looks like a digit without being one: superscript
    ``¹``, subscript ``₂``, circled ``③`` (NFKC would turn them into plain digits and a typo would pass)."""
    if not ch.isdecimal() and unicodedata.digit(ch, None) is not None:
        return "?"
    return ch


@lru_cache(maxsize=8192)  # pure: an import normalises each ИНН three times (its check, the КПП's, the stored form)
def _identifier(value: str | None) -> str:
    """NFKC (full-width ``７`` → ``7``), decimal digits of every script as ASCII, separators removed,
    Latin letters upper-cased. Superscript, subscript and circled digits become ``?`` so that the
    validator refuses them instead of reading ``7707¹`` as ``77071``."""
    raw = "".join(_not_a_digit(ch) for ch in (value or ""))
    text = unicodedata.normalize("NFKC", raw).translate(_INVISIBLE_TABLE).translate(_DASH_TABLE)
    return "".join(_ascii_digit(ch) for ch in _ID_SEPARATORS.sub("", text)).upper()


def normalize_inn(value: str | None) -> str:
    """ИНН as stored: ASCII digits only — ``７７０７０８３８９３`` and ``7707 083 893`` become ``7707083893``.
    Text that is not digits is returned cleaned of separators for the validator to refuse."""
    return _identifier(value)


# Cyrillic capitals drawn as Latin ones: a КПП's letters (positions 5–6, since 2019) are Latin, and a Russian
# keyboard types «АВ» for «AB» (a tester, 2026-12-05)
_KPP_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")


def normalize_kpp(value: str | None) -> str:
    """КПП as stored: 9 characters, ASCII digits and capital Latin letters (positions 5–6 may be letters
    since 2019), separators removed; a Cyrillic capital drawn as a Latin one («А», «В», «Е», «К», «М», «Н», «О»,
    «Р», «С», «Т», «У», «Х», either case) is that Latin letter (ФНС writes the letters in Latin, приказ ФНС
    от 29.06.2012 № ММВ-7-6/435@)."""
    return _identifier(value).translate(_KPP_LOOKALIKES)


def normalize_ogrn(value: str | None) -> str:
    """ОГРН/ОГРНИП as stored: ASCII digits only."""
    return _identifier(value)


def normalize_phone(value: str | None) -> str:
    """A phone as stored: the international format of the ``phonenumbers`` library (``+7 495 123-45-67``,
    ``+375 29 123-45-67``), with `` доб. N`` for an extension. Every national and international spelling
    of one number gives the same text (``8 (495) 123-45-67``, ``+7 495 1234567``, ``84951234567``),
    so the stored form is also the duplicate key. Text that cannot be parsed comes back trimmed and
    NFKC-normalised, for the validator to refuse."""
    return phone_parts(value)[0]


@lru_cache(maxsize=4096)  # pure and slow (~0.1 ms): validation and storing read the same cell
def phone_parts(value: str | None) -> tuple[str, bool]:
    """``(normalize_phone(value), whether phonenumbers knows the number as valid)`` from one parse: the
    validator (``validation.phone_error``) and the stored form share it (a CSV import parsed each phone
    twice, 0.3 ms a row). A number spelt with letters (a «vanity» number, ``phonenumbers.is_alpha_number``) is
    not valid: letters in a phone are a typing error here, not keypad digits."""
    text = unicodedata.normalize("NFKC", value or "").translate(_DASH_TABLE).strip()
    if not text:
        return "", False
    import phonenumbers

    if phonenumbers.is_alpha_number(text):  # «8 495 ABC-45-67»: the library would dial the keypad's 222
        return text, False
    try:
        number = phonenumbers.parse(text, "RU")
    except phonenumbers.NumberParseException:
        return text, False
    if not phonenumbers.is_valid_number(number):
        return text, False
    extension = number.extension
    number.extension = None
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return (f"{formatted} доб. {extension}" if extension else formatted), True


def normalize_email(value: str | None) -> str:
    """An e-mail as stored: NFKC, trimmed, the domain in lower case (``Ivan@Example.RU`` →
    ``Ivan@example.ru``), as ``email-validator`` normalises it; the mailbox part keeps its case, which
    some servers honour. Text that is no address comes back trimmed for the validator to refuse."""
    return email_parts(value)[0]


@lru_cache(maxsize=4096)  # pure and slow (~0.1 ms): validation and storing read the same cell
def email_parts(value: str | None) -> tuple[str, bool]:
    """``(normalize_email(value), whether email-validator accepts its syntax)`` from one validation (no DNS
    look-up): ``validation.email_error`` and the stored form share it."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        return "", False
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(text, check_deliverability=False).normalized, True
    except EmailNotValidError:
        return text, False
