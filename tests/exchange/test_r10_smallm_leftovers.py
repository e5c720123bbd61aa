"""Tester M #5: `report … -o` and `export-xlsx … -o` removed a killed writer's leftover ``.part`` without a word,
while README says the write to the same name says so (backup and export did). Every command says it, on stderr in
the same words; stdout stays the command's own."""

from __future__ import annotations

from tests.exchange import helpers as h
from tests.exchange.test_r10_backups import _leftover

SAID = "Удалён незаконченный файл прерванной ранее записи: {path}"
EXECUTOR = ("executor", "set", "--company", "ООО «Исп»", "--inn", "500100732259", "--address", "Москва", "--city",
            "Москва", "--specialist-name", "Н А С", "--specialist-position", "Спец")


def _run(cli, *argv: str) -> tuple[str, str]:
    status, out, err = cli(*argv)
    assert status == 0, err
    return out, err


def test_reports_and_spreadsheets_say_the_leftover_they_removed_on_stderr(cli, tmp_path):
    _run(cli, *EXECUTOR)
    _run(cli, "clients", "add", "--name", "ООО «Ромашка»", "--inn", h.INN_A, "--approach", "remote",
         "--kpp", "770701001")
    _run(cli, "plan", "add", "1", "--kind", "conference", "--start", "2030-01-10 10:00", "--duration", "60")
    folder = tmp_path / "out"
    folder.mkdir()
    report = _leftover(folder, ".r.pdf.k3j4h5g6.part")
    sheet = _leftover(folder, ".p.xlsx.k3j4h5g6.part")
    calendar = _leftover(folder, ".c.ics.k3j4h5g6.part")
    reprint = _leftover(folder, ".again.pdf.k3j4h5g6.part")
    fresh = _leftover(folder, ".r.pdf.abcdefgh.part", age_s=5)  # perhaps a writer at work: left, unsaid

    out, err = _run(cli, "report", "progress", "1", "-o", str(folder / "r.pdf"))
    assert not report.exists() and err.strip().split("\n") == [SAID.format(path=report)]
    assert "Удалён" not in out and fresh.exists()
    out, err = _run(cli, "export-xlsx", "plan", "-o", str(folder / "p.xlsx"))
    assert not sheet.exists() and SAID.format(path=sheet) in err and "Удалён" not in out
    out, err = _run(cli, "export-ics", "-o", str(folder / "c.ics"))
    assert not calendar.exists() and SAID.format(path=calendar) in err and "Удалён" not in out
    code = _run(cli, "documents", "list", "--json")[0].split('"code": "')[1].split('"')[0]
    out, err = _run(cli, "documents", "print", code, "-o", str(folder / "again.pdf"))
    assert not reprint.exists() and SAID.format(path=reprint) in err and "Удалён" not in out


def test_a_write_with_nothing_left_over_says_nothing_of_it(cli, tmp_path):
    _run(cli, "clients", "add", "--name", "ООО «Ромашка»", "--inn", h.INN_A, "--approach", "remote")
    out, err = _run(cli, "export-xlsx", "clients", "-o", str(tmp_path / "c.xlsx"))
    assert "Удалён" not in out + err
