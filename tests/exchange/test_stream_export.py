"""Issue 15 §4: an export streams its changeset from the database into the file a chunk at a time — the same
JSON bytes as ``attach_bases(s, collect(...)).as_json()`` (every record and tombstone with the merge bases this
installation holds, docs/sync.md «Bundles»), in memory that does not grow with the export."""

from __future__ import annotations

import json
import tracemalloc
import zipfile

import pytest

import tests.exchange.helpers as h
from app.exchange import stream_export
from app.exchange.bundle import PAYLOAD
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_read import load_bundle
from app.exchange.collect import collect
from app.exchange.versioned_bases import attach_bases
from app.persistence.models import ExchangeBase
from app.services.clients import delete_client, get_client

PEER_1, PEER_2 = "0b1e5a57-0000-4000-8000-000000000001", "0b1e5a57-0000-4000-8000-000000000002"


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@pytest.fixture
def three(db):
    for inn, name in ((h.INN_A, "ООО «Ромашка»"), (h.INN_B, "АО «Лютик»"), (h.INN_C, "ПАО «Василёк»")):
        h.populate(db, inn, name)
    delete_client(db, get_client(db, h.INN_B).id)  # leaves tombstones for the client and what it owned
    h.populate(db, h.INN_B, "АО «Лютик» снова")
    # merge bases from two peers: every other record as PEER_1's export 3 had it (one field empty then), every
    # third deleted in PEER_2's export 7; the deletions as PEER_1 had the records, every other deleted by PEER_2
    with db.read() as s:
        changeset = collect(s, None)
    with db.unit() as s:
        for name, rows in changeset.as_json()["tables"].items():
            for n, row in enumerate(rows):
                if n % 2 == 0:
                    key = next(k for k in sorted(row["values"]) if row["values"][k] is not None)
                    data = {**row["values"], key: None}
                    s.add(ExchangeBase(peer=PEER_1, table_name=name, record_uuid=row["uuid"], version=3,
                                       data=json.dumps(data, ensure_ascii=False)))
                if n % 3 == 0:
                    s.add(ExchangeBase(peer=PEER_2, table_name=name, record_uuid=row["uuid"], version=7, data=None))
        for n, ts in enumerate(changeset.tombstones):
            s.add(ExchangeBase(peer=PEER_1, table_name=ts.table, record_uuid=ts.uuid, version=3, data="{}"))
            if n % 2:
                s.add(ExchangeBase(peer=PEER_2, table_name=ts.table, record_uuid=ts.uuid, version=7, data=None))
    return db


@pytest.mark.parametrize("which", ["all", "some"])
def test_the_streamed_json_is_the_collected_changeset_byte_for_byte(three, which, monkeypatch):
    monkeypatch.setattr(stream_export, "CHUNK", 3)  # many chunks per table, as with a big database
    db = three
    ids = None if which == "all" else sorted(get_client(db, inn).id for inn in (h.INN_A, h.INN_C))
    pieces: list[bytes] = []
    with db.read() as s:
        counts = stream_export.write_changeset(s, ids, pieces.append, manifest=lambda c: {"counts": c, "x": "ё"})
        changeset = attach_bases(s, collect(s, ids))
    expected = changeset.as_json()
    expected["manifest"] = {"counts": changeset.counts(), "x": "ё"}
    assert b"".join(pieces) == _dumps(expected)
    assert counts == changeset.counts() and counts["work_log"] == (6 if which == "all" else 4)
    assert len(pieces) > 20 and bool(expected.get("tombstones")) == (which == "all")
    # the bases went along: the fields that differ from the record's values, a deleted base as «deleted»
    rows = [row for rows in expected["tables"].values() for row in rows]
    with_bases = [row for row in rows if "bases" in row]
    assert len(with_bases) > 10 and len(with_bases) < len(rows)
    [client] = [row for row in expected["tables"]["client"] if row["values"]["inn"] == h.INN_A]
    key = next(k for k in sorted(client["values"]) if client["values"][k] is not None)
    assert client["bases"] == {PEER_1: {"version": 3, "values": {key: None}}, PEER_2: {"version": 7, "deleted": True}}
    deletions = [ts for ts in expected.get("tombstones", []) if ts["kind"] == "delete"]
    assert len(deletions) == (12 if which == "all" else 0)
    assert all(ts["bases"] == {PEER_1: {"version": 3, "values": {}}, **({PEER_2: {"version": 7, "deleted": True}}
                                                                        if n % 2 else {})}
               for n, ts in enumerate(deletions))


@pytest.mark.parametrize("password", [None, "пароль-надёжный"])
def test_a_streamed_bundle_reads_back_with_every_record(three, tmp_path, password):
    db = three
    path = tmp_path / "all.zip"
    info = export_bundle(db, None, path, password)
    with db.read() as s:
        expected = attach_bases(s, collect(s, None))
    loaded_info, loaded = load_bundle(path, password)
    assert loaded.as_json() == expected.as_json()
    assert info.counts == loaded_info.counts == expected.counts() and info.clients == 3
    # this installation's first export, numbered above PEER_2's export 7 that it merged (Lamport)
    assert info.exchange_version == loaded_info.exchange_version == 8


