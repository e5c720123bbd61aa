"""Work an act in force billed keeps that act's figures after the client is switched to the free approach
(«Сопровождение внедрения»): the work log's totals, the card's «Расчёт и факт», the progress report, the stage sheet
and the xlsx log priced it 0."""

from __future__ import annotations

import io
import json
from datetime import datetime
from decimal import Decimal

import pytest

from tests.fixes.billing_steps import (
    EXECUTOR_NO_VAT,
    REMOTE_CLIENT,
    STAGE_1_BILLED,
    C,
    act_of_march,
    run_all,
    work_log_summary,
)

BILLED = Decimal("2125.00")  # 55 + 30 min at 25,00 ₽ a minute (1 500 ₽/h), no VAT


@pytest.fixture
def turned_free(cli, tmp_path):
    """A remote client at stage 1: 55 and 30 minutes billed by АУ-1/2026, a later hour not billed; then the client
    moves on to stage 2 and is switched to the free approach."""
    run_all(cli, EXECUTOR_NO_VAT, *REMOTE_CLIENT, *STAGE_1_BILLED, act_of_march(tmp_path),
            ("log", "add", C, "--kind", "conference", "--date", "2026-04-02", "--minutes", "60", "--stage", "1"),
            ("stage", "advance", C, "--force", "--reason", "дальше"),
            ("clients", "edit", C, "--approach", "accompanied"))
    return cli


def test_the_log_keeps_the_acts_money_after_the_client_became_free(turned_free):
    status, out, err = turned_free("log", "list", C, "--json")
    assert status == 0, err
    assert Decimal(json.loads(out)["totals"]["total"]) == BILLED  # it said 0.00
    status, out, err = turned_free("log", "list", C)
    assert status == 0, err
    assert "Выставлено актами: 2 125,00 ₽; остальное не оплачивается" in out


def test_the_budget_the_progress_report_and_the_xlsx_log_keep_it(turned_free, tmp_path):
    from openpyxl import load_workbook

    from app.config import sqlite_url
    from app.persistence.db import open_database
    from app.services.budget import budget_summaries
    from app.services.documents import progress
    from app.services.xlsx_export import worklog_xlsx

    db = open_database(sqlite_url(tmp_path / "cli.sqlite3"))
    try:
        (budget,) = budget_summaries(db, None).values()
        assert budget.actual_total == BILLED  # the card's «Расчёт и факт», «Требует внимания»
        assert Decimal(progress.prepare(db, C).content["budget"]["actual_total"]) == BILLED
        sheet = load_workbook(io.BytesIO(worklog_xlsx(db, C))).active
    finally:
        db.dispose()
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    money = {str(row[0])[:10]: row[8] for row in rows if isinstance(row[0], datetime)}  # the entries' rows
    assert money == {"2026-03-02": 1375, "2026-03-05": 750, "2026-04-02": 0}
    totals = {row[0]: row[8] for row in rows if not isinstance(row[0], datetime)}  # «Итого», the VAT rows
    assert (totals["Итого"], totals["Всего"]) == (2125, 2125)


def test_the_stage_sheet_of_a_free_client_names_the_billed_work(turned_free, tmp_path):
    status, _out, err = turned_free("report", "signoff", C, "--stage", "1", "--with-remarks", "--reason", "уроки позже",
                                   "-o", str(tmp_path / "s.pdf"))
    assert status == 0, err
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "s.pdf").pages)
    assert "Затраты времени и стоимость работ по этапу" in text and "2 125,00" in text


def test_the_work_log_window_says_the_billed_money(turned_free, tmp_path, qtbot):
    view, text = work_log_summary(tmp_path, qtbot, 3)
    try:
        assert "выставлено актами 2 125,00 ₽; остальное бесплатно" in text, text
        view.grab().save(str(tmp_path / "r13bill-shot.png"))
        view.close()
    finally:
        view.db.dispose()
