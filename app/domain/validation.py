"""Validation of what the user types: ИНН, КПП, e-mail, phone, dates, free text."""

from __future__ import annotations

import re
from datetime import date, datetime

from app.errors import UserError
from app.i18n import _

MAX_TEXT = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()\-]{5,25}$")


def inn_error(inn: str) -> str | None:
    """None when ``inn`` is a valid Russian ИНН (10 digits for a company, 12 for a person)."""
    from stdnum import exceptions
    from stdnum.ru import inn as stdnum_inn

    value = (inn or "").strip()
    if not value:
        return _("INN is required.")
    if not value.isdigit():
        return _("INN must contain digits only.")
    if len(value) not in (10, 12):
        return _("INN must have 10 or 12 digits.")
    try:
        stdnum_inn.validate(value)
    except exceptions.ValidationError:
        return _("INN {inn} has a wrong check digit.").format(inn=value)
    return None


def validate_inn(inn: str) -> str:
    error = inn_error(inn)
    if error:
        raise UserError(error)
    return inn.strip()


def kpp_error(kpp: str | None) -> str | None:
    if not kpp:
        return None
    if not re.fullmatch(r"\d{4}[0-9A-Z]{2}\d{3}", kpp.strip()):
        return _("KPP must have 9 characters: 4 digits, 2 digits or letters, 3 digits.")
    return None


def email_error(email: str | None) -> str | None:
    if not email:
        return None
    if len(email) > 254 or not _EMAIL.match(email.strip()):
        return _("E-mail address {value} is not valid.").format(value=email.strip()[:60])
    return None


def phone_error(phone: str | None) -> str | None:
    if not phone:
        return None
    if not _PHONE.match(phone.strip()) or sum(c.isdigit() for c in phone) < 5:
        return _("Phone number {value} is not valid.").format(value=phone.strip()[:40])
    return None


def clean_text(value: str | None, field: str, *, required: bool = False, max_len: int = MAX_TEXT) -> str:
    """Strip a text field, refusing control characters and overlong values."""
    text = (value or "").strip()
    if required and not text:
        raise UserError(_("Field «{field}» is required.").format(field=field))
    if _CONTROL.search(text):
        raise UserError(_("Field «{field}» contains control characters.").format(field=field))
    if len(text) > max_len:
        raise UserError(
            _("Field «{field}» is too long: {n} characters, at most {max} allowed.").format(
                field=field, n=len(text), max=max_len
            )
        )
    return text


def parse_date(text: str, field: str) -> date:
    """Parse YYYY-MM-DD or DD.MM.YYYY; refuse impossible dates such as 2024-02-30."""
    value = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            parsed = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if not 1990 <= parsed.year <= 2100:
            break
        return parsed
    raise UserError(
        _("Field «{field}»: «{value}» is not a valid date (expected YYYY-MM-DD or DD.MM.YYYY).").format(
            field=field, value=value[:40]
        )
    )
