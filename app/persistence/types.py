"""Column types: exact Decimal stored as an integer of hundredths (money in kopecks, days in 0.01)."""

from __future__ import annotations

import re
import uuid as _uuid
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, String
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


def new_uuid() -> str:
    return str(_uuid.uuid4())
