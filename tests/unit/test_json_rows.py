"""Result sets read in one step as JSON (app.persistence.json_rows) are the rows a plain SELECT gives, value for
value and in order, whatever the text holds; a read that comes out of order is refused, not trusted."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.persistence.json_rows import ReadRowByRow, json_rows, ordered_chunks
from app.persistence.stamps import STAMPS_SQL, read_basis

# text as SQLite stores it: any code point but the surrogates UTF-8 cannot carry
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
BIG = st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1)
SOURCE = "SELECT id, name, n, note FROM t"
COLUMNS = ("id", "name", "n", "note")


def ordered_rows(*args, **kwargs) -> list[list]:
    """``ordered_chunks``' rows, the chunks put together."""
    return [row for part in ordered_chunks(*args, **kwargs) for row in part]


def _table(rows: list[tuple]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, n BIGINT, note TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    return conn


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXT, st.one_of(st.none(), BIG), st.one_of(st.none(), TEXT)), max_size=25))
def test_the_rows_are_those_of_a_plain_select(values):
    conn = _table([(i + 1, *row) for i, row in enumerate(values)])
    plain = conn.execute(f"{SOURCE} ORDER BY id").fetchall()
    assert [tuple(row) for row in json_rows(conn, COLUMNS, f"{SOURCE} ORDER BY id LIMIT -1")] == plain


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["Альфа", "альфа", "Бета", "", "Zeta", "ё", "«Кавычки»", "a\\b\"c"]), max_size=30),
       st.integers(min_value=1, max_value=7))
def test_chunks_follow_each_other_in_the_lists_order_even_through_equal_names(names, chunk):
    conn = _table([(i + 1, name, i, None) for i, name in enumerate(names)])
    plain = conn.execute(f"{SOURCE} ORDER BY name, id").fetchall()
    found = ordered_rows(conn, COLUMNS, SOURCE, ("name", "id"), (1, 0), chunk=chunk)
    assert [tuple(row) for row in found] == plain
    assert all(len(part) <= chunk for part in ordered_chunks(conn, COLUMNS, SOURCE, ("name", "id"), (1, 0), chunk))


def test_one_ordering_column_and_a_result_exactly_a_chunk_long():
    conn = _table([(i, f"n{i}", i * 10, "x") for i in (5, 3, 9, 1)])
    assert [row[0] for row in ordered_rows(conn, COLUMNS, SOURCE, ("id",), (0,), chunk=2)] == [1, 3, 5, 9]
    assert ordered_rows(conn, COLUMNS, f"{SOURCE} WHERE 0", ("id",), (0,)) == []  # no rows: an empty list


def test_rows_out_of_the_asked_order_are_refused():
    """``key`` names the positions checked: rows ordered by name but checked by ``n`` (descending here) are not
    in that order, within a chunk or across two, and the caller is told (ReadRowByRow) instead of handed them."""
    conn = _table([(1, "а", 30, None), (2, "б", 20, None), (3, "в", 10, None)])
    for chunk in (10, 1):
        with pytest.raises(ReadRowByRow):
            ordered_rows(conn, COLUMNS, SOURCE, ("name", "id"), (2, 0), chunk=chunk)
    assert len(ordered_rows(conn, COLUMNS, SOURCE, ("name", "id"), (1, 0), chunk=1)) == 3


def test_a_bad_statement_raises_sqlite_errors():
    conn = _table([])
    with pytest.raises(sqlite3.OperationalError):
        json_rows(conn, ("missing",), SOURCE)


@pytest.mark.parametrize("value", [0.1 + 0.2, 1 / 3, 2.5, b"\x00\xff"])
def test_a_real_or_a_blob_is_read_row_by_row_not_rounded_or_refused(value):
    """SQLite 3.40's JSON writes a REAL with 15 significant digits (0.30000000000000004 came back 0.3) and refuses
    a BLOB: such rows are not handed over from JSON, the caller reads them row by row."""
    conn = _table([(1, "а", 1, None), (2, "б", 2, None)])
    conn.execute("UPDATE t SET n = ? WHERE id = 2", (value,))  # a foreign writer: BIGINT affinity keeps a REAL
    with pytest.raises(ReadRowByRow):
        json_rows(conn, COLUMNS, SOURCE)
    with pytest.raises(ReadRowByRow):
        ordered_rows(conn, COLUMNS, SOURCE, ("name", "id"), (1, 0))


@pytest.mark.parametrize("value", [0.1 + 0.2, 0.1000000000000002, b"\x01", "text", -(1 << 63)])
def test_stamps_a_foreign_writer_left_are_read_exactly(value):
    """The stamps come in one step; a REAL or a BLOB one (never written by the triggers) row by row, so that a
    stamp changed from 0.1000000000000001 to 0.1000000000000002 is still seen to change."""
    conn = sqlite3.connect(":memory:")
    conn.executescript("CREATE TABLE client (id INTEGER PRIMARY KEY); CREATE TABLE client_stamp "
                       "(client_id INTEGER PRIMARY KEY, stamp BIGINT NOT NULL); CREATE TABLE checklist_template "
                       "(code TEXT, stage INTEGER); CREATE TABLE lesson (code TEXT, active BOOLEAN);"
                       "INSERT INTO client VALUES (1), (2); INSERT INTO client_stamp VALUES (1, 7);")
    conn.execute("INSERT INTO client_stamp VALUES (2, ?)", (value,))
    assert read_basis(conn).stamps == dict(conn.execute(STAMPS_SQL)) == {1: 7, 2: value}
