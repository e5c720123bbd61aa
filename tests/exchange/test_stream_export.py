"""Issue 15 §4: an export streams its changeset from the database into the file a chunk at a time — the same
JSON bytes as ``collect(...).as_json()``, in memory that does not grow with the export."""

from __future__ import annotations

import json
import tracemalloc
import zipfile

import pytest

import tests.exchange.helpers as h
from app.exchange import stream_export
from app.exchange.bundle import PAYLOAD, export_bundle, load_bundle
from app.exchange.changeset import collect
from app.services.clients import delete_client, get_client


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@pytest.fixture
def three(db):
    for inn, name in ((h.INN_A, "ООО «Ромашка»"), (h.INN_B, "АО «Лютик»"), (h.INN_C, "ПАО «Василёк»")):
        h.populate(db, inn, name)
    delete_client(db, get_client(db, h.INN_B).id)  # leaves tombstones for the client and what it owned
    h.populate(db, h.INN_B, "АО «Лютик» снова")
    return db


@pytest.mark.parametrize("which", ["all", "some"])
def test_the_streamed_json_is_the_collected_changeset_byte_for_byte(three, which, monkeypatch):
    monkeypatch.setattr(stream_export, "CHUNK", 3)  # many chunks per table, as with a big database
    db = three
    ids = None if which == "all" else sorted(get_client(db, inn).id for inn in (h.INN_A, h.INN_C))
    pieces: list[bytes] = []
    with db.read() as s:
        counts = stream_export.write_changeset(s, ids, pieces.append, manifest=lambda c: {"counts": c, "x": "ё"})
        changeset = collect(s, ids)
    expected = changeset.as_json()
    expected["manifest"] = {"counts": changeset.counts(), "x": "ё"}
    assert b"".join(pieces) == _dumps(expected)
    assert counts == changeset.counts() and counts["work_log"] == (6 if which == "all" else 4)
    assert len(pieces) > 20 and bool(expected.get("tombstones")) == (which == "all")


@pytest.mark.parametrize("password", [None, "пароль-надёжный"])
def test_a_streamed_bundle_reads_back_with_every_record(three, tmp_path, password):
    db = three
    path = tmp_path / "all.zip"
    info = export_bundle(db, None, path, password)
    with db.read() as s:
        expected = collect(s, None)
    loaded_info, loaded = load_bundle(path, password)
    assert loaded.as_json() == expected.as_json()
    assert info.counts == loaded_info.counts == expected.counts() and info.clients == 3


def _export_peak(tmp_path, log_rows: int) -> tuple[int, int]:
    """(Python's peak allocation during the export, size of the JSON written) for 300 clients."""
    from app.config import sqlite_url
    from app.persistence.db import open_database
    from bench.generate import generate

    path = tmp_path / f"{log_rows}.sqlite3"
    generate(path, clients=300, log_rows=log_rows)
    db = open_database(sqlite_url(path))
    try:
        export_bundle(db, None, tmp_path / "warm.zip")  # modules imported, caches filled
        tracemalloc.start()
        export_bundle(db, None, tmp_path / f"{log_rows}.zip")
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        db.dispose()
    with zipfile.ZipFile(tmp_path / f"{log_rows}.zip") as zf:
        return peak, zf.getinfo(PAYLOAD).file_size


def test_export_memory_does_not_grow_with_the_records(tmp_path):
    """Python's peak allocation during an export is a fraction of the JSON it writes and hardly moves when
    the work log grows fourfold (collect + json.dumps held the whole changeset several times over)."""
    small_peak, small_size = _export_peak(tmp_path, 10_000)
    big_peak, big_size = _export_peak(tmp_path, 40_000)
    assert big_size > small_size + 10_000_000
    assert big_peak < big_size / 4, (big_peak, big_size)
    assert big_peak - small_peak < (big_size - small_size) / 20, (small_peak, big_peak, small_size, big_size)
