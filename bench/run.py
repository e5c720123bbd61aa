"""Benchmark suite (issue 15): what the user waits for, timed until painted, beside same-run baselines.

    python -m bench.run [--clients 5000,50000] [--only search,kanban,…] [--repeat N] [--json FILE]

Databases come from bench.generate (``bench/data/clients-N.sqlite3``, built when missing; 60 work-log rows a
client). Figures (``--only``): start, create, search, kanban, move, card, slots, exchange, csv, csvwindow, acts.
``create`` runs on a 2 000-client database and ``acts`` once per run (on the 5 000 one if asked for, else the
first size); the rest per size. Each figure: median, slowest 10 % (p90), baseline, ratio, the issue's target,
met yes/no. The SQL statement counts of ``slots`` are compared across the sizes of the run. Exit status 1 when
a target is missed (or a database is not the size asked for), 2 for refused arguments (checked before
anything is measured). The hooks into the product are listed at the top of each module."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import Figure, dump_json, machine, note_interrupt, stop_if_interrupted, table

WINDOW_PARTS = ("search", "kanban", "move", "card", "slots")
PARTS = ("start", "create", *WINDOW_PARTS, "exchange", "csv", "csvwindow", "acts")


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("--clients takes numbers such as 5000,50000") from None
    if not sizes or min(sizes) < 100:
        raise argparse.ArgumentTypeError("--clients: at least 100 clients")
    return sizes


def _parts(text: str) -> list[str]:
    parts = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))  # card,card: once
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {unknown}; choose from {', '.join(PARTS)}")
    if not parts:  # '--only ,' built the 5 000-client database to measure nothing
        raise argparse.ArgumentTypeError(f"name at least one of {', '.join(PARTS)}")
    return parts


def _repeat(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"at least 1, not {value}")
    return value


def _writable_folder(folder: Path) -> str | None:
    """Why files cannot be made in ``folder`` (None when they can): a probe file is made and removed."""
    if not folder.is_dir():
        return f"{folder} is not a folder"
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".vn-bench-probe-"):
            pass
    except OSError as exc:
        return f"cannot write in {folder}: {exc.strerror or exc}"
    return None


def check_paths(args: argparse.Namespace) -> str | None:
    """Before anything is measured: why ``--data`` or ``--json`` cannot be used (None when they can). A bad
    --data was a traceback, a bad --json failed only after the whole run, its figures lost."""
    from bench.databases import DATA

    data = args.data or DATA
    if data.exists() and not data.is_dir():
        return f"--data: {data} is not a folder"
    sizes = set(args.clients) | ({2000} if "create" in args.only else set())
    if any(not (data / f"clients-{n}.sqlite3").exists() for n in sizes):  # some are to be generated there
        try:
            data.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"--data: cannot make {data}: {exc.strerror or exc}"
        why = _writable_folder(data)
        if why:
            return f"--data: {why}"
    if args.json is not None:
        if args.json.is_dir():
            return f"--json: {args.json} is a folder, not a file"
        why = _writable_folder(args.json.parent)
        if why:
            return f"--json: {why}"
    return None


def statement_guard(figures: list[Figure]) -> list[Figure]:
    """One row per interaction: the SQL statement counts at every size of the run must be equal."""
    by_label: dict[str, dict[int, float]] = {}
    for f in figures:
        if f.name.startswith("SQL statements: "):
            by_label.setdefault(f.name.removeprefix("SQL statements: "), {})[f.clients] = f.values[0]
    rows = []
    for label, counts in by_label.items():
        if len(counts) > 1:
            seen = ", ".join(f"{n}: {c:.0f}" for n, c in sorted(counts.items()))
            rows.append(Figure(f"SQL statements constant across sizes: {label}", max(counts), [max(counts.values())],
                               "count", "", [], "equal at every size", len(set(counts.values())) == 1, seen))
    return rows


def run_window(db_file: Path, clients: int, parts: list[str], repeat: int) -> list[Figure]:
    """The window parts in one window on a scratch copy of ``db_file``; the copy is removed however it ends."""
    from bench.databases import remove, scratch_copy
    from bench.window import WindowBench

    copy = scratch_copy(db_file)  # the bench changes stages behind the window
    bench = None
    figures: list[Figure] = []
    try:
        bench = WindowBench(copy, clients)  # inside: a database the window refuses left the copy in /tmp
        for part in parts:
            started = time.perf_counter()
            if part == "search":
                figures += bench.bench_search(max(1, repeat // 3))
            elif part == "slots":
                figures += bench.bench_slots()
            else:
                figures += getattr(bench, f"bench_{part}")(repeat)
            print(f"  {part}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    finally:
        if bench is not None:
            bench.close()
        remove(copy)
    return figures


def _part(part: str, db_file: Path, clients: int, args, data: Path, window_parts: list[str], once_on: int
          ) -> list[Figure]:
    """The figures of one ``--only`` part at one size (empty when the part runs elsewhere)."""
    from bench.databases import database

    if part == "start":
        from bench.start import bench_start

        return bench_start(db_file, clients, args.repeat)
    if part == "create" and clients == once_on:
        from bench.start import bench_create

        return bench_create(database(2000, data), 2000, args.repeat)
    if part in WINDOW_PARTS and part == window_parts[0]:
        return run_window(db_file, clients, window_parts, args.repeat)
    if part == "exchange":
        from bench.exchange import bench_exchange

        return bench_exchange(db_file, clients, max(1, args.repeat // 3))
    if part == "csv":
        from bench.csvimport import bench_csv_service

        return bench_csv_service(db_file, clients)
    if part == "csvwindow":
        from bench.csvimport import bench_csv_window

        return bench_csv_window(db_file, clients)
    if part == "acts" and clients == once_on:
        from bench.acts import bench_acts

        return bench_acts(db_file, clients)
    return []


@contextmanager
def scratch_data_dir() -> Iterator[Path]:
    """The app's settings and backups go to a scratch folder, not the user's: ``VNEDRENIE_DATA_DIR`` (and
    ``XDG_CONFIG_HOME``) when not set already. A folder made here is removed when the block ends — the
    window's daily backup left a copy of the benchmark database in /tmp per run (2.2 GB at 50 000 clients).
    Not by ``atexit``: the suite ends with ``os._exit``. Ctrl+C waits while the folder is removed (a late one
    left it behind half-removed); a file a worker thread of the closing window writes meanwhile is removed by a
    second pass. Yields the folder."""
    made = None
    if "VNEDRENIE_DATA_DIR" not in os.environ:
        made = tempfile.mkdtemp(prefix="vn-bench-data-")
        os.environ["VNEDRENIE_DATA_DIR"] = made
    os.environ.setdefault("XDG_CONFIG_HOME", os.environ["VNEDRENIE_DATA_DIR"])
    try:
        yield Path(os.environ["VNEDRENIE_DATA_DIR"])
    finally:
        if made is not None:
            _remove_uninterrupted(Path(made))


def _remove_uninterrupted(folder: Path) -> None:
    """Remove ``folder`` with SIGINT held back meanwhile; a Ctrl+C pressed then is delivered afterwards."""
    blocked = hasattr(signal, "pthread_sigmask")
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        for _ in range(3):
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                break
            time.sleep(0.2)
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def main(argv: list[str] | None = None) -> int:
    """The command line: 0 when every target is met, 1 when one is missed, 2 for refused arguments."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=_sizes, default=[5000], help="sizes, e.g. 5000,50000 (default 5000)")
    parser.add_argument("--only", type=_parts, default=list(PARTS), help="figures, comma-separated")
    parser.add_argument("--repeat", type=_repeat, default=5, help="samples per figure (search: rounds = repeat // 3)")
    parser.add_argument("--data", type=Path, default=None, help="folder of the generated databases")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    refused = check_paths(args)
    if refused:
        print(f"{parser.prog}: error: {refused}", file=sys.stderr)
        return 2
    with scratch_data_dir(), _interruptible():
        return _run(args)


@contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl+C stops the suite. Raised inside a Qt callback (an event filter, a slot) the KeyboardInterrupt is
    printed by PySide and swallowed, and the suite went on to print the interrupted figures as if whole (trial
    16); the handler also notes it (``bench.common.note_interrupt``): the window figures' waits check the note at
    each turn of the event loop (``bench.paint.settle``) and each part's end checks it before its table."""
    def handler(signum, frame):
        note_interrupt()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


_stop_if_interrupted = stop_if_interrupted


def _run(args: argparse.Namespace) -> int:
    from bench.databases import DATA, NotABenchDatabase, database

    data = args.data or DATA
    began = time.perf_counter()
    figures: list[Figure] = []
    once_on = 5000 if 5000 in args.clients else args.clients[0]
    for clients in args.clients:
        try:
            db_file = database(clients, data)
        except NotABenchDatabase as exc:  # never figures of a database that is not the size asked for
            print(f"  {exc}", file=sys.stderr, flush=True)
            figures.append(Figure("database: FAILED", clients, [], "ms", "", [], "runs", False, str(exc)))
            continue
        print(f"… {clients} clients ({db_file})", file=sys.stderr, flush=True)
        window_parts = [p for p in args.only if p in WINDOW_PARTS]
        for part in args.only:
            started = time.perf_counter()
            try:
                got = _part(part, db_file, clients, args, data, window_parts, once_on)
                _stop_if_interrupted()  # a part that ran on after a swallowed Ctrl+C: its figures are not whole
                if got:  # as soon as known: a long run that is stopped still leaves its figures
                    print(table(got), file=sys.stderr, flush=True)
                figures += got
            except Exception as exc:  # one broken figure must not hide the others
                import traceback

                traceback.print_exc()
                figures.append(Figure(f"{part}: FAILED", clients, [], "ms", "", [], "runs", False,
                                      f"{type(exc).__name__}: {str(exc)[:300]}"))
            _stop_if_interrupted()
            print(f"  {part} done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    figures += statement_guard(figures)
    print(f"\n{machine()}, {date.today().isoformat()}; suite took {time.perf_counter() - began:.0f} s\n")
    print(table(figures), flush=True)
    if args.json:
        dump_json(figures, args.json)
    return 0 if all(f.ok is not False for f in figures) else 1


if __name__ == "__main__":
    try:
        code = main()
    except KeyboardInterrupt:
        print("interrupted: no figures", file=sys.stderr)
        code = 130
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # skip interpreter teardown of the Qt objects: the figures are printed
