"""Issue 15 §5: the suite's longest-event watch and statement counts measure the interaction, not the bench's own
sleep or the window's clock-driven polls (bench.window.WindowBench.bench_slots)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from shiboken6 import isValid

from bench.generate import main as generate


def test_slots_count_the_same_statements_twice_and_never_time_the_debounce_sleep(qtbot, tmp_path, monkeypatch):
    from bench import window as bench_window

    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "bench.sqlite3"
    generate(["--clients", "120", "--log-rows", "2400", "--db", str(path)])
    monkeypatch.setattr(bench_window, "QUERIES", ["завод"])
    slept: list[float] = []
    real_sleep = bench_window.time.sleep

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        real_sleep(max(seconds, 0.15))  # a debounce sleep far longer than any event of 120 clients

    monkeypatch.setattr(bench_window.time, "sleep", sleep)
    real_lookup = bench_window._debounce_timers

    def lookup(window):  # wrapping a QTimer for Python sends it an event, as PySide did in fresh windows
        timers = real_lookup(window)
        for timer in timers:
            timer.setProperty("benchLookedUp", True)  # a DynamicPropertyChange the app's event filter sees
        return timers

    monkeypatch.setattr(bench_window, "_debounce_timers", lookup)
    runs = []
    for attempt in range(2):  # a fresh window each time, as each size of a run gets
        copy = tmp_path / f"copy{attempt}.sqlite3"
        copy.write_bytes(path.read_bytes())
        bench = bench_window.WindowBench(copy, 120)
        try:
            periodic = [t for t in bench.window.findChildren(QTimer) if t.isActive() and not t.isSingleShot()]
            assert periodic, "the window polls on the clock (watcher, sync status, team)"
            if attempt == 0:  # every poll fires all the time: its statements must not be counted
                for timer in periodic:
                    timer.setInterval(1)
            runs.append({f.name: f.values[0] for f in bench.bench_slots()})
            assert all(t.isActive() for t in periodic if isValid(t))  # the polls run again afterwards
        finally:
            bench.close()
    assert slept, "the search's debounce was slept out"
    search = next(v for n, v in runs[0].items() if n.startswith("longest UI-thread event: search"))
    assert search < 0.15  # the sleep is not one of the window's events
    counts = [{n: v for n, v in run.items() if n.startswith("SQL statements")} for run in runs]
    assert counts[0] and counts[0] == counts[1]
