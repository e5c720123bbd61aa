"""The clients one search text matches: the shared result the list proxy and the board's columns are fed from."""

from __future__ import annotations

from app.domain.client_summary import ID_OF, ClientSummary


class Matches:
    """The clients a search text matches, in the table's row order (``rows``), cached by ClientTableModel per
    text until its rows change. ``ids`` and ``split`` (the rows by stage, for the board's five columns) are made
    when first asked: a set of 40 000 ids was ~2 ms of every broad keystroke at 50 000 clients, and only the
    board sorted by another column and the digit search need it.

    A narrower text that matches exactly the clients of a broader one («завод» after «заво») is answered with
    the broader one's object: the proxy and the columns recognise their input by identity and skip their work.
    A text every client matches («7» of an ИНН at 50 000 clients) is answered with one object per generation of
    rows, ``everyone`` true: the list and the board then show what they show without a text.
    The lists are never changed in place."""

    __slots__ = ("_ids", "everyone", "rows", "split", "split_ids")

    def __init__(self, rows: list[ClientSummary], *, everyone: bool = False) -> None:
        self.rows = rows
        self.everyone = everyone
        self._ids: set[int] | None = None
        self.split: dict[int, list[ClientSummary]] | None = None  # set by ClientTableModel.matches_at_stage
        self.split_ids: dict[int, list[int]] | None = None  # the ids of ``split``'s lists, made with them

    @property
    def ids(self) -> set[int]:
        """The matched clients' ids."""
        if self._ids is None:
            self._ids = set(map(ID_OF, self.rows))
        return self._ids

    def __len__(self) -> int:
        return len(self.rows)
