"""The first screen's rows kept from the last session, so that a start shows them without reading every client.

A start at 5 000 clients spent ~50 ms of its worker (~0.5 s at 50 000) reading, converting and folding rows that
had not changed since the window last closed. The closing window writes the rows it holds, made exact by one
last read of what changed (``app.services.first_screen.remember``), with the stamps they stand for (migration
0017: a new random stamp whenever a client's list row may change). The next start reads the stamps' count and
three sums in the first read's own transaction (~1 ms at 5 000 clients, ~11 ms at 50 000) and, when they and the
shared inputs (``app.persistence.stamps.read_shared``) are those of the file, takes the rows from it; when only
the sums differ, it takes them but for the rows whose stamps changed, which it reads (app.persistence.first_rows);
otherwise it reads every row as before. A file that was not exact is removed once read. Like a mail program's
folder summary beside its mailbox: never the data, only what it looked like, checked against the data before it
is believed.

The file (one per database file, in the user cache folder): a header line naming this format, the schema
revision, the interpreter and ``marshal``'s version (marshal's format is the interpreter's own), then parts —
each a 4-byte length, a 4-byte CRC-32 and a ``marshal`` blob: the sums and shared inputs, the ids and their
stamps in row order, then the rows in chunks of ``CHUNK`` (one column per ``ClientSummary`` field, dates as ISO
text; a chunk at a time, so that neither side holds the file's bytes at once). A part is decoded only when its
CRC is right and its columns only when each holds values of its field's type. The CRC finds damage, not
tampering: the file is as trusted as the database beside it, in a folder only its owner can write. A client
whose stamp row is missing gets a stand-in (``random()``) at every read, so its row is always read again."""

from __future__ import annotations

import marshal
import os
import sqlite3
import struct
import sys
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import repeat
from pathlib import Path
from typing import Any, BinaryIO, cast

from app.cachefile import cache_key, open_cached, register, replace_cached
from app.domain.client_summary import ClientSummary
from app.persistence.stamps import ListBasis, read_basis_at_once, read_shared

# Bump when what a row holds or how it is assembled changes (app.domain.client_summary, app.domain.normalize):
# tests/unit/test_first_screen_cache.py holds a digest of those sources to this number.
FORMAT = 2  # 2: the stamps in a part of their own, before the rows
_MAGIC = b"VNFIRST "
_PART = struct.Struct("<II")  # length, CRC-32
CHUNK = 4096  # rows a part
_FIELDS = len(ClientSummary._fields)
_SINCE, _SIGNED = ClientSummary._fields.index("stage_since"), ClientSummary._fields.index("contract_date")
_LOW = 0xFFFFFFFF
_INT = frozenset({int})
# the types each column may hold, by field (the dates as ISO text); tests hold it to ClientSummary's annotations
_INTS = frozenset({"id", "stage", "checklist_done", "checklist_total", "lessons_done", "lessons_total"})
TYPES = tuple(frozenset({int}) if field in _INTS else frozenset({str, type(None)}) if field == "contract_date"
              else frozenset({str}) for field in ClientSummary._fields)
# The count and three sums of the stamps the rows stand for (the stamps are 64-bit two's complement in SQLite and
# in Python; the shifts are arithmetic in both): a changed, added or removed stamp changes them unless random
# 32-bit halves cancel (~1 in 4·10^9 for each of two sums). ``random()`` stands in for a missing stamp, as in
# STAMPS_SQL.
SUMS_SQL = ("SELECT count(*), coalesce(sum(s & 4294967295), 0), coalesce(sum((s >> 32) & 4294967295), 0), "
            "coalesce(sum((s & 65535) * (id & 65535)), 0) FROM (SELECT client.id AS id, "
            "coalesce(client_stamp.stamp, random()) AS s FROM client "
            "LEFT JOIN client_stamp ON client_stamp.client_id = client.id)")


def cache_file(database: Path) -> Path:
    """The cache file of the SQLite file ``database`` (its resolved path names it: ``app.cachefile.cache_key``), in
    ``app.config.cache_dir``. Raises RuntimeError for a loop of symbolic links in the path."""
    from app.config import cache_dir

    return cache_dir() / f"first-screen-{cache_key(database)}.bin"


