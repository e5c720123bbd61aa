"""Work log service: validation shared by UI and CLI, soft delete and undo, rounding, timer, billing by date."""

from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from app.errors import UserError
from app.persistence.models import WorkLogEntry
from app.services import entry_rounding, worklog, worklog_read, worklog_timer
from app.services.common import today
from app.services.tariffs import set_tariff
from app.services.worklog import EntryInput
from tests.sqlcount import counting

JULY = date(2024, 7, 1)


def entries(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(WorkLogEntry)) or 0


def test_add_list_and_totals(db, client_id):
    worklog.add_entry(db, client_id, EntryInput(date(2024, 7, 2), "conference", minutes=90, note="Склад"))
    worklog.add_entry(db, client_id, EntryInput(date(2024, 7, 3), "questions", minutes=20))
    worklog.add_entry(db, client_id, EntryInput(date(2024, 7, 4), "control", minutes=40))
    log = worklog_read.list_entries(db, client_id)
    assert [r.kind for r in log.rows] == ["control", "questions", "conference"]  # newest first
    assert log.totals.raw_minutes == 150 and log.totals.billed_minutes == 150
    assert log.totals.raw_hours == D("2.50")
    assert log.totals.money == D("3750.00")
    assert log.rows[-1].note == "Склад" and log.rows[-1].stage == 0


def test_entry_takes_the_stage_of_its_day_unless_given(db, client_id):
    from app.services.common import today
    from app.services.progress import advance

    advance(db, client_id, force=True, reason="старт")  # 0 → 1 today
    now, _changes = worklog.add_entry(db, client_id, EntryInput(today(), "conference", minutes=30))
    before, _changes = worklog.add_entry(db, client_id, EntryInput(JULY, "conference", minutes=30))
    given, _changes = worklog.add_entry(db, client_id, EntryInput(JULY, "conference", minutes=30, stage=3))
    assert worklog_read.get_entry(db, now).stage == 1
    assert worklog_read.get_entry(db, before).stage == 0  # July's work was done before the move
    assert worklog_read.get_entry(db, given).stage == 3


def test_stage_on_a_day_follows_the_moves():
    from datetime import date

    from app.domain.stages import stage_on

    moves = [(date(2026, 3, 1), 0), (date(2026, 4, 1), 1), (date(2026, 5, 1), 2)]  # (moved on, from)
    assert stage_on(moves, 3, date(2026, 2, 28)) == 0
    assert stage_on(moves, 3, date(2026, 3, 1)) == 1  # the day of a move counts as the new stage
    assert stage_on(moves, 3, date(2026, 4, 15)) == 2
    assert stage_on(list(reversed(moves)), 3, date(2026, 3, 15)) == 1
    assert stage_on(moves, 3, date(2026, 6, 1)) == 3
    back = [(date(2026, 3, 1), 0), (date(2026, 4, 1), 1), (date(2026, 4, 10), 2)]  # 2 → 1 on April 10
    assert stage_on(back, 1, date(2026, 4, 5)) == 2


def test_add_returns_changes_naming_worklog_and_client(db, client_id):
    _entry_id, changes = worklog.add_entry(db, client_id, EntryInput(JULY, "conference", minutes=30))
    assert changes.worklog and changes.clients and changes.client_ids == frozenset({client_id})
    assert not changes.stage and not changes.estimates


