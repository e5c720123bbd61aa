"""Two 24-hour entries on one date were both taken and billed (a tester, 2026-12-05): a person's day holds 24 hours."""

from __future__ import annotations

import pytest

from app.errors import UserError
from app.persistence.db import open_database


def _minutes(path) -> list[int]:
    from sqlalchemy import select

    from app.persistence.models import WorkLogEntry

    db = open_database(f"sqlite:///{path}")
    try:
        with db.read() as s:
            return sorted(s.scalars(select(WorkLogEntry.minutes).where(WorkLogEntry.deleted.is_(False))))
    finally:
        db.dispose()


def test_second_full_day_refused(act_setup, sqlite_path):
    cli = act_setup  # 55 minutes on 05.10.2026 already
    status, _out, err = cli("log", "add", "1", "--kind", "questions", "--date", "2026-10-05", "--minutes", "1385")
    assert status == 0, err  # 55 + 1 385 = exactly 24 hours
    status, _out, err = cli("log", "add", "1", "--kind", "control", "--date", "2026-10-05", "--minutes", "1")
    assert status == 2
    assert "05.10.2026" in err and "24:00" in err and "24:01" in err and "24 часов" in err
    assert _minutes(sqlite_path) == [55, 1385]


def test_other_clients_count_and_other_days_do_not(act_setup, sqlite_path):
    cli = act_setup
    status, _out, err = cli("clients", "add", "--name", "ООО Второй", "--inn", "7707083893", "--approach", "remote")
    assert status == 0, err
    status, _out, err = cli("log", "add", "2", "--kind", "conference", "--date", "2026-10-05", "--minutes", "1400")
    assert status == 2 and "24:15" in err  # the day's 55 minutes at the first client count
    status, _out, err = cli("log", "add", "2", "--kind", "conference", "--date", "2026-10-06", "--minutes", "1400")
    assert status == 0, err
    assert _minutes(sqlite_path) == [55, 1400]


def test_deleted_entries_free_the_day_and_an_edit_counts_itself_once(act_setup, sqlite_path):
    cli = act_setup
    status, _out, err = cli("log", "add", "1", "--kind", "conference", "--date", "2026-10-05", "--minutes", "1000")
    assert status == 0, err
    assert cli("log", "delete", "2")[0] == 0
    status, _out, err = cli("log", "add", "1", "--kind", "conference", "--date", "2026-10-05", "--minutes", "1385")
    assert status == 0, err
    # the service's edit: the entry's own old minutes do not count against its new ones
    from app.services.worklog import EntryInput, update_entry
    from app.services.worklog_read import get_entry

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        row = get_entry(db, 3)
        update_entry(db, 3, EntryInput(row.on_date, row.kind, 1380, None, None, "", None))
        with pytest.raises(UserError, match="24 часов"):
            update_entry(db, 3, EntryInput(row.on_date, row.kind, 1390, None, None, "", None))
    finally:
        db.dispose()
    assert _minutes(sqlite_path) == [55, 1380]


def test_a_stopped_timer_obeys_the_day(act_setup, sqlite_path):
    """The timer's stop wrote its entry itself and skipped the day's 24 hours (23:50 + 0:45 billed)."""
    from datetime import UTC, datetime, timedelta

    from app.services import worklog_timer

    cli = act_setup
    assert cli("log", "add", "1", "--kind", "questions", "--date", "2026-10-05", "--minutes", "1375")[0] == 0
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        start = datetime(2026, 10, 5, 9, 0, tzinfo=UTC).astimezone()
        worklog_timer.start_timer(db, 1, now=start)
        with pytest.raises(UserError, match="24 часов"):
            worklog_timer.stop_timer(db, now=start + timedelta(minutes=45))
        assert worklog_timer.timer_state(db) is not None  # kept running: nothing lost
        entry_id, _changes = worklog_timer.stop_timer(db, now=start + timedelta(minutes=45), minutes=10)
        assert entry_id
    finally:
        db.dispose()
    assert _minutes(sqlite_path) == [10, 55, 1375]


