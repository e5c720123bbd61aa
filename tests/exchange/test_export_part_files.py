"""An export's or a backup's temporary file: its own name, never a link followed, gone after Ctrl+C; a device is
never replaced (the fresh-user trial of 2026-12-03)."""

from __future__ import annotations

import os
import stat

import pytest

from app.errors import UserError
from app.exchange import backup as bk
from app.exchange import stream_export
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_read import read_info
from tests.exchange import helpers as h


def test_ctrl_c_during_an_export_leaves_no_file(db, tmp_path, monkeypatch):
    h.populate(db)
    real = stream_export.write_changeset

    def interrupted(s, ids, write, **kwargs):
        write(b'{"tables":{')
        raise KeyboardInterrupt

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr("app.exchange.bundle_export.write_changeset", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export_bundle(db, None, out / "c.zip")
    assert list(out.iterdir()) == []  # neither the bundle nor a .part
    monkeypatch.setattr("app.exchange.bundle_export.write_changeset", real)
    export_bundle(db, None, out / "c.zip")
    assert [p.name for p in out.iterdir()] == ["c.zip"]


def test_a_link_at_the_part_name_is_not_followed(db, sqlite_db, tmp_path):
    h.populate(db)
    victim = tmp_path / "victim.txt"
    victim.write_text("данные", encoding="utf-8")
    (tmp_path / "y.zip.part").symlink_to(victim)
    (tmp_path / "x.zip.part").mkdir()  # a folder there is no obstacle either
    export_bundle(db, None, tmp_path / "y.zip")
    export_bundle(db, None, tmp_path / "x.zip")
    assert victim.read_text(encoding="utf-8") == "данные"
    for name in ("y.zip", "x.zip"):
        assert not (tmp_path / name).is_symlink() and read_info(tmp_path / name).clients == 1
    h.populate(sqlite_db)
    (tmp_path / "copy.sqlite3.part").symlink_to(victim)
    bk.make_backup(sqlite_db, "manual", target=tmp_path / "copy.sqlite3")
    assert victim.read_text(encoding="utf-8") == "данные"
    assert (tmp_path / "copy.sqlite3").stat().st_size > 0 and not (tmp_path / "copy.sqlite3").is_symlink()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_force_never_replaces_a_device_or_a_pipe(db, sqlite_db, tmp_path):
    h.populate(db)
    h.populate(sqlite_db)
    out = tmp_path / "out"
    out.mkdir()
    pipe = out / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(UserError) as export_refusal:
        export_bundle(db, None, pipe, overwrite=True)
    with pytest.raises(UserError) as backup_refusal:
        bk.make_backup(sqlite_db, "manual", target=pipe, overwrite=True)
    for refusal in (export_refusal, backup_refusal):
        assert "не обычный файл" in refusal.value.message
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert [p.name for p in out.iterdir()] == ["pipe"]


def test_a_file_where_the_folder_should_be_is_named_so(db, tmp_path):
    h.populate(db)
    plain = tmp_path / "notes.txt"
    plain.write_text("x", encoding="utf-8")
    with pytest.raises(UserError) as refusal:
        export_bundle(db, None, plain / "x.zip")
    assert "— не папка" in refusal.value.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_documents_and_tables_never_replace_a_pipe_either(tmp_path):
    from app.services.files import file_target, write_file

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(UserError) as written:
        write_file(pipe, b"x", overwrite=True)
    with pytest.raises(UserError) as targeted:
        with file_target(pipe, force=True) as write:
            write(b"%PDF")
    for refusal in (written, targeted):
        assert "не обычный файл" in refusal.value.message
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode) and [p.name for p in tmp_path.iterdir()] == ["pipe"]
