"""500 monthly acts written and registered (what `report acts --month` does per client) vs bare reportlab.

Ours: what ``app.reports.batch.issue_month_acts`` does: the batch's reads once (``batch_reads.read_batch``),
then per client ``printing.issue_act`` (the act prepared and issued in one transaction) with a writer that puts
the PDF into a temporary file, fsyncs and renames it (the CLI's way), on a scratch copy of the database. Bare: the same text runs of each act set by plain reportlab
(bench.barepdf), the same file write (temporary file, fsync, rename) and one register row committed with fsync
in a bare SQLite file. The two run interleaved, act by act (ours, then bare on the runs of the PDF ours just
made, read untimed), so that a shared machine's load falls on both alike; reportlab and the fonts are loaded for
both before the clock starts (a bare program pays that once too). The note gives the CPU-time ratio beside the
wall-clock one, and the bare documents' page count beside ours. Hooks into the product: ``app.services.documents``
(get_executor, missing_executor_fields, update_executor, billable_clients), ``app.reports.printing.issue_act``,
``app.services.documents.batch_reads.read_batch``, ``app.persistence.db.open_database``."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import date
from pathlib import Path

from bench.barepdf import bare_pdf, page_count, text_runs
from bench.common import Figure
from bench.databases import remove, scratch_copy

MONTH = (date(2026, 10, 1), date(2026, 10, 31))  # bench.generate's data end on 2026-11-01


def _write(folder: Path, name: str, pdf: bytes) -> None:
    temp = folder / f".{name}.part"
    with temp.open("wb") as fh:
        fh.write(pdf)
        fh.flush()
        os.fsync(fh.fileno())
    temp.replace(folder / name)


def bench_acts(db_file: Path, clients: int, count: int = 500) -> list[Figure]:
    from app.config import sqlite_url
    from app.persistence.db import open_database
    from app.reports import printing
    from app.reports.fonts import REGULAR
    from app.services import documents
    from app.services.documents.batch_reads import read_batch

    copy = scratch_copy(db_file)
    out = copy.parent / "acts"
    bare_out = copy.parent / "bare"
    try:
        out.mkdir()
        bare_out.mkdir()
        db = open_database(sqlite_url(copy))
    except BaseException:  # a database the app refuses: no copy left in /tmp
        remove(copy)
        raise
    try:
        if documents.missing_executor_fields(documents.get_executor(db)):
            documents.update_executor(db, company="ООО «Бенчмарк»", inn="7707083893", kpp="770701001",
                                      address="г. Москва", city="Москва", specialist_name="Иванов И. И.",
                                      specialist_position="Специалист", signer_name="Петров П. П.",
                                      signer_position="Директор")
        start, end = MONTH
        chosen = documents.billable_clients(db, start, end)[:count]
        register = sqlite3.connect(copy.parent / "bare-register.sqlite3", isolation_level=None)
        register.execute("PRAGMA journal_mode=WAL")
        register.execute("PRAGMA synchronous=FULL")
        register.execute("CREATE TABLE document (id INTEGER PRIMARY KEY, number INTEGER, content TEXT)")
        bare_pdf([[("0", REGULAR, 9.0)]])  # reportlab and the fonts loaded, for both, untimed
        wall, cpu = time.perf_counter(), time.process_time()
        shared = read_batch(db)  # the batch's reads, once (issue_month_acts), timed as ours
        ours, ours_cpu = time.perf_counter() - wall, time.process_time() - cpu
        bare = bare_cpu = 0.0
        pages = bare_pages = 0
        for number, (client_id, _name) in enumerate(chosen, start=1):
            wall, cpu = time.perf_counter(), time.process_time()
            issued = printing.issue_act(db, client_id, start, end, shared=shared,
                                        before_commit=lambda draft, pdf: _write(out, draft.file_name(), pdf))
            ours += time.perf_counter() - wall
            ours_cpu += time.process_time() - cpu
            act = text_runs(issued.pdf)  # untimed
            wall, cpu = time.perf_counter(), time.process_time()
            pdf = bare_pdf(act)
            _write(bare_out, f"act-{number}.pdf", pdf)
            register.execute("BEGIN IMMEDIATE")
            register.execute("INSERT INTO document(number, content) VALUES (?, ?)",
                             (number, json.dumps(act, ensure_ascii=False)))
            register.execute("COMMIT")
            bare += time.perf_counter() - wall
            bare_cpu += time.process_time() - cpu
            pages += len(act)
            bare_pages += page_count(pdf)  # untimed
        register.close()
        ratio = ours / bare
        return [Figure(f"{len(chosen)} monthly acts written and registered", clients, [ours], "s",
                       "bare reportlab, same text runs, same writes", [bare], "≤ 1.3× bare", ratio <= 1.3,
                       f"{pages} pages (bare {bare_pages}); month {start:%m.%Y}; interleaved; CPU {ours_cpu:.2f} s "
                       f"vs {bare_cpu:.2f} s = {ours_cpu / bare_cpu:.2f}×")]
    finally:
        db.dispose()
        remove(copy)
