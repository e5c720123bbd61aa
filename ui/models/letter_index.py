"""The client search's first word: which clients' search texts hold which characters, as bit masks made in a worker.

The first letter typed at 50 000 clients tested every client's search text (~8–15 ms) and then split the matches by
stage for the board's columns in a Python pass (~5–17 ms): the texts lie scattered in memory, and a C-level pass over
them was no faster. A 64-bit mask per client (a bit per character), kept in arrays by stage, answers which clients
hold a letter in a C-level pass over contiguous memory, already split by stage: ~1 MB at 50 000 clients (lists of
Python integers took ~5 MB, and the window's peak memory there is close to its line)."""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort
from itertools import compress
from operator import attrgetter

_ID, _TEXT, _STAGE = attrgetter("id"), attrgetter("search_text"), attrgetter("stage")
_OTHER = 1 << 63  # the bit every character past the first 63 shares: the candidates' texts are then tested
_ALL = (1 << 64) - 1


class _Bits(dict):
    """character → its bit: the first 63 characters met get one each (the texts come in name order, so the letters
    and digits of the names come first), the rest share ``_OTHER``; no pass over every text before."""

    def __missing__(self, char: str) -> int:
        bit = self[char] = 1 << len(self) if len(self) < 63 else _OTHER
        return bit


class LetterIndex:
    """For rows in a fixed order (the model's rows when it was made: its *positions*), each row's characters as a bit
    mask, grouped by stage in the rows' order; rows replaced in place since (a move, an edit that kept the row's
    place) are kept beside it, row by row, until there are too many. Rows are anything with ``search_text`` and
    ``stage`` and ``id`` (a row replaced in place keeps its id). The caller drops the index whenever rows are
    inserted, removed or reordered."""

    CHANGES_MAX = 1024  # rows replaced since the index was made: past this, make it again

    def __init__(self, bits: dict[str, int], parts: dict[int, tuple[array, array]], ids: list[int]) -> None:
        """``bits``: character → its bit; ``parts``: stage → (positions ascending, their masks: arrays of unsigned
        ints and of unsigned 64-bit ints); ``ids``: the rows' ids by position (the rows' own int objects)."""
        self._bits, self._parts, self._ids, self.size = bits, parts, ids, len(ids)
        self._changed: dict[int, object] = {}  # position → its row now

    @classmethod
    def make(cls, rows: list) -> LetterIndex:
        """The index of ``rows`` (a snapshot: may run in a worker; ~0.2–0.3 s at 50 000 clients, ~1 MB)."""
        bits = _Bits()
        bit_of = bits.__getitem__
        positions: dict[int, array] = {}
        for n, stage in enumerate(map(_STAGE, rows)):
            part = positions.get(stage)
            if part is None:
                part = positions[stage] = array("I")
            part.append(n)
        parts = {}
        for stage, part in sorted(positions.items()):  # a stage at a time: less held at once while made
            texts = list(map(_TEXT, map(rows.__getitem__, part)))
            masks = [sum(map(bit_of, set(text))) for text in texts]  # C-level per text: ~3.5 µs a client
            if max(masks) > _ALL:  # two characters or more sharing _OTHER in one text: counted once
                masks = [mask if mask <= _ALL else sum({*map(bit_of, set(text))})
                         for mask, text in zip(masks, texts, strict=True)]
            parts[stage] = (part, array("Q", masks))
        return cls(bits, parts, list(map(_ID, rows)))

    def change(self, position: int, row: object) -> bool:
        """Note that the row at ``position`` is now ``row`` (same place, any text or stage). False when too many rows
        changed since the index was made: drop it then."""
        if not 0 <= position < self.size:
            return False
        self._changed[position] = row
        return len(self._changed) <= self.CHANGES_MAX

    def ids_at(self, positions: list[int]) -> list[int]:
        """The ids of the rows at ``positions`` (a list of the ids kept, not a read of every row)."""
        return list(map(self._ids.__getitem__, positions))

    def find(self, token: str, rows: list) -> dict[int, list[int]]:
        """stage → the positions (ascending) of the rows at that stage whose search text holds ``token`` (non-empty,
        folded as the search texts are: ValueError when empty); stages without one are absent. ``rows``: the
        model's rows now, by position: a token of several characters is looked up by all its characters' bits,
        then those candidates' texts are tested."""
        if not token:
            raise ValueError("an empty token matches every row: not a search")
        bit = 0
        for char in set(token):
            char_bit = self._bits.get(char)
            if char_bit is None:  # a character no text held when the index was made: only a changed row can match
                bit = 0
                break
            bit |= char_bit
        found: dict[int, list[int]] = {}
        if bit:
            exact = len(token) == 1 and bit != _OTHER  # one character of its own bit: the masks' and is the answer
            for stage, (part, masks) in self._parts.items():
                if exact:
                    hits = list(compress(part, map(bit.__and__, masks)))
                else:  # every character's bit, then the texts of those candidates
                    hits = list(compress(part, map(bit.__eq__, map(bit.__and__, masks))))
                    hits = [n for n in hits if token in rows[n].search_text]
                if hits:
                    found[stage] = hits
        for position, row in self._changed.items():  # rows replaced since: out of where they were, in by their text
            for hits in found.values():
                at = bisect_left(hits, position)
                if at < len(hits) and hits[at] == position:
                    del hits[at]
                    break
            if token in _TEXT(row):
                insort(found.setdefault(_STAGE(row), []), position)
        return {stage: hits for stage, hits in found.items() if hits}
