"""Gettext translations (ru default, en second) and babel formatting of money, dates and plurals."""

from __future__ import annotations

import gettext as _gettext
import io
import re
import threading
import unicodedata
from datetime import date
from decimal import Decimal

DOMAIN = "vnedrenie"
DEFAULT_LANGUAGE = "ru"
LANGUAGES = ("ru", "en")

_lock = threading.Lock()
_current: _gettext.NullTranslations | None = None
_language = DEFAULT_LANGUAGE


def _catalog_files(language: str) -> list:
    folder = _catalog_root().joinpath(language, "LC_MESSAGES")
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(".po")), key=lambda f: f.name)


def _catalog_root():
    """The i18n package folder; a plain path lookup first (importlib.resources costs ~6 ms at start)."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("i18n")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if len(locations) == 1 and Path(locations[0]).is_dir():
        return Path(locations[0])
    from importlib import resources

    return resources.files("i18n")


def load_catalog(language: str):
    """Merge every .po of a language into one babel Catalog (each area keeps its own file)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    merged = Catalog(locale=language, domain=DOMAIN)
    for po in _catalog_files(language):
        with po.open("rb") as fh:
            part = read_po(fh, locale=language)
        for message in part:
            if message.id and message.string:
                merged[message.id] = message
    return merged


def compile_translations(language: str) -> _gettext.NullTranslations:
    """Compile the .po files of ``language`` with babel into an in-memory gettext object.

    The compiled catalogue is cached (keyed by the .po files' names, sizes and times) so that a start
    reads one .mo file instead of importing babel and parsing every .po (~100 ms)."""
    if language == "en":
        return _gettext.NullTranslations()
    files = _catalog_files(language)
    shipped = _shipped_catalog(language, files)
    if shipped is not None:
        return shipped
    cache = _mo_cache_path(language, files)
    if cache is not None:
        try:
            return _gettext.GNUTranslations(io.BytesIO(cache.read_bytes()))
        except (OSError, ValueError):
            pass
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, load_catalog(language))
    if cache is not None:
        _write_cache(cache, buffer.getvalue())
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def shipped_mo_path(language: str):
    """``i18n/<lang>/LC_MESSAGES/vnedrenie.mo``: compiled at set-up/build time (``python -m app.i18n``)."""
    return _catalog_root().joinpath(language, "LC_MESSAGES", f"{DOMAIN}.mo")


def _shipped_catalog(language: str, files: list) -> _gettext.NullTranslations | None:
    """The .mo compiled at set-up or build time, when it is at least as new as every .po beside it.

    A build ships the .mo without the .po files; in a checkout an edited .po makes the shipped .mo stale
    and the catalogue is compiled (and cached) as before, so a translator sees an edit at once."""
    import os

    mo = shipped_mo_path(language)
    try:
        built = os.stat(str(mo)).st_mtime_ns
        if any(os.stat(str(po)).st_mtime_ns > built for po in files):
            return None
        return _gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    except (OSError, TypeError, ValueError):
        return None


def compile_shipped(languages: tuple[str, ...] = LANGUAGES) -> list:
    """Write ``vnedrenie.mo`` beside the .po files of each translated language; returns the paths.

    Run by scripts/run.sh after an install, by scripts/build.sh before PyInstaller, and in CI, so that
    an installed or built app never compiles a catalogue at start (and never imports babel for it)."""
    from babel.messages.mofile import write_mo

    written = []
    for language in languages:
        if language == "en" or not _catalog_files(language):
            continue
        buffer = io.BytesIO()
        write_mo(buffer, load_catalog(language))
        target = shipped_mo_path(language)
        part = target.with_name(target.name + ".part")
        part.write_bytes(buffer.getvalue())
        part.replace(target)
        written.append(target)
    return written


def _mo_cache_path(language: str, files: list):
    """``<data dir>/cache/<domain>-<lang>-<key>.mo`` for these .po files; None when they are not plain files."""
    import os
    import zlib

    from app.config import data_dir

    try:
        stamp = "".join(f"{po.name}:{os.stat(str(po)).st_size}:{os.stat(str(po)).st_mtime_ns};" for po in files)
    except (OSError, TypeError):
        return None
    key = f"{zlib.crc32(stamp.encode()):08x}{len(stamp):04x}{zlib.adler32(stamp.encode()):08x}"
    return data_dir() / "cache" / f"{DOMAIN}-{language}-{key}.mo"


def _write_cache(path, data: bytes) -> None:
    """Best effort: a read-only or full disk only costs the next start the compilation again."""
    import os

    from app.config import ensure_private_dir

    try:
        if not path.parent.parent.exists():  # the data folder itself is owner-only
            ensure_private_dir(path.parent.parent)
        path.parent.mkdir(exist_ok=True)
        for old in path.parent.glob(f"{DOMAIN}-*.mo"):
            if old.name.split("-")[1] == path.name.split("-")[1]:
                old.unlink(missing_ok=True)
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        part.write_bytes(data)
        os.replace(part, path)
    except OSError:
        pass


