"""The work-log workbook marks «В акте» from the entry's billed mark; the register shows voided documents as such."""

from __future__ import annotations

import io

from openpyxl import load_workbook


def _rows(path) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True)]


def _in_act(rows: list[list]) -> list:
    column = rows[0].index("В акте")
    return [r[column] for r in rows[1:[r[0] for r in rows].index("Итого")]]


def test_in_act_follows_the_billed_mark_and_voided_acts_never_count(act_setup, tmp_path):
    cli = act_setup
    assert cli("report", "act", "1", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(tmp_path / "a.pdf"))[0] == 0
    # logged after the act, inside its period: not billed
    assert cli("log", "add", "1", "--kind", "conference", "--date", "2026-10-20", "--minutes", "30")[0] == 0
    assert cli("export-xlsx", "worklog", "1", "-o", str(tmp_path / "w1.xlsx"))[0] == 0
    assert _in_act(_rows(tmp_path / "w1.xlsx")) == ["да", "нет"]
    assert cli("documents", "void", "АУ-1/2026", "--reason", "Ошибка")[0] == 0
    assert cli("export-xlsx", "worklog", "1", "-o", str(tmp_path / "w2.xlsx"))[0] == 0
    assert _in_act(_rows(tmp_path / "w2.xlsx")) == ["нет", "нет"]


def test_register_shows_voided_documents_and_leaves_them_out_of_the_total(act_setup, tmp_path):
    cli = act_setup
    assert cli("report", "act", "1", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(tmp_path / "a.pdf"))[0] == 0
    assert cli("documents", "void", "АУ-1/2026", "--reason", "Ошибка")[0] == 0
    assert cli("report", "act", "1", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(tmp_path / "b.pdf"))[0] == 0
    assert cli("export-xlsx", "register", "-o", str(tmp_path / "r.xlsx"))[0] == 0
    rows = _rows(tmp_path / "r.xlsx")
    head = rows[0]
    by_code = {r[0]: r for r in rows[1:-1]}
    voided, live = by_code["АУ-1/2026"], by_code["АУ-2/2026"]
    assert voided[head.index("Статус")] == "аннулирован"
    assert voided[head.index("Причина аннулирования")] == "Ошибка"
    assert live[head.index("Статус")] != "аннулирован"
    money = head.index("Всего по документу, ₽")
    assert voided[money] is None
    assert live[money] == 1375
    assert rows[-1][money] == 1375
