"""Work-log entries the billing cannot count right (an unknown kind, a deleted flag not 0/1, a date that is no date), refused.

Another program may write «ufo» in work_log.kind or «нет» in work_log.deleted: pricing skips an unknown kind
(an act left the day out of its total yet marked it billed) and the flag's filter drops «нет» (the day vanished
from the act and the log). The readers that bill or total entries select these rows too, within their one
statement, and refuse them here (app.persistence.damaged names the values and the way out)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    and_,
    func,
    literal,
    literal_column,
    not_,
    or_,
    type_coerce,
)
from sqlalchemy.orm import Session

from app.domain.pricing import KINDS
from app.persistence.damaged import BrokenReference, DamagedValue, date_ok_sql, refuse_damaged, values_refusal
from app.persistence.models import Base, Client, Document, WorkLogEntry


def flag_columns(s: Session) -> tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]]:
    """What a reader of the work log adds to its one statement so that ``refuse_rows`` can check its rows: the
    deleted flag as stored (select it labelled ``flag``), whether it is 0/1 (labelled ``flag_ok``), and the WHERE
    condition keeping the live entries and those whose flag is neither (used instead of ``deleted IS 0``)."""
    return flag_columns_of(s.get_bind().dialect.name == "sqlite")


def flag_columns_of(on_sqlite: bool) -> tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]]:
    """``flag_columns`` for a database kind known without a session (a statement built once, for each kind)."""
    deleted = type_coerce(WorkLogEntry.deleted, Integer)
    if not on_sqlite:  # PostgreSQL keeps a boolean
        return deleted, literal(True), WorkLogEntry.deleted.is_(False)
    flag_ok = and_(func.typeof(deleted) == "integer", deleted.in_((0, 1)))
    return deleted, flag_ok, or_(WorkLogEntry.deleted.is_(False), not_(flag_ok))


def period_scope(s: Session, date_from: date | None, date_to: date | None) -> list[ColumnElement[Any]]:
    """The WHERE conditions of a work-log reader's period: its entries from ``date_from`` to ``date_to`` (either may
    be None) and, on SQLite, those whose date is not a date text at all — «ufo» sorts after every date and an act
    left that day out without a word; read, its date raises in SQLAlchemy's reader and the refusal names it
    (app.persistence.damaged). [] when neither bound is given."""
    return period_bounds(s.get_bind().dialect.name == "sqlite", date_from, date_to)


def period_bounds(on_sqlite: bool, date_from: Any, date_to: Any) -> list[ColumnElement[Any]]:
    """``period_scope`` for a database kind known without a session; the bounds may be dates or bound parameters
    (a statement built once), either None."""
    bounds = [*([WorkLogEntry.on_date >= date_from] if date_from is not None else []),
              *([WorkLogEntry.on_date <= date_to] if date_to is not None else [])]
    if not bounds or not on_sqlite:
        return bounds
    return [or_(and_(*bounds), not_(a_date()))]


def a_date() -> ColumnElement[bool]:
    """(SQLite) Whether an entry's on_date is a date the program reads: a text «YYYY-MM-DD» of a day that exists.
    «ufo» is none, and neither is «2025-13-01», which sorts between 2025-12-31 and 2026-01-01 and so fell out of
    every month's period."""
    return literal_column(date_ok_sql(f"{WorkLogEntry.__tablename__}.on_date"), Boolean)


def act_found() -> ColumnElement[Any]:
    """What a reader of the work log selects (labelled ``act_found``, with the entry's ``billed_by_document_id``,
    outer-joining Document on it) so that ``refuse_rows`` can tell an entry «billed by» a document that does not
    exist: NULL there."""
    return Document.id.label("act_found")


def refuse_rows(rows: Sequence[Any], s: Session) -> None:
    """Raise UserError naming the entries among ``rows`` (with ``id``, ``kind`` — the entry's, selected first —
    ``flag`` and ``flag_ok``, selected with ``flag_columns``, ``billed_by_document_id`` and ``act_found``) whose flag
    is not 0/1, whose kind the program does not know, whose minutes, days or amount lie outside the form's ranges
    (1–1 440 min, up to 31 days, up to 1 000 000 ₽), or whose mark names an act that does not exist (another program
    wrote 999 there: an act took the entry for billed — «уже выставлено актами » with no act named — and the log
    showed it as not billed; its work was never billed); nothing when there are none. The rows of a live entry are
    then exactly the reader's rows as before."""
    from app.services.worklog import MAX_AMOUNT, MAX_DAYS, MAX_MINUTES

    # the form's ranges: another program's 2 000 000 000 minutes made a 56-billion act, -500 were billed as 0
    limits = (("minutes", MAX_MINUTES), ("days", MAX_DAYS), ("amount", MAX_AMOUNT))
    found = []
    broken = []
    for row in rows:
        if not row.flag_ok:
            found.append(DamagedValue("work_log", row.id, "deleted", row.flag, False))
        for column, limit in limits:
            value = getattr(row, column, None)
            if value is not None and not 0 < value <= limit:
                found.append(DamagedValue("work_log", row.id, column, value, False))
        if row.kind not in KINDS:
            found.append(DamagedValue("work_log", row.id, "kind", row.kind, False))
        if row.billed_by_document_id is not None and row.act_found is None:
            broken.append(BrokenReference("work_log", row.id, "billed_by_document_id", row.billed_by_document_id,
                                          Document.__tablename__))
    if found or broken:
        raise values_refusal(found, s.get_bind(), broken)


def refuse_client_values(s: Session, client_id: int, *, entries: bool = False, date_from: date | None = None,
                         date_to: date | None = None) -> None:
    """Raise UserError naming the values another program wrote (or damage) that the program cannot read or use in
    the client's own record — an approach «ufo», a stage 9, a blob in its KPP or name — and, with ``entries``, in its
    entries of the period (``date_from``/``date_to``, either may be None; those whose date is no date too) that are
    not deleted: such a value failed far from the read («'ufo' is not a valid Approach», «'bytes' object has no
    attribute …») and stopped the month's whole batch, or was printed as it is. A reader about to use these records
    calls it: one look at the client's row and its entries (app.persistence.damaged.find_damaged); nothing on
    PostgreSQL, which keeps types itself."""
    if s.get_bind().dialect.name != "sqlite":
        return
    rows = {Client.__tablename__: '"id" = ?'}
    params: dict[str, tuple] = {Client.__tablename__: (int(client_id),)}
    if entries:
        where = ['"client_id" = ?', '"deleted" IS NOT 1']
        values: list[object] = [int(client_id)]
        bounds = []
        if date_from is not None:
            bounds.append('"on_date" >= ?')
            values.append(date_from.isoformat())
        if date_to is not None:
            bounds.append('"on_date" <= ?')
            values.append(date_to.isoformat())
        if bounds:
            where.append(f"(({' AND '.join(bounds)}) OR NOT {date_ok_sql('on_date')})")
        rows[WorkLogEntry.__tablename__] = " AND ".join(where)
        params[WorkLogEntry.__tablename__] = tuple(values)
    tables = Base.metadata.tables
    refuse_damaged(s.connection(), [tables[Client.__tablename__], tables[WorkLogEntry.__tablename__]], rows=rows,
                   params=params)