@pytest.mark.parametrize("data,needle", [
    (EntryInput(JULY, "conference", minutes=-30), "положительным"),
    (EntryInput(JULY, "conference", minutes=0), "положительным"),
    (EntryInput(JULY, "conference", minutes=24 * 60 + 1), "24"),
    (EntryInput(JULY, "onsite_day", days=D("32")), "31"),
    (EntryInput(JULY, "onsite_day", days=D("-1")), "положительным"),
    (EntryInput(JULY, "onsite_day", days=D("0.333")), "двух знаков"),
    (EntryInput(JULY, "transfer", amount=D("1000000.01")), "1 000 000"),
    (EntryInput(JULY, "lodging", amount=D("-5")), "положительной"),
    (EntryInput(JULY, "conference", amount=D("500")), "минутах"),
    (EntryInput(JULY, "transfer", minutes=30), "сумме"),
    (EntryInput(JULY, "onsite_day", minutes=480), "днях"),
    (EntryInput(JULY, "conference"), "Конференция"),
    (EntryInput(JULY, "conference", minutes=30, days=D(1)), "минутах"),
    (EntryInput(JULY, "party", minutes=30), "Неизвестный вид"),
    (EntryInput(date(1999, 12, 31), "conference", minutes=30), "2000"),
    (lambda: EntryInput(today() + timedelta(days=366), "conference", minutes=30), "год"),  # today at run time
    (EntryInput(JULY, "conference", minutes=30, note="звонок\x07"), "управляющие"),
    (EntryInput(JULY, "conference", minutes=30, note="a\x1b[31mred"), "управляющие"),
    (EntryInput(JULY, "conference", minutes=30, note="\u202eevil"), "управляющие"),
    (EntryInput(JULY, "conference", minutes=30, note="x" * 2001), "длинное"),
    (EntryInput(JULY, "conference", minutes=30, stage=7), "от 0 до 4"),
])
def test_refused_entries_write_nothing(db, client_id, data, needle):
    data = data() if callable(data) else data  # built when the test runs: a run crossing midnight stays right
    with pytest.raises(UserError) as error:
        worklog.add_entry(db, client_id, data)
    assert needle.lower() in error.value.message.lower()
    assert entries(db) == 0


def test_unknown_client_refused(db):
    with pytest.raises(UserError, match="не найден"):
        worklog.add_entry(db, 999, EntryInput(JULY, "conference", minutes=30))


def test_a_date_a_year_ahead_is_still_fine_and_multiline_note_kept(db, client_id):
    entry_id, _c = worklog.add_entry(db, client_id, EntryInput(today() + timedelta(days=365), "conference",
                                                               minutes=30, note="строка 1\r\nстрока 2"))
    assert worklog_read.get_entry(db, entry_id).note == "строка 1\nстрока 2"


@pytest.mark.parametrize("text,minutes", [
    ("90", 90), ("1:30", 90), ("0:45", 45), ("1ч30", 90), ("1 ч 30 мин", 90), ("1,5 ч", 90), ("1.5h", 90),
    ("2h", 120), ("1h30m", 90), ("45 мин", 45), ("45м", 45), (" 10 ", 10),
])
def test_parse_minutes(text, minutes):
    assert worklog.parse_minutes(text) == minutes


@pytest.mark.parametrize("text", ["", "abc", "1:75", "-30", "1..5ч", "полтора"])
def test_parse_minutes_refuses(text):
    with pytest.raises(UserError):
        worklog.parse_minutes(text)


@pytest.mark.parametrize("text", ["1,005 ч", "0,001 ч", "1.005h", "2,3333 часа"])
def test_hours_with_a_third_decimal_are_refused_not_rounded(text):
    # «1,005» was billed as 1:00 and «0,001» said «0 мин»: refused with the estimate's words instead
    with pytest.raises(UserError, match=r"^Часы: не больше двух знаков после запятой\.$"):
        worklog.parse_minutes(text)


@pytest.mark.parametrize("text,minutes", [("1,33 ч", 80), ("0,01 ч", 1), ("1,500 ч", 90), ("1,25h", 75)])
def test_hours_with_two_decimals_stay_minutes(text, minutes):
    assert worklog.parse_minutes(text) == minutes


def test_parse_measure_by_kind():
    assert worklog.parse_measure("conference", "1:30") == {"minutes": 90}
    assert worklog.parse_measure("onsite_day", "0,5") == {"days": D("0.5")}
    assert worklog.parse_measure("onsite_day", "2 дн.") == {"days": D("2")}
    assert worklog.parse_measure("transfer", "8 400,50 ₽") == {"amount": D("8400.50")}


