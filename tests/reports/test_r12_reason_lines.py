"""Reasons keep their line breaks on paper (tester P, item 3): a voided act's header, the sign-off sheet's
«Основание приёмки с замечаниями» and the progress report's stage history printed a reason typed as a list as
one run-on sentence. A reason is stored trimmed: edge spaces of each line and blank lines dropped."""

from __future__ import annotations

import io
from datetime import date

import pytest

from app.domain import validation as v
from app.reports import printing
from app.services import documents as docs
from app.services import progress
from tests.reports.helpers import ACT_DAY, ISSUED, MARCH, build_world


def lines_of(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(line.split()) for page in reader.pages for line in (page.extract_text() or "").splitlines()]


def test_a_reason_is_stored_without_edge_spaces_and_blank_lines():
    typed = "\n  Неверный период  \nвторая строка\n\n\n   третья  \n\n"
    assert v.clean_reason(typed, "Причина") == "Неверный период\nвторая строка\nтретья"
    assert v.clean_reason("одна строка ", "Причина") == "одна строка"


def test_a_voided_acts_header_prints_the_reason_line_by_line(db, cli):
    world = build_world(db)
    act = printing.issue(db, docs.prepare(db, "act", world.client_id, on=ACT_DAY, date_from=MARCH[0],
                                          date_to=MARCH[1]))
    docs.void_document(db, act.code, "Неверный период  \n\n  вторая строка\nтретья ")
    row = docs.list_documents(db, kind="act")[0]
    assert row.void_reason == "Неверный период\nвторая строка\nтретья"
    _row, pdf = printing.reprint(db, act.code)
    lines = lines_of(pdf)
    assert any(line.endswith("Причина: Неверный период") for line in lines), lines[:5]
    assert "вторая строка" in lines and "третья" in lines


def test_the_signoff_remarks_reason_prints_line_by_line(db):
    world = build_world(db)
    draft = docs.prepare(db, "signoff", world.client_id, on=ISSUED, stage=2, force=True,
                         reason="Не сделано:\n- инвентаризация\n\n- склады  ")
    lines = lines_of(printing.issue(db, draft).pdf)
    assert "Основание приёмки с замечаниями: Не сделано:" in lines
    assert "- инвентаризация" in lines and "- склады" in lines


def test_the_stage_history_prints_a_reason_line_by_line(db):
    world = build_world(db)
    progress.move_stage(db, world.client_id, 1, reason="Ошибка перевода:\n1) склад <не> готов\n2) нет & всё")
    lines = lines_of(printing.issue(db, docs.prepare(db, "progress", world.client_id, on=date.today())).pdf)
    assert any(line.endswith("Ошибка перевода:") for line in lines), lines
    assert any(line.startswith("1) склад <не> готов") for line in lines)
    assert any(line.startswith("2) нет & всё") for line in lines)


@pytest.mark.parametrize("lines", [3, 200])
def test_a_long_reason_of_many_lines_flows_across_pages(db, lines):
    world = build_world(db)
    text = "\n".join(f"{n}) пункт замечания номер {n}" for n in range(1, lines + 1))
    progress.move_stage(db, world.client_id, 1, reason=text[:2000])
    pdf = printing.issue(db, docs.prepare(db, "progress", world.client_id, on=date.today())).pdf
    got = lines_of(pdf)
    assert any(line.startswith("3) пункт замечания номер 3") for line in got)
