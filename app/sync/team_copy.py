"""The team's roster and team-wide data (tariffs, rates, requisites, VAT, the team's settings) copied from the
server onto the laptop at each sync."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from app.persistence.db import Database
from app.persistence.models import SyncOutbox
from app.sync.rows import table


def _copy_members(server: Engine, db: Database) -> int:
    """The team's roster (logins, names, positions; every member may read it): the signed-in member's own name
    and position sign the documents this laptop issues offline, and every author in «История изменений» reads
    as the same name on every laptop, not a login here and a name there. Replaced in one transaction. Returns
    how many members are new, changed or gone here (a colleague's «users add|edit|disable|enable» is a record
    taken: «получено: N» counts it)."""
    t = table("team_user")
    with server.connect() as conn:
        wanted = [dict(r) for r in conn.execute(select(t).order_by(t.c.login)).mappings()]
    if not wanted:
        return 0
    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        current = [dict(r) for r in conn.execute(select(t).order_by(t.c.login)).mappings()]
        if current == wanted:
            return 0
        conn.execute(delete(t))
        conn.execute(insert(t), wanted)
    here, there = ({r["login"]: r for r in rows} for rows in (current, wanted))
    return sum(here.get(login) != there.get(login) for login in here.keys() | there.keys())


TEAM_DATA = ("tariff", "exchange_rate", "executor", "vat_rate")  # VAT is dated (issue 10)


def _team_rows(conn, name: str) -> list[dict]:
    """A team-wide table's rows in a stable order; of ``setting`` only the team's keys (rights.TEAM_SETTINGS)."""
    from app.team.rights import TEAM_SETTINGS

    t = table(name)
    if name == "setting":
        return [dict(r) for r in conn.execute(select(t).where(t.c.key.in_(sorted(TEAM_SETTINGS)))
                                              .order_by(t.c.key)).mappings()]
    return [dict(r) for r in conn.execute(select(t).order_by(t.c.id)).mappings()]


def _copy_team_data(server: Engine, db: Database) -> int:
    """Team-wide data (tariffs, exchange rates, the executor's requisites, VAT and the team's settings) come
    from the server, where admins change them: the laptop's copy is replaced in one transaction. A table with
    an administrator's change still queued here (written while this sync ran) keeps its rows until the next
    sync sends it; a refused change was unqueued before (app/sync/team_data.py), so its table is put back to
    the server's values here. Returns how many records changed here (new, changed or gone: «получено: N» counts
    them as records, by their names, app/team/rights.py ``record_key``; a row's local id is not a change)."""
    names = (*TEAM_DATA, "setting")
    with server.connect() as conn:
        rows = {name: _team_rows(conn, name) for name in names}
    if not rows["tariff"] and not rows["executor"]:
        return 0
    taken = 0
    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        queued = set(conn.execute(select(SyncOutbox.table_name).where(SyncOutbox.table_name.in_(names))).scalars())
        for name in names:
            t = table(name)
            current = _team_rows(conn, name)
            wanted = rows[name]
            if current == wanted or name in queued:
                continue
            taken += _records_changed(name, current, wanted)
            if name == "setting":
                conn.execute(delete(t).where(t.c.key.in_([r["key"] for r in current])))
            else:
                conn.execute(delete(t))
            if wanted:
                conn.execute(insert(t), wanted)
    return taken


def _records_changed(name: str, current: list[dict], wanted: list[dict]) -> int:
    """How many records of a team-wide table differ between this laptop's rows and the server's (by name; the
    local id and the bookkeeping stamps — a fresh laptop's empty requisites stamped at its start — are no change)."""
    from app.sync.merge import BOOKKEEPING
    from app.team.rights import record_key

    def named(rows: list[dict]) -> dict[str, dict]:
        return {record_key(name, r.get): {k: v for k, v in r.items() if k != "id" and k not in BOOKKEEPING}
                for r in rows}

    here, there = named(current), named(wanted)
    return sum(here.get(key) != there.get(key) for key in here.keys() | there.keys())