def test_update_delete_restore(db, client_id):
    entry_id, _c = worklog.add_entry(db, client_id, EntryInput(JULY, "conference", minutes=30))
    worklog.update_entry(db, entry_id, EntryInput(JULY, "questions", minutes=45, note="уточнение"))
    row = worklog_read.get_entry(db, entry_id)
    assert (row.kind, row.minutes, row.note) == ("questions", 45, "уточнение")
    with pytest.raises(UserError):
        worklog.update_entry(db, entry_id, EntryInput(JULY, "questions", minutes=-1))
    assert worklog_read.get_entry(db, entry_id).minutes == 45
    changes = worklog.delete_entries(db, [entry_id])
    assert changes.worklog and changes.client_ids == frozenset({client_id})
    assert worklog_read.list_entries(db, client_id).rows == ()
    assert entries(db) == 1  # soft delete: kept for undo
    worklog.restore_entries(db, [entry_id])
    assert [r.id for r in worklog_read.list_entries(db, client_id).rows] == [entry_id]
    with pytest.raises(UserError):
        worklog.delete_entries(db, [entry_id, 12345])
    assert len(worklog_read.list_entries(db, client_id).rows) == 1  # nothing half-done


def test_filters_by_period_and_kind(db, client_id):
    for day, kind, minutes in ((date(2024, 7, 2), "conference", 60), (date(2024, 8, 5), "questions", 30),
                               (date(2024, 8, 20), "conference", 45)):
        worklog.add_entry(db, client_id, EntryInput(day, kind, minutes=minutes))
    worklog.add_entry(db, client_id, EntryInput(date(2024, 8, 21), "transfer", amount=D("8400")))
    august = worklog_read.list_entries(db, client_id, date(2024, 8, 1), date(2024, 8, 31))
    assert len(august.rows) == 3 and august.totals.raw_minutes == 75
    assert august.totals.expenses == D("8400.00") and august.totals.money == D("10275.00")
    conferences = worklog_read.list_entries(db, client_id, kinds=["conference"])
    assert [r.minutes for r in conferences.rows] == [45, 60] and conferences.totals.money == D("2625.00")
    with pytest.raises(UserError):
        worklog_read.list_entries(db, client_id, kinds=["nonsense"])
    with pytest.raises(UserError):
        worklog_read.list_entries(db, client_id, date(2024, 9, 1), date(2024, 8, 1))


def test_rounding_rule_is_a_setting_raw_time_stays_exact(db, client_id):
    assert entry_rounding.billing_rounding(db) == 0  # none by default
    worklog.add_entry(db, client_id, EntryInput(JULY, "conference", minutes=50))
    worklog.add_entry(db, client_id, EntryInput(JULY, "control", minutes=10))
    changes = entry_rounding.set_billing_rounding(db, 15)
    assert changes.settings and changes.worklog and changes.clients
    log = worklog_read.list_entries(db, client_id)
    assert [(r.minutes, r.billed_minutes) for r in log.rows] == [(10, 15), (50, 60)]
    assert (log.totals.raw_minutes, log.totals.billed_minutes) == (60, 75)
    assert log.totals.money == D("1875.00")
    entry_rounding.set_billing_rounding(db, 60)
    assert worklog_read.list_entries(db, client_id).totals.billed_minutes == 120
    with pytest.raises(UserError):
        entry_rounding.set_billing_rounding(db, 20)
    assert entry_rounding.billing_rounding(db) == 60


def test_second_tariff_reprices_only_entries_dated_after_it(db, client_id):
    worklog.add_entry(db, client_id, EntryInput(date(2024, 12, 30), "conference", minutes=60))
    worklog.add_entry(db, client_id, EntryInput(date(2025, 1, 15), "conference", minutes=60))
    december = worklog_read.bill_period(db, client_id, date(2024, 12, 1), date(2024, 12, 31))
    assert december.total == D("1500.00")
    set_tariff(db, "remote_hour", "1800", date(2025, 1, 1))
    assert worklog_read.bill_period(db, client_id, date(2024, 12, 1), date(2024, 12, 31)) == december
    assert worklog_read.bill_period(db, client_id, date(2025, 1, 1), date(2025, 1, 31)).total == D("1800.00")
    whole = worklog_read.bill_period(db, client_id)
    assert whole.total == D("3300.00") and len(whole.lines) == 2


def test_billing_before_any_tariff_is_reported_not_crashing(db, client_id):
    worklog.add_entry(db, client_id, EntryInput(date(2023, 5, 1), "conference", minutes=60))
    log = worklog_read.list_entries(db, client_id)
    assert log.totals.money is None and "01.05.2023" in log.billing_error
    assert log.totals.raw_minutes == 60
    with pytest.raises(UserError):
        worklog_read.bill_period(db, client_id)


