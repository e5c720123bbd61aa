"""`clients delete CLIENT` (issue 17, fix17b #3): a command-line user can follow a sync conflict's advice «удалите
его на этом ноутбуке» — by ИНН or id, asking nothing; refused in one Russian sentence with exit 2, nothing
changed."""

from __future__ import annotations

import json

from app.persistence.db import open_database
from tests.unit.test_cli import dump


def _add(cli, name: str, inn: str) -> int:
    status, out, err = cli("clients", "add", "--name", name, "--inn", inn, "--approach", "remote")
    assert (status, err) == (0, "")
    return int(out.strip())


def _names(cli) -> list[str]:
    return [c["name"] for c in json.loads(cli("clients", "list", "--json")[1])]


def test_a_client_is_deleted_by_inn_or_by_id_with_its_records(cli, sqlite_path):
    _add(cli, "ООО «Ромашка»", "7707083893")
    lily = _add(cli, "ООО «Лилия»", "7736050003")
    assert cli("log", "add", "7707083893", "--kind", "conference", "--minutes", "30", "--date", "2026-03-02")[0] == 0

    assert cli("clients", "delete", "7707083893") == (0, "Заказчик «ООО „Ромашка“» удалён вместе с его записями.\n",
                                                      "")
    assert _names(cli) == ["ООО «Лилия»"]
    assert cli("clients", "delete", str(lily))[:2] == (0, "Заказчик «ООО „Лилия“» удалён вместе с его записями.\n")
    assert _names(cli) == []
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM work_log").scalar() == 0
    finally:
        db.dispose()


def test_an_unknown_client_is_refused_in_one_sentence_and_nothing_changes(cli, sqlite_path):
    _add(cli, "ООО «Ромашка»", "7707083893")
    before = dump(sqlite_path)
    assert cli("clients", "delete", "7736050003") == (
        2, "", "Заказчик «7736050003» не найден (укажите его номер или ИНН).\n")
    assert dump(sqlite_path) == before
