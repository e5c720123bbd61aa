"""Issue 17 (brief st17 point 2) through a real server: a lesson ticked again on one laptop with another day while
the other laptop unticked it is one conflict on «done»; «sync resolve --keep local» writes the whole group — done
and the day — and the server and the other laptop get both."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from app.persistence.models import LessonProgress
from app.services.progress import set_lessons
from app.sync.service import conflicts, resolve_conflict, sync_once
from tests.team.test_shared_marks import INN, pair  # noqa: F401  (two laptops of one team)

pytestmark = pytest.mark.postgres


def _lesson(db) -> tuple:
    with db.read() as s:
        row = s.scalar(select(LessonProgress))
        return row.done, row.done_on


def test_keep_local_on_a_lesson_writes_done_and_the_day_everywhere(pair, server):  # noqa: F811
    a, b = pair
    with a.read() as s:
        code = s.execute(text("SELECT code FROM lesson ORDER BY number LIMIT 1")).scalar()
    set_lessons(a, INN, [code], True, on=date(2026, 3, 2))
    sync_once(a)
    sync_once(b)
    set_lessons(a, INN, [code], False)  # A unticks it
    set_lessons(b, INN, [code], False)  # B ticks it again, on another day
    set_lessons(b, INN, [code], True, on=date(2026, 3, 5))
    sync_once(a)
    sync_once(b)
    [conflict] = conflicts(b)
    assert (conflict.table, conflict.field, conflict.local_value, conflict.server_value, conflict.kept) == (
        "lesson_progress", "done", "True", "False", "server")
    assert _lesson(b) == (False, None)  # the server's group, whole
    resolve_conflict(b, conflict.id, keep="local")
    assert _lesson(b) == (True, date(2026, 3, 5))
    sync_once(b)
    sync_once(a)
    assert _lesson(server) == _lesson(a) == _lesson(b) == (True, date(2026, 3, 5))
    assert conflicts(a) == conflicts(b) == []
