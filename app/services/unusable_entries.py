"""Work-log entries the billing cannot count right (a kind it does not know, a deleted flag not 0/1), refused.

Another program may write «ufo» in work_log.kind or «нет» in work_log.deleted: pricing skips an unknown kind
(an act left the day out of its total yet marked it billed) and the flag's filter drops «нет» (the day vanished
from the act and the log). The readers that bill or total entries ask here first (app.persistence.damaged names
the values and the way out)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, func, literal, not_, or_, select, type_coerce
from sqlalchemy.orm import Session

from app.domain.pricing import KINDS
from app.persistence.damaged import FOUND_MAX, DamagedValue, values_refusal
from app.persistence.models import WorkLogEntry


def refuse_unusable(s: Session, scope: list) -> None:
    """Raise UserError naming the work-log entries within ``scope`` (SQL conditions on work_log, e.g. a client and
    a range of dates) whose kind the program does not know or whose deleted flag is not 0/1 (SQLite: another
    program wrote them); nothing when there are none. One query on the client's index."""
    deleted = type_coerce(WorkLogEntry.deleted, Integer)  # read as stored: «нет» would fail the Boolean's reader
    unknown_kind = WorkLogEntry.kind.not_in(KINDS)
    if s.get_bind().dialect.name == "sqlite":
        flag_ok = and_(func.typeof(deleted) == "integer", deleted.in_((0, 1)))
        bad = or_(and_(flag_ok, deleted == 0, unknown_kind), not_(flag_ok))
    else:  # PostgreSQL keeps a boolean
        flag_ok, bad = literal(True), and_(WorkLogEntry.deleted.is_(False), unknown_kind)
    rows = s.execute(select(WorkLogEntry.id, WorkLogEntry.kind, deleted, flag_ok)
                     .where(*scope, bad).order_by(WorkLogEntry.id).limit(FOUND_MAX)).all()
    if not rows:
        return
    found = []
    for entry_id, kind, flag, flag_is_integer in rows:
        if not (flag_is_integer and flag in (0, 1)):
            found.append(DamagedValue("work_log", entry_id, "deleted", flag, False))
        if kind not in KINDS:
            found.append(DamagedValue("work_log", entry_id, "kind", kind, False))
    raise values_refusal(found, s.get_bind())


def flag_columns(s: Session) -> tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]]:
    """For a reader that checks its own rows (``refuse_rows``) instead of asking ``refuse_unusable`` first: the
    deleted flag as stored (select it labelled ``flag``), whether it is 0/1 (labelled ``flag_ok``), and the WHERE
    condition keeping the live entries and those whose flag is neither — one statement instead of two."""
    deleted = type_coerce(WorkLogEntry.deleted, Integer)
    if s.get_bind().dialect.name != "sqlite":  # PostgreSQL keeps a boolean
        return deleted, literal(True), WorkLogEntry.deleted.is_(False)
    flag_ok = and_(func.typeof(deleted) == "integer", deleted.in_((0, 1)))
    return deleted, flag_ok, or_(WorkLogEntry.deleted.is_(False), not_(flag_ok))


def refuse_rows(rows: Sequence[Any], s: Session) -> None:
    """Raise UserError naming the entries among ``rows`` (with ``id``, ``kind``, ``flag``, ``flag_ok``; selected with
    ``flag_columns``) whose flag is not 0/1 or whose kind the program does not know; nothing when there are none."""
    found = []
    for row in rows:
        if not row.flag_ok:
            found.append(DamagedValue("work_log", row.id, "deleted", row.flag, False))
        if row.kind not in KINDS:
            found.append(DamagedValue("work_log", row.id, "kind", row.kind, False))
    if found:
        raise values_refusal(found, s.get_bind())
