"""An export's records run through the import's rules before the file is placed (app/exchange/validate.py).

An export wrote a client whose ИНН had a wrong check digit, a work-log entry of −5 minutes, a name with a line break
or a record changed «in 2099» (another program had put them in the database) and said «Сохранено»; the import on
the other computer then refused the whole file, far from the database that could be corrected. The export's look
(app/exchange/export_check.py) refuses only the values the program cannot read. ``ExportRules`` gives every record
the export writes to the import's own code, as the import would get it: the record's JSON is decoded by
``row_decode._decode_row`` (its kinds, ranges and business rules) and checked by ``validate.Checker`` (the forms'
rules, the dates, the client's stage against its moves); the first refusal stops the export with the import's
own words, before any file is in place (bundle_export.export_bundle writes into a part file it removes).

The same code, asked less often. Decoding and checking each of the 420 000 rows of the 5 000-client bench database as
the import does made the export 3.5× slower (12.0 s against 3.4 s). ``_Chunk`` asks each rule once per distinct
input instead: a field's decoder and its one-field rules (``Checker.field_problem``) once per distinct value of the
field, and a record's rules (``row_decode._check_domain``, ``validate._CHECKS``) once per distinct combination of the
fields they read, learnt as they run (``_Memo``); what was asked is kept up to ``MEMO_MAX`` inputs (issue 15: memory
does not grow with the records). A chunk in which anything fails, or looks unlike what the export writes, is then
checked row by row by the import's path, which words the refusal; the tables whose rules tie rows together
(clients, stage moves) always are. The export is still 2.4× slower than without the rules (8.0 s against 3.4 s,
bench/RESULTS.md 2026-12-05 15:47): a work-log entry's date, kind and minutes hardly repeat, so its rule
(``worklog.validate_entry``) runs for nearly every entry.

The rules that ask «here» are asked of this database, the one the file is made from:

- the checklist codes and lessons that exist: a tick or a lesson's progress the import refuses is one this
  installation's own catalogue does not know either (the file carries the checklist items added here, and the
  default items and lessons ship with every installation). A lesson plan imported here only still makes the other
  computer refuse the file; the export cannot see that computer's catalogue.
- the clock: the file is format 2 (merged by versions), whose dates are refused only beyond
  ``validate.VERSIONED_HORIZON`` of the later of the file's time and the importer's clock. ``made_at`` is the
  file's time, so the bound the export applies (the file's time plus the horizon) is never later than any
  importer's: what passes here passes there, whatever that computer's clock says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from itertools import compress
from operator import itemgetter, not_
from typing import Any

from sqlalchemy.orm import Session

from app.errors import UserError
from app.exchange.bundle_error import BundleError
from app.exchange.changeset import Changeset
from app.exchange.row_decode import _check_domain, _decode_row, _decoders, _required
from app.exchange.table_specs import spec
from app.exchange.validate import _CHECKS, CHECK_PARTS, Checker
from app.exchange.value_codec import _UUID, _decode_uuid, decode
from app.i18n import _

# the tables whose rows ``Checker`` ties together (a client's stage and its moves): checked row by row, always
ROW_BY_ROW = frozenset({"client", "stage_event"})
MEMO_MAX = 1024  # passed inputs kept per rule and set of fields: then forgotten (memory flat)
VALUES_MAX = 16_384  # decoded values kept per field (a client's id in 500 work-log entries: ~440 of 5 000), ~2 MB


class RecordRefused(UserError):
    """A record the import would refuse: the export stops, naming it as the import does; no file is written."""


class ExportRules:
    """``check(table, rows)`` each chunk of JSON rows an export writes (``stream_export.write_changeset``'s
    ``check``), tables in the file's order; ``finish()`` once every row passed. Both raise ``RecordRefused``."""

    def __init__(self, s: Session, *, made_at: datetime) -> None:
        # the checklist items the file carries are this database's: the ticks are named from here
        self.checker = Checker(s, Changeset(), made_at=made_at, now=made_at, versioned=True)
        self.memos: dict[tuple[str, str, tuple[str, ...]], _Memo] = {}  # (table, rule, fields) -> what passed
        self.values: dict[tuple[str, str, type | None], dict[Any, Any]] = {}  # (table, field, type) -> value -> decoded

    def check(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Raise RecordRefused for the first of ``rows`` (JSON rows of ``table``, as the file holds them) the import
        would refuse."""
        if table not in ROW_BY_ROW and self.checker.versioned and _Chunk(self, table, rows).passes():
            return
        table_spec = spec(table)
        try:
            self.checker.check(table, [_decode_row(table_spec, raw) for raw in rows])
        except BundleError as exc:
            raise _refused(exc) from None

    def memo(self, table: str, name: str, fields: tuple[str, ...], rule: Callable[[Mapping], object]) -> _Memo:
        """What ``rule`` (``name``: «domain» for ``row_decode._check_domain``, «record» for ``validate._CHECKS``)
        passed for ``table``'s records with these ``fields`` so far in this export (a field a record lacks is
        missing alike for every record with the same fields)."""
        key = (table, name, fields)
        return self.memos.get(key) or self.memos.setdefault(key, _Memo(rule))

    def decoded(self, table: str, key: str, kind: type | None) -> dict[Any, Any]:
        """The JSON values of field ``key`` of ``table`` (of Python type ``kind``, or None) seen so far in this export
        that decode and pass the field's own rules, with what they decode to (the distinct dates or clients of
        300 000 work-log entries are few). Kept per type: a dict would take 1 and True for one value."""
        return self.values.setdefault((table, key, kind), {})

    def finish(self) -> None:
        """Raise RecordRefused when the rules that tie records together refuse (a client at a stage none of its
        moves reaches)."""
        try:
            self.checker.finish()
        except BundleError as exc:
            raise _refused(exc) from None


def _refused(exc: BundleError) -> RecordRefused:
    return RecordRefused(_("Nothing was exported: the import on another computer would refuse the file. {refusal}")
                         .format(refusal=exc.message),
                         [_("Correct the record (or delete it) and export again.")])


class _Failed(Exception):
    """A rule refused while ``_Chunk`` asked it: the chunk goes the import's way, which words the refusal."""


