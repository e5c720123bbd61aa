"""Commands that change something say so in one Russian line; `attention` says when nothing needs it."""

from __future__ import annotations


def _says(result, *words: str) -> None:
    status, out, err = result
    assert status == 0, err
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, out
    for word in words:
        assert word in lines[0], lines[0]


def test_executor_set_confirms(cli):
    _says(cli("executor", "set", "--company", "ООО «Исп»"), "Реквизиты исполнителя сохранены")


def test_log_delete_and_restore_confirm(act_setup):
    cli = act_setup
    _says(cli("log", "delete", "1"), "Запись журнала удалена", "№ 1")  # one entry: the singular
    _says(cli("log", "restore", "1"), "Запись журнала восстановлена", "№ 1")


def test_plan_cancel_confirms(act_setup):
    cli = act_setup
    assert cli("plan", "add", "1", "--kind", "conference", "--start", "2026-12-10 10:00", "--duration", "60")[0] == 0
    _says(cli("plan", "cancel", "1"), "Событие № 1 отменено")


def test_documents_returned_confirms(act_setup, tmp_path):
    cli = act_setup
    assert cli("report", "act", "1", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(tmp_path / "a.pdf"))[0] == 0
    from app.services.common import today

    day = today()
    _says(cli("documents", "returned", "АУ-1/2026", "--date", day.isoformat()), "АУ-1/2026",
          f"возвращён {day:%d.%m.%Y}")
    _says(cli("documents", "returned", "АУ-1/2026", "--clear"), "АУ-1/2026", "снята")


def test_billing_vat_confirms_in_words(cli):
    _says(cli("billing", "vat", "on_top", "20", "--from", "2026-01-01"), "НДС с 01.01.2026", "сверху", "20 %")
    _status, out, _err = cli("billing", "vat", "on_top", "20", "--from", "2026-01-01")
    assert "on_top" not in out


def test_exports_confirm(act_setup, tmp_path):
    cli = act_setup
    _says(cli("export-xlsx", "worklog", "1", "-o", str(tmp_path / "w.xlsx")), "Сохранено", "w.xlsx")
    status, _out, err = cli("export-ics", "-o", str(tmp_path / "none.ics"))  # no event: nothing saved, said so
    assert status == 2 and "Событий для календаря нет" in err and not (tmp_path / "none.ics").exists()
    assert cli("plan", "add", "1", "--kind", "call", "--start", "2026-03-12 10:00", "--duration", "30")[0] == 0
    _says(cli("export-ics", "-o", str(tmp_path / "p.ics")), "Сохранено", "p.ics")


def test_attention_with_nothing_says_so(cli):
    _says(cli("attention"), "Ничего не требует внимания.")