def test_restoring_an_entry_obeys_the_day(act_setup, sqlite_path):
    """«log restore» (and the window's undo of a delete) brought 34 hours back onto one date."""
    cli = act_setup
    assert cli("log", "add", "1", "--kind", "conference", "--date", "2026-10-05", "--minutes", "1385")[0] == 0
    assert cli("log", "delete", "2")[0] == 0
    assert cli("log", "add", "1", "--kind", "control", "--date", "2026-10-05", "--minutes", "600")[0] == 0
    status, _out, err = cli("log", "restore", "2")
    assert status == 2 and "24 часов" in err and "34:00" in err
    assert _minutes(sqlite_path) == [55, 600]
    assert cli("log", "delete", "3")[0] == 0
    assert cli("log", "restore", "2")[0] == 0  # the day has room again
    status, _out, err = cli("log", "restore", "3")
    assert status == 2 and "34:00" in err
    assert _minutes(sqlite_path) == [55, 1385]


def test_naming_the_profile_does_not_start_the_day_again(act_setup, sqlite_path):
    """The count went by the author's text: after «team profile --name …» another 24 hours were taken."""
    cli = act_setup
    assert cli("log", "add", "1", "--kind", "control", "--date", "2026-10-06", "--minutes", "1440")[0] == 0
    status, _out, err = cli("team", "profile", "--name", "Николаев А. С.", "--position", "Специалист")
    assert status == 0, err
    status, _out, err = cli("log", "add", "1", "--kind", "control", "--date", "2026-10-06", "--minutes", "1440")
    assert status == 2 and "48:00" in err


def test_another_persons_entries_are_theirs(act_setup, sqlite_path):
    """An entry a colleague wrote (synced or imported) is not counted in this person's day."""
    cli = act_setup
    assert cli("log", "add", "1", "--kind", "control", "--date", "2026-10-07", "--minutes", "1440")[0] == 0
    _colleagues(sqlite_path, 2)
    status, _out, err = cli("log", "add", "1", "--kind", "control", "--date", "2026-10-07", "--minutes", "1440")
    assert status == 0, err


def _colleagues(sqlite_path, entry_id: int) -> None:
    """Entry ``entry_id`` as a sync brings a colleague's: written first (and last) by «Петров П. П.»."""
    from sqlalchemy import select, update

    from app.persistence.models import AuditEntry, WorkLogEntry

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.engine.begin() as conn:
            uuid = conn.execute(select(WorkLogEntry.uuid).where(WorkLogEntry.id == entry_id)).scalar_one()
            conn.execute(update(WorkLogEntry.__table__).where(WorkLogEntry.__table__.c.id == entry_id)
                         .values(updated_by="Петров П. П."))
            conn.execute(update(AuditEntry.__table__).where(AuditEntry.__table__.c.record_uuid == uuid)
                         .values(author="Петров П. П."))
    finally:
        db.dispose()


def test_correcting_or_deleting_a_colleagues_entry_leaves_it_in_their_day(act_setup, sqlite_path):
    """Tester H: a note corrected on a colleague's 20-hour entry made it count in the corrector's day (30 hours, nothing
    more could be logged), and a colleague's entry deleted by mistake could not be brought back."""
    cli = act_setup
    assert cli("log", "add", "1", "--kind", "control", "--date", "2026-10-08", "--minutes", "1200")[0] == 0
    _colleagues(sqlite_path, 2)
    assert cli("log", "add", "1", "--kind", "control", "--date", "2026-10-08", "--minutes", "600")[0] == 0
    from app.services.worklog import EntryInput, update_entry
    from app.services.worklog_read import get_entry

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        row = get_entry(db, 2)
        update_entry(db, 2, EntryInput(row.on_date, row.kind, row.minutes, None, None, "поправлено", None))
    finally:
        db.dispose()
    status, _out, err = cli("log", "add", "1", "--kind", "control", "--date", "2026-10-08", "--minutes", "60")
    assert status == 0, err  # 10 hours of mine + 1: the colleague's 20 stay theirs
    assert cli("log", "delete", "2")[0] == 0
    status, _out, err = cli("log", "restore", "2")
    assert status == 0, err
    assert _minutes(sqlite_path) == [55, 60, 600, 1200]


def test_a_refused_restore_names_the_entry_and_its_companions(act_setup, sqlite_path):
    cli = act_setup
    for minutes in ("700", "700"):
        assert cli("log", "add", "1", "--kind", "control", "--date", "2026-10-09", "--minutes", minutes)[0] == 0
    assert cli("log", "delete", "2", "3")[0] == 0
    assert cli("log", "add", "1", "--kind", "control", "--date", "2026-10-09", "--minutes", "100")[0] == 0
    status, _out, err = cli("log", "restore", "2", "3")
    assert status == 2
    # «уже» is what the log holds now, and both entries of the day are named (testers H #8 and I #5)
    assert ("Записи журнала № 2 (11:40), № 3 (11:40) нельзя вернуть вместе: за 09.10.2026 у вас в журнале уже "
            "1:40 работы; с ними было бы 25:00 — больше 24 часов в сутках. Ничего не возвращено.") in err
    assert "13:20" not in err
    assert _minutes(sqlite_path) == [55, 100]


