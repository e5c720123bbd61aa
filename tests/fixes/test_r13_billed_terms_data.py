"""An act keeps the terms its billed work keeps (the tariff's first day, the VAT rule of each line) as data, not only
in the printed label: a label reworded or in English reads the same figures; an act issued before, with the label
alone, still reads them from the label."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from app.domain.vat import VatRule

C = "7707083893"


@pytest.fixture
def two_terms(cli, tmp_path):
    """October billed by one act under two tariffs (1 500 ₽/h, 1 800 ₽/h from 15.10) and two VAT rates on top
    (20 %, 22 % from 20.10): its lines print «тариф с …» and «НДС …» in their labels."""
    for argv in (
        ("executor", "set", "--company", "ООО «Внедрение»", "--inn", "7707083893", "--kpp", "770701001",
         "--address", "Москва, ул. Ленина, 1", "--city", "Москва", "--specialist-name", "Иванов И. И.",
         "--specialist-position", "Специалист"),
        ("clients", "add", "--name", "ООО «Ромашка»", "--inn", C, "--approach", "remote",
         "--contract-date", "2026-09-01"),
        ("clients", "edit", C, "--kpp", "770701001"),
        ("billing", "rate", "remote_hour", "1500", "--from", "2026-01-01"),
        ("billing", "rate", "remote_hour", "1800", "--from", "2026-10-15"),
        ("billing", "vat", "on_top", "20", "--from", "2026-01-01"),
        ("billing", "vat", "on_top", "22", "--from", "2026-10-20"),
        ("log", "add", C, "--kind", "conference", "--date", "2026-10-05", "--minutes", "60"),
        ("log", "add", C, "--kind", "conference", "--date", "2026-10-16", "--minutes", "60"),
        ("log", "add", C, "--kind", "conference", "--date", "2026-10-21", "--minutes", "60"),
        ("report", "act", C, "--from", "2026-10-01", "--to", "2026-10-31", "--date", "2026-10-31",
         "-o", str(tmp_path / "act.pdf")),
    ):
        status, _out, err = cli(*argv)
        assert status == 0, err
    return cli


EXPECTED = [(date(2026, 1, 1), Decimal("1500"), Decimal("20")), (date(2026, 10, 15), Decimal("1800"), Decimal("20")),
            (date(2026, 10, 15), Decimal("1800"), Decimal("22"))]


def _rewrite(db, change) -> None:
    """Rewrite the act's stored lines with ``change(line)`` (what another wording, or an older version, left)."""
    from sqlalchemy import select

    from app.persistence.models import Document

    with db.unit() as s:
        doc = s.scalar(select(Document).where(Document.kind == "act"))
        content = json.loads(doc.content)
        for line in content["lines"]:
            change(line)
        doc.content = json.dumps(content, ensure_ascii=False)


def _terms(db) -> list[tuple[date | None, Decimal | None, Decimal | None]]:
    from sqlalchemy import select

    from app.persistence.models import WorkLogEntry
    from app.services.billed_terms import read_terms
    from app.services.tariffs import RateTable

    with db.read() as s:
        rows = s.execute(select(WorkLogEntry.id, WorkLogEntry.billed_by_document_id)
                         .order_by(WorkLogEntry.on_date)).all()
        terms = read_terms(s, [r.billed_by_document_id for r in rows], RateTable(s))
    found = [terms[r.id] for r in rows]
    return [(t.since, t.rate, None if t.vat is None else t.vat.rate) for t in found]


def _english(line: dict) -> None:
    line["label"] = (line["label"].replace("Конференции", "Conferences").replace("тариф с", "rate from")
                     .replace("НДС", "VAT"))


def test_an_act_issued_now_keeps_its_terms_as_data(two_terms, tmp_path):
    from sqlalchemy import select

    from app.config import sqlite_url
    from app.persistence.db import open_database
    from app.persistence.models import Document

    db = open_database(sqlite_url(tmp_path / "cli.sqlite3"))
    try:
        with db.read() as s:
            lines = json.loads(s.scalar(select(Document.content).where(Document.kind == "act")))["lines"]
    finally:
        db.dispose()
    assert [(line.get("since"), (line.get("vat_rule") or {}).get("rate")) for line in lines] == [
        ("2026-01-01", "20.00"), ("2026-10-15", "20.00"), ("2026-10-15", "22.00")]
    assert "тариф с" in lines[0]["label"] and "НДС" in lines[2]["label"]  # the paper is unchanged


def test_a_reworded_label_reads_the_same_figures(two_terms, tmp_path):
    from app.config import sqlite_url
    from app.persistence.db import open_database

    db = open_database(sqlite_url(tmp_path / "cli.sqlite3"))
    try:
        before = _terms(db)
        assert before == EXPECTED
        _rewrite(db, _english)  # the label's wording changed (or English): the figures do not
        assert _terms(db) == EXPECTED
    finally:
        db.dispose()
    # a forced tariff change since: the 1 800 ₽ line's first day cannot be found by its rate any more
    status, _out, err = two_terms("billing", "rate", "remote_hour", "2100", "--from", "2026-10-15", "--force",
                                  "--reason", "Новый прайс")
    assert status == 0, err
    db = open_database(sqlite_url(tmp_path / "cli.sqlite3"))
    try:
        assert _terms(db) == EXPECTED
    finally:
        db.dispose()
    status, out, err = two_terms("log", "list", C, "--json")
    assert status == 0, err
    # 60 min at 1 500 + 20 %, 60 at 1 800 + 20 %, 60 at 1 800 + 22 %: the act's 6 156,00
    assert Decimal(json.loads(out)["totals"]["total"]) == Decimal("1800.00") + Decimal("2160.00") + Decimal("2196.00")


def test_an_act_issued_before_reads_its_terms_from_its_labels(two_terms, tmp_path):
    from app.config import sqlite_url
    from app.persistence.db import open_database

    db = open_database(sqlite_url(tmp_path / "cli.sqlite3"))
    try:
        _rewrite(db, lambda line: (line.pop("since", None), line.pop("vat_rule", None)))
        assert _terms(db) == EXPECTED
    finally:
        db.dispose()
    status, out, err = two_terms("log", "list", C, "--json")
    assert status == 0, err
    assert Decimal(json.loads(out)["totals"]["total"]) == Decimal("6156.00")


def test_the_stored_rule_reads_back_equal_to_the_rule_in_force():
    from app.services.billed_terms import _rule

    rule = _rule({"mode": "on_top", "rate": "22", "basis": "", "from": "2026-10-20"})
    assert rule == VatRule("on_top", Decimal("22"))
    assert rule.valid_from == date(2026, 10, 20)
    assert _rule({"mode": "none", "rate": None, "basis": "п. 2", "from": "вчера"}).valid_from is None
