"""`--help` says what a command really does: the actions a group lists, the values an option takes, the range of
a stage argument, and where a reason is kept — checked over every command, in Russian."""

from __future__ import annotations

import argparse
import re

import pytest

from app import i18n


def _arguments():
    """(command path, argparse action, the group's help of that command) for every argument of every command."""
    from app.cli import build_parser

    i18n.set_language("ru")
    found = []

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, (*path, name))
            elif action.dest != "help":
                found.append((" ".join(path), action))

    walk(build_parser(), ())
    return found


def _groups():
    """(command, its help, the names of its actions) for every command that has actions."""
    from app.cli import build_parser

    i18n.set_language("ru")
    found = []

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...], text: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {c.dest: c.help for c in action._choices_actions}
                if path:
                    found.append((" ".join(path), text, set(action.choices)))
                for name, sub in action.choices.items():
                    walk(sub, (*path, name), helps.get(name) or "")

    walk(build_parser(), (), "")
    return found


def test_every_option_with_fixed_values_names_each_of_them_in_its_help():
    wrong = []
    for command, action in _arguments():
        if not action.choices:
            continue
        for choice in action.choices:
            if str(choice) not in (action.help or ""):
                wrong.append(f"{command} {action.dest}: {choice!r} not in {action.help!r}")
    assert not wrong, "\n".join(wrong)


def test_a_range_in_the_metavar_is_the_range_in_the_help():
    """`template checklist add 1-3` must not say «номер этапа 0–4» (the stages with a checklist are 1–3)."""
    wrong = []
    for command, action in _arguments():
        match = re.fullmatch(r"(\d+)-(\d+)", str(action.metavar or ""))
        if not match:
            continue
        low, high = int(match[1]), int(match[2])
        listed = ", ".join(str(n) for n in range(low, high)) + f" или {high}"
        if f"{low}–{high}" not in (action.help or "") and listed not in (action.help or ""):
            wrong.append(f"{command} {action.dest} {action.metavar}: {action.help!r}")
    assert not wrong, "\n".join(wrong)


def test_only_the_stage_commands_keep_a_reason_in_the_stage_history():
    for command, action in _arguments():
        if action.dest == "reason" and "истории этапов" in (action.help or ""):
            assert command.startswith("stage "), f"{command}: {action.help}"


@pytest.mark.parametrize("word", ["показать"])
def test_a_group_that_lists_says_list_not_show(word):
    """«log: добавить, показать, …» offered no `show`: a group's help names its actions as they are called."""
    for command, text, actions in _groups():
        if "list" in actions and "show" not in actions:
            assert word not in text, f"{command}: {text}"


def test_template_checklist_add_help_gives_the_real_stages(capsys):
    from app.cli import run

    with pytest.raises(SystemExit) as done:
        run(["template", "checklist", "add", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "1, 2 или 3" in out and "0–4" not in out


def test_billing_rate_says_what_was_set(cli):
    assert cli("billing", "rate", "remote_hour", "1599.60", "--from", "2030-01-01") == (
        0, "Тариф за час удалённой работы с 01.01.2030: 1 599,60 ₽.\n", "")
    assert cli("billing", "rate", "onsite_day", "15000", "--from", "2030-01-01") == (
        0, "Тариф за день выездного внедрения с 01.01.2030: 15 000,00 ₽.\n", "")
    assert cli("billing", "rate", "USD", "95,5", "--from", "2030-01-01") == (
        0, "Курс доллара США с 01.01.2030: 95,50 ₽.\n", "")
    status, out, _err = cli("billing", "rate", "remote_hour", "1600", "--from", "2030-01-01")
    assert (status, out) == (2, "")  # a refusal prints no «set» line


def test_template_rename_and_order_say_what_they_did(cli):
    assert cli("template", "checklist", "rename", "s1.lessons", "--title", "Уроки просмотрены") == (
        0, "s1.lessons: «Уроки просмотрены».\n", "")
    status, out, err = cli("template", "checklist", "order", "1", "s1.instruction", "s1.lessons", "s1.test_project",
                           "s1.directories")
    assert (status, err) == (0, "")
    assert out == "Пункты этапа 1 по порядку: s1.instruction, s1.lessons, s1.test_project, s1.directories.\n"
