"""Values in a SQLite file the program cannot read (written by another program, or damaged), named in Russian.

SQLite keeps any value in any column: a file edited by hand or by another tool can hold «» or «2024-13-45» where a
date belongs, «abc» where an amount in kopecks does. Reading the row then fails (``ValueError: month must be in
1..12``, ``invalid literal for int()``), and the window closed with Python's English message, the command line said
«Внутренняя ошибка». ``Database.read`` and ``.unit`` hand such a failure here: the typed columns — dates, date-times
and the hundredths of app.persistence.types.Fixed2 — are scanned (only then: a pass over their rows) and, when
damaged values are found, the failure becomes a refusal naming them and the way out (status 2 on the command
line). Plain integers, flags, stage numbers and approach codes are scanned too (a word there fails far from the
read, or a row silently drops out of a filter), and so are texts: a blob or a number where a name belongs failed far
from the read (``", ".join``: «expected str instance, bytes found»). A restore scans the backup before it replaces
anything (app.exchange.restore)."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType

from sqlalchemy import Boolean, Connection, Date, DateTime, Engine, Integer, String, Table
from sqlalchemy.types import TypeDecorator

from app.domain.pricing import KINDS as WORK_KINDS
from app.domain.stages import KNOWN_APPROACHES, KNOWN_STAGES
from app.errors import UserError
from app.i18n import _, format_number
from app.persistence.types import Fixed2

SHOWN = 10  # damaged values named in the message; the count says how many were found (up to FOUND_MAX)
FOUND_MAX = 1000

# the forms SQLAlchemy writes on SQLite (sqlalchemy.dialects.sqlite.DATE / DATETIME storage formats), as real dates:
# SQLite's date() keeps «2024-02-30» as given unless a modifier makes it compute (then «2024-03-01»), and year 0000
# is SQLite's but not Python's. What these let through as suspect is checked again with SQLAlchemy's own reader.
# A day 01–28 of a month 01–12 exists in every year, so date() — most of the scan's time — is asked only for 29–31,
# and the time of day is compared as text (its digits are checked by the GLOB).
_DAY_OK = ("substr({c}, 6, 2) BETWEEN '01' AND '12' AND substr({c}, 1, 4) <> '0000' "
           "AND (substr({c}, 9, 2) BETWEEN '01' AND '28' OR date({d}, '+0 days') IS {d})")
_DATE_OK = ("typeof({c}) = 'text' AND {c} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND "
            + _DAY_OK.replace("{d}", "{c}"))
_DATETIME_OK = ("typeof({c}) = 'text' AND {c} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] "
                "[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND " + _DAY_OK.replace("{d}", "substr({c}, 1, 10)")
                + " AND substr({c}, 12, 2) <= '23' AND substr({c}, 15, 2) <= '59' AND substr({c}, 18, 2) <= '59' "
                "AND (length({c}) = 19 OR (length({c}) > 20 AND substr({c}, 20, 1) = '.' "
                "AND NOT substr({c}, 21) GLOB '*[^0-9]*'))")
_INTEGER_OK = "typeof({c}) = 'integer'"
_FLAG_OK = "typeof({c}) = 'integer' AND {c} IN (0, 1)"  # a Boolean: «нет» there read as true, filtered as false
_HUNDREDTHS_OK = _INTEGER_OK  # Fixed2 keeps an integer of hundredths; a text «12» and a real 150.0 are read, «abc»
# and 1.5 not
# a text column (String, Text, UUIDText): the program only ever stores texts there (every such column has SQLite's
# TEXT affinity, which turns a number bound to it into its text), so a blob — or a number in a table another program
# made — is another program's; it is used as text and fails far from the read
_TEXT_OK = "typeof({c}) = 'text'"
# the columns holding a stage number or an approach code (read as stored, then looked up as Stage(…) / Approach(…):
# «'ufo' is not a valid Approach» was «Внутренняя ошибка»); named one by one — client_counts.done_at_stage is a count
_STAGE_COLUMNS = frozenset({("client", "stage"), ("work_log", "stage"), ("document", "stage"),
                            ("stage_event", "from_stage"), ("stage_event", "to_stage"), ("lesson", "stage"),
                            ("checklist_template", "stage")})
_APPROACH_COLUMNS = frozenset({("client", "approach"), ("estimate", "approach")})
# other codes looked up in a table of the program's (a work-log kind «ufo»: KeyError in the list, left out of the fact)
_CODE_COLUMNS = {("work_log", "kind"): WORK_KINDS}
_STAGE_OK = "typeof({c}) = 'integer' AND {c} IN (" + ", ".join(map(str, sorted(KNOWN_STAGES))) + ")"
_APPROACH_OK = "typeof({c}) = 'text' AND {c} IN (" + ", ".join(f"'{a}'" for a in sorted(KNOWN_APPROACHES)) + ")"


def date_ok_sql(column: str) -> str:
    """The SQLite condition a date stored in ``column`` (e.g. «work_log.on_date») meets when the program can read it:
    a text «YYYY-MM-DD» of a day that exists — what the scan checks, for a reader's own WHERE."""
    return "(" + _DATE_OK.replace("{c}", column) + ")"


