"""The client-owned tables as a changeset sees them: columns, their kinds and changeset keys, natural keys."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String, Table, UniqueConstraint

from app.exchange.value_codec import TEXT_MAX


@dataclass(frozen=True)
class ColumnSpec:
    name: str  # column in the database
    key: str  # key in the changeset (``client_uuid`` for the reference ``client_id``)
    kind: str  # text | uuid | int | bigint | bool | date | datetime | money
    nullable: bool
    has_default: bool
    max_len: int = TEXT_MAX
    ref_table: str | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    table: Table
    columns: tuple[ColumnSpec, ...]  # everything but id, uuid, updated_at
    natural_keys: tuple[tuple[str, ...], ...]  # other unique constraints (column names)

    @cached_property  # asked once per record by a merge
    def refs(self) -> tuple[ColumnSpec, ...]:
        return tuple(c for c in self.columns if c.ref_table)

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)

    @property
    def by_key(self) -> dict[str, ColumnSpec]:
        return _by_key(self.name)


def _kind(column) -> tuple[str, int]:
    from app.persistence.types import Fixed2, UUIDText

    t = column.type
    if isinstance(t, Fixed2):
        return "money", 0
    if isinstance(t, UUIDText):
        return "uuid", 36
    if isinstance(t, DateTime):
        return "datetime", 0
    if isinstance(t, Date):
        return "date", 0
    if isinstance(t, Boolean):
        return "bool", 0
    if isinstance(t, BigInteger):
        return "bigint", 0
    if isinstance(t, Integer):
        return "int", 0
    if isinstance(t, String):
        return "text", t.length or TEXT_MAX
    raise TypeError(f"{column.table.name}.{column.name}: no changeset encoding for {t!r}")


@cache
def table_specs() -> tuple[TableSpec, ...]:
    """Every client-owned (Synced) table, parents before children."""
    from app.persistence.models import Base, Synced

    synced = {m.persist_selectable.description for m in Base.registry.mappers if issubclass(m.class_, Synced)}
    specs = []
    for table in Base.metadata.sorted_tables:
        if table.name not in synced:
            continue
        columns = []
        for c in table.columns:
            if c.primary_key or c.name in ("uuid", "updated_at"):
                continue
            ref = None
            for fk in c.foreign_keys:
                if fk.column.table.name in synced and fk.column.name == "id":
                    ref = fk.column.table.name
            kind, max_len = ("uuid", 36) if ref else _kind(c)
            key = (c.name[:-3] if c.name.endswith("_id") else c.name) + "_uuid" if ref else c.name
            columns.append(ColumnSpec(name=c.name, key=key, kind=kind, nullable=bool(c.nullable),
                                      has_default=c.default is not None or c.server_default is not None,
                                      max_len=max_len or TEXT_MAX, ref_table=ref))
        keys = tuple(tuple(col.name for col in con.columns) for con in table.constraints
                     if isinstance(con, UniqueConstraint) and [col.name for col in con.columns] != ["uuid"])
        specs.append(TableSpec(name=table.name, table=table, columns=tuple(columns), natural_keys=keys))
    return tuple(specs)


@cache
def _by_key(table: str) -> dict[str, ColumnSpec]:
    return {c.key: c for c in spec(table).columns}


def spec(name: str) -> TableSpec:
    """The spec of the client-owned table ``name``; KeyError for another name."""
    return _specs_by_name()[name]


@cache
def _specs_by_name() -> dict[str, TableSpec]:
    return {s.name: s for s in table_specs()}
