"""bench.sync checks its server before generating anything, and leaves no temporary folder however it ends
(a bad URL gave an ArgumentError traceback after the database was generated, an unreachable server an
OperationalError one; both left /tmp/vnedrenie-bench-sync-* and -data-* behind)."""

from __future__ import annotations

import tempfile

import pytest
from sqlalchemy import create_engine

import bench.sync as sync


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.delenv("VNEDRENIE_DATA_DIR", raising=False)
    return folder


@pytest.fixture
def no_generation(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("generated before the server was checked")

    monkeypatch.setattr("bench.generate.generate", refuse)


@pytest.mark.parametrize(("url", "said"), [
    ("foo", "is no database URL"),
    ("sqlite:///x.sqlite3", "PostgreSQL server's URL is needed"),
    ("postgresql+psycopg://nobody@127.0.0.1:1/postgres", "cannot connect to postgresql+psycopg://nobody@127.0.0.1:1"),
])
def test_a_bad_or_unreachable_server_is_one_line_and_status_2(url, said, private_tmp, no_generation, capsys):
    assert sync.main(["--database-url", url, "--clients", "100"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and said in err
    assert list(private_tmp.iterdir()) == []


def test_the_temporary_folders_go_when_the_bench_fails(private_tmp, monkeypatch):
    monkeypatch.setattr(sync, "connect_owner", lambda url: (create_engine("sqlite://"), ""))

    def fail(args, owner, work):
        (work / "bench.sqlite3").write_bytes(b"x")
        raise RuntimeError("the server went away")

    monkeypatch.setattr(sync, "_bench", fail)
    with pytest.raises(RuntimeError, match="went away"):
        sync.main(["--database-url", "postgresql+psycopg://owner@127.0.0.1/postgres"])
    assert list(private_tmp.iterdir()) == []
