"""The demo's ticks and lessons fall within their stage's days (tester G, 2026-12-05: the sign-off sheet of stage 2
said «с 28.09.2026 по 10.11.2026» and listed its items done on 08.09–12.09)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain.timeutil import to_local
from app.persistence.models import ChecklistState, ChecklistTemplate, Lesson, LessonProgress, StageEvent
from app.services.demo import fill_demo

TODAY = date(2026, 12, 5)


def _periods(s, client_id: int, contract: date | None) -> dict[int, tuple[date, date]]:
    moves = sorted(s.scalars(select(StageEvent).where(StageEvent.client_id == client_id)), key=lambda e: e.at)
    days = [to_local(e.at).date() for e in moves]
    starts = [contract or (days[0] if days else TODAY), *days]
    return {stage: (first, starts[stage + 1] if stage + 1 < len(starts) else TODAY)
            for stage, first in enumerate(starts)}


def test_ticks_and_lessons_are_dated_inside_their_stage(db):
    from app.persistence.models import Client

    fill_demo(db, today=TODAY)
    checked = 0
    with db.read() as s:
        stage_of = {t.code: t.stage for t in s.scalars(select(ChecklistTemplate))}
        lesson_stage = {lesson.code: lesson.stage for lesson in s.scalars(select(Lesson))}
        for client in s.scalars(select(Client)):
            periods = _periods(s, client.id, client.contract_date)
            for tick in s.scalars(select(ChecklistState).where(ChecklistState.client_id == client.id)):
                first, last = periods[stage_of[tick.code]]
                assert first <= tick.done_on <= last, (client.name, tick.code, tick.done_on, first, last)
                checked += 1
            for seen in s.scalars(select(LessonProgress).where(LessonProgress.client_id == client.id)):
                stage = lesson_stage[seen.lesson_code]
                if stage in periods:
                    first, last = periods[stage]
                    assert first <= seen.done_on <= last, (client.name, seen.lesson_code, seen.done_on, first, last)
                    checked += 1
    assert checked > 50
