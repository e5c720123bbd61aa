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
