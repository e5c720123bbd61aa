"""app.reports.batch: the month's acts for every client with billable work — one function for `report acts` and
the window; progress n of N, a cancel asked between documents keeps what was issued (issue 11 §3)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from app.errors import UserError
from app.persistence.models import Document, WorkLogEntry
from app.reports.batch import BILLED, ISSUED, issue_month_acts
from app.services import documents as docs
from tests.reports.helpers import CLIENT_NAME, add_remote_client, build_world, clear_executor


@pytest.fixture
def two_clients(db):
    build_world(db)
    other = add_remote_client(db, "ООО «Альфа»", "7736050003", approach="onsite")
    with db.unit() as s:
        s.add(WorkLogEntry(client_id=other, on_date=date(2026, 3, 10), kind="onsite_day", days=Decimal(2), stage=0))
    return other


def test_every_client_gets_its_act_with_progress(db, two_clients, tmp_path):
    seen, lines = [], []
    batch = issue_month_acts(db, "2026-03", tmp_path / "acts", on=date(2026, 3, 31),
                             progress=lambda done, total: seen.append((done, total)), on_line=lines.append)
    assert seen == [(0, 2), (1, 2), (2, 2)] and batch.total == 2 and not batch.cancelled
    assert [(line.client_name, line.outcome, line.code) for line in lines] == [
        ("ООО «Альфа»", ISSUED, "АУ-1/2026"), (CLIENT_NAME, ISSUED, "АУ-2/2026")]
    assert batch.changes.documents and batch.changes.client_ids == {line.client_id for line in lines}
    assert batch.summary() == "Оформлено актов: 2, уже оформлены: 0, пропущено: 0."
    again = issue_month_acts(db, "2026-03", tmp_path / "acts", on=date(2026, 4, 2))
    assert [line.outcome for line in again.lines] == [BILLED, BILLED] and again.issued == 0


def test_a_cancel_stops_before_the_next_client_and_keeps_the_issued_act(db, two_clients, tmp_path):
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1  # the user pressed «Отмена» while the first act was being issued

    batch = issue_month_acts(db, "2026-03", tmp_path / "acts", on=date(2026, 3, 31), cancelled=cancelled)
    assert batch.cancelled and batch.issued == 1 and len(batch.lines) == 1
    assert [r.code for r in docs.list_documents(db)] == ["АУ-1/2026"]
    assert [p.name for p in (tmp_path / "acts").iterdir()] == ["АУ-1-2026 ООО Альфа.pdf"]
    assert batch.summary().endswith("Отменено: не обработано заказчиков: 1 из 2; оформленные акты остаются "
                                    "оформленными и в реестре.")


def test_refusals_before_anything_is_issued(db, two_clients, tmp_path):
    with pytest.raises(UserError, match="Месяц"):
        issue_month_acts(db, "2026-13", tmp_path / "acts")
    clear_executor(db)
    with pytest.raises(UserError, match="реквизиты исполнителя"):
        issue_month_acts(db, "2026-03", tmp_path / "acts")
    assert docs.list_documents(db) == [] and not (tmp_path / "acts").exists()


def test_the_batch_reads_the_tariffs_vat_and_executor_once_and_bills_as_one_act_does(db, two_clients, tmp_path,
                                                                                     monkeypatch):
    """Issue 15: each act of the month's batch read the VAT rules, the tariffs, the rounding step and the
    executor's details again (~5 ms an act); the batch reads them once, and its acts are the acts one by one."""
    import app.services.tariffs as tariffs
    from app.services.documents import act

    made = {"vat": 0, "rates": 0}
    real_vat, real_rates = tariffs.VatTable.__init__, tariffs.RateTable.__init__

    def vat_init(self, s):
        made["vat"] += 1
        real_vat(self, s)

    def rates_init(self, s):
        made["rates"] += 1
        real_rates(self, s)

    alone = {cid: act.prepare(db, cid, on=date(2026, 3, 31), date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
             for cid in (two_clients,)}
    monkeypatch.setattr(tariffs.VatTable, "__init__", vat_init)
    monkeypatch.setattr(tariffs.RateTable, "__init__", rates_init)
    batch = issue_month_acts(db, "2026-03", tmp_path / "acts", on=date(2026, 3, 31))
    assert batch.issued == 2
    assert made == {"vat": 1, "rates": 1}, "read once for the two acts"
    issued = {line.client_id: line for line in batch.lines}
    with db.read() as s:
        content = json.loads(s.query(Document).filter_by(client_id=two_clients).one().content)
    expected = alone[two_clients].content
    for key in ("lines", "total", "vat", "total_due", "executor", "client", "rounding_min"):
        assert content[key] == expected[key], key
    assert issued[two_clients].code == content["code"]
