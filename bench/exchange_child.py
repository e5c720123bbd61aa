"""Child process for the export/import figures: one operation, its seconds and its own peak RSS on stdout.

    python -m bench.exchange_child export DB BUNDLE          bundle_export.export_bundle(db, None, BUNDLE)
    python -m bench.exchange_child import BUNDLE NEW_DB      open_database(NEW_DB) untimed, then import_bundle
    python -m bench.exchange_child dump DB FILE TABLE…       bare: SELECT * of each table → JSON in a deflated zip
    python -m bench.exchange_child load FILE NEW_DB SCHEMA_DB  bare: the same schema (untimed), then executemany

Prints ``seconds S`` (the operation alone) or ``refused TEXT`` when the app refuses (status 0, so the parent
reports it). Hooks into the product: ``app.exchange.bundle_export.export_bundle``,
``app.exchange.bundle_import.import_bundle``,
``app.persistence.db.open_database``, ``app.config.sqlite_url``."""

from __future__ import annotations

import json
import sqlite3
import sys
import time
import zipfile
from pathlib import Path


def bare_dump(db_file: Path, out: Path, tables: list[str]) -> None:
    """Every row of ``tables`` as JSON lists in one deflated zip member per table."""
    con = sqlite3.connect(db_file)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for table in tables:
            cursor = con.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            zf.writestr(f"{table}.json", json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False,
                                                      default=str))
    con.close()


def bare_load(dump: Path, new_db: Path, schema_db: Path) -> float:
    """Create the tables of ``schema_db`` in ``new_db`` (untimed), then insert the dump; seconds of the insert."""
    schema = sqlite3.connect(schema_db)
    statements = [sql for (sql,) in schema.execute("SELECT sql FROM sqlite_master WHERE type IN ('table', 'index') "
                                                   "AND sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")]
    schema.close()
    con = sqlite3.connect(new_db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    for sql in statements:
        con.execute(sql)
    started = time.perf_counter()
    con.execute("BEGIN")
    with zipfile.ZipFile(dump) as zf:
        for name in zf.namelist():
            data = json.loads(zf.read(name))
            columns = data["columns"]
            marks = ", ".join("?" * len(columns))
            names = ", ".join(f'"{c}"' for c in columns)
            con.executemany(f'INSERT INTO "{name[:-5]}" ({names}) VALUES ({marks})', data["rows"])
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def main(argv: list[str]) -> int:
    op = argv[0]
    if op == "dump":
        started = time.perf_counter()
        bare_dump(Path(argv[1]), Path(argv[2]), argv[3:])
        print(f"seconds {time.perf_counter() - started:.4f}")
        return 0
    if op == "load":
        print(f"seconds {bare_load(Path(argv[1]), Path(argv[2]), Path(argv[3])):.4f}")
        return 0
    from app.config import sqlite_url
    from app.errors import UserError
    from app.exchange import bundle_export, bundle_import
    from app.persistence.db import open_database

    if op == "export":
        db = open_database(sqlite_url(argv[1]))
        started = time.perf_counter()
        try:
            info = bundle_export.export_bundle(db, None, Path(argv[2]))
        except UserError as exc:
            print("refused " + exc.message.replace("\n", " "))
            return 0
        print(f"seconds {time.perf_counter() - started:.4f}")
        print("tables " + json.dumps(sorted(info.counts)))
        return 0
    if op == "import":
        db = open_database(sqlite_url(argv[2]))
        started = time.perf_counter()
        try:
            bundle_import.import_bundle(db, Path(argv[1]), backup=False)
        except UserError as exc:
            print("refused " + exc.message.replace("\n", " "))
            return 0
        print(f"seconds {time.perf_counter() - started:.4f}")
        return 0
    raise SystemExit(f"unknown operation {op}")


if __name__ == "__main__":
    from bench.common import print_own_peak

    status = main(sys.argv[1:])
    print_own_peak()
    sys.exit(status)
