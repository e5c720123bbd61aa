"""Issue 17 (last trial): checklist template changes — an item added, renamed, moved, deleted — are lines of
the trail (of no client: the team's history), named «Пункт чек-листа «…»» with old → new."""

from __future__ import annotations

import json

from app.services.templates import (
    add_checklist_item,
    delete_checklist_item,
    move_checklist_item,
    rename_checklist_item,
)
from app.team.audit import team_history_view


def test_item_changes_are_lines_named_by_the_item(db):
    code, _changes = add_checklist_item(db, 2, "Настроить ЭДО")
    rename_checklist_item(db, code, "Настроить ЭДО с Диадоком")
    move_checklist_item(db, code, -1)
    rename_checklist_item(db, "s1.lessons", "Видеоуроки просмотрены")
    gone, _changes = add_checklist_item(db, 2, "Лишний пункт")
    delete_checklist_item(db, gone)
    lines = [line.text().split("\t", 2)[2] for line in team_history_view(db).lines]
    assert lines[:3] == ["удалено\tПункт чек-листа «Лишний пункт»\tЛишний пункт",
                         "добавлено\tПункт чек-листа «Лишний пункт»\tЛишний пункт",
                         "изменено\tПункт чек-листа «Видеоуроки просмотрены» · формулировка\t"
                         "Видеоуроки просмотрены по плану → Видеоуроки просмотрены"]
    assert "изменено\tПункт чек-листа «Настроить ЭДО с Диадоком» · место в списке\t9 → 8" in lines
    assert lines[-2:] == ["изменено\tПункт чек-листа «Настроить ЭДО с Диадоком» · формулировка\t"
                          "Настроить ЭДО → Настроить ЭДО с Диадоком",
                          "добавлено\tПункт чек-листа «Настроить ЭДО с Диадоком»\tНастроить ЭДО"]



def test_team_history_prints_the_item_lines(cli, sqlite_path):
    from app.persistence.db import open_database

    assert cli("team", "profile", "--name", "Иванова Анна")[0] == 0
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        code, _changes = add_checklist_item(db, 2, "Настроить ЭДО")
        rename_checklist_item(db, code, "Настроить ЭДО с Диадоком")
    finally:
        db.dispose()
    status, out, err = cli("team", "history")
    assert (status, err) == (0, "")
    assert [line.split("\t", 1)[1] for line in out.splitlines()][:2] == [
        "Иванова Анна\tизменено\tПункт чек-листа «Настроить ЭДО с Диадоком» · формулировка\t"
        "Настроить ЭДО → Настроить ЭДО с Диадоком",
        "Иванова Анна\tдобавлено\tПункт чек-листа «Настроить ЭДО с Диадоком»\tНастроить ЭДО"]
    status, out, _err = cli("team", "history", "--json")
    assert status == 0 and [e["field"] for e in json.loads(out)][:2] == ["title", ""]
