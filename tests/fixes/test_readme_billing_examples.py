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


def _readme_line(*start: str, after: str = "") -> list[str]:
    """The first README command (after the heading ``after``) whose arguments start with ``start``, as the tests
    above read them."""
    text = re.sub(r"\\\n\s*", " ", README.read_text(encoding="utf-8"))
    if after:
        text = text.split(after, 1)[1]
    for line in text.splitlines():
        if line.startswith(".venv/bin/python main.py "):
            line = re.sub(r"\[[^\]]*\]", "", re.sub(r"\s+#.*$", "", line))
            argv = shlex.split(line)[2:]
            if tuple(argv[:len(start)]) == start:
                return argv
    raise AssertionError(f"no README line starts with {start}")


def test_the_documents_example_prints_an_act_for_the_example_client(cli, tmp_path):
    """The README's client (added without a КПП) and executor, as written, can have an act: the Documents block
    gives the executor's КПП and the client's with «clients edit». The act's period is the README's logged work's
    (its `log add` and `log list` lines); without the «clients edit» line the act is refused, naming that command."""
    for start in (("clients", "add"), ("executor", "set"), ("log", "add")):
        status, _out, err = cli(*_readme_line(*start))
        assert status == 0, (start, err)
    logged = _readme_line("log", "list")  # the month of the logged work
    act = _readme_line("report", "act", after="## Documents")
    for option in ("--from", "--to"):  # the README's act bills the README's logged work, as written
        assert act[act.index(option) + 1] == logged[logged.index(option) + 1], option
    act[act.index("-o") + 1] = str(tmp_path / "act.pdf")
    status, _out, err = cli(*act)
    assert status == 2 and "clients edit 7707083893 --kpp" in err
    edit = _readme_line("clients", "edit", after="## Documents")
    assert edit == ["clients", "edit", "7707083893", "--kpp", "770701001"]
    assert cli(*edit) == (0, "КПП: — → 770701001\n", "")
    status, out, err = cli(*act)
    assert status == 0, err
    assert "АУ-1/" in out and (tmp_path / "act.pdf").stat().st_size > 0
    status, out, _err = cli(*_readme_line("clients", "show"))
    assert status == 0 and "КПП: 770701001" in out
