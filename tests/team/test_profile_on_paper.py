"""Outside a team the local profile is the specialist on paper (issue 17: «the signer's name and position on a
document are the issuing person's», «on SQLite the local profile's name»); the executor's specialist is the
fallback, and printing refuses only when neither is there, naming both ways to fix it."""

from __future__ import annotations

import pytest

from app.persistence.db import open_database
from app.services import documents as docs
from tests.reports.helpers import CLIENT_INN, build_world, pdf_text

PERIOD = ("--from", "2026-03-01", "--to", "2026-03-31", "--date", "2026-03-31")
COMPANY = ("executor", "set", "--company", "ООО «Менеджмент-Внедрение»", "--inn", "7707083893", "--kpp",
           "770701001", "--address", "125009, г. Москва, ул. Тверская, д. 7", "--city", "Москва")


@pytest.fixture
def company_only(sqlite_path, cli):
    """A computer outside any team: the company's requisites set with «executor set», no specialist at all."""
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        build_world(db, executor=False)
    finally:
        db.dispose()
    assert cli(*COMPANY)[0] == 0


def test_the_profile_set_by_team_profile_signs_the_act(cli, company_only, tmp_path):
    assert cli("team", "profile", "--name", "Сидорова Вера Павловна", "--position", "Ведущий консультант")[0] == 0
    out = tmp_path / "act.pdf"
    status, _out, err = cli("report", "act", CLIENT_INN, *PERIOD, "-o", str(out))
    assert (status, err) == (0, "")
    text = pdf_text(out.read_bytes())
    assert "Ведущий консультант" in text and "Сидорова В.П." in text
    progress = tmp_path / "progress.pdf"
    assert cli("report", "progress", CLIENT_INN, "-o", str(progress))[0] == 0
    assert "Ведущий консультант" in pdf_text(progress.read_bytes())


def test_the_profile_name_comes_before_the_executor_specialist(cli, company_only, tmp_path):
    assert cli("executor", "set", "--specialist-name", "Николаев Артём Сергеевич", "--specialist-position",
               "Специалист по внедрению")[0] == 0
    out = tmp_path / "before.pdf"
    assert cli("report", "progress", CLIENT_INN, "-o", str(out))[0] == 0
    assert "Николаев А.С." in pdf_text(out.read_bytes())  # no profile: the executor's specialist, as before
    assert cli("team", "profile", "--name", "Сидорова Вера Павловна")[0] == 0
    out = tmp_path / "after.pdf"
    assert cli("report", "progress", CLIENT_INN, "-o", str(out), "--new")[0] == 0
    text = pdf_text(out.read_bytes())
    assert "Сидорова В.П." in text and "Николаев А.С." not in text and "Специалист по внедрению" in text


def test_without_profile_and_specialist_printing_names_both_ways(cli, company_only, tmp_path):
    status, _out, err = cli("report", "act", CLIENT_INN, *PERIOD, "-o", str(tmp_path / "x.pdf"))
    assert status == 2 and not (tmp_path / "x.pdf").exists()
    assert "ФИО специалиста, должность специалиста" in err
    assert "«executor set»" in err and "«team profile --name … --position …»" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    # the name alone is not enough: the position is still asked for, the same two ways
    assert cli("team", "profile", "--name", "Сидорова Вера Павловна")[0] == 0
    status, _out, err = cli("report", "act", CLIENT_INN, *PERIOD, "-o", str(tmp_path / "x.pdf"))
    assert status == 2 and "должность специалиста" in err and "ФИО специалиста" not in err
    assert "«team profile --name … --position …»" in err
    status, _out, err = cli("report", "acts", "--month", "2026-03", "-d", str(tmp_path / "acts"))
    assert status == 2 and "должность специалиста" in err and not (tmp_path / "acts").exists()
    assert cli("team", "profile", "--position", "Ведущий консультант")[0] == 0
    status, _out, err = cli("report", "acts", "--month", "2026-03", "-d", str(tmp_path / "acts"))
    assert status == 0, err


def test_on_a_team_laptop_the_member_signs_never_an_old_profile(sqlite_path, tmp_path):
    from app.errors import UserError
    from app.persistence.models import Setting, TeamUser
    from app.team.author import PROFILE_KEY
    from app.team.users import LOGIN_KEY

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        world = build_world(db, executor=False)
        docs.set_executor(db, docs.ExecutorDetails(company="ООО «Менеджмент-Внедрение»", inn="7707083893",
                                                   kpp="770701001", address="Москва", city="Москва"))
        with db.unit() as s:  # a name typed before joining, then what «sync setup» and a sync leave
            s.add(Setting(key=PROFILE_KEY, value="Старое Имя"))
            s.add(Setting(key=LOGIN_KEY, value="ivanova"))
            s.add(TeamUser(login="ivanova", full_name="Иванова Анна", position="", role="specialist"))
        with pytest.raises(UserError) as info:
            docs.prepare_progress(db, world.client_id)
        assert "users edit ivanova --position" in info.value.message  # the team's way, not «team profile»
        with db.unit() as s:
            s.get(TeamUser, "ivanova").position = "Консультант"
        from app.services.documents.batch_reads import read_batch

        paper = read_batch(db).executor  # what base() prints (a number needs the server's block: not taken here)
        assert (paper.specialist_name, paper.specialist_position) == ("Иванова Анна", "Консультант")
    finally:
        db.dispose()

