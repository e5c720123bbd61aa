"""bench.generate: bad input is one line and status 2, an interrupted generation leaves no file; bench.run refuses
a database that is not the size it asks for."""

from __future__ import annotations

import argparse
import sqlite3

import pytest

import bench.generate as generate
from bench.databases import NotABenchDatabase, check_clients


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert err and "Traceback" not in "\n".join(err)
    return err[-1]


def test_an_interrupted_generation_leaves_no_file(tmp_path, monkeypatch, capsys):
    """Ctrl+C (timeout -s INT) after the schema was written left a schema-only file of 0 clients, refused on the
    rerun («already exists») and used by bench.run as if complete."""
    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(generate, "_inn", interrupt)  # in the clients' loop: the schema is on disk by then
    target = tmp_path / "x.sqlite3"
    assert generate.main(["--clients", "100", "--db", str(target)]) == 130
    assert _one_line_error(capsys) == f"interrupted: {target} not written"
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    assert generate.main(["--clients", "100", "--db", str(target)]) == 0  # the rerun is not refused
    assert [p.name for p in tmp_path.iterdir()] == ["x.sqlite3"]
    check_clients(target, 100)


@pytest.mark.parametrize("where", ["a-file/x.sqlite3", "no-folder/x.sqlite3", "/proc/x.sqlite3"])
def test_a_bad_db_path_is_one_line_and_status_2(tmp_path, capsys, where):
    (tmp_path / "a-file").write_text("")
    target = tmp_path / where
    with pytest.raises(SystemExit) as exit_:
        code = generate.main(["--clients", "100", "--db", str(target)])
        raise SystemExit(code)
    assert exit_.value.code == 2
    assert "--db" in _one_line_error(capsys)
    assert not target.exists()


@pytest.mark.parametrize("argv", [["--clients", "20000000000"], ["--clients", "0"], ["--log-rows", "-1"]])
def test_sizes_out_of_bounds_are_refused(tmp_path, capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        generate.main([*argv, "--db", str(tmp_path / "x.sqlite3")])
    assert exit_.value.code == 2
    line = _one_line_error(capsys)
    assert "error: argument" in line or "ошибка: аргумент" in line  # argparse speaks the installed UI language


def test_help_shows_defaults_and_what_db_is(capsys):
    with pytest.raises(SystemExit):
        generate.main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "(default: 5000)" in out and "--db FILE the new SQLite file" in out


@pytest.mark.parametrize("content", ["empty", "schema-only", "random"])
def test_a_database_of_another_size_is_refused(tmp_path, content):
    path = tmp_path / "clients-100.sqlite3"
    if content == "random":
        path.write_bytes(b"\x8f" * 5000)
    elif content == "schema-only":
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE client (id INTEGER PRIMARY KEY)")
        con.close()
    else:
        path.write_bytes(b"")
    with pytest.raises(NotABenchDatabase, match="remove it"):
        check_clients(path, 100)


def test_bench_run_reports_such_a_database_as_failed_and_runs_nothing(tmp_path, monkeypatch, capsys):
    import bench.run as run

    (tmp_path / "clients-100.sqlite3").write_bytes(b"")
    ran: list[str] = []
    monkeypatch.setattr(run, "_part", lambda part, *args: ran.append(part) or [])
    args = argparse.Namespace(clients=[100], only=["csv"], repeat=1, data=tmp_path, json=None)
    assert run._run(args) == 1
    assert ran == []
    out = capsys.readouterr().out
    assert "database: FAILED" in out and "is no benchmark database" in out
