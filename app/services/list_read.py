"""Every client's list row after a data change, reading again only the rows whose stamp changed (SQLite).

A restore, a bundle or a sync may change any client, so a window used to read all rows again: ~0.4 s of a
worker's CPU at 50 000 clients, with 1 in 10 clients changed. With the stamps of migration 0017 it reads the
stamps (one scan of two integers per client) and the changed rows only."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from app.domain.client_summary import ClientSummary
from app.gcpause import paused_gc
from app.persistence.db import Database
from app.persistence.stamps import ListBasis, read_basis
from app.services.client_list import summaries

log = logging.getLogger(__name__)

DELTA_MOST = 10_000  # changed rows read by id at most (and at most half the clients): a full read beyond


@dataclass(frozen=True)
class ListRead:
    """``rows``: every client's row (``gone`` None) or only the changed and new ones (``gone``: the ids of the
    clients deleted since the basis given). ``basis``: what these rows were read from, for the next call
    (None on PostgreSQL, which has no stamps)."""

    rows: list[ClientSummary]
    gone: list[int] | None
    basis: ListBasis | None

    @property
    def complete(self) -> bool:
        return self.gone is None

    def keeping(self, ids: set[int], current: Callable[[int], ClientSummary | None]) -> ListRead:
        """This read with the caller's own rows of ``ids`` kept: the caller changed those clients itself while the
        read was under way, so the read's rows of them may be older (a move made while a reload read in a worker
        was undone by it). A delta read leaves them out; a full read takes ``current(id)`` instead — also for a
        client the caller added, which the read may not hold — or no row when it gives None. Their stamps are
        forgotten, so the caller's next read reads them again (an outside change to them meanwhile is then seen).
        ``gone`` is kept: a deletion is never older than the read."""
        if not ids:
            return self
        if self.gone is None:  # every row: the caller's rows of ids in their place, also of clients it added
            read = {row.id for row in self.rows if row.id in ids}
            mine = [row if row.id not in ids else current(row.id) for row in self.rows]
            mine += [current(client_id) for client_id in sorted(ids - read)]
            rows = [row for row in mine if row is not None]
        else:
            rows = [row for row in self.rows if row.id not in ids]
        return ListRead(rows, self.gone, self.basis.forgetting(ids) if self.basis is not None else None)


def read_list(db: Database, since: ListBasis | None = None) -> ListRead:
    """The rows that changed since ``since`` (the basis of the rows the caller holds), or every row when there
    is no basis, the shared inputs changed (a checklist item or lesson added, moved, retired), or more than
    DELTA_MOST rows or half of them changed (a restore of an old backup, another database). The stamps are read
    first, in the rows' own transaction (``app.persistence.stamps``). Raises what ``db.read`` raises."""
    with db.read() as s:
        conn = s.connection()
        if conn.dialect.name != "sqlite":
            return ListRead(summaries(s), None, None)
        raw = conn.connection.driver_connection  # the session's sqlite3 connection, inside its BEGIN
        try:
            with paused_gc():
                basis = read_basis(raw)  # type: ignore[arg-type]  # sqlite3.Connection on this dialect
        except sqlite3.Error:  # no stamps to read (a damaged schema, repaired on the next open): every row
            log.warning("the client stamps could not be read: every row read again", exc_info=True)
            return ListRead(summaries(s), None, None)
        delta = basis.changes_since(since, min(DELTA_MOST, len(basis.stamps) // 2)) if since is not None else None
        if delta is None:
            return ListRead(summaries(s), None, basis)
        changed, gone = delta
        return ListRead(summaries(s, changed) if changed else [], gone, basis)
