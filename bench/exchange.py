"""Export / import of all clients against a bare dump / load of the same tables, with peak memory.

Every operation runs in a child process (bench.exchange_child) so its RSS high-water mark is its own (os.wait4).
The bare dump writes ``SELECT *`` of each table the bundle holds as JSON into a deflated zip (the bundle is a
deflated zip of JSON too); the bare load creates the same schema untimed and ``executemany``s the rows back in
one transaction with synchronous=FULL. Hooks into the product: those of bench.exchange_child."""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
from pathlib import Path

from bench.common import Figure, run_child


def _run(op: str, *args: str) -> tuple[float | None, float, str]:
    result = run_child("bench.exchange_child", [op, *args], timeout=3600)
    if "refused" in result.text:
        return None, result.maxrss_mb, result.text["refused"]
    return result.values["seconds"], result.maxrss_mb, result.text.get("tables", "")


def bench_exchange(db_file: Path, clients: int, repeat: int) -> list[Figure]:
    work = Path(tempfile.mkdtemp(prefix="vn-bench-exchange-"))
    try:
        bundle = work / "all.zip"
        exports, imports, dumps, loads = [], [], [], []
        export_peak = import_peak = dump_peak = load_peak = 0.0
        refused = ""
        tables: list[str] = []
        for i in range(repeat):
            bundle.unlink(missing_ok=True)
            seconds, peak, extra = _run("export", str(db_file), str(bundle))
            export_peak = max(export_peak, peak)
            if seconds is None:
                refused = extra
                break
            exports.append(seconds)
            tables = json.loads(extra)
            dump = work / "bare.zip"
            dump.unlink(missing_ok=True)
            seconds, peak, _ = _run("dump", str(db_file), str(dump), *tables)
            dumps.append(seconds or 0.0)
            dump_peak = max(dump_peak, peak)
            target = work / f"imported-{i}.sqlite3"
            seconds, peak, extra = _run("import", str(bundle), str(target))
            import_peak = max(import_peak, peak)
            if seconds is None:
                refused = extra
                break
            imports.append(seconds)
            loaded = work / f"loaded-{i}.sqlite3"
            seconds, peak, _ = _run("load", str(dump), str(loaded), str(db_file))
            loads.append(seconds or 0.0)
            load_peak = max(load_peak, peak)
            for path in work.glob(f"*-{i}.sqlite3*"):
                path.unlink()
        figures: list[Figure] = []
        big = clients > 5000
        if exports:
            ratio = statistics.median(exports) / statistics.median(dumps)
            figures.append(Figure("export of all clients (bundle)", clients, exports, "s",
                                  "bare SELECT * → JSON zip, same tables", dumps,
                                  "(information)" if big else "≤ 2× bare", None if big else ratio <= 2,
                                  f"{len(tables)} tables"))
        else:
            figures.append(Figure("export of all clients (bundle)", clients, [], "s", "", [], "≤ 2× bare", False,
                                  f"refused: {refused}"))
        if imports:
            ratio = statistics.median(imports) / statistics.median(loads)
            figures.append(Figure("import of all clients into an empty database", clients, imports, "s",
                                  "bare executemany of the same rows", loads,
                                  "(information)" if big else "≤ 2× bare", None if big else ratio <= 2))
        elif exports:
            figures.append(Figure("import of all clients into an empty database", clients, [], "s", "", [],
                                  "≤ 2× bare", False, f"refused: {refused}"))
        for name, peak, base in (("export", export_peak, dump_peak), ("import", import_peak, load_peak)):
            if big:
                target, ok = "≤ 300 MB", peak <= 300
            else:
                target, ok = "≤ 2× bare", bool(base) and peak <= 2 * base
            figures.append(Figure(f"{name} of all: peak RSS of the process", clients, [peak], "MB",
                                  f"bare {'dump' if name == 'export' else 'load'}", [base] if base else [], target, ok))
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)
