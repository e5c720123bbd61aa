"""Pause the cyclic garbage collector while building thousands of acyclic rows.

Creating 5 000 client rows (tuples, strings, SQLAlchemy result rows) triggers dozens of young
collections, and the short-lived result rows that survive them get promoted and pull in a full
collection of the whole application heap every other reload (~60 ms on a modest laptop). The rows
hold no reference cycles, so reference counting frees everything; the collector runs again after."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
