"""Client names for lists: the distinctive part first (legal form after it) and locale-aware order (QCollator).

«ООО «Заречный лесхоз»» is shown as «Заречный лесхоз, ООО» where space is short, so that eliding cuts the
legal form and not the name, and sorts by «Заречный лесхоз»; «Ёлка» comes before «Яблоко» (Russian rules)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCollator, QCollatorSortKey, QLocale

from app.gcpause import paused_gc

LEGAL_FORMS = ("ООО", "ОАО", "ЗАО", "ПАО", "НАО", "АО", "ИП", "АНО", "НКО", "ФГУП", "ФГБУ", "ГУП", "МУП", "КФХ",
               "ТОО", "ЧУП", "ОДО", "ПК", "СПК")
_FORM = re.compile(r"^\s*(" + "|".join(LEGAL_FORMS) + r")\.?\s+(.+)$", re.IGNORECASE | re.DOTALL)
_QUOTES = "«»\"“”„'"
_keys: dict[str, QCollatorSortKey] = {}  # name → its key (_made_key)
_texts: dict[str, QCollatorSortKey] = {}  # the text compared (name without legal form, casefolded) → its key
KEY_CACHE = 120_000  # names whose sort key is kept: every client of a 50 000-client database, and renames
# What the collator ignores or holds equal, made one text before keying so that such texts share one key (and the id
# decides between them): leading zeros of a number in numeric mode («Цех 09» = «Цех 9»), digits of other scripts,
# control and format characters and some combining marks (collation_text).
_LEADING_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")
_OTHER_DIGITS = re.compile(r"[^\D0-9]")  # a decimal digit of another script: the collator's equal of an ASCII one
# a text of printable ASCII, Russian letters and the usual quotes and dashes: nothing to normalise but case and zeros
_PLAIN = re.compile("[ -~\u0400-\u045f«»„“”‘’—–№]*")
# combining marks the collator ignores though Python counts them printable: the grapheme joiner, Mongolian free
# variation selectors, variation selectors
_IGNORED_MARKS = re.compile("[\u034f\u180b-\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
KEY_VERSION = "3"  # changes when the text keyed changes (ui.models.name_order's digest includes it)


def split_legal_form(name: str) -> tuple[str, str]:
    """(legal form, the rest without its quotes): «ООО «Ромашка»» → («ООО», «Ромашка»); no form → ("", name)."""
    match = _FORM.match(name)
    if match is None:
        return "", name.strip()
    rest = match.group(2).strip()
    if len(rest) >= 2 and rest[0] in _QUOTES and rest[-1] in _QUOTES:
        rest = rest[1:-1].strip()
    return match.group(1).upper(), rest or name.strip()


def list_name(name: str) -> str:
    """The name as lists show it: the distinctive part first, the legal form after a comma."""
    form, rest = split_legal_form(name)
    return f"{rest}, {form}" if form else rest


def _new_collator(language: str) -> QCollator:
    """A collator of the interface language with numbers compared as numbers («Цех 9» before «Цех 10»)."""
    collator = QCollator(QLocale(QLocale.Language.Russian if language == "ru" else QLocale.Language.English))
    collator.setNumericMode(True)
    return collator


@functools.cache
def _collator(language: str) -> QCollator:
    return _new_collator(language)  # the UI thread's, kept: a worker makes its own (worker_sort_key)


def name_key(name: str) -> QCollatorSortKey:
    """A sort key by the name without its legal form, in the interface language's collation (cached per
    name, so equal names give the same key object)."""
    key = _keys.get(name)
    if key is None:
        from app.i18n import language

        if len(_keys) > KEY_CACHE:
            _keys.clear()
            _texts.clear()
        key = _made_key(name, _collator(language()), _keys)
    return key


def collation_text(name: str) -> str:
    """What ``name_key`` compares: the name without its legal form, NFKC-normalised and casefolded, without what
    the collator ignores — control and format characters, ``_IGNORED_MARKS``, leading zeros of a number (numeric
    mode) — and with other scripts' digits as ASCII ones. Two names the collator held equal though their texts differed got two
    key objects, which compare neither less nor equal (QCollatorSortKey has no ``==``): their order depended on
    the order the rows came in (a tester's finding: «Цех 09» / «Цех 9»)."""
    text = split_legal_form(name)[1]
    if not _PLAIN.fullmatch(text):  # one C-level scan for the usual names; the rest only for unusual ones
        text = _unusual(text)
    text = text.casefold()
    return _LEADING_ZEROS.sub("", text) if "0" in text else text


def _unusual(text: str) -> str:
    """``text`` NFKC-normalised («Ёлка» typed decomposed, a full-width «９»), without control and format characters
    (soft hyphen, zero-width space, direction marks) and ``_IGNORED_MARKS``, other scripts' digits as ASCII."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():
        text = "".join(ch for ch in text if ch == " " or unicodedata.category(ch) not in ("Cc", "Cf"))
    text = _IGNORED_MARKS.sub("", text)
    return _OTHER_DIGITS.sub(lambda m: str(unicodedata.digit(m.group())), text)


def _made_key(name: str, collator: QCollator, keys: dict[str, QCollatorSortKey]) -> QCollatorSortKey:
    """The key of ``name``, kept in ``keys``: one key object per text compared, so that names equal but for their
    legal form («АО «Ромашка»», «ООО «Ромашка»») share it and the id decides between them. QCollatorSortKey has
    no ``==``: two equal keys made apart were neither less nor greater than each other, a tuple never reached
    the id, and the order of such rows depended on the order they came in (a worker's merge against a fresh
    window). ``setdefault``: a worker and the UI thread making the same text's key at once keep one."""
    text = collation_text(name)
    key = _texts.get(text)
    if key is None:
        key = _texts.setdefault(text, collator.sortKey(text))
    keys[name] = key
    return key


def worker_sort_key() -> Callable[[Any], tuple[QCollatorSortKey, int]]:
    """``sort_key`` for a worker thread: the same keys (the shared cache, filled alike) from a collator of its
    own, as ``presorted`` does. Takes anything with a ``name`` and an ``id``."""
    from app.i18n import language

    collator, cache = _new_collator(language()), _keys

    def key(row) -> tuple[QCollatorSortKey, int]:
        found = cache.get(row.name)
        if found is None:
            found = _made_key(row.name, collator, cache)
        return found, row.id

    return key


def presorted(rows: list, cache: Path | None = None) -> list:
    """``rows`` (anything with a ``name`` and an ``id``) in the order of ``name_key``, then id, computed with a
    collator of its own so that a worker thread can do it (the lazy start): the keys go into the shared
    cache, and the model's own sort of these rows then needs one comparison per row, not n·log n (at
    50 000 clients ~1 s of the UI thread).

    ``cache``: a file (``name_order.order_file``) that keeps the order for the next call on the same rows — the
    same ids and names read in the same order: the keys are then not computed at all (~0.3 s at 50 000)."""
    from app.i18n import language
    from ui.models import name_order

    stamp = name_order.digest(rows, language()) if cache is not None else b""
    if cache is not None:
        known = name_order.load(cache, stamp, len(rows))
        if known is not None:
            return [rows[i] for i in known]
    key = worker_sort_key()
    with paused_gc():  # a key and a tuple per row, acyclic: see app/gcpause.py (at 50 000 clients ~70 ms)
        keys = list(map(key, rows))
        order = sorted(range(len(rows)), key=keys.__getitem__)
    if cache is not None:
        name_order.save(cache, stamp, order)
    return [rows[i] for i in order]
