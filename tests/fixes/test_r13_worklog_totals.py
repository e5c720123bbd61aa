"""The work-log workbook's totals are the act's: «Итого» is the sum of «Сумма, ₽» above it (it held the total with
VAT, 7 381 under lines of 6 050: a fresh tester, round 13), then the VAT and «Всего (с учётом НДС)» rows."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from openpyxl import load_workbook

from tests.reports.helpers import pdf_text


def _rows(path) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True)]


def _act_total(cli, tmp_path) -> str:
    out = tmp_path / "act.pdf"
    status, _out, err = cli("report", "act", "1", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(out))
    assert status == 0, err
    return re.sub(r"\s+", " ", pdf_text(out.read_bytes()))


def _workbook(cli, tmp_path) -> tuple[list, list[list], dict[str, list]]:
    out = tmp_path / "log.xlsx"
    status, _out, err = cli("export-xlsx", "worklog", "1", "--from", "2026-10-01", "--to", "2026-10-31",
                            "-o", str(out))
    assert status == 0, err
    rows = _rows(out)
    money = rows[0].index("Сумма, ₽")
    body = [r for r in rows[1:] if r[1] is not None]  # an entry has its kind; the totals rows have none
    tail = {r[0]: r for r in rows[1 + len(body):]}
    return rows[0], [r[money] for r in body], tail


def test_vat_on_top_net_total_then_vat_then_total_with_vat(act_setup, tmp_path):
    cli = act_setup  # 55 minutes of conference on 05.10.2026 at 1 500 ₽/h
    assert cli("billing", "vat", "on_top", "22", "--from", "2026-01-01")[0] == 0
    assert cli("log", "add", "1", "--kind", "questions", "--date", "2026-10-06", "--minutes", "90")[0] == 0
    head, lines, tail = _workbook(cli, tmp_path)
    money = head.index("Сумма, ₽")
    assert lines == [1375, 2250]
    assert list(tail) == ["Итого", "НДС 22\u00a0%", "Всего (с учётом НДС)"]
    assert tail["Итого"][money] == sum(lines) == 3625  # the column's own sum
    assert Decimal(str(tail["НДС 22\u00a0%"][money])) == Decimal("797.50")
    assert Decimal(str(tail["Всего (с учётом НДС)"][money])) == Decimal("4422.50")
    text = _act_total(cli, tmp_path)  # the same figures as the act of the period
    assert "Итого: 3 625,00" in text and "НДС 22 %: 797,50" in text and "Всего (с учётом НДС): 4 422,50" in text


def test_vat_included_says_in_the_total(act_setup, tmp_path):
    cli = act_setup
    assert cli("billing", "vat", "included", "20", "--from", "2026-01-01")[0] == 0
    head, lines, tail = _workbook(cli, tmp_path)
    money = head.index("Сумма, ₽")
    assert list(tail) == ["Итого", "В том числе НДС 20\u00a0%", "Всего (с учётом НДС)"]
    assert tail["Итого"][money] == sum(lines) == tail["Всего (с учётом НДС)"][money] == 1375
    assert Decimal(str(tail["В том числе НДС 20\u00a0%"][money])) == Decimal("229.17")


def test_without_vat_the_basis_and_a_plain_total(act_setup, tmp_path):
    cli = act_setup
    assert cli("billing", "vat", "none", "--from", "2026-01-01", "--basis", "п. 2 ст. 346.11 НК РФ")[0] == 0
    head, lines, tail = _workbook(cli, tmp_path)
    money, note = head.index("Сумма, ₽"), head.index("Примечание")
    assert list(tail) == ["Итого", "Без налога (НДС)", "Всего"]
    assert tail["Без налога (НДС)"][money] == "—"
    assert tail["Без налога (НДС)"][note] == "НДС не облагается на основании п. 2 ст. 346.11 НК РФ."
    assert tail["Итого"][money] == tail["Всего"][money] == sum(lines) == 1375


def test_the_register_says_its_column_is_the_documents_total(act_setup, tmp_path):
    """The register's «Сумма, ₽» held each act's total with VAT under the same header as the work log's net lines."""
    cli = act_setup
    assert cli("billing", "vat", "on_top", "22", "--from", "2026-01-01")[0] == 0
    _act_total(cli, tmp_path)
    assert cli("export-xlsx", "register", "-o", str(tmp_path / "r.xlsx"))[0] == 0
    rows = _rows(tmp_path / "r.xlsx")
    column = rows[0].index("Всего по документу, ₽")
    assert Decimal(str(rows[1][column])) == Decimal("1677.50") == Decimal(str(rows[-1][column]))  # 1 375 + 22 %