def test_a_refused_batch_restore_says_nothing_came_back(act_setup, sqlite_path):
    """«log restore» is all or nothing: an entry of another, free day in the same command is not brought back
    either, and the refusal says so; a single entry's refusal stays one sentence."""
    cli = act_setup
    assert cli("log", "add", "1", "--kind", "control", "--date", "2026-10-09", "--minutes", "1000")[0] == 0
    assert cli("log", "add", "1", "--kind", "control", "--date", "2026-10-11", "--minutes", "30")[0] == 0
    assert cli("log", "delete", "2", "3")[0] == 0
    assert cli("log", "add", "1", "--kind", "control", "--date", "2026-10-09", "--minutes", "500")[0] == 0
    status, _out, err = cli("log", "restore", "2", "3")
    assert status == 2
    assert ("Запись журнала № 2 (16:40) нельзя вернуть: за 09.10.2026 у вас в журнале уже 8:20 работы; с ней было "
            "бы 25:00 — больше 24 часов в сутках. Ничего не возвращено.") in err
    assert _minutes(sqlite_path) == [55, 500]
    status, _out, err = cli("log", "restore", "2")
    assert status == 2 and "Ничего не возвращено" not in err and "№ 2 (16:40) нельзя вернуть" in err


@pytest.mark.parametrize("second_day,length,logged,said", [("2026-10-11", "1000", "500", ("16:40", "8:20")),
                                                         ("2026-10-09", "700", "800", ("11:40", "13:20"))])
def test_a_refused_batch_restore_names_every_entry_refused(act_setup, sqlite_path, second_day, length, logged, said):
    """«log restore 2 3» named entry 2 alone when entry 3 could not come back either, on another day or on the same
    one (tester J #8): every refused entry is named, each one sentence, and «nothing was brought back» said once."""
    cli = act_setup
    assert cli("log", "add", "1", "--kind", "control", "--date", "2026-10-09", "--minutes", length)[0] == 0
    assert cli("log", "add", "1", "--kind", "control", "--date", second_day, "--minutes", length)[0] == 0
    assert cli("log", "delete", "2", "3")[0] == 0
    days = list(dict.fromkeys(("2026-10-09", second_day)))
    for day in days:
        assert cli("log", "add", "1", "--kind", "control", "--date", day, "--minutes", logged)[0] == 0
    status, _out, err = cli("log", "restore", "2", "3")
    assert status == 2
    time, held = said
    second = f"{second_day[8:]}.{second_day[5:7]}.{second_day[:4]}"
    assert (f"Запись журнала № 2 ({time}) нельзя вернуть: за 09.10.2026 у вас в журнале уже {held} работы; с ней "
            "было бы 25:00 — больше 24 часов в сутках.") in err
    assert (f"Запись журнала № 3 ({time}) нельзя вернуть: за {second} у вас в журнале уже {held} работы; с ней "
            "было бы 25:00 — больше 24 часов в сутках. Ничего не возвращено.") in err
    assert err.count("Ничего не возвращено") == 1
    assert _minutes(sqlite_path) == sorted([55, *[int(logged)] * len(days)])


def test_a_colleagues_entry_from_a_bundle_stays_theirs(act_setup, sqlite_path, tmp_path):
    """Bundles carry no audit lines: the import writes its own «добавлено» under the importer's name, and the day
    counted the colleague's 20 hours as the importer's (tester I, 2026-12-05)."""
    from app.cli import run

    cli = act_setup
    other = tmp_path / "petrov.sqlite3"
    for argv in (("team", "profile", "--name", "Петров П. П."),
                 ("clients", "add", "--name", "ООО «Второй»", "--inn", "7707083893", "--approach", "remote"),
                 ("log", "add", "1", "--kind", "control", "--date", "2026-10-10", "--minutes", "1200"),
                 ("export", "--all", "-o", str(tmp_path / "petrov.zip"))):
        assert run(["--db", str(other), *argv]) == 0, argv
    status, _out, err = cli("import", str(tmp_path / "petrov.zip"))
    assert status == 0, err
    assert 1200 in _minutes(sqlite_path)
    status, _out, err = cli("log", "add", "1", "--kind", "control", "--date", "2026-10-10", "--minutes", "600")
    assert status == 0, err
