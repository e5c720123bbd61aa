"""The generated databases the suite runs on: one per size, built once, and scratch copies to change.

Hooks into the product: ``bench.generate.generate`` only (which uses app.persistence)."""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT

DATA = ROOT / "bench" / "data"


def database(clients: int, folder: Path = DATA) -> Path:
    """``clients-N.sqlite3`` under ``folder``, generated (seed 1, 60 work-log rows a client) when missing."""
    from bench.generate import LOG_ROWS_PER_CLIENT, generate_file

    path = folder / f"clients-{clients}.sqlite3"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        print(f"generating {path} …", file=sys.stderr, flush=True)  # progress: stdout holds the results
        counts = generate_file(path, clients, clients * LOG_ROWS_PER_CLIENT)
        print(f"  {counts} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    check_clients(path, clients)
    return path


class NotABenchDatabase(RuntimeError):
    """A ``clients-N.sqlite3`` that is no complete benchmark database of N clients."""


def check_clients(path: Path, clients: int) -> None:
    """Raise NotABenchDatabase unless ``path`` is an SQLite database with exactly ``clients`` clients: an
    interrupted generation (0 clients) or a damaged file gave figures «into this database» of an empty one."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = con.execute("SELECT count(*) FROM client").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise NotABenchDatabase(f"{path} is no benchmark database ({exc}): remove it, bench.run generates it "
                                f"again") from None
    if found != clients:
        raise NotABenchDatabase(f"{path} holds {found} clients, not {clients}: remove it, bench.run generates "
                                f"it again")


def scratch_copy(source: Path, folder: Path | None = None, name: str = "copy.sqlite3") -> Path:
    """A consistent copy through SQLite's backup API (never a file copy beside a stale -wal file). A temporary
    folder made here is removed again when the copy fails (a source that is no database left it in /tmp)."""
    made = folder is None
    folder = folder or Path(tempfile.mkdtemp(prefix="vn-bench-"))
    target = folder / name
    try:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except BaseException:
        if made:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return target


def remove(path: Path) -> None:
    """A scratch copy and its folder."""
    shutil.rmtree(path.parent, ignore_errors=True)
