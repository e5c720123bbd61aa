"""CSV import of 5 000 clients: the service into an empty and into the N-client database, 500 vs 5 000 (linear?),
and the window's path (``import_clients_from``) until the new clients are painted, with its longest UI-thread event.

Hooks into the product: ``app.services.importing.import_clients(db, path)``, ``app.persistence.db.open_database``,
``app.config.sqlite_url``; the window's ``import_clients_from(path)`` (whatever it does — on the UI thread or in a
task with progress — the figure runs until the list holds the new clients and the UI is idle)."""

from __future__ import annotations

import csv
import random
import sqlite3
import time
from pathlib import Path

from bench.common import Figure
from bench.databases import remove, scratch_copy
from bench.generate import MOBILE, NAMES, PREFIXES, REGIONS, SURNAMES, TRADES, WORDS

IMPORT_COLUMNS = ["Наименование", "ИНН", "Подход", "Договор №", "Дата договора", "Версия программы",
                  "Контактное лицо", "Телефон", "E-mail"]


def write_csv(path: Path, count: int, taken: set[str], seed: int = 7) -> Path:
    """``count`` new clients (ИНН not in ``taken``) as Excel saves a Russian CSV: ';', UTF-8 with BOM."""
    from stdnum.ru.inn import calc_company_check_digit

    rng = random.Random(seed)
    approaches = ["Сопровождение внедрения", "Удалённые конференции", "Выездное внедрение"]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(IMPORT_COLUMNS)
        for n in range(count):
            while True:
                body = rng.choice(REGIONS) + f"{rng.randrange(10**7):07d}"
                inn = body + calc_company_check_digit(body)
                if inn not in taken:
                    taken.add(inn)
                    break
            out.writerow([f"{rng.choice(PREFIXES)} «{rng.choice(WORDS)} {rng.choice(TRADES)} №И{n + 1}»", inn,
                          rng.choice(approaches), f"ИМ-{n + 1:05d}", "15.03.2026", "8.0",
                          f"{rng.choice(SURNAMES)} {rng.choice(NAMES)}",
                          f"+7 9{rng.choice(MOBILE)}{rng.randrange(10**7):07d}", f"i{n + 1}@example.ru"])
    return path


def _inns(db_file: Path) -> set[str]:
    con = sqlite3.connect(db_file)
    try:
        return {inn for (inn,) in con.execute("SELECT inn FROM client")}
    finally:
        con.close()


def _service_import(target_db: Path, csv_path: Path) -> float:
    from app.config import sqlite_url
    from app.persistence.db import open_database
    from app.services.importing import import_clients

    db = open_database(sqlite_url(target_db))
    try:
        started = time.perf_counter()
        result = import_clients(db, csv_path)
        elapsed = time.perf_counter() - started
    finally:
        db.dispose()
    if not result.added:
        raise RuntimeError("the CSV import added nobody")
    return elapsed


def _empty_db(folder: Path) -> Path:
    from app.config import sqlite_url
    from app.persistence.db import open_database

    path = folder / "empty.sqlite3"
    open_database(sqlite_url(path)).dispose()
    return path


def bench_csv_service(db_file: Path, clients: int) -> list[Figure]:
    """Service path, one sample each (tens of seconds on the current code): 5 000 into empty and into N, 500."""
    probe = scratch_copy(db_file)
    folder = probe.parent
    try:
        taken = _inns(db_file)
        big = write_csv(folder / "5000.csv", 5000, set(taken))
        small = write_csv(folder / "500.csv", 500, set(taken), seed=8)
        into_full = _service_import(probe, big)
        empty = _empty_db(folder)
        into_empty = _service_import(empty, big)
        empty.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{empty}{suffix}").unlink(missing_ok=True)
        empty = _empty_db(folder)
        small_t = _service_import(empty, small)
        ratio = into_empty / small_t
        return [
            Figure("CSV import of 5 000 clients (service) into this database", clients, [into_full], "s", "", [],
                   "≤ 3 s" if clients <= 5000 else "(information)", into_full <= 3 if clients <= 5000 else None),
            Figure("CSV import of 5 000 clients (service) into an empty database", clients, [into_empty], "s",
                   "500 clients, same way", [small_t], "linear: ≤ 15× the 500-client import",
                   ratio <= 15, f"ratio 5 000 / 500 = {ratio:.1f} (10 is linear)"),
        ]
    finally:
        remove(probe)


def bench_csv_window(db_file: Path, clients: int) -> list[Figure]:
    """The window's path on a copy of the N-client database: until the 5 000 new clients are in the list, painted,
    the UI idle; the longest single UI-thread event meanwhile (the issue: the import must not run on it)."""
    from PySide6.QtWidgets import QAbstractItemView

    import ui
    from app.config import sqlite_url
    from bench.paint import MessageGuard, SlotWatch, settle, wait_quiet

    copy = scratch_copy(db_file)
    try:
        csv_path = write_csv(copy.parent / "5000.csv", 5000, _inns(db_file))
        messages = MessageGuard()
        window = ui.create_main_window(sqlite_url(copy))
        window.resize(1366, 768)
        window.show()
        getattr(window, "wait_for_rows", lambda _ms: True)(600_000)  # a lazy start: the database opens behind
        wait_quiet(window)
        view = window.findChild(QAbstractItemView, "clientList")
        before = view.model().rowCount()
        slots = SlotWatch()
        slots.start()
        started = time.perf_counter()
        try:
            slots.call("import_clients_from", lambda: window.import_clients_from(str(csv_path)))
            end = settle(window, None, started, timeout=1800, wait_pools=False,
                         done=lambda: view.model().rowCount() >= before + 5000 or bool(messages.seen))
            if messages.seen:
                raise RuntimeError(f"the import said: {messages.seen}")
        finally:
            slots.stop()
        window.close()
        elapsed = end - started
        return [Figure("CSV import of 5 000 clients in the window, until painted", clients, [elapsed], "s", "", [],
                       "≤ 3 s, off the UI thread" if clients <= 5000 else "off the UI thread",
                       (elapsed <= 3 if clients <= 5000 else True) and slots.longest <= 0.016,
                       f"longest UI-thread event {slots.longest * 1000:.0f} ms ({slots.what})")]
    finally:
        remove(copy)
