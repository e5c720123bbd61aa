"""The audit trail of a bundle import: what the file changed here, authored by the person who imported it.

Bundles carry records, not their audit lines (docs/sync.md «Bundles»), and the import writes with Core
statements, which the session hooks of app/team/hooks.py never see: a work entry or a tick brought in from a file
reached every laptop of the team and the server with no line anywhere (the trial of 2026-12-01, 17g finding 1).
So each merged table writes, in one executemany, the lines its flush would have written: «добавлено» for a
record the file added (of the tables whose insert is an event, ``hooks.AUDITED``), one line per field the file
changed here, «удалено» for a record its deletion removed. None is written for a record the file carries in the
team server's state (its exporter's sync base, unchanged): the server holds that record's lines already, and a
team laptop's next sync brings them."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.exchange.fast_insert import insert_many
from app.persistence import models as m
from app.persistence.types import new_uuid
from app.team import hooks

_CLASSES: dict[str, type] = {cls.__tablename__: cls for cls in hooks.AUDITED}  # type: ignore[attr-defined]
MOVE_FIELDS = frozenset({"stage", "stage_since"})  # a client's fields a stage move sets
_LINES = uuid.UUID("6f1d2c9e-3b7a-5e41-9a0c-7d2f4b8e1a63")  # namespace of the lines of an import
_LINES_BYTES = _LINES.bytes


def _uuid5(name: str) -> str:
    """``str(uuid.uuid5(_LINES, name))`` without the UUID object (once per line of a large import)."""
    h = hashlib.sha1(_LINES_BYTES + name.encode("utf-8")).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"


class ImportTrail:
    """The lines of one table's merge, written by :meth:`write` (one executemany). ``name`` is the changeset's
    table name; values are the changeset's typed values (dates, Decimals, UUIDs of references)."""

    def __init__(self, s: Session, name: str, file: str = "") -> None:
        self.s = s
        self.name = name
        self.cls = _CLASSES.get(name)
        self.file = file  # «exporter:export number»: the same change from the same file is one line everywhere
        self.lines: list[dict[str, Any]] = []
        self._author: str | None = None

    def _line(self, record_uuid: str, client_uuid: str, action: str, field: str = "", old=None, new=None, *,
              table: str = "", event: str = "") -> None:
        if self._author is None:
            self._author = hooks.author_of(self.s)
        table = table or self.name
        old_text, new_text = hooks._text(old), hooks._text(new)
        # two laptops of a team importing one file write one line per change: its UUID is the change's (the
        # server keeps the first one pushed, the other laptop takes it), not two lines by two authors (trial 17h)
        line_uuid = _uuid5("|".join((self.file, table, record_uuid, action, field, str(old_text), str(new_text),
                                     event))) if self.file else new_uuid()
        self.lines.append({"uuid": line_uuid, "at": m.utcnow(), "author": self._author,
                           "client_uuid": client_uuid, "table_name": table, "record_uuid": record_uuid,
                           "action": action, "field": field, "old_value": old_text, "new_value": new_text})

    def the_teams(self, bases: dict[str, tuple[int, dict | None]], keys: list[str] | None = None) -> bool:
        """Whether the file's record is the team server's state its exporter last synced: a carried server base
        with no field of ``keys`` (all when None) apart. Its lines are the server's: a team laptop gets them at
        its next sync, a computer outside the team when it joins (lines written here would then go to the server
        a second time, under another author)."""
        from app.exchange.versioned_bases import SERVER_PEER  # here: the merge (versioned_*) imports this

        carried = bases.get(SERVER_PEER)
        if carried is None or carried[1] is None:
            return False
        return not any(keys is None or k in keys for k in carried[1])

    def added(self, uuid: str, client_uuid: str, values: dict[str, Any],
              bases: dict[str, tuple[int, dict | None]]) -> None:
        """A record the file added here; ``values`` by column name (``hooks._describe`` reads them). A stage move
        (a ``stage_event``) is the line a move writes here: «Карточка · этап» from → to (app/team/hooks.py), one
        per move (the trial 17j, finding 3: an imported move had no line anywhere)."""
        if self.name == "stage_event":
            if client_uuid and not self.the_teams(bases):
                self._line(client_uuid, client_uuid, "update", "stage", values.get("from_stage"),
                           values.get("to_stage"), table="client", event=uuid)
            return
        if self.cls is None or not hooks.AUDITED[self.cls] or self.the_teams(bases):
            return
        self._line(uuid, uuid if self.name == "client" else client_uuid, "insert",
                   new=hooks._describe(self.cls, lambda key: values.get(key)))

    def changed(self, uuid: str, client_uuid: str, field: str, old: Any, new: Any) -> None:
        """One field of a record here the file changed (``field``: the column's name)."""
        if self.cls is None or field in hooks.SKIPPED or hooks._text(old) == hooks._text(new):
            return
        if self.name == "client" and field in MOVE_FIELDS:  # the move's own line says it (its stage_event)
            return
        self._line(uuid, uuid if self.name == "client" else client_uuid, "update", field, old, new)

    def removed(self, uuid: str, client_uuid: str, values: dict[str, Any]) -> None:
        """A record here the file's deletion removed (``values``: its row)."""
        if self.cls is None:
            return
        self._line(uuid, uuid if self.name == "client" else client_uuid, "delete",
                   old=hooks._describe(self.cls, lambda key: values.get(key)))

    def write(self) -> None:
        """Insert the lines collected (none: nothing is written)."""
        if not self.lines:
            return
        conn = self.s.connection()
        table = m.AuditEntry.__table__
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            statement = pg_insert(table).on_conflict_do_nothing(index_elements=["uuid"])  # type: ignore[arg-type]
            conn.execute(statement, self.lines)
        else:  # the same change from the same file imported again (after an undo here): its line is there
            insert_many(conn, table, self.lines, prefix="OR IGNORE")  # type: ignore[arg-type]
        self.lines = []
