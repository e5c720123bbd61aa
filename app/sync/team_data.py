"""Team-wide data in a sync: an administrator's laptop pushes its changes; a refused one is reverted, never lost.

Tariffs, exchange rates, VAT rules, the executor's requisites and the team's settings (app/team/rights.py
``TEAM_SETTINGS``) are written on the server only by administrators (row-level security). A laptop's copy is
replaced from the server's at every sync (app/sync/team_copy.py ``_copy_team_data``). An administrator's change
made on a laptop is queued in ``sync_outbox`` under the record's name (app/team/hooks.py) and sent here first,
by its natural key (no versions: only administrators write these, the latest push wins).

Refused at push (defence in depth: the laptop's roster said «administrator», the server no longer does — the
role was changed or access revoked since): nothing of the batch reaches the server, neither the rows nor their
audit lines (docs/sync.md «Team-wide data»). The laptop then drops the queued records and their audit lines,
records one ``sync_conflict`` of kind ``refused`` per record — per field that differs for a record on both
sides (``refused_sides``) — (this laptop's value, the server's, kept: the server's) and the sync reports one Russian sentence; the copy that follows in the same sync puts the server's
values back here. So the laptop never silently diverges, and the server's audit trail holds no line for a write
it refused."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ProgrammingError

from app.i18n import N_, _
from app.persistence.db import Database
from app.persistence.models import AuditEntry, SyncConflict, SyncOutbox, utcnow
from app.sync.rows import table
from app.team.restored import drop_unsent
from app.team.rights import KIND_OF_TABLE, SETTINGS, TEAM_SETTINGS, TEAM_TABLES, record_key, team_setting

if TYPE_CHECKING:
    from app.sync.engine import Counts

REFUSED = "refused"  # sync_conflict.kind of a team-wide change the server did not take (app/team/display.py)
log = logging.getLogger(__name__)

# the natural key columns of each table (the executor's requisites are one row)
KEYS = {"tariff": ("kind", "valid_from"), "exchange_rate": ("currency", "valid_from"), "vat_rate": ("valid_from",),
        "setting": ("key",), "executor": ()}

# one sentence per kind of data: what the server refused and why (the sync's report and last error)
REFUSED_TEXT = {
    "tariffs": N_("tariffs"), "rates": N_("exchange rates"), "requisites": N_("the executor's requisites"),
    "vat": N_("VAT"), "settings": N_("the team's billing settings"),
}


def server_is_admin(server: Engine) -> bool:
    """Whether the team server takes the signed-in member as an administrator now (``vn_app_role()``)."""
    with server.connect() as conn:
        return conn.execute(text("SELECT vn_app_role()")).scalar() == "admin"


def _queued(lc: Connection) -> list[tuple[str, str, bool]]:
    return [(n, k, bool(d)) for n, k, d in lc.execute(
        select(SyncOutbox.table_name, SyncOutbox.record_uuid, SyncOutbox.deleted)
        .where(SyncOutbox.table_name.in_(TEAM_TABLES))).all()]


def _rows(conn: Connection, name: str) -> dict[str, dict]:
    """record_key -> row (without ``id``) of a team-wide table on this connection (they are a few rows)."""
    t = table(name)
    query = select(t)
    if name == "setting":
        query = query.where(t.c.key.in_(sorted(TEAM_SETTINGS)))
    elif name == "executor":
        query = query.order_by(t.c.id).limit(1)
    out = {}
    for row in conn.execute(query).mappings():
        values = {k: v for k, v in row.items() if k != "id"}
        out[record_key(name, values.get)] = values
    return out


class _Refused(Exception):
    """The server would not take the batch (not an administrator there, or a row its policy hides)."""


def _write(sc: Connection, name: str, key: str, values: dict | None) -> bool:
    """Put one record on the server (None: delete it); False when row-level security kept it from changing."""
    from sqlalchemy import and_

    t = table(name)
    if name == "executor":
        where = t.c.id == select(func.min(t.c.id)).scalar_subquery()
    else:
        where = and_(*(t.c[column] == (values[column] if values is not None else _key_part(name, key, column))
                       for column in KEYS[name]))
    if values is None:
        sc.execute(delete(t).where(where))
        return True
    changed = sc.execute(update(t).where(where).values(**values)).rowcount
    if changed:
        return True
    if name == "executor" and sc.execute(select(func.count()).select_from(t)).scalar():
        return False  # a row the policy hides from this writer's UPDATE: refused
    sc.execute(insert(t).values(**values))
    return True


def _key_part(name: str, key: str, column: str):
    """A column's value in a record's name (for deleting a record this laptop no longer has)."""
    from datetime import date

    if name == "setting":
        return key
    if name == "vat_rate":
        return date.fromisoformat(key)
    first, _sep, day = key.partition(":")
    return first if column in ("kind", "currency") else date.fromisoformat(day)


def push(local: Database, server: Engine, counts: Counts | None = None) -> list[str]:
    """Send the queued team-wide records (one server transaction); returns the refusals' Russian sentences
    (empty when everything was taken or nothing was queued). The records taken that changed the server are added
    to ``counts.pushed`` («Отправлено: N»; one the server already held as it is is not counted). Raises the
    driver's errors of a lost connection (the caller turns them into its «no connection» message; the queue
    stays for the next sync)."""
    with local.engine.connect() as lc:
        queued = _queued(lc)
        if not queued:
            return []
        here = {name: _rows(lc, name) for name in {n for n, _k, _d in queued}}
    queued.sort(key=lambda q: (TEAM_TABLES.index(q[0]), q[1]))
    sent = [(name, key, None if deleted else here[name].get(key)) for name, key, deleted in queued]
    try:
        with server.begin() as sc:  # all or nothing: a refusal rolls every record of the batch back
            if sc.execute(text("SELECT vn_app_role()")).scalar() != "admin":
                raise _Refused
            there = {name: _rows(sc, name) for name in here}
            changed = sum(1 for name, key, values in sent if there[name].get(key) != values)
            for name, key, values in sent:
                if not _write(sc, name, key, values):
                    raise _Refused
    except _Refused:
        return _refused(local, server, sent)
    except ProgrammingError as exc:  # row-level security (42501): the server is the judge
        if "row-level security" not in str(exc.orig) and "permission denied" not in str(exc.orig):
            raise
        log.info("team data refused: %s", exc.orig)
        return _refused(local, server, sent)
    if counts is not None:  # a record the server already held as it is was not «sent»
        counts.pushed += changed
    with local.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as lc, lc.begin():
        now = {name: _rows(lc, name) for name in here}
        for name, key, values in sent:  # an entry changed again meanwhile stays queued for the next sync
            if values == now[name].get(key):
                lc.execute(delete(SyncOutbox).where(SyncOutbox.table_name == name, SyncOutbox.record_uuid == key))
    return []


def _summary(name: str, values: dict | None) -> str | None:
    """A record's value as the conflict list shows it: a rate, «included 20.00», a company, a setting's value."""
    if values is None:
        return None
    if name in ("tariff", "exchange_rate"):
        return str(values.get("rate"))
    if name == "vat_rate":
        return " ".join(str(v) for v in (values.get("mode"), values.get("rate")) if v is not None)
    if name == "executor":
        return str(values.get("company") or "")
    return str(values.get("value"))


def refused_sides(name: str, here: dict | None, there: dict | None) -> list[tuple[str, str | None, str | None]]:
    """The conflicts of one refused team-wide record, as (field, this laptop's value, the server's), values as
    the audit trail stores them: a record on both sides, one per field that differs (the requisites' city
    «Санкт-Петербург» against «Москва», never the company's name on both sides); a record added or deleted here
    (or a team setting: one value), one of no field with each side's summary (a tariff's rate)."""
    if here is None or there is None or name == "setting":
        return [("", _summary(name, here), _summary(name, there))]
    from app.sync.merge import BOOKKEEPING
    from app.team.hooks import _text

    fields = [k for k in here if k != "id" and k not in BOOKKEEPING and _text(here[k]) != _text(there.get(k))]
    if not fields:  # nothing differs but the refusal itself: the record as a whole
        return [("", _summary(name, here), _summary(name, there))]
    return [(k, _text(here[k]), _text(there.get(k))) for k in fields]


def _refused(local: Database, server: Engine, sent: list[tuple[str, str, dict | None]]) -> list[str]:
    """The server refused the batch: drop the queue and the records' audit lines here (they never reach the
    server), record a ``refused`` conflict per record with both values; the sync's copy restores the server's
    values. Returns one sentence per kind of data."""
    with server.connect() as sc:
        there = {name: _rows(sc, name) for name in {n for n, _k, _v in sent}}
    kinds: list[str] = []
    with local.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as lc, lc.begin():
        for name, key, values in sent:
            lc.execute(delete(SyncOutbox).where(SyncOutbox.table_name == name, SyncOutbox.record_uuid == key))
            drop_audit_lines(lc, [(name, key)])
            for field, here_value, there_value in refused_sides(name, values, there[name].get(key)):
                lc.execute(insert(SyncConflict).values(
                    at=utcnow(), table_name=name, record_uuid=key, client_uuid="", kind=REFUSED, field=field,
                    local_value=json.dumps(here_value, ensure_ascii=False),
                    server_value=json.dumps(there_value, ensure_ascii=False), kept="server", resolved=False))
            kind = KIND_OF_TABLE[name]
            if kind not in kinds:
                kinds.append(kind)
    return [refusal_text(kind) for kind in kinds]


def refusal_text(kind: str) -> str:
    """«Сервер команды не принял изменение: тарифы меняет только администратор команды; на ноутбуке
    восстановлены значения сервера.»"""
    return _("The team server did not take this laptop's change of {what}: only the team's administrator "
             "changes them; the server's values are restored here.").format(what=_(REFUSED_TEXT[kind]))


def drop_audit_lines(lc: Connection, records: Iterable[tuple[str, str]]) -> None:
    """Delete this laptop's unsent audit lines of these team-wide records and their outbox entries: the change
    they describe was refused and undone."""
    for name, key in records:
        where = (AuditEntry.table_name == name) & (AuditEntry.record_uuid == key) & (AuditEntry.client_uuid == "") \
            & (AuditEntry.row_version == 0)
        drop_unsent(lc, list(lc.execute(select(AuditEntry.uuid).where(where)).scalars()))


def audit_line_travels(data: dict, admin: bool, login: str) -> bool:
    """Whether an audit line goes to the server: a client's always; a setting's of this computer only
    (``stalled_days`` …) never — it is this laptop's own; a team-wide record's only from an administrator
    (the server refuses the others' too: app/team/server.py) and only when written in the team under their
    login — a line from before the laptop joined describes a value the team never took (the laptop's copy
    was replaced by the server's)."""
    if data.get("client_uuid"):
        return True
    name = data.get("table_name") or ""
    if name == "setting" and not team_setting(str(data.get("record_uuid") or "")):
        return False
    if name in TEAM_TABLES:
        return admin and data.get("author") == login
    if name == "checklist_template":  # a user-added item's add/rename/delete: yes; a list's order: no
        from app.team.hooks import template_line_travels

        return template_line_travels(data)
    return True


__all__ = ["REFUSED", "SETTINGS", "audit_line_travels", "push", "refusal_text", "refused_sides", "server_is_admin"]
