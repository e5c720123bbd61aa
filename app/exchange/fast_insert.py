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

# (key, processor or None) for a value of the row; (None, default) for a column default filled in per row
_Slot = tuple[str | None, Any]


@cache
def _plan(table: Table, keys: tuple[str, ...], prefix: str, dialect) -> tuple[str, tuple[_Slot, ...]] | None:
    """The INSERT text and how to build each row's tuple; None when a default must be left to Core."""
    quote = dialect.identifier_preparer.quote
    names: list[str] = []
    slots: list[_Slot] = []
    for column in table.c:
        default = column.default
        if column.key not in keys and default is None:
            continue  # the database's default (or the rowid)
        processor = column.type.dialect_impl(dialect).bind_processor(dialect)
        if column.key in keys:
            slots.append((column.key, processor))
        elif not isinstance(default, ColumnDefault) or not (default.is_scalar or default.is_callable):
            return None  # a SQL expression or a sequence
        elif default.is_scalar:
            value = default.arg
            slots.append((None, _constant(processor(value) if processor and value is not None else value)))
        else:
            slots.append((None, _called(default.arg, processor)))
        names.append(quote(column.name))
    if set(keys) - {c.key for c in table.c}:
        return None  # Core names the unknown key
    sql = (f"INSERT {prefix + ' ' if prefix else ''}INTO {quote(table.name)} ({', '.join(names)}) "
           f"VALUES ({', '.join('?' * len(names))})")
    return sql, tuple(slots)


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _called(arg: Callable[[Any], Any], processor) -> Callable[[], Any]:
    # Core wraps a default taking no context as ``arg(context)``; ours take none (utcnow, new_uuid)
    if processor is None:
        return lambda: arg(None)
    return lambda: (None if (value := arg(None)) is None else processor(value))


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
    sql, slots = plan
    keys = len(rows[0])
    params = []
    for row in rows:
        if len(row) != keys:
            raise ValueError("insert_many: rows of different keys")
        params.append(tuple(
            (row[key] if processor is None or row[key] is None else processor(row[key])) if key is not None
            else processor() for key, processor in slots))
    connection.exec_driver_sql(sql, params)
