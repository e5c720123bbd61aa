"""What a window's client rows were read from: each client's stamp (migration 0017) and the rows' shared inputs.

Read with a plain DB-API ``sqlite3`` connection, in the transaction of the rows' own read and before it, by the
first screen's reader (no SQLAlchemy: app.persistence.first_rows) and by ``app.services.list_read``. A row read
after its stamp is never older than the stamp says: a change between the two reads draws a new stamp, which the
next comparison sees as a change and reads again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

# A client without a stamp (a writer that bypassed the triggers) gets a random one: read again every time.
STAMPS_SQL = ("SELECT client.id, coalesce(client_stamp.stamp, random()) FROM client "
              "LEFT JOIN client_stamp ON client_stamp.client_id = client.id")
# the inputs of every row at once: the checklist items per stage, the active lessons (their totals)
_TEMPLATES = "SELECT code, stage FROM checklist_template ORDER BY code, stage"
_ACTIVE = "SELECT count(*) FROM lesson WHERE active IS 1"


@dataclass(frozen=True, eq=False)
class ListBasis:
    """``stamps``: client id → stamp when the rows were read; ``shared``: the checklist items (code, stage) and
    the number of active lessons they were read with. Compared with a later basis by ``changes_since``."""

    stamps: dict[int, int | None]  # None: forgotten (``forgetting``), read again next time
    shared: tuple

    def forgetting(self, ids: Iterable[int]) -> ListBasis:
        """This basis with the stamps of ``ids`` forgotten: the next ``changes_since`` against it reads those rows
        again (a stamp is never None). For rows the holder changed itself while a read was under way."""
        stamps = dict(self.stamps)
        for client_id in ids:
            if client_id in stamps:
                stamps[client_id] = None
        return ListBasis(stamps, self.shared)

    def changes_since(self, before: ListBasis, most: int) -> tuple[list[int], list[int]] | None:
        """(ids whose rows must be read again — changed or new —, ids deleted since ``before``), or None when every
        row must be read again: the shared inputs changed, or more than ``most`` rows did."""
        if self.shared != before.shared:
            return None
        old = before.stamps
        changed = [cid for cid, stamp in (self.stamps.items() - old.items())]  # C-level: set difference
        if len(changed) > most:
            return None
        gone = [cid for cid in old.keys() - self.stamps.keys()]
        return sorted(changed), sorted(gone)


def read_basis(conn: sqlite3.Connection) -> ListBasis:
    """The stamps and shared inputs now, from a SQLite connection at schema 0017 or later (sqlite3.Error
    otherwise). ~10 ms at 50 000 clients."""
    stamps = dict(conn.execute(STAMPS_SQL))
    return ListBasis(stamps, read_shared(conn))


_STAMPS_AT_ONCE = ("SELECT json_group_array(json_array(id, stamp)) FROM (SELECT client.id AS id, "
                   "coalesce(client_stamp.stamp, random()) AS stamp FROM client "
                   "LEFT JOIN client_stamp ON client_stamp.client_id = client.id)")


def read_basis_at_once(conn: sqlite3.Connection) -> ListBasis:
    """``read_basis`` as one statement's single value (a JSON array; integers are exact both ways): one step, so a
    thread reading beside a busy one takes the interpreter lock back once, not once a row (Python's sqlite3 lets it
    go around every step). Slower alone (2.5 against 1.9 ms at 5 000 clients); for the start's worker, which reads
    beside the UI thread's imports, where the row-by-row read took 50–80 ms at 5 000 clients."""
    import json

    stamps = dict(json.loads(conn.execute(_STAMPS_AT_ONCE).fetchone()[0]))
    return ListBasis(stamps, read_shared(conn))


def read_shared(conn: sqlite3.Connection) -> tuple:
    """``ListBasis.shared`` now: the checklist items (code, stage) in order and the number of active lessons."""
    return tuple(conn.execute(_TEMPLATES)), conn.execute(_ACTIVE).fetchone()[0]