def test_a_refused_export_takes_no_export_number(db, tmp_path):
    """Refusals come before the number is taken: the first export that is written is number 1, the next 2."""
    from app.errors import UserError

    with pytest.raises(UserError):
        export_bundle(db, None, tmp_path / "none.zip")  # no clients yet
    h.populate(db)
    with pytest.raises(UserError):
        export_bundle(db, [h.INN_B], tmp_path / "unknown.zip")  # no such client
    with pytest.raises(UserError):
        export_bundle(db, [], tmp_path / "nobody.zip")
    assert export_bundle(db, None, tmp_path / "a.zip").exchange_version == 1
    assert export_bundle(db, [h.INN_A], tmp_path / "b.zip", "пароль-надёжный").exchange_version == 2
    _info, loaded = load_bundle(tmp_path / "b.zip", "пароль-надёжный")
    assert _info.exchange_version == 2 and loaded.rows("client")


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


def _statements_of_export(db, monkeypatch, chunk: int) -> list[str]:
    from sqlalchemy import event

    monkeypatch.setattr(stream_export, "CHUNK", chunk)
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with db.read() as s:
            stream_export.write_changeset(s, None, lambda _piece: None)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return seen


def test_an_export_probes_for_bases_once_per_table_not_per_chunk(db, monkeypatch):
    """Whether a table's records can have merge or sync bases is asked once per table: every chunk of 500 asked
    it again with three one-row reads (2 500 statements at 5 000 clients, ~1 s of the export), although the
    answer cannot change inside the export's transaction."""
    for inn, name in ((h.INN_A, "ООО «Ромашка»"), (h.INN_B, "АО «Лютик»"), (h.INN_C, "ПАО «Василёк»")):
        h.populate(db, inn, name)
    few = _statements_of_export(db, monkeypatch, 100_000)
    many = _statements_of_export(db, monkeypatch, 1)
    assert len(many) == len(few), sorted(set(many) - set(few))[:3]
    probes = [sql for sql in few if "exchange_base" in sql or "sync_base" in sql or "row_version >" in sql]
    from app.exchange.table_specs import table_specs

    assert 0 < len(probes) <= 3 * len(table_specs()) + 6  # three a table, and the tombstones' and checklists'


def test_bases_still_travel_when_they_appear_in_one_table_only(three, monkeypatch):
    """The probe is per table: a base of the client table alone is still carried by every chunk."""
    monkeypatch.setattr(stream_export, "CHUNK", 1)
    db = three
    pieces: list[bytes] = []
    with db.read() as s:
        stream_export.write_changeset(s, None, pieces.append)
        expected = attach_bases(s, collect(s, None)).as_json()
    got = json.loads(b"".join(pieces))
    assert got["tables"] == expected["tables"]
    assert sum("bases" in row for rows in got["tables"].values() for row in rows) > 10


@pytest.mark.parametrize(("kind", "column", "raw"), [
    ("money", ("work_log", "amount"), [0, 1, 5, 99, 100, 12345, -1, -5, -100, -12345, 10**17 + 7, -(10**17) - 7]),
    ("datetime", ("work_log", "updated_at"), ["2026-11-30 09:00:00.000000", "0999-01-02 23:59:59.999999",
                                              "2026-11-30 09:00:00", "2026-11-30 09:00:00.5", "2026-11-30"]),
    ("date", ("work_log", "on_date"), ["2026-11-30", "0999-01-02"]),
])
def test_raw_values_encode_as_the_typed_values_do(kind, column, raw):
    """The export reads money and dates as SQLite holds them and encodes them without a Decimal or a datetime:
    each must give exactly what the column's own result processor and ``value_codec.ENCODERS`` give."""
    from sqlalchemy.dialects import sqlite

    from app.exchange.value_codec import ENCODERS
    from app.persistence.models import Base

    table, name = column
    col = Base.metadata.tables[table].c[name]
    dialect = sqlite.dialect()
    process = col.type.dialect_impl(dialect).result_processor(dialect, None)
    fast = stream_export._raw_encoder(col, kind, dialect)
    for value in raw:
        assert fast(value) == ENCODERS[kind](process(value) if process else value), value


@pytest.mark.parametrize(("kind", "column", "raw"), [
    ("money", ("work_log", "amount"), [0, 1, 5, 99, 100, -1, -12345, None, 10**17 + 7]),
    ("datetime", ("work_log", "updated_at"), ["2026-11-30 09:00:00.000000", "0999-01-02 23:59:59.999999"]),
    ("datetime", ("work_log", "updated_at"), ["2026-11-30 09:00:00.000000", None, "2026-11-30 09:00:00.5"]),
    ("datetime", ("work_log", "updated_at"), ["2026-11-30 09:00:00.000000", "2026-11-30 09:00:00"]),
    # one value holding the separator the chunk is joined with: it must not pass for two dates
    ("datetime", ("work_log", "updated_at"), ["2026-11-30 09:00:00.000000\x1f2026-11-30 09:00:00.000000"]),
    ("date", ("work_log", "on_date"), ["2026-11-30", "0999-01-02", "2026-11-30"]),
    ("date", ("work_log", "on_date"), [None, "2026-11-30"]),
    ("date", ("work_log", "on_date"), []),
])
def test_a_chunk_of_raw_values_encodes_as_one_value_at_a_time(kind, column, raw):
    """The chunk-wide encoder (one match over the chunk's dates) gives what the one-value encoder gives, or, where
    that one refuses a value, refuses it too."""
    from sqlalchemy.dialects import sqlite

    from app.persistence.models import Base

    table, name = column
    col = Base.metadata.tables[table].c[name]
    dialect = sqlite.dialect()
    one = stream_export._raw_encoder(col, kind, dialect)
    try:
        expected = [None if value is None else one(value) for value in raw]
    except ValueError:
        with pytest.raises(ValueError):
            stream_export._raw_bulk_encoder(col, kind, dialect)(tuple(raw))
        return
    got = stream_export._raw_bulk_encoder(col, kind, dialect)(tuple(raw))
    assert got == expected and len(got) == len(raw)
