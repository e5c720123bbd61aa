"""Start-up figures: time to the first frame and to the clients on screen, RSS, against a bare QMainWindow.

Each figure is a child process (bench.startup) started the same way as its baseline and measured from just before
the process is spawned; app and bare runs alternate so a busy machine slows both alike. Bytecode is compiled
first, as an installed program has it. Hooks into the product: those of bench.startup, and
``app.persistence.first_screen_cache.cache_file`` (the file removed for the figure without the kept rows)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from app.persistence.first_screen_cache import cache_file
from bench.common import ROOT, Figure, run_child


def _start(mode: str, db_file: Path | None, stay: bool = False,
           data_dir: Path | None = None) -> tuple[float, float, float, float, float]:
    """Seconds from spawn to first frame and to clients painted; resident MB (--stay); peak RSS MB; seconds to
    the window ready (the database open, every tab built: app mode; else the clients painted). ``data_dir``: the
    child's own settings folder (``saved_sort_folder``), else the run's."""
    args = [mode, *([str(db_file)] if db_file is not None else []), *(["--stay"] if stay else [])]
    env = None
    if data_dir is not None:
        env = dict(os.environ, VNEDRENIE_DATA_DIR=str(data_dir), XDG_CONFIG_HOME=str(data_dir))
    spawned = time.time()
    result = run_child("bench.startup", args, timeout=900, env=env)
    if "clients" not in result.values:
        raise RuntimeError(f"bench.startup {args}: no clients painted: {result.stderr[-2000:]}")
    clients = result.values["clients"] - spawned
    if mode == "app":
        _KEPT.append(int(result.values.get("kept", -1)))
    return (result.values["frame"] - spawned, clients, result.values.get("rss_mb", 0.0), result.maxrss_mb,
            result.values["ready"] - spawned if "ready" in result.values else clients)


_KEPT: list[int] = []  # per app start, in order: 1 its first rows were those the last window left, 2 all but the
# changed ones, 0 read (bench.startup's «kept»)


def restamp_tenth(db_file: Path, round_: int) -> None:
    """Draw new stamps for 1 client in 10 (another tenth each round) without changing what they hold: an update
    of a column to itself fires the stamp triggers (migration 0017), as a sync's changes to those clients would."""
    import sqlite3

    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE client SET manager = manager WHERE id % 10 = ?", (round_ % 10,))
    conn.close()


def compile_bytecode() -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", "app", "ui", "i18n", "bench", "main.py"], cwd=ROOT,
                   capture_output=True, timeout=600, check=False)


def saved_sort_folder(parent: Path) -> Path:
    """A settings folder whose list header was saved sorted by days in stage, longest first — a user's who sorted
    the list so (the start then shows the rows in that order: issue 15 §3). Made by ``bench.startup sort-days``
    (Qt writes its own header state)."""
    folder = parent / "sorted-by-days"
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, VNEDRENIE_DATA_DIR=str(folder), XDG_CONFIG_HOME=str(folder))
    run_child("bench.startup", ["sort-days"], timeout=120, env=env)
    return folder


