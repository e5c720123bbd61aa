"""Brief hist17 point 6: a colleague's roster changes pulled from the server («users add», «users edit», «users
disable», «users enable») are records taken like any other: «получено: N» counts each member who is new,
changed or gone on this laptop; a sync that brings no roster change counts none."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.sync.service import sync_once
from app.team.admins import enable_user
from app.team.users import add_user, disable_user, edit_user
from tests.team.conftest import PASSWORD

pytestmark = pytest.mark.postgres


def test_roster_changes_pulled_are_counted_as_received(server, entry_pair, login_of, capsys):
    a, _b, _ann, boss = entry_pair
    assert sync_once(a).pulled == 0
    newbie = login_of("newbie")
    add_user(server, newbie, "Новиков Николай", "specialist", PASSWORD, position="Стажёр", manager=boss)
    edit_user(server, boss, position="Руководитель отдела внедрения")
    report = sync_once(a)
    assert (report.pushed, report.pulled, report.conflicts) == (0, 2, 0)  # one member added, one edited
    disable_user(server, newbie)
    from app.cli import run

    assert run(["--db", str(Path(a.engine.url.database)), "sync"]) == 0
    out = capsys.readouterr().out
    assert "Отправлено: 0, получено: 1, новых конфликтов: 0." in out, out
    enable_user(server, newbie)
    assert sync_once(a).pulled == 1
    assert sync_once(a).pulled == 0  # nothing new: nothing counted
