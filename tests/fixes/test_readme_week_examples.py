"""The README's week examples (plan add, questions add, template checklist add/rename) work as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
WANTED = (("plan", "add"), ("questions", "add"), ("template", "checklist", "add"), ("template", "checklist", "rename"))


def _commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    block = text.split("## The week", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    joined = re.sub(r"\\\n\s*", " ", block)
    found = []
    for line in joined.splitlines():
        if not line.startswith(".venv/bin/python main.py "):
            continue
        argv = shlex.split(line.split("   #")[0].split("  #")[0])[2:]
        if any(tuple(argv[:len(w)]) == w for w in WANTED):
            found.append(argv)
    return found


def test_the_week_examples_run_on_a_fresh_client(cli):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    commands = _commands()
    assert [tuple(c[:2]) for c in commands] == [("plan", "add"), ("questions", "add"), ("template", "checklist"),
                                                ("template", "checklist")]
    for argv in commands:
        status, out, err = cli(*argv)
        assert status == 0, (argv, err)
        if argv[:3] == ["template", "checklist", "add"]:
            printed = out.strip()
    rename = commands[-1]
    assert rename[3] == printed


def test_checklist_add_prints_the_new_code(cli):
    status, out, _err = cli("template", "checklist", "add", "2", "--title", "Отчёты по складу")
    assert status == 0
    assert re.fullmatch(r"s2\.custom_[0-9a-f]{10}", out.strip())
