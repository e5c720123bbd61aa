"""A larger SQLite page cache for one bulk step on a connection, the connection's own size restored after it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection


@contextmanager
def larger_page_cache(connection: Connection, kib: int) -> Iterator[None]:
    """Run the block with ``PRAGMA cache_size=-kib`` (KiB; https://sqlite.org/pragma.html#pragma_cache_size) on
    ``connection`` when it is SQLite, then put the previous size back (the connection goes back to the pool).
    A bulk write of random UUIDs touches pages of every index all over the file: with SQLite's default 2 MB
    cache each is read and written again many times. Nothing happens on another database. Raises what the
    statements raise."""
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={-2000 if previous is None else int(previous)}")
