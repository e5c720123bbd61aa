"""bench.run refuses bad arguments before measuring anything: one line, status 2 (1 stays «a target missed»)."""

from __future__ import annotations

from pathlib import Path

import pytest

import bench.run as run


@pytest.fixture
def nothing_runs(monkeypatch):
    def refuse(args):
        raise AssertionError("measured despite a refused argument")

    monkeypatch.setattr(run, "_run", refuse)


def _code(argv: list[str]) -> int | str | None:
    try:
        return run.main(argv)
    except SystemExit as exit_:
        return exit_.code


def _error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


@pytest.mark.parametrize("argv", [["--repeat", "-3"], ["--repeat", "0"], ["--only", ","], ["--only", ""]])
def test_bad_counts_and_empty_only_are_refused(argv, nothing_runs, capsys):
    assert _code(["--clients", "100", *argv]) == 2
    line = _error_line(capsys)
    assert "error: argument" in line or "ошибка: аргумент" in line  # argparse speaks the installed UI language


def test_only_names_a_part_once():
    assert run._parts("card,card, search,card") == ["card", "search"]


def test_data_that_is_a_file_is_refused(tmp_path, nothing_runs, capsys):
    (tmp_path / "f").write_text("")
    assert _code(["--clients", "100", "--data", str(tmp_path / "f")]) == 2
    assert _error_line(capsys).endswith("is not a folder")


def test_data_where_nothing_can_be_written_is_refused(nothing_runs, capsys):
    assert _code(["--clients", "100", "--data", "/proc"]) == 2  # not writable, even for root
    assert "--data: cannot write in /proc" in _error_line(capsys)


def test_data_holding_every_database_may_be_read_only(tmp_path, monkeypatch):
    (tmp_path / "clients-100.sqlite3").write_bytes(b"")
    monkeypatch.setattr(run, "_writable_folder", lambda folder: "read-only")
    assert run.check_paths(run.argparse.Namespace(data=tmp_path, clients=[100], only=["card"], json=None)) is None


@pytest.mark.parametrize("where", ["nodir/x.json", "."])
def test_a_json_that_cannot_be_written_is_refused_before_the_run(tmp_path, nothing_runs, capsys, where):
    (tmp_path / "clients-100.sqlite3").write_bytes(b"")
    assert _code(["--clients", "100", "--data", str(tmp_path), "--json", str(tmp_path / where)]) == 2
    assert "--json:" in _error_line(capsys)


def test_the_json_is_never_half_written(tmp_path, monkeypatch):
    from bench.common import Figure, dump_json

    target = tmp_path / "x.json"
    target.write_text("[]")

    real = Path.write_text

    def broken(self, text, *args, **kwargs):  # Ctrl+C (or a full disk) halfway through the write
        real(self, text[: len(text) // 2], *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", broken)
    with pytest.raises(KeyboardInterrupt):
        dump_json([Figure("f", 100, [0.1])], target)
    assert target.read_text() == "[]" and list(tmp_path.iterdir()) == [target]
