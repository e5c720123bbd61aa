"""A code named twice is said once, and a lesson whose title starts with its section does not repeat it (a fresh
tester, 2026-12-05: «Отмечены просмотренными уроки: L01, L01, L02.»; «L04 «Схема запуска и управления заказом»:
«Схема запуска и управления заказом»: путь заказа по отделам»)."""

from __future__ import annotations


def test_codes_named_twice_are_said_once_and_lesson_titles_do_not_repeat_their_section(cli):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    status, out, _err = cli("lessons", "done", "7707083893", "L01", "L01", "L02")
    assert status == 0 and out.strip() == "Отмечены просмотренными уроки: L01, L02."
    status, out, _err = cli("checklist", "done", "7707083893", "s1.lessons", "s1.lessons")
    assert status == 0 and out.count("s1.lessons") == 1
    for line in cli("lessons", "show", "7707083893")[1].splitlines():
        parts = line.split(None, 3)[-1].split(": ")
        assert len(parts) < 2 or not parts[1].startswith(parts[0]), line


def test_restoring_an_entry_that_is_not_deleted_says_so(cli):
    """`log restore 1` of a live entry billed by an act said «выставлена актом АУ-1/2026: сначала аннулируйте
    акт» (a fresh tester, 2026-12-05); of any live entry it now says there is nothing to restore."""
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    entry = cli("log", "add", "7707083893", "--kind", "conference", "--date", "2026-03-02", "--minutes", "60")[1]
    number = "".join(ch for ch in entry if ch.isdigit())[:1] or "1"
    status, _out, err = cli("log", "restore", number)
    assert status == 2 and "не удалена: восстанавливать нечего" in err and "аннулируйте" not in err
    assert cli("log", "delete", number)[0] == 0 and cli("log", "restore", number)[0] == 0


def test_a_channel_typed_in_russian_is_known_in_the_english_interface(cli):
    """`--lang en questions add … --channel телефон` was refused while the Russian interface took it (a fresh
    tester, 2026-12-05)."""
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    assert cli("--lang", "en", "questions", "add", "7707083893", "--channel", "phone", "--text", "Где?")[0] == 0
    for lang in ("en", "ru"):  # Russian last: the language stays for the tests after
        status, _out, err = cli("--lang", lang, "questions", "add", "7707083893", "--channel", "телефон",
                                "--text", "Где отчёт?")
        assert status == 0, err
