"""Documents that bill the work log refuse entries the billing cannot count right (another program wrote them)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from tests.unit.test_damaged_dates import _damage


def _entries(path, client_id: int) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT id, kind, billed_by_document_id FROM work_log WHERE client_id = ? AND deleted = 0 "
                            "AND kind = 'onsite_day' ORDER BY id", (client_id,)).fetchall()
    conn.close()
    return rows


def _counts(path) -> tuple:
    with sqlite3.connect(path) as conn:
        counted = (conn.execute("SELECT count(*) FROM document").fetchone()[0],
                   conn.execute("SELECT count(*) FROM work_log WHERE billed_by_document_id IS NOT NULL").fetchone()[0])
    conn.close()
    return counted


@pytest.mark.parametrize(("sql", "named"), [
    ("UPDATE work_log SET kind = 'ufo' WHERE id = {id}", "поле kind: «ufo»"),
    ("UPDATE work_log SET deleted = 'нет' WHERE id = {id}", "поле deleted: «нет»"),
    ("UPDATE work_log SET deleted = 2 WHERE id = {id}", "поле deleted: «2»"),
])
def test_an_act_refuses_entries_it_would_leave_out_and_marks_nothing(cli, demo_file, tmp_path, sql, named):
    """An act over an entry of kind «ufo» billed a day less and marked that day billed (never billable again);
    over «нет» in its deleted flag it left the day out without a word."""
    client = 1
    entry = _entries(demo_file, client)[0][0]
    _damage(demo_file, sql.format(id=entry))
    before = _counts(demo_file)
    until = (date.today() - timedelta(days=1)).isoformat()
    status, out, err = cli("report", "act", str(client), "--from", "2000-01-01", "--to", until,
                           "-o", str(tmp_path / "act.pdf"))
    assert status == 2 and out == "", err
    assert f"таблица work_log, запись {entry}, {named}" in err and "restore" in err
    assert _counts(demo_file) == before and not (tmp_path / "act.pdf").exists()
    status, _out, err = cli("report", "progress", str(client), "-o", str(tmp_path / "progress.pdf"))
    assert status == 2 and f"запись {entry}, {named}" in err
    assert _counts(demo_file) == before


def test_an_unknown_kind_of_another_client_or_a_deleted_entry_stops_nothing(cli, demo_file, tmp_path):
    with sqlite3.connect(demo_file) as conn:
        other = conn.execute("SELECT id FROM work_log WHERE client_id <> 1 ORDER BY id").fetchone()[0]
        gone = conn.execute("SELECT id FROM work_log WHERE client_id = 1 ORDER BY id").fetchone()[0]
    conn.close()
    _damage(demo_file, f"UPDATE work_log SET kind = 'ufo' WHERE id = {other}")
    _damage(demo_file, f"UPDATE work_log SET kind = 'ufo', deleted = 1 WHERE id = {gone}")
    until = (date.today() - timedelta(days=1)).isoformat()
    status, _out, err = cli("report", "act", "1", "--from", "2000-01-01", "--to", until, "-o", str(tmp_path / "a.pdf"))
    assert status == 0, err
    assert (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize(("sql", "named"), [
    ("UPDATE work_log SET kind = 'ufo' WHERE id = {id}", "поле kind: «ufo»"),
    ("UPDATE work_log SET deleted = 'нет' WHERE id = {id}", "поле deleted: «нет»"),
])
def test_the_work_log_names_them_instead_of_totals_without_them(cli, demo_file, sql, named):
    """The window's work log showed «ufo» with totals that left it out; «нет» made an entry vanish from the list."""
    entry = _entries(demo_file, 1)[0][0]
    _damage(demo_file, sql.format(id=entry))
    status, out, err = cli("log", "list", "1")
    assert status == 2 and out == "" and f"таблица work_log, запись {entry}, {named}" in err


