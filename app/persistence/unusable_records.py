"""Records about to leave this computer (an export's file, a sync's batch) looked at first: values the program cannot
use and references to nothing, refused.

An export wrote a kind «ufo» or a stage 9 another program had put in the file as they were (the file's import
elsewhere refused it whole) and left out a work-log entry «billed by» act 999 without a word; a sync sent the kind
to the team server as it was. Both now look at the records they send (app.persistence.damaged names what is found,
the way out is a fix or a restore). A sync looks at values only: a reference to nothing goes as none and the
server's merge answers it (an act deleted behind the program comes back from the server as a conflict). SQLite
only: PostgreSQL keeps types and references itself."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, Table

from app.persistence.damaged import FOUND_MAX, BrokenReference, DamagedValue, find_damaged, values_refusal

# table -> (its column, the values): only the records whose column holds one of them («client_id», [3, 4])
Scope = dict[str, tuple[str, Sequence[object]]]


def look(conn: Connection, tables: Sequence[Table], only: Scope | None = None, *, references: bool = True
         ) -> tuple[list[DamagedValue], list[BrokenReference]]:
    """The values of ``tables`` the program cannot read or use (``damaged.find_damaged``) and, with ``references``,
    the references to records that do not exist or belong to another client (``broken_references``), of the records
    ``only`` names (a table it leaves out is not looked at; None: every record); ([], []) on PostgreSQL."""
    if conn.dialect.name != "sqlite":
        return [], []
    tables = [t for t in tables if only is None or t.name in only]
    rows = None if only is None else {name: f'"{column}" IN (SELECT value FROM json_each(?))'
                                      for name, (column, _values) in only.items()}
    params = None if only is None else {name: (json.dumps(list(values)),) for name, (_c, values) in only.items()}
    found = find_damaged(conn, list(tables), rows=rows, params=params)
    return found, broken_references(conn, tables, only) if references else []


def refuse(conn: Connection, tables: Sequence[Table], only: Scope | None = None, *, references: bool = True) -> None:
    """Raise UserError naming what ``look`` finds (``damaged.values_refusal``: the values, the references, the way
    out); return when it finds nothing."""
    found, broken = look(conn, tables, only, references=references)
    if found or broken:
        raise values_refusal(found, conn, broken)


def broken_references(conn: Connection, tables: Sequence[Table], only: Scope | None = None,
                      limit: int = FOUND_MAX) -> list[BrokenReference]:
    """(SQLite) The records of ``tables`` (those ``only`` names, see ``look``) whose reference to another record's id
    names none, or one of another client (``other_client``: an entry of one client «billed by» another's act), at
    most ``limit``, table by table, by record id. One statement a reference: a join on the parent's key."""
    found: list[BrokenReference] = []
    for table in tables:
        if only is not None and table.name not in only:
            continue
        for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
            parent = fk.column.table
            if fk.column.name != "id":  # a stage number: a value the damaged scan checks
                continue
            c = fk.parent.name
            same_client = "client_id" in table.c and "client_id" in parent.c
            other = 'p."client_id" IS NOT t."client_id"' if same_client else "0"
            where = [f't."{c}" IS NOT NULL', f'(p."id" IS NULL OR {other})']
            params: list[object] = []
            if only is not None:
                column, values = only[table.name]
                where.append(f't."{column}" IN (SELECT value FROM json_each(?))')
                params.append(json.dumps(list(values)))
            sql = (f'SELECT t."id", t."{c}", p."id" IS NOT NULL FROM "{table.name}" AS t LEFT JOIN "{parent.name}" '
                   f'AS p ON p."id" = t."{c}" WHERE {" AND ".join(where)} ORDER BY t."id" LIMIT ?')
            params.append(limit - len(found))
            for key, value, exists in conn.exec_driver_sql(sql, tuple(params)):
                found.append(BrokenReference(table.name, key, c, value, parent.name, other_client=bool(exists)))
            if len(found) >= limit:
                return found
    return found
