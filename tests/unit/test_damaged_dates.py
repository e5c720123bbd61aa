"""Dates another program wrote (or damage) that SQLAlchemy cannot read: named in Russian, status 2, nothing changed."""

from __future__ import annotations

import sqlite3

import pytest

from app.errors import UserError
from app.persistence.damaged import find_damaged
from app.persistence.models import Base


def _damage(path, sql: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(sql)
    conn.close()


def test_a_list_over_dates_it_cannot_read_names_each_and_exits_2(cli, demo_file):
    _damage(demo_file, "UPDATE client SET contract_date = '2024-13-45' WHERE id = 2")
    _damage(demo_file, "UPDATE client SET contract_date = '' WHERE id = 1")
    _damage(demo_file, "UPDATE client SET stage_since = 'вчера' WHERE id = 3")
    status, out, err = cli("clients", "list")
    assert status == 2 and out == ""
    assert err.startswith("В базе данных есть даты, которые программа не может прочитать") and ": 3; таблица" in err
    assert "таблица client, запись 2, поле contract_date: «2024-13-45»" in err
    assert "таблица client, запись 1, поле contract_date: «»" in err
    assert "таблица client, запись 3, поле stage_since: «вчера»" in err
    assert f'vnedrenie --db "{demo_file}" restore ФАЙЛ_КОПИИ' in err  # into this file, not the default one
    assert "Внутренняя ошибка" not in err and "ValueError" not in err


def test_a_write_over_such_a_date_is_refused_and_changes_nothing(cli, demo_file):
    _damage(demo_file, "UPDATE client SET contract_date = 20240101 WHERE id = 2")  # a number, not a text
    with sqlite3.connect(demo_file) as conn:
        before = conn.execute("SELECT stage, stage_since FROM client WHERE id = 2").fetchone()
    conn.close()
    status, _out, err = cli("stage", "advance", "2")
    assert status == 2 and "запись 2, поле contract_date: «20240101»" in err
    with sqlite3.connect(demo_file) as conn:
        assert conn.execute("SELECT stage, stage_since FROM client WHERE id = 2").fetchone() == before
    conn.close()


def test_a_clean_file_has_none_and_other_failures_are_not_taken_for_damage(db, demo_file):
    from app.persistence.db import open_database

    opened = open_database(f"sqlite:///{demo_file}")
    try:
        assert find_damaged(opened.engine, list(Base.metadata.sorted_tables)) == []
        with pytest.raises(ValueError, match="not about dates"), opened.read():
            raise ValueError("not about dates")  # no SQLAlchemy in its trace: left as it is
        _damage(demo_file, "UPDATE client SET contract_date = '2024-02-30' WHERE id = 4")  # SQLite's date() keeps it
        _damage(demo_file, "UPDATE client SET contract_date = '0000-01-01' WHERE id = 5")  # a year Python has not
        _damage(demo_file, "UPDATE client SET stage_since = '2024-01-01 10:00:00' WHERE id = 6")  # no fraction: read
        _damage(demo_file, "UPDATE client SET stage_since = '2024-01-01T10:00:00+03:00' WHERE id = 7")  # read too
        _damage(demo_file, "UPDATE client SET stage_since = '2024-01-01 10:00:00.abc' WHERE id = 8")
        found = find_damaged(opened.engine, list(Base.metadata.sorted_tables))
        assert sorted((v.table, v.key, v.column, v.value) for v in found) == [
            ("client", 4, "contract_date", "2024-02-30"), ("client", 5, "contract_date", "0000-01-01"),
            ("client", 8, "stage_since", "2024-01-01 10:00:00.abc")]
        from app.services.client_list import list_clients

        with pytest.raises(UserError) as refused:
            list_clients(opened)
        assert "запись 4, поле contract_date: «2024-02-30»" in refused.value.full_text()
    finally:
        opened.dispose()


def test_the_window_says_so_in_russian_instead_of_pythons_error(qtbot, tmp_path, cli, demo_file):
    from tests.ui.test_startup import open_refused

    _damage(demo_file, "UPDATE client SET contract_date = '2024-13-45' WHERE id = 2")
    window, shown, failed = open_refused(qtbot, f"sqlite:///{demo_file}")
    said = window.offered  # the refusal that offers the restore is the one box (tests/ui/test_restore_at_start.py)
    assert failed and failed[0][1] == 2 and shown == [] and said == [failed[0][0]]
    assert "запись 2, поле contract_date: «2024-13-45»" in said[0] and "ValueError" not in said[0]


def test_long_odd_and_many_values_keep_the_message_short(cli, demo_file):
    _damage(demo_file, "UPDATE client SET contract_date = printf('%.100000c', 'x') WHERE id = 2")
    _damage(demo_file, "UPDATE client SET contract_date = char(27) || '[31mRED' || char(10) || 'x' WHERE id = 3")
    _damage(demo_file, "UPDATE client SET contract_date = X'00ff' WHERE id = 4")
    with sqlite3.connect(demo_file) as conn:  # 1 200 work-log rows on a day no month has
        entry = conn.execute("SELECT * FROM work_log LIMIT 1").fetchone()
        columns = [d[0] for d in conn.execute("SELECT * FROM work_log LIMIT 1").description]
        at = columns.index("on_date")
        for n in range(1200):
            row = list(entry)
            row[columns.index("id")] = 100_000 + n
            row[at] = "2026-02-31"
            if "uuid" in columns:
                row[columns.index("uuid")] = f"damaged-{n}"
            conn.execute(f"INSERT INTO work_log VALUES ({','.join('?' * len(row))})", row)
    conn.close()
    status, _out, err = cli("clients", "list")
    assert status == 2
    assert len(err) < 3000 and err.count("\n") <= 13  # the heading, 9 more values, «and more», the way out
    assert "1 000+" in err and "… и другие." in err and "и ещё" not in err
    assert "\x1b" not in err and "\\x1b[31mRED\\nx" in err  # escapes shown, not sent to the terminal
    assert "«" + "x" * 60 + "…»" in err and "«00 ff»" in err


def test_an_amount_it_cannot_read_is_named_beside_the_dates(cli, demo_file):
    """An amount in kopecks holding a word failed as «Внутренняя ошибка: ValueError: invalid literal for int()»; now
    it is named like a date, and the heading says «значения» once not every value is a date."""
    _damage(demo_file, "UPDATE work_log SET amount = 'abc' WHERE id = (SELECT min(id) FROM work_log "
                       "WHERE client_id = 1 AND amount IS NOT NULL)")
    status, _out, err = cli("log", "list", "1")
    assert status == 2 and "Внутренняя ошибка" not in err and "ValueError" not in err
    assert err.startswith("В базе данных есть значения, которые программа не может прочитать") and ": 1; таблица" in err
    assert "таблица work_log, запись " in err and ", поле amount: «abc»" in err
    _damage(demo_file, "UPDATE client SET contract_date = '2024-13-45' WHERE id = 2")
    status, _out, err = cli("log", "list", "1")
    assert status == 2 and "поле amount: «abc»" in err and "запись 2, поле contract_date: «2024-13-45»" in err


def test_amounts_stored_as_another_program_may_write_them_are_read(cli, demo_file):
    """SQLite keeps «12» as text where an integer column got it from a text value: the reader takes it; only a value
    it refuses is named."""
    _damage(demo_file, "UPDATE work_log SET amount = '1250' WHERE id = (SELECT min(id) FROM work_log "
                       "WHERE client_id = 1 AND amount IS NOT NULL)")
    status, _out, err = cli("log", "list", "1")
    assert status == 0, err


def test_a_failure_of_the_program_itself_is_not_blamed_on_a_stored_value(db, demo_file, monkeypatch):
    from app.persistence.db import open_database

    _damage(demo_file, "UPDATE work_log SET amount = 'abc' WHERE client_id = 1")
    opened = open_database(f"sqlite:///{demo_file}")
    try:
        with pytest.raises(ValueError, match="the program's own"), opened.read():
            raise ValueError("the program's own")  # raised by no reader: left as it is, not a refusal
    finally:
        opened.dispose()


def test_an_approach_or_a_stage_the_program_does_not_know_is_named_not_an_internal_error(cli, demo_file):
    """«'ufo' is not a valid Approach» rose far from any read (the list's formatting, the reminders' pricing): the
    command's unexpected failure now looks for such values before it says «Внутренняя ошибка»."""
    _damage(demo_file, "UPDATE client SET approach = 'ufo' WHERE id = 2")
    status, out, err = cli("clients", "list")
    assert status == 2 and out == "" and "Внутренняя ошибка" not in err
    assert err.startswith("В базе данных есть значения, которые программа не может прочитать")
    assert "таблица client, запись 2, поле approach: «ufo»" in err and "restore ФАЙЛ_КОПИИ" in err
    _damage(demo_file, "UPDATE client SET approach = 'remote', stage = 'x' WHERE id = 2")
    # «Требует внимания» names the stage in a line of its own (as it does a work log it cannot read), the other
    # clients' reminders kept: a refusal of the whole list hid them all
    status, out, err = cli("attention")
    assert status == 0 and "Внутренняя ошибка" not in err, err
    assert "Этап не прочитан\t2\tАО «Волжская мебельная фабрика»\tэтап «x» программе неизвестен" in out


def test_a_fault_of_the_program_on_a_sound_file_is_still_an_internal_error(cli, demo_file, monkeypatch):
    from app.services import client_list

    def broken(*_args, **_kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(client_list, "list_clients", broken)  # imported by the command when it runs
    status, _out, err = cli("clients", "list")
    assert status not in (0, 2) and err.startswith("Внутренняя ошибка") and "KeyError" in err


def test_a_count_of_ticked_items_is_not_taken_for_a_stage(cli, demo_file):
    """client_counts.done_at_stage counts a client's ticked items (5 for a finished stage 2): a sound value, never
    named — a reviewer saw «поле done_at_stage: «5»» head a refusal (and a sound file blamed for a fault)."""
    from app.persistence.damaged import find_damaged
    from app.persistence.db import open_database
    from app.persistence.models import Base

    with sqlite3.connect(demo_file) as conn:
        conn.execute("UPDATE client_counts SET done_at_stage = 5 WHERE client_id = 1")
    conn.close()
    opened = open_database(f"sqlite:///{demo_file}")
    try:
        assert find_damaged(opened.engine, list(Base.metadata.sorted_tables)) == []
    finally:
        opened.dispose()


@pytest.mark.parametrize("stored", ["9e999", "1e300", "'100000000000000000000000000000000'"])
def test_an_amount_too_large_to_read_is_named(cli, demo_file, stored):
    """int(inf) raises OverflowError, a 33-digit Decimal InvalidOperation (ArithmeticError, not ValueError): they
    were «Внутренняя ошибка: OverflowError: cannot convert float infinity to integer»."""
    _damage(demo_file, f"UPDATE work_log SET amount = {stored} WHERE id = (SELECT min(id) FROM work_log "
                       "WHERE client_id = 1 AND amount IS NOT NULL)")
    status, _out, err = cli("log", "list", "1")
    assert status == 2 and "Внутренняя ошибка" not in err and "поле amount:" in err, err


@pytest.mark.parametrize(("sql", "named"), [
    ("UPDATE client SET stage = 7 WHERE id = 2", "таблица client, запись 2, поле stage: «7»"),
    ("UPDATE client SET stage = -1 WHERE id = 2", "таблица client, запись 2, поле stage: «-1»"),
    ("UPDATE client SET approach = 'ufo' WHERE id = 2", "таблица client, запись 2, поле approach: «ufo»"),
])
def test_the_list_refuses_a_stage_or_an_approach_the_program_does_not_know(cli, demo_file, sql, named):
    """stage = 7 was listed as «7» by the command line and made the window's list raise at every painted cell."""
    _damage(demo_file, sql)
    status, out, err = cli("clients", "list")
    assert status == 2 and out == "" and named in err, err
    from app.persistence.first_rows import read_first_rows
    from app.persistence.migrate import head_revision

    assert read_first_rows(f"sqlite:///{demo_file}", head_revision()) is None  # the full open decides


def test_the_window_refuses_to_open_on_a_stage_it_does_not_know(qtbot, demo_file):
    from tests.ui.test_startup import open_refused

    _damage(demo_file, "UPDATE client SET stage = 7 WHERE id = 2")
    window, shown, failed = open_refused(qtbot, f"sqlite:///{demo_file}")
    said = window.offered  # the refusal that offers the restore is the one box
    assert failed and failed[0][1] == 2 and shown == [] and said == [failed[0][0]]
    assert "таблица client, запись 2, поле stage: «7»" in said[0] and "Stage" not in said[0]


@pytest.mark.parametrize("args", [("stage", "advance", "2"), ("stage", "back", "2", "--reason", "проверка"),
                                  ("log", "add", "2", "--kind", "conference", "--date", "2026-12-01",
                                   "--minutes", "60")])
def test_a_move_or_a_log_entry_of_a_client_at_an_unknown_stage_is_refused_with_it(cli, demo_file, args):
    """stage = 7: «stage advance» said «already completed», «stage back» named a stage 6 nobody typed, «log add»
    wrote an entry at stage 7. Nothing is written now, and the value is named."""
    _damage(demo_file, "UPDATE client SET stage = 7 WHERE id = 2")
    with sqlite3.connect(demo_file) as conn:
        before = conn.execute("SELECT (SELECT count(*) FROM work_log), (SELECT count(*) FROM stage_event)").fetchone()
    conn.close()
    status, _out, err = cli(*args)
    assert status == 2 and "таблица client, запись 2, поле stage: «7»" in err, err
    with sqlite3.connect(demo_file) as conn:
        assert conn.execute("SELECT (SELECT count(*) FROM work_log), (SELECT count(*) FROM stage_event)"
                            ).fetchone() == before
    conn.close()


def test_a_saved_estimate_with_an_approach_the_program_does_not_know_is_named_not_asked_for(cli, demo_file, tmp_path):
    """It said «Неизвестный подход к внедрению «ufo»: укажите accompanied, remote или onsite» — to a command that has
    no approach to give."""
    with sqlite3.connect(demo_file) as conn:
        client_id, estimate_id = conn.execute("SELECT client_id, id FROM estimate LIMIT 1").fetchone()
        conn.execute("UPDATE estimate SET approach = 'ufo' WHERE id = ?", (estimate_id,))
    conn.close()
    status, _out, err = cli("report", "estimate", str(client_id), "-o", str(tmp_path / "e.pdf"))
    assert status == 2 and f"таблица estimate, запись {estimate_id}, поле approach: «ufo»" in err, err
    assert "укажите" not in err and not (tmp_path / "e.pdf").exists()


def test_a_blob_in_a_plain_integer_column_is_named_not_an_internal_error(cli, demo_file, tmp_path):
    """minutes = X'00ff' was «Внутренняя ошибка: TypeError: unsupported operand type(s) for //: 'bytes' and 'int'»
    in «log list» and «…: Object of type bytes is not JSON serializable» in «export» (a fresh tester's finding)."""
    with sqlite3.connect(demo_file) as conn:
        entry, client = conn.execute("SELECT id, client_id FROM work_log WHERE minutes IS NOT NULL LIMIT 1").fetchone()
        conn.execute("UPDATE work_log SET minutes = X'00ff' WHERE id = ?", (entry,))
    conn.close()
    for args in (("log", "list", str(client)), ("export", "--all", "-o", str(tmp_path / "x.zip"))):
        status, _out, err = cli(*args)
        assert status == 2 and f"таблица work_log, запись {entry}, поле minutes: «00 ff»" in err, (args, err)
        assert "Внутренняя ошибка" not in err
    assert not (tmp_path / "x.zip").exists()


def test_past_the_limit_the_first_records_are_named_whatever_the_column(db, demo_file):
    """The scan stopped at the limit column by column: a bad value in a later column of an earlier record was lost."""
    from sqlalchemy import create_engine

    _damage(demo_file, "UPDATE work_log SET on_date = '2024-13-45' WHERE id BETWEEN 5 AND 12")
    _damage(demo_file, "UPDATE work_log SET minutes = 'много' WHERE id = 3")
    engine = create_engine(f"sqlite:///{demo_file}")
    try:
        found = find_damaged(engine, [Base.metadata.tables["work_log"]], limit=3)
    finally:
        engine.dispose()
    assert [(v.key, v.column) for v in found] == [(3, "minutes"), (5, "on_date"), (6, "on_date")]


def test_a_work_log_kind_the_program_does_not_know_is_named(cli, demo_file):
    _damage(demo_file, "UPDATE work_log SET kind = 'ufo' WHERE id = 20")
    status, out, err = cli("log", "list", "2")
    assert status == 2 and out == ""  # not «Внутренняя ошибка: KeyError: 'ufo'», and no half a list before it
    assert "таблица work_log, запись 20, поле kind: «ufo»" in err


def test_the_failure_a_refusal_came_with_is_in_its_details(cli, demo_file, monkeypatch):
    """Blaming a failure on stored values may be wrong (the program's own fault): the failure is kept in the details."""
    from app.services import client_list

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")

    _damage(demo_file, "UPDATE work_log SET minutes = 'много' WHERE id = 1")
    monkeypatch.setattr(client_list, "list_clients", broken)
    status, _out, err = cli("clients", "list")
    assert status == 2 and "таблица work_log, запись 1, поле minutes: «много»" in err
    assert "Сбой, при котором это обнаружено: ZeroDivisionError: division by zero" in err


def _date_texts() -> list[str]:
    """Dates and date-times near every edge the scan's SQL decides on (days 28–31, month and time limits, year 0000,
    fractions), and random ones of the same shapes."""
    import random

    texts = [f"{y}-{m}-{d}" for y in ("2023", "2024", "1900", "2000", "0000", "0001", "9999")
             for m in ("00", "01", "02", "04", "12", "13") for d in ("00", "01", "28", "29", "30", "31", "32")]
    times = ["00:00:00", "23:59:59", "24:00:00", "23:60:00", "23:59:60", "1a:00:00", "99:99:99"]
    fractions = ["", ".", ".0", ".123456", ".1234567", ".12a", "x", " ", ".123456 "]
    texts += [f"{day} {t}{f}" for day in ("2024-02-29", "2023-02-29", "2024-04-31", "2024-12-31", "0000-01-01")
              for t in times for f in fractions]
    texts += ["", " 2024-01-01", "2024-1-01", "2024-01-01T10:00:00", "2024/01/01", "20240101", "２０２４-01-01"]
    rng = random.Random(15)
    for _ in range(400):
        texts.append(f"{rng.randint(0, 9999):04}-{rng.randint(0, 19):02}-{rng.randint(0, 39):02}")
        texts.append(f"{rng.randint(0, 2999):04}-{rng.randint(0, 13):02}-{rng.randint(0, 32):02} "
                     f"{rng.randint(0, 25):02}:{rng.randint(0, 61):02}:{rng.randint(0, 61):02}"
                     + rng.choice(fractions))
    return texts


def test_the_scan_names_exactly_the_dates_sqlalchemy_cannot_read(tmp_path):
    """The scan's SQL passes a value without asking the reader only when it surely reads (a day 01–28 without
    SQLite's date(), the time compared as text): a value is named exactly when SQLAlchemy's own reader refuses it."""
    from sqlalchemy import Column, Date, DateTime, Integer, MetaData, Table, create_engine

    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("d", Date), Column("dt", DateTime))
    engine = create_engine(f"sqlite:///{tmp_path / 'dates.sqlite3'}")
    texts = _date_texts()
    try:
        table.create(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO t (id, d, dt) VALUES (?, ?, ?)",
                                 [(n, text, text) for n, text in enumerate(texts, 1)])
            stored = conn.exec_driver_sql("SELECT id, d, dt FROM t").all()  # «20240101» is kept as a number
        found = {(v.key, v.column) for v in find_damaged(engine, [table], limit=10 * len(texts))}
        expected = set()
        for at, column in ((1, "d"), (2, "dt")):
            reader = table.c[column].type.dialect_impl(engine.dialect).result_processor(engine.dialect, None)
            for row in stored:
                try:
                    reader(row[at])
                except (ValueError, TypeError):
                    expected.add((row[0], column))
    finally:
        engine.dispose()
    assert sorted(found - expected) == [] and sorted(expected - found) == []
    assert (texts.index("2024-02-30") + 1, "d") in found and (texts.index("2024-02-28") + 1, "d") not in found
    assert (texts.index("2024-02-29 23:59:60") + 1, "dt") in found
