"""Issue 17 (brief fix17a point 3): a refused change of team-wide data names the field that changed and both
values in words — the executor's city «Санкт-Петербург» here against «Москва» on the server, not the company's
name on both sides («здесь: ООО «Исполнитель» на сервере: ООО «Исполнитель»»); `sync conflicts --json` keeps
the codes (the field's column, the stored values). A new record refused keeps its one summary (a tariff's rate)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.services.documents import get_executor, update_executor
from app.sync.service import conflict_lines, conflicts, resolve_conflict, sync_once
from app.team.audit import team_history_view
from tests.team.test_team_wide_rights import laptop, team  # noqa: F401  (laptops of a team with an administrator)

pytestmark = pytest.mark.postgres


def _lower(server, login: str) -> None:
    with server.engine.begin() as conn:  # the team made the administrator a manager meanwhile
        conn.execute(text("UPDATE team_user SET role = 'manager' WHERE login = :login"), {"login": login})


def test_a_refused_change_of_the_requisites_names_the_field_and_both_values(laptop, team, server):  # noqa: F811
    chief = laptop("admin")
    update_executor(chief, company="ООО «Исполнитель»", city="Москва")
    sync_once(chief)
    update_executor(chief, city="Санкт-Петербург", kpp="780101001")  # offline, two fields
    _lower(server, team["admin"])
    sync_once(chief)
    found = sorted((c.table, c.record_uuid, c.kind, c.field, c.local_value, c.server_value, c.kept)
                   for c in conflicts(chief))
    assert found == [("executor", "executor", "refused", "city", "Санкт-Петербург", "Москва", "server"),
                     ("executor", "executor", "refused", "kpp", "780101001", "", "server")]
    assert sorted(line.text().split("\t", 1)[1] for line in conflict_lines(chief)) == [
        "—\tРеквизиты исполнителя · КПП исполнителя: сервер команды не принял изменение с этого ноутбука — его вносит только "
        "администратор команды; восстановлено значение сервера\tздесь: 780101001\tна сервере: —\tоставлено: с сервера",
        "—\tРеквизиты исполнителя · город составления документов: сервер команды не принял изменение с этого ноутбука — его вносит только "
        "администратор команды; восстановлено значение сервера\tздесь: Санкт-Петербург\tна сервере: Москва\t"
        "оставлено: с сервера"]
    assert get_executor(chief).city == "Москва"  # the server's values are back here
    for conflict in conflicts(chief):  # the only choice: the server's value, in effect already
        resolve_conflict(chief, conflict.id, keep="server", strict=True)
    assert conflicts(chief) == []
    # the team's trail never claims the refused value, here or on the server
    for db in (chief, server):
        assert not any("Санкт-Петербург" in line.text() for line in team_history_view(db).lines), db


def test_a_refused_change_of_an_existing_tariff_names_its_rate(laptop, team, server):  # noqa: F811
    from datetime import date

    from app.services import tariffs

    chief = laptop("admin")
    tariffs.set_tariff(chief, "remote_hour", "1500", date(2030, 1, 1))
    sync_once(chief)
    tariffs.set_tariff(chief, "remote_hour", "1560", date(2030, 1, 1))  # the same tariff, a new rate
    _lower(server, team["admin"])
    sync_once(chief)
    assert [(c.field, c.local_value, c.server_value) for c in conflicts(chief)] == [("rate", "1560.00", "1500.00")]
    [line] = conflict_lines(chief)
    assert line.text().split("\t")[2:] == [
        "Тариф «удалённый час» с 01.01.2030 · ставка: сервер команды не принял изменение с этого ноутбука — его "
        "вносит только администратор команды; восстановлено значение сервера", "здесь: 1 560,00 ₽",
        "на сервере: 1 500,00 ₽", "оставлено: с сервера"]
