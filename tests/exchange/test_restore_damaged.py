"""A restore looks at the values of the backup it brings in: a copy another program wrote into (or damaged) is named."""

from __future__ import annotations

import sqlite3


def _damage(path, sql: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(sql)
    conn.close()


def pre_restore_copies() -> int:
    from app.config import data_dir

    return len(list(data_dir().rglob("*pre-restore*")))


def _value(path, sql: str):
    with sqlite3.connect(path) as conn:
        found = conn.execute(sql).fetchone()
    conn.close()
    return found


def test_a_damaged_backup_over_sound_data_is_refused_and_nothing_changes(cli, demo_file, tmp_path):
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "-o", str(copy))[0] == 0
    _damage(copy, "UPDATE client SET contract_date = '2024-13-45' WHERE id = 2")
    _damage(copy, "UPDATE work_log SET minutes = 'много' WHERE id = 1")
    cli("stage", "advance", "3")  # the live data move on after the copy was made
    before = _value(demo_file, "SELECT stage, contract_date FROM client WHERE id = 3")
    made = pre_restore_copies()
    status, out, err = cli("restore", str(copy))
    assert status == 2 and out == ""
    assert err.startswith("В резервной копии copy.sqlite3 есть значения, которые программа не может прочитать")
    assert "client, запись 2, поле contract_date: «2024-13-45»" in err
    assert "work_log, запись 1, поле minutes: «много»" in err
    assert "Ничего не восстановлено, данные остались прежними" in err
    assert _value(demo_file, "SELECT stage, contract_date FROM client WHERE id = 3") == before
    assert _value(demo_file, "SELECT contract_date FROM client WHERE id = 2")[0] != "2024-13-45"
    status, out, _err = cli("clients", "list")
    assert status == 0 and out
    assert pre_restore_copies() == made  # refused before anything was replaced: no copy made either


def _restore_a_damaged_copy(cli, tmp_path, *damage: str):
    """Back the live data up, damage the copy with ``damage`` (SQL), restore it: (status, stdout, stderr)."""
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "-o", str(copy))[0] == 0
    for sql in damage:
        _damage(copy, sql)
    return cli("restore", str(copy))


def test_a_word_in_a_flag_is_refused_not_restored_as_records_gone(cli, demo_file, tmp_path):
    """«нет» in work_log.deleted: read as true, filtered as not false — every entry vanished after such a restore."""
    status, _out, err = _restore_a_damaged_copy(cli, tmp_path, "UPDATE work_log SET deleted = 'нет' WHERE id = 3",
                                                "UPDATE lesson SET active = 'да' WHERE id = 1")
    assert status == 2
    assert "work_log, запись 3, поле deleted: «нет»" in err and "lesson, запись 1, поле active: «да»" in err


def test_the_values_are_named_table_by_table_in_the_order_of_their_records(cli, demo_file, tmp_path):
    status, _out, err = _restore_a_damaged_copy(cli, tmp_path, "UPDATE work_log SET minutes = 'x' WHERE id IN (9, 2)",
                                                "UPDATE work_log SET on_date = 'вчера' WHERE id IN (7, 4)")
    assert status == 2
    records = [int(part.split(",")[0]) for part in err.split("work_log, запись ")[1:]]
    assert records == [2, 4, 7, 9]


def test_a_hard_link_to_the_open_file_is_the_open_file(cli, demo_file, tmp_path):
    import os

    link = tmp_path / "link.sqlite3"
    os.link(demo_file, link)
    status, _out, err = cli("restore", str(link))
    assert status == 2 and "Это сама открытая база данных" in err


def test_a_damaged_backup_over_damaged_data_is_kept_with_a_notice(cli, demo_file, tmp_path):
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "-o", str(copy))[0] == 0
    _damage(copy, "UPDATE client SET stage_since = 'вчера' WHERE id = 3")
    _damage(demo_file, "UPDATE client SET contract_date = '' WHERE id = 1")
    _damage(demo_file, "UPDATE client SET contract_date = '2024-13-45' WHERE id = 2")
    status, out, err = cli("restore", str(copy))
    assert status == 0, err
    assert "Данные восстановлены из" in out
    assert "В восстановленных данных, как и в прежних, есть значения" in out
    assert "client, запись 3, поле stage_since: «вчера»" in out
    assert _value(demo_file, "SELECT stage_since FROM client WHERE id = 3")[0] == "вчера"
    assert _value(demo_file, "SELECT contract_date FROM client WHERE id = 2")[0] != "2024-13-45"


