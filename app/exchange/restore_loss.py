"""What a restore would throw away: the records of the current data that the backup does not hold (tester L).

``restore`` replaces the whole file. Before it does, the current data are compared with the backup by the records'
UUIDs and ``updated_at``: a record the backup lacks or holds in an older version, and a record deleted since the
backup (the restore brings it back), is work the restore undoes. It is said by kind — the clients by name, the
documents by number, the work-log entries by day and client, the rest as a count — with the backup's date. On a
team laptop what already reached the server comes back with the next sync; only the changes not yet sent (the
outbox) are lost, so only they are listed. The pre-restore copy keeps everything either way; the CLI still asks
for ``--yes`` when the list is not empty (as ``erase-personal`` does), the window shows it in its confirmation.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.errors import sqlite_error_text
from app.i18n import _, format_number

SHOWN = 10  # names, numbers and entries listed; the count says how many there are
_BUSY_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class RestoreLoss:
    """The current data's records a restore of ``backup`` would undo (new, newer or deleted since the backup)."""

    backup: Path
    made_at: datetime | None  # local time: when the backup was made (its name), else its newest change
    made_from_name: bool
    clients: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    other: int = 0  # other records changed, added or deleted since the backup
    team: bool = False  # a team laptop: only the changes not yet sent are counted
    failed: str = ""  # the comparison could not be made (why)

    @property
    def empty(self) -> bool:
        return not (self.clients or self.documents or self.entries or self.other)

    def date_line(self) -> str:
        if self.made_at is None:
            return _("The backup {name}: its date is not known.").format(name=self.backup.name)
        when = self.made_at.strftime("%d.%m.%Y %H:%M")
        if self.made_from_name:
            return _("The backup {name} was made on {date}.").format(name=self.backup.name, date=when)
        return _("The backup {name}: the newest change it holds is of {date}.").format(name=self.backup.name,
                                                                                       date=when)

    def lines(self, done: bool = False) -> list[str]:
        """The date of the backup, then what the current data hold that it does not (or that nothing is lost);
        ``done``: said after the restore (the pre-restore copy holds it)."""
        said = [self.date_line()]
        if self.failed:
            return [*said, _("The current data could not be compared with it: {error}.").format(error=self.failed)]
        if self.empty:
            said.append(_("The changes not yet sent to the server are all in it; what reached the server comes back "
                          "with the next sync.") if self.team else
                        _("The current data held nothing that it does not.") if done else
                        _("The current data hold nothing that it does not."))
            return said
        if done:
            said.append(_("Replaced, not in the backup (kept in the copy made before the restore):"))
        else:
            said.append(_("Not yet sent to the server, and not in the backup (they would be lost; what reached the "
                          "server comes back with the next sync):") if self.team else
                        _("The current data hold what the backup does not (it would be lost):"))
        said += _listed(_("clients ({n}): {items}"), self.clients)
        said += _listed(_("documents ({n}): {items}"), self.documents)
        said += _listed(_("work-log entries ({n}): {items}"), self.entries)
        if self.other:
            said.append("  " + _("other changes (cards, contacts, checklists, lessons, plan, deletions): {n}").format(
                n=format_number(self.other)))
        return said


def _listed(line: str, items: list[str]) -> list[str]:
    """``line`` («clients ({n}): {items}») with the first SHOWN items, then how many more."""
    if not items:
        return []
    shown = "; ".join(items[:SHOWN])
    if len(items) > SHOWN:
        shown += " " + _("and {n} more").format(n=format_number(len(items) - SHOWN))
    return ["  " + line.format(n=format_number(len(items)), items=shown)]


def _uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"  # a name with «?» or «#» stays a name


def _columns(con: sqlite3.Connection, schema: str, table: str) -> set[str]:
    return {r[1] for r in con.execute(f'PRAGMA "{schema}".table_info("{table}")')}


