"""The benchmark's child processes end with the suite: Ctrl+C during the start figures left a ``bench.startup``
window running under PID 1, past its own safety timer, and a ``/tmp/vn-bench-data-*`` folder it kept writing to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.common import run_child

ROOT = Path(__file__).resolve().parents[2]


class _Stop(BaseException):
    """Stands for the KeyboardInterrupt of a Ctrl+C (not one itself: pytest would stop)."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is not running any more either
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _wait_for(path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not (path.exists() and path.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_an_interrupted_run_child_kills_and_reaps_its_child(tmp_path):
    pid_file = tmp_path / "pid"

    def interrupt(signum, frame):
        raise _Stop

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 3.0)
        with pytest.raises(_Stop):
            run_child("tests.perf.sleeper", [str(pid_file)], timeout=120)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    pid = int(pid_file.read_text())
    assert not _alive(pid)


def test_a_child_that_outlives_its_timeout_is_killed(tmp_path):
    pid_file = tmp_path / "pid"
    with pytest.raises(RuntimeError, match="no answer"):
        run_child("tests.perf.sleeper", [str(pid_file)], timeout=3)
    assert not _alive(int(pid_file.read_text()))


GRANDCHILD = ("import os, sys\n"
              "from PySide6.QtWidgets import QApplication\n"
              "from bench.startup import exit_with_parent\n"
              "app = QApplication([])\n"
              "keep = exit_with_parent(100)\n"
              "sys.exit(app.exec())\n")
PARENT = ("import subprocess, sys\n"
          "child = subprocess.Popen([sys.executable, '-c', sys.argv[1]], stdout=subprocess.DEVNULL,\n"
          "                         stderr=subprocess.PIPE)\n"
          "print(child.pid, flush=True)\n"
          "import time; time.sleep(2)\n"
          "import os; os._exit(0)  # gone without waiting: the child's stderr pipe is broken now\n")


def test_the_start_child_leaves_when_its_parent_is_gone():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", PARENT, GRANDCHILD], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60, check=True)
    pid = int(out.stdout.split()[0])
    deadline = time.monotonic() + 20
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = _alive(pid)
    if alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, "the child kept running after its parent had gone"


def test_give_up_leaves_even_when_stderr_is_a_broken_pipe():
    script = ("import os, sys\n"
              "r, w = os.pipe(); os.close(r)\n"
              "sys.stderr = os.fdopen(w, 'w')\n"
              "import signal; signal.signal(signal.SIGPIPE, signal.SIG_IGN)\n"
              "from bench.startup import give_up\n"
              "give_up()\n"
              "os._exit(7)  # not reached\n")
    code = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=60).returncode
    assert code == 1


def test_the_saved_sort_folder_holds_a_header_the_product_reads_as_sorted_by_days(tmp_path, qapp):
    """bench.start's third start figure: a user's list saved sorted by days in stage, longest first."""
    from PySide6.QtCore import QSettings, Qt

    from bench.start import saved_sort_folder
    from ui.models.clients import ClientTableModel
    from ui.views.list_header import saved_sort

    folder = saved_sort_folder(tmp_path)
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    assert saved_sort(settings) == (ClientTableModel.COL_DAYS, Qt.SortOrder.DescendingOrder)
    assert not (ROOT / "settings.ini").exists()
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QHeaderView

    from ui.views.list_header import HEADER_KEY

    header = QHeaderView(Qt.Orientation.Horizontal)  # as the window's header restores it: the arrow shown
    model = QStandardItemModel(0, len(ClientTableModel.HEADERS))
    header.setModel(model)
    assert header.restoreState(settings.value(HEADER_KEY)) and header.isSortIndicatorShown()
    assert header.isSectionHidden(ClientTableModel.COL_PHONE)  # the list's default columns
