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
    from app.services.worklog import EntryInput, get_entry, update_entry

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        row = get_entry(db, 3)
        update_entry(db, 3, EntryInput(row.on_date, row.kind, 1380, None, None, "", None))
        with pytest.raises(UserError, match="24 часов"):
            update_entry(db, 3, EntryInput(row.on_date, row.kind, 1390, None, None, "", None))
    finally:
        db.dispose()
    assert _minutes(sqlite_path) == [55, 1380]
