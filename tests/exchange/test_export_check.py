"""An export refuses values the program cannot use and references to nothing, and leaves no file
(app.exchange.export_check): it wrote «2026-13-45» or a kind «ufo» as they were (the import elsewhere refused the
whole file), and left out a work-log entry «billed by» act 999 without a word (the file held one entry fewer)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from app.errors import UserError
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.db import open_database
from app.persistence.models import WorkLogEntry
from tests.exchange.helpers import INN_A, INN_B, populate


@pytest.fixture
def two(tmp_path):
    """A SQLite file with two clients (each with a work log and an act) and its path."""
    path = tmp_path / "live.sqlite3"
    db = open_database(f"sqlite:///{path}")
    a = populate(db, INN_A)
    b = populate(db, INN_B, "ООО «Василёк»")
    yield db, path, a, b
    db.dispose()


def _damage(path, sql: str, *params) -> None:
    con = sqlite3.connect(path)
    with con:
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute(sql, params)
    con.close()


def _entries(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(WorkLogEntry))


@pytest.mark.parametrize(("sql", "named"), [
    ("UPDATE work_log SET on_date = '2026-13-45' WHERE client_id = ?", "on_date: «2026-13-45»"),
    ("UPDATE work_log SET on_date = '2026-02-30' WHERE client_id = ?", "on_date: «2026-02-30»"),
    ("UPDATE work_log SET kind = 'ufo' WHERE client_id = ?", "kind: «ufo»"),
    ("UPDATE client SET approach = 'ufo' WHERE id = ?", "approach: «ufo»"),
    ("UPDATE client SET stage = 9 WHERE id = ?", "stage: «9»"),
    ("UPDATE contact SET phone = x'00ff' WHERE client_id = ?", "phone: «00 ff»"),  # the encoder failed first
])
def test_a_value_the_program_cannot_use_refuses_the_export_and_leaves_no_file(two, tmp_path, sql, named):
    db, path, a, _b = two
    _damage(path, sql, a)
    target = tmp_path / "out" / "all.zip"
    target.parent.mkdir()
    with pytest.raises(UserError) as err:
        export_bundle(db, None, target)
    said = "\n".join([err.value.message, *err.value.details])
    assert named in said and "Error" not in said, said  # no «TypeError: … not JSON serializable» beside it
    assert not list(target.parent.iterdir())  # no file, no part file left


def test_an_entry_billed_by_an_act_that_does_not_exist_is_refused_not_left_out(two, tmp_path):
    db, path, a, _b = two
    _damage(path, "UPDATE work_log SET billed_by_document_id = 999 WHERE id = "
                  "(SELECT min(id) FROM work_log WHERE client_id = ?)", a)
    with pytest.raises(UserError) as err:
        export_bundle(db, None, tmp_path / "all.zip")
    assert "billed_by_document_id: «999»" in err.value.message and "«document»" in err.value.message
    assert not (tmp_path / "all.zip").exists()


def test_an_entry_billed_by_another_clients_act_is_named_as_such(two, tmp_path):
    db, path, a, b = two
    _damage(path, "UPDATE work_log SET billed_by_document_id = (SELECT id FROM document WHERE client_id = ?) "
                  "WHERE id = (SELECT min(id) FROM work_log WHERE client_id = ?)", b, a)
    with pytest.raises(UserError) as err:
        export_bundle(db, [INN_A], tmp_path / "a.zip", password="верный пароль 1")  # the sealed path too
    assert "другого заказчика" in err.value.message, err.value.message
    assert not (tmp_path / "a.zip").exists()


def test_another_clients_damage_does_not_stop_this_clients_export_which_keeps_every_entry(two, tmp_path):
    db, path, a, b = two
    _damage(path, "UPDATE work_log SET kind = 'ufo' WHERE client_id = ?", b)
    export_bundle(db, [INN_A], tmp_path / "a.zip")
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        import_bundle(other, tmp_path / "a.zip", backup=False)
        with db.read() as s:
            mine = s.scalar(select(func.count()).select_from(WorkLogEntry).where(WorkLogEntry.client_id == a))
        assert _entries(other) == mine == 2
    finally:
        other.dispose()


def test_the_command_line_says_the_refusal_with_status_2(two, tmp_path, capsys):
    from app.cli import run

    _db, path, a, _b = two
    _damage(path, "UPDATE work_log SET on_date = '2026-13-45' WHERE client_id = ?", a)
    status = run(["--db", str(path), "export", "--all", "-o", str(tmp_path / "all.zip")])
    err = capsys.readouterr().err
    assert status == 2 and "«2026-13-45»" in err and "Traceback" not in err
    assert not (tmp_path / "all.zip").exists()
