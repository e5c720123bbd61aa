"""A column value to and from a changeset's JSON, by the column's kind (checked on the way in)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from operator import methodcaller
from typing import Any

TEXT_MAX = 1_000_000
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_YEARS = (1900, 2200)


def _enc_datetime(value: datetime) -> str:
    return value.isoformat(timespec="microseconds")


# How a value of each column kind goes into JSON; kinds not named here (text, uuid, int, bigint, bool) as they are
ENCODERS: dict[str, Callable[[Any], Any]] = {"money": str, "date": methodcaller("isoformat"), "datetime": _enc_datetime}


def encode(kind: str, value: Any) -> Any:
    """``value`` of a column of ``kind`` as the changeset's JSON holds it (None stays None)."""
    if value is None:
        return None
    encoder = ENCODERS.get(kind)
    return value if encoder is None else encoder(value)


def decode(kind: str, value: Any, *, max_len: int = TEXT_MAX) -> Any:
    """A JSON value as the column's Python value; ValueError when it does not fit."""
    if kind == "text":
        if not isinstance(value, str) or len(value) > max_len or _BAD_CHARS.search(value):
            raise ValueError
        return value
    if kind == "uuid":
        if not isinstance(value, str) or not _UUID.match(value):
            raise ValueError
        return value.lower()
    if kind in ("int", "bigint"):
        limit = 2**31 if kind == "int" else 2**63
        if type(value) is not int or not -limit <= value < limit:
            raise ValueError
        return value
    if kind == "bool":
        if type(value) is not bool:
            raise ValueError
        return value
    if kind == "date":
        if not isinstance(value, str) or not _DATE.match(value):
            raise ValueError
        parsed = date.fromisoformat(value)
        if not _YEARS[0] <= parsed.year <= _YEARS[1]:
            raise ValueError
        return parsed
    if kind == "datetime":
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError
        stamp = datetime.fromisoformat(value)
        if stamp.tzinfo is not None:
            from datetime import UTC

            stamp = stamp.astimezone(UTC).replace(tzinfo=None)
        if not _YEARS[0] <= stamp.year <= _YEARS[1]:
            raise ValueError
        return stamp
    if kind == "money":
        if not isinstance(value, str | int) or isinstance(value, bool) or len(str(value)) > 30:
            raise ValueError
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise ValueError from None
        exponent = amount.as_tuple().exponent
        if not isinstance(exponent, int) or exponent < -2 or abs(amount) >= Decimal(10) ** 13:
            raise ValueError
        return amount.quantize(Decimal("0.01"))
    raise ValueError


def _decoder(kind: str, max_len: int) -> Callable[[Any], Any]:
    """``decode(kind, value, max_len=max_len)`` as a function of the value alone, the common kinds inlined (a
    large import decodes ~0.5 million values)."""
    if kind == "text":
        bad = _BAD_CHARS.search

        def text(value: Any) -> Any:
            if not isinstance(value, str) or len(value) > max_len or bad(value):
                raise ValueError
            return value

        return text
    if kind == "uuid":
        good = _UUID.match

        def uuid(value: Any) -> Any:
            if not isinstance(value, str) or not good(value):
                raise ValueError
            return value.lower()

        return uuid
    if kind in ("int", "bigint"):
        limit = 2**31 if kind == "int" else 2**63

        def integer(value: Any) -> Any:
            if type(value) is not int or not -limit <= value < limit:
                raise ValueError
            return value

        return integer
    return partial(decode, kind, max_len=max_len)


_decode_uuid = _decoder("uuid", 36)
