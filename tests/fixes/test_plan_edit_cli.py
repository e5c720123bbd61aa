"""`plan edit ID …` (tester K #4): the CLI could not move an event; cancel + add gave it a new uuid (a calendar that
imported the .ics kept the old one as cancelled) and lost its participants and lessons. Only the options given change;
a refusal exits 2 with one Russian sentence and writes nothing."""

from __future__ import annotations

import json

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.errors import UserError
from app.persistence.db import open_database
from app.persistence.models import Employee, Lesson
from app.services import plan, plan_read
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.event_input import EventInput


def _setup(sqlite_path) -> tuple[int, int, str]:
    """A client with two employees, an event with both of them and a lesson, and a done event."""
    from datetime import datetime, timedelta

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        client = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                            employees=[PersonInput("Иванов И. И."), PersonInput("Петрова А. А.")]))
        lesson = db_lesson(db)
        event, _changes = plan.add_event(db, client, EventInput(
            "conference", datetime(2027, 2, 10, 10, 0), "Europe/Moscow", 90, section="Склад", lessons=(lesson,),
            participants=("Иванов И. И.", "Петрова А. А."), place="https://meet.example/x", note="повестка"))
        done, _changes = plan.add_event(db, client, EventInput(
            "call", datetime.now() - timedelta(days=2), "Europe/Moscow", 30))
        plan.complete_event(db, done)
        return event, done, lesson
    finally:
        db.dispose()


def db_lesson(db) -> str:
    with db.read() as s:
        return s.scalars(select(Lesson.code).where(Lesson.active.is_(True)).order_by(Lesson.code)).first()


def _event(sqlite_path, event_id: int):
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        return plan_read.get_event(db, event_id)
    finally:
        db.dispose()


def _ics_event(cli, tmp_path, name: str) -> dict:
    target = tmp_path / name
    status, _out, err = cli("export-ics", "-o", str(target))
    assert status == 0, err
    calendar = Calendar.from_ical(target.read_bytes())
    events = [c for c in calendar.walk("VEVENT") if "Ромашка" in str(c.get("summary"))
              and str(c.get("status", "")).upper() != "CANCELLED" and c.get("dtstart").dt.year == 2027]
    assert len(events) == 1
    vevent = events[0]
    return {"uid": str(vevent.get("uid")), "start": vevent.get("dtstart").dt.replace(tzinfo=None),
            "sequence": int(vevent.get("sequence", 0))}


def test_plan_edit_moves_the_event_and_keeps_the_rest(cli, sqlite_path, tmp_path):
    event_id, _done, lesson = _setup(sqlite_path)
    before = _event(sqlite_path, event_id)
    exported = _ics_event(cli, tmp_path, "before.ics")
    status, out, err = cli("plan", "edit", str(event_id), "--start", "15.03.2027 11:30", "--duration", "1:00")
    assert status == 0, err
    assert out.startswith(f"Событие № {event_id} изменено: ") and "60 мин" in out, out
    after = _event(sqlite_path, event_id)
    assert after.start_local.isoformat(timespec="minutes") == "2027-03-15T11:30" and after.duration_min == 60
    assert after.uuid == before.uuid
    assert [p.name for p in after.participants] == ["Иванов И. И.", "Петрова А. А."]
    assert after.lesson_codes == (lesson,)
    assert (after.kind, after.time_zone, after.section, after.place, after.note) == (
        "conference", "Europe/Moscow", "Склад", "https://meet.example/x", "повестка")
    moved = _ics_event(cli, tmp_path, "after.ics")
    assert moved["uid"] == exported["uid"] == f"{before.uuid}@vnedrenie.local"  # the calendar moves its copy
    assert moved["start"].isoformat() == "2027-03-15T11:30:00" and moved["sequence"] >= exported["sequence"]


