"""A list command with nothing to list says so in one sentence instead of printing nothing (the trials 17d/17e:
`audit`, `team history`, `sync conflicts`, `questions list`, `plan list`, `stage history`, `team mine` gave an
empty screen with exit 0, which reads as a failure); --json keeps an empty list for scripts."""

from __future__ import annotations

import pytest

INN = "7707083893"


@pytest.mark.parametrize(("argv", "said"), [
    (("sync", "conflicts"), "Открытых конфликтов синхронизации нет.\n"),
    (("team", "mine"), "Этот компьютер не входит в команду, поэтому заказчиков вам здесь никто не назначает (и "
                       "заказчиков в нём пока нет); чтобы подключиться к команде: «sync setup --database-url …».\n"),
    (("team", "history"), "Изменений общих данных (тарифы, НДС, реквизиты исполнителя, настройки) пока нет; этот "
                          "компьютер не входит в команду.\n"),
    (("questions", "list"), "Вопросов нет.\n"),
    (("questions", "list", "--status", "open"), "Вопросов по этим условиям нет.\n"),
    (("plan", "list"), "Запланированных событий нет.\n"),
    (("plan", "list", "--status", "done"), "Событий по этим условиям нет.\n"),
    (("plan", "list", "--agenda"), "Просрочено:\n  ничего\nСегодня:\n  ничего\nНа неделе:\n  ничего\n"),
])
def test_nothing_to_list_is_a_sentence(cli, argv, said):
    assert cli(*argv) == (0, said, "")


def test_a_client_that_never_moved_says_so_and_json_stays_a_list(cli):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    assert cli("stage", "history", INN) == (0, "Переходов между этапами у заказчика пока не было.\n", "")
    assert cli("stage", "history", INN, "--json") == (0, "[]\n", "")
    assert cli("questions", "list", INN, "--json") == (0, "[]\n", "")


def test_a_team_laptop_with_nothing_to_list_speaks_of_the_team(cli, sqlite_path):
    """The trial 17g: a laptop outside any team heard «Вам пока не назначено ни одного заказчика»; a laptop joined
    to a team (a login) still hears the team's words."""
    from app.persistence.db import open_database
    from app.persistence.models import Setting
    from app.team.users import LOGIN_KEY

    assert cli("sync", "conflicts") == (0, "Открытых конфликтов синхронизации нет.\n", "")
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.unit() as s:
            s.add(Setting(key=LOGIN_KEY, value="ivanova"))
    finally:
        db.dispose()
    assert cli("team", "mine") == (0, "Вам пока не назначено ни одного заказчика.\n", "")
    assert cli("team", "history") == (0, "Изменений общих данных команды пока нет.\n", "")


def test_team_mine_outside_a_team_lists_every_client_and_says_why(cli):
    """The trial 17h: with clients, `team mine` outside a team listed them with no word about the team."""
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    status, out, err = cli("team", "mine")
    assert status == 0 and out.endswith(f"\t{INN}\tООО «Ромашка»\n")
    assert err == ("Этот компьютер не входит в команду: здесь никто не назначает заказчиков, все его заказчики — "
                   "ваши; чтобы войти в команду: «sync setup --database-url …».\n")
    status, out, err = cli("team", "mine", "--json")
    assert status == 0 and out.startswith("[") and err == ""
