"""Issue 10, point 1: every work-log entry is billed at most once (acts, voids, edits, export/import)."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.errors import UserError
from app.persistence.models import WorkLogEntry
from app.reports import printing
from app.services import documents as docs
from app.services import worklog, worklog_read
from app.services.clients import ClientInput, add_client
from app.services.common import today
from app.services.demo import company_inn
from app.services.worklog import EntryInput
from tests.reports.helpers import ACT_DAY, CLIENT_NAME, MARCH, build_world, pdf_text


def act(db, client_id, start, end, on=ACT_DAY, stage=None, new=False):
    return printing.issue(db, docs.prepare_act(db, client_id, start, end, stage, on=on), new=new)


def marks(db, client_id) -> dict[int, int | None]:
    with db.read() as s:
        return dict(s.execute(select(WorkLogEntry.id, WorkLogEntry.billed_by_document_id)
                              .where(WorkLogEntry.client_id == client_id, WorkLogEntry.deleted.is_(False))).all())


def test_the_issue_sequence_bills_each_entry_once(db):
    """`report acts --month 2026-03`, then 01–15.03, then --stage 2 for March, then 01.02–30.04, then --new:
    the logged work is 26 250,00 (March) + 2 250,00 (February) and nothing more is billed."""
    world = build_world(db)
    first = act(db, world.client_id, *MARCH)
    assert first.code == "АУ-1/2026"
    with pytest.raises(docs.NothingToBill, match="АУ-1/2026") as info:
        act(db, world.client_id, date(2026, 3, 1), date(2026, 3, 15))
    assert info.value.codes == ["АУ-1/2026"]
    with pytest.raises(docs.NothingToBill, match="АУ-1/2026"):
        act(db, world.client_id, *MARCH, stage=2)
    wide = act(db, world.client_id, date(2026, 2, 1), date(2026, 4, 30), on=date(2026, 4, 30))
    text = pdf_text(wide.pdf)
    assert "2 250,00" in text and "18 000,00" not in text  # only the February entry was left
    with pytest.raises(docs.NothingToBill):
        act(db, world.client_id, date(2026, 2, 1), date(2026, 4, 30), on=date(2026, 4, 30), new=True)
    totals = [row.total for row in docs.list_documents(db, kind="act")]
    assert sum(totals) == 26250 + 2250
    assert all(mark is not None for mark in marks(db, world.client_id).values())


def test_work_added_to_a_billed_month_gets_its_own_act(db):
    world = build_world(db)
    act(db, world.client_id, *MARCH)
    entry_id, _c = worklog.add_entry(db, world.client_id, EntryInput(date(2026, 3, 20), "questions", minutes=55))
    later = act(db, world.client_id, *MARCH, on=date(2026, 4, 1))
    content = docs.stored_content(db, later.code)
    assert content["total"] == "1375.00" and len(content["lines"]) == 1  # 55 min × 25,00, nothing else
    assert marks(db, world.client_id)[entry_id] == later.id


def test_an_entry_of_december_is_not_billed_again_by_an_act_over_the_new_year(db):
    world = build_world(db)
    entry_id, _c = worklog.add_entry(db, world.client_id, EntryInput(date(2025, 12, 30), "conference", minutes=65))
    december = act(db, world.client_id, date(2025, 12, 1), date(2025, 12, 31), on=date(2025, 12, 31))
    assert docs.stored_content(db, december.code)["total"] == "1625.00"
    with pytest.raises(docs.NothingToBill, match="АУ-1/2025"):
        act(db, world.client_id, date(2025, 12, 1), date(2026, 1, 31), on=date(2026, 1, 31))
    january, _c = worklog.add_entry(db, world.client_id, EntryInput(date(2026, 1, 5), "conference", minutes=218))
    spanning = act(db, world.client_id, date(2025, 12, 1), date(2026, 1, 31), on=date(2026, 1, 31))
    assert docs.stored_content(db, spanning.code)["total"] == "5450.00"  # 218 min only
    assert marks(db, world.client_id)[entry_id] == december.id
    assert marks(db, world.client_id)[january] == spanning.id


def test_billed_entries_are_locked_until_the_act_is_voided(db):
    world = build_world(db)
    first = act(db, world.client_id, *MARCH)
    log = worklog_read.list_entries(db, world.client_id, *MARCH)
    entry = log.rows[0]
    assert entry.billed_by == "АУ-1/2026" and all(r.billed for r in log.rows)
    with pytest.raises(UserError, match="выставлена актом АУ-1/2026"):
        worklog.update_entry(db, entry.id, entry.as_input())
    with pytest.raises(UserError, match="аннулируйте акт"):
        worklog.delete_entries(db, [entry.id])
    with pytest.raises(UserError, match="Причина"):
        docs.void_document(db, first.code, "  ")
    changes = docs.void_document(db, first.code, "Неверный период")
    assert changes.worklog and changes.documents
    row = docs.find_document(db, first.code)
    assert row.voided and row.void_reason == "Неверный период" and row.as_json()["status"] == "аннулирован"
    with pytest.raises(UserError, match="уже аннулирован"):
        docs.void_document(db, first.code, "ещё раз")
    assert worklog_read.get_entry(db, entry.id).billed_by is None
    worklog.update_entry(db, entry.id, EntryInput(entry.on_date, entry.kind, minutes=55))
    again = act(db, world.client_id, *MARCH)
    assert again.code == "АУ-2/2026"  # the voided number is never reused
    assert [r.code for r in docs.list_documents(db, kind="act")] == ["АУ-2/2026", "АУ-1/2026"]


def test_cli_void_and_billed_marks(cli, sqlite_path, tmp_path):
    from app.persistence.db import open_database

    db = open_database(f"sqlite:///{sqlite_path}")
    world = build_world(db)
    db.dispose()
    argv = ["report", "act", str(world.client_id), "--from", "2026-03-01", "--to", "2026-03-31", "--date",
            "2026-03-31"]
    assert cli(*argv, "-o", str(tmp_path / "a.pdf"))[0] == 0
    status, out, _err = cli("log", "list", str(world.client_id), "--from", "2026-03-01")
    assert status == 0 and out.count("[выставлено актом АУ-1/2026]") == 3
    status, _out, err = cli("log", "delete", str(worklog_ids(sqlite_path)[0]))
    assert status == 2 and "аннулируйте акт" in err
    status, _out, err = cli("documents", "void", "АУ-1/2026")
    assert status == 2 and "--reason" in err
    status, out, _err = cli("documents", "void", "АУ-1/2026", "--reason", "Ошибка в периоде")
    assert status == 0 and "аннулирован" in out
    assert "аннулирован: Ошибка в периоде" in cli("documents", "list")[1]
    assert "[не выставлено]" in cli("log", "list", str(world.client_id))[1]
    status, out, _err = cli(*argv, "-o", str(tmp_path / "b.pdf"))
    assert status == 0 and "АУ-2/2026" in out


def worklog_ids(sqlite_path) -> list[int]:
    import sqlite3

    con = sqlite3.connect(sqlite_path)
    ids = [r[0] for r in con.execute("select id from work_log where billed_by_document_id is not null order by id")]
    con.close()
    return ids


def test_export_and_import_keep_the_marks(db, tmp_path):
    from app.exchange.bundle_export import export_bundle
    from app.exchange.bundle_import import import_bundle
    from app.persistence.db import open_database

    world = build_world(db)
    first = act(db, world.client_id, *MARCH)
    export_bundle(db, None, tmp_path / "laptop.zip")
    other = open_database(f"sqlite:///{tmp_path / 'office.sqlite3'}")
    try:
        import_bundle(other, tmp_path / "laptop.zip", backup=False)
        office_id = other_client(other)
        rows = worklog_read.list_entries(other, office_id, *MARCH).rows
        assert rows and all(r.billed_by and r.billed_by.startswith("АУ-1/2026") for r in rows)
        with pytest.raises(docs.NothingToBill):  # billed on the laptop: billed in the office too
            docs.prepare_act(other, office_id, *MARCH, on=ACT_DAY)
        # the laptop voids the act; the next bundle frees the entries in the office as well
        docs.void_document(db, first.code, "Переоформление")
        export_bundle(db, None, tmp_path / "laptop2.zip")
        import_bundle(other, tmp_path / "laptop2.zip", backup=False)
        assert all(r.billed_by is None for r in worklog_read.list_entries(other, office_id, *MARCH).rows)
    finally:
        other.dispose()


def other_client(db) -> int:
    from app.services.client_list import list_clients

    return next(c.id for c in list_clients(db) if c.name == CLIENT_NAME)


# ------------------------------------------------------------------ property: never billed twice

OPS = st.lists(st.one_of(
    st.tuples(st.just("add"), st.integers(0, 10), st.integers(1, 300)),
    st.tuples(st.just("act"), st.integers(0, 10), st.integers(0, 15), st.booleans()),
    st.tuples(st.just("void"), st.integers(0, 10)),
    st.tuples(st.just("edit"), st.integers(0, 30), st.integers(1, 300)),
    st.tuples(st.just("delete"), st.integers(0, 30)),
), min_size=1, max_size=14)
START = date(2026, 1, 1)


INNS = itertools.count(1)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(OPS)
def test_no_sequence_of_acts_voids_and_edits_bills_an_entry_twice(db, ops):
    from app.services.documents import set_executor
    from tests.reports.helpers import EXECUTOR

    if docs.missing_executor_fields(docs.get_executor(db)):
        set_executor(db, EXECUTOR)
    inn = company_inn(random.Random(next(INNS)), "77")
    client_id = add_client(db, ClientInput(name=f"Клиент {inn}", inn=inn, approach="remote", kpp="770701001"))
    live: dict[int, set[int]] = {}  # act id → the entries it billed when it was issued
    entries: list[int] = []
    for op in ops:
        try:
            if op[0] == "add":
                entry_id, _c = worklog.add_entry(db, client_id, EntryInput(START + timedelta(days=op[1]),
                                                                           "conference", minutes=op[2]))
                entries.append(entry_id)
            elif op[0] == "act":
                start = START + timedelta(days=op[1])
                draft = docs.prepare_act(db, client_id, start, start + timedelta(days=op[2]), on=today())
                issued = printing.issue(db, draft, new=op[3])
                live[issued.id] = set(draft.entry_ids)
            elif op[0] == "void" and live:
                victim = sorted(live)[op[1] % len(live)]
                docs.void_document(db, victim, "проверка")
                del live[victim]
            elif op[0] == "edit" and entries:
                entry = worklog_read.get_entry(db, entries[op[1] % len(entries)])
                worklog.update_entry(db, entry.id, EntryInput(entry.on_date, entry.kind, minutes=op[2]))
            elif op[0] == "delete" and entries:
                worklog.delete_entries(db, [entries[op[1] % len(entries)]])
        except UserError:
            pass  # refused: nothing changed (billed entries, nothing to bill, deleted entries…)
        billed = [e for acts in live.values() for e in acts]
        assert len(billed) == len(set(billed)), "an entry is billed by two live acts"
        current = marks(db, client_id)
        for act_id, ids in live.items():
            assert all(current.get(e) == act_id for e in ids), "a billed entry lost its act or was deleted"
        assert {e for e, mark in current.items() if mark is not None} == set(billed)


def test_six_entries_show_the_same_hours_everywhere(db, cli, sqlite_path):
    """50, 50, 50, 7, 13 and 20 minutes: 3,17 h in the work log, its totals, the act, the stage sheet and the
    progress report, all from pricing.hours_of of the same billed minutes (issue 10, point 2)."""
    from app.persistence.db import open_database
    from app.services.documents import set_executor
    from tests.reports.helpers import EXECUTOR, add_remote_client

    db = open_database(f"sqlite:///{sqlite_path}")
    set_executor(db, EXECUTOR)
    client_id = add_remote_client(db)
    from app.services.progress import move_stage

    move_stage(db, client_id, 1)
    for kind, minutes in (("conference", 50), ("conference", 50), ("conference", 50), ("questions", 7),
                          ("questions", 13), ("questions", 20)):
        worklog.add_entry(db, client_id, EntryInput(date(2026, 3, 10), kind, minutes=minutes, stage=1))
    log = worklog_read.list_entries(db, client_id)
    assert log.totals.billed_hours == docs_hours("3.17") and log.totals.money == docs_hours("4750.00")
    progress = docs.prepare_progress(db, client_id).content
    assert progress["budget"]["actual_hours"] == "3.17"
    sheet = docs.prepare_signoff(db, client_id, 1, force=True, reason="проверка")
    assert sheet.content["spent"]["hours"] == "3.17" and sheet.content["spent"]["minutes"] == 190
    assert "3 ч 10 мин (3,17 ч)" in pdf_text(printing.render_draft(sheet))
    issued = act(db, client_id, *MARCH)
    content = docs.stored_content(db, issued.code)
    assert content["billed_minutes"] == 190 and content["total"] == "4750.00"
    assert sum(int(line["quantity"]) for line in content["lines"]) == 190
    db.dispose()
    status, out, _err = cli("log", "list", str(client_id))
    assert status == 0 and "к оплате 3,17 ч (190 мин)" in out


def docs_hours(text: str):
    from decimal import Decimal

    return Decimal(text)


def test_restore_keeps_the_marks_and_the_voided_acts(tmp_path):
    from app.exchange import backup as bk
    from app.exchange.restore import restore_backup
    from app.persistence.db import open_database

    db = open_database(f"sqlite:///{tmp_path / 'laptop.sqlite3'}")  # backups are SQLite copies
    world = build_world(db)
    first = act(db, world.client_id, *MARCH)
    saved = bk.make_backup(db, "manual", target=tmp_path / "saved.sqlite3")
    docs.void_document(db, first.code, "Ошибка")
    restore_backup(db, saved.path)
    assert not docs.find_document(db, first.code).voided
    assert all(r.billed_by == "АУ-1/2026" for r in worklog_read.list_entries(db, world.client_id, *MARCH).rows)
    with pytest.raises(docs.NothingToBill):
        docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)
    db.dispose()


def test_a_lost_mark_does_not_let_the_work_be_billed_twice(db):
    """A merge may bring back an older copy of a billed entry without its mark: the act's snapshot still lists
    it, so it is not billed again, and reconcile_marks puts the mark back."""
    world = build_world(db)
    first = act(db, world.client_id, *MARCH)
    assert docs.stored_content(db, first.code)["entries"]
    with db.unit() as s:  # what an import of an older copy of the entries does
        for entry in s.scalars(select(WorkLogEntry).where(WorkLogEntry.client_id == world.client_id)):
            entry.billed_by_document_id = None
    with pytest.raises(docs.NothingToBill, match="АУ-1/2026"):
        docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)
    assert docs.reconcile_marks(db) == 3
    assert all(r.billed_by == "АУ-1/2026" for r in worklog_read.list_entries(db, world.client_id, *MARCH).rows)
    assert docs.reconcile_marks(db) == 0
    docs.void_document(db, first.code, "Ошибка")
    assert docs.reconcile_marks(db) == 0  # a voided act lists nothing any more
    assert act(db, world.client_id, *MARCH).code == "АУ-2/2026"


def test_an_older_copy_from_another_installation_does_not_unbill_work(db, tmp_path):
    from app.exchange.bundle_export import export_bundle
    from app.exchange.bundle_import import import_bundle
    from app.persistence.db import open_database

    world = build_world(db)
    export_bundle(db, None, tmp_path / "before.zip")
    office = open_database(f"sqlite:///{tmp_path / 'office.sqlite3'}")
    try:
        import_bundle(office, tmp_path / "before.zip", backup=False)
        first = act(db, world.client_id, *MARCH)  # the laptop bills March
        office_id = other_client(office)
        entry = worklog_read.list_entries(office, office_id, *MARCH).rows[0]
        worklog.update_entry(office, entry.id, EntryInput(entry.on_date, entry.kind, entry.minutes,
                                                          note="уточнено в офисе"))  # newer, not billed there
        export_bundle(office, None, tmp_path / "office.zip")
        import_bundle(db, tmp_path / "office.zip", backup=False)
    finally:
        office.dispose()
    rows = worklog_read.list_entries(db, world.client_id, *MARCH).rows
    assert "уточнено в офисе" in {r.note for r in rows}  # the newer edit won
    assert all(r.billed_by == first.code for r in rows)  # and the work is still billed by the act


def test_two_laptops_billing_the_same_work_offline_merge_into_one_bill_and_a_conflict(db, tmp_path):
    """Found by trying it as a user: both laptops bill the shared entries. Issue 10 refused that merge; bundles
    now merge by versions as the team sync does (issue 17, docs/sync.md «Merge rules»): the act that left its
    computer first keeps the work, and the importer holds one «double_billing» conflict per entry naming both
    acts — its own act must be voided. Never is an entry billed by two acts' marks, nor silently re-billed."""
    from app.exchange.bundle_export import export_bundle
    from app.exchange.bundle_import import import_bundle
    from app.persistence.db import open_database
    from app.sync.service import conflicts

    world = build_world(db)
    export_bundle(db, None, tmp_path / "before.zip")
    other = open_database(f"sqlite:///{tmp_path / 'office.sqlite3'}")
    try:
        import_bundle(other, tmp_path / "before.zip", backup=False)
        docs.set_executor(other, docs.get_executor(db))  # the office has its own requisites
        office_id = other_client(other)
        laptop_act = act(db, world.client_id, *MARCH)
        office_act = act(other, office_id, *MARCH)
        export_bundle(db, None, tmp_path / "after.zip")
        import_bundle(other, tmp_path / "after.zip", backup=False)
        rows = worklog_read.list_entries(other, office_id, *MARCH).rows
        laptop_code_here = rows[0].billed_by  # the laptop's act in the office: «АУ-1/2026 (установка …)»
        assert laptop_code_here.startswith(f"{laptop_act.code} (установка ")
        assert len(rows) == 3 and all(r.billed_by == laptop_code_here for r in rows)
        assert [(c.kind, c.local_value, c.server_value) for c in conflicts(other)] == [
            ("double_billing", office_act.code, laptop_code_here)] * 3
        # the office voids its act as the conflict says: the work stays billed once, by the laptop's act
        docs.void_document(other, office_act.code, "Выставлено на ноутбуке")
        export_bundle(other, None, tmp_path / "voided.zip")
        import_bundle(db, tmp_path / "voided.zip", backup=False)
        for database, client_id, code in ((other, office_id, laptop_code_here), (db, world.client_id,
                                                                                  laptop_act.code)):
            rows = worklog_read.list_entries(database, client_id, *MARCH).rows
            assert rows and all(r.billed_by == code for r in rows)
        assert conflicts(db) == []
    finally:
        other.dispose()
