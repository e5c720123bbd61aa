"""Planned events and questions travel in export bundles; their work-log links follow by UUID."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.models import PlannedEvent, Question, WorkLogEntry
from app.services import plan, questions
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.event_input import EventInput
from app.services.questions import QuestionInput


def test_plan_and_questions_round_trip_with_their_links(db, other_db, tmp_path):
    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                     employees=[PersonInput("Иванов И. И.")]))
    other_id = add_client(other_db, ClientInput(name="ООО «Другое»", inn="7736207543", approach="remote"))
    plan.add_event(other_db, other_id, EventInput("call", datetime(2026, 3, 2, 10), "Europe/Moscow", 10),
                   on=date(2026, 3, 1))  # ids differ between the two installations
    done_id = plan.add_event(db, cid, EventInput("conference", datetime(2026, 3, 2, 10), "Asia/Omsk", 60,
                                                 participants=("Иванов И. И.",)), on=date(2026, 3, 1))[0]
    plan.complete_event(db, done_id, now=datetime(2026, 3, 3, 12))
    qid, _c = questions.add_question(db, cid, QuestionInput(date(2026, 3, 2), "phone", "Как закрыть месяц?",
                                                            employee="Иванов И. И."), on=date(2026, 3, 2))
    questions.close_question(db, qid, minutes=30, on=date(2026, 3, 3))
    export_bundle(db, None, tmp_path / "week.zip")
    import_bundle(other_db, tmp_path / "week.zip")

    def linked(database):
        with database.read() as s:
            entries = {e.id: e.uuid for e in s.scalars(select(WorkLogEntry))}
            events = [(e.uuid, e.time_zone, e.starts_at, e.status, e.participant_uuids, entries.get(e.entry_id))
                      for e in s.scalars(select(PlannedEvent).where(PlannedEvent.kind == "conference"))]
            asked = [(q.uuid, q.status, q.minutes, q.employee_uuid, entries.get(q.entry_id))
                     for q in s.scalars(select(Question))]
        return events, asked

    assert linked(other_db) == linked(db)
    assert linked(db)[0][0][5] is not None and linked(db)[1][0][4] is not None
    assert questions.clients_with_questions_matching(other_db, "закрыть месяц") != set()