def _fail(*_args: Any) -> Exception:
    return _Failed()


class _Reading(Mapping):
    """A record's decoded values that note which of its fields are read: ``get``, ``[]`` and ``in`` (a field the
    record lacks is not noted: ``_Memo`` is per set of fields); reading them all (iterating, ``len``) notes every
    field. ``raw``: the record as JSON, ``decoded``: field -> JSON value -> its decoded value."""

    def __init__(self, raw: dict[str, Any], decoded: dict[str, dict[Any, Any]]) -> None:
        self.raw, self.decoded = raw, decoded
        self.read: dict[str, None] = {}

    def __getitem__(self, key: str) -> Any:
        value = self.decoded[key][self.raw[key]]
        self.read[key] = None
        return value

    def get(self, key: str, default: Any = None) -> Any:
        """The field's decoded value, ``default`` when the record lacks it."""
        if key not in self.raw:
            return default
        self.read[key] = None
        return self.decoded[key][self.raw[key]]

    def __contains__(self, key: object) -> bool:
        if key not in self.raw:
            return False
        self.read[key] = None
        return True

    def __iter__(self) -> Iterator[str]:
        self.read.update(dict.fromkeys(self.raw))
        return iter(self.raw)

    def __len__(self) -> int:
        self.read.update(dict.fromkeys(self.raw))
        return len(self.raw)


