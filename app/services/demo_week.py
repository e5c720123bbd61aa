"""Demo data for the specialist's week: planned events around today and a few questions (after fill_demo)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.domain.schedule import DEFAULT_ZONE, client_zone
from app.persistence.db import Database
from app.persistence.models import Client, Employee
from app.services.changes import Changes
from app.services.event_input import EventInput
from app.services.plan import add_event, complete_event
from app.services.questions import QuestionInput, add_question, close_question

SECTIONS = ("Склад", "Договоры", "Производство", "Персонал", "Снабжение", "Сбыт")
QUESTIONS = (
    ("phone", "Как провести предварительную инвентаризацию склада?", "По инструкции, раздел «Склад», шаг 3."),
    ("email", "Почему в отчёте по договорам нет сумм?", "Не заполнена дата договора."),
    ("skype", "Где настроить права пользователей отдела снабжения?", ""),
    ("in_app", "Как перенести остатки из прежней системы?", ""),
    ("onsite", "Можно ли вести два склада в одном подразделении?", "Да, через места хранения."),
)


WORKING_HOURS = range(8, 21)  # a demo event of today starts between 08:00 and 20:59 on its client's clock
ONSITE_HOURS = range(8, 11)  # an on-site day (8 hours) starts in the morning


def _zone(client: tuple) -> str:
    return client_zone(client[1] or "", client[3] or "") or DEFAULT_ZONE


def off_hours(client: tuple, moment: datetime) -> int:
    """How many hours the aware ``moment`` lies outside a client's (id, city, approach, address) working hours on its
    clock (0: a working hour; an on-site day only in the morning)."""
    hour = moment.astimezone(ZoneInfo(_zone(client))).hour
    hours = ONSITE_HOURS if client[2] == "onsite" else WORKING_HOURS
    return min(min(abs(hour - h), 24 - abs(hour - h)) for h in hours)


def awake(client: tuple, moment: datetime) -> bool:
    """Whether a client can take an event starting at the aware ``moment``: a working hour on its clock."""
    return off_hours(client, moment) == 0


def today_moments(day: date, hours: list[int], now_local: datetime, clients: list) -> dict[int, datetime]:
    """The aware start of the demo's events of today meant for each of ``hours`` (10 = the day's first) on this
    computer's clock ``now_local``: the planned hour, or when the day has begun the next whole hour and then an
    hour apart; moved on by whole hours until a client is awake then for each event of the hour, or failing that
    one (made in the evening, they fell in a Novosibirsk client's night; on a Vladivostok computer at 03:00 of
    Moscow's: tester H, 2026-12-05); at most 23:00 of ``day``, so that they stay today. Events meant for one hour
    start at one moment (the demo's overlap)."""
    here = now_local.tzinfo
    last = datetime.combine(day, time(23)).replace(tzinfo=here)
    earliest = max(datetime.combine(day, time(10)).replace(tzinfo=here),
                   (now_local + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0))
    moments: dict[int, datetime] = {}
    for hour in sorted(set(hours)):
        moment = min(max(datetime.combine(day, time(hour)).replace(tzinfo=here), earliest), last)
        moments[hour] = moment
        for needed in sorted({hours.count(hour), 1}, reverse=True):  # a client awake for each event of the hour
            found = moment
            while found <= last and sum(awake(row, found) for row in clients) < needed:
                found += timedelta(hours=1)
            if found <= last:
                moments[hour] = found
                break
        earliest = moments[hour] + timedelta(hours=1)
    return moments


def awake_client(clients: list, index: int, moment: datetime, taken: set[int]) -> tuple:
    """The client (a row of ``clients``: id, city, approach, address) of a demo event of today starting at the
    aware ``moment``: of those not ``taken`` yet (all when every one is), the one nearest its working hours then
    (``off_hours``: 0 when awake), the first from ``index`` on among equals. Made late in the evening, when no client
    is awake, the event went to the client at ``index`` — 03:00 in Novosibirsk (tester J, 2026-12-05), and on a
    Vladivostok computer both events of the overlap went to the one client awake."""
    order = clients[index % len(clients):] + clients[:index % len(clients)]
    free = [row for row in order if row[0] not in taken] or order
    return min(free, key=lambda row: off_hours(row, moment))


def fill_demo_week(db: Database, seed: int = 2024, today: date | None = None) -> Changes:
    """Add believable planned events (overdue, today, this week, one overlap, one done) and questions
    (open and solved with time) to the demo clients. Uses the same services as the window."""
    rng = random.Random(seed)
    day = today or date.today()
    # made now (no day given): today's events start after the present hour of this computer's clock (made in the
    # afternoon, all of today's were overdue at once; after 18:00 still, and for clients far east: testers,
    # 2026-12-05), as late as 23:00 so that they stay today
    now_local = None if today is not None else datetime.now().astimezone()
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
    taken_today: set[int] = set()
    # today's events go to clients who meet by call or conference: an on-site day (8 hours) begun in the afternoon
    # would overlap the rest of the day
    meeting = [c for c in clients if c[2] != "onsite"] or clients
    moments = today_moments(day, [hour for offset, hour, _ in plan if offset == 0], now_local, meeting) \
        if now_local is not None else {}
    for index, (offset, hour, fixed_zone) in enumerate(plan):
        if not clients:
            break
        client_id, city, approach, address = clients[index % len(clients)]
        if offset == 0 and now_local is not None:
            client_id, city, approach, address = awake_client(meeting, index, moments[hour], taken_today)
            taken_today.add(client_id)
        kind = "onsite_day" if approach == "onsite" else rng.choice(["conference", "conference", "call",
                                                                       "stage_review"])
        minutes = 480 if kind == "onsite_day" else rng.choice([30, 60, 90, 120])
        zone = client_zone(city or "", address or "") or moscow
        start = datetime.combine(day + timedelta(days=offset), time(hour, 0))
        if offset == 0 and now_local is not None:
            start = moments[hour].astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        elif fixed_zone:  # the overlap: the same moment of Moscow's clock, on each client's own clock
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
