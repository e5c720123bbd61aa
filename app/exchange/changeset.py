"""Changesets: clients' records as row changes per table keyed by UUID, and the old merge (newer wins).

The unit of exchange is a ``RowChange`` (table, op, uuid, updated_at, values). References between
client-owned rows travel as UUIDs (``client_id`` becomes ``client_uuid``), so a changeset means the same
on every installation. Bundles carry one changeset; a later live sync can send the same thing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property, partial
from operator import methodcaller
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    UniqueConstraint,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from app.domain.quotes import quoted
from app.errors import UserError
from app.i18n import N_, _, format_number
from app.team.server_triggers import DOCUMENT_KEPT, DOCUMENT_VOIDING

OPS = ("upsert", "delete")
TEXT_MAX = 1_000_000
MAX_ROWS = 2_000_000
CHUNK = 5_000
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_YEARS = (1900, 2200)

TABLE_TITLES = {
    "client": N_("Client"), "contact": N_("Contact"), "employee": N_("Employee"),
    "stage_event": N_("Stage move"), "checklist_state": N_("Checklist tick"),
    "lesson_progress": N_("Lesson"), "work_log": N_("Work log entry"), "estimate": N_("Estimate"),
    "document": N_("Document"),
}
FIELD_TITLES = {
    "name": N_("name"), "inn": N_("INN"), "kpp": N_("KPP"), "address": N_("address"), "city": N_("city"),
    "approach": N_("approach"), "stage": N_("stage"), "contract_no": N_("contract No."),
    "contract_date": N_("contract date"), "program_version": N_("program version"), "manager": N_("manager"),
    "signer_name": N_("signer"), "signer_position": N_("signer's position"), "notes": N_("Notes"),
    "position": N_("position"), "phone": N_("phone"), "email": N_("e-mail"), "department": N_("department"),
    "done": N_("done"), "done_on": N_("done on"), "on_date": N_("date"), "kind": N_("kind"),
    "minutes": N_("number of minutes"), "days": N_("number of days"), "amount": N_("amount"), "note": N_("note"),
    "deleted": N_("deleted"), "total": N_("total"), "content": N_("contents"),
    "signed_returned_on": N_("signed copy returned"), "year": N_("year"), "number": N_("number"),
    "stage_since": N_("in the stage since"), "created_at": N_("created at"), "client_id": N_("client"),
    "from_stage": N_("from stage"), "to_stage": N_("to stage"), "at": N_("moved at"), "who": N_("who"),
    "reason": N_("reason"), "forced": N_("forced"), "code": N_("code"), "lesson_code": N_("lesson"),
    "employee_uuid": N_("employee"), "conference_hours": N_("conference hours"),
    "question_hours": N_("question hours"), "control_hours": N_("control hours"), "transfer": N_("transfer"),
    "lodging": N_("lodging"), "issued_on": N_("issued on"), "period_from": N_("period from"),
    "period_to": N_("period to"), "series": N_("numbering series"),
    "voided_on": N_("voided on"), "void_reason": N_("reason for voiding"),
    "billed_by_document_id": N_("billed by act"),
    "billed_by_document_uuid": N_("billed by act"),  # the key a sync conflict stores (app/sync/merge.py)
}
LABEL_FIELDS = {
    "client": ("name", "inn"), "contact": ("name",), "employee": ("name",), "stage_event": ("from_stage", "to_stage"),
    "checklist_state": ("code",), "lesson_progress": ("lesson_code",), "work_log": ("on_date", "kind"),
    "estimate": ("on_date", "approach"),
}
# the specialist's week: planned events and the questions log
TABLE_TITLES.update({"planned_event": N_("Planned event"), "question": N_("Question")})
FIELD_TITLES.update({
    "starts_at": N_("start"), "time_zone": N_("time zone"), "duration_min": N_("duration"),
    "section": N_("section of accounting"), "lesson_codes": N_("lessons"), "participant_uuids": N_("participants"),
    "place": N_("place or link"), "status": N_("status"), "actual_min": N_("real duration"),
    "entry_id": N_("work-log entry"), "asked_on": N_("asked on"), "channel": N_("channel"),
    "question": N_("question"), "answer": N_("answer"), "search_text": N_("search text"),
    "ticked_codes": N_("lessons ticked"),
})
FIELD_TITLES.setdefault("updated_at", N_("changed at"))
LABEL_FIELDS.update({"planned_event": ("starts_at", "kind"), "question": ("asked_on", "question")})
# the team (issue 17): who is responsible, who wrote last, the server's version
FIELD_TITLES.update({"specialist_login": N_("responsible specialist"), "manager_login": N_("responsible manager"),
                     "updated_by": N_("last changed by"), "row_version": N_("server version")})
# a user-added checklist item travels through the team server (its conflicts name it by its title)
TABLE_TITLES.update({"checklist_template": N_("Checklist template item")})
FIELD_TITLES.update({"title": N_("wording"), "requires": N_("required item")})
LABEL_FIELDS.update({"checklist_template": ("title",)})


class BundleError(UserError):
    """The file's contents are refused; nothing was changed."""


# ------------------------------------------------------------------ table specs


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


# ------------------------------------------------------------------ changes


@dataclass(frozen=True, slots=True)  # slots: a large file holds hundreds of thousands of these
class RowChange:
    """One row's change: ``values`` are typed Python values keyed as in the changeset (refs as UUIDs)."""

    table: str
    op: str
    uuid: str
    updated_at: datetime
    values: dict[str, Any] = field(default_factory=dict)
    # format 2: the common ancestors the exporter knows, peer installation -> (its export number, the fields of
    # the record as that export had them where they differ from ``values``, JSON-encoded); see app/exchange/versioned.py
    # (None instead of the fields: that export had the record deleted)
    bases: dict[str, tuple[int, dict[str, Any] | None]] = field(default_factory=dict)

    def as_json(self) -> dict:
        data: dict[str, Any] = {"op": self.op, "uuid": self.uuid, "updated_at": _enc_datetime(self.updated_at)}
        if self.op == "upsert":
            cols = {c.key: c for c in spec(self.table).columns}
            data["values"] = {k: encode(cols[k].kind, v) for k, v in self.values.items()}
        if self.bases:
            data["bases"] = encode_bases(self.bases)
        return data


