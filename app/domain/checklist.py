"""Checklist rules: which item must be done before which, and stage completeness."""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import _


def check_tick(code: str, done_codes: set[str], titles: Mapping[str, str], requires: Mapping[str, str]) -> None:
    """Refuse ticking ``code`` while the item it requires (e.g. inventory before warehouses) is not done."""
    first = requires.get(code)
    if first and first not in done_codes:
        raise UserError(
            _("«{item}» cannot be done before «{first}» is done.").format(
                item=in_quotes(titles.get(code, code)), first=in_quotes(titles.get(first, first))
            )
        )


def check_untick(code: str, done_codes: set[str], titles: Mapping[str, str], requires: Mapping[str, str]) -> None:
    """Refuse unticking an item that another done item requires."""
    for dependent, first in requires.items():
        if first == code and dependent in done_codes:
            raise UserError(
                _("«{item}» cannot be undone while «{dependent}» is done.").format(
                    item=in_quotes(titles.get(code, code)), dependent=in_quotes(titles.get(dependent, dependent))
                )
            )


def percent(done: int, total: int) -> int:
    """Whole percent, 0 for an empty list."""
    if total <= 0:
        return 0
    return (done * 100) // total
