"""Issue 13, kind 1: the client list's search box finds what Russian users type (through the service rows
and app.domain.normalize, as the window does)."""

from __future__ import annotations

import pytest

from app.services.client_list import list_clients
from app.services.clients import ClientInput, PersonInput, add_client
from ui.models.client_filter import ClientFilter, ClientFilterProxy
from ui.models.client_roles import ClientRole
from ui.models.clients import ClientTableModel


@pytest.fixture
def proxy(qtbot, db):
    add_client(db, ClientInput(name="ООО «Зелёный сад»", inn="7707083893", approach="remote",
                               contacts=[PersonInput("Фёдоров Пётр", phone="8 (495) 123-45-67")]))
    add_client(db, ClientInput(name="АО «Берёзка»", inn="7736207543", approach="onsite"))
    add_client(db, ClientInput(name="ООО «Ромашка»", inn="5405467530", approach="remote"))
    model = ClientTableModel()
    model.set_rows(list_clients(db))
    p = ClientFilterProxy()
    p.setSourceModel(model)
    p._keep = model  # the proxy does not own its source
    return p


def names(proxy, text: str) -> list[str]:
    proxy.set_filter(ClientFilter(text=text))
    return sorted(proxy.index(r, 0).data(ClientRole.SUMMARY).name for r in range(proxy.rowCount()))


@pytest.mark.parametrize("text,expected", [
    ("зеленый", ["ООО «Зелёный сад»"]),
    ("березка", ["АО «Берёзка»"]),
    ("федоров", ["ООО «Зелёный сад»"]),
    ("петр", ["ООО «Зелёный сад»"]),
    ("«Зеленый  Сад»", ["ООО «Зелёный сад»"]),
    ("+7 495 123-45-67", ["ООО «Зелёный сад»"]),
    ("84951234567", ["ООО «Зелёный сад»"]),
    ("7707 083 893", ["ООО «Зелёный сад»"]),
    ("ооо", ["ООО «Зелёный сад»", "ООО «Ромашка»"]),
])
def test_search_box_finds_what_people_type(proxy, text, expected):
    assert names(proxy, text) == expected
