"""The laptop's sync settings: several written in one transaction, one read."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from app.persistence.db import Database
from app.persistence.models import Setting
from app.sync.rows import table


def _put(db: Database, values: dict[str, str | None]) -> None:
    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        t = table("setting")
        for key, value in values.items():
            conn.execute(delete(t).where(t.c.key == key))
            if value is not None:
                conn.execute(insert(t).values(key=key, value=value))


def _setting_value(db: Database, key: str) -> str:
    with db.engine.connect() as conn:
        return str(conn.execute(select(Setting.value).where(Setting.key == key)).scalar() or "")
