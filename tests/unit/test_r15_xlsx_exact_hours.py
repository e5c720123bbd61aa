"""The work log's workbook: «К оплате, ч» holds the exact hours (minutes / 60) shown to two places, and «Итого» the
exact sum, so that Excel's SUM of the column is the total (tester T, 2026-12-06: 3×55 min + 90 min read
0,92 + 0,92 + 0,92 + 1,5 = 4,26 in Excel under «Итого» 4,25). Money stays exact kopecks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.services.xlsx_export import MONEY_FORMAT, NUMBER_FORMAT

INN = "7707083893"
HEADERS = ["Дата", "Вид работ", "Этап", "Время, мин", "К оплате, мин", "К оплате, ч", "Дни", "Расходы, ₽",
           "Сумма, ₽", "В акте", "Примечание"]


def _column(sheet, header: str) -> int:
    return [c.value for c in sheet[1]].index(header) + 1


def test_billed_hours_are_exact_and_the_total_is_their_sum(cli, tmp_path):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    for day, minutes in (("2026-03-02", "55"), ("2026-03-03", "55"), ("2026-03-04", "55"), ("2026-03-05", "90")):
        assert cli("log", "add", INN, "--kind", "conference", "--date", day, "--minutes", minutes)[0] == 0
    target = tmp_path / "log.xlsx"
    status, _out, err = cli("export-xlsx", "worklog", INN, "--from", "2026-03-01", "--to", "2026-03-31",
                            "-o", str(target))
    assert (status, err) == (0, "")
    sheet = load_workbook(target).active
    assert [c.value for c in sheet[1]] == HEADERS
    total_row = [sheet.cell(row=r, column=1).value for r in range(1, sheet.max_row + 1)].index("Итого") + 1
    body = range(2, total_row)
    hours = _column(sheet, "К оплате, ч")
    cells = [sheet.cell(row=r, column=hours) for r in body]
    assert [c.value for c in cells] == pytest.approx([55 / 60, 55 / 60, 55 / 60, 1.5], abs=1e-12)
    assert {c.number_format for c in cells} == {NUMBER_FORMAT}  # shown «0,92», holding 0,91666…
    total = sheet.cell(row=total_row, column=hours)
    assert total.number_format == NUMBER_FORMAT
    assert total.value == pytest.approx(sum(c.value for c in cells), abs=1e-9)  # Excel's SUM of the column
    assert round(total.value, 2) == 4.25
    # the column is as wide as its two-place figures, not as «0.9166666666666666»
    assert sheet.column_dimensions["F"].width <= len("К оплате, ч") + 2
    # every other figure column with a total: the total is the sum of its cells, money to the kopeck
    for header in ("Время, мин", "К оплате, мин", "Сумма, ₽"):
        column = _column(sheet, header)
        values = [sheet.cell(row=r, column=column).value for r in body]
        assert Decimal(str(sheet.cell(row=total_row, column=column).value)) == sum(
            (Decimal(str(v)) for v in values), Decimal(0)), header
    money = _column(sheet, "Сумма, ₽")
    assert [sheet.cell(row=r, column=money).value for r in body] == [1375, 1375, 1375, 2250]
    assert sheet.cell(row=total_row, column=money).value == 6375
    assert sheet.cell(row=total_row, column=money).number_format == MONEY_FORMAT
