"""What «История изменений» and `audit` say: a client's creation is a line («Заказчик создан» with the name and
ИНН), and every tick line names its item — also when the tick's record was replaced at a sync by the other
laptop's tick of the same item."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.services.clients import ClientInput
from app.team.audit import client_history_lines

INN = "7707083893"
CLIENT = ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote")
ITEM = "Видеоуроки просмотрены по плану"  # s1.lessons


def test_a_client_created_is_in_the_trail_with_its_name_and_inn(cli, tmp_path):
    assert cli("team", "profile", "--name", "Иванова А. П.")[0] == 0
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote") == (0, "1\n", "")
    status, out, err = cli("audit", INN)
    assert (status, err) == (0, "")
    assert out.splitlines()[-1].split("\t")[1:] == ["Иванова А. П.", "добавлено", "Заказчик создан",
                                                    "ООО «Ромашка», ИНН 7707083893"]
    created = [e for e in json.loads(cli("audit", INN, "--json")[1]) if e["table"] == "client"]
    assert [(e["action"], e["field"], e["new"], e["author"]) for e in created] == [
        ("insert", "", "7707083893 ООО «Ромашка»", "Иванова А. П.")]


def test_clients_imported_from_a_file_are_created_in_the_trail_too(cli, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("name;inn;approach\nООО «Берёзка»;7736207543;remote\nООО «Ромашка»;7707083893;onsite\n",
                    encoding="utf-8")
    assert cli("clients", "import", str(path))[0] == 0
    for inn, name in (("7736207543", "ООО «Берёзка»"), (INN, "ООО «Ромашка»")):
        status, out, _err = cli("audit", inn)
        assert status == 0 and out.count("Заказчик создан") == 1
        assert out.rstrip("\n").endswith(f"\tдобавлено\tЗаказчик создан\t{name}, ИНН {inn}")


def test_a_tick_line_names_its_item(cli):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    for action in ("done", "undo", "done"):
        assert cli("checklist", action, INN, "s1.lessons")[0] == 0
    lines = [line for line in cli("audit", INN)[1].splitlines() if "Чек-лист" in line]
    assert len(lines) == 5  # tick (added), untick (done, day), tick again (done, day)
    assert all(f"({ITEM})" in line for line in lines), lines


@pytest.mark.postgres
def test_tick_lines_name_their_item_after_the_other_laptops_tick_replaced_the_record(server, two_worlds):
    """A and B tick s1.lessons offline; at the sync B's record takes A's UUID (met by its natural key), so B's own
    lines point at a record no computer has. They still name the item, on both laptops and on the server, as
    they do after a bundle exchange."""
    from app.services.progress import set_checklist

    worlds = two_worlds(CLIENT)
    for a, b in (worlds.team, worlds.usb):
        set_checklist(a, INN, ["s1.lessons"], True, on=date(2026, 3, 2))
        set_checklist(b, INN, ["s1.lessons"], True, on=date(2026, 3, 2))
    worlds.exchange()
    from app.sync.service import sync_once

    sync_once(worlds.team[1])  # B's audit lines reach the server, then A
    sync_once(worlds.team[0])
    for db in (server, *worlds.team, *worlds.usb):
        ticks = [line for line in client_history_lines(db, INN) if line.what.startswith("Чек-лист")]
        # «Чек-лист (…)», and «Чек-лист · дата выполнения (…)» for a tick dated another day: each names the item
        assert ticks and all(line.what.endswith(f"({ITEM})") for line in ticks), [t.text() for t in ticks]
        assert any(line.what == f"Чек-лист ({ITEM})" for line in ticks), [t.text() for t in ticks]
    on_server = [line for line in client_history_lines(server, INN) if line.what.startswith("Чек-лист")]
    assert {line.author for line in on_server} == {"Иванова Анна", "Петрова Мария"}  # both laptops' ticks


@pytest.mark.postgres
def test_a_member_creating_clients_on_the_server_gets_their_lines(server, server_url, login_of, tmp_path):
    """The lines of a client created in the same transaction are written after its rows: the server's
    row-level security lets a member write (and read back) a line of a client only once the client is there —
    by the card (with contacts) and by the CSV import's bulk insert alike."""
    from app.persistence.db import open_database
    from app.services.clients import PersonInput, add_client
    from app.services.importing import import_clients
    from app.team.users import add_user
    from tests.team.conftest import PASSWORD, member_url

    ann = login_of("ann")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист")
    db = open_database(member_url(server_url, ann))
    try:
        add_client(db, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote",
                                   contacts=[PersonInput(name="Иванов Иван", phone="+7 900 000-00-01")]))
        path = tmp_path / "clients.csv"
        path.write_text("name;inn;approach\nООО «Берёзка»;7736207543;remote\n", encoding="utf-8")
        import_clients(db, path)
        for inn, name in ((INN, "ООО «Ромашка»"), ("7736207543", "ООО «Берёзка»")):
            lines = client_history_lines(db, inn)
            assert (lines[-1].author, lines[-1].what, lines[-1].new) == (
                "Иванова Анна", "Заказчик создан", f"{name}, ИНН {inn}")
        assert [line.what for line in client_history_lines(db, INN)] == ["Контакт (Иванов Иван)", "Заказчик создан"]
    finally:
        db.dispose()
