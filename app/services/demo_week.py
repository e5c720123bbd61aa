"""Demo data for the specialist's week: planned events around today and a few questions (after fill_demo)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.domain.schedule import zone_of_city
from app.persistence.db import Database
from app.persistence.models import Client, Employee
from app.services.changes import Changes
from app.services.plan import EventInput, add_event, complete_event
from app.services.questions import QuestionInput, add_question, close_question

SECTIONS = ("Склад", "Договоры", "Производство", "Персонал", "Снабжение", "Сбыт")
QUESTIONS = (
    ("phone", "Как провести предварительную инвентаризацию склада?", "По инструкции, раздел «Склад», шаг 3."),
    ("email", "Почему в отчёте по договорам нет сумм?", "Не заполнена дата договора."),
    ("skype", "Где настроить права пользователей отдела снабжения?", ""),
    ("in_app", "Как перенести остатки из прежней системы?", ""),
    ("onsite", "Можно ли вести два склада в одном подразделении?", "Да, через места хранения."),
)


def fill_demo_week(db: Database, seed: int = 2024, today: date | None = None) -> Changes:
    """Add believable planned events (overdue, today, this week, one overlap, one done) and questions
    (open and solved with time) to the demo clients. Uses the same services as the window."""
    rng = random.Random(seed)
    day = today or date.today()
    # made now (no day given): today's events start after the present hour of Moscow — made in the afternoon, all
    # of today's were overdue at once (a fresh tester, 2026-12-05); at most 8 hours later, so they stay today
    late = 0 if today is not None else min(8, max(0, datetime.now(ZoneInfo("Europe/Moscow")).hour + 1 - 10))
    with db.read() as s:
        clients = [(c.id, c.city, c.approach, c.address) for c in
                   s.scalars(select(Client).where(Client.stage.in_((1, 2, 3))).order_by(Client.id))]
        staff: dict[int, list[str]] = {}
        for e in s.scalars(select(Employee).order_by(Employee.id)):
            staff.setdefault(e.client_id, []).append(e.uuid)
    # (days from today, hour, zone): two events at 10:00 Moscow time today overlap on purpose
    moscow = "Europe/Moscow"
    plan = [(-1, 11, None), (0, 10, moscow), (0, 10, moscow), (0, 15, None), (1, 9, None), (2, 14, None),
            (3, 10, None), (4, 11, None), (-3, 10, None)]
    changes = Changes()
    for index, (offset, hour, fixed_zone) in enumerate(plan):
        if not clients:
            break
        client_id, city, approach, _address = clients[index % len(clients)]
        kind = "onsite_day" if approach == "onsite" else rng.choice(["conference", "conference", "call",
                                                                       "stage_review"])
        minutes = 480 if kind == "onsite_day" else rng.choice([30, 60, 90, 120])
        zone = zone_of_city(city) or moscow
        start = datetime.combine(day + timedelta(days=offset), time(hour + (late if offset == 0 else 0), 0))
        if fixed_zone:  # the overlap: the same moment of Moscow's clock, on each client's own clock
            start = start.replace(tzinfo=ZoneInfo(fixed_zone)).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        event_id, more = add_event(db, client_id, EventInput(
            kind, start, zone, minutes,
            section=SECTIONS[index % len(SECTIONS)], participants=tuple(staff.get(client_id, [])[:2]),
            place="" if kind == "onsite_day" else f"https://meet.example.ru/vn-{client_id}"), on=day)
        changes = changes.merge(more)
        if offset == -3:
            _done, more = complete_event(db, event_id)
            changes = changes.merge(more)
    for index, (channel, text, answer) in enumerate(QUESTIONS):
        if not clients:
            break
        client_id = clients[(index * 2) % len(clients)][0]
        asked = day - timedelta(days=rng.randint(0, 6))
        people = staff.get(client_id, [])
        question_id, more = add_question(db, client_id, QuestionInput(asked, channel, text,
                                                                      employee=people[0] if people else ""), on=day)
        changes = changes.merge(more)
        if answer:
            _entry, more = close_question(db, question_id, answer=answer, minutes=rng.choice([15, 20, 30]), on=day)
            changes = changes.merge(more)
    return changes
