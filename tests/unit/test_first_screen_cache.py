"""The last session's rows for the first screen (app.persistence.first_screen_cache): taken only when they are the
rows a read would give, row for row: a changed client's row is read again, and damage or another format reads every row."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import threading
import time
import typing
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from app.domain.client_summary import ClientSummary
from app.persistence import first_rows, first_screen_cache
from app.persistence.db import open_database
from app.persistence.first_rows import KEPT_ALL, KEPT_PARTLY, read_first_rows
from app.persistence.first_screen_cache import SUMS_SQL, TYPES, cache_file, save, stamp_sums
from app.persistence.migrations import HEAD
from app.persistence.models import Client, Lesson
from app.persistence.stamps import ListBasis, read_basis, read_basis_at_once
from app.services.board import set_stalled_days
from app.services.client_list import list_clients
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.first_screen import remember
from app.services.list_read import read_list
from app.services.privacy import erase_personal_data
from app.services.progress import set_checklist
from tests.unit.test_first_rows import url_of, varied

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def path(tmp_path):
    return tmp_path / "kept.sqlite3"


def first(path):
    answer = read_first_rows(url_of(path), HEAD)
    assert answer is not None
    answer.watch.unchanged(url_of(path))  # closes its connection
    return answer


def listed(path):
    """``list_clients`` of the database at ``path`` now (opened and closed again)."""
    db = open_database(url_of(path))
    try:
        return list_clients(db)
    finally:
        db.dispose()


def kept_db(path):
    """The varied database, its rows saved as a closing window saves them; (db, the read they were saved from)."""
    db = varied(path)
    read = read_list(db)
    assert remember(db, read.rows, read.basis)
    return db, read


def sql(path, *statements):
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)


def test_the_kept_rows_are_the_read_rows_with_their_stamps(path):
    db, read = kept_db(path)
    try:
        expected = list_clients(db)
    finally:
        db.dispose()
    cache_file(path).rename(cache_file(path).with_suffix(".away"))
    fresh = first(path)  # read: no file
    cache_file(path).with_suffix(".away").rename(cache_file(path))
    kept = first(path)
    assert not fresh.kept and kept.kept == KEPT_ALL
    assert kept.rows == fresh.rows == expected and [type(r) for r in kept.rows] == [type(r) for r in expected]
    assert kept.basis.stamps == fresh.basis.stamps == read.basis.stamps and kept.basis.shared == fresh.basis.shared
    assert kept.stalled_days == fresh.stalled_days == 12
    assert any(r.contract_date is not None for r in kept.rows) and any(r.contract_date is None for r in kept.rows)


def test_more_clients_than_a_chunk_come_back_in_order(path, monkeypatch):
    monkeypatch.setattr(first_screen_cache, "CHUNK", 5)
    db, _read = kept_db(path)
    db.dispose()
    kept, size = first(path), cache_file(path).stat().st_size
    cache_file(path).unlink()
    assert kept.kept == KEPT_ALL and kept.rows == first(path).rows and len(kept.rows) == 14 and size > 0


@pytest.mark.parametrize(("change", "kept"), [
    ("UPDATE client SET name = 'ООО «Новое имя»' WHERE id = (SELECT min(id) FROM client)", KEPT_PARTLY),
    ("UPDATE contact SET phone = '+7 900 111-22-33' WHERE id = (SELECT min(id) FROM contact)", KEPT_PARTLY),
    ("DELETE FROM contact WHERE id = (SELECT min(id) FROM contact)", KEPT_PARTLY),
    ("DELETE FROM client WHERE id = (SELECT max(id) FROM client)", KEPT_PARTLY),
    ("UPDATE checklist_template SET stage = 2 WHERE code = (SELECT min(code) FROM checklist_template)", ""),
    ("UPDATE lesson SET active = 0 WHERE code = 'L01'", ""),
    # a writer past the triggers: that client gets a stand-in stamp, so it is read
    ("DELETE FROM client_stamp WHERE client_id = (SELECT min(id) FROM client)", KEPT_PARTLY),
])
def test_any_change_since_the_close_is_read(path, change, kept):
    """A changed client's row is read again (the rest taken from the file); a change to what every row counts
    against (the checklist items, the active lessons) reads every row. The file is gone either way."""
    db, _read = kept_db(path)
    db.dispose()
    sql(path, change)
    answer = first(path)
    assert answer.kept == kept and not cache_file(path).exists()
    db = open_database(url_of(path))
    try:
        assert answer.rows == list_clients(db)
        assert answer.basis.stamps.keys() == read_list(db).basis.stamps.keys()  # (a stand-in stamp is random)
    finally:
        db.dispose()


def test_many_changes_are_read_in_place_and_more_than_half_read_every_row(path, monkeypatch):
    monkeypatch.setattr(first_rows, "_IDS_A_STATEMENT", 2)  # several statements for the changed rows
    db, _read = kept_db(path)
    try:
        ids = [r.id for r in list_clients(db)]
        sql(path, f"UPDATE client SET name = 'Я последний' WHERE id = {ids[0]}",  # moves to the end
            f"UPDATE client SET name = 'А первый' WHERE id = {ids[-1]}",  # to the start
            f"UPDATE client SET name = (SELECT name FROM client WHERE id = {ids[5]}) WHERE id = {ids[6]}",  # a tie
            f"DELETE FROM client WHERE id = {ids[3]}",
            f"INSERT INTO contact (uuid, client_id, name, phone, email, position, updated_at) "
            f"SELECT 'c-new', {ids[7]}, 'Новый контакт', '+7 900 000-00-99', 'n@example.ru', '', updated_at "
            f"FROM client WHERE id = {ids[7]}")
        add_client(db, ClientInput(name="ООО «Средний»", inn="7736050003", approach="remote",
                                   contacts=[PersonInput("Новиков Н. Н.", phone="+7 900 000-00-02")]))
        answer = first(path)
        assert answer.kept == KEPT_PARTLY and answer.rows == list_clients(db)
        assert answer.basis.stamps == read_list(db).basis.stamps
        assert remember(db, list_clients(db), read_list(db).basis)
        sql(path, "UPDATE client SET manager = 'Другой менеджер'")  # every client: more than half
        answer = first(path)
        assert answer.kept == "" and answer.rows == list_clients(db)
    finally:
        db.dispose()


def test_a_tick_and_a_new_client_through_the_services_are_read(path):
    db, _read = kept_db(path)
    try:
        target = list_clients(db)[0]
        set_checklist(db, target.id, ["s1.directories"], True)
        answer = first(path)
        assert answer.kept == KEPT_PARTLY and answer.rows == list_clients(db)
        assert remember(db, list_clients(db), read_list(db).basis)  # kept again
        assert first(path).kept == KEPT_ALL
        add_client(db, ClientInput(name="ООО «После закрытия»", inn="7736050003", approach="remote",
                                   contacts=[PersonInput("Новиков Н. Н.")]))
        answer = first(path)
        assert answer.kept == KEPT_PARTLY and answer.rows == list_clients(db)
    finally:
        db.dispose()


def test_the_stalled_threshold_is_read_whatever_is_kept(path):
    db, _read = kept_db(path)
    try:
        set_stalled_days(db, 30)
    finally:
        db.dispose()
    answer = first(path)
    assert answer.kept == KEPT_ALL and answer.stalled_days == 30


def test_a_closing_window_behind_the_data_reads_what_changed_before_it_writes(path):
    db, read = kept_db(path)
    try:
        held, basis = read.rows, read.basis
        with db.unit() as s:
            s.execute(update(Lesson).where(Lesson.code == "L01").values(active=False))  # every row's total
        renamed = list_clients(db)[2]
        sql(path, f"UPDATE client SET name = 'ЯЯЯ последний' WHERE id = {renamed.id}")
        gone = list_clients(db)[0]
        sql(path, f"DELETE FROM client WHERE id = {gone.id}")
        assert remember(db, held, basis)  # the window's rows are older than the file
        answer = first(path)
        assert answer.kept == KEPT_ALL and answer.rows == list_clients(db)
        assert answer.rows[-1].name == "ЯЯЯ последний" and gone.id not in {r.id for r in answer.rows}
        # a row the window holds but no stamp names (deleted meanwhile) is not written
        ghost = held[1]._replace(id=10**9)
        assert remember(db, [*answer.rows, ghost], answer.basis)
        assert first(path).rows == list_clients(db)
    finally:
        db.dispose()


@pytest.mark.parametrize("damage", ["truncate", "flip", "header", "empty", "garbage"])
def test_a_damaged_or_foreign_file_is_never_believed(path, damage):
    db, _read = kept_db(path)
    db.dispose()
    target = cache_file(path)
    data = bytearray(target.read_bytes())
    if damage == "truncate":
        data = data[: len(data) - 10]
    elif damage == "flip":
        data[-5] ^= 0x40
    elif damage == "header":
        data = data.replace(f"{first_screen_cache.FORMAT}|{HEAD}|".encode(), f"{first_screen_cache.FORMAT + 1}|{HEAD}|".encode(), 1)
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(b"\x00\xff" * 5000)
    target.write_bytes(bytes(data))
    answer = first(path)
    assert not answer.kept and len(answer.rows) == 14


def test_the_sums_are_sqlites_for_any_64_bit_stamp(tmp_path):
    stamps = {1: -(2**63), 2: 2**63 - 1, 3: -1, 4: 0, 65536 + 7: 1 << 40, 9: -(1 << 33) + 5}
    with sqlite3.connect(tmp_path / "s.sqlite3") as conn:
        conn.execute("CREATE TABLE client (id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE client_stamp (client_id INTEGER PRIMARY KEY, stamp INTEGER NOT NULL)")
        conn.executemany("INSERT INTO client VALUES (?)", [(k,) for k in stamps])
        conn.executemany("INSERT INTO client_stamp VALUES (?, ?)", list(stamps.items()))
        assert tuple(conn.execute(SUMS_SQL).fetchone()) == stamp_sums(stamps)
        conn.execute("UPDATE client_stamp SET stamp = stamp + 1 WHERE client_id = 1")
        assert tuple(conn.execute(SUMS_SQL).fetchone()) != stamp_sums(stamps)
        conn.execute("DELETE FROM client WHERE id = 1")
        conn.execute("DELETE FROM client_stamp WHERE client_id = 1")
        assert tuple(conn.execute(SUMS_SQL).fetchone()) == stamp_sums({k: v for k, v in stamps.items() if k != 1})


def test_nothing_is_written_for_rows_that_do_not_match_their_stamps_or_an_unwritable_folder(path, monkeypatch):
    db, read = kept_db(path)
    db.dispose()
    cache_file(path).unlink()
    rows, basis = read.rows, read.basis
    assert not save(path, HEAD, rows[1:], basis)  # a client without its row
    assert not save(path, HEAD, rows, basis.forgetting([rows[0].id]))  # a stamp forgotten
    assert not save(path, HEAD, rows, ListBasis({**basis.stamps, 10**9: 1}, basis.shared))
    assert not cache_file(path).exists()
    monkeypatch.setattr(first_screen_cache, "cache_file", lambda _database: path.parent / "no-such" / "x" / "c.bin")
    (path.parent / "no-such").write_text("a file where the folder should be")
    assert not save(path, HEAD, rows, basis)  # no exception: the next start reads
    assert not list(path.parent.glob("*.tmp"))


def test_remember_needs_a_sqlite_file_and_a_basis(path):
    db = varied(path)
    try:
        assert not remember(db, list_clients(db), None)
        assert not cache_file(path).exists()
    finally:
        db.dispose()


# Rows kept by one version of the program are read by the next only if they are built alike: a change to how a row
# is assembled must bump FORMAT (the old files are then never believed). This digest is of those sources; when it
# fails, bump first_screen_cache.FORMAT if the rows' contents changed, and write the new digest here.
ASSEMBLY_SOURCES = ("app/domain/client_summary.py", "app/domain/normalize.py", "app/persistence/first_rows.py")
ASSEMBLY_DIGEST = "b2084997e13e848d"  # the split of clients.py: docstrings name client_list (rows unchanged, FORMAT kept)


def test_a_change_to_how_rows_are_built_bumps_the_format():
    h = hashlib.sha256()
    for name in ASSEMBLY_SOURCES:
        h.update((ROOT / name).read_bytes())
    assert (first_screen_cache.FORMAT, h.hexdigest()[:16]) == (2, ASSEMBLY_DIGEST), \
        "the sources that build a client's row changed: bump first_screen_cache.FORMAT if the rows did, and the digest"


def test_an_old_format_file_is_never_read(path, monkeypatch):
    db, _read = kept_db(path)
    db.dispose()
    monkeypatch.setattr(first_screen_cache, "FORMAT", first_screen_cache.FORMAT + 1)
    assert not first(path).kept


def test_erasing_a_clients_personal_data_removes_the_kept_rows_at_once(path):
    db, _read = kept_db(path)
    try:
        two = next(r for r in list_clients(db) if r.name == "ООО «Два контакта»")
        assert "Иванов" in cache_file(path).read_bytes().decode("utf-8", "replace")
        erase_personal_data(db, two.id)
        assert not cache_file(path).exists()
        assert remember(db, list_clients(db), read_list(db).basis)  # the next close writes what is there now
        data = cache_file(path).read_bytes().decode("utf-8", "replace")
        assert "Иванов" not in data and "p@example.ru" not in data and first(path).kept == KEPT_ALL
    finally:
        db.dispose()


def test_a_file_with_values_of_the_wrong_type_is_not_believed(path):
    """The CRC finds damage only: a well-formed file whose stage is text (say, written by a broken build) must not
    reach the window, where ``stage_title`` would raise."""
    db, read = kept_db(path)
    db.dispose()
    rows = [row._replace(stage=str(row.stage)) if i == 3 else row for i, row in enumerate(first(path).rows)]
    assert save(path, HEAD, rows, read.basis)
    answer = first(path)
    assert not answer.kept and all(type(row.stage) is int for row in answer.rows)


def test_the_column_types_are_those_of_the_row():
    hints = typing.get_type_hints(ClientSummary)
    as_stored = {int: {int}, str: {str}, datetime: {str}, date | None: {str, type(None)}}
    assert [set(kinds) for kinds in TYPES] == [as_stored[hints[field]] for field in ClientSummary._fields]


def test_a_damaged_length_reads_nothing_for_it(path):
    db, _read = kept_db(path)
    db.dispose()
    target = cache_file(path)
    header = target.read_bytes().split(b"\n", 1)[0] + b"\n"
    target.write_bytes(header + (0xFFFFFFFF).to_bytes(4, "little") + bytes(4) + b"x" * 100)
    assert not first(path).kept


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes are POSIX here")
def test_a_pipe_in_place_of_the_file_does_not_block_the_start(path):
    db, _read = kept_db(path)
    db.dispose()
    cache_file(path).unlink()
    os.mkfifo(cache_file(path))
    answers = []
    reader = threading.Thread(target=lambda: answers.append(first(path)), daemon=True)
    reader.start()
    reader.join(10)
    assert answers and not answers[0].kept and len(answers[0].rows) == 14


def test_a_dead_writers_temporary_file_is_removed_by_the_next_write(path):
    db, read = kept_db(path)
    try:
        target = cache_file(path)
        old, recent = target.with_name(f"{target.name}.99999.tmp"), target.with_name(f"{target.name}.99998.tmp")
        for left in (old, recent):
            left.write_bytes(b"half a file")
        os.utime(old, (time.time() - 3600, time.time() - 3600))
        assert remember(db, read.rows, read.basis)
        assert not old.exists() and recent.exists()  # a writer of a minute ago may still be writing
    finally:
        db.dispose()


def test_rows_naming_a_client_twice_are_not_written(path):
    db, read = kept_db(path)
    db.dispose()
    cache_file(path).unlink()
    rows = first(path).rows
    assert not save(path, HEAD, [rows[0], *rows[:-1]], read.basis)
    assert not cache_file(path).exists()


def test_a_utf16_file_or_a_client_without_a_stamp_is_not_kept(tmp_path):
    """A UTF-16 file orders names otherwise than Python's str order (the rows would come back in another order);
    a client without a stamp makes the sums differ at every read (a file never used, written at every close)."""
    path = tmp_path / "u16.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA encoding='UTF-16le'")
        conn.execute("CREATE TABLE x(a)")  # the encoding is fixed once the file has a page
        conn.execute("DROP TABLE x")
    db = open_database(url_of(path))
    try:
        for name, inn in (("ООО Я", "7707083893"), ("ООО \U0001d538 Мега", "500100732259"),
                          ("ООО \uff21 Альфа", "7736050003")):
            # a name beyond the BMP: the card refuses «𝔸» (documents cannot print it: tester N, item 6), but an
            # older file or a bundle may hold one — written here past the card
            client_id = add_client(db, ClientInput(name="ООО Временное", inn=inn, approach="remote"))
            with db.unit() as s:
                s.get(Client, client_id).name = name
        read = read_list(db)
        assert not remember(db, read.rows, read.basis) and not cache_file(path).exists()
    finally:
        db.dispose()
    plain = tmp_path / "plain.sqlite3"
    db = varied(plain)
    try:
        sql(plain, "DELETE FROM client_stamp WHERE client_id = (SELECT min(id) FROM client)")
        read = read_list(db)
        assert not remember(db, read.rows, read.basis) and not cache_file(plain).exists()
    finally:
        db.dispose()


def test_the_stamps_read_at_once_are_those_read_row_by_row(tmp_path):
    stamps = {1: -(2**63), 2: 2**63 - 1, 3: -1, 4: 0, 70000: 1 << 40}
    with sqlite3.connect(tmp_path / "s.sqlite3") as conn:
        conn.execute("CREATE TABLE client (id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE client_stamp (client_id INTEGER PRIMARY KEY, stamp INTEGER NOT NULL)")
        conn.execute("CREATE TABLE checklist_template (code TEXT, stage INTEGER)")
        conn.execute("CREATE TABLE lesson (code TEXT, active INTEGER)")
        conn.executemany("INSERT INTO client VALUES (?)", [(k,) for k in [*stamps, 5]])  # 5: no stamp row
        conn.executemany("INSERT INTO client_stamp VALUES (?, ?)", list(stamps.items()))
        conn.execute("INSERT INTO checklist_template VALUES ('a', 1)")
        at_once, by_row = read_basis_at_once(conn), read_basis(conn)
    assert {k: v for k, v in at_once.stamps.items() if k != 5} == stamps == {k: v for k, v in by_row.stamps.items()
                                                                             if k != 5}
    assert at_once.stamps.keys() == by_row.stamps.keys() and at_once.shared == by_row.shared


def test_no_clients_left_since_is_the_first_run_not_an_empty_list(path):
    db, _read = kept_db(path)
    db.dispose()
    sql(path, "DELETE FROM client")
    assert read_first_rows(url_of(path), HEAD) is None  # the full open shows the first-run page
    assert not cache_file(path).exists()


def test_more_than_half_changed_decodes_no_row_and_reads_the_stamps_once(path, monkeypatch):
    db, _read = kept_db(path)
    try:
        sql(path, "UPDATE client SET manager = 'Другой менеджер'")
        decoded, by_row = [], []
        real_rows, real_basis = first_screen_cache._rows, first_rows.read_basis
        monkeypatch.setattr(first_screen_cache, "_rows", lambda *a: decoded.append(1) or real_rows(*a))
        monkeypatch.setattr(first_rows, "read_basis", lambda conn: by_row.append(1) or real_basis(conn))
        answer = first(path)
        assert answer.kept == "" and answer.rows == list_clients(db) and not decoded and not by_row
        assert answer.basis.stamps == read_list(db).basis.stamps  # the stamps read at once stand for the rows
    finally:
        db.dispose()


def test_a_utf16_file_put_in_place_of_the_database_is_read_in_its_own_order(path):
    """The file was written for a UTF-8 database; a UTF-16 copy at the same path (a restore by rename) carries
    the same stamps, but SQLite orders its names otherwise than Python would: never believed."""
    db, _read = kept_db(path)
    db.dispose()
    copy = path.with_name("u16.sqlite3")
    source, target = sqlite3.connect(path), sqlite3.connect(copy)
    target.execute("PRAGMA encoding='UTF-16le'")
    target.executescript("\n".join(source.iterdump()))
    source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    source.close()
    target.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(copy, path)
    sql(path, "UPDATE client SET name = 'abc' WHERE id = (SELECT min(id) FROM client)")
    answer = first(path)
    assert answer.kept == "" and answer.rows == listed(path)


def test_a_stamp_written_as_text_by_another_program_reads_that_row_and_the_close_does_not_raise(path):
    db, _read = kept_db(path)
    try:
        sql(path, "UPDATE client_stamp SET stamp = 'x' WHERE client_id = (SELECT min(id) FROM client)")
        answer = first(path)
        assert answer.rows == list_clients(db)
        read = read_list(db)
        assert remember(db, list_clients(db), read.basis) is False  # (stamp_sums raised TypeError in closeEvent)
    finally:
        db.dispose()
