"""The libraries a window's first clicks use, loaded ahead in a worker once the window is ready."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def warm_up() -> None:
    """Import and call once what the first client's card and calculator use, so that the user's first click
    does not pay for it on the UI thread: at 5 000 clients the first selection took ~110 ms and imported 89
    modules — phonenumbers with its Russian metadata, email_validator and idna, python-stdnum's ИНН / ОГРН checks
    (with pydoc), babel's Russian locale data, app.services.estimates. Raises nothing of its own; an error of a
    library propagates to the caller's task, which may ignore it (the first click then pays, as before)."""
    from app import i18n
    from app.domain.validation import ogrn_error
    from app.services import estimates  # noqa: F401  (imported for the card's calculator)
    from app.services.clients import ClientInput, PersonInput, field_errors

    field_errors(ClientInput(name="ООО «Пример»", inn="7707083893", approach="onsite", kpp="773601001",
                             contacts=[PersonInput("Иванов И. И.", phone="+7 495 123-45-67",
                                                   email="info@example.ru")]))
    ogrn_error("1027700132195")
    i18n.format_money(Decimal("1500"))
    i18n.format_amount(Decimal("1500"))
    i18n.format_number(Decimal("2.5"))
    i18n.format_date(date(2026, 1, 1))
    i18n.plural(5, "день", "дня", "дней")