def encode_bases(bases: dict[str, tuple[int, dict[str, Any] | None]]) -> dict[str, dict[str, Any]]:
    """``bases`` as a bundle carries them: {peer: {"version": n, "values": {...}} or {"version": n, "deleted": true}}."""
    return {peer: {"version": v, "deleted": True} if values is None else {"version": v, "values": values}
            for peer, (v, values) in bases.items()}


@dataclass
class Changeset:
    """Row changes per table, in parent-before-child order, and tombstones of deleted or erased records
    (``tombstones.TombstoneChange``)."""

    tables: dict[str, list[RowChange]] = field(default_factory=dict)
    tombstones: list[Any] = field(default_factory=list)
    # the checklist items added by a user there (app/exchange/checklist_items.py), so their ticks land here
    checklist_items: list[dict[str, Any]] = field(default_factory=list)
    # and those of them deleted there ([{"uuid", "bases"}]), so a deletion travels as through the team server
    checklist_deleted: list[dict[str, Any]] = field(default_factory=list)

    def rows(self, table: str) -> list[RowChange]:
        return self.tables.get(table, [])

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items() if rows}

    def as_json(self) -> dict:
        data: dict[str, Any] = {"tables": {name: [r.as_json() for r in rows] for name, rows in self.tables.items()
                                           if rows}}
        if self.checklist_items:
            data["checklist_template"] = [_item_json(i) for i in self.checklist_items]
        if self.checklist_deleted:
            data["checklist_template_deleted"] = [_item_json(i) for i in self.checklist_deleted]
        if self.tombstones:
            data["tombstones"] = [ts.as_json() for ts in self.tombstones]
        return data

    @classmethod
    def from_json(cls, data: Any, *, consume: bool = False) -> Changeset:
        """Decode and validate every value; any problem refuses the whole changeset. ``consume``: each raw row
        of ``data["tables"]`` is dropped (set to None) once decoded, so the file's JSON and its decoded rows are
        not held whole side by side (the caller's ``data`` is then spent)."""
        if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
            raise BundleError(_("The file's contents are not in the expected format."))
        known = {s.name: s for s in table_specs()}
        unknown = [name for name in data["tables"] if name not in known]
        if unknown:
            raise BundleError(_("The file contains records of an unknown kind: {names}. It was probably made by "
                                "a newer version of the program.").format(names=", ".join(map(str, unknown))[:200]))
        result = cls()
        total = 0
        for table_spec in table_specs():
            raw_rows = data["tables"].get(table_spec.name) or []
            if not isinstance(raw_rows, list):
                raise BundleError(_("The file's contents are not in the expected format."))
            total += len(raw_rows)
            if total > MAX_ROWS:
                raise BundleError(_("The file has too many records (more than {n}).").format(n=format_number(MAX_ROWS)))
            seen: set[str] = set()
            rows = []
            for index, raw in enumerate(raw_rows):
                row = _decode_row(table_spec, raw)
                if consume:
                    raw_rows[index] = None
                if row.uuid in seen:
                    raise BundleError(_("The file contains the record {uuid} twice.").format(uuid=row.uuid))
                seen.add(row.uuid)
                rows.append(row)
            if rows:
                result.tables[table_spec.name] = rows
        result.decode_head(data, total)
        return result

    def decode_head(self, data: dict, total: int) -> None:
        """Decode the members beside the tables (tombstones, checklist items) of ``data`` into this changeset;
        ``total``: the number of the file's rows. BundleError for anything malformed or too many records."""
        raw_tombstones = data.get("tombstones") or []
        if not isinstance(raw_tombstones, list):
            raise BundleError(_("The file's contents are not in the expected format."))
        if total + len(raw_tombstones) > MAX_ROWS:
            raise BundleError(_("The file has too many records (more than {n}).").format(n=format_number(MAX_ROWS)))
        from app.exchange.tombstones import TombstoneChange

        self.tombstones = [TombstoneChange.from_json(raw) for raw in raw_tombstones]
        from app.exchange.checklist_items import parse, parse_deleted

        self.checklist_items = parse(data.get("checklist_template"))
        self.checklist_deleted = parse_deleted(data.get("checklist_template_deleted"))


def _item_json(item: dict[str, Any]) -> dict[str, Any]:
    """A checklist item entry as the bundle carries it (bases encoded, none left out)."""
    bases = item.get("bases")
    out = {k: v for k, v in item.items() if k != "bases"}
    if bases:
        out["bases"] = bases if all(isinstance(b, dict) for b in bases.values()) else encode_bases(bases)
    return out


# ------------------------------------------------------------------ value encoding


def _enc_datetime(value: datetime) -> str:
    return value.isoformat(timespec="microseconds")


# How a value of each column kind goes into JSON; kinds not named here (text, uuid, int, bigint, bool) as they are
ENCODERS: dict[str, Callable[[Any], Any]] = {"money": str, "date": methodcaller("isoformat"), "datetime": _enc_datetime}


def encode(kind: str, value: Any) -> Any:
    """``value`` of a column of ``kind`` as the changeset's JSON holds it (None stays None)."""
    if value is None:
        return None
    encoder = ENCODERS.get(kind)
    return value if encoder is None else encoder(value)


# fields titled by the card's own label (a capitalised msgid the card shares: «Примечания», never «заметки» beside
# the card's «Примечания» and «--notes»: tester L, item 12), said in lower case in a line like every other field
CARD_LABELS = frozenset({"notes"})


def field_title(key: str) -> str:
    """The user's name of a record field («город», «примечания»), the key itself when there is none."""
    if key not in FIELD_TITLES:
        return key
    title = _(FIELD_TITLES[key])
    return title[:1].lower() + title[1:] if key in CARD_LABELS else title


def _bad(table: str, who: str, key: str, value: Any) -> BundleError:
    """The refusal of a file's value: its record (``who``: a UUID or ``_who``'s label, said whole — cut, a label lost
    its closing quote: «АО «Байкальский инструментальный за, поле …»), the field and the value (cut at 60)."""
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "…"
    return BundleError(_("The file contains an invalid value: {table} {uuid}, field «{field}» = {value}.").format(
        table=_(TABLE_TITLES.get(table, table)), uuid=who,
        field=key[:60] if key not in FIELD_TITLES else f"{field_title(key)}, {key}", value=shown))


