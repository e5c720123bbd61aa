"""Checklist items through bundles between laptops of one team merge against the version last seen from the
server, as the sync does (issue 17, trial of 05:15): B2 renamed a user-added item, B3 did not — B2's file on B3
takes the rename with no conflict; a laptop that never synced imports an old bundle and its first sync brings
the team's later wording with no conflict for items it never touched; and an entry the file changed is listed
once — under «Конфликты» when both sides changed it, else under «изменено по файлу»."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.models import ChecklistTemplate
from app.services.templates import add_checklist_item, rename_checklist_item
from app.sync.service import conflicts, sync_once

pytestmark = pytest.mark.postgres

EDO, CRM = "s2.edo_setup", "s2.crm_setup"


def _titles(db) -> dict[str, str]:
    with db.read() as s:
        return {t.code: t.title for t in s.scalars(select(ChecklistTemplate)) if t.uuid is not None}


def _open_conflicts(db) -> list[tuple]:
    return [(c.table, c.field, c.local_value, c.server_value) for c in conflicts(db)]


def _carry(src, dst, path):
    export_bundle(src, None, path)
    return import_bundle(dst, path, backup=False).report


def test_a_rename_on_one_team_laptop_is_taken_from_its_bundle_without_a_conflict(server, entry_pair, tmp_path):
    a, b, _ann, _boss = entry_pair
    add_checklist_item(a, 2, "Настроить ЭДО", code=EDO)
    sync_once(a)
    sync_once(b)
    rename_checklist_item(b, EDO, "Настроить ЭДО с Диадоком")  # B2 renames; B3 («a») does not

    report = _carry(b, a, tmp_path / "b2.zip")
    assert report.conflicts == []  # «! Пункт чек-листа … формулировка (здесь …, в файле …)» before
    assert [fields for _label, fields in report.changed] == [("title",)]
    assert _titles(a) == {EDO: "Настроить ЭДО с Диадоком"}
    sync_once(a)
    sync_once(b)
    sync_once(a)
    assert [_titles(db) for db in (server, a, b)] == [{EDO: "Настроить ЭДО с Диадоком"}] * 3
    assert _open_conflicts(a) == _open_conflicts(b) == []


def test_renames_on_both_team_laptops_are_one_conflict_listed_once(server, entry_pair, tmp_path):
    a, b, _ann, _boss = entry_pair
    add_checklist_item(a, 2, "Настроить ЭДО", code=EDO)
    sync_once(a)
    sync_once(b)
    rename_checklist_item(a, EDO, "Настроить ЭДО со СБИС")
    rename_checklist_item(b, EDO, "Настроить ЭДО с Диадоком")

    report = _carry(b, a, tmp_path / "b2.zip")
    assert [(c.field, c.here, c.incoming) for c in report.conflicts] == [
        ("title", "Настроить ЭДО со СБИС", "Настроить ЭДО с Диадоком")]
    assert report.changed == []  # listed under «Конфликты» only, not also under «изменено по файлу»
    lines = report.lines()
    assert sum("Настроить ЭДО" in line for line in lines) == 1


def test_a_laptop_that_never_synced_takes_the_teams_later_wording_at_its_first_sync(server, server_url, entry_pair,
                                                                                    tmp_path):
    from app.persistence.db import open_database
    from app.sync.sync_setup import setup
    from tests.team.conftest import PASSWORD, plain_url

    a, _b, _ann, boss = entry_pair
    add_checklist_item(a, 2, "Настроить ЭДО", code=EDO)
    add_checklist_item(a, 2, "Настроить CRM", code=CRM)
    sync_once(a)
    export_bundle(a, None, tmp_path / "old.zip")  # the old bundle
    rename_checklist_item(a, EDO, "Настроить ЭДО с Диадоком")
    rename_checklist_item(a, CRM, "Настроить CRM и телефонию")
    sync_once(a)  # the team's wording moves on

    n = open_database(f"sqlite:///{tmp_path / 'n.sqlite3'}")
    try:
        import_bundle(n, tmp_path / "old.zip", backup=False)
        assert _titles(n) == {EDO: "Настроить ЭДО", CRM: "Настроить CRM"}
        setup(n, plain_url(server_url, boss), PASSWORD)
        sync_once(n)  # two «формулировка» conflicts for items it never touched, before
        assert _open_conflicts(n) == []
        assert _titles(n) == _titles(server) == {EDO: "Настроить ЭДО с Диадоком", CRM: "Настроить CRM и телефонию"}
    finally:
        n.dispose()


def test_a_card_edited_on_one_team_laptop_is_taken_from_its_bundle_without_a_conflict(server, entry_pair, tmp_path):
    """The same for any record: both laptops last had the client at the same server version; B2 renamed it."""
    from app.persistence.models import Client

    a, b, _ann, _boss = entry_pair
    with b.unit() as s:
        s.scalar(select(Client)).name = "ООО «Ромашка-Б»"
    report = _carry(b, a, tmp_path / "b2.zip")
    assert report.conflicts == []
    assert [fields for _label, fields in report.changed] == [("name",)]
    sync_once(a)
    sync_once(b)
    with server.read() as s:
        assert s.scalar(select(Client.name)) == "ООО «Ромашка-Б»"
    assert _open_conflicts(a) == _open_conflicts(b) == []
    # both renamed it: one conflict, as the sync would record
    with a.unit() as s:
        s.scalar(select(Client)).name = "ООО «Ромашка-А»"
    with b.unit() as s:
        s.scalar(select(Client)).name = "ООО «Ромашка-Б2»"
    report = _carry(b, a, tmp_path / "b2-again.zip")
    assert [(c.field, c.here, c.incoming) for c in report.conflicts] == [
        ("name", "ООО «Ромашка-А»", "ООО «Ромашка-Б2»")]
