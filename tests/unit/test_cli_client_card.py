"""`clients show` and `clients edit`: a client added as the README adds it (no КПП) gets its КПП, the act asks for,
from the command line — only the fields given change, the rest of the card and its people stay, refusals are the
ones of `clients add` and write nothing, and the audit trail records the change."""

from __future__ import annotations

import json
from datetime import date

import pytest

INN = "7707083893"
OTHER_INN = "7728168971"


@pytest.fixture
def client(cli, sqlite_path):
    """ООО «Ромашка» as the README adds it, with the rest of the card filled in through the service (the window's
    card): a contract, a signer, notes, a contact and an employee — what `clients edit` has to keep."""
    from app.persistence.db import open_database
    from app.services.clients import PersonInput, get_client, update_client

    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote") == (0, "1\n", "")
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        card = get_client(db, INN).data
        card.contract_no, card.contract_date, card.program_version = "12/24", date(2024, 7, 1), "5.2"
        card.manager, card.city, card.address = "Петрова Е. В.", "Москва", "ул. Ленина, 1"
        card.signer_name, card.signer_position, card.notes = "Иванов И. И.", "Директор", "Склад\nс 1 июля"
        card.contacts = [PersonInput(name="Сидоров С. С.", position="Главный инженер", phone="+7 495 123-45-67",
                                     email="s@example.ru")]
        card.employees = [PersonInput(name="Кузнецова А. А.", department="Склад")]
        update_client(db, 1, card)
    finally:
        db.dispose()
    return INN


def _card(cli, ref=INN) -> dict:
    status, out, err = cli("clients", "show", ref, "--json")
    assert (status, err) == (0, "")
    return json.loads(out)


def _audit(cli) -> list[dict]:
    status, out, _err = cli("audit", INN, "--json")
    assert status == 0
    return json.loads(out)


def test_show_prints_the_card_in_russian(cli, client):
    status, out, err = cli("clients", "show", client)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Заказчик № 1"
    for line in ("Наименование: ООО «Ромашка»", f"ИНН: {INN}", "КПП: —", "Подход: Удалённые конференции",
                 "№ договора: 12/24", "Дата договора: 01.07.2024", "Версия программы: 5.2", "Менеджер: Петрова Е. В.",
                 "Город: Москва", "Адрес: ул. Ленина, 1", "Подписант: Иванов И. И.", "Должность подписанта: Директор",
                 "Примечания: Склад / с 1 июля", "Контактные лица:",
                 "  Сидоров С. С., Главный инженер, +7 495 123-45-67, s@example.ru", "Сотрудники:",
                 "  Кузнецова А. А., Склад"):
        assert line in lines, line
    assert any(line.startswith("Этап: 0 «Новый», с ") for line in lines)
    assert "remote" not in out  # the approach by name; --json keeps the code
    assert cli("clients", "show", "1")[1] == out  # by id as by ИНН


def test_show_json_keeps_codes_iso_dates_and_people(cli, client):
    card = _card(cli)
    assert {k: card[k] for k in ("id", "name", "inn", "kpp", "approach", "contract_no", "contract_date",
                                 "program_version", "manager", "city", "signer_name", "notes", "stage")} == {
        "id": 1, "name": "ООО «Ромашка»", "inn": INN, "kpp": "", "approach": "remote", "contract_no": "12/24",
        "contract_date": "2024-07-01", "program_version": "5.2", "manager": "Петрова Е. В.", "city": "Москва",
        "signer_name": "Иванов И. И.", "notes": "Склад\nс 1 июля", "stage": 0}
    assert [c["name"] for c in card["contacts"]] == ["Сидоров С. С."]
    assert card["employees"][0]["department"] == "Склад"


def test_show_of_an_unknown_client_is_refused(cli, client):
    status, out, err = cli("clients", "show", "5")
    assert status == 2 and out == "" and err.strip() and "Traceback" not in err


def test_edit_of_the_kpp_changes_it_alone_and_says_so(cli, client):
    before = _card(cli)
    status, out, err = cli("clients", "edit", client, "--kpp", "770701001")
    assert (status, out, err) == (0, "КПП: — → 770701001\n", "")
    after = _card(cli)
    assert after == {**before, "kpp": "770701001"}  # contacts and employees (with their UUIDs) too


def test_edit_of_several_fields_says_each_change_in_card_order(cli, client):
    status, out, _err = cli("clients", "edit", client, "--contract-date", "2024-08-15", "--kpp", "770701001",
                            "--approach", "onsite")
    assert status == 0
    assert out.splitlines() == ["КПП: — → 770701001", "Подход: Удалённые конференции → Выездное внедрение",
                                "Дата договора: 01.07.2024 → 15.08.2024"]
    card = _card(cli)
    assert (card["kpp"], card["approach"], card["contract_date"]) == ("770701001", "onsite", "2024-08-15")


def test_an_empty_value_clears_an_optional_field(cli, client):
    assert cli("clients", "edit", client, "--kpp", "770701001")[0] == 0
    status, out, _err = cli("clients", "edit", client, "--kpp", "", "--contract-date", "", "--manager", "")
    assert status == 0
    assert out.splitlines() == ["КПП: 770701001 → —", "Дата договора: 01.07.2024 → —", "Менеджер: Петрова Е. В. → —"]
    card = _card(cli)
    assert (card["kpp"], card["contract_date"], card["manager"]) == ("", None, "")
    assert card["contacts"] and card["employees"]


