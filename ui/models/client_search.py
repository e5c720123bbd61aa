"""The client table model's search: which clients match the typed words, computed once per filter in plain
Python over precomputed texts (narrowing the previous result while the user keeps typing), with the digit and
letter indexes made in a worker (a base of ClientTableModel)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from typing import TYPE_CHECKING

from app.domain.client_summary import ID_OF, STAGE_OF, ClientSummary
from ui.models.client_order import ClientOrder
from ui.models.digit_index import DigitIndex, compact
from ui.models.letter_index import LetterIndex
from ui.models.matches import Matches

if TYPE_CHECKING:
    from ui.models.client_filter import CompiledFilter

EMPTY_ROWS: list[ClientSummary] = []  # matches_at_stage of a stage no match is at (never changed)
EMPTY_IDS: list[int] = []  # and its ids
_DIGIT_INDEX_FROM = 64  # rows from which a worker makes the digit index ahead (fewer: made when asked, at once)
_LETTER_INDEX_FROM = 10_000  # rows from which a worker makes the letter index (fewer: a pass is ~1 ms)


class ClientSearch(ClientOrder):
    """The shared search index of the list proxy and the kanban columns: ``text_matches`` answers which clients
    match the typed words, computed once per filter and cached until the rows change."""

    MATCH_CACHE = 8  # filters remembered per generation (typing and deleting letters)

    def text_matches(self, compiled: CompiledFilter) -> Matches | None:
        """Clients whose search text matches the typed words (None: no words typed), cached; in the rows' order
        (each pass keeps it, and the cache is forgotten when the rows change or are sorted).

        While the user keeps typing, the new words only narrow the previous result, so only the
        previous matches are searched again; when they narrow nothing away, the previous result itself is the
        answer (the same object: see Matches)."""
        key = compiled.text_key
        if not key[0]:
            return None
        found = self._matches.get(key)
        if found is not None:
            return found
        rows_all = self._rows
        candidates: list[int] | None = None  # positions to search; None: every row
        base = None
        for other, matches in self._matches.items():
            if (len(matches) <= (len(rows_all) if candidates is None else len(candidates))
                    and compiled.narrows(other)):
                candidates, base = matches.positions, matches
        tokens, compact, also = key
        # digits alone («770»): a text holding them holds them in its compact form too (only non-digits are
        # dropped), so the digit index's hits are the whole answer — no pass over every search text
        alone = self._compact_hits(compact) if compact and candidates is None and tokens == (compact,) else None
        by_stage = None  # the letter index's answer, stage by stage, while it is the whole answer
        if alone is not None:
            positions = sorted(self._row_of[i] for i in alone if i in self._row_of)
        elif candidates is None and self._letters is not None:  # the first word: from the index, not every text
            by_stage = self._letters.find(tokens[0], rows_all)
            positions = sorted(chain.from_iterable(by_stage.values()))  # a merge of runs
            if len(tokens) > 1:
                positions, by_stage = self._token_positions(tokens[1:], positions), None
        else:
            positions = self._token_positions(tokens, candidates)
        if compact and alone is None:
            by_stage = None
            matched = set(positions)
            searched: Iterable[int] = range(len(rows_all)) if candidates is None else candidates
            hits = self._compact_hits(compact)
            if hits is not None and candidates is None:  # the hits' rows looked up, not every row tested
                row_of = self._row_of
                matched.update(row_of[i] for i in hits if i in row_of)
                positions = sorted(matched)
            elif hits is not None:
                positions = [n for n in searched if n in matched or rows_all[n].id in hits]
            else:  # no digit index (a search text holding a NUL): row by row
                compact_of = self.compact_text
                positions = [n for n in searched if n in matched or compact in compact_of(rows_all[n])]
        if also:
            by_stage = None
            matched = set(positions)
            positions = [n for n, s in enumerate(rows_all) if n in matched or s.id in also]
        if len(self._matches) >= self.MATCH_CACHE:
            self._matches.pop(next(iter(self._matches)))
        # the positions are a subset of the candidates (narrows() refuses extra clients): as many, the same ones
        if base is not None and candidates is not None and len(positions) == len(candidates):
            found = base
        elif len(positions) == len(rows_all) and not also:  # every client, in the rows' order
            if self._everyone is None:
                self._everyone = Matches(positions, rows_all, everyone=True)
            found = self._everyone
        else:
            found = Matches(positions, rows_all)
            if by_stage is not None and self._letters is not None and self._sort_column < 0 and not self._descending:
                # the board's split made from the index's lists (in name order, as _split's pass makes them)
                ids_at = self._letters.ids_at
                found.split = {stage: list(map(rows_all.__getitem__, hits)) for stage, hits in by_stage.items()}
                found.split_ids = {stage: ids_at(hits) for stage, hits in by_stage.items()}
        self._matches[key] = found
        return found

    def matches_at_stage(self, compiled: CompiledFilter, stage: int) -> list[ClientSummary] | None:
        """The clients at ``stage`` whose search text matches the typed words, in ``stage_rows``' order; None when
        no words are typed or every client matches them (Matches.everyone: the stage's rows). The matches are
        split by stage once per query for the board's five columns (kept on the Matches, so a text answered by an
        earlier result's object gets its lists too): while the rows are kept in name order, so are the matches
        (one pass over them); each column filtered its whole stage against the matches' ids before (~10 ms a
        keystroke at 50 000 clients). Never changed in place."""
        found = self.text_matches(compiled)
        if found is None or found.everyone:
            return None
        return self._split(found)[0].get(stage, EMPTY_ROWS)

    def match_ids_at_stage(self, compiled: CompiledFilter, stage: int) -> list[int] | None:
        """The ids of ``matches_at_stage`` (same order), made in the same pass: a column took them with a pass of
        its own over its rows, ~8 ms a keystroke at 50 000 clients (the rows are scattered in memory; the split's
        pass reads them anyway). None as ``matches_at_stage``."""
        found = self.text_matches(compiled)
        if found is None or found.everyone:
            return None
        return self._split(found)[1].get(stage, EMPTY_IDS)

    def _split(self, found: Matches) -> tuple[dict[int, list[ClientSummary]], dict[int, list[int]]]:
        """``found``'s rows and ids by stage, in the board's order (made once, kept on ``found``)."""
        if found.split is None or found.split_ids is None:
            split: dict[int, list[ClientSummary]] = {}
            split_ids: dict[int, list[int]] = {}
            if self._sort_column < 0 and not self._descending:
                for s in found.rows:
                    bucket = split.get(s.stage)
                    if bucket is None:
                        split[s.stage], split_ids[s.stage] = [s], [s.id]
                    else:
                        bucket.append(s)
                        split_ids[s.stage].append(s.id)
            else:  # the table sorted by another column: stage_rows are in name order, the matches are not
                ids = found.ids
                for st in set(map(STAGE_OF, found.rows)):
                    split[st] = [s for s in self.stage_rows(st) if s.id in ids]
                    split_ids[st] = list(map(ID_OF, split[st]))
            found.split, found.split_ids = split, split_ids
        return found.split, found.split_ids

    def filter_rows(self, compiled: CompiledFilter) -> list[int]:
        """Source rows (ascending) that pass the whole filter, stage included."""
        rows, f = self._rows, compiled.value
        found = self.text_matches(compiled)
        if found is None or found.everyone:
            result: Iterable[int] = range(len(rows))
        else:  # the matches are in the rows' order (text_matches), so their rows ascend: no sort
            result = found.positions  # (copied below: the proxy changes its map in place)
        if f.stage is not None:
            result = [n for n in result if rows[n].stage == f.stage]
        if f.approach is not None:
            result = [n for n in result if rows[n].approach == f.approach]
        if f.stalled_only:
            result = [n for n in result if self.is_stalled(rows[n])]
        if f.only_ids is not None:
            result = [n for n in result if rows[n].id in f.only_ids]
        return list(result)

    def compact_text(self, summary: ClientSummary) -> str:
        """search_text without spaces, brackets, dashes and pluses: phone numbers typed any way match."""
        text = self._compact.get(summary.id)
        if text is None:
            text = self._compact[summary.id] = compact(summary.search_text)
        return text

    def _token_positions(self, tokens: tuple[str, ...], candidates: list[int] | None) -> list[int]:
        """Rows (ascending) among ``candidates`` (None: every row) whose search text holds every token; the rows'
        numbers as they pass are the list proxy's rows, no lookup per match."""
        rows_all, positions = self._rows, candidates
        for token in tokens:
            if positions is None:
                positions = [n for n, s in enumerate(rows_all) if token in s.search_text]
            else:
                positions = [n for n in positions if token in rows_all[n].search_text]
        return list(range(len(rows_all))) if positions is None else positions

    def _compact_hits(self, query: str) -> set[int] | None:
        """Ids of the clients whose compact text holds ``query`` (digits), from the digit index (ui.models.digit_index;
        made here when no worker made it yet). None when ``query`` is not digits or the index cannot be made (a
        search text holding a NUL): the caller tests row by row."""
        if not query.isdigit():
            return None
        if self._digits is None:
            self._digits = DigitIndex.make(self._rows)
        return self._digits.hits(query) if self._digits is not None else None

    def _forget_digits(self) -> None:
        self._digits = None

    def digit_index_work(self) -> tuple[int, Callable[[], DigitIndex | None]] | None:
        """(generation, work) that makes the digit index of the rows shown now off the UI thread (hand its result
        to ``take_digit_index``), or None when there is one or the rows are few (made on demand in no time)."""
        if self._digits is not None or len(self._rows) < _DIGIT_INDEX_FROM:
            return None
        rows = self._rows[:]  # immutable rows: the copy of the list is the snapshot
        return self._rows_generation, lambda: DigitIndex.make(rows)

    def letter_index_missing(self) -> bool:
        """No letter index though the rows are many, and none is being made for these rows (``letter_index_work``
        not asked since they last changed): e.g. after a sort, an added or a renamed client dropped it."""
        return (self._letters is None and len(self._rows) >= _LETTER_INDEX_FROM
                and self._letters_asked != self._rows_generation)

    def letter_index_work(self) -> tuple[int, Callable[[], LetterIndex]] | None:
        """(generation, work) that makes the letter index (ui.models.letter_index) of the rows shown now off the UI
        thread (hand its result to ``take_letter_index``), or None when there is one, one is being made for these
        rows, or the rows are few."""
        if not self.letter_index_missing():
            return None
        rows = self._rows[:]
        self._letters_asked = self._rows_generation
        return self._rows_generation, lambda: LetterIndex.make(rows)

    def take_letter_index(self, generation: int, index: LetterIndex) -> None:
        """A letter index made by ``letter_index_work``: kept when no row changed meanwhile."""
        if self._letters is None and generation == self._rows_generation and index.size == len(self._rows):
            self._letters = index

    def take_digit_index(self, generation: int, index: DigitIndex | None) -> None:
        """A digit index made by ``digit_index_work``: kept when no row changed meanwhile (any change moves the
        generation on, ``_changed``) and the model has made none itself."""
        if index is not None and self._digits is None and generation == self._rows_generation:
            self._digits = index
