"""Sync benchmark: a laptop's first sync from a team server of the bench size, and an incremental sync.

    python -m bench.sync --database-url postgresql+psycopg://owner@127.0.0.1:5432/postgres [--db FILE]

Builds the bench database with bench.generate when FILE is not given (5 000 clients, 300 000 work-log rows),
copies it into a fresh database on that PostgreSQL server (``server init`` first) and measures, each beside
a baseline of the same run:

* first sync of an empty laptop (the team's admin sees everything; app/sync/snapshot.py) — baseline
  ``pg_dump | psql`` of the same server database into a new database; the machine's load average is
  printed beside it (the figures of a shared machine are only comparable with their own baseline);
* incremental sync of 10 changed clients — baseline one round trip of ``SELECT 1`` on an open connection.

The temporary databases and the bench role are removed at the end."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import ClassVar

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench password 1"
COPY_ORDER = ("client", "contact", "employee", "stage_event", "checklist_state", "lesson_progress", "work_log",
              "estimate", "document", "planned_event", "question")


def _memory_keyring() -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        store: ClassVar[dict] = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    keyring.set_keyring(Memory())


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else (shutil.which(name) or name)


def _copy(sqlite_file: Path, server_url: str) -> dict[str, int]:
    from app.persistence.models import Base

    source = create_engine(f"sqlite:///{sqlite_file}")
    target = create_engine(server_url)
    counts = {}
    with source.connect() as src, target.begin() as dst:
        for name in COPY_ORDER:
            table = Base.metadata.tables[name]
            rows = [dict(r) for r in src.execute(select(table)).mappings()]
            for start in range(0, len(rows), 5000):
                dst.execute(table.insert(), rows[start:start + 5000])
            if rows:
                dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                 f"(SELECT max(id) FROM {name}))"))
            counts[name] = len(rows)
    source.dispose()
    target.dispose()
    return counts


def _specialist_pushes(server_url: str, work: Path, suffix: str, repeat: int) -> list[float]:
    """Seconds of each sync of a specialist's laptop that pushes 10 new work-log entries: the path a member who is
    no admin takes through row-level security (the policies judge every pushed row against the clients)."""
    from datetime import date

    from app.persistence.db import open_database
    from app.services.worklog import EntryInput, add_entry
    from app.sync.service import sync_once
    from app.sync.sync_setup import setup
    from app.team.users import add_user

    login = f"bench_{suffix}_spec"
    server = open_database(server_url, migrate=False, seed=False)
    add_user(server, login, "Бенч Специалист", "specialist", PASSWORD, position="Специалист")
    server.dispose()
    owner = create_engine(server_url)
    with owner.begin() as conn:
        conn.execute(text("UPDATE client SET specialist_login = :l WHERE id IN (SELECT id FROM client ORDER BY id "
                          "LIMIT 10)"), {"l": login})
        inns = [r[0] for r in conn.execute(text("SELECT inn FROM client WHERE specialist_login = :l"), {"l": login})]
    owner.dispose()
    laptop = open_database(f"sqlite:///{work / 'specialist.sqlite3'}")
    setup(laptop, make_url(server_url).set(username=login, password=None).render_as_string(hide_password=False),
          PASSWORD)
    sync_once(laptop)
    times = []
    for round_ in range(repeat):
        for inn in inns:
            add_entry(laptop, inn, EntryInput(kind="conference", on_date=date(2026, 10, 1 + round_ % 28), minutes=30,
                                              note=f"бенчмарк {round_}"))
        started = time.perf_counter()
        report = sync_once(laptop)
        times.append(time.perf_counter() - started)
        assert report.pushed >= 10, report
    laptop.dispose()
    return times


def connect_owner(url_text: str) -> tuple[Engine | None, str]:
    """An AUTOCOMMIT engine of the owner's URL, tried with one connection; else None and why, in one line. Done
    before anything is generated: a bad URL (ArgumentError) or an unreachable server (OperationalError) ended in
    a traceback after minutes of generating, leaving the temporary folders behind."""
    try:
        url = make_url(url_text)
    except ArgumentError:
        return None, f"{url_text!r} is no database URL (postgresql+psycopg://owner@host:5432/postgres)"
    if url.get_backend_name() != "postgresql":
        return None, f"a PostgreSQL server's URL is needed, not {url.get_backend_name()!r}"
    try:
        owner = create_engine(url, isolation_level="AUTOCOMMIT")
        with owner.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        return None, f"cannot connect to {url.render_as_string(hide_password=True)}: " + (reason[0] if reason else
                                                                                          type(exc).__name__)
    return owner, ""


def main(argv: list[str] | None = None) -> int:
    """The command line: 0 when measured, 2 for a refused argument (a bad URL, a server not reached)."""
    parser = argparse.ArgumentParser(prog="python -m bench.sync", description=__doc__)
    parser.add_argument("--database-url", required=True, help="PostgreSQL URL of a superuser (owner) account")
    parser.add_argument("--db", type=Path, default=None, help="bench SQLite file (made when not given)")
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--log-rows", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    owner, refused = connect_owner(args.database_url)
    if owner is None:
        print(f"{parser.prog}: error: --database-url: {refused}", file=sys.stderr)
        return 2
    made_data = None
    if "VNEDRENIE_DATA_DIR" not in os.environ:  # (setdefault made a folder even when the variable was set)
        made_data = tempfile.mkdtemp(prefix="vnedrenie-bench-data-")
        os.environ["VNEDRENIE_DATA_DIR"] = made_data
    work = Path(tempfile.mkdtemp(prefix="vnedrenie-bench-sync-"))
    try:
        return _bench(args, owner, work)
    finally:  # on every exit: an error, Ctrl+C
        owner.dispose()
        shutil.rmtree(work, ignore_errors=True)
        if made_data is not None:
            shutil.rmtree(made_data, ignore_errors=True)


def _bench(args: argparse.Namespace, owner: Engine, work: Path) -> int:
    sys.path.insert(0, str(ROOT))
    _memory_keyring()
    from app.persistence.db import open_database
    from app.sync.service import sync_once
    from app.sync.sync_setup import setup
    from app.team.server import init_server
    from app.team.users import add_user

    source = args.db
    if source is None:
        from bench.generate import generate

        source = work / "bench.sqlite3"
        started = time.perf_counter()
        generate(source, args.clients, args.log_rows)
        print(f"generated {args.clients} clients, {args.log_rows} log rows in {time.perf_counter() - started:.0f} s")
    suffix = uuid.uuid4().hex[:8]
    names = [f"vn_bench_{suffix}", f"vn_bench_{suffix}_dump"]
    admin_url = make_url(args.database_url)
    with owner.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    server_url = admin_url.set(database=names[0]).render_as_string(hide_password=False)
    login = f"bench_{suffix}"
    try:
        server = init_server(server_url)
        add_user(server, login, "Бенч Админ", "admin", PASSWORD)
        server.dispose()
        started = time.perf_counter()
        counts = _copy(source, server_url)
        print(f"copied {counts} into the server in {time.perf_counter() - started:.0f} s")

        env = {**os.environ, "PGHOST": admin_url.host or "127.0.0.1", "PGPORT": str(admin_url.port or 5432),
               "PGUSER": admin_url.username or "postgres"}
        if admin_url.password:
            env["PGPASSWORD"] = admin_url.password
        started = time.perf_counter()
        dump = subprocess.Popen([_pg_bin("pg_dump"), "-d", names[0]], stdout=subprocess.PIPE, env=env)
        subprocess.run([_pg_bin("psql"), "-q", "-d", names[1]], stdin=dump.stdout, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dump.wait()
        dump_s = time.perf_counter() - started

        laptop = open_database(f"sqlite:///{work / 'laptop.sqlite3'}")
        member = make_url(server_url).set(username=login, password=None).render_as_string(hide_password=False)
        setup(laptop, member, PASSWORD)
        load_before = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        first = sync_once(laptop)
        first_s, first_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"first sync: {first_s:.1f} s wall, {first_cpu:.1f} s CPU of this process; load average "
              f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} CPUs)")

        changer = create_engine(server_url)
        incremental, trivial = [], []
        for round_ in range(args.repeat):
            with changer.begin() as conn:
                conn.execute(text("UPDATE client SET notes = :n WHERE id IN "
                                  "(SELECT id FROM client ORDER BY id LIMIT 10 OFFSET :o)"),
                             {"n": f"изменение {round_}", "o": round_ * 10})
            started = time.perf_counter()
            report = sync_once(laptop)
            incremental.append(time.perf_counter() - started)
            assert report.pulled >= 10, report
            with changer.connect() as conn:
                conn.execute(text("SELECT 1"))
                started = time.perf_counter()
                conn.execute(text("SELECT 1")).scalar()
                trivial.append(time.perf_counter() - started)
        changer.dispose()
        laptop.dispose()
        pushes = _specialist_pushes(server_url, work, suffix, args.repeat)
        inc, base = statistics.median(incremental), statistics.median(trivial)
        print()
        print("| figure | median | baseline | baseline median | ratio | target | met |")
        print("|---|---:|---|---:|---:|---|---|")
        print(f"| first sync of a laptop ({first.pulled} records) | {first_s:.1f} s | pg_dump \\| psql of the "
              f"same database | {dump_s:.1f} s | {first_s / dump_s:.2f} | ≤ 30 s | "
              f"{'yes' if first_s <= 30 else 'no'} |")
        print(f"| incremental sync, 10 changed clients | {inc * 1000:.0f} ms | one round trip of SELECT 1 | "
              f"{base * 1000:.2f} ms | {inc / base:.0f} | ≤ 1 s | {'yes' if inc <= 1 else 'no'} |")
        push = statistics.median(pushes)
        print(f"| a specialist's sync pushing 10 new work-log entries (10 of the server's clients theirs; row-level "
              f"security over all of them) | {push * 1000:.0f} ms | one round trip of SELECT 1 | {base * 1000:.2f} ms | "
              f"{push / base:.0f} | ≤ 1 s | {'yes' if push <= 1 else 'no'} |")
    finally:
        with owner.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for role in (login, f"{login}_spec"):
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    return 0


if __name__ == "__main__":
    sys.exit(main())