@pytest.mark.parametrize("args", [("checklist", "show", "1"), ("export", "--all", "-o", "{tmp}/all.zip")])
def test_a_word_in_a_flag_is_named_not_read_as_true(cli, demo_file, tmp_path, args):
    """«нет» in checklist_state.done was read as true (the item shown as done) while SQL's filters took it for false;
    an export wrote it as true."""
    _damage(demo_file, "UPDATE checklist_state SET done = 'нет' WHERE id = (SELECT min(id) FROM checklist_state "
                       "WHERE client_id = 1)")
    status, out, err = cli(*(a.format(tmp=tmp_path) for a in args))
    assert status == 2 and out == "", (args, out, err)
    assert "поле done: «нет»" in err and "restore" in err and "Внутренняя ошибка" not in err
    assert not (tmp_path / "all.zip").exists()


@pytest.mark.parametrize("value", ["2", "'нет'"])
@pytest.mark.parametrize("args", [("lessons", "show", "1"), ("report", "progress", "1", "-o", "{tmp}/p.pdf"),
                                  ("report", "signoff", "1", "-o", "{tmp}/s.pdf"),
                                  ("lessons", "done", "1", "{code}")])
def test_a_word_in_a_lessons_active_flag_is_named_not_taken_for_inactive(cli, demo_file, tmp_path, args, value):
    """«2» in lesson.active made lesson L01 vanish: «lessons show» and the Lessons tab said «12 из 25» without a word,
    the documents counted one lesson less, and ticking it said «Неизвестный урок»."""
    with sqlite3.connect(demo_file) as conn:
        code = conn.execute("SELECT min(code) FROM lesson").fetchone()[0]
    conn.close()
    _damage(demo_file, f"UPDATE lesson SET active = {value} WHERE code = '{code}'")
    status, out, err = cli(*(a.format(tmp=tmp_path, code=code) for a in args))
    assert status == 2 and out == "", (args, out, err)
    assert "таблица lesson" in err and f"поле active: «{value.strip(chr(39))}»" in err and "restore" in err
    assert not list(tmp_path.glob("*.pdf"))


def test_a_word_in_a_checklist_done_flag_is_named_on_the_signoff_sheet(cli, demo_file, tmp_path):
    _damage(demo_file, "UPDATE checklist_state SET done = 'нет' WHERE id = (SELECT min(id) FROM checklist_state "
                       "WHERE client_id = 1)")
    status, out, err = cli("report", "signoff", "1", "-o", str(tmp_path / "s.pdf"))
    assert status == 2 and out == "" and "поле done: «нет»" in err and not (tmp_path / "s.pdf").exists()


@pytest.mark.parametrize("args", [("report", "act", "1", "--from", "2000-01-01", "--to", "{until}", "-o", "{tmp}/a.pdf"),
                                  ("log", "list", "1", "--from", "2000-01-01", "--to", "{until}")])
def test_an_entry_whose_date_is_no_date_is_named_not_left_out_of_the_period(cli, demo_file, tmp_path, args):
    """«ufo» in work_log.on_date sorts after every date: the act over the period billed 13 days instead of 14 and
    the day was never billable again (a tester's find)."""
    entry = _entries(demo_file, 1)[0][0]
    before = _counts(demo_file)
    _damage(demo_file, f"UPDATE work_log SET on_date = 'ufo' WHERE id = {entry}")
    until = (date.today() - timedelta(days=1)).isoformat()
    status, out, err = cli(*(a.format(tmp=tmp_path, until=until) for a in args))
    assert status == 2 and out == "", err
    assert f"таблица work_log, запись {entry}, поле on_date: «ufo»" in err
    assert _counts(demo_file) == before and not (tmp_path / "a.pdf").exists()


def _log_days(path, client_id: int, days: list[date]) -> list[int]:
    """On-site days of ``client_id`` logged on ``days`` (one entry each), by the program itself; their ids."""
    from decimal import Decimal

    from app.persistence.db import open_database
    from app.persistence.models import WorkLogEntry

    db = open_database(f"sqlite:///{path}")
    try:
        with db.unit() as s:
            entries = [WorkLogEntry(client_id=client_id, on_date=day, kind="onsite_day", days=Decimal(1), stage=0)
                       for day in days]
            s.add_all(entries)
            s.flush()
            return [entry.id for entry in entries]
    finally:
        db.dispose()


