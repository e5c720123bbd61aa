"""A bundle's client met on a team's computer only by its ИНН (issue 17, app/exchange/origin.py): a standalone
computer's card, or another executor's documents, never merge into the team's client unsaid; the import refuses
naming the client and its ИНН and what to do, exit 2, nothing written. Files of the team's own laptops and
imports on computers outside a team merge as before."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from app.cli import run
from app.errors import UserError
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.exchange.bundle_read import read_info
from app.persistence.db import open_database
from app.persistence.models import Setting
from app.services import documents as docs
from app.team.author import LOGIN_KEY
from tests.exchange import helpers as h
from tests.reports.helpers import CLIENT_INN, EXECUTOR, add_remote_client, build_world
from tests.reports.test_cli_reports import dump  # every table's rows: «nothing written» checks

OTHER_EXECUTOR = replace(EXECUTOR, company="ООО «Сторонний внедренец»", inn="7728168971", kpp="772801001")
TEAM_NAME = "ООО «Ромашка» (команда)"


def _join(db, login: str = "ivanova") -> None:
    """What «sync setup» leaves on a laptop: the team login (the laptop is now a team's computer)."""
    with db.unit() as s:
        s.add(Setting(key=LOGIN_KEY, value=login))


@pytest.fixture
def team_laptop(tmp_path):
    """A team laptop holding the team's client with the ИНН, under the team's executor."""
    path = tmp_path / "team.sqlite3"
    db = open_database(f"sqlite:///{path}")
    docs.set_executor(db, EXECUTOR)
    add_remote_client(db, TEAM_NAME)
    _join(db)
    db.dispose()
    return path


@pytest.fixture
def standalone_file(tmp_path):
    """A computer never in the team, with its own executor: the same ИНН made apart, work and an issued act."""
    path = tmp_path / "home.sqlite3"
    db = open_database(f"sqlite:///{path}")
    build_world(db, executor=False)
    docs.set_executor(db, OTHER_EXECUTOR)
    db.dispose()
    assert run(["--db", str(path), "report", "act", CLIENT_INN, "--from", "2026-03-01", "--to", "2026-03-31",
                "--date", "2026-03-31", "-o", str(tmp_path / "act.pdf")]) == 0
    assert run(["--db", str(path), "export", "--all", "-o", str(tmp_path / "home.zip")]) == 0
    return tmp_path / "home.zip"


def test_a_standalone_computers_acts_never_land_under_the_team_client(team_laptop, standalone_file, capsys):
    assert not read_info(standalone_file).team
    before = dump(team_laptop)
    capsys.readouterr()
    status = run(["--db", str(team_laptop), "import", str(standalone_file)])
    out, captured = capsys.readouterr()
    assert (status, out) == (2, "") and "Traceback" not in captured and captured.count("\n") == 1
    assert "Заказчик «ООО „Ромашка“» (ИНН 5001012343)" in captured and "«ООО „Ромашка“ (команда)»" in captured
    assert "другой исполнитель (ООО «Сторонний внедренец», ИНН 7728168971)" in captured
    assert captured.rstrip().endswith("Ничего не импортировано.")
    assert dump(team_laptop) == before  # nothing written, no backup taken


def test_a_standalone_card_without_documents_is_refused_too(team_laptop, tmp_path):
    home = open_database(f"sqlite:///{tmp_path / 'plain.sqlite3'}")
    add_remote_client(home, "ООО «Ромашка»")
    export_bundle(home, None, tmp_path / "plain.zip")
    home.dispose()
    team = open_database(f"sqlite:///{team_laptop}")
    try:
        with pytest.raises(UserError) as info:
            import_bundle(team, tmp_path / "plain.zip", backup=False)
        message = info.value.message
        assert message.startswith("Заказчик «ООО „Ромашка“» (ИНН 5001012343) в файле заведён на компьютере вне "
                                  "команды") and "«sync setup»" in message
        assert message.endswith("Ничего не импортировано.")
        assert [c.name for c in docs_clients(team)] == [TEAM_NAME]
    finally:
        team.dispose()


def docs_clients(db):
    from app.services.client_list import list_clients

    return list_clients(db)


def test_a_team_laptops_card_made_apart_merges_as_before_unless_another_executor_issued(team_laptop, tmp_path,
                                                                                          standalone_file):
    other = open_database(f"sqlite:///{tmp_path / 'mate.sqlite3'}")
    docs.set_executor(other, EXECUTOR)
    add_remote_client(other, "ООО «Ромашка»")
    _join(other, "petrova")  # a teammate's laptop, offline: the same client typed apart, not yet synced
    export_bundle(other, None, tmp_path / "mate.zip")
    other.dispose()
    assert read_info(tmp_path / "mate.zip").team
    team = open_database(f"sqlite:///{team_laptop}")
    try:
        report = import_bundle(team, tmp_path / "mate.zip", backup=False).report
        assert len(report.matched) == 1 and CLIENT_INN in report.matched[0]
        # a team's file whose documents of that client another executor issued: refused all the same
        members = h.read_members(standalone_file)
        manifest = json.loads(members["manifest.json"])
        members["manifest.json"] = json.dumps({**manifest, "team": True}).encode()
        h.write_members(tmp_path / "marked.zip", members)
        with pytest.raises(UserError) as info:
            import_bundle(team, tmp_path / "marked.zip", backup=False)
        assert "другой исполнитель" in info.value.message
    finally:
        team.dispose()


def test_outside_a_team_a_card_met_by_inn_merges_as_before(standalone_file, tmp_path):
    alone = open_database(f"sqlite:///{tmp_path / 'alone.sqlite3'}")
    try:
        docs.set_executor(alone, EXECUTOR)
        add_remote_client(alone, TEAM_NAME)
        report = import_bundle(alone, standalone_file, backup=False).report
        assert len(report.matched) == 1 and report.added["document"] == 1
    finally:
        alone.dispose()


def test_a_sealed_file_carries_its_origin_inside(team_laptop, tmp_path):
    from app.exchange.bundle_read import load_bundle

    team = open_database(f"sqlite:///{team_laptop}")
    try:
        export_bundle(team, None, tmp_path / "sealed.zip", "верный-пароль-1")
    finally:
        team.dispose()
    assert not read_info(tmp_path / "sealed.zip").team  # the clear manifest says only what the password needs
    assert load_bundle(tmp_path / "sealed.zip", "верный-пароль-1")[0].team