def compare(live: Path, backup: Path, made_at: datetime | None = None) -> RestoreLoss:
    """What restoring ``backup`` over the SQLite file ``live`` would undo; ``made_at``: the backup's time as its
    name gives it (None: the newest change it holds is given instead). Both files are only read."""
    made_from_name = made_at is not None
    try:
        con = sqlite3.connect(_uri(live), uri=True, timeout=_BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        return RestoreLoss(backup, made_at, made_from_name, failed=sqlite_error_text(exc))
    try:
        con.execute("ATTACH DATABASE ? AS bk", (_uri(backup),))
        return _compare(con, backup, made_at)
    except sqlite3.Error as exc:
        return RestoreLoss(backup, made_at, made_from_name, failed=sqlite_error_text(exc))
    finally:
        con.close()


def _compare(con: sqlite3.Connection, backup: Path, made_at: datetime | None) -> RestoreLoss:
    from app.domain.timeutil import to_local
    from app.persistence.models import Base
    from app.services.documents import document_code
    from app.sync.status import URL_KEY

    made_from_name = made_at is not None
    team = con.execute("SELECT 1 FROM main.setting WHERE key = ? AND value <> ''", (URL_KEY,)).fetchone() is not None
    unsent: set[tuple[str, str]] | None = None
    if team:
        unsent = {(t, u) for t, u in con.execute(
            "SELECT table_name, record_uuid FROM main.sync_outbox WHERE table_name <> 'audit_log'")}
    changed: dict[str, list[str]] = {}  # table → uuids of the current data's records new or newer than the backup's
    deleted = 0
    newest = ""
    for table in Base.metadata.sorted_tables:
        name = table.name
        here, there = _columns(con, "main", name), _columns(con, "bk", name)
        if not {"uuid", "updated_at"} <= here & there:
            continue
        newest = max(newest, con.execute(f'SELECT coalesce(max(updated_at), \'\') FROM bk."{name}"').fetchone()[0] or "")
        rows = [u for (u,) in con.execute(
            f'SELECT m.uuid FROM main."{name}" m LEFT JOIN bk."{name}" b ON b.uuid = m.uuid '
            f"WHERE b.uuid IS NULL OR m.updated_at > b.updated_at")]
        gone = [u for (u,) in con.execute(
            f'SELECT b.uuid FROM bk."{name}" b LEFT JOIN main."{name}" m ON m.uuid = b.uuid WHERE m.uuid IS NULL')]
        if unsent is not None:
            rows = [u for u in rows if (name, u) in unsent]
            gone = [u for u in gone if (name, u) in unsent]
        if rows:
            changed[name] = rows
        deleted += len(gone)
    if made_at is None and newest:
        try:
            made_at = to_local(datetime.fromisoformat(str(newest)))
        except ValueError:
            made_at = None
    new = {name: _new_in(con, name, uuids) for name, uuids in changed.items()}
    clients = [r[0] for r in _rows(con, "SELECT name FROM main.client WHERE uuid IN ({q}) ORDER BY name",
                                   new.get("client", []))]
    documents = [document_code(kind, number, year, series or "") for kind, number, year, series in _rows(
        con, "SELECT kind, number, year, series FROM main.document WHERE uuid IN ({q}) ORDER BY year, kind, number",
        new.get("document", []))]
    entries = [f"{name} ({_day(on)})" for on, name in _rows(
        con, "SELECT w.on_date, c.name FROM main.work_log w JOIN main.client c ON c.id = w.client_id "
             "WHERE w.uuid IN ({q}) AND NOT w.deleted ORDER BY w.on_date, w.id", new.get("work_log", []))]
    listed = len(new.get("client", [])) + len(new.get("document", [])) + len(entries)
    other = sum(len(uuids) for uuids in changed.values()) - listed + deleted
    return RestoreLoss(backup, made_at, made_from_name, clients, documents, entries, max(0, other), team)


def _new_in(con: sqlite3.Connection, name: str, uuids: list[str]) -> list[str]:
    """Of ``uuids`` (records of table ``name``), those the backup does not hold at all."""
    return [u for (u,) in _rows(con, f'SELECT m.uuid FROM main."{name}" m WHERE m.uuid IN ({{q}}) AND NOT EXISTS '
                                     f'(SELECT 1 FROM bk."{name}" b WHERE b.uuid = m.uuid)', uuids)]


def _rows(con: sqlite3.Connection, sql: str, keys: list[str]) -> list[tuple]:
    found: list[tuple] = []
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        found += con.execute(sql.format(q=",".join("?" * len(chunk))), chunk).fetchall()
    return found


def _day(value: object) -> str:
    try:
        return datetime.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)
