"""Believable demo data for an empty database: clients at every stage with progress and work log."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import (
    ChecklistState,
    ChecklistTemplate,
    Client,
    Estimate,
    Executor,
    Lesson,
    LessonProgress,
    StageEvent,
    VatRate,
    WorkLogEntry,
)
from app.services.changes import DATABASE_REPLACED, Changes
from app.services.client_input import ClientInput, PersonInput, _normalise
from app.services.clients import _add


def company_inn(rng: random.Random, region: str) -> str:
    """A checksum-valid 10-digit company ИНН for the given two-digit region."""
    from stdnum.ru.inn import calc_company_check_digit

    body = region + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return body + calc_company_check_digit(body)


DEMO_CLIENTS = [
    # name, region, city, approach, stage, contact, position, phone, email domain
    ("ООО «Уральский завод металлоконструкций»", "66", "Екатеринбург", "onsite", 2,
     "Соколова Марина Викторовна", "Главный инженер", "+7 343 210-45-17", "uzmk.ru"),
    ("АО «Волжская мебельная фабрика»", "63", "Самара", "remote", 1,
     "Кузнецов Андрей Петрович", "Начальник производства", "+7 846 374-12-90", "vmf-samara.ru"),
    ("ООО «ТехноПласт»", "52", "Нижний Новгород", "accompanied", 1,
     "Лебедева Ольга Сергеевна", "Заместитель директора", "+7 831 412-03-55", "technoplast-nn.ru"),
    ("ООО «Сибирский деревообрабатывающий комбинат»", "54", "Новосибирск", "remote", 3,
     "Ершов Дмитрий Алексеевич", "Директор по производству", "+7 383 299-71-06", "sdk-nsk.ru"),
    ("ЗАО «Калужский приборный завод»", "40", "Калуга", "onsite", 3,
     "Морозова Елена Игоревна", "Начальник ПЭО", "+7 484 255-30-81", "kpz40.ru"),
    ("ООО «Кубань Агромаш»", "23", "Краснодар", "remote", 2,
     "Ткаченко Сергей Николаевич", "Главный механик", "+7 861 203-66-14", "kubagromash.ru"),
    ("ООО «Северная столярная мастерская»", "78", "Санкт-Петербург", "accompanied", 0,
     "Виноградов Павел Олегович", "Генеральный директор", "+7 812 640-18-22", "nord-stol.ru"),
    ("АО «Тульский машиностроительный завод»", "71", "Тула", "onsite", 1,
     "Орлова Татьяна Михайловна", "Начальник отдела ИТ", "+7 487 236-92-40", "tmz-tula.ru"),
    ("ООО «ПромВентиляция»", "16", "Казань", "remote", 0,
     "Гарипов Рустам Ильдарович", "Коммерческий директор", "+7 843 570-25-63", "promvent-kzn.ru"),
    ("ООО «Ярославские окна»", "76", "Ярославль", "accompanied", 2,
     "Смирнова Анна Владимировна", "Руководитель производства", "+7 485 258-47-31", "yar-okna.ru"),
    ("ООО «Пермский кабельный завод»", "59", "Пермь", "remote", 4,
     "Белоусов Игорь Вячеславович", "Технический директор", "+7 342 219-08-77", "pkz-perm.ru"),
    ("ООО «Воронежская упаковка»", "36", "Воронеж", "onsite", 4,
     "Полякова Наталья Евгеньевна", "Финансовый директор", "+7 473 261-54-19", "vrn-upak.ru"),
]
STAFF = [("Иванов Сергей Петрович", "Кладовщик", "Склад"), ("Петрова Юлия Андреевна", "Инженер-технолог", "ОГТ"),
         ("Сидоров Алексей Иванович", "Мастер участка", "Производство"),
         ("Фёдорова Ирина Николаевна", "Экономист", "ПЭО")]


def fill_demo(db: Database, seed: int = 2024, today: date | None = None) -> tuple[int, Changes]:
    """Create the demo clients; refuse on a database that already has clients.

    The database is marked as a demo one in the same transaction (app/services/demo_workspace): its window
    and every document printed from it say «ДЕМО»."""
    from app.services.demo_workspace import mark_demo

    rng = random.Random(seed)
    today = today or date.today()
    with db.unit() as s:
        if (s.scalar(select(func.count()).select_from(Client)) or 0) > 0:
            raise UserError(_("The database already has clients: demo data goes only into an empty database."))
        if s.scalar(select(Executor.id).where(Executor.company != "").limit(1)) is not None:
            # the company's own requisites make it a real database: demo data never mix with real data (issue 14)
            raise UserError(_("The database holds the executor's real details: demo data go only into a new, "
                              "empty database. Run «demo» without --db to open the separate demo database."))
        mark_demo(s)
        executor = s.scalar(select(Executor).limit(1))
        if executor is None:
            executor = Executor()
            s.add(executor)
        if not executor.company:
            executor.company = "ООО «Менеджмент-Внедрение»"
            executor.inn = company_inn(rng, "77")
            executor.kpp = "770101001"
            executor.address = "125009, г. Москва, ул. Тверская, д. 7, офис 12"
            executor.city = "Москва"
            executor.specialist_name = "Николаев Артём Сергеевич"
            executor.specialist_position = "Специалист по внедрению"
            executor.signer_name = "Громов Виктор Андреевич"
            executor.signer_position = "Генеральный директор"
        if s.scalar(select(VatRate.id).limit(1)) is None:  # the demo executor is on УСН: acts say why no VAT
            s.add(VatRate(valid_from=date(2000, 1, 1), mode="none", rate=None, basis="п. 2 ст. 346.11 НК РФ",
                          reason=""))
        templates = list(s.scalars(select(ChecklistTemplate).order_by(ChecklistTemplate.stage,
                                                                      ChecklistTemplate.position)))
        lessons = list(s.scalars(select(Lesson).order_by(Lesson.number)))
        for index, (name, region, city, approach, stage, contact, position, phone, domain) in enumerate(DEMO_CLIENTS):
            # The latest move is recent for most clients; every fourth one has been stuck for weeks.
            latest = today - timedelta(days=rng.randint(35, 60) if index % 4 == 0 else rng.randint(2, 25))
            moves = [latest]
            for _step in range(stage - 1):
                moves.insert(0, moves[0] - timedelta(days=rng.randint(20, 45)))
            started = moves[0] - timedelta(days=rng.randint(3, 10)) if stage else latest
            data = _normalise(ClientInput(
                name=name, inn=company_inn(rng, region), approach=approach, kpp=f"{region}0101001",
                contract_no=f"ВН-{today.year - (1 if stage >= 3 else 0)}/{index + 1:03d}",
                contract_date=started, program_version=rng.choice(["7.4", "7.5", "8.0"]), manager="Николаев А. С.",
                address=f"г. {city}", city=city, signer_name=contact, signer_position=position,
                contacts=[PersonInput(name=contact, position=position, phone=phone, email=f"info@{domain}")],
                employees=[PersonInput(name=n, position=p, department=d) for n, p, d in STAFF[: 2 + index % 3]],
            ))
            client_id = _add(s, data)
            client = s.get(Client, client_id)
            assert client is not None
            for step, moment in enumerate(moves[:stage]):
                s.add(StageEvent(client_id=client_id, from_stage=step, to_stage=step + 1,
                                 at=_utc_at_ten(moment), who="Николаев А. С.",
                                 reason="" if step else "Договор подписан, старт работ"))
            client.stage = stage
            client.stage_since = _utc_at_ten(latest)
            # each tick and lesson falls within its stage's days (ticks of stage 2 dated before stage 2 began
            # made the demo's sign-off sheet contradict itself: tester G, 2026-12-05)
            periods = _stage_periods(started, moves[:stage], today)
            ticked = [t for t in templates if t.stage < stage or (
                t.stage == stage and rng.random() < 0.55 and not (t.requires and t.stage == stage))]
            for t in ticked:
                same = [x for x in ticked if x.stage == t.stage]
                s.add(ChecklistState(client_id=client_id, code=t.code, done=True,
                                     done_on=_within(periods, t.stage, same.index(t), len(same))))
            watched = [lesson for lesson in lessons if lesson.stage < stage or
                       (lesson.stage == stage and rng.random() < 0.5)]
            for lesson in watched:
                same_stage = [x for x in watched if x.stage == lesson.stage]
                s.add(LessonProgress(client_id=client_id, lesson_code=lesson.code, employee_uuid="", done=True,
                                     done_on=_within(periods, lesson.stage, same_stage.index(lesson),
                                                     len(same_stage))))
            if approach != "accompanied" and stage > 0:
                _demo_log(s, rng, client_id, approach, stage, started, today, moves[:stage])
            elif approach != "accompanied":  # a first conference before the start: every paid client has an act
                s.add(WorkLogEntry(client_id=client_id, on_date=today - timedelta(days=1), kind="conference",
                                   minutes=45, stage=0, note="Вводная конференция"))
            _demo_estimate(s, client_id, approach, index, started)
    return len(DEMO_CLIENTS), DATABASE_REPLACED  # a new database's contents: re-read all, no undo


def _stage_periods(started: date, moves: list[date], today: date) -> dict[int, tuple[date, date]]:
    """Stage number -> (first day, last day) of a demo client that started on ``started`` and moved on the days
    ``moves`` (move k leaves stage k); the current stage lasts until ``today``."""
    starts = [started, *moves]
    return {stage: (first, (starts[stage + 1] if stage + 1 < len(starts) else today))
            for stage, first in enumerate(starts)}


def _within(periods: dict[int, tuple[date, date]], stage: int, index: int, count: int) -> date:
    """The ``index``-th of ``count`` days spread evenly inside ``stage``'s period (its first day when unknown)."""
    first, last = periods.get(stage, (min(p[0] for p in periods.values()),) * 2)
    span = max(0, (last - first).days)
    return first + timedelta(days=span * (index + 1) // (count + 1))


def _demo_estimate(s, client_id: int, approach: str, index: int, on: date) -> None:
    """A saved estimate for every demo client, so the estimate prints right after `demo`."""
    from app.domain.estimate import EstimateInput, relevant_input
    from app.services.estimates import load_context

    if approach == "remote":
        plan = EstimateInput(conference_hours=Decimal(12 + index), question_hours=Decimal(3),
                             control_hours=Decimal("2.5"))
    elif approach == "onsite":
        plan = EstimateInput(days=Decimal(3 + index % 3), transfer=Decimal("8400.00"), lodging=Decimal("7000.00"))
    else:
        plan = EstimateInput()
    plan = relevant_input(approach, plan)
    total = load_context(s).quote(approach, plan, on).total
    s.add(Estimate(client_id=client_id, approach=approach, on_date=on, conference_hours=plan.conference_hours,
                   question_hours=plan.question_hours, control_hours=plan.control_hours, days=plan.days,
                   transfer=plan.transfer, lodging=plan.lodging, total=total, note=""))


def _utc_at_ten(day: date) -> datetime:
    """10:00 local time on ``day``, stored as naive UTC like every other moment in the database."""
    return datetime.combine(day, time(10, 0)).astimezone(UTC).replace(tzinfo=None)


def _demo_log(s, rng: random.Random, client_id: int, approach: str, stage: int, started: date, today: date,
              moves: list[date]) -> None:
    """Work spread from the start to today, each entry on the stage the client was at that day."""
    from app.domain.stages import stage_on

    history = [(moved_on, step) for step, moved_on in enumerate(moves)]
    day = started
    for _step in range(6 + 4 * stage):
        day = min(today, day + timedelta(days=rng.randint(2, 7)))
        if approach == "remote":
            kind = rng.choice(["conference", "conference", "questions", "control"])
            minutes = rng.choice([30, 45, 60, 90, 120]) if kind == "conference" else rng.choice([15, 20, 30, 40])
            s.add(WorkLogEntry(client_id=client_id, on_date=day, kind=kind, minutes=minutes,
                               stage=stage_on(history, stage, day), note=""))
        else:
            s.add(WorkLogEntry(client_id=client_id, on_date=day, kind="onsite_day", days=Decimal(1),
                               stage=stage_on(history, stage, day), note="Выезд на предприятие"))
    if approach == "onsite":
        trip = started + timedelta(days=3)
        s.add(WorkLogEntry(client_id=client_id, on_date=trip, kind="transfer", amount=Decimal("8400.00"),
                           stage=stage_on(history, stage, trip), note="Ж/д билеты туда и обратно"))
        s.add(WorkLogEntry(client_id=client_id, on_date=trip, kind="lodging", amount=Decimal("7000.00"),
                           stage=stage_on(history, stage, trip), note="Гостиница, 2 ночи"))