def bench_start(db_file: Path, clients: int, repeat: int) -> list[Figure]:
    """``python main.py``'s way (frame first, rows after) vs bare, on the N-client database; RSS with it open;
    the same with the list saved sorted by days (``saved_sort_folder``)."""
    import shutil
    import tempfile

    compile_bytecode()
    scratch = Path(tempfile.mkdtemp(prefix="vn-bench-sorted-"))  # its backups and caches go with it
    try:
        sorted_folder = saved_sort_folder(scratch)
        kept = cache_file(db_file)  # the rows a closing window leaves (every start here closes its window)
        _start("app", db_file)  # warm the file cache and the translation cache, as for every figure
        _start("app", db_file, data_dir=sorted_folder)  # and this folder's name order (ui.models.name_order)
        _start("bare", None)
        app_runs, bare_runs, sorted_runs, partly_runs, unkept_runs = [], [], [], [], []
        del _KEPT[:]
        for round_ in range(repeat):
            app_runs.append(_start("app", db_file))
            bare_runs.append(_start("bare", None))
            sorted_runs.append(_start("app", db_file, data_dir=sorted_folder)[1])
            restamp_tenth(db_file, round_)  # as after a sync that brought changes to 1 client in 10
            partly_runs.append(_start("app", db_file)[1])
            _start("app", db_file, data_dir=sorted_folder)  # untimed: that folder's file made exact again
            kept.unlink(missing_ok=True)  # a first start, a crash, new checklist items: the start reads every row
            unkept_runs.append(_start("app", db_file)[1])  # its close keeps them again for the next round
        took = list(_KEPT)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if took != [1, 1, 2, 2, 0] * repeat:  # the figures would not be what their names say
        raise RuntimeError(f"bench.start: the first rows kept/read not as planned: {took}")
    frames = [r[0] for r in app_runs]
    shown = [r[1] for r in app_runs]
    ready = [r[4] for r in app_runs]
    bare = [r[1] for r in bare_runs]
    ratio = statistics.median(shown) / statistics.median(bare)
    sorted_ratio = statistics.median(sorted_runs) / statistics.median(bare)
    unkept_ratio = statistics.median(unkept_runs) / statistics.median(bare)
    partly_ratio = statistics.median(partly_runs) / statistics.median(bare)
    if clients <= 5000:
        target, ok, sorted_ok, unkept_ok = "≤ 3× bare", ratio <= 3, sorted_ratio <= 3, unkept_ratio <= 3
        partly_ok = partly_ratio <= 3
    else:
        target = "≤ 2 s"
        ok, sorted_ok, partly_ok, unkept_ok = (statistics.median(runs) <= 2
                                               for runs in (shown, sorted_runs, partly_runs, unkept_runs))
    del _KEPT[:]
    _f, _c, resident, peak, _r = _start("app", db_file, stay=True)
    cache_file(db_file).unlink(missing_ok=True)
    _f, _c, unkept_resident, unkept_peak, _r = _start("app", db_file, stay=True)
    if _KEPT != [1, 0]:
        raise RuntimeError(f"bench.start: the first rows kept/read not as planned (RSS): {_KEPT}")
    _bf, _bc, bare_resident, bare_peak, _br = _start("bare", None, stay=True)
    rss_target = 200 if clients <= 5000 else 250
    return [
        Figure("start → first frame (python main.py's way)", clients, frames, "ms", "bare QMainWindow", bare,
               "(information)", None),
        Figure("start → clients painted (list + board columns)", clients, shown, "ms", "bare QMainWindow first frame",
               bare, target, ok, "the rows the last window left, checked by their stamps "
               "(app.persistence.first_screen_cache), before SQLAlchemy loads"),
        Figure("start → clients painted, 1 client in 10 changed since the last window closed", clients, partly_runs,
               "ms", "bare QMainWindow first frame", bare, target, partly_ok,
               "the kept rows but for the changed ones, read by id (app.persistence.first_rows._updated)"),
        Figure("start → clients painted, no rows left by the last window (every row read)", clients, unkept_runs,
               "ms", "bare QMainWindow first frame", bare, target, unkept_ok,
               "every row read with sqlite3 before SQLAlchemy loads (app.persistence.first_rows)"),
        Figure("start → clients painted, the list saved sorted by days (longest first)", clients, sorted_runs, "ms",
               "bare QMainWindow first frame", bare, target, sorted_ok,
               "the header's saved sort read before the rows; the rows arranged in it in the worker"),
        Figure("start → window ready (database open, every tab built; actions enabled)", clients, ready, "ms",
               "bare QMainWindow first frame", bare, "(information)", None),
        Figure("RSS with the window open, peak (high-water)", clients, [peak], "MB", "bare QMainWindow", [bare_peak],
               f"≤ {rss_target} MB", peak <= rss_target,
               f"resident after the background work: {resident:.0f} MB (bare {bare_resident:.0f} MB)"),
        Figure("RSS with the window open, peak, no rows left by the last window", clients, [unkept_peak], "MB",
               "bare QMainWindow", [bare_peak], f"≤ {rss_target} MB", unkept_peak <= rss_target,
               f"resident after the background work: {unkept_resident:.0f} MB"),
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
