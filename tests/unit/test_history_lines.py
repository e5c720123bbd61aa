"""«История изменений» / `audit CLIENT` is complete and readable: work-log additions and planned events are
lines with author and time, a saved estimate reads «Смета сохранена: N ₽» (not «— → estimate»), a tick names
its item, and the first save of the requisites is authored by the name it saves, not the OS user."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.estimate import EstimateInput
from app.persistence.db import open_database
from app.persistence.models import AuditEntry, Executor
from app.team.audit import client_history_lines
from app.team.users import PROFILE_KEY

INN = "7707083893"


def _lines(cli) -> list[str]:
    status, out, err = cli("audit", INN)
    assert status == 0, err
    return [line.split("\t", 2)[2] for line in out.splitlines()]  # without time and author: checked below


def test_work_log_plan_estimate_and_tick_lines_in_the_cards_words(cli, sqlite_path):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    assert cli("team", "profile", "--name", "Петрова Мария")[0] == 0
    assert cli("log", "add", INN, "--kind", "conference", "--date", "2026-11-02", "--minutes", "60")[0] == 0
    assert cli("log", "add", INN, "--kind", "transfer", "--date", "2026-11-02", "--amount", "1500")[0] == 0
    status, _out, err = cli("plan", "add", INN, "--kind", "call", "--start", "2026-12-03 10:00", "--tz",
                            "Europe/Moscow", "--duration", "30")
    assert status == 0, err
    assert cli("checklist", "done", INN, "s1.lessons")[0] == 0
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        from app.services.estimates import save_estimate

        save_estimate(db, INN, "remote", EstimateInput(conference_hours=Decimal("10")), on=date(2026, 11, 1))
        lines = client_history_lines(db, INN)
    finally:
        db.dispose()
    created = [line for line in lines if line.what == "Заказчик создан"]
    assert [line.new for line in created] == [f"ООО «Ромашка», ИНН {INN}"]  # before the profile was named
    assert {line.author for line in lines if line not in created} == {"Петрова Мария"}
    assert all(datetime.strptime(line.at, "%d.%m.%Y %H:%M") for line in lines)
    [estimate] = [line for line in lines if line.what.startswith("Расчёт")]
    assert estimate.new.startswith("Смета сохранена: ") and estimate.new.endswith(" ₽") and estimate.old == ""
    assert _lines(cli) == [
        f"добавлено\t{estimate.what}\t{estimate.new}",
        "добавлено\tЧек-лист (Видеоуроки просмотрены по плану)\tвыполнено: да",
        "добавлено\tПлан (03.12.2026, Звонок)\t03.12.2026 10:00, Звонок, 30 мин",
        "добавлено\tЖурнал работ (02.11.2026, Трансфер)\t02.11.2026, Трансфер, 1 500,00 ₽",
        "добавлено\tЖурнал работ (02.11.2026, Конференция)\t02.11.2026, Конференция, 60 мин",
        f"добавлено\tЗаказчик создан\tООО «Ромашка», ИНН {INN}",
    ]


def test_an_estimate_line_states_the_saved_total(db):
    from app.services.clients import ClientInput, add_client
    from app.services.estimates import save_estimate
    from app.services.tariffs import set_tariff

    add_client(db, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    set_tariff(db, "remote_hour", Decimal("1500"), date(2020, 1, 1))
    save_estimate(db, INN, "remote", EstimateInput(conference_hours=Decimal("10")), on=date(2026, 11, 1))
    [line] = [x for x in client_history_lines(db, INN) if x.what.startswith("Расчёт")]
    assert (line.action, line.old, line.new) == ("добавлено", "", "Смета сохранена: 15 000,00 ₽")
    assert line.text().endswith("\tСмета сохранена: 15 000,00 ₽") and "— →" not in line.text()


@pytest.fixture
def laptop(tmp_path):
    """A laptop's SQLite file: on PostgreSQL the author is the signed-in role, whatever the profile says."""
    database = open_database(f"sqlite:///{tmp_path / 'laptop.sqlite3'}")
    yield database
    database.dispose()


def test_the_requisites_being_saved_name_the_author_of_the_same_unit(laptop):
    """The author is looked up when the unit flushes, before its own new rows are written: a unit that saves
    the requisites (the specialist's name) or the profile name for the first time was stamped with the OS
    user's name. Rows pending in the session count now."""
    from app.services.clients import ClientInput, add_client
    from app.services.common import find_client

    add_client(laptop, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    with laptop.unit() as s:
        s.add(Executor(company="ИП Петрова М. А.", inn="500100732259", specialist_name="Петрова Мария"))
        find_client(s, INN).city = "Химки"
    with laptop.read() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.field == "city")).all()
        assert entry.author == "Петрова Мария"


def test_setting_the_profile_name_authors_the_same_unit_by_it(laptop):
    from app.persistence.models import Setting
    from app.services.clients import ClientInput, add_client
    from app.services.common import find_client

    add_client(laptop, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    with laptop.unit() as s:
        s.add(Setting(key=PROFILE_KEY, value="Сидоров Олег"))
        find_client(s, INN).city = "Химки"
    with laptop.read() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.field == "city")).all()
        assert entry.author == "Сидоров Олег"


def test_an_empty_history_says_so_instead_of_printing_nothing(cli, sqlite_path):
    """The trial 17d: `audit CLIENT` of a client whose trail did not travel (a laptop rebuilt from a bundle) and
    `team history` of a new team printed nothing at all, exit 0; they now say there is nothing yet."""
    assert cli("team", "history") == (0, "Изменений общих данных (тарифы, НДС, реквизиты исполнителя, настройки) "
                                         "пока нет; этот компьютер не входит в команду.\n", "")
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.unit() as s:  # as a bundle brings a client: without its trail
            s.execute(AuditEntry.__table__.delete())
    finally:
        db.dispose()
    assert cli("audit", INN) == (0, "Изменений этого заказчика пока не записано.\n", "")
    assert cli("audit", INN, "--json") == (0, "[]\n", "")


def test_a_note_of_two_lines_stays_on_its_change_line(cli):
    """`audit` printed a multi-line note's second line on a line of its own, breaking the one-change-a-line,
    tab-separated form (tester G, 2026-12-05)."""
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    assert cli("clients", "edit", INN, "--notes", "строка1\nстрока2")[0] == 0
    status, out, err = cli("audit", INN)
    assert status == 0, err
    lines = out.splitlines()
    assert len(lines) == 2 and all(line.count("\t") >= 2 for line in lines)
    assert any(line.endswith("строка1 / строка2") for line in lines)
