"""An act over a period some of whose work other acts billed names those acts (a fresh tester, 2026-12-05: АУ-3
«за период с 01.03.2026 по 31.05.2026» held only April's work, March's and May's being in АУ-1 and АУ-2, and said
nothing of them — the client's accountant received two acts «за март»)."""

from __future__ import annotations

from datetime import date

from app.reports import printing
from app.services import documents as docs
from tests.reports.helpers import ACT_DAY, MARCH, build_world, pdf_text


def _act(db, client_id, start, end):
    return printing.issue(db, docs.prepare_act(db, client_id, start, end, on=ACT_DAY))


def _flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_an_act_names_the_acts_that_billed_part_of_its_period(db):
    world = build_world(db)  # February's conference, and March's three kinds of work
    february = _act(db, world.client_id, date(2026, 2, 1), date(2026, 2, 28))
    assert "вошедшие в акт" not in _flat(february.pdf)  # nothing billed before it
    both = _act(db, world.client_id, date(2026, 2, 1), MARCH[1])
    text = _flat(both.pdf)
    assert f"Работы периода, вошедшие в акт {february.code}, в настоящий акт не включены." in text
    assert "за период с 01.02.2026 по 31.03.2026" in text
    assert printing.reprint(db, both.code)[1] == both.pdf  # the snapshot keeps the sentence


def test_two_earlier_acts_are_named_in_the_order_they_were_issued(db):
    world = build_world(db)
    first = _act(db, world.client_id, date(2026, 2, 1), date(2026, 2, 28))
    second = _act(db, world.client_id, date(2026, 3, 3), date(2026, 3, 4))
    text = _flat(_act(db, world.client_id, date(2026, 2, 1), MARCH[1]).pdf)
    assert f"вошедшие в акты {first.code}, {second.code}, в настоящий акт не включены" in text