def _billed(path, ids: list[int]) -> int:
    with sqlite3.connect(path) as conn:
        count = conn.execute(f"SELECT count(*) FROM work_log WHERE billed_by_document_id IS NOT NULL AND id IN "
                             f"({', '.join(map(str, ids))})").fetchone()[0]
    conn.close()
    return count


MARCH = [date(2025, 3, day) for day in range(3, 17)]  # 14 on-site days
FEBRUARY = [date(2025, 2, day) for day in range(3, 17)]


@pytest.mark.parametrize(("days", "sql", "named"), [
    # 14 dated days and one «ufo» in the month: not 13 billed and the batch done
    (MARCH, "UPDATE work_log SET on_date = 'ufo' WHERE id = {id}", "поле on_date: «ufo»"),
    # the client's 14 days are in February: in March its one entry is «ufo», and the batch left the client out
    (FEBRUARY, "UPDATE work_log SET on_date = 'ufo' WHERE id = {id}", "поле on_date: «ufo»"),
    # a month 13 sorts between December and January: no month's period held it
    (FEBRUARY, "UPDATE work_log SET on_date = '2025-13-01' WHERE id = {id}", "поле on_date: «2025-13-01»"),
    # the only entry of the month with a deleted flag another program wrote: the client was left out
    ([], "UPDATE work_log SET deleted = 'нет' WHERE id = {id}", "поле deleted: «нет»"),
    ([], "UPDATE work_log SET deleted = 2 WHERE id = {id}", "поле deleted: «2»"),
])
def test_a_months_batch_names_an_entry_it_cannot_bill_instead_of_leaving_the_client_out(cli, demo_file, tmp_path,
                                                                                         days, sql, named):
    """The month's acts listed the clients by a filter on the entries' dates and flags in SQL: a client whose only
    entry of the month had the date «ufo» or the deleted flag «нет» got no act and no line — its work was never
    billed, and the batch said all was done."""
    dated = _log_days(demo_file, 1, days)
    damaged = _log_days(demo_file, 1, [date(2025, 3, 20)])[0]
    other = _log_days(demo_file, 5, [date(2025, 3, 4), date(2025, 3, 5)])  # another client's act is still issued
    _damage(demo_file, sql.format(id=damaged))
    folder = tmp_path / "acts"
    status, out, err = cli("report", "acts", "--month", "2025-03", "-d", str(folder))
    assert status == 2, (out, err)  # a client was skipped: its work is not billed, and a script hears it
    name = "ООО «Уральский завод металлоконструкций»"
    assert f"{name}: пропущено — " in err and f"таблица work_log, запись {damaged}, {named}" in err
    assert f'vnedrenie --db "{demo_file}" restore' in err  # the way out, as `report act` says it
    assert "ЗАО «Калужский приборный завод»" in out and "Оформлено актов: 1, уже оформлены: 0, пропущено: 1." in out
    assert _billed(demo_file, [*dated, damaged]) == 0 and _billed(demo_file, other) == 2
    files = [p.name for p in folder.iterdir()]
    assert len(files) == 1 and files[0].endswith(" ЗАО Калужский приборный завод.pdf")  # client 5's act alone


