"""A list command with nothing to list says so in one sentence instead of printing nothing (the trials 17d/17e:
`audit`, `team history`, `sync conflicts`, `questions list`, `plan list`, `stage history`, `team mine` gave an
empty screen with exit 0, which reads as a failure); --json keeps an empty list for scripts."""

from __future__ import annotations

import pytest

INN = "7707083893"


@pytest.mark.parametrize(("argv", "said"), [
    (("sync", "conflicts"), "Открытых конфликтов синхронизации нет.\n"),
    (("team", "mine"), "Вам пока не назначено ни одного заказчика.\n"),
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
