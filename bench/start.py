"""Start-up figures: time to the first frame and to the clients on screen, RSS, against a bare QMainWindow.

Each figure is a child process (bench.startup) started the same way as its baseline and measured from just before
the process is spawned; app and bare runs alternate so a busy machine slows both alike. Bytecode is compiled
first, as an installed program has it. Hooks into the product: those of bench.startup."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import ROOT, Figure, run_child


def _start(mode: str, db_file: Path | None, stay: bool = False) -> tuple[float, float, float, float, float]:
    """Seconds from spawn to first frame and to clients painted; resident MB (--stay); peak RSS MB; seconds to
    the window ready (the database open, every tab built: app mode; else the clients painted)."""
    args = [mode, *([str(db_file)] if db_file is not None else []), *(["--stay"] if stay else [])]
    spawned = time.time()
    result = run_child("bench.startup", args, timeout=900)
    if "clients" not in result.values:
        raise RuntimeError(f"bench.startup {args}: no clients painted: {result.stderr[-2000:]}")
    clients = result.values["clients"] - spawned
    return (result.values["frame"] - spawned, clients, result.values.get("rss_mb", 0.0), result.maxrss_mb,
            result.values["ready"] - spawned if "ready" in result.values else clients)


def compile_bytecode() -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", "app", "ui", "i18n", "bench", "main.py"], cwd=ROOT,
                   capture_output=True, timeout=600, check=False)


def bench_start(db_file: Path, clients: int, repeat: int) -> list[Figure]:
    """``python main.py``'s way (frame first, rows after) vs bare, on the N-client database; RSS with it open."""
    compile_bytecode()
    _start("app", db_file)  # warm the file cache and the translation cache, as for every figure
    _start("bare", None)
    app_runs, bare_runs = [], []
    for _ in range(repeat):
        app_runs.append(_start("app", db_file))
        bare_runs.append(_start("bare", None))
    frames = [r[0] for r in app_runs]
    shown = [r[1] for r in app_runs]
    ready = [r[4] for r in app_runs]
    bare = [r[1] for r in bare_runs]
    ratio = statistics.median(shown) / statistics.median(bare)
    if clients <= 5000:
        target, ok = "≤ 3× bare", ratio <= 3
    else:
        target, ok = "≤ 2 s", statistics.median(shown) <= 2
    _f, _c, resident, peak, _r = _start("app", db_file, stay=True)
    _bf, _bc, bare_resident, bare_peak, _br = _start("bare", None, stay=True)
    rss_target = 200 if clients <= 5000 else 250
    return [
        Figure("start → first frame (python main.py's way)", clients, frames, "ms", "bare QMainWindow", bare,
               "(information)", None),
        Figure("start → clients painted (list + board columns)", clients, shown, "ms", "bare QMainWindow first frame",
               bare, target, ok, "the rows read with sqlite3 before SQLAlchemy loads (app.persistence.first_rows)"),
        Figure("start → window ready (database open, every tab built; actions enabled)", clients, ready, "ms",
               "bare QMainWindow first frame", bare, "(information)", None),
        Figure("RSS with the window open, peak (high-water)", clients, [peak], "MB", "bare QMainWindow", [bare_peak],
               f"≤ {rss_target} MB", peak <= rss_target,
               f"resident after the background work: {resident:.0f} MB (bare {bare_resident:.0f} MB)"),
    ]


def bench_create(db_file: Path, clients: int, repeat: int) -> list[Figure]:
    """``ui.create_main_window(url)`` + show on a 2 000-client database vs a bare window, both as child processes."""
    compile_bytecode()
    _start("create", db_file)
    _start("bare", None)
    runs, bare_runs = [], []
    for _ in range(repeat):
        runs.append(_start("create", db_file)[1])
        bare_runs.append(_start("bare", None)[1])
    ratio = statistics.median(runs) / statistics.median(bare_runs)
    return [Figure("create_main_window(url) + show → clients painted", clients, runs, "ms",
                   "bare QMainWindow first frame", bare_runs, "≤ 2× bare", ratio <= 2)]


if __name__ == "__main__":  # a quick look: python -m bench.start DB CLIENTS
    from bench.common import table

    os.environ.setdefault("VNEDRENIE_DATA_DIR", "/tmp/vn-bench-start")
    print(table(bench_start(Path(sys.argv[1]), int(sys.argv[2]), 3)))