def decode(kind: str, value: Any, *, max_len: int = TEXT_MAX) -> Any:
    """A JSON value as the column's Python value; ValueError when it does not fit."""
    if kind == "text":
        if not isinstance(value, str) or len(value) > max_len or _BAD_CHARS.search(value):
            raise ValueError
        return value
    if kind == "uuid":
        if not isinstance(value, str) or not _UUID.match(value):
            raise ValueError
        return value.lower()
    if kind in ("int", "bigint"):
        limit = 2**31 if kind == "int" else 2**63
        if type(value) is not int or not -limit <= value < limit:
            raise ValueError
        return value
    if kind == "bool":
        if type(value) is not bool:
            raise ValueError
        return value
    if kind == "date":
        if not isinstance(value, str) or not _DATE.match(value):
            raise ValueError
        parsed = date.fromisoformat(value)
        if not _YEARS[0] <= parsed.year <= _YEARS[1]:
            raise ValueError
        return parsed
    if kind == "datetime":
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError
        stamp = datetime.fromisoformat(value)
        if stamp.tzinfo is not None:
            from datetime import UTC

            stamp = stamp.astimezone(UTC).replace(tzinfo=None)
        if not _YEARS[0] <= stamp.year <= _YEARS[1]:
            raise ValueError
        return stamp
    if kind == "money":
        if not isinstance(value, str | int) or isinstance(value, bool) or len(str(value)) > 30:
            raise ValueError
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise ValueError from None
        exponent = amount.as_tuple().exponent
        if not isinstance(exponent, int) or exponent < -2 or abs(amount) >= Decimal(10) ** 13:
            raise ValueError
        return amount.quantize(Decimal("0.01"))
    raise ValueError


def _decoder(kind: str, max_len: int) -> Callable[[Any], Any]:
    """``decode(kind, value, max_len=max_len)`` as a function of the value alone, the common kinds inlined (a
    large import decodes ~0.5 million values)."""
    if kind == "text":
        bad = _BAD_CHARS.search

        def text(value: Any) -> Any:
            if not isinstance(value, str) or len(value) > max_len or bad(value):
                raise ValueError
            return value

        return text
    if kind == "uuid":
        good = _UUID.match

        def uuid(value: Any) -> Any:
            if not isinstance(value, str) or not good(value):
                raise ValueError
            return value.lower()

        return uuid
    if kind in ("int", "bigint"):
        limit = 2**31 if kind == "int" else 2**63

        def integer(value: Any) -> Any:
            if type(value) is not int or not -limit <= value < limit:
                raise ValueError
            return value

        return integer
    return partial(decode, kind, max_len=max_len)


@cache
def _decoders(table: str) -> dict[str, tuple[ColumnSpec, Callable[[Any], Any]]]:
    """The changeset key -> (column, its ``_decoder``) of ``table``."""
    return {c.key: (c, _decoder(c.kind, c.max_len)) for c in spec(table).columns}


_decode_uuid = _decoder("uuid", 36)


def _who(table: str, row_uuid: str, given: Any) -> str:
    """How a refusal names a record of the file: by its label fields (a client's name and ИНН, an entry's date and
    kind: «12.11.2026 conference»), printable characters only; by its UUID when it has none."""
    parts = []
    if isinstance(given, dict):
        for key in LABEL_FIELDS.get(table, ()):
            value = given.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
                text = str(value)
                if len(text) == 10 and text[4] == "-" and text[7] == "-":  # an ISO date
                    text = f"{text[8:10]}.{text[5:7]}.{text[:4]}"
                text = "".join(c for c in text if c.isprintable())
                parts.append(text if len(text) <= 60 else text[:59] + "…")
    return quoted(" ".join(parts)) if parts else row_uuid


def _decode_row(table_spec: TableSpec, raw: Any) -> RowChange:
    name = table_spec.name
    if not isinstance(raw, dict):
        raise BundleError(_("The file's contents are not in the expected format."))
    row_uuid = raw.get("uuid")
    try:
        row_uuid = _decode_uuid(row_uuid)
    except (ValueError, TypeError):
        raise _bad(name, str(row_uuid)[:36], "uuid", row_uuid) from None
    try:
        stamp = decode("datetime", raw.get("updated_at"))
    except (ValueError, TypeError):
        raise _bad(name, row_uuid, "updated_at", raw.get("updated_at")) from None
    op = raw.get("op", "upsert")
    if op not in OPS:
        raise _bad(name, row_uuid, "op", op)
    bases = decode_bases(name, row_uuid, raw.get("bases"))
    if op == "delete":
        return RowChange(name, op, row_uuid, stamp, bases=bases)
    given = raw.get("values")
    if not isinstance(given, dict):
        raise BundleError(_("The file's contents are not in the expected format."))
    columns = _decoders(name)
    values: dict[str, Any] = {}
    # the record is named in words (``_who``) only when it is refused: building the label for every row of a
    # large file cost more than decoding it (issue 15)
    for key, value in given.items():
        known = columns.get(key)
        if known is None:  # a column this version does not know: refuse rather than drop data silently
            raise BundleError(_("The file contains a field this version does not know: {table}.{field}. "
                                "Update the program.").format(table=name, field=str(key)[:60]))
        if value is None:
            if not known[0].nullable:
                raise _bad(name, _who(name, row_uuid, given), key, value)
            values[key] = None
            continue
        try:
            values[key] = known[1](value)
        except (ValueError, TypeError, OverflowError):
            raise _bad(name, _who(name, row_uuid, given), key, value) from None
    missing = [c.key for c in _required(name) if c.key not in values]
    if missing:
        raise _bad(name, _who(name, row_uuid, given), missing[0], None)
    try:
        _check_domain(name, row_uuid, values)
    except _Refused as refused:
        raise refused.error(_who(name, row_uuid, given)) from None
    return RowChange(name, op, row_uuid, stamp, values, bases)


MAX_BASES = 64  # peers a record may name (a team of laptops, not thousands)


