"""Issue 14, point 4: the demo lives in a database of its own, marked as a demo, and every page printed
from it says «ДЕМО»; the CLI `demo` never fills the real (default) database."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from app.config import default_database_path, sqlite_url
from app.errors import UserError
from app.persistence.db import open_database
from app.reports import printing
from app.services import documents
from app.services.client_list import list_clients
from app.services.demo_workspace import (
    demo_database_path,
    is_demo,
    prepare_demo_database,
    reset_demo_database,
)
from tests.reports.helpers import MARCH, build_world


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(folder))
    monkeypatch.delenv("VNEDRENIE_DATABASE_URL", raising=False)
    return folder


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_demo_database_is_a_separate_marked_file(data_dir):
    path = prepare_demo_database(today=date(2026, 3, 15))
    assert path == demo_database_path() == data_dir / "demo.sqlite3"
    db = open_database(sqlite_url(path))
    try:
        assert is_demo(db) and len(list_clients(db)) == 12
    finally:
        db.dispose()
    assert not default_database_path().exists()  # the real database was not even created
    assert prepare_demo_database() == path  # reused as it is
    assert reset_demo_database() == path


def test_a_real_database_is_never_taken_for_the_demo(data_dir, sqlite_path):
    db = open_database(sqlite_url(sqlite_path))  # a demo is always a SQLite file of its own
    build_world(db)
    path = str(sqlite_path)
    with pytest.raises(UserError, match="настоящие заказчики"):
        prepare_demo_database(path)
    with pytest.raises(UserError, match="не демонстрационная"):
        reset_demo_database(path)
    assert len(list_clients(db)) == 2 and not is_demo(db)
    db.dispose()


def test_every_page_printed_from_the_demo_says_demo(db):
    from app.services.demo import fill_demo

    fill_demo(db, today=date(2026, 3, 15))
    assert is_demo(db)
    client = next(c for c in list_clients(db) if c.approach == "remote" and c.stage >= 2)
    draft = documents.prepare(db, "progress", client.id, on=date(2026, 3, 15))
    pages = pages_text(printing.render_draft(draft))
    assert pages and all("ДЕМО" in text for text in pages)
    assert draft.content["demo"] is True


def test_real_documents_carry_no_demo_mark(db):
    world = build_world(db)
    draft = documents.prepare(db, "act", world.client_id, date_from=MARCH[0], date_to=MARCH[1],
                              on=date(2026, 4, 1))
    assert "demo" not in draft.content
    assert not any("ДЕМО" in text for text in pages_text(printing.render_draft(draft)))


def test_cli_demo_without_db_points_to_the_demo_database(data_dir, capsys):
    from app.cli import run

    assert run(["demo"]) == 0
    out = capsys.readouterr().out
    assert str(data_dir / "demo.sqlite3") in out and "--db" in out and "не изменилась" in out
    assert not default_database_path().exists()
    assert run(["--db", str(data_dir / "demo.sqlite3"), "clients", "list", "--json"]) == 0


def test_cli_demo_with_db_fills_and_marks_that_database(data_dir, tmp_path, capsys):
    from app.cli import run

    target = tmp_path / "try.sqlite3"
    assert run(["--db", str(target), "demo"]) == 0
    assert "ДЕМО" in capsys.readouterr().out
    db = open_database(sqlite_url(target))
    try:
        assert is_demo(db)
    finally:
        db.dispose()


def test_demo_never_fills_or_replaces_a_real_database(data_dir, tmp_path, capsys):
    """Found by trying it as a user: `--db REAL demo` on a database with the company's requisites but no clients
    yet, and `restore demo.sqlite3` into the real database, both mixed the demo into real data."""
    from app.cli import run
    from tests.exchange.helpers import full_dump

    real = tmp_path / "real.sqlite3"
    assert run(["--db", str(real), "executor", "set", "--company", "ООО «Наша»", "--inn", "500100732259",
                "--address", "Москва", "--city", "Москва", "--specialist-name", "Н. А. С.",
                "--specialist-position", "Специалист"]) == 0
    db = open_database(sqlite_url(real))
    before = full_dump(db)
    db.dispose()
    capsys.readouterr()
    assert run(["--db", str(real), "demo"]) == 2
    assert "реквизиты" in capsys.readouterr().err
    demo = prepare_demo_database(today=date(2026, 3, 15))
    assert run(["--db", str(real), "restore", str(demo)]) == 2
    assert "демо" in capsys.readouterr().err.lower()
    db = open_database(sqlite_url(real))
    try:
        assert full_dump(db) == before and not is_demo(db)
    finally:
        db.dispose()


def test_a_bundle_from_the_demo_database_is_refused_by_a_real_one(data_dir, tmp_path):
    from app.exchange.bundle_export import export_bundle
    from app.exchange.bundle_import import import_bundle
    from app.exchange.bundle_read import read_info
    from app.services.clients import ClientInput, add_client
    from tests.exchange.helpers import full_dump

    demo = open_database(sqlite_url(prepare_demo_database(today=date(2026, 3, 15))))
    real = open_database(sqlite_url(tmp_path / "real.sqlite3"))
    try:
        export_bundle(demo, None, tmp_path / "demo.zip")
        assert read_info(tmp_path / "demo.zip").demo
        add_client(real, ClientInput(name="ООО «Наша»", inn="7707083893", approach="remote"))
        before = full_dump(real)
        with pytest.raises(UserError, match="демо"):
            import_bundle(real, tmp_path / "demo.zip", backup=False)
        assert full_dump(real) == before
        export_bundle(real, None, tmp_path / "real.zip")
        assert not read_info(tmp_path / "real.zip").demo
    finally:
        demo.dispose()
        real.dispose()


def test_demo_work_is_logged_on_the_stage_of_its_day(db):
    from sqlalchemy import select

    from app.domain.stages import stage_on
    from app.persistence.models import Client, StageEvent, WorkLogEntry
    from app.services.demo import fill_demo

    fill_demo(db, today=date(2026, 3, 15))
    with db.read() as s:
        clients = {c.id: c.stage for c in s.scalars(select(Client))}
        moves: dict[int, list] = {}
        for e in s.scalars(select(StageEvent)):
            moves.setdefault(e.client_id, []).append((e.at.date(), e.from_stage))
        entries = [(e.client_id, e.on_date, e.stage) for e in s.scalars(select(WorkLogEntry))]
    assert entries
    wrong = [(client, day, stage) for client, day, stage in entries
             if stage != stage_on(moves.get(client, []), clients[client], day)]
    assert wrong == []
    assert len({stage for _client, _day, stage in entries}) >= 3  # work spread over the stages the clients went through
