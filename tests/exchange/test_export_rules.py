"""An export refuses every record the import's rules would refuse, in the import's words, and leaves no file
(app.exchange.export_rules): it wrote an ИНН with a wrong check digit, −5 minutes, a name with a line break, a
client at a stage none of its moves reaches or a record changed «in 2099», said «Сохранено», and the import on the
other computer refused the whole file."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import UserError
from app.exchange.bundle_error import BundleError
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.db import open_database
from app.services.progress import advance
from tests.exchange.helpers import INN_A, INN_B, populate


@pytest.fixture
def live(tmp_path):
    """A SQLite file with two clients (the first moved to stage 1) and its path."""
    path = tmp_path / "live.sqlite3"
    db = open_database(f"sqlite:///{path}")
    a = populate(db, INN_A)
    populate(db, INN_B, "ООО «Василёк»")
    advance(db, a, force=True, reason="Проверка")
    yield db, path, a
    db.dispose()


def _damage(path, sql: str, *params) -> None:
    con = sqlite3.connect(path)
    with con:
        con.execute(sql, params)
    con.close()


def _import_refusal(db, tmp_path, monkeypatch) -> str:
    """What the import on another computer says of the file the export wrote before it asked the rules."""
    from app.exchange import export_rules

    with monkeypatch.context() as m:
        m.setattr(export_rules.ExportRules, "check", lambda self, table, rows: None)
        m.setattr(export_rules.ExportRules, "finish", lambda self: None)
        export_bundle(db, None, tmp_path / "unchecked.zip")
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        with pytest.raises(BundleError) as err:
            import_bundle(other, tmp_path / "unchecked.zip", backup=False)
    finally:
        other.dispose()
    (tmp_path / "unchecked.zip").unlink()
    return err.value.message


DAMAGES = [
    pytest.param("UPDATE client SET inn = '7707083894' WHERE id = ?", "контрольное число", id="inn-checksum"),
    pytest.param("UPDATE work_log SET minutes = -5 WHERE client_id = ? AND kind = 'conference'", "-5",
                 id="negative-minutes"),
    pytest.param("UPDATE client SET name = 'ООО' || char(10) || 'Ромашка' WHERE id = ?", "перевод строки",
                 id="line-break-in-name"),
    pytest.param("UPDATE client SET stage = 3 WHERE id = ?", "на этапе 3", id="stage-not-reached"),
    pytest.param("UPDATE work_log SET updated_at = '2099-01-01 00:00:00.000000' WHERE client_id = ?", "2099",
                 id="changed-in-2099"),
    pytest.param("UPDATE contact SET email = 'ivanov@@example' WHERE client_id = ?", "ivanov@@example",
                 id="contact-email"),
    pytest.param("UPDATE checklist_state SET code = 'zz.unknown' WHERE id = (SELECT min(id) FROM checklist_state WHERE client_id = ?)", "zz.unknown",
                 id="unknown-checklist-item"),
    pytest.param("UPDATE lesson_progress SET lesson_code = 'L999' WHERE id = (SELECT min(id) FROM lesson_progress WHERE client_id = ?)", "L999", id="unknown-lesson"),
    pytest.param("UPDATE document SET number = 0 WHERE client_id = ?", "0", id="document-number"),
    pytest.param("UPDATE estimate SET total = -100 WHERE client_id = ?", "total", id="negative-estimate"),
    pytest.param("UPDATE work_log SET on_date = '2098-01-01' WHERE client_id = ? AND kind = 'conference'",
                 "2098", id="entry-far-ahead"),
    pytest.param("UPDATE work_log SET note = 'a' || char(1) WHERE client_id = ? AND kind = 'conference'",
                 "note", id="control-character-in-note"),
    pytest.param("UPDATE work_log SET minutes = 2000 WHERE client_id = ? AND kind = 'conference'", "2 000",
                 id="more-than-a-day-in-one-entry"),
    pytest.param("UPDATE lesson_progress SET done_on = '2099-03-01' WHERE id = (SELECT min(id) FROM lesson_progress WHERE client_id = ?)", "2099", id="lesson-done-far-ahead"),
    pytest.param("UPDATE checklist_state SET done_on = '2099-03-01' WHERE id = (SELECT min(id) FROM checklist_state WHERE client_id = ? AND done_on IS NOT NULL)", "2099", id="item-done-far-ahead"),
]


@pytest.mark.parametrize(("sql", "said"), DAMAGES)
def test_a_record_the_import_refuses_refuses_the_export_in_the_imports_words(live, tmp_path, monkeypatch, sql,
                                                                               said):
    db, path, a = live
    _damage(path, sql, a)
    target = tmp_path / "out" / "all.zip"
    target.parent.mkdir()
    with pytest.raises(UserError) as err:
        export_bundle(db, None, target)
    message = err.value.full_text()
    assert message.startswith("Ничего не выгружено: импорт на другом компьютере отказался бы принять этот файл.")
    assert said in message, message
    assert not list(target.parent.iterdir())  # no file, no part file left
    # the record, the field and the reason as the import names them
    imported = _import_refusal(db, tmp_path, monkeypatch).removesuffix(" Ничего не импортировано.").rstrip(".")
    assert imported in message, (imported, message)


def test_the_sealed_export_refuses_too(live, tmp_path):
    db, path, a = live
    _damage(path, "UPDATE work_log SET minutes = -5 WHERE client_id = ? AND kind = 'conference'", a)
    with pytest.raises(UserError) as err:
        export_bundle(db, [INN_A], tmp_path / "a.zip", password="верный пароль 1")
    assert "«Конференция»" in err.value.message or "-5" in err.value.message, err.value.message
    assert not list(tmp_path.glob("*.zip*")) and not list(tmp_path.glob(".a.zip*"))


def test_a_fault_among_many_good_records_is_found_in_any_chunk(live, tmp_path):
    """The rules are asked once per distinct input (export_rules._Memo): a bad entry whose other fields repeat
    good ones, in the first chunk or a later one, is still refused."""
    db, path, a = live
    con = sqlite3.connect(path)
    with con:  # 1 200 entries alike but for their ids: three chunks of the export
        rows = con.execute("SELECT client_id, on_date, kind, minutes, stage, note, created_at, updated_at "
                           "FROM work_log WHERE kind = 'conference' AND client_id = ?", (a,)).fetchone()
        for n in range(1200):
            con.execute("INSERT INTO work_log (client_id, on_date, kind, minutes, stage, note, deleted, created_at, "
                        "uuid, updated_at, updated_by, row_version) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, '', 0)",
                        (*rows[:6], rows[6], f"00000000-0000-4000-8000-{n:012d}", rows[7]))
    con.close()
    export_bundle(db, None, tmp_path / "good.zip")  # all alike and good: written
    for uuid in ("00000000-0000-4000-8000-000000000005", "00000000-0000-4000-8000-000000001100"):
        _damage(path, "UPDATE work_log SET minutes = -5 WHERE uuid = ?", uuid)
        with pytest.raises(UserError) as err:
            export_bundle(db, None, tmp_path / "bad.zip")
        assert "-5" in err.value.message, err.value.message
        assert not (tmp_path / "bad.zip").exists()
        _damage(path, "UPDATE work_log SET minutes = 95 WHERE uuid = ?", uuid)


def test_a_clean_export_imports_whole_on_another_computer(live, tmp_path):
    db, _path, _a = live
    info = export_bundle(db, None, tmp_path / "all.zip")
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        result = import_bundle(other, tmp_path / "all.zip", backup=False)
        assert dict(result.report.added) == info.counts, (result.report.added, info.counts)
    finally:
        other.dispose()


def test_the_command_refuses_with_status_2_and_leaves_no_file(cli, sqlite_path, tmp_path):
    db = open_database(f"sqlite:///{sqlite_path}")
    populate(db)
    db.dispose()
    _damage(sqlite_path, "UPDATE client SET inn = '7707083894'")
    target = tmp_path / "out" / "x.zip"
    target.parent.mkdir()
    status, out, err = cli("export", "--all", "-o", str(target))
    assert status == 2 and out == "", (status, out, err)
    assert "Ничего не выгружено" in err and "контрольное число" in err and "Traceback" not in err
    assert not list(target.parent.iterdir())


def test_the_demo_database_exports_and_imports_whole(tmp_path):
    """The demo's believable data pass every rule: its export is written and imports into another (demo) database."""
    from app.services.demo import fill_demo
    from app.services.demo_workspace import mark_demo

    source = open_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        fill_demo(source)
        info = export_bundle(source, None, tmp_path / "demo.zip")
        with other.unit() as s:
            mark_demo(s)
        result = import_bundle(other, tmp_path / "demo.zip", backup=False)
        assert info.clients >= 10 and dict(result.report.added) == info.counts, (result.report.added, info.counts)
    finally:
        source.dispose()
        other.dispose()


