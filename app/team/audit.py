"""The audit trail of a client («История изменений»): who changed which field, when, from what to what.

Order never trusts wall clocks (issue 17, docs/sync.md «The audit trail's order»): lines are listed by the
team server's ``row_version`` (the order they reached the server), newest first, after this computer's lines
not sent yet (in the order they were written). ``at`` is the author's computer's clock, shown as their time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from app.domain.timeutil import to_local
from app.i18n import N_, _, format_number
from app.persistence.db import Database
from app.persistence.models import AuditEntry
from app.services.common import find_client

TABLE_TITLES = {
    "client": N_("card"), "contact": N_("contact"), "employee": N_("employee"),
    "checklist_state": N_("checklist"), "lesson_progress": N_("lessons"), "work_log": N_("work log"),
    "document": N_("document"), "tariff": N_("tariff"), "exchange_rate": N_("exchange rate"),
    "executor": N_("executor's requisites"), "setting": N_("setting"), "planned_event": N_("plan"),
    "question": N_("question"), "estimate": N_("estimate"), "vat_rate": N_("VAT rule"),
}
ACTION_TITLES = {"insert": N_("added"), "update": N_("changed"), "delete": N_("deleted"),
                 # a deletion the sync or a bundle's import undid (app/team/restored.py)
                 "restore": N_("restored by the sync"), "restore_f": N_("restored by the file's import"),
                 # an edit here that lost a conflict over the same field (app/team/overridden.py)
                 "kept_s": N_("the server's value kept (see conflicts)"),
                 "kept_f": N_("the file's value kept (see conflicts)")}


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
    version: int = 0  # the team server's row_version (0: not on a server, or not sent yet)

    def as_json(self) -> dict:
        """Codes, not Russian titles (for scripts): at (ISO, UTC), author, table, record, action, field, old, new."""
        return {"at": self.at.isoformat(timespec="seconds"), "author": self.author, "table": self.table,
                "record": self.record, "action": self.action, "field": self.field, "old": self.old,
                "new": self.new}



SHOWN = 5000  # lines of a client's history read at once (the card's tab, `audit` without --all)

# newest first without a clock: this computer's lines not yet on the server (row_version 0) above the rest,
# the rest by the server's version; each group by its own order of arrival (id)
NEWEST_FIRST = (case((AuditEntry.row_version == 0, 0), else_=1), AuditEntry.row_version.desc(),
                AuditEntry.id.desc())


def _entry(r: AuditEntry) -> HistoryEntry:
    return HistoryEntry(r.at, r.author, r.table_name, r.record_uuid, r.action, r.field, r.old_value, r.new_value,
                        r.row_version)


def client_history(db: Database, ref: int | str, *, limit: int | None = SHOWN) -> list[HistoryEntry]:
    """The client's audit entries, newest first (``NEWEST_FIRST``: by arrival, never by the clock), at most
    ``limit`` (None: all). Raises UserError for an unknown client."""
    return client_history_page(db, ref, limit=limit)[0]


def client_history_page(db: Database, ref: int | str, *,
                        limit: int | None = SHOWN) -> tuple[list[HistoryEntry], int]:
    """(the newest ``limit`` entries of the client, how many there are in all): a cut list says so."""
    with db.read() as session:
        client = find_client(session, ref)
        where = AuditEntry.client_uuid == client.uuid
        query = select(AuditEntry).where(where).order_by(*NEWEST_FIRST)
        rows = session.scalars(query if limit is None else query.limit(limit)).all()
        total = len(rows) if limit is None or len(rows) < limit else int(
            session.scalar(select(func.count()).select_from(AuditEntry).where(where)) or 0)
        return [_entry(r) for r in rows], total


def team_history(db: Database, *, limit: int = 500) -> list[HistoryEntry]:
    """Changes of team-wide data (tariffs, VAT, the executor's requisites, settings), newest first (by
    arrival, as ``client_history``)."""
    with db.read() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.client_uuid == "")
                               .order_by(*NEWEST_FIRST).limit(limit)).all()
        return [_entry(r) for r in rows]


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


def client_history_lines(db: Database, ref: int | str, *, limit: int | None = SHOWN) -> list[HistoryLine]:
    """:func:`client_history` in human names, newest first (a constant number of queries). Raises UserError
    for an unknown client."""
    return client_history_view(db, ref, limit=limit).lines


@dataclass(frozen=True)
class HistoryView:
    """What «История изменений» shows: the lines (newest first) and how many changes there are in all;
    ``cut`` when only the newest ``len(lines)`` of ``total`` are listed."""

    lines: list[HistoryLine]
    total: int

    @property
    def cut(self) -> bool:
        return self.total > len(self.lines)

    def cut_note(self, *, command: str = "") -> str:
        """«Показаны последние 5000 изменений из 6200.» ('' when nothing is cut); with ``command`` (the CLI's
        ``audit CLIENT --all``) it says how to see them all."""
        if not self.cut:
            return ""
        note = _("Shown: the latest {n} changes of {total}.").format(n=format_number(len(self.lines)),
                                                                       total=format_number(self.total))
        if not command:
            return note
        return " ".join((note, _("All of them: {command}.").format(command=command)))


def client_history_view(db: Database, ref: int | str, *, limit: int | None = SHOWN) -> HistoryView:
    """:func:`client_history_page` in human names (a constant number of queries): authors as one form on
    every computer (``display.author_name``), documents by their printed number. Raises UserError for an
    unknown client."""
    entries, total = client_history_page(db, ref, limit=limit)
    return HistoryView(_lines(db, entries), total)


def team_history_view(db: Database, *, limit: int = 500) -> HistoryView:
    """:func:`team_history` in human names, as «История изменений» words a client's: «Пункт чек-листа «Настроить
    ЭДО» · формулировка», «Тариф …» (changes of no client: tariffs, VAT, requisites, checklist items)."""
    entries = team_history(db, limit=limit)
    return HistoryView(_lines(db, entries), len(entries))


def _lines(db: Database, entries: list[HistoryEntry]) -> list[HistoryLine]:
    """History entries as the window and the CLI show them (a constant number of queries)."""
    from app.team import display, team_words

    with db.read() as session:
        names = display.author_names(session, {e.author for e in entries} | {
            str(v) for e in entries if e.field in display.PERSON_FIELDS for v in (e.old, e.new) if v})
        labels = display.record_labels(session, {(e.table, e.record) for e in entries})
        acts = display.document_codes(session, [(e.version, v) for e in entries
                                                if e.field == display.BILLED_BY for v in (e.old, e.new) if v])
    lines = []
    for e in entries:
        what = display.describe(labels, e.table, e.record, e.field)
        if e.table in team_words.TEAM_TABLES:  # tariffs, VAT, rates, requisites, team settings: by their names
            what, old, new = team_words.line_parts(e.table, e.record, e.field, e.old, e.new)
        elif e.field == display.BILLED_BY:
            # billed «— → АУ-41/2026», unbilled by the act's void «АУ-41/2026 → —»
            old, new = (acts.get((e.version, v), display.unknown_document()) if v else display.EMPTY
                        for v in (e.old, e.new))
        elif e.field in display.PERSON_FIELDS:  # a member by their name, not by a login
            old, new = (display.author_name(names, str(v)) if v else display.EMPTY for v in (e.old, e.new))
        elif e.field:  # a field from one value to another: an empty side reads «—» («01.12.2026 → —»)
            old, new = (display.shown_value(e.field, v) or display.EMPTY for v in (e.old, e.new))
        else:  # a whole record added or deleted: its summary
            old, new = display.summary_text(e.table, e.old), display.summary_text(e.table, e.new)
            if e.table == "client" and e.action == "insert":
                what = _("Client created")
        lines.append(HistoryLine(to_local(e.at).strftime("%d.%m.%Y %H:%M"), display.author_name(names, e.author),
                                 _(ACTION_TITLES.get(e.action, e.action)), what, old, new))
    return lines
