"""Tester K #1: taking back an action that logged work (an event done, a question solved, an entry added, edited,
deleted or restored) never deletes, changes or brings back an entry that an act in force bills. It is refused for
now, in Russian, naming the act's number and date and saying to void it; once the act is voided it passes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.errors import RefusedForNow
from app.reports import printing
from app.services import documents as docs
from app.services import event_input, plan, plan_read, questions, worklog, worklog_read
from app.services.questions import QuestionInput
from app.services.worklog import EntryInput
from tests.reports.helpers import build_world

DAY = date(2026, 3, 10)
ACT_ON = date(2026, 3, 31)


def issue_march(db, client_id) -> str:
    return printing.issue(db, docs.prepare_act(db, client_id, date(2026, 3, 1), date(2026, 3, 31), on=ACT_ON)).code


def done_event(db, client_id) -> tuple[int, int]:
    event_id, _c = plan.add_event(db, client_id, event_input.EventInput(
        "conference", datetime(2026, 3, 10, 10, 0), "Europe/Moscow", duration_min=30, section="Сбыт"),
        on=date(2026, 3, 1))
    done, _c = plan.complete_event(db, event_id, now=datetime(2026, 3, 10, 12, 0))
    assert done.entry_id is not None
    return event_id, done.entry_id


def live_ids(db, client_id) -> set[int]:
    return {r.id for r in worklog_read.list_entries(db, client_id).rows}


def test_reopening_a_done_event_whose_work_an_act_bills_is_refused_until_the_act_is_voided(db):
    world = build_world(db)
    event_id, entry_id = done_event(db, world.client_id)
    code = issue_march(db, world.client_id)
    assert worklog_read.get_entry(db, entry_id).billed_by == code
    with pytest.raises(RefusedForNow) as refused:
        plan.reopen_event(db, event_id)
    said = refused.value.message
    assert said == (f"Событие № {event_id} нельзя вернуть в план: его работа (запись журнала № {entry_id} от "
                    f"10.03.2026) выставлена актом {code} от 31.03.2026. Сначала аннулируйте акт.")
    assert f"documents void {code}" in refused.value.cli_text()
    # nothing changed: the event done, its entry live and billed
    assert plan_read.get_event(db, event_id).status == "done" and entry_id in live_ids(db, world.client_id)
    assert worklog_read.get_entry(db, entry_id).billed_by == code
    docs.void_document(db, code, "Неверный период")
    plan.reopen_event(db, event_id)
    assert plan_read.get_event(db, event_id).status == "planned" and entry_id not in live_ids(db, world.client_id)


def test_reopening_a_solved_question_whose_time_an_act_bills_is_refused(db):
    world = build_world(db)
    question_id, _c = questions.add_question(db, world.client_id, QuestionInput(DAY, "phone", "Как закрыть месяц?"),
                                             on=DAY)
    entry_id, _c = questions.close_question(db, question_id, minutes=40, on=DAY)
    assert entry_id is not None
    code = issue_march(db, world.client_id)
    with pytest.raises(RefusedForNow, match=f"Вопрос № {question_id} нельзя открыть снова: .*запись журнала № "
                                            f"{entry_id} от 10.03.2026.* актом {code} от 31.03.2026. Сначала "
                                            "аннулируйте акт."):
        questions.reopen_question(db, question_id)
    assert entry_id in live_ids(db, world.client_id)
    assert [q.status for q in questions.list_questions(db, world.client_id) if q.id == question_id] == ["solved"]
    docs.void_document(db, code, "Неверный период")
    questions.reopen_question(db, question_id)
    assert entry_id not in live_ids(db, world.client_id)


def test_the_work_logs_own_steps_are_refused_for_now_naming_the_acts_date(db):
    """Delete (the undo of an add), update (the undo of an edit) and delete again (the redo of a delete) of a billed
    entry: refused for now (the window keeps the step), naming the act and its date."""
    world = build_world(db)
    entry_id, _c = worklog.add_entry(db, world.client_id, EntryInput(DAY, "conference", minutes=45))
    code = issue_march(db, world.client_id)
    said = f"Запись журнала № {entry_id} выставлена актом {code} от 31.03.2026: сначала аннулируйте акт."
    with pytest.raises(RefusedForNow) as refused:
        worklog.delete_entries(db, [entry_id])
    assert refused.value.message == said
    with pytest.raises(RefusedForNow) as refused:
        worklog.update_entry(db, entry_id, EntryInput(DAY, "conference", minutes=30))
    assert refused.value.message == said
    assert worklog_read.get_entry(db, entry_id).minutes == 45
