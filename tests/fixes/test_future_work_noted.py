"""`log add … --date 2027-01-01`, a month ahead, was taken without a word while a date before the contract got a note
on stderr (tester J #8). Work dated after today is taken the same way and noted the same way — on stderr, so that
`--json` output stays JSON; the command's exit status stays 0."""

from __future__ import annotations

import json
from datetime import date, timedelta

INN = "7728168971"


def _client(cli) -> None:
    assert cli("clients", "add", "--name", "ООО «Лютик»", "--inn", INN, "--approach", "remote")[0] == 0


def test_log_add_notes_a_day_that_has_not_come(cli):
    _client(cli)
    ahead = date.today() + timedelta(days=27)
    status, out, err = cli("log", "add", INN, "--kind", "conference", "--date", ahead.isoformat(), "--minutes", "60")
    assert status == 0 and "Запись № 1 сохранена" in out, err
    assert err == (f"Обратите внимание: запись № 1 датирована {ahead:%d.%m.%Y} — этот день ещё не наступил "
                   f"(сегодня {date.today():%d.%m.%Y}).\n"), err
    status, out, err = cli("log", "add", INN, "--kind", "conference", "--date", date.today().isoformat(),
                           "--minutes", "60")
    assert status == 0 and err == "", err  # today itself has come


def test_questions_close_notes_it_and_keeps_its_json(cli):
    _client(cli)
    status, out, err = cli("questions", "add", INN, "--channel", "phone", "--text", "Где?")
    assert status == 0, err
    ahead = date.today() + timedelta(days=3)
    status, out, err = cli("questions", "close", out.strip(), "--answer", "Там", "--minutes", "15", "--date",
                           ahead.isoformat(), "--json")
    assert status == 0, err
    assert json.loads(out)["entry_id"] == 1
    assert f"запись № 1 датирована {ahead:%d.%m.%Y} — этот день ещё не наступил" in err, err
