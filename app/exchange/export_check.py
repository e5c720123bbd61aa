"""An export's look at the records it writes: values the program cannot use and references to nothing, refused.

An export wrote a date «2026-13-45», a kind «ufo» or a stage 9 another program had put in the file as they were
(the file's import elsewhere then refused it whole), and left out without a word a record that refers to a record
that does not exist (a work-log entry «billed by» act 999: the bundle had one entry fewer than the log). The look
runs on its own connection and thread while the export encodes (SQLite's scan leaves Python's interpreter lock
free: +15 % of the export's wall time at 5 000 clients, bench/RESULTS.md), and the export refuses before its file
is put in place (app.persistence.damaged names the values, the way out is a fix or a restore). Nothing on
PostgreSQL, which keeps types and references itself."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from types import TracebackType

from sqlalchemy import Engine

from app.persistence.damaged import BrokenReference, DamagedValue, values_refusal
from app.persistence.unusable_records import Scope, look


class ExportLook:
    """``with ExportLook(engine, client_ids) as look: … write … ; look.refuse()`` — the look at the records of the
    given clients (all when None) of every table an export writes (``table_specs.table_specs``;
    app.persistence.unusable_records), started on a second thread at once. ``refuse()`` waits for it and raises
    UserError naming what it found; leaving the block waits for the thread in any case (it uses the engine)."""

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
        from app.exchange.table_specs import table_specs

        tables = [spec.table for spec in table_specs()]
        only: Scope | None = None
        if self.client_ids is not None:
            only = {t.name: ("id" if t.name == "client" else "client_id", self.client_ids) for t in tables}
        try:
            with self.engine.connect() as conn:
                self.found, self.broken = look(conn, tables, only)
        except BaseException as exc:  # said by refuse(), on the export's thread
            self.error = exc
