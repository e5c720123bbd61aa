"""One sync of a laptop with the team server: what its steps share (counts, progress, a result, settings).

The steps: push the outbox (app/sync/pushing.py; one record on the server: push_record.py), reserve document
numbers, pull by version (app/sync/pulling.py; a first sync: snapshot.py); a pushed or pulled record is written
here by app/sync/laptop_apply.py.

Order comes only from the server's ``row_version`` sequence (docs/sync.md): writers take a transaction-level
advisory lock on the server, so versions become visible in the order they were given, and a pull reads up
to the sequence value seen under the shared form of that lock. Each push batch is one server transaction
followed by one laptop transaction; each pull page one laptop transaction, the watermark saved with the
last one. Killing the process or dropping the connection anywhere leaves either side's last committed state,
and the next sync redoes the rest: re-pushing a row the server already has merges to "no change" (both
sides equal), re-pulling a row already applied writes the same values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection, Engine

from app.sync import refused
from app.sync.bases import read_bases
from app.sync.rows import table

WRITE_LOCK = 7417222
APPLYING = "sync.applying"
PULLED_KEY = "sync.pulled"
KEPT_BY_SERVER = refused.KEPT_BY_SERVER  # sync_conflict.kind: a change the server refused to an issued document or billed work
NOT_YOURS = refused.NOT_YOURS  # sync_conflict.kind: a client the server no longer shows this member (app/team/display.py)

# test hook: called with a stage name ("pushed-server", "pulled-page") so tests can kill or disconnect there
def _no_checkpoint(_stage: str) -> None:
    return None


checkpoint: Callable[[str], None] = _no_checkpoint

# what a sync tells of its way: ``progress(phase, done, total)`` with phase PUSHED or PULLED — the records of that
# phase sent (taken) so far and how many it has (docs/sync.md «One sync»). Called between the laptop's transactions
# (after a push batch's, after a pull page's; the first sync's one transaction: per chunk of its copy), so a callback
# that raises (Ctrl+C in the CLI) leaves the laptop as a kill there does
Progress = Callable[[str, int, int], None]
PUSHED = "push"
PULLED = "pull"


def _no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


class Told:
    """One phase's progress as told: ``add(n)`` after n more records are dealt with (the total is raised to what
    was done when more came than counted: a newly visible client's older records), ``end()`` at its end (the total
    then: rows changed again after the count leave the range, so fewer may come)."""

    def __init__(self, progress: Progress | None, phase: str, total: int) -> None:
        self.progress = progress or _no_progress
        self.phase = phase
        self.total = max(0, total)
        self.done = 0
        if self.total:
            self.progress(phase, 0, self.total)

    def add(self, n: int) -> None:
        if n <= 0:
            return
        self.done += n
        self.total = max(self.total, self.done)
        self.progress(self.phase, self.done, self.total)

    def end(self) -> None:
        if self.total and self.done != self.total:
            self.done = self.total
            self.progress(self.phase, self.done, self.total)


@dataclass
class Result:
    """What one pushed or pulled record does to the laptop."""

    table: str
    uuid: str  # the laptop's uuid (before adopting the server's)
    server_uuid: str
    version: int | None  # None: the record is gone on the server
    data: dict | None
    sent: dict | None  # what the push sent (the laptop row then), None for pulls
    conflicts: list[tuple[str, str, object, object, str]]  # (kind, field, local, server, kept)
    keep_local: bool = False  # the server cannot take it (its client is gone there): keep it here as it is
    changed: bool = False  # the push inserted, updated or deleted the server's row («Отправлено» counts only these)


@dataclass
class Counts:
    pushed: int = 0  # records whose push changed the server (inserted, updated, deleted; audit lines not counted)
    refused: int = 0  # records the user changed, sent and not taken (kept here or the server's taken back)
    others: list[str] = dataclass_field(default_factory=list)  # UUIDs of other members' clients refused (refused.py)
    held: list[str] = dataclass_field(default_factory=list)  # UUIDs of clients refused again, refusal in effect
    pulled: int = 0  # records changed or deleted by others, taken (audit lines not counted)
    lines: int = 0  # audit lines sent or taken (a history view refreshes on them)
    conflicts: int = 0
    answered: int = 0  # open field conflicts closed by the team's later value of their field (app/sync/answered.py)


def _local_begin(engine: Engine):
    return engine.connect().execution_options(sqlite_begin="IMMEDIATE")


def _guard(conn: Connection, on: bool) -> None:
    t = table("setting")
    if on:
        conn.execute(delete(t).where(t.c.key == APPLYING))
        conn.execute(insert(t).values(key=APPLYING, value="1"))
    else:
        conn.execute(delete(t).where(t.c.key == APPLYING))


def _base(conn: Connection, name: str, uuids: list[str]) -> dict[str, tuple[int, dict]]:
    """uuid -> (version, payload) of the merge bases (app/sync/bases.py; either stored form)."""
    return read_bases(conn, name, uuids)


def _is_kept(r: Result) -> bool:
    return any(c[0] == KEPT_BY_SERVER for c in r.conflicts)


def _setting(conn: Connection, key: str) -> str | None:
    t = table("setting")
    return conn.execute(select(t.c.value).where(t.c.key == key)).scalar()


def _set_setting(conn: Connection, key: str, value: str) -> None:
    t = table("setting")
    conn.execute(delete(t).where(t.c.key == key))
    conn.execute(insert(t).values(key=key, value=value))


__all__ = ["Counts", "Progress", "Result", "Told"]
