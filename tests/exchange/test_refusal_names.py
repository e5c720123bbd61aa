"""A damaged record in a bundle is named in words — an entry by its date and kind, a client by its name and ИНН —
not by its UUID, and nothing is imported (the trial of 2026-12-01 met «Запись журнала работ 280d3164-…»)."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import UserError
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput, add_entry
from tests.exchange import helpers as h
from tests.exchange.test_checklist_items import UUID, _rewrite

INN = "7707083893"


@pytest.fixture
def bundle(tmp_path):
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    add_client(a, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 11, 12), minutes=60, note="созвон"))
    export_bundle(a, None, tmp_path / "a.zip")
    a.dispose()
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    yield tmp_path / "a.zip", b
    b.dispose()


@pytest.mark.parametrize(("table", "key", "value", "named"), [
    ("work_log", "minutes", -5, "«12.11.2026 conference»"),
    ("client", "inn", "12345", "«ООО „Ромашка“ 12345»"),  # inner quotes nested
])
def test_a_damaged_record_is_named_in_words(bundle, tmp_path, table, key, value, named):
    good, b = bundle

    def damage(body):
        body["tables"][table][0]["values"][key] = value

    bad = _rewrite(good, tmp_path / "bad.zip", damage)
    before = h.full_dump(b)
    with pytest.raises(UserError) as err:
        import_bundle(b, bad, backup=False)
    assert named in err.value.message and not UUID.search(err.value.message)
    assert h.full_dump(b) == before


LONG = "АО «Байкальский инструментальный завод имени первых пятилеток и всех, кто их выполнил»"


def test_a_long_name_is_named_whole_to_its_closing_quote(tmp_path):
    """A client's name of 87 characters: the refusal cut the label at 36 and lost its «»
    («Заказчик «АО «Байкальский инструментальный за, поле …»); a part past 60 characters ends in «…», the quote
    closes."""
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    add_client(a, ClientInput(name=LONG, inn=INN, approach="remote"))
    export_bundle(a, None, tmp_path / "a.zip")
    a.dispose()
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    try:
        def damage(body):
            body["tables"]["client"][0]["values"]["approach"] = "ufo"

        bad = _rewrite(tmp_path / "a.zip", tmp_path / "bad.zip", damage)
        with pytest.raises(UserError) as err:
            import_bundle(b, bad, backup=False)
        assert "«" + LONG[:59].replace("«", "„") + f"… {INN}»" in err.value.message, err.value.message
        assert "'ufo'" in err.value.message
    finally:
        b.dispose()
