"""Build a large realistic database fast: `python -m bench.generate --clients 50000 --db FILE`.

The work log scales with the clients (60 rows a client by default: 300 000 at 5 000, 3 000 000 at
50 000), five heavy clients carry 2 000 rows each (the benchmark's big card). Rows go in with bulk
executemany in one transaction per table and ``synchronous=OFF`` while generating (a scratch file: a crash
only loses the file being built); the sync outbox triggers fire as they would for data typed in."""

from __future__ import annotations

import argparse
import glob
import random
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import event, insert, select
from sqlalchemy.exc import SQLAlchemyError

from app.config import sqlite_url
from app.errors import UserError
from app.persistence.db import open_database
from app.persistence.models import (
    ChecklistState,
    ChecklistTemplate,
    Client,
    Contact,
    Employee,
    Lesson,
    LessonProgress,
    StageEvent,
    WorkLogEntry,
)

PREFIXES = ["ООО", "АО", "ЗАО", "ПАО", "ООО", "ООО"]
WORDS = ["Уральский", "Сибирский", "Волжский", "Северный", "Южный", "Кубанский", "Тульский", "Невский",
         "Камский", "Приокский", "Донской", "Байкальский", "Балтийский", "Окский", "Алтайский"]
TRADES = ["завод металлоконструкций", "мебельная фабрика", "деревообрабатывающий комбинат", "приборный завод",
          "машиностроительный завод", "кабельный завод", "завод упаковки", "литейный завод", "станкостроительный завод",
          "завод пластиковых окон", "швейная фабрика", "завод ЖБИ", "инструментальный завод"]
SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов",
            "Петров", "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов", "Семёнов", "Голубев", "Виноградов"]
NAMES = ["Андрей", "Сергей", "Дмитрий", "Алексей", "Игорь", "Ольга", "Марина", "Елена", "Наталья", "Татьяна"]
MOBILE = ["16", "26", "03", "05", "85", "15", "77", "99"]  # real operators' codes: phone checks accept them
REGIONS = ["77", "78", "66", "63", "52", "54", "40", "23", "16", "59", "36", "71", "76", "50", "74", "02"]


def _inn(rng: random.Random, used: set[str]) -> str:
    from stdnum.ru.inn import calc_company_check_digit

    while True:
        body = rng.choice(REGIONS) + f"{rng.randrange(10**7):07d}"
        inn = body + calc_company_check_digit(body)
        if inn not in used:
            used.add(inn)
            return inn


def _fast_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


LOG_ROWS_PER_CLIENT = 60  # 300 000 work-log rows at 5 000 clients, as the databases
MAX_CLIENTS = 1_000_000  # everything is built in memory first: 20 000 000 000 clients grew until the machine gave up
MAX_LOG_ROWS = 100_000_000


