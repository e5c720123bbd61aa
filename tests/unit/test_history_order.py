"""«История изменений» / `audit`: order by arrival, never by a computer's clock; a cut list says so and how to
see it all; documents by their printed number; one form of the author (issue 17 trial, points 5 and 6)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import text

from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client, update_client
from app.team import audit
from app.team.audit import client_history, client_history_lines, client_history_view
from tests.reports.helpers import CLIENT_INN, build_world

INN = "7707083893"


def _renames(db, names) -> int:
    client_id = add_client(db, ClientInput(name="ООО Первое", inn=INN, approach="remote"))
    for name in names:
        update_client(db, client_id, ClientInput(name=name, inn=INN, approach="remote"))
    return client_id


def _names(db) -> list[str]:
    return [e.new or "" for e in client_history(db, INN) if e.field == "name"]


def test_a_clock_a_year_ahead_does_not_put_its_lines_first(db):
    _renames(db, ["ООО Второе", "ООО Третье", "ООО Четвёртое"])
    with db.unit() as s:  # «Второе» was written on a computer whose clock ran a year ahead
        s.execute(text("UPDATE audit_log SET at = :at WHERE new_value = 'ООО Второе'"),
                  {"at": datetime(2027, 11, 30, 12, 0)})
    assert _names(db) == ["ООО Четвёртое", "ООО Третье", "ООО Второе"]  # the order they were written


def test_lines_from_the_server_by_its_versions_and_unsent_ones_on_top(db):
    _renames(db, ["ООО Второе", "ООО Третье", "ООО Четвёртое", "ООО Пятое"])
    with db.unit() as s:
        # «Второе» and «Третье» reached the server in the other order (versions 20 and 10); «Четвёртое» came
        # later (30); «Пятое» has not been sent yet (0) — whatever their clocks say
        for name, version, year in (("ООО Второе", 20, 2020), ("ООО Третье", 10, 2030), ("ООО Четвёртое", 30, 2001)):
            s.execute(text("UPDATE audit_log SET row_version = :v, at = :at WHERE new_value = :n"),
                      {"v": version, "at": datetime(year, 1, 1), "n": name})
    assert _names(db) == ["ООО Пятое", "ООО Четвёртое", "ООО Второе", "ООО Третье"]


def test_a_cut_history_says_how_many_and_how_to_see_all(cli, sqlite_path, monkeypatch):
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        _renames(db, [f"ООО {i}" for i in range(1, 8)])  # 7 changes of the name
    finally:
        db.dispose()
    status, out, _err = cli("audit", INN)
    every = out.splitlines()
    # 7 changes of the name and the client's creation; nothing cut: no note
    assert status == 0 and len(every) == 8 and not every[0].startswith("Показано")
    monkeypatch.setattr(audit, "SHOWN", 3)
    status, out, _err = cli("audit", INN)
    lines = out.splitlines()
    assert status == 0
    assert lines[0] == f"Показано изменений: последние 3 из 8. Все: audit {INN} --all."
    assert lines[1:] == every[:3]
    status, out, _err = cli("audit", INN, "--all")
    assert status == 0 and out.splitlines() == every
    status, out, _err = cli("audit", INN, "--json")  # scripts get every entry
    assert status == 0 and out.count('"action"') == 8


def test_more_than_a_hundred_changes_are_all_listed(db):
    client_id = _renames(db, [f"ООО {i}" for i in range(1, 171)])
    view = client_history_view(db, client_id)
    assert (len(view.lines), view.total, view.cut) == (171, 171, False)  # and the client's creation
    assert view.lines[0].new == "ООО 170" and view.lines[-2].new == "ООО 1"
    assert (view.lines[-1].what, view.lines[-1].new) == ("Заказчик создан", f"ООО Первое, ИНН {INN}")


def test_documents_and_billing_acts_read_as_their_printed_numbers(cli, sqlite_path, tmp_path):
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        build_world(db)
    finally:
        db.dispose()
    status, _out, err = cli("report", "act", CLIENT_INN, "--from", "2026-03-01", "--to", "2026-03-31",
                            "--date", "2026-03-31", "-o", str(tmp_path / "act.pdf"))
    assert status == 0, err
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        lines = client_history_lines(db, CLIENT_INN)
        stored = [e for e in client_history(db, CLIENT_INN) if e.field == "billed_by_document_id"]
        with db.engine.connect() as conn:
            act_uuid = conn.execute(text("SELECT uuid FROM document")).scalar()
    finally:
        db.dispose()
    billed = [line for line in lines if "выставлено актом" in line.what]
    assert len(billed) == 3 and {(line.old, line.new) for line in billed} == {("—", "АУ-1/2026")}
    assert {e.new for e in stored} == {act_uuid}  # the act's UUID, the same on every computer, not a local id
    [issued] = [line for line in lines if line.what == "Акт АУ-1/2026"]  # named by its kind and number
    assert (issued.action, issued.new) == ("добавлено", "АУ-1/2026")
    assert not any(re.search(r"\bact\b", line.text()) for line in lines)


def test_the_author_reads_as_the_members_name_wherever_the_line_came_from(db):
    from app.persistence.models import TeamUser

    _renames(db, ["ООО Второе", "ООО Третье"])
    with db.unit() as s:
        s.add(TeamUser(login="ivanova", full_name="Иванова А. П.", position="Специалист", role="specialist"))
        s.execute(text("UPDATE audit_log SET author = 'ivanova' WHERE new_value = 'ООО Второе'"))
        # sent from a laptop before it joined the team: «login (the laptop's profile name)»
        s.execute(text("UPDATE audit_log SET author = 'ivanova (Аня)' WHERE new_value = 'ООО Третье'"))
    lines = [line for line in client_history_lines(db, INN) if line.what == "Карточка · наименование/ФИО"]
    assert {line.new: line.author for line in lines} == {"ООО Второе": "Иванова А. П.", "ООО Третье": "Иванова А. П."}
    with db.unit() as s:  # a login this computer's roster does not list stays the login (never a guess)
        s.execute(text("UPDATE audit_log SET author = 'petrov' WHERE new_value = 'ООО Третье'"))
    assert {line.new: line.author for line in client_history_lines(db, INN) if line.old} == {
        "ООО Второе": "Иванова А. П.", "ООО Третье": "petrov"}


@pytest.mark.parametrize("shown", [2])
def test_the_cards_tab_says_the_list_is_cut(qtbot, db, monkeypatch, shown):
    from ui.views.audit_history import ClientHistoryView

    client_id = _renames(db, ["ООО Второе", "ООО Третье", "ООО Четвёртое"])
    monkeypatch.setattr(audit, "SHOWN", shown)
    view = ClientHistoryView(db)
    qtbot.addWidget(view)
    view.set_client(client_id)
    view.show()
    qtbot.waitExposed(view)
    assert view.model.rowCount() == shown
    # the window's way to see them all is its «Показать все» (tests/ui/test_history_show_all.py), not a command
    assert view.hint.text() == f"Показано изменений: последние {shown} из 4." and view.show_all.isVisible()
    monkeypatch.setattr(audit, "SHOWN", 5000)
    view.reload()
    assert view.model.rowCount() == 4 and view.hint.text().startswith("Все изменения данных")
