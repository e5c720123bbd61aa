"""Figures never wrap inside in the printed documents (testers, 2026-12-05): the progress report printed
«15,93 (15 ч 56 / мин)» in its «Фактически» cell, and an act's money columns wrapped sums in the billions. Every
money column of the act, the estimate, the stage sign-off sheet and the progress report holds
99 999 999 999,99 on one line; the hours with their minutes stay on one line. Checked in the PDF's text (pypdf):
a figure broken across two lines of a cell comes out on two text lines."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest

from app.reports import render
from app.services import documents as docs
from tests.reports.helpers import ACT_DAY, ISSUED, MARCH, build_world

BIG = "99999999999.99"  # the widest sum the documents promise to hold on one line
BIG_TEXT = "99 999 999 999,99"
LINE = "1234567890.12"
LINE_TEXT = "1 234 567 890,12"


def pdf_lines(pdf: bytes) -> list[str]:
    """The text lines of every page (pypdf), non-breaking spaces read as spaces."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return [re.sub(r"[ \u00a0\u202f]+", " ", line).strip() for line in text.splitlines()]


def on_one_line(pdf: bytes, figure: str) -> bool:
    return any(figure in line for line in pdf_lines(pdf))


def _billions(content: dict) -> dict:
    """The content of a drafted document with sums in the billions in every money column."""
    for line in content["lines"]:
        line.update(rate=BIG, amount=LINE)
    content["lines"][-1]["amount"] = BIG
    content["total"] = BIG
    content["total_due"] = BIG
    for part in content.get("vat") or []:
        part["amount"] = BIG
    return content


def test_the_hours_and_minutes_of_the_progress_report_stay_on_one_line(act_setup, tmp_path):
    cli = act_setup  # 55 minutes on 05.10.2026
    assert cli("log", "add", "1", "--kind", "questions", "--date", "2026-10-06", "--minutes", "901")[0] == 0
    out = tmp_path / "progress.pdf"
    status, _out, err = cli("report", "progress", "1", "-o", str(out))
    assert status == 0, err
    assert on_one_line(out.read_bytes(), "15,93 (15 ч 56 мин)")


def test_hours_and_minutes_are_joined_by_non_breaking_spaces():
    from app.reports import text as t

    assert t.hours_minutes(956) == "15\u00a0ч\u00a056\u00a0мин"
    assert t.hours_minutes(60) == "1\u00a0ч" and t.hours_minutes(5) == "5\u00a0мин"


@pytest.mark.parametrize("kind", ["act", "estimate", "signoff"])
def test_sums_in_the_billions_stay_on_one_line_in_every_money_column(db, kind):
    world = build_world(db)
    docs.update_executor(db, vat_rate=Decimal("20"))  # the VAT line is a money row too
    options = {"act": {"date_from": MARCH[0], "date_to": MARCH[1], "on": ACT_DAY},
               "estimate": {"on": ISSUED},
               "signoff": {"stage": 2, "force": True, "reason": "по письму", "on": ISSUED}}[kind]
    draft = docs.prepare(db, kind, world.client_id, **options)
    content = dict(draft.content, code="X-1/2026")
    if kind == "signoff":
        content["spent"] = _billions(content["spent"])
    else:
        content = _billions(content)
    pdf = render(content)
    lines = pdf_lines(pdf)
    assert sum(BIG_TEXT in line for line in lines) >= 4, lines  # the prices, the last line, the totals
    assert on_one_line(pdf, LINE_TEXT)
    assert not any(line.endswith(("999", "890")) for line in lines), lines  # no sum cut after a group


def test_the_progress_report_holds_billions_and_their_deviation_on_one_line(db):
    world = build_world(db)
    draft = docs.prepare(db, "progress", world.client_id, on=ISSUED)
    content = dict(draft.content, code="X-1/2026")
    content["budget"].update(planned_total="1.00", actual_total=BIG)
    pdf = render(content)
    assert on_one_line(pdf, BIG_TEXT) and on_one_line(pdf, "+99 999 999 998,99")


def _texts(flowable) -> list[str]:
    """Every paragraph's text in a story (tables and kept-together groups opened)."""
    if isinstance(flowable, list | tuple):
        return [text for item in flowable for text in _texts(item)]
    plain = getattr(flowable, "_plain", None)
    if plain is not None:
        return [plain[0]]
    if hasattr(flowable, "_cellvalues"):
        return _texts(flowable._cellvalues)
    if hasattr(flowable, "_content"):
        return _texts(flowable._content)
    text = getattr(flowable, "text", None)
    return [text] if isinstance(text, str) else []


@pytest.mark.parametrize("kind", ["act", "estimate", "signoff", "progress"])
def test_no_document_breaks_between_a_number_and_its_unit(db, kind):
    """The neighbours: «(23 дн.)», «76 %», «300,00 USD», «за 1 USD» could break as the hours did."""
    from app.reports.documents import BUILDERS

    world = build_world(db)
    options = {"act": {"date_from": MARCH[0], "date_to": MARCH[1], "on": ACT_DAY},
               "estimate": {"on": ISSUED}, "progress": {"on": ISSUED},
               "signoff": {"stage": 2, "force": True, "reason": "по письму", "on": ISSUED}}[kind]
    content = dict(docs.prepare(db, kind, world.client_id, **options).content, code="X-1/2026")
    story, _title = BUILDERS[kind](content)
    texts = _texts(story)
    assert any(re.search(r"\d\u00a0(ч|мин|дн\.|%|USD|руб\.)", text) for text in texts)
    broken = [text for text in texts if re.search(r"\d (ч|мин|дн\.|%|USD|руб\.)(?!\w)", text)]
    assert not broken
