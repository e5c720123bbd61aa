"""`log delete 143` of one entry said «Записи журнала удалены: № 143 (вернуть их можно …)»; `log restore 143 144`
with 143 live named 143 alone and said nothing of 144 (tester J #8)."""

from __future__ import annotations


def _setup(cli) -> None:
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
        assert cli("log", "add", "7707083893", "--kind", "conference", "--date", day, "--minutes", "60")[0] == 0


def test_one_entry_is_deleted_and_restored_in_the_singular(cli):
    _setup(cli)
    status, out, _err = cli("log", "delete", "1")
    assert status == 0 and out.strip() == "Запись журнала удалена: № 1 (вернуть её можно командой log restore)."
    status, out, _err = cli("log", "restore", "1", "1")
    assert status == 0 and out.strip() == "Запись журнала восстановлена: № 1."
    status, out, _err = cli("log", "delete", "1", "2")
    assert status == 0 and out.strip() == "Записи журнала удалены: № 1, 2 (вернуть их можно командой log restore)."
    status, out, _err = cli("log", "restore", "1", "2")
    assert status == 0 and out.strip() == "Записи журнала восстановлены: № 1, 2."
    status, out, _err = cli("--lang", "en", "log", "delete", "3")
    assert status == 0 and out.strip() == "Work-log entry deleted: No. 3 (log restore brings it back)."


def test_a_restore_with_live_entries_names_them_all_and_says_nothing_came_back(cli):
    _setup(cli)
    assert cli("log", "delete", "3")[0] == 0
    status, _out, err = cli("log", "restore", "1", "2", "3")
    assert status == 2
    assert "Записи журнала работ № 1, 2 не удалены: восстанавливать нечего. Ничего не возвращено." in err
    status, _out, err = cli("log", "restore", "1", "3")
    assert status == 2
    assert "Запись журнала работ № 1 не удалена: восстанавливать нечего. Ничего не возвращено." in err
    status, _out, err = cli("log", "restore", "1")
    assert status == 2 and "Ничего не возвращено" not in err
    assert cli("log", "restore", "3")[0] == 0
