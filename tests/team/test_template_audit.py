"""Issue 17 (last trial): a checklist item added, renamed, moved or deleted is an audit line («Пункт чек-листа
«…»»), on a laptop and through the team server: the server takes a member's lines of a user-added item (any
member may make those changes there), every laptop reads them; a list's order stays the laptop's own, as does
the line saying so."""

from __future__ import annotations

import pytest

from app.services.templates import (
    add_checklist_item,
    delete_checklist_item,
    move_checklist_item,
    rename_checklist_item,
)
from app.sync.service import sync_once
from app.team.audit import team_history_view

pytestmark = pytest.mark.postgres


def _lines(db) -> list[str]:
    """The team's history without the time: author, action, what, change."""
    return [line.text().split("\t", 1)[1] for line in team_history_view(db).lines]


def test_a_specialists_item_changes_reach_the_server_and_the_other_laptop(server, entry_pair):
    a, b, _ann, _boss = entry_pair
    code, _changes = add_checklist_item(a, 2, "Настроить ЭДО")
    rename_checklist_item(a, code, "Настроить ЭДО с Диадоком")
    move_checklist_item(a, code, -1)
    gone, _changes = add_checklist_item(a, 2, "Лишний пункт")
    delete_checklist_item(a, gone)
    here = _lines(a)
    # a move by one place changes two places, a deletion none (the re-trial: lines for every shipped item)
    assert len([line for line in here if "место в списке" in line]) == 2, here
    assert here[:2] == ["Иванова Анна\tудалено\tПункт чек-листа «Лишний пункт»\tЛишний пункт",
                        "Иванова Анна\tдобавлено\tПункт чек-листа «Лишний пункт»\tЛишний пункт"]
    assert "Иванова Анна\tизменено\tПункт чек-листа «Настроить ЭДО с Диадоком» · место в списке\t9 → 8" in here
    sync_once(a)  # the server takes a member's lines of a user-added item (its policy before: admins only)
    sync_once(b)
    shared = ["Иванова Анна\tудалено\tПункт чек-листа «Лишний пункт»\tЛишний пункт",
              "Иванова Анна\tдобавлено\tПункт чек-листа «Лишний пункт»\tЛишний пункт",
              "Иванова Анна\tизменено\tПункт чек-листа «Настроить ЭДО с Диадоком» · формулировка\t"
              "Настроить ЭДО → Настроить ЭДО с Диадоком",
              "Иванова Анна\tдобавлено\tПункт чек-листа «Настроить ЭДО с Диадоком»\tНастроить ЭДО"]
    for db in (server, b):
        assert _lines(db) == shared, _lines(db)  # the order of a's list is a's own: not sent
    assert _lines(a)[:len(shared)] != [] and all(line in _lines(a) for line in shared)


def test_a_shipped_items_wording_on_a_laptop_is_a_line_that_stays_there(server, entry_pair):
    a, b, _ann, _boss = entry_pair
    rename_checklist_item(a, "s1.lessons", "Видеоуроки просмотрены")
    assert _lines(a) == ["Иванова Анна\tизменено\tПункт чек-листа «Видеоуроки просмотрены» · формулировка\t"
                         "Видеоуроки просмотрены по плану → Видеоуроки просмотрены"]
    sync_once(a)  # a shipped item never travels, nor does the line about it (and the sync still passes)
    sync_once(b)
    assert _lines(server) == [] and _lines(b) == []
