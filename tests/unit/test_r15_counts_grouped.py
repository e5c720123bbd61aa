"""Counts the user reads are grouped as the rest of the program writes them (app.i18n.format_number): «5 000»,
never «5000» (tester T, 2026-12-06: «Ничего не импортировано: ошибки в 5000 строках.» beside «5 000 заказчиков из
файла уже есть»)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.exchange.restore_loss import RestoreLoss
from app.persistence.damaged import counted
from app.reports.batch import SKIPPED, ActsBatch, BatchLine
from app.services.import_refusals import clients_refused, rows_refused
from app.sync.status import LAST_ERROR_KEY, LAST_KIND_KEY, _state_line, conflicts_part
from app.team.audit import HistoryView

SP = " "  # format_number's group separator in Russian (tests/ui/test_count_text.py)


def _inn(n: int) -> str:
    body = f"77{n:07d}"
    check = sum(int(d) * w for d, w in zip(body, (2, 4, 10, 3, 5, 9, 4, 6, 8), strict=True)) % 11 % 10
    return f"{body}{check}"


def test_an_import_refused_for_thousands_of_rows_groups_the_count():
    assert rows_refused(5000) == f"Ничего не импортировано: ошибки в 5{SP}000 строках."
    assert clients_refused(5000, 0) == rows_refused(5000)
    assert clients_refused(1001, 2000) == (f"Ничего не импортировано: ошибки в 1{SP}001 строке; 2{SP}000 заказчиков "
                                           "из файла уже есть.")


def test_the_cli_import_says_thousands_added_updated_and_refused_grouped(cli, tmp_path):
    rows = ["Наименование;ИНН;Подход"] + [f"ООО «Фирма {i}»;{_inn(i)};remote" for i in range(1, 1201)]
    good = tmp_path / "good.csv"
    good.write_text("\n".join(rows) + "\n", encoding="utf-8")
    status, out, err = cli("clients", "import", str(good))
    assert (status, err) == (0, "")
    assert f"Импортировано заказчиков: 1{SP}200." in out
    changed = tmp_path / "changed.csv"
    changed.write_text(good.read_text(encoding="utf-8").replace(";remote", ";onsite"), encoding="utf-8")
    status, out, _err = cli("clients", "import", "--update", str(changed))
    assert status == 0 and f"Обновлено заказчиков: 1{SP}200." in out
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(["Наименование;ИНН;Подход"] + [f"ООО «Б {i}»;123;remote" for i in range(1500)]) + "\n",
                   encoding="utf-8")
    status, _out, err = cli("clients", "import", str(bad))
    assert status == 2  # the count grouped; a row's number («Строка 1500») names a line, as line numbers are written
    assert err.splitlines()[0] == f"Ничего не импортировано: ошибки в 1{SP}500 строках."


def test_damaged_values_and_broken_references_counts_are_grouped():
    assert counted(1500, ["x"]) == (f"1{SP}000+", ["x", "… и другие."])
    assert counted(999, ["x"])[0] == "999"


def test_restore_loss_counts_are_grouped():
    loss = RestoreLoss(Path("b.sqlite3"), None, False, clients=[f"К{i}" for i in range(1200)], other=3400)
    text = "\n".join(loss.lines())
    assert f"(1{SP}200)" in text and f"ещё 1{SP}190" in text and f": 3{SP}400" in text
    assert "1200" not in text and "3400" not in text


def test_the_month_batch_summary_groups_its_counts():
    lines = [BatchLine(i, 2500, i, f"К{i}", SKIPPED, reason="нет работ") for i in range(1, 1101)]
    batch = ActsBatch(date(2026, 11, 1), date(2026, 11, 30), 2500, lines, cancelled=True)
    text = batch.summary()
    assert f"пропущено: 1{SP}100" in text and f"1{SP}400 из 2{SP}500" in text


def test_sync_status_and_audit_cut_group_their_counts():
    line = _state_line({LAST_ERROR_KEY: "x", LAST_KIND_KEY: "offline"}, 12345)
    assert f"(12{SP}345)" in line
    assert conflicts_part(1500) == f"конфликтов: 1{SP}500"
    view = HistoryView([object()] * 5000, 6200)  # type: ignore[list-item]
    assert view.cut_note() == f"Показано изменений: последние 5{SP}000 из 6{SP}200."