class _Memo:
    """The inputs a record's rule passed, by the fields it read. Exact: a rule is a function of the record's values
    (and of the export's context, fixed), so once it passed reading fields K with values V, it passes every record
    whose fields K hold V. Fields are compared as the file holds them (JSON values: «1.50» is not «1.5»). At most
    ``MEMO_MAX`` inputs are kept (issue 15: memory does not grow with the records)."""

    def __init__(self, rule: Callable[[Mapping], object]) -> None:
        self.rule = rule
        self.passed: dict[tuple[str, ...], tuple[Callable[[dict], Any], set[Any]]] = {}  # fields read -> seen

    def unknown(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The rows (JSON values) not known to pass, in their order."""
        for get, seen in list(self.passed.values()):
            if not rows:
                break
            rows = list(compress(rows, map(not_, map(seen.__contains__, map(get, rows)))))
        return rows

    def ask(self, raw: dict[str, Any], decoded: dict[str, dict[Any, Any]]) -> None:
        """Run the rule on a record (``raw``: as JSON; ``decoded``: field -> JSON value -> decoded value) unless it is
        known to pass, and remember that it passed; what it raises is raised."""
        if any(get(raw) in seen for get, seen in self.passed.values()):
            return
        reading = _Reading(raw, decoded)
        self.rule(reading)
        fields = tuple(reading.read)  # () when it read nothing: it passes whatever the record
        get, seen = self.passed.get(fields) or self.passed.setdefault(fields, (_getter(fields), set()))
        if len(seen) >= MEMO_MAX:
            seen.clear()
        seen.add(get(raw))


def _getter(fields: tuple[str, ...]) -> Callable[[dict], Any]:
    if not fields:
        return lambda _raw: ()
    return itemgetter(*fields)


_ROW_KEYS = ("op", "uuid", "updated_at", "values")  # a row as write_changeset hands it over, before its bases
_UUIDS = re.compile("(?:{p}\x1f)*{p}".format(p=_UUID.pattern.strip("^$")))  # a chunk's ids joined: each a UUID


class _Chunk:
    """One chunk of JSON rows of one table asked the import's rules distinct value by distinct value (the module's
    second paragraph). ``passes()`` is True only when every row surely passes ``_decode_row`` and ``Checker.check``;
    False sends the chunk the import's way (a failure, or rows unlike the export's)."""

    def __init__(self, rules: ExportRules, table: str, rows: list[dict[str, Any]]) -> None:
        self.rules, self.table, self.rows = rules, table, rows

    def passes(self) -> bool:
        try:
            return self._passes()
        except Exception:  # a rule refused (or failed): the import's way says how
            return False

    def _passes(self) -> bool:
        table, rows, checker = self.table, self.rows, self.rules.checker
        if not rows:
            return True
        # the parts of a row beside its values: an upsert without bases, a record id and a time of change
        if set(map(tuple, rows)) != {_ROW_KEYS} or set(map(itemgetter("op"), rows)) != {"upsert"}:
            return False
        ids = list(map(itemgetter("uuid"), rows))
        if not _UUIDS.fullmatch("\x1f".join(ids)):  # TypeError: not texts
            for raw in ids:
                _decode_uuid(raw)
        for raw in _distinct(list(map(itemgetter("updated_at"), rows))):
            if checker.field_problem(table, "updated_at", decode("datetime", raw)) is not None:
                return False
        all_raw = list(map(itemgetter("values"), rows))
        shapes = set(map(tuple, all_raw))
        columns = _decoders(table)
        if len(shapes) != 1:
            return False
        (keys,) = shapes
        if not all(key in columns for key in keys) or any(c.key not in keys for c in _required(table)):
            return False
        looked = checker.field_keys(table)
        decoded: dict[str, dict[Any, Any]] = {}
        for key in keys:
            column, decoder = columns[key]
            values = list(map(itemgetter(key), all_raw))
            kinds = set(map(type, values))
            kinds.discard(type(None))
            if len(kinds) > 1:
                return False  # a set would take 1 and True, or 1 and 1.0, for one value
            found = decoded[key] = self.rules.decoded(table, key, kinds.pop() if kinds else None)
            new = set(values).difference(found)
            if len(found) + len(new) > VALUES_MAX:  # forgotten but for this chunk's (``decoded`` holds all of them)
                found.clear()
                new = set(values)
            for raw in new:
                if raw is None:
                    if not column.nullable:
                        return False
                    value = None
                else:
                    value = decoder(raw)
                if key in looked and checker.field_problem(table, key, value) is not None:
                    return False
                found[raw] = value
        context = checker.context
        memos = [self.rules.memo(table, "domain", keys, lambda v: _check_domain(table, "", v))]  # type: ignore[arg-type]
        parts = CHECK_PARTS.get(table) or ((_CHECKS[table],) if table in _CHECKS else ())
        for index, part in enumerate(parts):
            memos.append(self.rules.memo(table, f"record {index}", keys,
                                         lambda v, part=part: part(_fail, v, context)))  # type: ignore[misc]
        for memo in memos:
            for raw in memo.unknown(all_raw):
                memo.ask(raw, decoded)
        return True


def _distinct(values: list[Any]) -> set[Any]:
    """The distinct values of one field in a chunk; TypeError when they are of more than one kind beside None (a
    set would take 1 and True, or 1 and 1.0, for one value)."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if len(kinds) > 1:
        raise TypeError
    return set(values)