@dataclass(frozen=True)
class DamagedValue:
    """One stored value SQLAlchemy cannot read: its table, the row's key, its column and the value as stored."""

    table: str
    key: object
    column: str
    value: object
    is_date: bool = True  # a date or date-time (the message says «dates» when every value is one)


@dataclass(frozen=True)
class BrokenReference:
    """A stored reference to a record that does not exist (e.g. a work-log entry «billed by» document 999, which
    another program deleted or made up): its table, the row's key, its column, the value and the table it names."""

    table: str
    key: object
    column: str
    value: object
    parent: str
    other_client: bool = False  # the record exists, but is another client's (an entry «billed by» another's act)


_READERS = ("str_to_date", "str_to_datetime", "str_to_time")  # SQLAlchemy's readers of SQLite's date texts
_OUR_READERS = "process_result_value"  # app.persistence.types' readers (Fixed2's hundredths)


def _in_value_reader(trace: TracebackType | None) -> bool:
    """Whether the failure was raised while a stored value was read: in SQLAlchemy's readers of date texts (its
    Cython or Python processors) or in a reader of app.persistence.types. Another failure (the program's own
    ValueError) is not a stored value's, and must not be blamed on one."""
    while trace is not None:
        code = trace.tb_frame.f_code
        if "sqlalchemy" in code.co_filename and code.co_name.endswith(_READERS):
            return True
        if code.co_name == _OUR_READERS and code.co_filename.replace("\\", "/").endswith("app/persistence/types.py"):
            return True
        trace = trace.tb_next
    return False


def _valid_sql(column) -> tuple[str, bool, bool] | None:
    """The SQL condition a stored value of ``column`` meets when the program can surely read it, whether the column
    holds dates, and whether a value outside it is confirmed with the column's reader (else it is damaged as it
    is: a stage or an approach the program does not know, a blob in a text); None for a column not looked at."""
    if isinstance(column.type, DateTime):
        return _DATETIME_OK, True, True
    if isinstance(column.type, Date):
        return _DATE_OK, True, True
    if isinstance(column.type, Fixed2):
        return _HUNDREDTHS_OK, False, True
    where = (column.table.name, column.name)
    if where in _STAGE_COLUMNS:
        return _STAGE_OK, False, False
    if where in _APPROACH_COLUMNS:
        return _APPROACH_OK, False, False
    if where in _CODE_COLUMNS:
        return "typeof({c}) = 'text' AND {c} IN (" + ", ".join(f"'{k}'" for k in _CODE_COLUMNS[where]) + ")", False, False
    if isinstance(column.type, Boolean):  # «нет» in work_log.deleted: the entry vanished from every list
        return _FLAG_OK, False, False
    if isinstance(column.type, Integer):  # read as stored: a blob or a word there fails far away (minutes // 60)
        return _INTEGER_OK, False, False
    stored = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(stored, String):  # also Text and UUIDText (a LargeBinary is not a String: not looked at)
        return _TEXT_OK, False, False
    return None


def shown(value: object, width: int = 60) -> str:
    """A stored value as one short line: control characters and a blob's bytes made visible, long texts cut."""
    text = value.hex(" ") if isinstance(value, bytes) else str(value)
    text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text[:width + 1])
    return text[:width] + "…" if len(text) > width else text


