"""`export-xlsx …` and `export-ics` refuse to replace an existing file unless --force is given."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("argv, name", [
    (("export-xlsx", "clients"), "c.xlsx"),
    (("export-xlsx", "worklog", "1"), "w.xlsx"),
    (("export-xlsx", "register"), "r.xlsx"),
    (("export-xlsx", "plan"), "p.xlsx"),
    (("export-ics",), "p.ics"),
])
def test_an_existing_file_is_kept_without_force(cli, tmp_path, argv, name):
    assert cli("clients", "add", "--name", "ООО Т", "--inn", "7707083893", "--approach", "remote")[0] == 0
    assert cli("plan", "add", "7707083893", "--kind", "call", "--start", "2026-03-12 10:00", "--duration", "30")[0] == 0
    target = tmp_path / name
    target.write_bytes(b"mine")
    status, _out, err = cli(*argv, "-o", str(target))
    assert status == 2
    assert "--force" in err and "уже существует" in err
    assert target.read_bytes() == b"mine"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    status, _out, err = cli(*argv, "-o", str(target), "--force")
    assert status == 0, err
    assert target.read_bytes() != b"mine"


@pytest.mark.parametrize("argv", [("export-ics",), ("export-xlsx", "register")])
def test_force_has_russian_help(capsys, argv):
    from app.cli import run

    try:
        run([*argv, "--help"])
    except SystemExit:
        pass
    out = capsys.readouterr().out
    assert "--force" in out and "заменить файл результата" in out
