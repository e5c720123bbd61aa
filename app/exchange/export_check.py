"""An export's look at the records it writes: values the program cannot use and references to nothing, refused.

An export wrote a date «2026-13-45», a kind «ufo» or a stage 9 another program had put in the file as they were
(the file's import elsewhere then refused it whole), and left out without a word a record that refers to a record
that does not exist (a work-log entry «billed by» act 999: the bundle had one entry fewer than the log). The look
runs on its own connection and thread while the export encodes (SQLite's scan leaves Python's interpreter lock
free: the export's time barely grows), and the export refuses before its file is put in place
(app.persistence.damaged names the values, the way out is a fix or a restore). Nothing on PostgreSQL, which keeps
types and references itself."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from types import TracebackType

from sqlalchemy import Connection, Engine

from app.persistence.damaged import FOUND_MAX, BrokenReference, DamagedValue, find_damaged, values_refusal


class ExportLook:
    """``with ExportLook(engine, client_ids) as look: … write … ; look.refuse()`` — the look at the records of the
    given clients (all when None) of every table an export writes (``changeset.table_specs``), started on a second
    thread at once. ``refuse()`` waits for it and raises UserError naming what it found (app.persistence.damaged:
    ``values_refusal``); leaving the block waits for the thread in any case (it uses the engine)."""

    def __init__(self, engine: Engine, client_ids: Sequence[int] | None) -> None:
        self.engine = engine
        self.client_ids = None if client_ids is None else [int(i) for i in client_ids]
        self.found: list[DamagedValue] = []
        self.broken: list[BrokenReference] = []
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        if engine.dialect.name == "sqlite":
            self.thread = threading.Thread(target=self._run, name="export-look", daemon=True)
            self.thread.start()

    def __enter__(self) -> ExportLook:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.thread is not None:
            self.thread.join()

    def refuse(self) -> None:
        """Wait for the look; raise UserError naming the values and references found (none: return). A failure of
        the look itself (the file locked, damaged beyond reading) is raised as it is."""
        if self.thread is not None:
            self.thread.join()
        if self.error is not None:
            raise self.error
        if self.found or self.broken:
            raise values_refusal(self.found, self.engine, self.broken)

    def _run(self) -> None:
        try:
            with self.engine.connect() as conn:
                self.found = find_damaged(conn, _tables(), rows=self._rows(), params=self._params())
                self.broken = broken_references(conn, self.client_ids)
        except BaseException as exc:  # said by refuse(), on the export's thread
            self.error = exc

    def _rows(self) -> dict[str, str] | None:
        if self.client_ids is None:
            return None
        return {t.name: ('"id"' if t.name == "client" else '"client_id"') + " IN (SELECT value FROM json_each(?))"
                for t in _tables()}

    def _params(self) -> dict[str, tuple] | None:
        if self.client_ids is None:
            return None
        ids = json.dumps(self.client_ids)
        return {t.name: (ids,) for t in _tables()}


def _tables() -> list:
    from app.exchange.changeset import table_specs

    return [spec.table for spec in table_specs()]


def broken_references(conn: Connection, client_ids: Sequence[int] | None,
                      limit: int = FOUND_MAX) -> list[BrokenReference]:
    """(SQLite) The records of the given clients (all when None) whose reference to another record of the export
    names a record that does not exist or one of another client (``other_client``: an entry of one client «billed
    by» another's act), at most ``limit``, table by table in the export's order, by record id. The export left such
    a record out: it cannot be written with a reference the importing side can follow. One statement a reference
    (a join on the parent's key)."""
    from app.exchange.changeset import table_specs

    ids = None if client_ids is None else json.dumps([int(i) for i in client_ids])
    found: list[BrokenReference] = []
    for spec in table_specs():
        for column in spec.refs:
            parent = column.ref_table or ""
            t, c = spec.name, column.name
            same_client = "client_id" in spec.table.c and parent != "client"
            other = 'p."client_id" IS NOT t."client_id"' if same_client else "0"
            only = (f' AND t."{"id" if t == "client" else "client_id"}" IN (SELECT value FROM json_each(?))'
                    if ids is not None else "")
            sql = (f'SELECT t."id", t."{c}", p."id" IS NOT NULL FROM "{t}" AS t LEFT JOIN "{parent}" AS p '
                   f'ON p."id" = t."{c}" WHERE t."{c}" IS NOT NULL AND (p."id" IS NULL OR {other}){only} '
                   'ORDER BY t."id" LIMIT ?')
            params = (*((ids,) if ids is not None else ()), limit - len(found))
            for key, value, exists in conn.exec_driver_sql(sql, params):
                found.append(BrokenReference(t, key, c, value, parent, other_client=bool(exists)))
            if len(found) >= limit:
                return found
    return found
