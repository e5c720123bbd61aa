"""People by name where people are shown (trial of issue 17, finding 10): `stage history` printed the move's login
(«ivanova»), `team assign` «Специалист: ivanova; менеджер: petrova.». Now both name people as `audit` does, on the
server and on a laptop (its copy of the roster); `--json` keeps the login as stored. Commands about accounts
(`users disable|enable`) name «Иванова Анна (ivanova)»: tests/team/test_member_small_refusals.py and
tests/team/test_users_enable.py."""

from __future__ import annotations

import json
import re

import pytest

from app.cli import run
from app.services.progress import advance
from tests.team.conftest import member_url

pytestmark = pytest.mark.postgres
INN = "7707083893"


def _out(capsys, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    status = run(list(argv))
    return status, capsys.readouterr().out


def test_stage_history_names_who_moved_the_client(entry_pair, capsys):
    a, _b, ann, _boss = entry_pair
    advance(a, INN, force=True, reason="договорились")
    path = a.engine.url.database
    status, out = _out(capsys, "--db", path, "stage", "history", INN)
    assert status == 0 and "Иванова Анна" in out and ann not in out
    assert re.match(r"\d\d\.\d\d\.\d{4} \d\d:\d\d  0 → 1  Иванова Анна  договорились$", out.strip())  # not ISO
    status, out = _out(capsys, "--db", path, "stage", "history", INN, "--json")
    [move] = json.loads(out)
    assert status == 0 and (move["who"], move["who_name"]) == (ann, "Иванова Анна")


def test_team_assign_says_who_by_name_online_and_on_a_laptop(server_url, entry_pair, capsys):
    _a, b, ann, boss = entry_pair
    expected = "Специалист: Иванова Анна; менеджер: Петрова Мария.\n"
    assert _out(capsys, "--database-url", member_url(server_url, boss), "team", "assign", INN,
                "--specialist", ann) == (0, expected)
    assert _out(capsys, "--db", b.engine.url.database, "team", "assign", INN, "--specialist", ann) == (0, expected)