def set_language(language: str) -> None:
    global _current, _language
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    with _lock:
        _current = compile_translations(language)
        _language = language


def language() -> str:
    return _language


def _translations() -> _gettext.NullTranslations:
    global _current
    if _current is None:
        with _lock:
            if _current is None:
                _current = compile_translations(_language)
    return _current


def _(message: str) -> str:
    """Translate a message now. An empty message stays empty: gettext gives the catalogue's header for it
    («Project-Id-Version: …»), which became the accessible name of 53 widgets without one."""
    return _translations().gettext(message) if message else message


_russian: _gettext.NullTranslations | None = None


def in_russian(message: str) -> str:
    """``message`` in Russian whatever the interface's language: the words a user may type in either language (a
    question's channel «телефон» was refused with --lang en)."""
    global _russian
    if _russian is None:
        with _lock:
            if _russian is None:
                _russian = compile_translations("ru")
    return _russian.gettext(message) if message else message


def N_(message: str) -> str:
    """Mark a message for extraction; translate it later with _()."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ngettext(singular, plural, n)


# --- babel formatting: always Russian conventions for documents, UI locale otherwise ---

def _locale(locale: str | None) -> str:
    return locale or ("ru_RU" if _language == "ru" else "en_US")


def format_money(amount: Decimal, currency: str = "RUB", locale: str | None = None) -> str:
    """``1 500,00 ₽`` in Russian; ``RUB 1,500.00`` in English (CLDR's currency spacing, which babel leaves out: a
    code of letters is parted from the digits by a space, so not «RUB1,234.56» — tester N, item 9)."""
    from babel.numbers import format_currency, get_currency_symbol

    chosen = _locale(locale)
    text = format_currency(amount, currency, locale=chosen)
    symbol = get_currency_symbol(currency, locale=chosen)
    if symbol and not unicodedata.category(symbol[-1]).startswith("S"):
        text = re.sub(rf"({re.escape(symbol)})(?=\d)", r"\1 ", text)
    if symbol and not unicodedata.category(symbol[0]).startswith("S"):
        text = re.sub(rf"(?<=\d)({re.escape(symbol)})", r" \1", text)
    return text.replace("\xa0", " ").replace("\u202f", " ")


def format_amount(amount: Decimal, locale: str | None = None) -> str:
    """``26 250,00`` — a number with two decimals and no currency sign."""
    from babel.numbers import format_decimal

    text = format_decimal(amount, format="#,##0.00", locale=_locale(locale))
    return text.replace("\xa0", " ").replace("\u202f", " ")


# CLDR's group separator of the UI languages for whole numbers («1 437», «1,437»), as babel gives it once its
# no-break space is made a plain one: counts in the window's first screen need no babel (its first call ~30 ms)
_INT_GROUP = {"ru": " ", "en": ","}


def format_number(value: Decimal | float | int, locale: str | None = None) -> str:
    """``value`` as the UI language writes it: «1 437», «2,5» in Russian; «1,437», «2.5» in English (``locale``:
    another babel locale). Whole numbers of the UI language without babel (``_INT_GROUP``; the same text:
    tests/ui/test_count_text.py)."""
    group = _INT_GROUP.get(_language) if locale is None and type(value) is int else None
    if group is not None:
        return f"{value:,}".replace(",", group)
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(locale)).replace("\xa0", " ").replace("\u202f", " ")


def format_editable(value: Decimal | int, places: int | None = None) -> str:
    """A number put into a field for a person to edit, as the UI language writes it — «1 500,5» in Russian,
    «1,500.5» in English — and ``places`` decimals when given («1 500,50», «1,500.50» for roubles). ``parse_decimal``
    reads it back in the same language (English groups since 941ca8a); the English window reloaded a saved
    «1,500.50» as «1500.5» (tester H)."""
    from babel.numbers import format_decimal

    pattern = "#,##0." + "0" * places if places else None
    text = format_decimal(value, format=pattern, locale=_locale(None), decimal_quantization=places is not None)
    return text.replace("\xa0", " ").replace("\u202f", " ")


def format_date(value: date, fmt: str = "long", locale: str | None = None) -> str:
    """``1 июля 2024 г.`` in Russian (``long``), ``01.07.2024`` (``short``: in English too, as every date field and
    table of the window writes a date; the calculator's «as of 2024-07-01» sat beside «05.12.2026», tester N)."""
    from babel.dates import format_date as _fd

    if fmt == "short":
        return value.strftime("%d.%m.%Y")
    return _fd(value, format=fmt, locale=_locale(locale)).replace("\xa0", " ").replace("\u202f", " ")


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian plural form chosen by babel's CLDR rule: plural(5, 'день', 'дня', 'дней') -> 'дней'."""
    from babel import Locale

    form = Locale.parse("ru").plural_form(n)
    return {"one": one, "few": few}.get(form, many)


if __name__ == "__main__":  # python -m app.i18n: compile the shipped catalogues
    for _path in compile_shipped():
        print(_path)
