"""Issue 17 (trial of 05:15): «Отправлено: N, получено: M» count team-wide records too, as the status line's
pending count does. An administrator with 3 changes waiting (the executor's requisites, a VAT rule, a team setting)
sends 3; a laptop that then takes them from the server receives 3 (before: «Отправлено: 0, получено: 0»); a sync
with nothing new sends and receives 0."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import tariffs
from app.services.documents import update_executor
from app.services.entry_rounding import set_billing_rounding
from app.sync.service import pending_count, sync_once
from tests.team.test_team_wide_rights import laptop, team  # noqa: F401  (laptops of a team with an administrator)

pytestmark = pytest.mark.postgres

DAY = date(2030, 1, 1)


def test_team_wide_records_are_counted_sent_and_received(laptop):  # noqa: F811
    chief = laptop("admin")
    ann = laptop("specialist")
    update_executor(chief, kpp="770701001")
    tariffs.set_vat(chief, "included", "20", DAY)
    set_billing_rounding(chief, 30)
    assert pending_count(chief) == 3
    report = sync_once(chief)
    assert (report.pushed, report.pulled) == (3, 0)
    assert pending_count(chief) == 0
    report = sync_once(ann)
    assert (report.pushed, report.pulled) == (0, 3)
    assert (sync_once(ann).pulled, sync_once(chief).pushed) == (0, 0)