def test_the_same_values_change_nothing(cli, client):
    before = _audit(cli)
    status, out, _err = cli("clients", "edit", client, "--city", "Москва", "--inn", "7707 083 893")
    assert (status, out) == (0, "Ничего не изменилось: в карточке уже эти значения.\n")
    assert _audit(cli) == before


def test_the_values_are_stored_normalised(cli, client):
    status, out, _err = cli("clients", "edit", client, "--kpp", " ７７０７０１００１ ", "--city", "  Тверь ")
    assert status == 0 and out.splitlines() == ["КПП: — → 770701001", "Город: Москва → Тверь"]


def test_no_option_is_refused_in_russian(cli, client):
    status, out, err = cli("clients", "edit", client)
    assert (status, out) == (2, "")
    assert "Укажите хотя бы одно поле" in err and "--kpp" in err


@pytest.mark.parametrize(("argv", "said"), [
    (("--kpp", "12"), "КПП должен содержать 9 знаков"),
    (("--inn", "7707083894"), None),
    (("--contract-date", "2024-13-01"), "неверная дата"),
    (("--approach", "somehow"), None),
    (("--name", "  "), None),
])
def test_invalid_values_are_refused_as_clients_add_refuses_them_and_nothing_is_written(cli, client, argv, said):
    option, value = argv
    options = {"--name": "ООО «Лютик»", "--inn": OTHER_INN, "--approach": "remote", option: value}
    add = ["clients", "add", *(text for pair in options.items() for text in pair)]  # says the same, writes nothing
    added = cli(*add)
    before, trail = _card(cli), _audit(cli)
    status, out, err = cli("clients", "edit", client, "--city", "Тверь", *argv)
    assert (status, out) == (2, "")
    assert err == added[2] and added[0] == 2
    if said:
        assert said in err
    assert "Traceback" not in err
    assert _card(cli) == before and _audit(cli) == trail  # not even the valid --city


def test_the_inn_of_another_client_is_refused(cli, client):
    assert cli("clients", "add", "--name", "ООО «Лютик»", "--inn", OTHER_INN, "--approach", "onsite")[0] == 0
    before = _card(cli)
    status, out, err = cli("clients", "edit", client, "--inn", OTHER_INN, "--kpp", "770701001")
    assert (status, out) == (2, "")
    assert err == f"Заказчик с ИНН {OTHER_INN} уже есть: «ООО „Лютик“» (№ 2).\n"  # as `clients add` says it
    assert cli("clients", "add", "--name", "ООО «Ещё»", "--inn", OTHER_INN, "--approach", "remote")[2] == err
    assert _card(cli) == before


def test_a_new_inn_is_judged_with_the_stored_kpp(cli, client):
    """An individual entrepreneur's 12-digit ИНН with the organisation's КПП left from before is refused (the card's
    rule, judged with the stored КПП); both together pass."""
    assert cli("clients", "edit", client, "--kpp", "770701001")[0] == 0
    status, _out, err = cli("clients", "edit", client, "--inn", "500100732259")
    assert status == 2 and "КПП" in err
    status, out, _err = cli("clients", "edit", client, "--inn", "500100732259", "--kpp", "")
    assert status == 0 and out.splitlines() == [f"ИНН: {INN} → 500100732259", "КПП: 770701001 → —"]
    assert _card(cli, "500100732259")["id"] == 1


def test_the_audit_trail_records_the_edit(cli, client):
    before = _audit(cli)
    assert cli("clients", "edit", client, "--kpp", "770701001", "--contract-no", "12/24-A")[0] == 0
    after = _audit(cli)
    assert after[len(after) - len(before):] == before  # newest first: the edit's lines on top
    changed = {e["field"]: (e["table"], e["action"], e["old"] or "", e["new"])
               for e in after[:len(after) - len(before)]}
    assert changed == {"kpp": ("client", "update", "", "770701001"),
                       "contract_no": ("client", "update", "12/24", "12/24-A")}
    status, out, _err = cli("audit", INN)
    assert status == 0 and "770701001" in out


def test_the_english_interface(cli, client):
    status, out, _err = cli("--lang", "en", "clients", "show", client)
    assert status == 0 and "Client No. 1" in out and "KPP: —" in out and "Approach: Remote conferences" in out
    status, out, _err = cli("--lang", "en", "clients", "edit", client, "--kpp", "770701001")
    assert (status, out) == (0, "KPP: — → 770701001\n")
    status, out, _err = cli("--lang", "en", "clients", "edit", client, "--kpp", "770701001")
    assert (status, out) == (0, "Nothing changed: the card already has these values.\n")
    status, _out, err = cli("--lang", "en", "clients", "edit", client)
    assert status == 2 and "Name at least one field" in err


def test_help_names_show_and_edit(capsys):
    from app.cli import run

    with pytest.raises(SystemExit):
        run(["--help"])
    assert "добавить, список, карточка, исправить, импорт, удалить" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit):
        run(["clients", "edit", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--kpp" in out and "--signer-name" in out and "КПП: 9 знаков" in out


def test_a_refused_act_names_the_command_that_fills_in_the_kpp(cli, client):
    """The act a client without КПП cannot have says, on the command line, how to give it."""
    from app.errors import UserError
    from app.persistence.models import Client
    from app.services.documents.common import check_client_requisites

    with pytest.raises(UserError) as refused:
        check_client_requisites(Client(id=1, name="ООО «Ромашка»", inn=INN, kpp=""))
    assert refused.value.cli_hint == f"Команда: clients edit {INN} --kpp КПП"