def _unreadable(table: Table, column, engine: Engine, value: object) -> bool:
    """Whether SQLAlchemy's own result processing of ``column`` refuses ``value`` (the scan's candidates checked
    again, so that only what the program really cannot read is named)."""
    processor = column.type.dialect_impl(engine.dialect).result_processor(engine.dialect, None)
    if processor is None:
        return False
    try:
        processor(value)
    except (ValueError, TypeError, ArithmeticError):  # ArithmeticError: int(inf), a Decimal past its precision
        return True
    return False


def find_damaged(engine: Engine | Connection, tables: list[Table], limit: int = FOUND_MAX,
                 present: dict[str, set[str]] | None = None, rows: dict[str, str] | None = None,
                 params: dict[str, tuple] | None = None) -> list[DamagedValue]:
    """The stored values of ``tables`` (SQLAlchemy ``Table`` objects) in a SQLite database that the program cannot
    read or use — dates, date-times, Fixed2 hundredths, plain integers, flags, stages, approaches and texts — at most
    ``limit``, in the order of ``tables`` and, within a table, of the record's key; [] for another database
    (PostgreSQL keeps types itself). ``present`` (table -> column names): only those are looked at (a backup made
    by an older version lacks some). One statement a table (a pass over its rows), for the tables with such columns.
    ``rows`` (table -> an SQL condition the caller built, e.g. «"id" = 4»): only those records of those tables are
    looked at (a reader checks the records it is about to use: one client's row and its entries of a period);
    ``params`` (table -> values): the values of the «?» of that table's condition, in order.
    ``engine`` may be a Connection: a reader inside a transaction looks with its own connection."""
    if engine.dialect.name != "sqlite":
        return []
    if isinstance(engine, Connection):
        return _find_damaged(engine, tables, limit, present, rows, params)
    with engine.connect() as conn:
        return _find_damaged(conn, tables, limit, present, rows, params)


_PLANS: dict[tuple[str, tuple[str, ...] | None], tuple[str, list, str, str] | None] = {}


def _plan(table: Table, present: dict[str, set[str]] | None) -> tuple[str, list, str, str] | None:
    """A table's look, worked out once per table and set of present columns: its key, the (column, is_date,
    confirm) of its typed columns, the SQL selecting each column's flag and value, and the OR of the flags; None
    when no column is typed (a reader looking at one client's records before an act asked this ~500 times a batch)."""
    cols = tuple(sorted(present[table.name])) if present is not None else None
    cache_key = (table.name, cols)
    if cache_key in _PLANS:
        return _PLANS[cache_key]
    keys = list(table.primary_key.columns)
    key = keys[0].name if len(keys) == 1 else "rowid"
    checks = []  # (column, is_date, confirm) of the typed columns looked at
    flags = []  # per column, SQL: 1 when its value is there and fails its condition
    for column in table.columns:
        checked = _valid_sql(column)
        if checked is None or (cols is not None and column.name not in cols):
            continue
        valid, is_date, confirm = checked
        name = f'"{column.name}"'
        checks.append((column, is_date, confirm))
        flags.append(f"{name} IS NOT NULL AND NOT ({valid.format(c=name)})")
    plan = None
    if checks:
        shown = ", ".join(f'({flag}), "{column.name}"' for flag, (column, *_) in zip(flags, checks, strict=True))
        plan = (key, checks, shown, " OR ".join(f"({f})" for f in flags))
    _PLANS[cache_key] = plan
    return plan