def test_a_sound_backup_over_damaged_data_is_the_way_out(cli, demo_file, tmp_path):
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "-o", str(copy))[0] == 0
    _damage(demo_file, "UPDATE client SET contract_date = '2024-13-45' WHERE id = 2")
    assert cli("clients", "list")[0] == 2
    status, out, err = cli("restore", str(copy))
    assert status == 0, err
    assert "не может прочитать" not in out + err
    assert cli("clients", "list")[0] == 0


def test_a_stage_that_does_not_exist_is_named_with_its_value(cli, demo_file, tmp_path):
    """client.stage refers to the stage table: a 9 written there was refused as «records refer to records that do
    not exist (table «client»)», without the record, the field or the value."""
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "-o", str(copy))[0] == 0
    with sqlite3.connect(copy) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("UPDATE client SET stage = 9 WHERE id = 4")
    conn.close()
    status, _out, err = cli("restore", str(copy))
    assert status == 2
    assert "таблица client, запись 4, поле stage: «9»: такой записи нет в «stage»" in err


def _restore_with_references_off(cli, tmp_path, *damage: str):
    """Back the live data up, write ``damage`` (SQL) into the copy as a program ignoring references would, restore it."""
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "-o", str(copy))[0] == 0
    with sqlite3.connect(copy) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        for sql in damage:
            conn.execute(sql)
    conn.close()
    return cli("restore", str(copy))


def test_every_broken_reference_is_counted_and_nothing_is_restored(cli, demo_file, tmp_path):
    """Only the first broken reference was named (no count, no «… и ещё N»), and unlike the refusal of a backup's
    unreadable values it did not say that nothing was restored."""
    made = pre_restore_copies()
    before = _value(demo_file, "SELECT count(*) FROM work_log")
    status, out, err = _restore_with_references_off(
        cli, tmp_path, "UPDATE stage_event SET client_id = 555 WHERE id = 3",
        "UPDATE checklist_state SET client_id = 777 WHERE id = 4")
    assert status == 2 and out == ""
    assert err.startswith("Файл copy.sqlite3 повреждён: записи ссылаются на записи, которых нет: 2; таблица ")
    assert "таблица stage_event, запись 3, поле client_id: «555»: такой записи нет в «client»" in err
    assert "таблица checklist_state, запись 4, поле client_id: «777»: такой записи нет в «client»" in err
    assert "Ничего не восстановлено, данные остались прежними" in err
    assert _value(demo_file, "SELECT count(*) FROM work_log") == before and pre_restore_copies() == made


def test_past_ten_broken_references_the_rest_are_counted(cli, demo_file, tmp_path):
    from app.persistence.damaged import SHOWN

    conn = sqlite3.connect(demo_file)
    ids = [r[0] for r in conn.execute("SELECT id FROM work_log ORDER BY id LIMIT 12")]
    conn.close()
    assert len(ids) == SHOWN + 2
    status, _out, err = _restore_with_references_off(
        cli, tmp_path, f"UPDATE work_log SET client_id = 999 WHERE id IN ({', '.join(map(str, ids))})")
    assert status == 2
    assert ": 12; таблица work_log" in err
    assert err.count("поле client_id: «999»: такой записи нет в «client»") == SHOWN
    assert "… и ещё 2." in err and "Ничего не восстановлено" in err


NOTHING_RESTORED = "Ничего не восстановлено, данные остались прежними; выберите другую копию."


def test_a_blob_where_a_name_belongs_is_refused_not_restored(cli, demo_file, tmp_path):
    """Texts were not looked at: this backup was restored (status 0), then «clients list» said «Внутренняя ошибка:
    TypeError: sequence item 0: expected str instance, bytes found»."""
    status, out, err = _restore_a_damaged_copy(cli, tmp_path, "UPDATE client SET name = x'fffe' WHERE id = 4")
    assert status == 2 and out == ""
    assert err == ("В резервной копии copy.sqlite3 есть значения, которые программа не может прочитать (их записала "
                   "другая программа или копия повреждена): 1; таблица client, запись 4, поле name: «ff fe».\n"
                   + NOTHING_RESTORED + "\n")
    assert cli("clients", "list")[0] == 0


