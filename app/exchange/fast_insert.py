"""Many rows of one table inserted through the DBAPI cursor on SQLite, as Core's executemany would insert them.

An import of 500 clients sent ~126 000 rows through ``Connection.execute(insert(t), rows)``, whose per-row
parameter handling cost more than SQLite's work. Here the statement, the columns' bind processors and the
Python-side defaults are worked out once per (table, keys), and each row becomes a tuple: the same values
reach SQLite (processors and defaults applied as Core applies them). Another dialect takes Core's path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnDefault, Connection, Table, insert

Builder = Callable[[dict[str, Any]], tuple]


@cache
def _plan(table: Table, keys: tuple[str, ...], prefix: str, dialect) -> tuple[str, Builder] | None:
    """The INSERT text and the function making a row's tuple; None when a default must be left to Core."""
    if set(keys) - {c.key for c in table.c}:
        return None  # Core names the unknown key
    quote = dialect.identifier_preparer.quote
    names: list[str] = []
    parts: list[str] = []  # the tuple's items as Python expressions over the row ``r``
    scope: dict[str, Any] = {}
    for n, column in enumerate(table.c):
        default = column.default
        if column.key not in keys and default is None:
            continue  # the database's default (or the rowid)
        processor = column.type.dialect_impl(dialect).bind_processor(dialect)
        if column.key in keys:
            item = f"r[{column.key!r}]"
        elif not isinstance(default, ColumnDefault) or not (default.is_scalar or default.is_callable):
            return None  # a SQL expression or a sequence
        elif default.is_scalar:
            value = default.arg
            scope[f"c{n}"] = processor(value) if processor is not None and value is not None else value
            parts.append(f"c{n}")
            names.append(quote(column.name))
            continue
        else:  # Core calls a default taking no context as ``arg(context)``; ours take none (utcnow, new_uuid)
            scope[f"d{n}"] = default.arg
            item = f"d{n}(None)"
        if processor is not None:
            scope[f"p{n}"] = processor
            item = f"(None if (v{n} := {item}) is None else p{n}(v{n}))"
        parts.append(item)
        names.append(quote(column.name))
    sql = (f"INSERT {prefix + ' ' if prefix else ''}INTO {quote(table.name)} ({', '.join(names)}) "
           f"VALUES ({', '.join('?' * len(names))})")
    # one expression per column, compiled once: a generic loop over the columns cost more than SQLite's insert
    build = eval(f"lambda r: ({', '.join(parts)},)", scope)
    return sql, build


def insert_many(connection: Connection, table: Table, rows: Sequence[dict[str, Any]], *, prefix: str = "") -> None:
    """``connection.execute(insert(table).prefix_with(prefix), rows)`` for rows sharing one set of keys, in one
    executemany without Core's per-row work on SQLite."""
    if not rows:
        return
    dialect = connection.dialect
    plan = _plan(table, tuple(rows[0]), prefix, dialect) if dialect.name == "sqlite" else None
    if plan is None:
        statement = insert(table).prefix_with(prefix) if prefix else insert(table)
        connection.execute(statement, list(rows))
        return
    sql, build = plan
    keys = len(rows[0])
    if any(len(row) != keys for row in rows):
        raise ValueError("insert_many: rows of different keys")
    connection.exec_driver_sql(sql, [build(row) for row in rows])
