"""The generated databases the suite runs on: one per size, built once, and scratch copies to change.

Hooks into the product: ``bench.generate.generate`` only (which uses app.persistence)."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.common import ROOT

DATA = ROOT / "bench" / "data"


def database(clients: int, folder: Path = DATA) -> Path:
    """``clients-N.sqlite3`` under ``folder``, generated (seed 1, 60 work-log rows a client) when missing."""
    from bench.generate import LOG_ROWS_PER_CLIENT, generate

    path = folder / f"clients-{clients}.sqlite3"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        for stale in folder.glob(partial.name + "*"):
            stale.unlink()
        started = time.perf_counter()
        print(f"generating {path} …", flush=True)
        counts = generate(partial, clients, clients * LOG_ROWS_PER_CLIENT)
        partial.rename(path)
        print(f"  {counts} in {time.perf_counter() - started:.0f} s", flush=True)
    return path


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
