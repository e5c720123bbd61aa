"""A format-2 bundle is imported as a stream (issue 15): its rows are decoded, checked and merged a chunk at a time,
inserted in batches, and a record listed twice is refused even when the two copies fall in different chunks."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from app.exchange import bundle_export, bundle_import, versioned_stream, versioned_table
from app.exchange.bundle_error import BundleError
from app.exchange.json_stream import Unstreamable, events
from app.exchange.table_specs import table_specs
from tests.exchange.helpers import INN_A, INN_B, INN_C, client_row, plain_bundle, populate, work_row


def _counts(db) -> dict[str, int]:
    with db.read() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t.table)) for t in table_specs()}


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 4 rows; the largest chunk merged is recorded."""
    seen: list[int] = []
    merge = versioned_table._merge_table

    def spy(s, table_spec, changes, *args, **kwargs):
        seen.append(len(changes))
        return merge(s, table_spec, changes, *args, **kwargs)

    monkeypatch.setattr(versioned_stream, "CHUNK_ROWS", 4)
    monkeypatch.setattr(versioned_table, "_merge_table", spy)
    return seen


def test_rows_are_merged_a_chunk_at_a_time_in_batches(db, other_db, tmp_path, small_chunks):
    for inn, name in ((INN_A, "ООО «А»"), (INN_B, "ООО «Б»"), (INN_C, "ООО «В»")):
        populate(db, inn, name)
    path = tmp_path / "all.zip"
    bundle_export.export_bundle(db, None, path)
    statements: list[tuple[str, bool]] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, executemany))

    event.listen(other_db.engine, "before_cursor_execute", count)
    try:
        result = bundle_import.import_bundle(other_db, path, backup=False)
    finally:
        event.remove(other_db.engine, "before_cursor_execute", count)
    before = _counts(db)
    assert _counts(other_db) == before  # everything came over
    assert result.report.total_added == sum(before.values())
    rows = sum(before.values())
    assert rows > 3 * 4 and max(small_chunks) <= 4  # never more than a chunk's rows at a time
    assert len(small_chunks) >= rows // 4
    # the rows go in by executemany, one statement per chunk and table, never one INSERT per row
    inserts = [sql for sql, _many in statements if sql.lstrip().upper().startswith("INSERT INTO WORK_LOG")]
    assert 0 < len(inserts) <= -(-before["work_log"] // 4)
    assert not any("RETURNING" in sql.upper() for sql, _many in statements if "INSERT INTO" in sql.upper())


def test_a_record_listed_twice_in_different_chunks_is_refused(db, tmp_path, small_chunks):
    client = client_row()
    entries = [work_row(uuid=f"33333333-3333-4333-8333-33333333333{i}", minutes=10 + i) for i in range(6)]
    entries.append(work_row(uuid="33333333-3333-4333-8333-333333333331", minutes=99))  # the second entry again
    path = plain_bundle(tmp_path / "twice.zip", {"client": [client], "work_log": entries})
    before = _counts(db)
    with pytest.raises(BundleError, match="333333333331 дважды"):
        bundle_import.import_bundle(db, path, backup=False)
    assert _counts(db) == before  # one transaction: nothing of the file stays


def test_two_new_clients_with_one_inn_in_different_chunks_are_refused(db, tmp_path, small_chunks):
    clients = [client_row(uuid=f"22222222-2222-4222-8222-22222222222{i}", inn=inn, name=f"ООО «{i}»")
               for i, inn in enumerate((INN_A, INN_B, "7710140679", "7702070139", INN_C))]
    clients.append(client_row(uuid="22222222-2222-4222-8222-222222222229", inn=INN_A, name="ООО «Двойник»"))
    path = plain_bundle(tmp_path / "inn.zip", {"client": clients})
    with pytest.raises(BundleError, match="две записи"):
        bundle_import.import_bundle(db, path, backup=False)
    assert _counts(db)["client"] == 0


def test_the_reader_yields_rows_one_by_one_and_hands_odd_shapes_back():
    text = b'{"tables": {"client": [{"a": 1}, {"a": 2}], "work_log": []}, "tombstones": [1.5]}'
    pieces = [text[i:i + 3] for i in range(0, len(text), 3)]  # values cut across chunks, numbers too
    assert list(events(pieces)) == [("tables",), ("table", "client"), ("row", "client", {"a": 1}),
                                    ("row", "client", {"a": 2}), ("end", "client"), ("table", "work_log"),
                                    ("end", "work_log"), ("member", "tombstones", [1.5])]
    for odd in (b'[1]', b'{"tables": []}', b'{"tables": {"client": {}}}', b'{"a": 1, "a": 2}'):
        with pytest.raises(Unstreamable):
            list(events([odd]))
    for broken in (b'{"tables": {"client": [{"a": 1}', b'{"tables": {"client": [NaN]}}', b'{"a": 1} x'):
        with pytest.raises(ValueError):
            list(events([broken]))