def decode_bases(table: str, row_uuid: str, raw: Any) -> dict[str, tuple[int, dict[str, Any] | None]]:
    """The ``bases`` member of a format-2 row or tombstone: {peer uuid: {"version": n, "values": {key: JSON}}}
    or {peer uuid: {"version": n, "deleted": true}} (that export had the record deleted: values None).

    Values are checked against the column kinds like the record's own (they are compared, never written
    as they are) and kept JSON-encoded. BundleError for anything malformed."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or len(raw) > MAX_BASES:
        raise BundleError(_("The file's contents are not in the expected format."))
    columns = _by_key(table)
    out: dict[str, tuple[int, dict[str, Any] | None]] = {}
    for peer, item in raw.items():
        try:
            peer_id = decode("uuid", peer)
        except (ValueError, TypeError):
            raise _bad(table, row_uuid, "bases", peer) from None
        if not isinstance(item, dict) or not isinstance(item.get("values", {}), dict):
            raise _bad(table, row_uuid, "bases", item)
        version = item.get("version")
        if type(version) is not int or not 0 <= version < 2**63:
            raise _bad(table, row_uuid, "bases", version)
        if item.get("deleted", False) is True:
            out[peer_id] = (version, None)
            continue
        values: dict[str, Any] = {}
        for key, value in item.get("values", {}).items():
            col = columns.get(key)
            if col is None:
                raise BundleError(_("The file contains a field this version does not know: {table}.{field}. "
                                    "Update the program.").format(table=table, field=str(key)[:60]))
            if value is None:
                values[key] = None
                continue
            try:
                values[key] = encode(col.kind, decode(col.kind, value, max_len=col.max_len))
            except (ValueError, TypeError, OverflowError):
                raise _bad(table, row_uuid, key, value) from None
        out[peer_id] = (version, values)
    return out


@cache
def _approaches() -> frozenset[str]:
    from app.domain.stages import Approach

    return frozenset(a.value for a in Approach)


@cache
def _work_kinds() -> frozenset[str]:
    from app.domain.pricing import KINDS

    return frozenset(KINDS)


class _Refused(Exception):
    """A record breaks a rule of ``_check_domain``: the refusal is worded once the record's label is known."""

    def __init__(self, table: str, key: str, value: Any, message: str | None) -> None:
        super().__init__(key)
        self.table, self.key, self.value, self.message = table, key, value, message

    def error(self, who: str) -> BundleError:
        if self.message:
            return BundleError(_("The file contains an invalid record: {table} {uuid}: {problem}").format(
                table=_(TABLE_TITLES.get(self.table, self.table)), uuid=who, problem=self.message))
        return _bad(self.table, who, self.key, self.value)


@cache
def _required(table: str) -> tuple[ColumnSpec, ...]:
    """The columns a row of ``table`` must carry: not nullable and without a default."""
    return tuple(c for c in spec(table).columns if not c.nullable and not c.has_default)


def _check_domain(table: str, row_uuid: str, values: dict[str, Any]) -> None:
    """The business rules a hand-made file could break (the same ones the forms enforce); raises ``_Refused``."""
    from app.domain.validation import inn_error, kpp_error

    def refuse(key: str, message: str | None = None) -> None:
        raise _Refused(table, key, values.get(key), message)

    if table == "client":
        if "inn" in values and inn_error(values["inn"]):
            refuse("inn", inn_error(values["inn"]))
        if values.get("kpp") and kpp_error(values["kpp"]):
            refuse("kpp", kpp_error(values["kpp"]))
        if "approach" in values and values["approach"] not in _approaches():
            refuse("approach")
        if not values.get("name", "x").strip():
            refuse("name")
    for key in ("stage", "from_stage", "to_stage"):
        if values.get(key) is not None and not 0 <= values[key] <= 4:
            refuse(key)
    if table == "work_log":
        if "kind" in values and values["kind"] not in _work_kinds():
            refuse("kind")
        for key in ("minutes", "days", "amount"):
            if values.get(key) is not None and values[key] < 0:
                refuse(key)


# ------------------------------------------------------------------ collect (export side)


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def collect(s: Session, client_ids: list[int] | None = None) -> Changeset:
    """The records of the given clients (all clients when None) as an upsert changeset."""
    result = Changeset()
    id_to_uuid: dict[str, dict[int, str]] = {}
    for table_spec in table_specs():
        t = table_spec.table
        query = select(t).order_by(t.c.id)
        if client_ids is not None and table_spec.name == "client":
            rows = [r for chunk in _chunks(client_ids) for r in s.execute(query.where(t.c.id.in_(chunk))).mappings()]
        elif client_ids is not None and "client_id" in t.c:
            rows = [r for chunk in _chunks(client_ids)
                    for r in s.execute(query.where(t.c.client_id.in_(chunk))).mappings()]
        else:
            rows = list(s.execute(query).mappings())
        changes = []
        known = id_to_uuid.setdefault(table_spec.name, {})
        for r in rows:
            values: dict[str, Any] = {}
            skip = False
            for col in table_spec.columns:
                value = r[col.name]
                if col.ref_table and value is not None:
                    value = id_to_uuid.get(col.ref_table, {}).get(value)
                    if value is None:  # refers to a row outside this export
                        skip = True
                        break
                values[col.key] = value
            if skip:
                continue
            known[r["id"]] = r["uuid"]
            changes.append(RowChange(table_spec.name, "upsert", r["uuid"], r["updated_at"], values))
        if changes:
            result.tables[table_spec.name] = changes
    from app.exchange.tombstones import collect_tombstones

    client_uuids = None if client_ids is None else [r.uuid for r in result.rows("client")]
    result.tombstones = collect_tombstones(s, client_uuids)
    from app.exchange.checklist_items import deleted_items, user_items

    result.checklist_items = user_items(s)
    result.checklist_deleted = deleted_items(s)
    return result


# ------------------------------------------------------------------ merge (import side)


@dataclass(frozen=True)
class Conflict:
    """A record both sides have, with different contents: which fields differ and which side won."""

    table: str
    uuid: str
    label: str
    fields: tuple[str, ...]
    local_updated_at: datetime
    incoming_updated_at: datetime


