"""The start-up figures' paint watch sees the clients painted without adding work of its own.

An application-wide Python event filter (the watch until 2026-12-05) handed every object of every event to Python;
wrapping a bare ``QObject`` Qt made makes PySide resolve every lazy class it might be — all of QtCore, QtGui and
QtWidgets, ~130 Python enum classes, ~28 ms on the bench host — before the window's first frame when the rows were
kept. ``QProcess.ProcessError`` is one of them, made by nothing else in a start: its creation marks that
resolution. The watch must still see every first paint (a missed one leaves the child waiting: no ``clients``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# runs bench.startup in this process, noting which Python enum classes PySide made before it left
_WRAPPER = """
import enum, os, runpy, sys
made = []
original = enum.EnumType.__new__
def noting(metacls, cls, bases, classdict, **kwargs):
    made.append(cls)
    return original(metacls, cls, bases, classdict, **kwargs)
enum.EnumType.__new__ = noting
leave = os._exit
def reporting(code):
    print("process_error_enum", int("ProcessError" in made), flush=True)
    leave(code)
os._exit = reporting
sys.argv = ["bench.startup", *sys.argv[1:]]
runpy.run_module("bench.startup", run_name="__main__")
"""


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("watch") / "clients-40.sqlite3"
    subprocess.run([sys.executable, "-m", "bench.generate", "--clients", "40", "--db", str(path)], cwd=ROOT,
                   check=True, capture_output=True, timeout=300)
    return path


def _start(mode: str, db: Path, data_dir: Path) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", VNEDRENIE_DATA_DIR=str(data_dir),
               XDG_CONFIG_HOME=str(data_dir))
    done = subprocess.run([sys.executable, "-c", _WRAPPER, mode, str(db), "--stay"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    values = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        values[name] = float(value)
    return values


@pytest.mark.parametrize("mode", ["create", "app"])
def test_the_watch_sees_the_clients_and_resolves_no_class_of_its_own(small_db, tmp_path, mode):
    first = _start(mode, small_db, tmp_path)  # no rows kept yet: read from the file
    again = _start(mode, small_db, tmp_path)  # app: the rows the first window left
    for values in (first, again):
        assert values["frame"] <= values["clients"]
        assert values["process_error_enum"] == 0, "PySide resolved every QObject subclass during the start"
    if mode == "app":
        assert again["kept"] == 1