@pytest.mark.parametrize(("sql", "named"), [
    # the tester's find: «'ufo' is not a valid Approach» stopped the batch after the first act, the rest got none
    ("UPDATE client SET approach = 'ufo' WHERE id = 1", "таблица client, запись 1, поле approach: «ufo»"),
    ("UPDATE client SET stage = 9 WHERE id = 1", "таблица client, запись 1, поле stage: «9»"),
    # a blob in the KPP: «'bytes' object has no attribute 'isdecimal'» was an internal error
    ("UPDATE client SET kpp = X'3737' WHERE id = 1", "таблица client, запись 1, поле kpp: «37 37»"),
    # a blob for a name: the client is said by its number
    ("UPDATE client SET name = X'41' WHERE id = 1", "заказчик № 1: пропущено — В базе данных есть значения, которые "
                                                    "программа не может прочитать"),
    ("UPDATE client SET name = X'41' WHERE id = 1", "таблица client, запись 1, поле name: «41»"),
    ("UPDATE client SET address = 7 WHERE id = 1", None),  # a number where a text belongs: read as its text
    ("UPDATE work_log SET minutes = 'abc' WHERE id = {entry}", "таблица work_log, запись {entry}, поле minutes: «abc»"),
    ("UPDATE work_log SET stage = 'x' WHERE id = {entry}", "таблица work_log, запись {entry}, поле stage: «x»"),
])
def test_a_client_whose_record_or_entry_the_act_cannot_use_is_skipped_and_the_others_billed(cli, demo_file, tmp_path,
                                                                                            sql, named):
    """One client's approach «ufo» stopped the month's whole batch: the clients after it got no act, no summary was
    printed, and the message ended in English («ValueError: 'ufo' is not a valid Approach»)."""
    from tests.reports.helpers import pdf_text

    first = _log_days(demo_file, 1, [date(2025, 3, 3), date(2025, 3, 4)])  # «Уральский» comes first by name …
    other = _log_days(demo_file, 5, [date(2025, 3, 4), date(2025, 3, 5)])  # … «Калужский» after it, by ЗАО
    _damage(demo_file, sql.format(entry=first[0]))
    folder = tmp_path / "acts"
    status, out, err = cli("report", "acts", "--month", "2025-03", "-d", str(folder))
    name = "ООО «Уральский завод металлоконструкций»"
    if named is None:  # not damage: both billed
        assert status == 0 and "Оформлено актов: 2, уже оформлены: 0, пропущено: 0." in out, err
        return
    assert status == 2, (out, err)
    assert (f"{name}: пропущено — " in err or "заказчик № 1: пропущено — " in err) and named.format(
        entry=first[0]) in err
    assert "Error" not in err and "Внутренняя ошибка" not in err and "Сбой" not in err
    assert f'vnedrenie --db "{demo_file}" restore' in err
    assert "Оформлено актов: 1, уже оформлены: 0, пропущено: 1." in out
    assert _billed(demo_file, first) == 0 and _billed(demo_file, other) == 2
    files = list(folder.iterdir())
    assert [p.name for p in files] == ["АУ-1-2025 ЗАО Калужский приборный завод.pdf"] or (
        len(files) == 1 and files[0].name.endswith(" ЗАО Калужский приборный завод.pdf"))
    text = pdf_text(files[0].read_bytes())  # the healthy client's act: real Cyrillic, the sum right
    assert "ЗАО «Калужский приборный завод»" in text and "Акт" in text
    assert "28 000,00" in text and "14 000,00" in text  # 2 on-site days × 14 000 ₽, no VAT


def test_the_clients_single_act_names_the_value_instead_of_an_internal_error(cli, demo_file, tmp_path):
    _damage(demo_file, "UPDATE client SET approach = 'ufo' WHERE id = 1")
    until = (date.today() - timedelta(days=1)).isoformat()
    status, out, err = cli("report", "act", "1", "--from", "2000-01-01", "--to", until, "-o", str(tmp_path / "a.pdf"))
    assert status == 2 and out == "" and "таблица client, запись 1, поле approach: «ufo»" in err
    assert "ValueError" not in err and "Сбой" not in err and not (tmp_path / "a.pdf").exists()
    status, out, err = cli("report", "progress", "1", "-o", str(tmp_path / "p.pdf"))
    assert status == 2 and "поле approach: «ufo»" in err and "ValueError" not in err


def test_a_value_the_batchs_shared_reads_cannot_use_refuses_before_any_act(cli, demo_file, tmp_path):
    """A blob in a tariff's kind: the tariff vanished and every client was skipped for «no tariff in force»; a blob in
    the executor's KPP failed in every client's act."""
    _log_days(demo_file, 5, [date(2025, 3, 4)])
    _damage(demo_file, "UPDATE tariff SET kind = X'00' WHERE kind = 'onsite_day'")
    status, out, err = cli("report", "acts", "--month", "2025-03", "-d", str(tmp_path / "acts"))
    assert status == 2 and out == "" and "таблица tariff, запись 2, поле kind: «00»" in err, (out, err)
    assert not (tmp_path / "acts").exists()


