"""A bundle merged into a team laptop reaches the team's trail as that person's lines, once (the trial of
2026-12-01, 17g finding 1); the records the file carries in the server's state add no second line."""

from __future__ import annotations

from datetime import date

import pytest

from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.db import open_database
from app.services.progress import set_checklist
from app.services.worklog import EntryInput, add_entry
from app.sync.service import sync_once
from tests.team.conftest import sql_rows

pytestmark = pytest.mark.postgres
INN = "7707083893"  # entry_pair's client, with its work entry «E»


def test_work_brought_in_from_an_outside_file_is_in_the_teams_trail_once(entry_pair, server, tmp_path):
    a, b, ann, _boss = entry_pair
    outside = open_database(f"sqlite:///{tmp_path / 'outside.sqlite3'}")  # a computer of no team
    try:
        export_bundle(b, None, tmp_path / "to-outside.zip")
        import_bundle(outside, tmp_path / "to-outside.zip", backup=False)
        add_entry(outside, INN, EntryInput(kind="control", on_date=date(2026, 11, 29), minutes=25, note="вне команды"))
        set_checklist(outside, INN, ["s1.test_project"], True)
        export_bundle(outside, None, tmp_path / "back.zip")
    finally:
        outside.dispose()
    import_bundle(a, tmp_path / "back.zip", backup=False)
    for db in (a, b, a):
        sync_once(db)
    added = sql_rows(server, "SELECT author, table_name, new_value FROM audit_log WHERE action = 'insert' "
                             "AND table_name IN ('work_log', 'checklist_state') ORDER BY id")
    assert (ann, "work_log", "2026-11-29 control 25") in added
    assert (ann, "checklist_state", "s1.test_project: 1") in added
    # «E» came back in the file as the server has it: its line is not written a second time
    assert [r[2] for r in added if r[1] == "work_log"] == ["2026-03-02 conference 60", "2026-11-29 control 25"]
    for db in (a, b):  # and every laptop of the team reads the same trail
        assert sql_rows(db, "SELECT count(*) FROM audit_log WHERE table_name = 'work_log' AND action = 'insert'") \
            == sql_rows(server, "SELECT count(*) FROM audit_log WHERE table_name = 'work_log' AND action = 'insert'")


def test_a_record_the_file_carries_as_the_server_has_it_adds_no_second_line(entry_pair, server, tmp_path):
    a, b, _ann, boss = entry_pair
    add_entry(b, INN, EntryInput(kind="conference", on_date=date(2026, 11, 30), minutes=30, note="F"))
    sync_once(b)  # F and its line are on the server
    export_bundle(b, None, tmp_path / "b.zip")
    import_bundle(a, tmp_path / "b.zip", backup=False)  # a has not synced since: F is new to it
    for db in (a, b):
        sync_once(db)
    assert sql_rows(server, "SELECT author FROM audit_log WHERE table_name = 'work_log' AND action = 'insert' "
                            "AND new_value = '2026-11-30 conference 30'") == [(boss,)]


def test_one_file_imported_on_two_laptops_is_one_line_per_change(entry_pair, server, tmp_path):
    """The trial 17h: an outside colleague's file imported by the specialist and by her manager — the server and
    both laptops listed «добавлено» twice, once by each."""
    a, b, _ann, _boss = entry_pair
    outside = open_database(f"sqlite:///{tmp_path / 'outside.sqlite3'}")
    try:
        export_bundle(b, None, tmp_path / "to-outside.zip")
        import_bundle(outside, tmp_path / "to-outside.zip", backup=False)
        add_entry(outside, INN, EntryInput(kind="questions", on_date=date(2026, 11, 30), minutes=25, note="dup"))
        export_bundle(outside, None, tmp_path / "back.zip")
    finally:
        outside.dispose()
    for db in (a, b):
        import_bundle(db, tmp_path / "back.zip", backup=False)
    for db in (a, b, a):
        sync_once(db)
    query = ("SELECT count(*) FROM audit_log WHERE table_name = 'work_log' AND action = 'insert' "
             "AND new_value = '2026-11-30 questions 25'")
    assert sql_rows(server, query) == sql_rows(a, query) == sql_rows(b, query) == [(1,)]
