"""Shared pieces of the benchmark suite: a figure row, medians and p90, child processes with their peak RSS.

Hooks into the product: none (standard library only)."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Ctrl+C noted by bench.run's handler. A KeyboardInterrupt raised inside a Qt callback is printed and swallowed by
# PySide, so the waits of the window figures (bench.paint.settle) look at this note too and stop at the next turn.
INTERRUPTED: list[bool] = []


def note_interrupt() -> None:
    """Remember a Ctrl+C for ``stop_if_interrupted`` (a KeyboardInterrupt may be swallowed on its way)."""
    INTERRUPTED.append(True)


def interrupted() -> bool:
    """Whether a Ctrl+C was noted."""
    return bool(INTERRUPTED)


def stop_if_interrupted() -> None:
    """Raise KeyboardInterrupt when a Ctrl+C was noted: the suite stops at the next check, whatever swallowed it."""
    if INTERRUPTED:
        raise KeyboardInterrupt


@dataclass
class Figure:
    """One line of the results table. ``values`` are the timed samples (seconds, or MB for memory);
    ``ok`` None means information only (no target). ``note`` says what the figure saw (matches, rows…)."""

    name: str
    clients: int
    values: list[float]
    unit: str = "ms"
    baseline_name: str = ""
    baseline: list[float] = field(default_factory=list)
    target: str = ""
    ok: bool | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else math.nan

    @property
    def p90(self) -> float:
        return p90(self.values)

    @property
    def baseline_median(self) -> float | None:
        return statistics.median(self.baseline) if self.baseline else None

    @property
    def ratio(self) -> float | None:
        base = self.baseline_median
        return self.median / base if base else None

    def as_json(self) -> dict:
        return {"name": self.name, "clients": self.clients, "unit": self.unit, "median": _shown(self.median, self.unit),
                "p90": _shown(self.p90, self.unit), "n": len(self.values), "baseline_name": self.baseline_name,
                "baseline": None if self.baseline_median is None else _shown(self.baseline_median, self.unit),
                "ratio": self.ratio, "target": self.target, "ok": self.ok, "note": self.note}


def p90(values: list[float]) -> float:
    """The slowest 10 %: the value 90 % of the samples do not exceed (nearest rank)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def _shown(value: float, unit: str) -> float:
    return value * 1000 if unit == "ms" else value


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def interleaved(fn: Callable[[], object], base: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Samples of a figure and its baseline taken in alternation, so a busy machine slows both alike."""
    times, base_times = [], []
    for _ in range(repeat):
        times.append(timed(fn))
        base_times.append(timed(base))
    return times, base_times


def own_peak_mb() -> float | None:
    """This process's RSS high-water mark in MB (``VmHWM`` of /proc/self/status), None where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def print_own_peak() -> None:
    """Print ``hwm_mb N``, the child's own peak, which ``run_child`` prefers: a child's last line."""
    peak = own_peak_mb()
    if peak is not None:
        print(f"hwm_mb {peak:.1f}", flush=True)


@dataclass
class ChildResult:
    values: dict[str, float]
    # the child's own RSS high-water mark, MB: its ``hwm_mb`` (VmHWM) when it printed one. ``os.wait4``'s
    # ru_maxrss is not the child's own on Linux: exec keeps the high-water mark of the memory it replaced, so
    # a child spawned by a parent of 300 MB reported ≥ 300 MB (every export/import figure read 295.6 MB)
    maxrss_mb: float
    stderr: str
    text: dict[str, str] = field(default_factory=dict)  # every ``key rest-of-line`` as printed


def run_child(module: str, args: list[str], timeout: float = 1800, env: dict | None = None) -> ChildResult:
    """Run ``python -m module args`` from the project root; parse ``key value`` lines of its stdout.

    The peak RSS is the child's own ``hwm_mb`` line (``print_own_peak``), else ``ru_maxrss`` from ``os.wait4``."""
    proc = subprocess.Popen([sys.executable, "-m", module, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env or dict(os.environ))
    deadline = time.monotonic() + timeout
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    import selectors

    sel = selectors.DefaultSelector()
    assert proc.stdout is not None and proc.stderr is not None
    sel.register(proc.stdout, selectors.EVENT_READ, out_chunks)
    sel.register(proc.stderr, selectors.EVENT_READ, err_chunks)
    open_streams = 2
    try:
        while open_streams:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"{module} {args}: no answer in {timeout} s")
            for key, _mask in sel.select(timeout=min(left, 5)):
                data = key.fileobj.readline()  # type: ignore[union-attr]
                if not data:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                else:
                    key.data.append(data)
    except BaseException:  # Ctrl+C or the timeout: the child ends with us, it is never left running
        proc.kill()
        proc.wait()
        raise
    finally:
        sel.close()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = "".join(err_chunks)
    values: dict[str, float] = {}
    text: dict[str, str] = {}
    for line in "".join(out_chunks).splitlines():
        key, _, value = line.partition(" ")
        text[key] = value
        try:
            values[key] = float(value)
        except ValueError:
            continue
    if proc.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} exited with {proc.returncode}: {stderr[-3000:]}")
    return ChildResult(values, values.get("hwm_mb", usage.ru_maxrss / 1024), stderr, text)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    try:
        load = ", load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores{load}, Python {platform.python_version()}, {platform.system()}"


def _cell(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    shown = _shown(value, unit)
    if unit in ("ms", "s"):
        return f"{shown:.1f} {unit}" if unit == "ms" else f"{shown:.2f} s"
    if unit == "count":
        return f"{shown:.0f}"
    return f"{shown:.1f} {unit}"


def table(figures: list[Figure]) -> str:
    """The results as a Markdown table: median, p90, baseline, ratio, target, met."""
    lines = ["| clients | figure | median | p90 | n | baseline | baseline median | ratio | target | met | seen |",
             "|---:|---|---:|---:|---:|---|---:|---:|---|---|---|"]
    for f in figures:
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else ""
        met = "" if f.ok is None else ("yes" if f.ok else "**no**")
        p = _cell(f.p90, f.unit) if len(f.values) > 1 else ""
        lines.append(f"| {f.clients} | {f.name} | {_cell(f.median, f.unit)} | {p} | {len(f.values)} | "
                     f"{f.baseline_name} | {_cell(f.baseline_median, f.unit)} | {ratio} | {f.target} | {met} | "
                     f"{f.note} |")
    return "\n".join(lines)


def dump_json(figures: list[Figure], path: Path) -> None:
    """Write the figures as JSON to ``path`` through a temporary file beside it: never half a file."""
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_text(json.dumps([f.as_json() for f in figures], ensure_ascii=False, indent=1), encoding="utf-8")
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
