"""Whole result sets from SQLite in one step (a JSON array), so that a worker's read does not queue at every row.

Python's sqlite3 module lets go of the interpreter lock around each ``sqlite3_step`` and takes it back for the
row: while the window's thread runs Python (imports, building the window at start-up), a worker reading thousands
of rows waits for the lock once per row. At 5 000 clients the first screen's read took 150–220 ms in the start
against ~40 ms alone, the stamps' 5 000 rows 50–80 ms of it (bench/RESULTS.md). Built by SQLite's JSON
functions (https://www.sqlite.org/json1.html) a result set is one step and one ``json.loads``: the lock is taken
back once. The schema needs those functions anyway (its sync triggers write json_object: migrations 0012, 0015)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from operator import itemgetter, lt


class ReadRowByRow(Exception):
    """These rows cannot come in one step exactly — a REAL (SQLite 3.40's JSON writes 15 significant digits), a
    BLOB (JSON holds none) — or came out of the order asked for (``ordered_chunks``): read them row by row."""


def json_rows(conn: sqlite3.Connection, columns: Sequence[str], source: str,
              params: Sequence[object] = ()) -> list[list]:
    """The rows of ``SELECT columns FROM (source)`` as lists, in ``source``'s order, read in one step.

    ``columns``: SQL expressions over ``source``'s columns; TEXT, INTEGER and NULL come back as str, int and None.
    Order: SQLite feeds an aggregate the rows of a subquery that has ORDER BY and LIMIT in that order (such a
    subquery is never flattened: https://www.sqlite.org/optoverview.html#flattening); callers that rely on it
    check it (``ordered_chunks``). Raises ReadRowByRow (a REAL or BLOB value among them) or sqlite3.Error."""
    reals = " + ".join(f"(typeof({column}) = 'real')" for column in columns)
    sql = f"SELECT json_group_array(json_array({', '.join(columns)})), total({reals}) FROM ({source})"
    try:
        text, inexact = conn.execute(sql, tuple(params)).fetchone()
    except sqlite3.OperationalError as exc:
        if "BLOB" in str(exc):  # «JSON cannot hold BLOB values»
            raise ReadRowByRow(str(exc)) from exc
        raise
    if inexact:
        raise ReadRowByRow(f"{int(inexact)} REAL values")
    return json.loads(text)


def ordered_chunks(conn: sqlite3.Connection, columns: Sequence[str], source: str, order: Sequence[str],
                   key: Sequence[int], chunk: int = 10_000) -> Iterator[list[list]]:
    """Every row of ``source`` (a SELECT with no WHERE, ORDER BY or LIMIT) ordered by the columns ``order`` — unique
    together, never NULL, compared by SQLite's BINARY collation — as ``json_rows`` gives them, ``chunk`` rows at a
    time: a caller that makes its own objects of them keeps one chunk of lists at a time (all 50 000 clients' at
    once were ~20 MB more at the window's peak). ``key``: the positions of the ``order`` values in a row, for the
    next chunk's start (keyset pagination) and the order's check. Raises ReadRowByRow (the order broken, within a
    chunk or across two, or as ``json_rows``) or sqlite3.Error."""
    by = ", ".join(order)
    after_sql = f"{source} WHERE ({by}) > ({', '.join('?' * len(order))}) ORDER BY {by} LIMIT ?"
    pick = itemgetter(*key)
    after: tuple | None = None
    while True:
        if after is None:
            part = json_rows(conn, columns, f"{source} ORDER BY {by} LIMIT ?", (chunk,))
        else:
            part = json_rows(conn, columns, after_sql, (*after, chunk))
        keys = list(map(pick, part)) if len(key) > 1 else list(zip(map(pick, part)))
        try:  # str and int compare as SQLite's BINARY collation and integers do (UTF-8 keeps code point order)
            ordered = (after is None or not keys or after < keys[0]) and all(map(lt, keys, keys[1:]))
        except TypeError:  # a NULL or a value of another type among them
            ordered = False
        if not ordered:
            raise ReadRowByRow(f"out of order: {source} ORDER BY {by}")
        yield part
        if len(part) < chunk:
            return
        after = keys[-1]
