"""Quotes around a name in Russian text: inner quotes are „лапки“ (testers, 2026-12-05).

A client's name often holds quotes of its own («ПАО «Завод»»). Wrapped in «…» again, as a message or a document
names it, that read «ПАО «Завод»»» with a doubled closing quote; Russian typography nests them as «ПАО „Завод“».
Every «{name}» of a message or a document takes the name through ``in_quotes`` (a message's template keeps its
own «…»), or ``quoted`` where the code writes the outer quotes itself. Stored names are never changed: only
how they are shown."""

from __future__ import annotations

import re

_INNER = str.maketrans({"«": "„", "»": "“"})
# a straight quote opens at the start or after a space or an opening bracket or quote, else it closes
_OPENING = re.compile(r'(?:(?<=^)|(?<=[\s(\[„«]))"')


def in_quotes(text: object) -> str:
    """``text`` as it goes between «…»: its own «…» become „…“ — «ПАО «Завод»» is shown as «ПАО „Завод“»; straight
    quotes too, as names typed or copied from 1С come (``ООО "Завод "Маяк""`` → ``ООО „Завод „Маяк““``: tester J)."""
    shown = str(text if text is not None else "").translate(_INNER)
    if '"' in shown:
        shown = _OPENING.sub("„", shown).replace('"', "“")
    return shown


def quoted(text: object) -> str:
    """``text`` in «…», its own quotes nested: «ПАО „Завод“»."""
    return f"«{in_quotes(text)}»"
