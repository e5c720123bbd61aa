"""Notice that the data changed outside this window (another instance, a CLI command) — cheaply, by polling.

SQLite: ``PRAGMA data_version`` on one dedicated connection changes whenever another connection commits.
PostgreSQL (and anything else): a fingerprint of row counts and the newest ``updated_at`` of the tables
the window shows, read in one statement. Nothing here says *what* changed: the caller re-reads broadly."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.persistence.db import Database
from app.persistence.models import (
    ChecklistState,
    Client,
    Document,
    Estimate,
    LessonProgress,
    PlannedEvent,
    Question,
    Setting,
    StageEvent,
    WorkLogEntry,
)
from app.services.changes import Changes

# what another program's write may have touched: every row and setting the window shows, but not a
# replaced database (the undo history stays; its commands check their own preconditions)
ELSEWHERE = Changes(clients=True, stage=True, checklist=True, lessons=True, worklog=True, estimates=True,
                    documents=True, catalogue=True, settings=True, plan=True, questions=True, all_figures=True)
_WATCHED = (Client, StageEvent, ChecklistState, LessonProgress, WorkLogEntry, Estimate, Document, Setting,
            PlannedEvent, Question)


class DataWatcher:
    """``changed()`` is True when the data were committed by someone else since the last call (or since
    ``mark_seen()``, which the window calls after its own writes). One instance per window; ``close()``."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._connection: Any = db.engine.raw_connection() if db.is_sqlite else None
        self._last = self._stamp()

    def _stamp(self) -> object:
        if self._connection is not None:
            cursor = self._connection.cursor()
            try:
                cursor.execute("PRAGMA data_version")
                return cursor.fetchone()[0]
            finally:
                cursor.close()
        columns = []
        for model in _WATCHED:
            table = model.__table__
            columns.append(select(func.count()).select_from(table).scalar_subquery())
            if "updated_at" in table.c:
                columns.append(select(func.max(table.c.updated_at)).scalar_subquery())
        if self.db.engine.dialect.name == "postgresql":  # settings have no updated_at: their text then
            columns.append(select(func.string_agg(Setting.key + "=" + Setting.value, ",")).scalar_subquery())
        with self.db.read() as s:
            return tuple(s.execute(select(*columns)).one())

    def mark_seen(self) -> None:
        """Our own write just committed: do not report it as a change from elsewhere."""
        self._last = self._stamp()

    def changed(self) -> bool:
        stamp = self._stamp()
        if stamp == self._last:
            return False
        self._last = stamp
        return True

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
