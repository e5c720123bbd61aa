"""A user-added checklist item's rename and deletion travel in bundles, with the team server's rules
(tests/team/test_template_sync.py): a rename is taken, two renames are one conflict with both titles and end in
one title on both laptops, a deletion deletes unless the item was ticked or changed on the other side — then it
comes back — and a deletion already merged never brings the item back."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.persistence.db import open_database
from app.persistence.models import ChecklistState
from app.services.clients import ClientInput, add_client
from app.services.progress import checklist, set_checklist
from app.services.templates import add_checklist_item, delete_checklist_item, rename_checklist_item
from app.sync.service import conflicts
from tests.exchange.test_bundle_versions import carry

INN = "7707083893"
TITLE = "Настроить ЭДО"


@pytest.fixture
def laptops(tmp_path):
    """A added the client and the item «Настроить ЭДО»; B imported A's file."""
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    add_client(a, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    code, _changes = add_checklist_item(a, 2, TITLE)
    carry(a, b, tmp_path / "first.zip")
    yield a, b, code
    a.dispose()
    b.dispose()


def _title(db, code: str) -> str | None:
    return next((i.title for i in checklist(db, INN) if i.code == code), None)


def _states(db, code: str) -> list[tuple[bool, date | None]]:
    with db.read() as s:
        return [(r.done, r.done_on) for r in s.scalars(select(ChecklistState).where(ChecklistState.code == code))]


def _conflicts(db) -> list[tuple]:
    return [(c.table, c.kind, c.field, c.local_value, c.server_value) for c in conflicts(db)]


def test_a_rename_travels_both_ways(laptops):
    a, b, code = laptops
    assert _title(b, code) == TITLE
    rename_checklist_item(a, code, "Настроить ЭДО с Диадоком")
    report = carry(a, b)
    assert _title(b, code) == "Настроить ЭДО с Диадоком"
    assert "  ~ Пункт чек-листа «Настроить ЭДО»: формулировка" in report.lines()  # named as it was here
    rename_checklist_item(b, code, "Настроить ЭДО с Диадоком и СБИС")
    carry(b, a)
    assert _title(a, code) == "Настроить ЭДО с Диадоком и СБИС"
    carry(a, b)  # nothing new: no change, no conflict
    assert _title(b, code) == "Настроить ЭДО с Диадоком и СБИС"
    assert conflicts(a) == conflicts(b) == []


def test_the_same_item_renamed_on_both_laptops_is_one_conflict_and_ends_in_one_title(laptops):
    a, b, code = laptops
    rename_checklist_item(a, code, "Настроить ЭДО с Диадоком")
    rename_checklist_item(b, code, "Настроить ЭДО со СБИС")
    carry(a, b)  # A's file reaches B first: A's title, as the one that reached the server first
    carry(b, a)
    assert _title(a, code) == _title(b, code) == "Настроить ЭДО с Диадоком"
    assert _conflicts(b) == [("checklist_template", "field", "title", "Настроить ЭДО со СБИС",
                              "Настроить ЭДО с Диадоком")]
    assert conflicts(a) == []


def test_a_deletion_travels_and_is_not_undone_by_the_next_file(laptops):
    a, b, code = laptops
    set_checklist(b, INN, [code], False)  # an unticked row on B goes with the item
    delete_checklist_item(a, code)
    report = carry(a, b)
    assert _title(b, code) is None and _states(b, code) == []
    assert "Удалено здесь, как на другом компьютере: 1" in report.lines()
    carry(b, a)  # B's next file does not bring it back
    assert _title(a, code) is None
    add_client(b, ClientInput(name="ООО «Лютик»", inn="7728168971", approach="remote"))
    carry(b, a)
    assert _title(a, code) is None and conflicts(a) == conflicts(b) == []


def test_a_tick_on_the_other_laptop_beats_the_deletion_and_brings_the_item_back(laptops):
    a, b, code = laptops
    set_checklist(b, INN, [code], True, on=date(2026, 3, 2))
    delete_checklist_item(a, code)  # allowed on A: nobody ticked it there
    carry(a, b)
    assert _title(b, code) == TITLE and _states(b, code) == [(True, date(2026, 3, 2))]
    carry(b, a)
    assert _title(a, code) == TITLE and _states(a, code) == [(True, date(2026, 3, 2))]
    carry(a, b)
    assert _title(b, code) == TITLE


def test_a_rename_against_a_deletion_keeps_the_item_on_both(laptops):
    a, b, code = laptops
    rename_checklist_item(b, code, "Настроить ЭДО со СБИС")
    delete_checklist_item(a, code)
    carry(a, b)  # deleted there, changed here: kept
    assert _title(b, code) == "Настроить ЭДО со СБИС"
    assert _conflicts(b) == [("checklist_template", "delete_edit", "", "edited", "deleted")]
    carry(b, a)  # changed there, deleted here: brought back
    assert _title(a, code) == "Настроить ЭДО со СБИС"
    assert _conflicts(a) == [("checklist_template", "edit_delete", "", "deleted", "edited")]


def test_the_same_code_added_again_after_a_deletion_travels_again(laptops):
    a, b, code = laptops
    delete_checklist_item(a, code)
    carry(a, b)
    assert _title(b, code) is None
    add_checklist_item(a, 2, "Настроить ЭДО заново", code=code)
    carry(a, b)
    assert _title(b, code) == "Настроить ЭДО заново"
