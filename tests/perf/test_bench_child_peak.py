"""The benchmark's children report their own peak memory, not their parent's (issue 15: every export/import
figure of a run read 295.6 MB, the RSS of the suite's process when it spawned them)."""

from __future__ import annotations

import sqlite3
import sys

import pytest

from bench.common import own_peak_mb, run_child


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="VmHWM is Linux's /proc")
def test_a_small_child_of_a_large_parent_reports_its_own_peak(tmp_path):
    ballast = bytearray(160 * 2**20)  # the parent holds 160 MB, touched
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    assert (own_peak_mb() or 0) >= 160
    db = tmp_path / "tiny.sqlite3"
    sqlite3.connect(db).close()
    result = run_child("bench.exchange_child", ["dump", str(db), str(tmp_path / "out.zip")], timeout=120)
    assert "seconds" in result.values
    assert 5 < result.maxrss_mb < 100, result.maxrss_mb  # a bare Python with sqlite3 and zipfile: ~20 MB
    del ballast


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="VmHWM is Linux's /proc")
def test_the_start_child_reports_its_own_peak_though_it_leaves_by_os_exit():
    """bench.startup leaves by os._exit (no atexit): a bare window's peak, not the suite's 419 MB at 50 000
    clients after the window figures had run in the parent."""
    import os

    ballast = bytearray(160 * 2**20)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = run_child("bench.startup", ["bare"], timeout=120, env=env)
    assert "frame" in result.values and "hwm_mb" in result.values
    assert 20 < result.maxrss_mb < 150, result.maxrss_mb  # a bare QMainWindow: ~50 MB
    del ballast
