"""The conflicts of one version-based import (app/exchange/versioned.py) and the audit lines they settle."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.orm import Session

from app.exchange.merge_report import MergeReport, VersionConflict
from app.exchange.versioned_values import _CHUNK, _t


class _Conflicts:
    """Conflicts found by one import, written to ``sync_conflict`` like the team sync's; ``kept`` is 'file' or
    'here' (a sync's are 'server' or 'local'), so the lists can say «в файле» where a sync says «на сервере»."""

    def __init__(self, report: MergeReport) -> None:
        self.report = report
        self.rows: list[dict[str, Any]] = []
        self.open: dict[tuple[str, str, str], list[int]] | None = None  # a bundle's open conflicts (``settle``)
        self.settled: set[int] = set()  # those a later change in this file answered (closed by ``save``)

    def settle(self, s: Session, table: str, uuid: str, fields: Iterable[str]) -> None:
        """The file brought a change of these fields of the record (taken here, or met by a change here: a new
        conflict): an open bundle conflict of such a field is answered (a team server's field conflict too) — the other computer's later value (its
        choice in its own conflict list, a later edit) replaced the one it names, or a new conflict names both
        current values. Before, it stayed open saying «оставлено: здешнее» beside the file's value in the card,
        and choosing «--keep here» from it overwrote the other side's deliberate choice (tester L, item 2). A
        tick's group (done, day, who) is one conflict: any of its fields answers it. One query per import."""
        from app.persistence.models import SyncConflict
        from app.sync.answered import ANSWERED_KINDS
        from app.sync.merge import GROUPS

        if self.open is None:
            self.open = {}
            # a team server's field conflict too (a team laptop that takes a file): the file's later value answers
            # it as a sync's does (app/sync/answered.py) — before, it stayed listed naming the values it replaced
            for cid, name, record, field in s.execute(select(
                    SyncConflict.id, SyncConflict.table_name, SyncConflict.record_uuid, SyncConflict.field).where(
                    SyncConflict.resolved.is_(False), SyncConflict.field != "",
                    or_(SyncConflict.kept.in_(("file", "here")),
                        and_(SyncConflict.kept.in_(("server", "local")), SyncConflict.kind.in_(ANSWERED_KINDS))))):
                self.open.setdefault((name, record, field), []).append(cid)
        if not self.open:
            return
        wanted = set(fields)
        group = GROUPS.get(table, ())
        if wanted & set(group):
            wanted |= set(group)
        for field in wanted:
            self.settled.update(self.open.get((table, uuid, field), ()))

    def add(self, table: str, uuid: str, client_uuid: str, label: str, kind: str, field: str, here: Any,
            incoming: Any, kept: str, *, group: tuple[dict, dict] | None = None) -> None:
        """One conflict; ``group``: each side's whole group of a tick (app/sync/merge.py), kept for «resolve»."""
        from app.persistence.models import utcnow

        stored_here, stored_incoming = group if group is not None else (here, incoming)
        self.rows.append({"at": utcnow(), "table_name": table, "record_uuid": uuid, "client_uuid": client_uuid or "",
                          "kind": kind, "field": field,
                          "local_value": json.dumps(stored_here, ensure_ascii=False),
                          "server_value": json.dumps(stored_incoming, ensure_ascii=False), "kept": kept,
                          "resolved": False})
        self.report.conflicts.append(VersionConflict(table, uuid, label, kind, field, here, incoming, kept))

    def save(self, s: Session) -> None:
        """Write the conflicts; the members they name are looked up for the report (a name, never a login)."""
        from app.team.display import PERSON_FIELDS, author_names

        if self.settled:
            t = _t("sync_conflict")
            closed = sorted(self.settled)
            for start in range(0, len(closed), _CHUNK):
                s.execute(t.update().where(t.c.id.in_(closed[start:start + _CHUNK])).values(resolved=True))
            self.settled = set()
        if self.rows:
            s.execute(insert(_t("sync_conflict")), self.rows)
        logins = [str(v) for c in self.report.conflicts if c.field in PERSON_FIELDS for v in (c.here, c.incoming) if v]
        self.report.people.update(author_names(s, logins))


def _settle_restored(s: Session, rows: list[dict[str, Any]]) -> None:
    """A deletion made here that this import undid (deleted here, edited in the file, a client's with the records
    its deletion took; a billed entry's soft deletion): its audit line is dropped, or answered by a «restored by the
    file's import» line when a team server has it already (app/team/restored.py)."""
    from app.team.hooks import author_of
    from app.team.restored import RESTORE_FILE, candidates, settle, with_records

    records = with_records(s.connection(), candidates(rows))
    if records:
        settle(s.connection(), records, author_of(s), action=RESTORE_FILE)
    from app.team import overridden

    lost = overridden.candidates(rows)  # an edit here that lost a field's conflict to the file: not the last word
    if lost:
        overridden.settle(s.connection(), lost, author_of(s), action=overridden.KEPT_FILE)
