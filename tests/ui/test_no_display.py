"""Without a graphical display the app says so in Russian and exits 2 instead of Qt aborting."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_display_is_a_clear_russian_message(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["VNEDRENIE_DATA_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "main.py", "--db", str(tmp_path / "x.sqlite3")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "Нет графического дисплея" in done.stderr
    assert "Traceback" not in done.stderr