@dataclass
class MergeReport:
    added: Counter = field(default_factory=Counter)
    overwritten: list[Conflict] = field(default_factory=list)  # the file's newer record replaced ours
    kept_local: list[Conflict] = field(default_factory=list)  # ours is newer (or the same age): kept
    deleted: Counter = field(default_factory=Counter)  # deleted here as they were on the other installation
    matched: list[str] = field(default_factory=list)  # same client found by INN under another UUID
    unchanged: int = 0
    client_ids: set[int] = field(default_factory=set)
    refused: list[Any] = field(default_factory=list)  # tombstones.Refusal: not brought in, and why
    kept_deleted: list[Any] = field(default_factory=list)  # their deletion is older than our version
    # format 2 (version-based merge, app/exchange/versioned.py); the two lists above stay empty then
    versioned: bool = False
    changed: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (label, fields taken from the file)
    conflicts: list[VersionConflict] = field(default_factory=list)  # recorded in sync_conflict
    notes: list[str] = field(default_factory=list)  # sentences after the report (other members' clients: sync)
    people: dict[str, str] = field(default_factory=dict)  # login -> name of the members the conflicts name
    # client UUID -> its records that stay here, or come back, with a client a delete against an edit kept: what
    # its deletion on the other computer (or here) took with it (app/exchange/versioned.py ``_kept_clients``)
    with_client: Counter = field(default_factory=Counter)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def lines(self) -> list[str]:
        """The conflict report, in the UI language, then its ``notes``."""
        if self.versioned:
            return self._versioned_lines() + self.notes
        out = [_("Added: {added}; overwritten by newer records from the file: {over}; kept here as newer: "
                 "{kept}; unchanged: {same}.").format(added=format_number(self.total_added),
                                                      over=format_number(len(self.overwritten)),
                                                      kept=format_number(len(self.kept_local)),
                                                      same=format_number(self.unchanged))]
        out.extend(self._added_and_matched_lines())
        if self.overwritten:
            out.append(_("Overwritten (the file's version was newer):"))
            out.extend("  ! " + _conflict_line(c) for c in self.overwritten)
        if self.kept_local:
            out.append(_("Kept as they were here (this version is newer):"))
            out.extend("  · " + _conflict_line(c) for c in self.kept_local)
        out.extend(self._removal_lines())
        return out + self.notes

    def _added_and_matched_lines(self) -> list[str]:
        """What both report formats list first: records added per table, clients matched by ИНН."""
        out = ["  + " + _("{what}: {n}").format(what=_(TABLE_TITLES.get(name, name)), n=format_number(count))
               for name, count in self.added.items() if count]
        if self.matched:
            out.append(_("Matched with clients already here by INN:"))
            out.extend(f"  = {label}" for label in self.matched)
        return out

    def _versioned_lines(self) -> list[str]:
        out = [_("Added: {added}; changed by the file: {changed}; conflicts: {conflicts}; unchanged: {same}.").format(
            added=format_number(self.total_added), changed=format_number(len(self.changed)),
            conflicts=format_number(len(self.conflicts)), same=format_number(self.unchanged))]
        out.extend(self._added_and_matched_lines())
        if self.changed:
            out.append(_("Changed on the other computer and taken from the file:"))
            out.extend("  ~ " + _("{label}: {fields}").format(label=label, fields=", ".join(map(field_title, fields)))
                       for label, fields in self.changed)
        if self.conflicts:
            out.append(_("Conflicts (changed on both computers; see «sync conflicts», choose with «sync resolve»):"))
            out.extend("  ! " + c.line(self.people, records=self.with_client.get(c.uuid) if c.table == "client"
                                       else None) for c in self.conflicts)
        out.extend(self._removal_lines())
        return out

    def _removal_lines(self) -> list[str]:
        """What both report formats list last: deletions taken or refused, records not brought in."""
        out = []
        if self.deleted:
            out.append(_("Deleted here as on the other computer: {n}").format(n=format_number(sum(self.deleted.values()))))
        if self.kept_deleted and not self.versioned:  # as before: the version-based report leaves it out
            out.append(_("Kept although deleted on the other computer (changed here later): {n}").format(
                n=format_number(len(self.kept_deleted))))
        if self.refused:
            out.append(_("Not brought in: {n}").format(n=format_number(len(self.refused))))
            out.extend("  × " + _("{label}: {reason}").format(label=r.label, reason=r.reason) for r in self.refused)
        return out


@dataclass(frozen=True)
class VersionConflict:
    """A conflict of the version-based merge, as the import report shows it (the full record is in sync_conflict):
    ``kind`` field | delete_edit (deleted in the file, edited here) | edit_delete (deleted here, edited in the
    file); ``kept`` file | here (this computer's value: ``versioned.keeps_here``)."""

    table: str
    uuid: str
    label: str
    kind: str
    field: str
    here: Any
    incoming: Any
    kept: str

    def line(self, people: dict[str, str] | None = None, *, records: int | None = None) -> str:
        """The report's line; a field's two values in the words of `sync conflicts` (app/team/display.py
        ``conflict_value``: yes/no, dd.mm.yyyy, titles, roubles, ``people``: login -> a member's name). ``records``:
        of a client's delete against an edit, how many of its records the deletion took with it that stay (come
        back) with it."""
        if self.kind == "delete_edit" and records:
            return _("{label}: deleted on the other computer, changed here — kept with all its records: those "
                     "deleted there with it ({n}) stay here, and your next file takes them back there").format(
                label=self.label, n=format_number(records))
        if self.kind == "delete_edit":
            return _("{label}: deleted on the other computer, changed here — kept").format(label=self.label)
        if self.kind == "edit_delete" and records:
            return _("{label}: deleted here, changed on the other computer — brought back with its records that "
                     "were deleted here with it ({n})").format(label=self.label, n=format_number(records))
        if self.kind == "edit_delete":
            return _("{label}: deleted here, changed on the other computer — brought back").format(label=self.label)
        if self.kind == "double_billing":  # the words of the sync's conflict (app/team/display.py), «аннулируйте …»
            from app.team.display import double_billing_text

            sentence = double_billing_text("", _shown(self.here), _shown(self.incoming), self.kept)
            return _("{label}: {sentence}").format(label=self.label, sentence=sentence[:1].lower() + sentence[1:])
        from app.team.display import conflict_value

        text = _("{label}: {field} (here {local}, in the file {incoming}; kept: the file's)") if self.kept == "file" \
            else _("{label}: {field} (here {local}, in the file {incoming}; kept: this computer's)")
        local, incoming = (_shown(conflict_value(self.table, self.field, v, people)) for v in (self.here, self.incoming))
        return text.format(label=self.label, field=field_title(self.field), local=local, incoming=incoming)


