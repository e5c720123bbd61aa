"""The first screen's rows, read with sqlite3 before SQLAlchemy (app.persistence.first_rows), are the rows
``list_clients`` gives, row for row; and the reader steps aside (None) whenever it cannot stand for it."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

import pytest
from sqlalchemy import update

from app.persistence.db import open_database
from app.persistence.first_rows import read_first_rows, sqlite_file
from app.persistence.migrate import head_revision
from app.persistence.models import Lesson
from app.services.board import set_stalled_days
from app.services.client_list import list_clients
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.demo import fill_demo
from app.services.progress import set_checklist, set_lessons


@pytest.fixture
def path(tmp_path):
    return tmp_path / "first.sqlite3"


def url_of(path) -> str:
    return f"sqlite:///{path}"


def varied(path):
    """The demo, plus what the counters and contacts can differ by: two contacts, none, an employee's
    lessons, an inactive lesson done, a tick, a stalled threshold of 12 days."""
    db = open_database(url_of(path))
    fill_demo(db, today=date(2026, 11, 2))
    two = add_client(db, ClientInput(name="ООО «Два контакта»", inn="7707083893", approach="remote",
                                     contract_date=date(2026, 3, 1),
                                     contacts=[PersonInput("Иванов И. И.", phone="+7 900 000-00-01"),
                                               PersonInput("Петров П. П.", email="p@example.ru")],
                                     employees=[PersonInput("Сидоров С. С.")]))
    add_client(db, ClientInput(name="АО «Без контактов»", inn="500100732259", approach="onsite"))
    set_lessons(db, two, ["L01", "L02"], True)
    set_lessons(db, two, ["L03"], True, employee="Сидоров С. С.")
    set_checklist(db, two, ["s1.directories"], True)
    with db.unit() as s:
        s.execute(update(Lesson).where(Lesson.code == "L02").values(active=False))
    set_stalled_days(db, 12)
    return db


def test_the_rows_are_those_of_list_clients_row_for_row(path):
    db = varied(path)
    try:
        expected = list_clients(db)
    finally:
        db.dispose()
    first = read_first_rows(url_of(path), head_revision())
    assert first is not None
    assert first.rows == expected
    assert len(first.rows) == 14 and first.stalled_days == 12
    two = next(r for r in first.rows if r.name == "ООО «Два контакта»")
    assert (two.contact_name, two.contact_phone, two.lessons_done, two.checklist_done) == \
        ("Иванов И. И.", "+7 900 000-00-01", 1, 0)  # L02 inactive, L03 the employee's own; s1 is not its stage
    assert sum(r.checklist_done for r in first.rows) > 0 and sum(r.lessons_done for r in first.rows) > 1
    assert "петров" in two.search_text and "p@example.ru" in two.search_text
    assert two.contract_date == date(2026, 3, 1)


def test_the_first_rows_carry_the_stamps_a_later_reload_compares(path):
    """The first screen's basis (app.persistence.stamps) is what read_list reads: a reload after it reads only
    the rows changed since the first screen."""
    from app.services.list_read import read_list

    varied(path).dispose()
    first = read_first_rows(url_of(path), head_revision())
    assert first is not None and first.basis is not None
    db = open_database(url_of(path))
    try:
        assert first.basis.stamps == read_list(db).basis.stamps and len(first.basis.stamps) == 14
        target = first.rows[3]
        with db.unit() as s:
            s.execute(update(Lesson).values(title=Lesson.title))  # no lesson's code or activity: no row changes
        set_checklist(db, target.id, ["s1.lessons"], True)
        read = read_list(db, first.basis)
        assert not read.complete and [r.id for r in read.rows] == [target.id] and read.gone == []
    finally:
        db.dispose()


def test_the_reader_never_writes_to_the_file(path):
    varied(path).dispose()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert read_first_rows(url_of(path), head_revision()) is not None
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_no_first_rows_for_a_missing_empty_older_or_broken_file(path, tmp_path):
    head = head_revision()
    assert read_first_rows(url_of(path), head) is None  # not there yet: the full open creates it
    open_database(url_of(path)).dispose()
    assert read_first_rows(url_of(path), head) is None  # no clients: the first-run page
    varied(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert read_first_rows(url_of(path), head) is None  # a migration comes first
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all" * 100)
    assert read_first_rows(url_of(broken), head) is None
    assert read_first_rows(url_of(path), None) is None  # the program cannot tell its own head


@pytest.mark.parametrize("url", ["postgresql+psycopg://u@127.0.0.1/db", "sqlite://", "sqlite:///:memory:",
                                 "sqlite:///file:x?mode=ro&uri=true", "sqlite:///x.sqlite3?timeout=5"])
def test_only_a_plain_sqlite_file_is_read_first(url):
    assert sqlite_file(url) is None
    assert read_first_rows(url, head_revision()) is None


def test_the_watch_says_whether_the_file_is_still_as_read(path, tmp_path):
    """``watch.unchanged(url)``: True when nothing was committed since the read (then the full open need not read
    the rows again); False after any commit, for another file, for a file put in its place, and when asked twice."""
    varied(path).dispose()
    url = url_of(path)
    first = read_first_rows(url, head_revision())
    assert first is not None and first.watch is not None
    assert first.watch.unchanged(url) is True
    assert first.watch.unchanged(url) is False  # one answer: its connection is closed

    first = read_first_rows(url, head_revision())
    db = open_database(url)  # the full open of a file opened before writes nothing: the rows stand
    db.dispose()
    assert first.watch.unchanged(url) is True

    first = read_first_rows(url, head_revision())
    writer = sqlite3.connect(path)
    writer.execute("UPDATE client SET name = name || ' (2)' WHERE id = (SELECT min(id) FROM client)")
    writer.commit()
    writer.close()
    assert first.watch.unchanged(url) is False

    first = read_first_rows(url, head_revision())
    other = tmp_path / "other.sqlite3"
    other.write_bytes(path.read_bytes())
    assert first.watch.unchanged(url_of(other)) is False

    first = read_first_rows(url, head_revision())
    other.replace(path)  # a restore puts another file in its place
    assert first.watch.unchanged(url) is False


def test_the_rows_are_built_with_the_collector_paused_and_it_runs_again_after(path, monkeypatch):
    """Thousands of acyclic rows: a full collection in the middle of them cost ~0.2 s at 50 000 clients."""
    import gc

    from app.persistence import first_rows

    varied(path).dispose()
    seen: list[bool] = []
    real = first_rows.assemble_counted

    def watched(*args):
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(first_rows, "assemble_counted", watched)
    assert gc.isenabled()
    first = read_first_rows(url_of(path), head_revision())
    assert first is not None and len(first.rows) == 14
    assert seen == [False] and gc.isenabled()