def test_list_uses_a_constant_number_of_statements(db, client_id):
    worklog.add_entry(db, client_id, EntryInput(JULY, "conference", minutes=30))
    with counting(db) as few:
        worklog_read.list_entries(db, client_id)
    for day in range(1, 40):
        worklog.add_entry(db, client_id, EntryInput(JULY + timedelta(days=day), "questions", minutes=10))
    with counting(db) as many:
        worklog_read.list_entries(db, client_id)
    assert len(many) == len(few) <= 8


@pytest.mark.parametrize("step", [0, 15, 60])
def test_listing_bills_grouped_entries_exactly_as_each_entry_alone(db, client_id, step):
    """list_entries bills entries grouped by date and kind (time rounded per entry first); bill_period bills
    every entry on its own: the quotes must be the same, across a tariff change and with rounding."""
    set_tariff(db, "remote_hour", "1800", date(2025, 1, 1))
    entry_rounding.set_billing_rounding(db, step)
    for day in (date(2024, 12, 30), date(2024, 12, 31), date(2025, 1, 1), date(2025, 1, 2)):
        for minutes in (7, 50, 61):
            worklog.add_entry(db, client_id, EntryInput(day, "conference", minutes=minutes))
        worklog.add_entry(db, client_id, EntryInput(day, "questions", minutes=20))
        worklog.add_entry(db, client_id, EntryInput(day, "onsite_day", days=D("0.5")))
        worklog.add_entry(db, client_id, EntryInput(day, "onsite_day", days=D("1")))
        worklog.add_entry(db, client_id, EntryInput(day, "transfer", amount=D("8400.00")))
        worklog.add_entry(db, client_id, EntryInput(day, "lodging", amount=D("3500.50")))
    log = worklog_read.list_entries(db, client_id)
    each = worklog_read.bill_period(db, client_id)
    assert log.quote == each and log.totals.money == each.total
    assert log.totals.billed_minutes == sum(r.billed_minutes or 0 for r in log.rows)
    assert log.totals.days == D("6.00") and log.totals.expenses == D("47602.00")
    assert len(log.rows) == 4 * 8 and log.totals.raw_minutes == 4 * (7 + 50 + 61 + 20)


def test_timer_start_stop_logs_a_conference(db, client_id):
    start = datetime(2024, 7, 2, 10, 0, 0)
    assert worklog_timer.timer_state(db) is None
    worklog_timer.start_timer(db, client_id, now=start)
    state = worklog_timer.timer_state(db)
    assert state.client_id == client_id and state.started == start.astimezone() and state.on_date == start.date()
    with pytest.raises(UserError, match="уже идёт"):
        worklog_timer.start_timer(db, client_id, now=start)
    entry_id, changes = worklog_timer.stop_timer(db, now=start + timedelta(minutes=47, seconds=40), note="Склад")
    row = worklog_read.get_entry(db, entry_id)
    assert (row.kind, row.minutes, row.on_date, row.note) == ("conference", 48, date(2024, 7, 2), "Склад")
    assert changes.worklog and changes.settings and client_id in changes.client_ids
    assert worklog_timer.timer_state(db) is None
    with pytest.raises(UserError, match="не запущен"):
        worklog_timer.stop_timer(db)


def test_timer_forgotten_overnight_is_refused_and_can_be_cancelled(db, client_id):
    start = datetime(2024, 7, 2, 10, 0, 0)
    worklog_timer.start_timer(db, client_id, now=start)
    with pytest.raises(UserError, match="30:00 — больше суток"):
        worklog_timer.stop_timer(db, now=start + timedelta(hours=30))
    assert entries(db) == 0 and worklog_timer.timer_state(db) is not None
    entry_id, _changes = worklog_timer.stop_timer(db, now=start + timedelta(hours=30), minutes=90)  # the real time
    assert worklog_read.get_entry(db, entry_id).minutes == 90 and worklog_timer.timer_state(db) is None
    worklog_timer.start_timer(db, client_id, now=start)
    worklog_timer.cancel_timer(db)
    assert worklog_timer.timer_state(db) is None


def test_timer_measures_only_time(db, client_id):
    with pytest.raises(UserError):
        worklog_timer.start_timer(db, client_id, kind="transfer")
