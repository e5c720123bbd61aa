"""A client switched to the free approach after an act billed its November work: December's transfers no act
billed are free like its time (tester R, round 13, item 1). They were added to «Выставлено актами» (8 701,50 ₽ =
7 381,00 of АУ-1 + 1 320,50 of transfers) and to the xlsx log's «Всего», while `log list` said «Не оплачивается»."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

from tests.fixes.billing_steps import EXECUTOR_NO_VAT, REMOTE_CLIENT, C, run_all

BILLED = Decimal("7381.00")  # 242 min at 1 500 ₽/h = 6 050,00 + VAT 22 % on top 1 331,00


@pytest.fixture
def free_after_act(cli, tmp_path):
    """Four November time entries billed by АУ-1/2026 under VAT 22 % on top; then the free approach; then December:
    two transfers (1 200,00 + 120,50 ₽), a conference and an on-site day, none billed."""
    run_all(cli, EXECUTOR_NO_VAT, *REMOTE_CLIENT,
            ("billing", "rate", "onsite_day", "12000", "--from", "2026-01-01"),
            ("billing", "vat", "on_top", "22", "--from", "2026-01-01"),
            ("stage", "advance", C, "--force", "--reason", "начали"),
            *[("log", "add", C, "--kind", "conference", "--date", f"2026-11-{day:02d}", "--minutes", str(minutes))
              for day, minutes in ((2, 60), (9, 60), (16, 60), (23, 62))],
            ("report", "act", C, "--from", "2026-11-01", "--to", "2026-11-30", "--date", "2026-11-30",
             "-o", str(tmp_path / "act.pdf")),
            ("clients", "edit", C, "--approach", "accompanied"),
            ("log", "add", C, "--kind", "transfer", "--date", "2026-12-01", "--amount", "1200"),
            ("log", "add", C, "--kind", "transfer", "--date", "2026-12-02", "--amount", "120,50"),
            ("log", "add", C, "--kind", "conference", "--date", "2026-12-02", "--minutes", "45"),
            ("log", "add", C, "--kind", "onsite_day", "--date", "2026-12-03", "--days", "1"))
    return cli


def test_log_list_says_only_the_acts_money(free_after_act):
    status, out, err = free_after_act("log", "list", C, "--from", "2026-11-01", "--to", "2026-12-31")
    assert status == 0, err
    assert "Выставлено актами: 7 381,00 ₽; остальное не оплачивается" in out, out  # it said 8 701,50 ₽
    status, out, err = free_after_act("log", "list", C, "--from", "2026-11-01", "--to", "2026-12-31", "--json")
    assert status == 0, err
    assert Decimal(json.loads(out)["totals"]["total"]) == BILLED
    status, out, err = free_after_act("log", "list", C, "--from", "2026-12-01", "--to", "2026-12-31", "--json")
    assert status == 0, err
    assert Decimal(json.loads(out)["totals"]["total"]) == 0  # it said 1 320.50
    status, out, err = free_after_act("log", "list", C, "--from", "2026-12-01", "--to", "2026-12-31")
    assert "Не оплачивается: подход «Сопровождение внедрения (бесплатно)»." in out and "Выставлено" not in out


def _sheet(tmp_path, date_from, date_to):
    from openpyxl import load_workbook

    from app.config import sqlite_url
    from app.persistence.db import open_database
    from app.services.xlsx_export import worklog_xlsx

    db = open_database(sqlite_url(tmp_path / "cli.sqlite3"))
    try:
        sheet = load_workbook(io.BytesIO(worklog_xlsx(db, C, date_from, date_to))).active
    finally:
        db.dispose()
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]


def test_the_xlsx_log_totals_only_the_billed_work(free_after_act, tmp_path):
    from datetime import date

    rows = _sheet(tmp_path, date(2026, 12, 1), date(2026, 12, 31))
    assert {row[1]: row[8] for row in rows if row[1]} == {"Трансфер": 0, "Конференция": 0, "День выезда": 0}
    totals = {row[0]: row[8] for row in rows if not row[1]}
    assert totals["Итого"] == 0 and totals["Всего (с учётом НДС)"] == 0, totals  # «Всего 1 320,5»
    rows = _sheet(tmp_path, date(2026, 11, 1), date(2026, 12, 31))
    assert [row[8] for row in rows if row[1] == "Конференция" and row[9] == "да"] == [1500, 1500, 1500, 1550]
    totals = {row[0]: row[8] for row in rows if not row[1]}
    assert totals["Итого"] == 6050 and totals["Всего (с учётом НДС)"] == 7381, totals  # 8 701,5


def test_the_budget_and_the_progress_report_count_no_free_expense(free_after_act, tmp_path):
    from app.config import sqlite_url
    from app.persistence.db import open_database
    from app.services.budget import budget_summaries
    from app.services.documents import progress

    db = open_database(sqlite_url(tmp_path / "cli.sqlite3"))
    try:
        (budget,) = budget_summaries(db, None).values()
        assert budget.actual_total == Decimal("6050.00")  # the card's «Расчёт и факт», «Требует внимания»: 7 370,50
        assert Decimal(progress.prepare(db, C).content["budget"]["actual_total"]) == Decimal("6050.00")
    finally:
        db.dispose()


def test_the_work_log_window_says_the_acts_money_and_names_the_expenses_column(free_after_act, tmp_path, qtbot):
    from tests.fixes.billing_steps import work_log_summary

    view, text = work_log_summary(tmp_path, qtbot, 8)
    try:
        assert "выставлено актами 7 381,00 ₽; остальное бесплатно" in text, text
        from PySide6.QtCore import Qt

        from ui.models.worklog import WorkLogModel

        # the column of a transfer's cost says so: «Сумма» read as the entry's price (the billed lines had none)
        assert view.model.headerData(WorkLogModel.COL_AMOUNT, Qt.Orientation.Horizontal) == "Расходы"
        view.grab().save("/tmp/r14free-shot.png")
        view.close()
    finally:
        view.db.dispose()