def _shown(value: Any) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _conflict_line(c: Conflict) -> str:
    return _("{label}: {fields} (here {local}, in the file {incoming})").format(
        label=c.label, fields=", ".join(field_title(f) for f in c.fields), local=c.local_updated_at.strftime("%Y-%m-%d %H:%M:%S"),
        incoming=c.incoming_updated_at.strftime("%Y-%m-%d %H:%M:%S"))


class _Labels:
    """Readable names of records for the report: «Contact Иванов — ООО «Ромашка»»."""

    def __init__(self, item_titles: dict[str, str] | None = None) -> None:
        self.client_names: dict[int, str] = {}
        self.item_titles = item_titles or {}  # checklist code -> title: a tick is named by its item's title

    def label(self, table: str, values: dict[str, Any]) -> str:
        if table == "document":
            return self._client(table, values, _document_label(values))
        parts = []
        for name in LABEL_FIELDS.get(table, ()):
            value = values.get(name)
            if (table, name) == ("checklist_state", "code") and value in self.item_titles:
                value = self.item_titles[value]  # «Настроить ЭДО», never «s2.custom_c1f9918e96»
            if value not in (None, ""):
                parts.append(value.strftime("%d.%m.%Y") if isinstance(value, date) else _kind_title(table, name, value))
        text = _(TABLE_TITLES.get(table, table)) + (" " + quoted(" ".join(parts)) if parts else "")  # «ООО „Ромашка“»
        return self._client(table, values, text)

    def _client(self, table: str, values: dict[str, Any], text: str) -> str:
        client_id = values.get("client_id")
        if table != "client" and client_id in self.client_names:
            text += " — " + self.client_names[client_id]
        return text


def item_titles(s: Session, changeset: Changeset) -> dict[str, str]:
    """Checklist code -> title for naming ticks in an import's report: the items here (the file's new ones
    merged already), else the file's own item rows (an item deleted here)."""
    from app.persistence.models import ChecklistTemplate

    titles = {str(i.get("code")): str(i.get("title")) for i in changeset.checklist_items if i.get("title")}
    titles.update((code, title) for code, title in s.execute(select(ChecklistTemplate.code, ChecklistTemplate.title)))
    return titles


def _kind_title(table: str, field: str, value: Any) -> str:
    """A work or event kind, an approach by its title («Конференция», never «conference»); any other value as
    it is."""
    if field == "approach":
        from app.domain.stages import APPROACH_UI, Approach

        try:
            return _(APPROACH_UI[Approach(value)])
        except (ValueError, KeyError):
            return str(value)
    if (table, field) == ("work_log", "kind"):
        from app.domain.pricing import KIND_TITLES_UI

        return _(KIND_TITLES_UI[value]) if value in KIND_TITLES_UI else str(value)
    if (table, field) == ("planned_event", "kind"):
        from app.services.plan import EVENT_KIND_TITLES

        return _(EVENT_KIND_TITLES[value]) if value in EVENT_KIND_TITLES else str(value)
    return str(value)


def _document_label(values: dict[str, Any]) -> str:
    """«Отчёт о ходе внедрения ОВ-1/2026» (with the series suffix for another installation's document)."""
    from app.services.documents import KIND_TITLES_UI, PREFIXES, document_code

    kind, number, year = values.get("kind"), values.get("number"), values.get("year")
    if kind not in PREFIXES or number is None or year is None:
        return _(TABLE_TITLES["document"])
    return "{title} {code}".format(title=_(KIND_TITLES_UI[kind]),
                                   code=document_code(kind, number, year, values.get("series") or ""))


def localize_series(s: Session, changeset: Changeset, source_installation: str, *,
                    from_team: bool = False) -> Changeset:
    """Documents' numbering series as seen here: '' in the file means the source installation; our own
    installation's id means ours (''). So the same «АУ-1/2026» issued on two installations never clashes.

    Within a team there is one series: every member's documents are numbered from the server's blocks
    (app/sync/numbers.py) and kept in the series ''. So when the file comes from a team's computer
    (``from_team``: the manifest's «team») and this computer belongs to a team too, '' stays '' — the
    team's «АУ-43/2026» stays «АУ-43/2026» on every laptop and on the server, never «(установка …)» of the
    laptop that happened to carry it (issue 17: the importer's sync was then refused for ever, the server
    keeping an issued document's series fixed)."""
    from app.persistence.models import Setting

    rows = changeset.rows("document")
    if not rows:
        return changeset
    try:
        source = decode("uuid", source_installation)
    except ValueError:
        source = ""  # a hand-made file without a usable id: its documents count as ours (clashes are refused)
    if from_team:
        from app.exchange.origin import team_computer

        if team_computer(s):
            source = ""  # the team's series
    setting = s.get(Setting, "installation_id")
    local = setting.value.lower() if setting else ""

    def localized(change: RowChange) -> RowChange:
        if change.op != "upsert":
            return change
        series = change.values.get("series") or source
        series = "" if series == local else series
        return RowChange(change.table, change.op, change.uuid, change.updated_at, {**change.values, "series": series},
                         change.bases)

    return Changeset(tables={**changeset.tables, "document": [localized(c) for c in rows]},
                     tombstones=changeset.tombstones, checklist_items=changeset.checklist_items,
                     checklist_deleted=changeset.checklist_deleted)


# What an issued document keeps as it was issued, the team server's rule (app/team/server_triggers.py): a file
# never changes these of a document that exists here (a file names the client by its UUID); once voided here, its
# voiding neither.
DOCUMENT_FIXED = tuple("client_uuid" if c == "client_id" else c for c in DOCUMENT_KEPT if c != "uuid")