def generate(path: Path, clients: int, log_rows: int, seed: int = 1, today: date | None = None) -> dict:
    """Fill a new database; returns counts. Deterministic for a seed and ``today``."""
    rng = random.Random(seed)
    today = today or date(2026, 11, 1)
    if path.exists():
        raise SystemExit(f"{path} already exists: choose a new file")
    db = open_database(sqlite_url(path))
    db.engine.dispose()  # new connections only from here: without fsync per commit while generating
    event.listen(db.engine, "connect", _fast_pragmas)
    with db.read() as s:
        templates = list(s.execute(select(ChecklistTemplate.code, ChecklistTemplate.stage)))
        lessons = list(s.execute(select(Lesson.code, Lesson.stage)))
    used: set[str] = set()
    now = datetime(today.year, today.month, today.day, 9, 0)
    client_rows, contact_rows, staff_rows, event_rows, check_rows, lesson_rows = [], [], [], [], [], []
    approaches = ["accompanied", "remote", "onsite"]
    info = []
    for cid in range(1, clients + 1):
        stage = rng.choices([0, 1, 2, 3, 4], weights=[10, 30, 30, 20, 10])[0]
        approach = rng.choice(approaches)
        started = today - timedelta(days=rng.randint(30, 900))
        since = min(today - timedelta(days=1), started + timedelta(days=25 * stage + rng.randint(0, 20)))
        name = f"{rng.choice(PREFIXES)} «{rng.choice(WORDS)} {rng.choice(TRADES)} №{cid}»"
        client_rows.append({
            "id": cid, "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "updated_at": now,
            "name": name, "inn": (inn := _inn(rng, used)), "kpp": inn[:4] + "01001", "address": "", "city": "", "approach": approach,
            "stage": stage, "stage_since": datetime.combine(since, datetime.min.time()),
            "contract_no": f"ВН-{started.year}/{cid:05d}", "contract_date": started, "program_version": "8.0",
            "manager": "", "signer_name": "", "signer_position": "", "notes": "", "created_at": now})
        person = f"{rng.choice(SURNAMES)} {rng.choice(NAMES)}"
        contact_rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "updated_at": now,
                             "client_id": cid, "name": person, "position": "Главный инженер",
                             "phone": f"+7 9{rng.choice(MOBILE)}{rng.randrange(10**7):07d}", "email": f"c{cid}@example.ru"})
        for k in range(2):
            staff_rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "updated_at": now,
                               "client_id": cid, "name": f"{rng.choice(SURNAMES)} {rng.choice(NAMES)}",
                               "position": "", "department": ["Склад", "Производство"][k], "phone": "", "email": ""})
        for step in range(stage):
            event_rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "updated_at": now,
                               "client_id": cid, "from_stage": step, "to_stage": step + 1,
                               "at": datetime.combine(min(since, started + timedelta(days=25 * step)),
                                                      datetime.min.time()),
                               "who": "bench", "reason": "", "forced": False})
        for code, t_stage in templates:
            if t_stage < stage or (t_stage == stage and rng.random() < 0.4 and code != "s2.warehouses"):
                check_rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "updated_at": now,
                                   "client_id": cid, "code": code, "done": True, "done_on": since, "who": ""})
        for code, l_stage in lessons:
            if l_stage < stage or (l_stage == stage and rng.random() < 0.5):
                lesson_rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "updated_at": now,
                                    "client_id": cid, "lesson_code": code, "employee_uuid": "", "done": True,
                                    "done_on": since})
        info.append((cid, approach, started))
    with db.unit() as s:
        for model, rows in ((Client, client_rows), (Contact, contact_rows), (Employee, staff_rows),
                            (StageEvent, event_rows), (ChecklistState, check_rows), (LessonProgress, lesson_rows)):
            if rows:
                s.execute(insert(model), rows)
    # Work log: a few heavy clients (2 000 rows each) as the benchmark's "big client card", the rest spread.
    log_batch = []
    heavy = min(5, clients)
    per_heavy = min(2000, log_rows // max(heavy, 1)) if log_rows else 0
    owners = [cid for cid in range(1, heavy + 1) for _ in range(per_heavy)]
    owners += [rng.randint(1, clients) for _ in range(max(0, log_rows - len(owners)))]
    with db.unit() as s:
        for owner in owners:
            _, approach, started = info[owner - 1]
            day = started + timedelta(days=rng.randint(0, max(0, (today - started).days)))
            kind = rng.choice(["conference", "questions", "control"]) if approach != "onsite" else \
                rng.choice(["onsite_day", "onsite_day", "transfer", "lodging"])
            row = {"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "updated_at": now,
                   "client_id": owner, "on_date": day, "kind": kind, "minutes": None, "days": None, "amount": None,
                   "stage": rng.randint(1, 3), "note": "", "deleted": False, "created_at": now}
            if kind in ("conference", "questions", "control"):
                row["minutes"] = rng.choice([15, 30, 45, 60, 90, 120])
            elif kind == "onsite_day":
                row["days"] = Decimal(1)  # the Fixed2 column type stores hundredths itself
            else:
                row["amount"] = Decimal(rng.choice([3500, 5200, 7000, 8400]))
            log_batch.append(row)
            if len(log_batch) >= 50_000:
                s.execute(insert(WorkLogEntry.__table__), log_batch)
                log_batch.clear()
        if log_batch:
            s.execute(insert(WorkLogEntry.__table__), log_batch)
    db.dispose()
    return {"clients": clients, "contacts": len(contact_rows), "employees": len(staff_rows),
            "checklist": len(check_rows), "lessons": len(lesson_rows), "log_rows": len(owners)}


def partial_path(path: Path) -> Path:
    """The file a generation of ``path`` writes before it is renamed to ``path``: ``path`` + ``.part``."""
    return path.with_name(path.name + ".part")


def _remove_partial(path: Path) -> None:
    partial = partial_path(path)
    for leftover in path.parent.glob(glob.escape(partial.name) + "*"):  # with its -wal, -shm, -journal
        leftover.unlink(missing_ok=True)


def generate_file(path: Path, clients: int, log_rows: int, seed: int = 1) -> dict:
    """``generate`` into ``path`` + ``.part`` beside ``path``, renamed to ``path`` once complete: an interrupted or
    failed generation leaves neither ``path`` nor the part (an interrupted run left a schema-only file with 0
    clients that was refused on the rerun and taken for complete by bench.run). Returns the counts."""
    if path.exists():
        raise FileExistsError(f"{path} already exists: choose a new file")
    _remove_partial(path)  # of an earlier run that was killed
    try:
        counts = generate(partial_path(path), clients, log_rows, seed)
        partial_path(path).rename(path)
    except BaseException:
        _remove_partial(path)
        raise
    return counts


def _bounded(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"a whole number, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"from {low:_} to {high:_}, not {value:_}".replace("_", " "))
        return value
    return parse


class _Help(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """The module's docstring as written, and each option's default."""


def main(argv: list[str] | None = None) -> int:
    """The command line: generate ``--db``; 2 for a refused argument or path, 130 when interrupted."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__, formatter_class=_Help)
    parser.add_argument("--clients", type=_bounded(1, MAX_CLIENTS), default=5000, help="clients to generate")
    parser.add_argument("--log-rows", type=_bounded(0, MAX_LOG_ROWS), default=argparse.SUPPRESS,
                        help=f"work-log rows (default: {LOG_ROWS_PER_CLIENT} a client)")
    parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same database")
    parser.add_argument("--db", required=True, type=Path, default=argparse.SUPPRESS, metavar="FILE",
                        help="the new SQLite file to write (must not exist; written as FILE.part, renamed at the end)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    given_rows = getattr(args, "log_rows", None)
    log_rows = args.clients * LOG_ROWS_PER_CLIENT if given_rows is None else given_rows
    refused = (f"{args.db} already exists: choose a new file" if args.db.exists() else
               f"{args.db.parent} is not a folder" if not args.db.parent.is_dir() else None)
    if refused:
        print(f"{parser.prog}: error: --db: {refused}", file=sys.stderr)
        return 2
    try:
        counts = generate_file(args.db, args.clients, log_rows, args.seed)
    except KeyboardInterrupt:
        print(f"interrupted: {args.db} not written", file=sys.stderr)
        return 130
    except (UserError, OSError, SQLAlchemyError) as exc:  # an unwritable place: the app's message, one line
        message = exc.message if isinstance(exc, UserError) else str(exc).splitlines()[0]
        print(f"{parser.prog}: error: --db {args.db}: {message}", file=sys.stderr)
        return 2
    print(f"{counts} in {time.perf_counter() - started:.1f} s → {args.db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