def test_plan_edit_changes_only_what_is_given(cli, sqlite_path):
    event_id, _done, _lesson = _setup(sqlite_path)
    status, out, err = cli("plan", "edit", str(event_id), "--end", "12:00", "--section", "Касса", "--json")
    assert status == 0, err
    shown = json.loads(out)
    assert (shown["start"], shown["duration_min"], shown["section"]) == ("2027-02-10T10:00", 120, "Касса")
    assert shown["participants"] == ["Иванов И. И.", "Петрова А. А."]
    # the zone alone: the clock time is kept, read in the new zone
    status, out, err = cli("plan", "edit", str(event_id), "--tz", "Asia/Yekaterinburg", "--participant", "Петрова А. А.")
    assert status == 0, err
    after = _event(sqlite_path, event_id)
    assert (after.start_local.isoformat(timespec="minutes"), after.time_zone) == ("2027-02-10T10:00", "Asia/Yekaterinburg")
    assert [p.name for p in after.participants] == ["Петрова А. А."] and after.duration_min == 120
    status, _out, err = cli("plan", "edit", str(event_id), "--no-participants", "--no-lessons", "--note", "")
    assert status == 0, err
    after = _event(sqlite_path, event_id)
    assert (after.participants, after.lesson_codes, after.note) == ((), (), "")


def test_moving_keeps_a_participant_and_a_lesson_gone_since(cli, sqlite_path):
    """A person taken off the staff, a lesson taken out of the catalogue: the event still moves, keeping them."""
    event_id, _done, lesson = _setup(sqlite_path)
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.unit() as s:
            s.delete(s.scalars(select(Employee).where(Employee.name == "Петрова А. А.")).one())
            s.scalars(select(Lesson).where(Lesson.code == lesson)).one().active = False
    finally:
        db.dispose()
    status, _out, err = cli("plan", "edit", str(event_id), "--start", "2027-02-11 10:00")
    assert status == 0, err
    after = _event(sqlite_path, event_id)
    assert after.start_local.isoformat(timespec="minutes") == "2027-02-11T10:00"
    assert len(after.participants) == 2 and after.lesson_codes == (lesson,)


@pytest.mark.parametrize("argv, said", [
    (("999", "--start", "2027-03-15 10:00"), "Запланированное событие № 999 не найдено."),
    (("{done}", "--start", "2027-03-15 10:00"), "уже выполнено: изменить его нельзя"),
    (("{event}", "--start", "2027-02-30 10:00"), "в феврале 2027 года 28 дней"),
    (("{event}", "--start", "завтра"), "не дата и время"),
    (("{event}", "--duration", "0"), "Длительность должна быть положительной"),
    (("{event}", "--end", "09:00"), "заканчивается"),
    (("{event}", "--participant", "Нет Такого"), "Сотрудник «Нет Такого» у этого заказчика не найден."),
    (("{event}", "--lesson", "НЕТ"), "НЕТ"),
    (("{event}", "--tz", "Марс/Олимп"), "Неизвестный часовой пояс «Марс/Олимп»"),
    (("{event}",), "Нечего менять"),
    (("abc", "--note", "x"), "целое число"),
])
def test_plan_edit_refusals_exit_2_and_write_nothing(cli, sqlite_path, argv, said):
    event_id, done, _lesson = _setup(sqlite_path)
    before = (_event(sqlite_path, event_id), _event(sqlite_path, done))
    extra = ("--section", "Другой", "--note", "другая") if len(argv) > 1 else ()  # written only with the rest
    status, out, err = cli("plan", "edit", *(a.format(event=event_id, done=done) for a in argv), *extra)
    assert status == 2, (out, err)
    assert out == "" and "Traceback" not in err, err
    assert said in err and len(err.strip().splitlines()) == 1, err
    assert any("а" <= ch <= "я" for ch in err.lower()), err  # Russian
    assert (_event(sqlite_path, event_id), _event(sqlite_path, done)) == before


def test_the_window_edit_keeps_a_participant_and_a_lesson_gone_since(sqlite_path):
    """The same through the service the window's event form uses (update_event with the event as it is)."""
    from dataclasses import replace
    from datetime import datetime

    event_id, _done, lesson = _setup(sqlite_path)
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.unit() as s:
            s.delete(s.scalars(select(Employee).where(Employee.name == "Иванов И. И.")).one())
            s.scalars(select(Lesson).where(Lesson.code == lesson)).one().active = False
        old = plan_read.get_event(db, event_id).as_input()
        plan.update_event(db, event_id, replace(old, start=datetime(2027, 2, 12, 9, 0)))
        after = plan_read.get_event(db, event_id)
        assert after.start_local == datetime(2027, 2, 12, 9, 0)
        assert len(after.participants) == 2 and after.lesson_codes == (lesson,)
        with pytest.raises(UserError, match="НЕТ"):  # a new code is still checked
            plan.update_event(db, event_id, replace(old, lessons=(lesson, "НЕТ")))
    finally:
        db.dispose()
