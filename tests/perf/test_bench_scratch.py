"""The benchmark's scratch data folder (the app's settings and daily backups) is removed when the run ends, even
though the suite ends with ``os._exit`` (no ``atexit``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ("import os, sys\n"
          "from bench.run import scratch_data_dir\n"
          "with scratch_data_dir() as d:\n"
          "    (d / 'backups').mkdir()\n"
          "    (d / 'backups' / 'copy.sqlite3').write_bytes(b'x' * 1024)\n"
          "    print(d, flush=True)\n"
          "os._exit(0)\n")


def _run(env: dict[str, str]) -> Path:
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=120)
    return Path(out.stdout.strip())


def test_a_folder_the_run_made_is_gone_after_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("VNEDRENIE_DATA_DIR", "XDG_CONFIG_HOME")}
    env["TMPDIR"] = str(tmp_path)
    folder = _run(env)
    assert folder.parent == tmp_path and folder.name.startswith("vn-bench-data-")
    assert not folder.exists()  # each run left a copy of the benchmark database in /tmp before


def test_a_folder_given_by_the_caller_is_kept(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "XDG_CONFIG_HOME"}
    env["VNEDRENIE_DATA_DIR"] = str(tmp_path / "mine")
    (tmp_path / "mine").mkdir()
    assert _run(env) == tmp_path / "mine"
    assert (tmp_path / "mine" / "backups" / "copy.sqlite3").exists()


def test_ctrl_c_swallowed_inside_a_qt_callback_still_stops_the_suite(monkeypatch):
    """Trial 16: Ctrl+C during the window figures raised KeyboardInterrupt inside an event filter, where PySide
    prints and swallows it; the suite went on and printed the interrupted figures as if whole."""
    import signal

    import pytest

    import bench.run as run

    monkeypatch.setattr(run, "_interrupted", [])
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt), run._interruptible():
        handler = signal.getsignal(signal.SIGINT)
        assert callable(handler) and handler is not before
        # the handler called as Python calls it on the signal, but synchronously: a real signal's
        # KeyboardInterrupt may land in whatever callback runs next (a weakref's, a gc hook), which
        # swallows it and pytest reports an unraisable exception at the end of the suite
        try:
            handler(signal.SIGINT, None)
        except KeyboardInterrupt:
            pass  # what PySide does with it in a Python override called from Qt
        run._stop_if_interrupted()  # at the end of the part
    assert signal.getsignal(signal.SIGINT) is before