def _find_damaged(conn: Connection, tables: list[Table], limit: int, present: dict[str, set[str]] | None,
                  rows: dict[str, str] | None, params: dict[str, tuple] | None = None) -> list[DamagedValue]:
    found: list[DamagedValue] = []
    engine = conn.engine
    for table in tables:
        if rows is not None and table.name not in rows:
            continue
        if present is not None and table.name not in present:
            continue
        plan = _plan(table, present)
        if plan is None:
            continue
        key, checks, shown, any_flag = plan
        # one pass over the table for all its typed columns (a pass per column took 2.7 s at 5 000 clients);
        # the first records by key that hold any such value, each with its columns' flags and values. The text is
        # the same for every call with the same condition (its values bound): SQLite's statement cache keeps it
        only = f"({rows[table.name]}) AND " if rows is not None else ""
        sql = f'SELECT "{key}", {shown} FROM "{table.name}" WHERE {only}({any_flag}) ORDER BY "{key}" LIMIT ?'
        in_table: list[DamagedValue] = []
        bound = (*((params or {}).get(table.name, ())), int(limit - len(found)))
        for row in conn.exec_driver_sql(sql, bound):
            for n, (column, is_date, confirm) in enumerate(checks):
                if not row[1 + 2 * n]:
                    continue
                value = row[2 + 2 * n]
                if not confirm or _unreadable(table, column, engine, value):
                    in_table.append(DamagedValue(table.name, row[0], column.name, value, is_date))
        in_table.sort(key=lambda v: (not isinstance(v.key, int), v.key if isinstance(v.key, int) else str(v.key)))
        found += in_table[:limit - len(found)]  # stable: a record's columns in their order
        if len(found) >= limit:
            return found
    return found


def refuse_damaged(conn: Connection, tables: list[Table], rows: dict[str, str] | None = None,
                   params: dict[str, tuple] | None = None) -> None:
    """Raise the refusal naming the values of ``tables`` (only ``rows`` of them, see ``find_damaged``) that the
    program cannot read or use, when there are any: a reader looks at the records it is about to use before it uses
    them, inside its transaction (``conn``). Nothing on PostgreSQL."""
    found = find_damaged(conn, tables, rows=rows, params=params)
    if found:
        raise values_refusal(found, conn)


def damaged_refusal(exc: BaseException, engine: Engine, where: str = "") -> UserError | None:
    """A refusal naming the unreadable values, when ``exc`` (a ValueError, TypeError or ArithmeticError — e.g.
    ``int(inf)``) was raised while a stored value was read and the database holds such values; else None (the
    failure is something else: raise it). ``where``: the database file, named in the command that restores a backup
    into it. The message itself names the first value (some windows show the message without its details)."""
    if not isinstance(exc, ValueError | TypeError | ArithmeticError) or not _in_value_reader(exc.__traceback__):
        return None
    return stored_values_refusal(engine, where)


def unexpected_refusal(exc: BaseException, engine: Engine, where: str = "") -> UserError | None:
    """For a failure the program did not expect (about to be said as «Внутренняя ошибка»): when it is of the kinds a
    value the program cannot use leads to (ValueError, TypeError, KeyError, ArithmeticError — e.g. «'ufo' is not a
    valid Approach» far from the read) and the database holds such values, the refusal naming them; else None."""
    if not isinstance(exc, ValueError | TypeError | KeyError | ArithmeticError):
        return None
    refusal = stored_values_refusal(engine, where)
    if refusal is not None:  # the failure itself stays on record: it may be the program's own, not the values'
        refusal.details.append(_("The failure this came with: {error}").format(error=f"{type(exc).__name__}: {exc}"))
    return refusal


def stored_values_refusal(engine: Engine, where: str = "") -> UserError | None:
    """The refusal naming the values of the database the program cannot read or use (``find_damaged``), or None
    when there are none (or the scan itself failed)."""
    from app.persistence.models import Base

    try:
        found = find_damaged(engine, list(Base.metadata.sorted_tables))
    except Exception:  # the scan failed too: the original failure is the one to report
        return None
    if not found:
        return None
    return _refusal(found, where)


def codes_refusal(rows, engine: Engine | Connection) -> UserError:
    """The refusal naming the clients ``rows`` (anything with ``id``, ``stage``, ``approach``) whose stage or approach
    the program does not know (app.domain.stages.codes_known said no), on any database."""
    found = [DamagedValue("client", r.id, "stage", r.stage, False) for r in rows if r.stage not in KNOWN_STAGES]
    found += [DamagedValue("client", r.id, "approach", r.approach, False) for r in rows
              if r.approach not in KNOWN_APPROACHES]
    return _refusal(found[:FOUND_MAX], _file_of(engine))


def value_refusal(table: str, key: object, column: str, value: object, engine: Engine | Connection) -> UserError:
    """The refusal naming one stored value the program cannot use (e.g. a saved estimate's approach «ufo», which
    read as the user's own typing: «укажите accompanied, remote или onsite»)."""
    return values_refusal([DamagedValue(table, key, column, value, False)], engine)


