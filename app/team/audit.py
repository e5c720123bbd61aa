"""The audit trail of a client («История изменений»): who changed which field, when, from what to what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.domain.timeutil import to_local
from app.i18n import N_, _
from app.persistence.db import Database
from app.persistence.models import AuditEntry
from app.services.common import find_client

TABLE_TITLES = {
    "client": N_("card"), "contact": N_("contact"), "employee": N_("employee"),
    "checklist_state": N_("checklist"), "lesson_progress": N_("lessons"), "work_log": N_("work log"),
    "document": N_("document"), "tariff": N_("tariff"), "exchange_rate": N_("exchange rate"),
    "executor": N_("executor's requisites"), "setting": N_("setting"), "planned_event": N_("plan"),
    "question": N_("question"), "estimate": N_("estimate"),
}
ACTION_TITLES = {"insert": N_("added"), "update": N_("changed"), "delete": N_("deleted")}


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the history: ``at`` is naive UTC; values are the stored text (None = empty)."""

    at: datetime
    author: str
    table: str
    record: str
    action: str
    field: str
    old: str | None
    new: str | None

    def as_json(self) -> dict:
        """Codes, not Russian titles (for scripts): at (ISO, UTC), author, table, record, action, field, old, new."""
        return {"at": self.at.isoformat(timespec="seconds"), "author": self.author, "table": self.table,
                "record": self.record, "action": self.action, "field": self.field, "old": self.old,
                "new": self.new}



def client_history(db: Database, ref: int | str, *, limit: int = 5000) -> list[HistoryEntry]:
    """The client's audit entries, newest first (at most ``limit``). Raises UserError for an unknown client."""
    with db.read() as session:
        client = find_client(session, ref)
        rows = session.scalars(select(AuditEntry).where(AuditEntry.client_uuid == client.uuid)
                               .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)).all()
        return [HistoryEntry(r.at, r.author, r.table_name, r.record_uuid, r.action, r.field, r.old_value,
                             r.new_value) for r in rows]


def team_history(db: Database, *, limit: int = 500) -> list[HistoryEntry]:
    """Changes of team-wide data (tariffs, VAT, the executor's requisites, settings), newest first."""
    with db.read() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.client_uuid == "")
                               .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)).all()
        return [HistoryEntry(r.at, r.author, r.table_name, r.record_uuid, r.action, r.field, r.old_value,
                             r.new_value) for r in rows]


@dataclass(frozen=True)
class HistoryLine:
    """One line of «История изменений» as the window shows it: ``at`` local «dd.mm.yyyy HH:MM», the author's
    name, the action («изменено»), what («Карточка · город», with the record's label for a contact …), the
    old and new values as a person reads them ('' for none)."""

    at: str
    author: str
    action: str
    what: str
    old: str
    new: str

    def text(self) -> str:
        """One tab-separated line for the command line: time, author, action, what, old → new (a record added
        or deleted: what it was, without an arrow from or to nothing)."""
        if not self.old or not self.new:
            change = self.new or self.old or "—"
        else:
            change = f"{self.old} → {self.new}"
        return f"{self.at}\t{self.author or '—'}\t{self.action}\t{self.what}\t{change}"


def client_history_lines(db: Database, ref: int | str, *, limit: int = 5000) -> list[HistoryLine]:
    """:func:`client_history` in human names, newest first (a constant number of queries). Raises UserError
    for an unknown client."""
    from app.team import display

    entries = client_history(db, ref, limit=limit)
    with db.read() as session:
        names = display.author_names(session, {e.author for e in entries})
        labels = display.record_labels(session, {(e.table, e.record) for e in entries})
    lines = []
    for e in entries:
        what = display.describe(labels, e.table, e.record, e.field)
        if e.field:
            old, new = display.shown_value(e.field, e.old), display.shown_value(e.field, e.new)
        else:  # a whole record added or deleted: its summary
            old, new = display.summary_text(e.table, e.old), display.summary_text(e.table, e.new)
        lines.append(HistoryLine(to_local(e.at).strftime("%d.%m.%Y %H:%M"), names.get(e.author, e.author),
                                 _(ACTION_TITLES.get(e.action, e.action)), what, old, new))
    return lines
