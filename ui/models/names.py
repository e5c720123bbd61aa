"""Client names for lists: the distinctive part first (legal form after it) and locale-aware order (QCollator).

«ООО «Заречный лесхоз»» is shown as «Заречный лесхоз, ООО» where space is short, so that eliding cuts the
legal form and not the name, and sorts by «Заречный лесхоз»; «Ёлка» comes before «Яблоко» (Russian rules)."""

from __future__ import annotations

import functools
import re

from PySide6.QtCore import QCollator, QCollatorSortKey, QLocale

LEGAL_FORMS = ("ООО", "ОАО", "ЗАО", "ПАО", "НАО", "АО", "ИП", "АНО", "НКО", "ФГУП", "ФГБУ", "ГУП", "МУП", "КФХ",
               "ТОО", "ЧУП", "ОДО", "ПК", "СПК")
_FORM = re.compile(r"^\s*(" + "|".join(LEGAL_FORMS) + r")\.?\s+(.+)$", re.IGNORECASE | re.DOTALL)
_QUOTES = "«»\"“”„'"
_keys: dict[str, QCollatorSortKey] = {}


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


@functools.cache
def _collator(language: str) -> QCollator:
    collator = QCollator(QLocale(QLocale.Language.Russian if language == "ru" else QLocale.Language.English))
    collator.setNumericMode(True)
    return collator


def name_key(name: str) -> QCollatorSortKey:
    """A sort key by the name without its legal form, in the interface language's collation (cached per
    name, so equal names give the same key object)."""
    key = _keys.get(name)
    if key is None:
        from app.i18n import language

        if len(_keys) > 20_000:
            _keys.clear()
        key = _keys[name] = _collator(language()).sortKey(split_legal_form(name)[1].casefold())
    return key