def _refuses(rule, values: dict, context: dict) -> bool:
    class Refused(Exception):
        pass

    try:
        rule(lambda *_a: Refused(), values, context)
    except Refused:
        return True
    return False


def _mostly(good, other):
    """``good`` three times in four, else a value of ``other``: records with one or two faults among good fields."""
    return st.one_of(st.just(good), st.just(good), st.just(good), other)


_DAYS = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
_NUMBERS = st.one_of(st.none(), st.integers(-5, 2000), st.decimals(-5, 400, places=3, allow_nan=False))
_TEXTS = st.one_of(st.none(), st.sampled_from(["", "ок", "a\x01", "x" * 3000, "\u202e", " Примечание \n"]))
_PART_VALUES = {
    "work_log": st.fixed_dictionaries({
        "on_date": _mostly(date(2026, 3, 2), _DAYS),
        "kind": _mostly("conference", st.sampled_from(["onsite_day", "transfer", "questions", "zz", ""])),
        "minutes": _mostly(90, _NUMBERS), "days": _mostly(None, _NUMBERS), "amount": _mostly(None, _NUMBERS),
        "note": _mostly("", _TEXTS), "stage": _mostly(None, st.integers(-1, 5))}),
    "checklist_state": st.fixed_dictionaries({
        "code": _mostly("ok.item", st.sampled_from(["zz.unknown", None])), "done_on": _mostly(None, _DAYS)}),
    "lesson_progress": st.fixed_dictionaries({
        "lesson_code": _mostly("L1", st.sampled_from(["L999", None])), "done_on": _mostly(None, _DAYS),
        "employee_uuid": _mostly("", st.sampled_from([None, "00000000-0000-4000-8000-000000000001", "не id"]))}),
}


@pytest.mark.parametrize("table", sorted(_PART_VALUES))
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_a_rules_parts_refuse_exactly_what_the_rule_refuses(table, data):
    """The export asks a table's rule in parts (validate.CHECK_PARTS), each once per distinct input of its fields:
    the parts together refuse a record exactly when the import's whole rule (validate._CHECKS) does."""
    from datetime import datetime

    from app.exchange.validate import _CHECKS, CHECK_PARTS

    values = data.draw(_PART_VALUES[table])
    context = {"latest": datetime(2026, 12, 5, 12), "versioned": True, "checklist": {"ok.item"}, "lessons": {"L1"}}
    whole = _refuses(_CHECKS[table], values, context)
    assert whole == any(_refuses(part, values, context) for part in CHECK_PARTS[table]), values
