"""A file's row decoded and checked: values by column kind, merge bases, the business rules of the forms."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from app.domain.quotes import quoted
from app.exchange.bundle_error import BundleError
from app.exchange.record_titles import FIELD_TITLES, LABEL_FIELDS, TABLE_TITLES, field_title
from app.exchange.row_change import RowChange
from app.exchange.table_specs import ColumnSpec, TableSpec, _by_key, spec
from app.exchange.value_codec import _decode_uuid, _decoder, decode, encode
from app.i18n import _

OPS = ("upsert", "delete")


def _bad(table: str, who: str, key: str, value: Any) -> BundleError:
    """The refusal of a file's value: its record (``who``: a UUID or ``_who``'s label, said whole — cut, a label lost
    its closing quote: «АО «Байкальский инструментальный за, поле …»), the field and the value (cut at 60)."""
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "…"
    return BundleError(_("The file contains an invalid value: {table} {uuid}, field «{field}» = {value}.").format(
        table=_(TABLE_TITLES.get(table, table)), uuid=who,
        field=key[:60] if key not in FIELD_TITLES else f"{field_title(key)}, {key}", value=shown))


@cache
def _decoders(table: str) -> dict[str, tuple[ColumnSpec, Callable[[Any], Any]]]:
    """The changeset key -> (column, its ``_decoder``) of ``table``."""
    return {c.key: (c, _decoder(c.kind, c.max_len)) for c in spec(table).columns}


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
