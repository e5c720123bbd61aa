"""A client card's small refusals and spellings, as tester G found them (2026-12-05)."""

from __future__ import annotations

import json


def _card(cli, ref="7707083893") -> dict:
    status, out, err = cli("clients", "show", ref, "--json")
    assert status == 0, err
    return json.loads(out)


def _add(cli) -> None:
    status, _out, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893",
                            "--approach", "remote")
    assert status == 0, err


def test_a_kpp_typed_on_a_russian_keyboard_is_the_latin_one(cli):
    _add(cli)
    status, _out, err = cli("clients", "edit", "7707083893", "--kpp", "7707АВ001")  # Cyrillic А, В
    assert status == 0, err
    assert _card(cli)["kpp"] == "7707AB001"
    status, _out, err = cli("clients", "edit", "7707083893", "--kpp", "7707ДЖ001")  # no Latin look-alike
    assert status == 2 and "латинские" in err


def test_a_duplicate_inn_is_named_as_stored(cli):
    _add(cli)
    assert cli("clients", "add", "--name", "Вторая", "--inn", "7728168971", "--approach", "remote")[0] == 0
    for argv in (("clients", "add", "--name", "Другая", "--inn", "７７０７０８３８９３", "--approach", "remote"),
                 ("clients", "edit", "2", "--inn", "７７０７０８３８９３")):
        status, _out, err = cli(*argv)
        assert status == 2 and "ИНН 7707083893 уже есть" in err and "７" not in err, err


def test_names_keep_single_spaces(cli):
    _add(cli)
    status, _out, err = cli("clients", "edit", "7707083893", "--signer-name", "  Иванов   Иван  ",
                            "--name", "ООО  «Ромашка»")
    assert status == 0, err
    card = _card(cli)
    assert (card["signer_name"], card["name"]) == ("Иванов Иван", "ООО «Ромашка»")


def test_a_contract_dated_far_ahead_is_refused(cli):
    _add(cli)
    status, _out, err = cli("clients", "edit", "7707083893", "--contract-date", "2099-01-01")
    assert status == 2 and "01.01.2099" in err and "подписания" in err
    assert _card(cli)["contract_date"] is None
