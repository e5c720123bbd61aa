"""``fast_insert.insert_many`` writes on SQLite what Core's executemany writes (values, processors, defaults)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import insert, select

from app.exchange.fast_insert import insert_many
from app.persistence import models as m

STAMP = datetime(2026, 3, 4, 5, 6, 7, 890)


def _clients() -> list[dict]:
    return [{"name": f"ООО «Ромашка {n}»", "inn": inn, "approach": "remote", "uuid": f"{n:08d}-0000-4000-8000-000000000000",
             "stage_since": STAMP, "created_at": STAMP, "updated_at": STAMP, "stage": n}
            for n, inn in enumerate(("7707083893", "7736050003", "7702070139"))]


def _entries(client_id: int) -> list[dict]:
    return [{"client_id": client_id, "on_date": date(2026, 1, n + 1), "kind": "conference", "minutes": 30 + n,
             "days": None, "amount": Decimal("10.50") if n else None, "deleted": bool(n % 2),
             "uuid": f"{n:08d}-1111-4000-8000-000000000000", "updated_at": STAMP, "created_at": STAMP}
            for n in range(4)]


def _write(database, fast: bool) -> list[tuple]:
    with database.unit() as s:
        conn = s.connection()
        for table, rows in ((m.Client.__table__, _clients()), (m.WorkLogEntry.__table__, None)):
            if rows is None:
                rows = _entries(int(conn.execute(select(m.Client.__table__.c.id).limit(1)).scalar_one()))
            if fast:
                insert_many(conn, table, rows)  # type: ignore[arg-type]
            else:
                conn.execute(insert(table), rows)  # type: ignore[arg-type]
    with database.read() as s:
        conn = s.connection()
        return [tuple(r) for t in (m.Client.__table__, m.WorkLogEntry.__table__)
                for r in conn.exec_driver_sql(f"SELECT * FROM {t.name} ORDER BY id")]  # type: ignore[attr-defined]


def test_same_rows_as_core(sqlite_db, tmp_path):
    from app.persistence.db import open_database

    other = open_database(f"sqlite:///{tmp_path / 'core.sqlite3'}")
    try:
        assert _write(sqlite_db, fast=True) == _write(other, fast=False)
    finally:
        other.dispose()


def test_defaults_called_per_row(sqlite_db):
    lines = [{"table_name": "client", "record_uuid": "x", "action": "insert"} for _ in range(3)]
    with sqlite_db.unit() as s:
        insert_many(s.connection(), m.AuditEntry.__table__, lines, prefix="OR IGNORE")  # type: ignore[arg-type]
    with sqlite_db.read() as s:
        rows = s.connection().exec_driver_sql("SELECT uuid, at, author, field, row_version FROM audit_log").all()
    assert len({r[0] for r in rows}) == 3 and all(r[1] and r[2:] == ("", "", 0) for r in rows)
