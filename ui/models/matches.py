"""The clients one search text matches: the shared result the list proxy and the board's columns are fed from."""

from __future__ import annotations

from app.domain.client_summary import ID_OF, ClientSummary


class Matches:
    """The clients a search text matches, cached by ClientTableModel per text until its rows change:
    ``positions``, their rows' numbers in the model (ascending: the list proxy's rows as they are, no lookup per
    match — ~6 ms a broad letter at 50 000 clients), and, made when first asked, ``rows`` (the summaries in that
    order), ``ids`` (a set) and ``split`` / ``split_ids`` (rows and ids by stage, for the board's five columns).

    A narrower text that matches exactly the clients of a broader one («завод» after «заво») is answered with
    the broader one's object: the proxy and the columns recognise their input by identity and skip their work.
    A text every client matches («7» of an ИНН at 50 000 clients) is answered with one object per generation of
    rows, ``everyone`` true: the list and the board then show what they show without a text.
    Nothing here is changed in place once made."""

    __slots__ = ("_all", "_ids", "_rows", "everyone", "positions", "split", "split_ids")

    def __init__(self, positions: list[int], all_rows: list[ClientSummary], *, everyone: bool = False) -> None:
        """``positions`` index ``all_rows`` (the model's rows of this generation, not changed while cached)."""
        self.positions = positions
        self.everyone = everyone
        self._all = all_rows
        self._rows: list[ClientSummary] | None = None
        self._ids: set[int] | None = None
        self.split: dict[int, list[ClientSummary]] | None = None  # set by ClientTableModel._split
        self.split_ids: dict[int, list[int]] | None = None  # the ids of ``split``'s lists, made with them

    @property
    def rows(self) -> list[ClientSummary]:
        """The matched clients' rows, in the model's order."""
        if self._rows is None:
            self._rows = list(map(self._all.__getitem__, self.positions))
        return self._rows

    @property
    def ids(self) -> set[int]:
        """The matched clients' ids."""
        if self._ids is None:
            self._ids = set(map(ID_OF, self.rows))
        return self._ids

    def __len__(self) -> int:
        return len(self.positions)
