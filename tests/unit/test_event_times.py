"""One event, one time: the agenda, `plan list` and «Требует внимания» give this computer's time and, when the
client's clock says otherwise, the client's time with its zone (a fresh tester, 2026-12-05: `plan list --agenda`
put tomorrow's 01:00 Vladivostok under «Сегодня», `attention` said «в 18:00» with no zone and an overdue event in
the client's own time, and English printed «мин»)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from app.services import plan, plan_read, reminders
from app.services.event_input import EventInput
from tests.unit.test_plan import two  # noqa: F401

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)  # 15:00 in Moscow


def test_the_agenda_and_the_attention_say_the_same_times(db, two):  # noqa: F811
    a, _b = two
    add = lambda start, zone: plan.add_event(  # noqa: E731
        db, a, EventInput("call", start, zone, 30), on=NOW.date())[0]
    far = add(datetime(2026, 12, 6, 1, 0), "Asia/Vladivostok")  # 05.12 18:00 in Moscow: today
    late = add(datetime(2026, 12, 5, 10, 0), "Europe/Moscow")  # overdue, the same clock
    east = add(datetime(2026, 12, 5, 14, 0), "Asia/Yekaterinburg")  # 12:00 in Moscow: overdue
    rows = {r.id: r for r in plan_read.agenda(db, now=NOW, viewer=MOSCOW).rows}
    assert rows[far].when_text(MOSCOW) == "05.12.2026 18:00 (у заказчика 06.12.2026 01:00, Asia/Vladivostok)"
    assert rows[late].when_text(MOSCOW) == "05.12.2026 10:00 (Europe/Moscow)"
    assert rows[east].when_text(MOSCOW, with_date=False) == "12:00 (у заказчика 14:00, Asia/Yekaterinburg)"
    said = {r.ref_id: (r.kind, r.text) for r in reminders.attention(db, now=NOW, viewer=MOSCOW)
            if r.kind.startswith("event")}
    assert said == {
        far: ("event_today", "Звонок в 18:00 (у заказчика 06.12.2026 01:00, Asia/Vladivostok)"),
        late: ("event_overdue", "Звонок, 05.12.2026 10:00 (Europe/Moscow)"),
        east: ("event_overdue", "Звонок, 05.12.2026 12:00 (у заказчика 14:00, Asia/Yekaterinburg)"),
    }


def test_plan_list_says_minutes_in_the_language_of_the_interface(cli):
    from app.services.common import today

    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    day = today().isoformat()
    assert cli("plan", "add", "7707083893", "--kind", "call", "--start", f"{day} 10:00", "--duration", "30",
               "--tz", "UTC")[0] == 0
    assert "\t30 min\t" in cli("--lang", "en", "plan", "list")[1]
    assert "\t30 мин\t" in cli("--lang", "ru", "plan", "list")[1]  # (and the language is Russian again after)


def test_an_event_begun_yesterday_and_still_under_way_keeps_its_date(db, two):  # noqa: F811
    """Tester O, round 11: at 00:03 an event begun at 23:00 the day before, 90 minutes long, was «Событие сегодня
    … в 23:00» — read as tonight's 23:00."""
    a, _b = two
    after_midnight = datetime(2026, 12, 5, 21, 3, tzinfo=UTC)  # 06.12 00:03 in Moscow
    began = plan.add_event(db, a, EventInput("call", datetime(2026, 12, 5, 23, 0), "Europe/Moscow", 90),
                           on=after_midnight.date())[0]
    said = {r.ref_id: (r.kind, r.text) for r in reminders.attention(db, now=after_midnight, viewer=MOSCOW)
            if r.kind.startswith("event")}
    assert said == {began: ("event_today", "Звонок, идёт с 05.12.2026 23:00 (Europe/Moscow)")}