def keep_fixed(table: str, here: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """``incoming`` (a file's values of a record that exists here, in the changeset's keys) with what the
    record keeps fixed taken from ``here`` (either keyed by the changeset's keys or by column names): an issued document's number, series, kind, year, client, dates,
    total and contents, and its voiding once voided here. Other tables' values are returned as they are."""
    if table != "document":
        return incoming
    fixed = DOCUMENT_FIXED + ("client_id",) + (DOCUMENT_VOIDING if here.get("voided_on") is not None else ())
    return {k: here[k] if k in fixed and k in here else v for k, v in incoming.items()}


def apply(s: Session, changeset: Changeset, source_installation: str | None = None, *,
          made_at: datetime | None = None, now: datetime | None = None, version: int | None = None,
          from_team: bool = False) -> MergeReport:
    """Merge into the database in the caller's transaction. A clash that cannot be merged raises BundleError
    (the caller rolls back).

    ``version`` is the exporter's export number (bundle format 2): the merge is then version-based, the same
    rules as the team sync (``app/exchange/versioned.py``, docs/sync.md «Bundles»). Without it (format 1,
    an older program's file) the old rule holds: new rows are added, for the same UUID the newer
    ``updated_at`` wins.

    Every record first goes through the domain validation the forms use (``validate.check_changeset``);
    one invalid record refuses the whole changeset. ``made_at`` is when the changeset was made (UTC) and
    ``now`` the current UTC time (default: the clock). ``source_installation`` is the id of the installation
    that made the changeset: its documents keep their numbers in that installation's series (see
    ``localize_series``; ``from_team``: the file was made on a team's computer, the manifest's «team»)."""
    from app.exchange.checklist_items import ensure
    from app.exchange.tombstones import Guard, apply_incoming
    from app.exchange.validate import check_changeset
    from app.persistence.models import utcnow

    if version is not None:  # the items merged by versions there, before the checks
        from app.exchange.versioned import apply_versioned

        return apply_versioned(s, changeset, source_installation or "", version, made_at=made_at,
                               from_team=from_team)
    ensure(s, changeset.checklist_items)  # before the checks: a tick of an item added there is known here
    now = now or utcnow()
    check_changeset(s, changeset, made_at=made_at, now=now)
    if source_installation is not None:
        changeset = localize_series(s, changeset, source_installation, from_team=from_team)
    report = MergeReport()
    uuids = {r.uuid for rows in changeset.tables.values() for r in rows}
    uuids |= {r.values["client_uuid"] for rows in changeset.tables.values() for r in rows
              if isinstance(r.values.get("client_uuid"), str)}
    guard = Guard.load(s, uuids, made_at=made_at, now=now)
    apply_incoming(s, changeset.tombstones, guard, report)
    id_map: dict[str, dict[str, int]] = {}  # table -> incoming uuid -> local id
    labels = _Labels(item_titles(s, changeset))
    for table_spec in table_specs():
        changes = changeset.rows(table_spec.name)
        if changes:
            _apply_table(s, table_spec, _guarded(changes, guard, report, labels), id_map, report, labels,
                         guard)
    return report


def _guarded(changes: list[RowChange], guard, report: MergeReport, labels: _Labels) -> list[RowChange]:
    """The upserts the guard lets in (deleted or erased here, future-dated… are reported and left out)."""
    from app.exchange.tombstones import Refusal

    kept = []
    for change in changes:
        if change.op == "upsert":
            reason = guard.refusal(change)
            if reason is not None:
                report.refused.append(Refusal(change.table, change.uuid, labels.label(change.table, change.values),
                                              reason))
                continue
            change = guard.keep_erased(change)
        kept.append(change)
    return kept


def _load_by(s: Session, t: Table, column: str, keys: list) -> list:
    rows: list = []
    for chunk in _chunks(sorted(set(keys), key=str)):
        rows.extend(s.execute(select(t).where(t.c[column].in_(chunk))).mappings())
    return rows


def _apply_table(s: Session, table_spec: TableSpec, changes: list[RowChange], id_map: dict[str, dict[str, int]],
                 report: MergeReport, labels: _Labels, guard=None) -> None:
    t = table_spec.table
    name = table_spec.name
    local_by_uuid = {r["uuid"]: r for r in _load_by(s, t, "uuid", [c.uuid for c in changes])}

    # references: incoming UUIDs -> local ids (rows merged just before, or already here)
    for ref in table_spec.refs:
        assert ref.ref_table is not None
        known = id_map.setdefault(ref.ref_table, {})
        wanted = {c.values.get(ref.key) for c in changes} - known.keys() - {None}
        if wanted:
            target = spec(ref.ref_table).table
            for chunk in _chunks(sorted(set(wanted))):
                known.update({u: i for i, u in s.execute(select(target.c.id, target.c.uuid).where(
                    target.c.uuid.in_(chunk)))})

    def local_values(change: RowChange) -> dict[str, Any]:
        values = {}
        for col in table_spec.columns:
            if col.key not in change.values:
                continue
            value = change.values[col.key]
            if col.ref_table and value is not None:
                local_id = id_map[col.ref_table].get(value)
                if local_id is None:
                    raise BundleError(_("The file is inconsistent: {record} refers to a record that is neither "
                                        "in the file nor here.").format(record=labels.label(name, change.values)))
                value = local_id
            values[col.name] = value
        return values

    prepared = [(c, local_values(c) if c.op == "upsert" else {}) for c in changes]

    # natural keys (INN, one checklist row per client and code…): a row made independently on both sides
    by_key: dict[tuple[str, ...], dict[tuple, Any]] = {}
    for key_cols in table_spec.natural_keys:
        candidates = [v.get(key_cols[0]) for c, v in prepared if c.op == "upsert" and c.uuid not in local_by_uuid]
        candidates = [x for x in candidates if x is not None]
        index: dict[tuple, Any] = {}
        if candidates:
            for r in _load_by(s, t, key_cols[0], candidates):
                index[tuple(r[c] for c in key_cols)] = r
        by_key[key_cols] = index

    if name == "client":
        labels.client_names.update({r["id"]: r["name"] for r in local_by_uuid.values()})
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    deletes: list[int] = []
    deleted_uuids: list[tuple[str, datetime]] = []  # an older file's «delete» rows: remembered as tombstones
    pending_keys: dict[tuple[tuple[str, ...], tuple], str] = {}
    value_cols = [c.name for c in table_spec.columns]
    for change, values in prepared:
        local = local_by_uuid.get(change.uuid)
        if change.op == "delete":
            if local is None:
                continue
            if change.updated_at >= local["updated_at"]:
                deletes.append(local["id"])
                deleted_uuids.append((change.uuid, change.updated_at))
                report.deleted[name] += 1
            else:
                report.kept_local.append(Conflict(name, change.uuid, labels.label(name, dict(local)), ("—",),
                                                  local["updated_at"], change.updated_at))
            continue
        if local is None:
            for key_cols, index in by_key.items():
                key = tuple(values.get(c) for c in key_cols)
                if None in key:
                    continue
                found = index.get(key)
                if found is not None:
                    if name != "client" and not any(table_spec.column(c).ref_table for c in key_cols):
                        raise BundleError(_("{label} in the file clashes with a different record here with the same "
                                            "{fields}.").format(
                            label=labels.label(name, values), fields=", ".join(map(field_title, key_cols))))
                    local = found
                    if name == "client":
                        report.matched.append(labels.label(name, values))
                    break
                if (key_cols, key) in pending_keys:
                    raise BundleError(_("The file contains two records for {label}.").format(
                        label=labels.label(name, values)))
                pending_keys[(key_cols, key)] = change.uuid
        if local is None:
            row = {"uuid": change.uuid, "updated_at": change.updated_at, **values}
            inserts.append(row)
            report.added[name] += 1
            continue
        note_existing(name, change.uuid, local, id_map, report, labels)
        values = keep_fixed(name, dict(local), values)  # an issued document keeps what it was issued with
        diff = tuple(c for c in value_cols if c in values and values[c] != local[c])
        label_values = {**dict(local), **values}
        forced = guard is not None and guard.forced(change)
        if change.updated_at > local["updated_at"] or (forced and diff):
            merged = {c: values.get(c, local[c]) for c in value_cols}
            stamp = max(change.updated_at, local["updated_at"])
            updates.append({"_pk": local["id"], "_stamp": stamp, **{f"v_{c}": v for c, v in merged.items()}})
            if diff:
                report.overwritten.append(Conflict(name, change.uuid, labels.label(name, label_values), diff,
                                                   local["updated_at"], change.updated_at))
            else:
                report.unchanged += 1
        elif diff:
            report.kept_local.append(Conflict(name, change.uuid, labels.label(name, label_values), diff,
                                              local["updated_at"], change.updated_at))
        else:
            report.unchanged += 1

    if deletes:
        from app.persistence.tracking import record_tombstones

        for row_uuid, stamp in deleted_uuids:
            record_tombstones(s.connection(), [(row_uuid, name)], "delete", stamp, "")
        for chunk in _chunks(deletes):
            s.execute(t.delete().where(t.c.id.in_(chunk)))
    if updates:
        stmt = (sql_update(t).where(t.c.id == _bind("_pk"))
                .values({"updated_at": _bind("_stamp"), **{c: _bind(f"v_{c}") for c in value_cols}}))
        s.execute(stmt, updates)
    if inserts:
        insert_rows(s, table_spec, inserts, id_map, report, labels)


def note_existing(name: str, uuid: str, local: Any, id_map: dict[str, dict[str, int]], report: MergeReport,
                  labels: _Labels) -> None:
    """A file's record that exists here (``local``: its row mapping): remember its local id and the client
    it touches, and a client's name for the report's labels."""
    id_map.setdefault(name, {})[uuid] = local["id"]
    if name == "client":
        report.client_ids.add(local["id"])
        labels.client_names[local["id"]] = local["name"]
    elif "client_id" in local:
        report.client_ids.add(local["client_id"])


# Session.info key: {table: {uuid: local id}} the records inserted in this session should take when free
KEEP_IDS = "vnedrenie.keep_ids"


def insert_rows(s: Session, table_spec: TableSpec, rows: list[dict[str, Any]], id_map: dict[str, dict[str, int]],
                report: MergeReport, labels: _Labels, *, ids: bool | None = None) -> None:
    """Insert new records of one table in chunks of 1 000 (rows of one file normally share their keys: grouped
    so that each executemany is uniform), recording their local ids in ``id_map`` (``ids``; None: for the tables
    other records refer to; a client's always) and the touched clients.
    A record named in ``s.info[KEEP_IDS]`` takes that local id when no row holds it (undo of a deletion)."""
    t = table_spec.table
    name = table_spec.name
    wanted = s.info.get(KEEP_IDS, {}).get(name)
    if wanted:  # an undone deletion: its records take their old local ids back where still free
        hinted = {r["uuid"]: wanted[r["uuid"]] for r in rows if r["uuid"] in wanted}
        taken = {i for chunk in _chunks(sorted(hinted.values()))
                 for (i,) in s.execute(select(t.c.id).where(t.c.id.in_(chunk)))}
        rows = [{**r, "id": hinted[r["uuid"]]} if hinted.get(r["uuid"]) not in (None, *taken) else r for r in rows]
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    # one executemany per chunk, without RETURNING: with it SQLite (no sentinel column) is sent one INSERT per
    # row (issue 15: 120 000 single-row statements at 2 000 clients); the ids of the records others refer to
    # are read back by UUID, one SELECT per chunk
    needs_ids = name == "client" or (name in referenced_tables() if ids is None else ids)
    from app.exchange.fast_insert import insert_many

    for group in groups.values():
        for chunk in _chunks(group, 1000):
            insert_many(s.connection(), t, chunk)
            if needs_ids:
                known = id_map.setdefault(name, {})
                for local_id, row_uuid in s.execute(select(t.c.id, t.c.uuid).where(
                        t.c.uuid.in_([r["uuid"] for r in chunk]))):
                    known[row_uuid] = local_id
                    if name == "client":
                        report.client_ids.add(local_id)
            if "client_id" in t.c:
                report.client_ids.update(r["client_id"] for r in chunk)
    if name == "client":
        labels.client_names.update({id_map[name][r["uuid"]]: r.get("name", "") for r in rows})


@cache
def referenced_tables() -> frozenset[str]:
    """The tables whose rows other client-owned rows refer to (a merge needs their local ids)."""
    return frozenset(c.ref_table for t in table_specs() for c in t.refs if c.ref_table)


def _bind(name: str):
    from sqlalchemy import bindparam

    return bindparam(name)
