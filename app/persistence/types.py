"""Column types: exact Decimal stored as an integer of hundredths (money in kopecks, days in 0.01), flags read strictly."""

from __future__ import annotations

import re
import uuid as _uuid
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, Boolean, String
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")
_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # str(uuid.UUID(…))


class Fixed2(TypeDecorator[Decimal]):
    """Decimal with two places, kept as BIGINT hundredths: exact on SQLite and PostgreSQL alike."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return int((Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        # a real another program wrote: int(1.5) was 1 (a kopeck lost in silence); refused (ValueError, named by
        # app.persistence.damaged like «abc»), a whole one (150.0) read as it is
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"not a whole number of hundredths: {value!r}")
        return (Decimal(int(value)) / 100).quantize(CENT)


class UUIDText(TypeDecorator[str]):
    """A UUID kept as its 36-character text form (portable, readable in bundles)."""

    impl = String(36)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if type(value) is str and _CANONICAL.fullmatch(value):  # already the text form: as it is (issue 15)
            return value
        return str(_uuid.UUID(str(value)))


class Flag(Boolean):
    """A Boolean (BOOLEAN on both databases, as ``Boolean``) whose SQLite reader refuses what is not 0 or 1.

    SQLAlchemy reads a SQLite flag as ``bool(value)``: «нет» written by another program became true (a checklist
    item counted as done) while SQL's ``done IS 1`` filters left it out. Such a value now raises ValueError in
    the reader, which ``Database.read`` turns into the refusal naming it (app.persistence.damaged)."""

    def result_processor(self, dialect, coltype):
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def process_result_value(value):  # the name app.persistence.damaged recognises as a stored value's reader
            if value is None or (value.__class__ is int and value in (0, 1)):
                return None if value is None else value == 1
            raise ValueError(f"not a flag (0 or 1): {value!r}")

        return process_result_value


def new_uuid() -> str:
    return str(_uuid.uuid4())
