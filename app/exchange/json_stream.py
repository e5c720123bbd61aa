"""A bundle's changeset JSON read piece by piece (issue 15: an import never holds the whole file's rows).

The changeset is one JSON object: ``{"tables": {name: [row, …], …}, "tombstones": […], …}``. ``events`` walks it
from an iterator of UTF-8 byte chunks and yields

* ``("tables",)`` when the ``tables`` object begins, ``("table", name)`` when a table's list begins, then ``("row", name, row)`` for each of its rows (decoded
  with the standard library's decoder, one row at a time), then ``("end", name)``;
* ``("member", key, value)`` for every other top-level member (small: tombstones, checklist items, the sealed
  manifest), decoded whole.

So the memory it needs is one row and the text not yet consumed (a chunk). Anything of another shape —
not an object at the top, ``tables`` not an object, a table not a list, a key twice — raises ``Unstreamable``:
the caller then reads the file whole, whose reader words the refusal (those are hand-made files). Text that is
not JSON raises ``ValueError``. Numbers and constants are decoded as ``json.loads`` with ``parse_constant``
refusing NaN and Infinity would.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from typing import Any

_WHITE = " \t\n\r"


class Unstreamable(Exception):
    """The JSON is not of the changeset's shape (or names a key twice): read it whole instead."""


def _no_constants(value: str):
    raise ValueError(value)


class _Text:
    """The decoded text of the chunks, consumed from the left; refilled on demand."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks = iter(chunks)
        self.decoder = codecs.getincrementaldecoder("utf-8")()  # strict: a broken sequence is a ValueError
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.json = json.JSONDecoder(parse_constant=_no_constants)

    def more(self) -> bool:
        """Append the next chunk's text (dropping what was consumed); False at the end of the input."""
        if self.eof:
            return False
        chunk = next(self.chunks, None)
        if chunk is None:
            self.eof = True
            tail = self.decoder.decode(b"", final=True)
        else:
            tail = self.decoder.decode(chunk)
        self.buf = self.buf[self.pos:] + tail
        self.pos = 0
        return True

    def grow(self) -> bool:
        """Read on until the unconsumed text is twice as long (a value longer than a chunk is decoded again
        O(log n) times, not once per chunk); False at the end of the input."""
        target = 2 * max(len(self.buf) - self.pos, 1)
        grown = False
        while len(self.buf) - self.pos < target and self.more():
            grown = True
        return grown

    def peek(self) -> str:
        """The next character that is not white space ('' at the end), not consumed."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in _WHITE:
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self.more():
                return ""

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise ValueError(f"expected {char!r}")
        self.pos += 1

    def value(self) -> Any:
        """The next JSON value, decoded; refills until it is complete (a value that ends exactly at the end of
        the text read so far may go on in the next chunk, e.g. a number: decoded again with more text)."""
        self.peek()
        while True:
            try:
                value, end = self.json.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError:
                if self.grow():
                    continue
                raise ValueError("not JSON") from None
            if end == len(self.buf) and not self.eof and self.more():
                continue
            self.pos = end
            return value

    def key(self) -> str:
        if self.peek() != '"':
            raise ValueError("expected a key")
        key = self.value()
        self.take(":")
        return key


def events(chunks: Iterable[bytes]) -> Iterator[tuple]:
    """The changeset's events (see the module's docstring). Raises Unstreamable or ValueError."""
    text = _Text(chunks)
    if text.peek() != "{":
        raise Unstreamable
    for key in _keys(text):
        if key != "tables":
            yield ("member", key, text.value())
            continue
        if text.peek() != "{":
            raise Unstreamable
        yield ("tables",)
        yield from _tables(text)
    if text.peek() != "":
        raise ValueError("text after the changeset")


def _keys(text: _Text) -> Iterator[str]:
    """The keys of the JSON object at ``text`` (its «{» and «}» taken here), each once: a key twice is
    Unstreamable. The caller reads each key's value before asking for the next key."""
    text.take("{")
    seen: set[str] = set()
    first = True
    while True:
        if text.peek() == "}":
            text.pos += 1
            return
        if not first:
            text.take(",")
        first = False
        key = text.key()
        if key in seen:
            raise Unstreamable
        seen.add(key)
        yield key


def _tables(text: _Text) -> Iterator[tuple]:
    for name in _keys(text):
        if text.peek() != "[":
            raise Unstreamable
        text.take("[")
        yield ("table", name)
        if text.peek() == "]":
            text.pos += 1
        else:
            while True:
                yield ("row", name, text.value())
                char = text.peek()
                text.pos += 1
                if char == "]":
                    break
                if char != ",":
                    raise ValueError("expected , or ]")
        yield ("end", name)