def values_refusal(found: list[DamagedValue], engine: Engine | Connection,
                   broken: list[BrokenReference] | None = None) -> UserError:
    """The refusal naming ``found`` (e.g. a client's work-log entries of a kind the program does not know, which an
    act would silently leave out) and ``broken`` (references to records that do not exist), not both empty, with the
    command restoring a backup into ``engine``'s file."""
    return _refusal(found[:FOUND_MAX], _file_of(engine), (broken or [])[:FOUND_MAX])


def _file_of(engine: Engine | Connection) -> str:
    """The SQLite file behind ``engine`` (an Engine, or a Connection's engine), named in the restore command; ""
    for another database."""
    return str(engine.engine.url.database or "") if engine.dialect.name == "sqlite" else ""


def named(found: list[DamagedValue]) -> tuple[str, list[str]]:
    """``found`` (non-empty) as the count to say («3», «1000+») and one line a value, the first SHOWN of them, then
    «… and N more» when there are more: shared by the refusals and by a restore's check of a backup."""
    return counted(len(found), [_("{table}, record {key}, {column}: «{value}»").format(
        table=v.table, key=v.key, column=v.column, value=shown(v.value)) for v in found[:SHOWN]])


def counted(total: int, lines: list[str]) -> tuple[str, list[str]]:
    """``total`` things found (at most FOUND_MAX looked for) said as the count to say («3», «1000+») and ``lines``
    (one a thing, the first SHOWN of them) followed by «… and N more» when there are more."""
    if total >= FOUND_MAX:
        lines = [*lines, _("… and more.")]
    elif total > SHOWN:
        lines = [*lines, _("… and {n} more.").format(n=format_number(total - SHOWN))]
    return (format_number(total) if total < FOUND_MAX else f"{format_number(FOUND_MAX)}+"), lines


def _refusal(found: list[DamagedValue], where: str, broken: list[BrokenReference] | None = None) -> UserError:
    """The message naming ``found`` and ``broken`` (not both empty): the first in the heading, up to SHOWN of each
    kind in the details, the way out."""
    said: list[str] = []
    if broken:  # as a restore names a backup's references to nothing (app.exchange.backup)
        count, lines = counted(len(broken), [
            (_("table {table}, record {key}, {field}: a record of another client in «{parent}»") if r.other_client
             else _("table {table}, record {key}, {field}: no such record in «{parent}»"))
            .format(table=r.table, key=r.key, field=f"{r.column}: «{shown(r.value)}»", parent=r.parent)
            for r in broken[:SHOWN]])
        heading = (_("The database holds records that refer to records that do not exist or belong to another "
                     "client (written by another program, or damaged): {n}; {first}.")
                   if any(r.other_client for r in broken) else
                   _("The database holds records that refer to records that do not exist (written by another program, "
                     "or damaged): {n}; {first}."))
        said += [heading.format(n=count, first=lines[0]), *lines[1:]]
    if found:
        said += _values_said(found, also=bool(said))
    details = said[1:]
    backup = _("BACKUP_FILE")
    command = f"vnedrenie --db \"{where}\" restore {backup}" if where else f"vnedrenie restore {backup}"
    # the window's way in the text, the command line's as the hint only the CLI prints (UserError.cli_hint)
    details.append(_("Correct these values with the program that wrote them, or restore the last good backup (in the "
                     "window: «File ▸ Restore from backup…»; the data now are backed up first)."))
    return UserError(said[0], details, cli_hint=_("The command: {command}").format(command=command), restorable=True)


def _values_said(found: list[DamagedValue], *, also: bool) -> list[str]:
    """``found`` (non-empty) as a heading naming the first and a line each of the next ones; ``also``: after other
    damage already said."""
    count, lines = named(found)
    if also:
        heading = _("The database also holds values the program cannot read (written by another program, or "
                    "damaged): {n}; {first}.")
    elif all(v.is_date for v in found):
        heading = _("The database holds dates the program cannot read (written by another program, or damaged): "
                    "{n}; {first}.")
    else:
        heading = _("The database holds values the program cannot read (written by another program, or damaged): "
                    "{n}; {first}.")
    return [heading.format(n=count, first=lines[0]), *lines[1:]]
