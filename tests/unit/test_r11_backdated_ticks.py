"""Stage items dated before the client reached the stage (tester N, item 7): `checklist done … --date` took a day
before the move into the stage, and the sign-off sheet then said «Сроки этапа с 05.12.2026» above items «выполнено
10.11.2026»; the trail said only «выполнено: да». A backdated tick's day is a line of the trail. (Such a date was
refused here; round 13 takes it in either order and prints the sheet's period around it.)"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import update

from app.persistence.models import ChecklistState, Client, StageEvent
from app.services import progress


def reached_days_ago(db, client_id: int, days: int) -> date:
    """Move the client to stage 1 as if ``days`` ago (its move's moment and its stage's first day set back)."""
    progress.move_stage(db, client_id, 1)
    moment = datetime.utcnow().replace(hour=12) - timedelta(days=days)
    with db.unit() as s:
        s.execute(update(StageEvent).where(StageEvent.client_id == client_id).values(at=moment))
        s.execute(update(Client).where(Client.id == client_id).values(stage_since=moment))
    return moment.date()


def test_a_tick_dated_before_the_stage_was_reached_is_taken(db, client_id):
    # refused once (tester N, item 7), while the same day ticked ahead, before the move, was taken: the rule hung on
    # the order (round 13). The sign-off sheet's period now spans such a day (tests/reports/test_r13_stage_dates.py)
    reached = reached_days_ago(db, client_id, 10)
    progress.set_checklist(db, client_id, ["s1.instruction"], True, on=reached - timedelta(days=1))
    with db.read() as s:
        row = s.query(ChecklistState).filter_by(client_id=client_id, done=True).one()
        assert (row.code, row.done_on) == ("s1.instruction", reached - timedelta(days=1))


def test_a_backdated_tick_records_its_day_in_the_trail(db, client_id):
    from app.team.audit import client_history_lines

    reached = reached_days_ago(db, client_id, 10)
    day = reached + timedelta(days=3)
    progress.set_checklist(db, client_id, ["s1.instruction"], True, on=day)
    text = "\n".join(str(line) for line in client_history_lines(db, client_id))
    assert day.strftime("%d.%m.%Y") in text, text


def test_a_tick_of_today_and_of_a_stage_not_reached_yet_are_kept_as_before(db, client_id):
    progress.set_checklist(db, client_id, ["s2.inventory"], True, on=date.today() - timedelta(days=30))
    progress.set_checklist(db, client_id, ["s1.instruction"], True)
    with db.read() as s:
        assert s.query(ChecklistState).filter_by(client_id=client_id, done=True).count() == 2


def test_a_backdated_lesson_records_its_day_in_the_trail(db, client_id):
    from app.team.audit import client_history_lines

    day = date.today() - timedelta(days=4)
    progress.set_lessons(db, client_id, ["L01"], True, on=day)
    text = "\n".join(str(line) for line in client_history_lines(db, client_id))
    assert day.strftime("%d.%m.%Y") in text, text