def stamp_sums(stamps: Mapping[int, int]) -> tuple[int, int, int, int]:
    """``SUMS_SQL``'s four numbers (the count, three sums) for ``stamps`` (client id → stamp, 64-bit signed)."""
    values = stamps.values()
    return (len(stamps), sum(v & _LOW for v in values), sum((v >> 32) & _LOW for v in values),
            sum((v & 0xFFFF) * (k & 0xFFFF) for k, v in stamps.items()))


def _header(head: str) -> bytes:
    return _MAGIC + f"{FORMAT}|{head}|{sys.implementation.cache_tag}|{marshal.version}\n".encode()


@dataclass(frozen=True)
class Kept:
    """What the file gives a start: ``rows`` in the first read's order (name, id), or none when the caller must read
    every row; ``basis`` the database's stamps now (the rows, once ``changed`` are read again and ``gone`` left out,
    stand for it); ``changed`` the ids of clients new or changed since the file was written, ``gone`` deleted."""

    rows: list[ClientSummary]
    basis: ListBasis
    changed: list[int]
    gone: list[int]

    @property
    def exact(self) -> bool:
        return bool(self.rows) and not self.changed and not self.gone


def load(conn: sqlite3.Connection, database: Path, head: str) -> Kept | None:
    """The rows saved for ``database``: called inside the read's transaction on ``conn`` (at schema ``head``).
    When the stamps' sums are still the file's: its rows, exact. When they differ but the shared inputs do not:
    the stamps now (one statement: ``read_basis_at_once``) and which clients changed — with the file's rows when at
    most half did, else none (read every row; ``basis`` is still the stamps now). A file that was not exact is
    removed (``forget``: the window writes a new one at its close). None — read the stamps and every row — when
    there is no file (or not a regular one), it is of another format, revision or interpreter, damaged, the
    database is not UTF-8 (its order of names is not Python's), or the shared inputs differ (every row's totals
    may have changed; the file is removed). Raises sqlite3.Error from ``conn`` only."""
    header, stale = _header(head), False
    try:
        opened = open_cached(cache_file(database))
        if opened is None:
            return None
        with opened as source:
            if source.read(len(header)) != header:
                return None
            reader = _Parts(source)
            meta = reader.next()
            if not isinstance(meta, tuple) or len(meta) != 2:
                return None
            sums, shared = meta
            if conn.execute("PRAGMA encoding").fetchone()[0] != "UTF-8" or read_shared(conn) != shared:
                stale = True
                return None
            ids, values = reader.next()
            if not (isinstance(ids, tuple) and isinstance(values, tuple) and len(ids) == len(values) == sums[0]
                    and set(map(type, ids)) <= _INT and set(map(type, values)) <= _INT):
                return None
            basis = ListBasis(dict(zip(ids, values, strict=True)), shared)
            if len(basis.stamps) != len(ids):
                return None
            if tuple(conn.execute(SUMS_SQL).fetchone()) == sums:
                rows = _rows(reader, ids)
                return Kept(rows, basis, [], []) if rows is not None else None
            stale = True
            now = read_basis_at_once(conn)
            delta = now.changes_since(basis, len(now.stamps) // 2) if now.stamps else None
            if delta is None:  # no clients now, or more than half of them changed: every row is read
                return Kept([], now, [], [])
            rows = _rows(reader, ids)
            return Kept(rows, now, *delta) if rows is not None else None
    except (OSError, RuntimeError, TypeError, ValueError, IndexError, EOFError):  # damaged: never believed
        return None  # (RuntimeError: a loop of symbolic links in the path)
    finally:
        if stale:  # of data since changed (an erasure among them, maybe): not kept on disk any longer
            forget(database)


def _rows(reader: _Parts, ids: tuple) -> list[ClientSummary] | None:
    """The row chunks after the stamps, their ids those of the stamps' part in order; None when anything is off."""
    rows: list[ClientSummary] = []
    while len(rows) < len(ids):  # a chunk at a time: one chunk's bytes and columns in memory besides the rows
        chunk = reader.next()
        if not isinstance(chunk, tuple) or len(chunk) != _FIELDS:
            return None
        size = len(chunk[0])
        if not 0 < size <= CHUNK or not all(isinstance(c, tuple) and len(c) == size for c in chunk):
            return None
        if chunk[0] != ids[len(rows):len(rows) + size] or not all(
                set(map(type, column)) <= kinds for column, kinds in zip(chunk, TYPES, strict=True)):
            return None
        columns = list(chunk)
        columns[_SINCE] = map(datetime.fromisoformat, columns[_SINCE])
        columns[_SIGNED] = [date.fromisoformat(d) if d is not None else None for d in columns[_SIGNED]]
        rows += map(tuple.__new__, repeat(ClientSummary), zip(*columns, strict=True))
    return rows if len(rows) == len(ids) and reader.at_end() else None


class _Parts:
    """The parts after the header: each read only when the file holds its length, decoded only when its CRC is
    right; ValueError otherwise (marshal raises EOFError, ValueError or TypeError for a blob it cannot read)."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self._left = os.fstat(source.fileno()).st_size - source.tell()

    def next(self) -> Any:
        prefix = self._source.read(_PART.size)
        length, crc = _PART.unpack(prefix) if len(prefix) == _PART.size else (-1, 0)
        self._left -= len(prefix)
        if not 0 <= length <= self._left:  # cut short, or a damaged length: nothing read for it
            raise ValueError("cut short")
        blob = self._source.read(length)
        self._left -= len(blob)
        if len(blob) != length or zlib.crc32(blob) != crc:
            raise ValueError("damaged")
        return marshal.loads(blob)

    def at_end(self) -> bool:
        return self._left == 0 and not self._source.read(1)


def save(database: Path, head: str, rows: list[ClientSummary], basis: ListBasis) -> bool:
    """Write ``rows`` — every client's row of ``database`` at schema ``head``, in the first read's order (name, id),
    exactly as read with ``basis`` — for the next start (the file replaced at once). False, nothing written, when
    the rows and the basis do not name the same clients, a stamp is forgotten (None), or the file cannot be
    written: a cache, whose absence costs the next start only its read."""
    ids = {row.id for row in rows}
    if len(ids) != len(rows) or ids != basis.stamps.keys() or None in basis.stamps.values():
        return False
    stamps = cast(dict[int, int], basis.stamps)  # no None: checked above

    def write(out: BinaryIO) -> None:
        out.write(_header(head))
        _write(out, (stamp_sums(stamps), basis.shared))
        ids = tuple(row.id for row in rows)
        _write(out, (ids, tuple(map(stamps.__getitem__, ids))))
        for start in range(0, len(rows), CHUNK):
            _write(out, _chunk(rows[start:start + CHUNK]))

    try:
        written = replace_cached(cache_file(database), write)
    except RuntimeError:  # a loop of symbolic links in the database's path
        return False
    if written:  # noted as this database's, and the files of databases deleted since removed
        try:
            register(database)
        except (OSError, ValueError, RuntimeError):  # the note is extra: the rows are written all the same
            pass
    return written


def _chunk(rows: list[ClientSummary]) -> tuple:
    """One column per ClientSummary field (dates as ISO text)."""
    columns = list(zip(*rows, strict=True))
    columns[_SINCE] = tuple(value.isoformat() for value in columns[_SINCE])
    columns[_SIGNED] = tuple(value.isoformat() if value is not None else None for value in columns[_SIGNED])
    return tuple(columns)


def forget(database: Path) -> None:
    """Remove the rows kept for ``database`` (after a client's personal data were erased: the file must not keep
    them until the next close); a missing file or an error is ignored — its stamps no longer match anyway."""
    try:
        cache_file(database).unlink(missing_ok=True)
    except OSError:
        pass


def _write(out: BinaryIO, value: Any) -> None:
    blob = marshal.dumps(value)
    out.write(_PART.pack(len(blob), zlib.crc32(blob)))
    out.write(blob)
