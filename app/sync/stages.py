"""A client's stage as its stage history says: the ``to_stage`` of its last move, in the team's order of moves.

Two people may move one client offline, one forward and one back (issue 17 trial). The history is append-only
and keeps both moves; the client's ``stage`` is then whatever the *last* move says, so the card and the history
never disagree and the field is never a conflict (app/sync/merge.py ``DERIVED``). The order of moves is the
server's, never a clock (docs/sync.md «Этап заказчика»):

1. moves the team server has numbered (``row_version`` > 0), by that number — the move that reached the server
   last is the last;
2. then this computer's moves not yet sent (``row_version`` 0: they will be numbered above everything when they
   are), and the moves of a bundle from a computer with no server, by their moment ``at``, then ``uuid`` so
   that two computers order the same moves alike.

``stage_since`` follows: a client whose stage changes here takes the moment of the move that put it there; a
client already at that stage keeps its own (an undone move puts back the day the stage was entered,
app/services/stage_undo.py, and that must survive a sync)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

_CHUNK = 500
# the last move of each client of the chunk, in the order above (SQLite ≥ 3.25 and PostgreSQL: window functions)
_LAST_MOVES = text(
    "SELECT c.id, c.stage, e.to_stage, e.at FROM client c JOIN ("
    " SELECT client_id, to_stage, at, ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY"
    "  (row_version = 0) DESC, row_version DESC, at DESC, uuid DESC) AS rn"
    " FROM stage_event WHERE client_id IN :ids) e ON e.client_id = c.id AND e.rn = 1"
    " WHERE c.id IN :ids").bindparams(bindparam("ids", expanding=True))


def move_order(event) -> tuple:
    """ORDER BY terms for moves in the order above, first to last (``event``: the StageEvent class or its
    table's columns): a client's history read this way ends with the move that put it where it stands."""
    return (event.row_version == 0, event.row_version, event.at, event.uuid)


def settle_stages(conn: Connection, client_ids: Iterable[int] | None = None) -> list[int]:
    """Put each client of ``client_ids`` (local ids; None: every client) at the stage of its last move.

    Writes only the clients that stand elsewhere (``stage`` = the move's ``to_stage``, ``stage_since`` = its
    ``at``); a client with no moves stays as it is. Runs in the caller's transaction on the caller's
    connection, so the caller decides whether the write is a change to send (a bundle merged here) or the
    server's state applied (a pull, under the engine's guard). Returns the ids of the clients moved."""
    if client_ids is None:
        ids = [int(i) for i in conn.execute(text("SELECT id FROM client")).scalars()]
    else:
        ids = sorted({int(i) for i in client_ids if i})
    moved: list[tuple[int, int, object]] = []
    for start in range(0, len(ids), _CHUNK):
        for client_id, stage, to_stage, at in conn.execute(_LAST_MOVES, {"ids": ids[start:start + _CHUNK]}):
            if stage != to_stage:
                moved.append((int(client_id), int(to_stage), at))
    for client_id, to_stage, at in moved:
        conn.execute(text("UPDATE client SET stage = :stage, stage_since = :at WHERE id = :id"),
                     {"stage": to_stage, "at": at, "id": client_id})
    return [client_id for client_id, _stage, _at in moved]


def client_ids_of(conn: Connection, client_uuids: Iterable[str]) -> list[int]:
    """The local ids of the clients with these UUIDs (those that exist here)."""
    uuids = sorted({str(u) for u in client_uuids if u})
    query = text("SELECT id FROM client WHERE uuid IN :uuids").bindparams(bindparam("uuids", expanding=True))
    return [int(i) for start in range(0, len(uuids), _CHUNK)
            for i in conn.execute(query, {"uuids": uuids[start:start + _CHUNK]}).scalars()]