def test_an_amount_of_a_fraction_of_a_kopeck_is_refused_a_whole_real_is_not(cli, demo_file, tmp_path):
    """1.5 hundredths was read as 1: restored without a word, a kopeck off in every total it entered."""
    status, _out, err = _restore_a_damaged_copy(cli, tmp_path, "UPDATE work_log SET amount = 1.5 WHERE id = 16",
                                                "UPDATE work_log SET amount = 700000.0 WHERE id = 64")
    assert status == 2
    assert ": 1; таблица work_log, запись 16, поле amount: «1.5»." in err and "запись 64" not in err


def test_that_nothing_was_restored_is_said_after_every_value_named(cli, demo_file, tmp_path):
    """With 12 values the sentence stood after the first and before the other nine."""
    status, _out, err = _restore_a_damaged_copy(
        cli, tmp_path, "UPDATE work_log SET minutes = 'x' WHERE id IN (SELECT id FROM work_log ORDER BY id LIMIT 12)")
    assert status == 2
    lines = err.splitlines()
    assert lines[0].startswith("В резервной копии copy.sqlite3 есть значения") and lines[0].endswith(
        ": 12; таблица work_log, запись 1, поле minutes: «x».")
    assert lines[1:-2] == [f"таблица work_log, запись {n}, поле minutes: «x»" for n in range(2, 11)]
    assert lines[-2:] == ["… и ещё 2.", NOTHING_RESTORED] and err.count("Ничего не восстановлено") == 1


def test_broken_references_and_values_are_named_in_one_refusal(cli, demo_file, tmp_path):
    """Only the broken reference was named: the user chose the backup again to learn of the value."""
    made = pre_restore_copies()
    status, out, err = _restore_with_references_off(
        cli, tmp_path, "UPDATE stage_event SET client_id = 555 WHERE id = 3",
        "UPDATE checklist_state SET client_id = 777 WHERE id = 4",
        "UPDATE work_log SET minutes = 'много' WHERE id = 2", "UPDATE work_log SET on_date = 'вчера' WHERE id = 5")
    assert status == 2 and out == ""
    assert err.splitlines() == [
        "Файл copy.sqlite3 повреждён: записи ссылаются на записи, которых нет: 2; таблица checklist_state, запись 4, "
        "поле client_id: «777»: такой записи нет в «client».",
        "таблица stage_event, запись 3, поле client_id: «555»: такой записи нет в «client»",
        "В файле copy.sqlite3 есть и значения, которые программа не может прочитать (их записала другая программа или "
        "копия повреждена): 2; таблица work_log, запись 2, поле minutes: «много».",
        "таблица work_log, запись 5, поле on_date: «вчера»",
        NOTHING_RESTORED]
    assert pre_restore_copies() == made


def test_the_notice_over_damaged_data_gives_the_way_on_after_every_value_named(cli, demo_file, tmp_path):
    """The notice of a damaged backup restored over damaged data had the same fault as the refusal: «Исправьте их …»
    stood after the first value and before the other nine."""
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "-o", str(copy))[0] == 0
    _damage(copy, "UPDATE work_log SET minutes = 'x' WHERE id IN (SELECT id FROM work_log ORDER BY id LIMIT 12)")
    _damage(demo_file, "UPDATE client SET contract_date = '2024-13-45' WHERE id = 2")
    status, out, err = cli("restore", str(copy))
    assert status == 0, err
    lines = out.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("В восстановленных данных, как и в прежних"))
    assert lines[first].endswith(": 12; таблица work_log, запись 1, поле minutes: «x».")
    assert lines[first + 1:] == [*(f"таблица work_log, запись {n}, поле minutes: «x»" for n in range(2, 11)),
                                 "… и ещё 2.",
                                 "Исправьте их программой, которая их записала, или восстановите другую копию."]
