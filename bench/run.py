"""Benchmark suite: medians against a baseline measured in the same run, printed as a table.

    python -m bench.run [--db FILE] [--repeat N] [--markdown]

Builds the large database with bench.generate when FILE does not exist (5 000 clients, 300 000
work-log rows). Every figure is a median of N runs; where a target is a ratio, the baseline is the
same kind of work done by the bare library in the same process or started the same way."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    name: str
    median: float
    unit: str
    baseline_name: str = ""
    baseline: float | None = None
    target: str = ""
    ok: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline:
            return self.median / self.baseline
        return None


def median_of(fn: Callable[[], object], repeat: int, warm: int = 1) -> float:
    for _ in range(warm):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def ms(seconds: float) -> float:
    return seconds * 1000


# ------------------------------------------------------------------ start-up and memory (child processes)


def _child(args: list[str], env: dict | None = None) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-m", "bench.startup", *args], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env=env)
    values = {}
    for line in out.stdout.splitlines():
        key, _, value = line.partition(" ")
        try:
            values[key] = float(value)
        except ValueError:
            continue
    if "painted" not in values:
        raise RuntimeError(f"start-up child failed: {out.stderr[-2000:]}")
    return values


def bench_startup(db_file: Path, repeat: int) -> list[Row]:
    env = dict(os.environ)
    # An installed program has its bytecode compiled (pip does it; so does a first start unless
    # PYTHONDONTWRITEBYTECODE is set, as it is in some shells): measure that, not the compiler. The
    # libraries the bare window uses are compiled already, so this only makes the comparison fair.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "app", "ui", "i18n", "main.py"], cwd=ROOT,
                   capture_output=True, timeout=300, check=False)
    _child(["app", str(db_file)], env)  # warm-up, as for every figure (this one also caches translations)
    _child(["bare"], env)
    app_runs, bare_runs = [], []
    for _ in range(repeat):  # alternating, so that a busy machine slows both alike
        app_runs.append(_child(["app", str(db_file)], env))
        bare_runs.append(_child(["bare"], env))
    app_paint = statistics.median(r["painted"] for r in app_runs)
    bare_paint = statistics.median(r["painted"] for r in bare_runs)
    rows_shown = [r["rows_shown"] for r in app_runs if "rows_shown" in r]
    result = [Row("start → first painted main window", ms(app_paint), "ms", "bare QMainWindow", ms(bare_paint),
                  "ratio ≤ 2.0", app_paint / bare_paint <= 2.0)]
    if rows_shown:
        result.append(Row("start → 5 000 clients shown", ms(statistics.median(rows_shown)), "ms",
                          "bare QMainWindow", ms(bare_paint), "(information)"))
    app_mem = _child(["app", str(db_file), "--stay"], env)["rss_mb"]
    bare_mem = _child(["bare", "--stay"], env)["rss_mb"]
    result.append(Row("peak RSS, window on the large database", app_mem, "MB", "bare QMainWindow", bare_mem,
                      "≤ 300 MB", app_mem <= 300))
    return result


# ------------------------------------------------------------------ in-process window figures


def bench_window(db_file: Path, repeat: int) -> list[Row]:
    from PySide6.QtCore import QSortFilterProxyModel, QStringListModel, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit, QListView

    import ui
    from app.config import sqlite_url
    from ui.dialogs.stages.move_guard import MoveDecision

    window = ui.create_main_window(sqlite_url(db_file))
    app = QApplication.instance()
    window.resize(1366, 768)
    window.show()
    if hasattr(window, "wait_for_rows"):
        window.wait_for_rows(60_000)
    window.wait_for_background(60_000)
    app.processEvents()
    rows: list[Row] = []

    # one keystroke of client search over 5 000 clients
    search = window.findChild(QLineEdit, "clientSearch")
    letters = iter("ооозаводмебельуральскийкомбинатприборный" * 50)

    def keystroke():
        if len(search.text()) > 6:
            search.clear()
            app.processEvents()
        QTest.keyClick(search, next(letters))
        window.work_area.list_panel.apply_filter()  # the box waits for a pause in typing; count the filter itself
        app.processEvents()

    names = [window.work_area.clients.summary_at(i).name if hasattr(window.work_area.clients, "summary_at") else str(i)
             for i in range(window.work_area.clients.rowCount())]
    base_model = QStringListModel(names)
    base_proxy = QSortFilterProxyModel()
    base_proxy.setSourceModel(base_model)
    base_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    base_letters = iter("ооозаводмебельуральскийкомбинатприборный" * 50)
    typed = [""]

    def base_keystroke():
        if len(typed[0]) > 6:
            typed[0] = ""
            base_proxy.setFilterFixedString("")
        typed[0] += next(base_letters)
        base_proxy.setFilterFixedString(typed[0])

    rows.append(Row("client search, one keystroke (5 000 clients)", ms(median_of(keystroke, repeat * 5)), "ms",
                    "QSortFilterProxyModel over names", ms(median_of(base_keystroke, repeat * 5)), "≤ 16 ms"))
    rows[-1].ok = rows[-1].median <= 16
    search.clear()
    app.processEvents()

    # kanban load with 5 000 cards
    def kanban_load():
        window.reload_all()
        app.processEvents()

    base_view = QListView()
    base_list = QStringListModel()
    base_view.setModel(base_list)
    base_view.resize(300, 700)
    base_view.show()

    def base_kanban():
        base_list.setStringList(names)
        app.processEvents()

    rows.append(Row("kanban load, 5 000 cards", ms(median_of(kanban_load, repeat)), "ms",
                    "QListView + QStringListModel reset", ms(median_of(base_kanban, repeat)), "≤ 150 ms"))
    rows[-1].ok = rows[-1].median <= 150

    # one drag-move committed (a move back with a reason, then forward again: both are real moves)
    from app.services.clients import list_clients

    movable = [c for c in list_clients(window.db) if 1 <= c.stage <= 3][:200]
    window.move_dialog = lambda *args: MoveDecision(reason="бенчмарк", force=True)
    moves = iter(movable)

    def one_move():
        client = next(moves)
        window.request_move(client.id, client.stage - 1)
        app.processEvents()

    import sqlite3

    con = sqlite3.connect(db_file, isolation_level=None)
    con.execute("PRAGMA synchronous=FULL")

    def base_move():
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE client SET stage = stage WHERE id = 1")
        con.execute("INSERT INTO setting(key, value) VALUES ('bench', '1') ON CONFLICT(key) DO UPDATE SET value='1'")
        con.execute("COMMIT")

    rows.append(Row("drag-move committed", ms(median_of(one_move, min(repeat * 5, len(movable) - 2))), "ms",
                    "bare sqlite3 UPDATE+INSERT commit", ms(median_of(base_move, repeat * 5)), "≤ 30 ms"))
    rows[-1].ok = rows[-1].median <= 30

    # client card open with 2 000 log rows (clients 1..5 carry 2 000 rows each)
    heavy = [1, 2, 3, 4, 5]
    state = {"i": 0}

    def open_card():
        state["i"] += 1
        window.set_current_client(heavy[state["i"] % len(heavy)])
        app.processEvents()

    def base_card():
        state["i"] += 1
        list(con.execute("SELECT * FROM work_log WHERE client_id = ? ORDER BY on_date", (heavy[state["i"] % 5],)))

    rows.append(Row("client card open, 2 000 log rows", ms(median_of(open_card, repeat * 2)), "ms",
                    "bare SELECT of the 2 000 rows", ms(median_of(base_card, repeat * 2)), "≤ 100 ms"))
    rows[-1].ok = rows[-1].median <= 100
    con.close()
    window.close()
    return rows


# ------------------------------------------------------------------ documents


def _text_runs(pdf: bytes) -> list[list[tuple[str, str, float]]]:
    """Per page, every run of text the PDF shows (a paragraph line, a cell line) with its face and size."""
    import io

    from pypdf import PdfReader

    from app.reports.fonts import FILES

    faces = {Path(file).stem: name for name, file in FILES.items()}  # DejaVuSerif-Bold → DocSerif-Bold
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        runs: list[tuple[str, str, float]] = []

        def visit(text, _cm, _tm, font, size, runs=runs):
            if text.strip():
                base = str((font or {}).get("/BaseFont", "")).lstrip("/").split("+")[-1]
                runs.append((text.strip(), faces.get(base, faces["DejaVuSerif"]), float(size)))

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


def _bare_pdf(pages: list[list[tuple[str, str, float]]]) -> bytes:
    """A bare reportlab document of the same size with the same fonts: the same text runs in the same
    faces and sizes, one Paragraph per run, a page break where the document has one, the same margins."""
    import io
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    from app.reports.fonts import register_fonts
    from app.reports.styles import PAGE_MARGINS

    register_fonts()
    height = A4[1] - PAGE_MARGINS["top"] - PAGE_MARGINS["bottom"] - 12  # the frame's padding
    styles: dict[tuple[str, float, float], ParagraphStyle] = {}
    story: list = []
    for number, runs in enumerate(pages):
        if number:
            story.append(PageBreak())
        # The document sets runs side by side in table rows; one under another they may need more
        # height than a page has: then lines are set tighter, so the page count stays the same.
        squeeze = min(1.0, height / max(1.0, sum(size for _text, _face, size in runs) * 1.02))
        for text, face, size in runs:
            key = (face, size, squeeze)
            style = styles.get(key)
            if style is None:
                style = styles[key] = ParagraphStyle(f"{face}-{size}", fontName=face, fontSize=size,
                                                     leading=size * squeeze)
            story.append(Paragraph(escape(text), style))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=PAGE_MARGINS["left"], rightMargin=PAGE_MARGINS["right"],
                      topMargin=PAGE_MARGINS["top"], bottomMargin=PAGE_MARGINS["bottom"]).build(story)
    return buffer.getvalue()


def _page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _interleaved(fn: Callable[[], object], base: Callable[[], object], repeat: int, warm: int = 1
                 ) -> tuple[float, float]:
    """Medians of a figure and its baseline measured in alternation, so that a busy machine slows both."""
    for _ in range(warm):
        fn()
        base()
    times, base_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        base()
        base_times.append(time.perf_counter() - started)
    return statistics.median(times), statistics.median(base_times)


def bench_documents(db_file: Path, repeat: int) -> list[Row]:
    from app.config import sqlite_url
    from app.persistence.db import open_database
    from app.reports import printing
    from app.services import documents
    from app.services.clients import list_clients

    db = open_database(sqlite_url(db_file))
    if documents.missing_executor_fields(documents.get_executor(db)):
        documents.update_executor(db, company="ООО «Бенчмарк»", inn="7707083893", kpp="770701001",
                                  address="г. Москва", city="Москва", specialist_name="Иванов И. И.",
                                  specialist_position="Специалист", signer_name="Петров П. П.",
                                  signer_position="Директор")
    client = next(c for c in list_clients(db) if c.stage >= 2)
    draft = documents.prepare_signoff(db, client.id, stage=1, force=True, reason="bench")
    pdf = printing.render_draft(draft)
    runs = _text_runs(pdf)
    pages = len(runs)
    bare_pages = _page_count(_bare_pdf(runs))

    signoff = median_of(lambda: printing.render_draft(documents.prepare_signoff(db, client.id, stage=1, force=True, reason="bench")), repeat * 3)
    render_only, bare = _interleaved(lambda: printing.render_draft(draft), lambda: _bare_pdf(runs), repeat * 3)
    rows = [Row("sign-off sheet PDF (warm): data + layout", ms(signoff), "ms", "", None, "≤ 150 ms",
                ms(signoff) <= 150),
            Row(f"sign-off sheet PDF (warm): layout only ({pages} p.)", ms(render_only), "ms",
                f"bare reportlab, same text runs, faces, sizes ({bare_pages} p.)", ms(bare), "ratio ≤ 1.5",
                render_only / bare <= 1.5)]

    # 100 acts for a month: prepare + render (what `report acts` does per client, without the files)
    start, end = date(2026, 1, 1), date(2026, 10, 31)
    billable = documents.billable_clients(db, start, end)[:100]
    act_pdf = printing.render_draft(documents.prepare_act(db, billable[0][0], start, end))
    act_runs = _text_runs(act_pdf)
    act_bare_pages = _page_count(_bare_pdf(act_runs))

    def batch():
        for client_id, _name in billable:
            printing.render_draft(documents.prepare_act(db, client_id, start, end))

    drafts = [documents.prepare_act(db, client_id, start, end) for client_id, _name in billable]

    def batch_render():
        for d in drafts:
            printing.render_draft(d)

    def bare_batch():
        for _ in billable:
            _bare_pdf(act_runs)

    batch_t = median_of(batch, max(1, repeat // 2), warm=0)
    render_t, bare_t = _interleaved(batch_render, bare_batch, max(1, repeat // 2), warm=0)
    rows.append(Row(f"{len(billable)} acts of services in a batch: data + layout", batch_t, "s", "", None,
                    "≤ 10 s", batch_t <= 10))
    rows.append(Row(f"{len(billable)} acts of services in a batch: layout only ({len(act_runs)} p. each)",
                    render_t, "s", f"bare reportlab, same text runs, faces, sizes ({act_bare_pages} p. each)",
                    bare_t, "ratio ≤ 1.5", render_t / bare_t <= 1.5))
    db.dispose()
    return rows


# ------------------------------------------------------------------ export / import


def bench_exchange(db_file: Path, repeat: int) -> list[Row]:
    import sqlite3

    from app.config import sqlite_url
    from app.exchange import bundle
    from app.persistence.db import open_database

    work = Path(tempfile.mkdtemp(prefix="vn-bench-"))
    try:
        db = open_database(sqlite_url(db_file))
        out = work / "all.vnb"

        def export_all():
            if out.exists():
                out.unlink()
            bundle.export_bundle(db, None, out)

        export_t = median_of(export_all, max(1, repeat // 2), warm=0)

        def base_copy():
            target = work / "copy.sqlite3"
            if target.exists():
                target.unlink()
            src = sqlite3.connect(db_file)
            dst = sqlite3.connect(target)
            src.backup(dst)
            dst.close()
            src.close()

        copy_t = median_of(base_copy, max(1, repeat // 2), warm=0)
        rows = [Row("export of all 5 000 clients", export_t, "s", "sqlite3 backup of the file", copy_t, "(information)")]

        def import_all():
            target = work / "import.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            fresh = open_database(sqlite_url(target))
            bundle.import_bundle(fresh, out, backup=False)
            fresh.dispose()

        import_t = median_of(import_all, max(1, repeat // 2), warm=0)
        rows.append(Row("import of all 5 000 clients into an empty database", import_t, "s",
                        "sqlite3 backup of the file", copy_t, "(information)"))
        db.dispose()
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------ report


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def table(rows: list[Row]) -> str:
    head = "| figure | median | baseline | baseline median | ratio | target | met |\n|---|---:|---|---:|---:|---|---|"
    lines = [head]
    for r in rows:
        base = f"{r.baseline:.1f} {r.unit}" if r.baseline is not None else ""
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else ""
        met = "" if r.ok is None else ("yes" if r.ok else "**no**")
        lines.append(f"| {r.name} | {r.median:.1f} {r.unit} | {r.baseline_name} | {base} | {ratio} | {r.target} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "data" / "large.sqlite3")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=["startup", "window", "documents", "exchange"], action="append")
    args = parser.parse_args(argv)
    if not args.db.exists():
        from bench.generate import generate

        args.db.parent.mkdir(parents=True, exist_ok=True)
        print(f"generating {args.db} …", flush=True)
        generate(args.db, 5000, 300_000)
    # the app's own settings and backups go to a scratch folder, not the user's
    os.environ.setdefault("VNEDRENIE_DATA_DIR", tempfile.mkdtemp(prefix="vn-bench-data-"))
    os.environ.setdefault("XDG_CONFIG_HOME", os.environ["VNEDRENIE_DATA_DIR"])
    parts = args.only or ["startup", "window", "documents", "exchange"]
    rows: list[Row] = []
    for part in parts:
        print(f"… {part}", file=sys.stderr, flush=True)
        rows += globals()[f"bench_{part}"](args.db, args.repeat)
    print(f"\n{machine()}, {date.today().isoformat()}, median of {args.repeat}\n")
    print(table(rows), flush=True)
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # skip interpreter teardown of the Qt objects: the figures are printed
