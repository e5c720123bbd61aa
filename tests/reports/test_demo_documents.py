"""Issue 10, point 8: right after `demo`, every document prints for every paid demo client."""

from __future__ import annotations

from datetime import date

from app.reports import printing
from app.services import documents as docs
from app.services.client_list import list_clients
from app.services.common import today
from app.services.demo import fill_demo
from tests.reports.helpers import pdf_text


def test_every_document_prints_for_every_paid_demo_client(db):
    fill_demo(db)
    clients = [c for c in list_clients(db) if c.approach != "accompanied"]
    assert len(clients) >= 8
    for client in clients:
        drafts = [docs.prepare_estimate(db, client.id), docs.prepare_progress(db, client.id),
                  docs.prepare_act(db, client.id, date(2000, 1, 1), today())]
        if client.stage >= 2:  # a stage has been completed: its sheet signs off cleanly
            drafts.append(docs.prepare_signoff(db, client.id))
        for draft in drafts:
            issued = printing.issue(db, draft)
            text = pdf_text(issued.pdf)
            assert issued.code in text and client.name in text
            if draft.kind == "act":
                assert "НДС не облагается на основании п. 2 ст. 346.11 НК РФ." in text
            if draft.kind == "estimate":
                assert "0,00 USD" not in text


def test_free_demo_clients_print_an_estimate_without_dollars(db):
    fill_demo(db)
    for client in (c for c in list_clients(db) if c.approach == "accompanied"):
        text = pdf_text(printing.issue(db, docs.prepare_estimate(db, client.id)).pdf)
        assert "бесплатно" in text and "USD" not in text
