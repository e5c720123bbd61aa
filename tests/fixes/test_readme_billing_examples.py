"""The README's estimate and billing examples run as written on a fresh database (a fresh tester, 2026-12-05:
«billing rate remote_hour 1700» was refused — a minute's price must be whole kopecks). Optional parts in
brackets are left out, comments dropped."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
WANTED = (("estimate",), ("billing", "rate"), ("billing", "vat"), ("billing", "settings"))


def _commands() -> list[list[str]]:
    found = []
    text = re.sub(r"\\\n\s*", " ", README.read_text(encoding="utf-8"))  # continued lines joined
    for line in text.splitlines():
        if not line.startswith(".venv/bin/python main.py "):
            continue
        line = re.sub(r"\s+#.*$", "", line)  # a comment
        line = re.sub(r"\[[^\]]*\]", "", line)  # an optional part
        argv = shlex.split(line)[2:]
        if any(tuple(argv[:len(w)]) == w for w in WANTED):
            found.append(argv)
    return found


def test_the_estimate_and_billing_examples_run(cli):
    commands = _commands()
    assert {tuple(c[:2]) for c in commands} >= {("estimate", "--approach"), ("billing", "rate"), ("billing", "vat")}
    for argv in commands:
        status, _out, err = cli(*argv)
        assert status == 0, (argv, err)