def test_a_failure_no_check_foresaw_skips_the_client_when_the_file_holds_such_values(demo_file, tmp_path, monkeypatch):
    """The batch's last line of defence: a failure far from a read (e.g. a KeyError) while the file holds a value the
    program cannot use skips that client, naming the values; without one, it is the program's fault and stops."""
    from app.persistence.db import open_database
    from app.reports import batch, printing

    _log_days(demo_file, 1, [date(2025, 3, 3)])
    _log_days(demo_file, 5, [date(2025, 3, 4)])
    real = printing.issue_act

    def failing(db, client_id, *args, **kwargs):
        if client_id == 1:
            raise KeyError("ufo")
        return real(db, client_id, *args, **kwargs)

    monkeypatch.setattr(printing, "issue_act", failing)
    db = open_database(f"sqlite:///{demo_file}")
    try:
        with pytest.raises(KeyError):  # nothing damaged: a fault, said as one
            batch.issue_month_acts(db, "2025-03", tmp_path / "a")
        _damage(demo_file, "UPDATE lesson SET active = 2 WHERE code = (SELECT min(code) FROM lesson)")
        done = batch.issue_month_acts(db, "2025-03", tmp_path / "b")
    finally:
        db.dispose()
    # «ЗАО «Калужский…» (5) comes first: issued by the run that stopped, billed already in the second
    assert [(line.client_id, line.outcome) for line in done.lines] == [(5, batch.BILLED), (1, batch.SKIPPED)]
    skipped = done.lines[1]
    assert "таблица lesson" in skipped.reason and "поле active: «2»" in skipped.reason


BROKEN = "таблица work_log, запись {entry}, поле billed_by_document_id: «999»: такой записи нет в «document»"


def test_a_months_batch_names_an_entry_billed_by_an_act_that_does_not_exist(cli, demo_file, tmp_path):
    """«billed by» document 999 (another program's, no such act): the batch said «уже выставлено актами » naming no
    act, «уже оформлены: 1, пропущено: 0», exit 0 — and that work was never billed."""
    dangling = _log_days(demo_file, 1, [date(2025, 3, 3), date(2025, 3, 4)])
    other = _log_days(demo_file, 5, [date(2025, 3, 4)])
    _damage(demo_file, f"UPDATE work_log SET billed_by_document_id = 999 WHERE id IN ({dangling[0]}, {dangling[1]})")
    status, out, err = cli("report", "acts", "--month", "2025-03", "-d", str(tmp_path / "acts"))
    assert status == 2, (out, err)
    assert "ООО «Уральский завод металлоконструкций»: пропущено — В базе данных есть записи, которые ссылаются на " \
           "несуществующие записи" in err
    assert all(BROKEN.format(entry=entry) in err for entry in dangling) and "restore" in err
    assert "уже выставлено" not in out + err and "Оформлено актов: 1, уже оформлены: 0, пропущено: 1." in out
    assert _billed(demo_file, other) == 1


@pytest.mark.parametrize("args", [
    ("report", "act", "1", "--from", "2025-03-01", "--to", "2025-03-31", "-o", "{tmp}/a.pdf"),  # «already billed by »
    ("log", "list", "1", "--from", "2025-03-01", "--to", "2025-03-31"),  # listed as not billed
    ("report", "progress", "1", "-o", "{tmp}/p.pdf"),
    ("log", "delete", "{entry}"),  # deleted as an unbilled entry, its mark kept
])
def test_an_entry_billed_by_an_act_that_does_not_exist_is_named_by_its_readers(cli, demo_file, tmp_path, args):
    entry = _log_days(demo_file, 1, [date(2025, 3, 3)])[0]
    _damage(demo_file, f"UPDATE work_log SET billed_by_document_id = 999 WHERE id = {entry}")
    status, out, err = cli(*(a.format(tmp=tmp_path, entry=entry) for a in args))
    assert status == 2 and out == "", (args, out, err)
    assert BROKEN.format(entry=entry) in err and "Внутренняя ошибка" not in err
    assert not list(tmp_path.glob("*.pdf"))
    with sqlite3.connect(demo_file) as conn:
        assert conn.execute("SELECT deleted FROM work_log WHERE id = ?", (entry,)).fetchone() == (0,)
    conn.close()
