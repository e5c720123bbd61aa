"""Issue 17 (last trial): a bundle's import report names a tick by its item's title, never by its code
(«Отметка чек-листа «Настроить ЭДО»», not «s2.custom_c1f9918e96») — a user-added item's title comes from the
template here or from the file's own item rows."""

from __future__ import annotations

from datetime import date

from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client
from app.services.progress import set_checklist
from tests.exchange.test_bundle_versions import carry

INN = "7707083893"


def test_a_tick_changed_in_the_file_is_named_by_its_items_title(tmp_path):
    from app.services.templates import add_checklist_item

    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    try:
        add_client(a, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
        code, _changes = add_checklist_item(a, 2, "Настроить ЭДО")
        set_checklist(a, INN, [code, "s1.lessons"], True, on=date(2026, 3, 2))
        carry(a, b, tmp_path / "1.zip")
        set_checklist(a, INN, [code, "s1.lessons"], False)
        lines = carry(a, b, tmp_path / "2.zip").lines()
        assert "  ~ Отметка чек-листа «Настроить ЭДО» — ООО «Ромашка»: выполнено, дата выполнения" in lines, lines
        assert "  ~ Отметка чек-листа «Видеоуроки просмотрены по плану» — ООО «Ромашка»: выполнено, дата " \
               "выполнения" in lines, lines
        assert not any(code in line or "s1.lessons" in line for line in lines), lines
    finally:
        a.dispose()
        b.dispose()
