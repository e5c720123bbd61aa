"""Long lists cut into chunks (an ``IN (…)`` of a statement takes one chunk)."""

from __future__ import annotations

from collections.abc import Iterable

CHUNK = 5_000


def chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
