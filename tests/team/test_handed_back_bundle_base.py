"""A client brought in from a manager's bundle while it was a colleague's, then handed to this laptop's person:
its first sync merges against the server's state the bundle carried — no conflict on a field nobody changed here
(the trial of 2026-12-01, 17g finding 3: «ответственный специалист | здесь: Сидоров | на сервере: Иванова»)."""

from __future__ import annotations

import pytest

from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.services.clients import ClientInput, add_client
from app.sync.service import conflict_lines, sync_once
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, sql_rows

pytestmark = pytest.mark.postgres
INN = "5001007329"


def test_a_client_handed_over_after_its_bundle_came_is_no_conflict(entry_pair, server, login_of, tmp_path):
    a, b, ann, boss = entry_pair
    sid = login_of("sid")
    add_user(server, sid, "Сидоров Пётр", "specialist", PASSWORD, manager=boss)
    add_client(server, ClientInput(name="ООО «Передача»", inn=INN, approach="remote", city="Тула"))
    assign_client(server, INN, specialist=sid, manager=boss)
    sync_once(b)  # the manager sees it
    export_bundle(b, [INN], tmp_path / "m.zip")
    import_bundle(a, tmp_path / "m.zip", backup=False)  # ann's laptop holds a colleague's client
    sync_once(a)
    # held as a colleague's client that came in a file, as before (not «handed to someone else»)
    assert [line.kind for line in conflict_lines(a) if "Передача" in line.client] == ["others_client"]
    assign_client(server, INN, specialist=ann)  # the admin hands it to ann
    sync_once(a)
    sync_once(a)
    assert [line for line in conflict_lines(a) if "Передача" in line.client] == []
    assert sql_rows(a, "SELECT specialist_login FROM client WHERE inn = :inn", inn=INN) == [(ann,)]
