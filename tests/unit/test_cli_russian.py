"""Issue 14, point 7: the CLI reads like a Russian program — every option of every command described in
--help, approaches by name in `clients list`, `log add` says what it saved — and the README lists every
command there is, with the bundle extension the window uses."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from app.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command path, parser) of every command that runs something (the leaves of the command tree)."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield path, parser
    for action in subparsers:
        for name, sub in action.choices.items():
            yield from commands(sub, (*path, name))


def test_every_option_of_every_command_has_a_russian_description():
    parser = build_parser()
    leaves = list(commands(parser))
    assert len(leaves) >= 30
    missing = []
    for path, sub in [((), parser), *leaves]:
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
                continue
            if not action.help or not CYRILLIC.search(action.help):
                missing.append(f"{' '.join(path)} {'/'.join(action.option_strings) or action.dest}: {action.help!r}")
    assert missing == []


def test_help_output_is_russian(capsys):
    import pytest

    from app.cli import run

    with pytest.raises(SystemExit) as done:
        run(["log", "add", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "день работы, ГГГГ-ММ-ДД" in out and "заказчик: номер или ИНН" in out
    assert "сумма в рублях (трансфер, проживание)" in out  # the entry says «Трансфер»


def test_clients_list_names_the_approach_in_russian_and_json_keeps_codes(cli):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    assert cli("clients", "add", "--name", "ООО «Лютик»", "--inn", "7728168971", "--approach", "onsite")[0] == 0
    status, out, _err = cli("clients", "list")
    assert status == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert "Удалённые конференции" in lines["1"] and "ООО «Ромашка»" in lines["1"] and "remote" not in lines["1"]
    assert "Выездное внедрение" in lines["2"] and "onsite" not in lines["2"]
    data = json.loads(cli("clients", "list", "--json")[1])
    assert {c["id"]: c["approach"] for c in data} == {1: "remote", 2: "onsite"}


def test_log_add_confirms_what_it_saved(cli):
    cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "onsite")
    status, out, err = cli("log", "add", "7707083893", "--kind", "onsite_day", "--date", "2024-07-04",
                           "--days", "0,5", "--note", "Склад")
    assert (status, err) == (0, "")
    assert out.strip() == "Запись № 1 сохранена: 04.07.2024, День выезда, 0,5 дн., этап 0. «Склад»"
    status, out, _err = cli("log", "add", "1", "--kind", "lodging", "--date", "2024-07-04", "--amount", "7000")
    assert out.strip() == "Запись № 2 сохранена: 04.07.2024, Проживание, 7 000,00 ₽, этап 0."


def test_readme_lists_every_command_and_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.split("```sh\n", 1)[1].startswith("bash scripts/run.sh\nbash scripts/test.sh\n```")
    blocks = "\n".join(re.findall(r"```sh\n(.*?)```", readme, flags=re.S))
    absent = [" ".join(path) for path, _sub in commands(build_parser())
              if not re.search(rf"(?:main\.py|vnedrenie)(?: --\S+(?: \S+)?)* {re.escape(' '.join(path))}(?:\s|$)",
                               blocks)]
    assert absent == []


def test_readme_uses_the_bundle_extension_of_the_window():
    from app.exchange.bundle import SUFFIX

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    files = re.findall(r"(?:export [^\n]*?-o|main\.py import) (\S+)", readme)
    assert files and all(f.endswith(SUFFIX) for f in files), files
    assert ".vnb" not in readme
