"""Run a piece of the program on a laptop's screen: Qt's offscreen platform reads the screen's size from a config
file, and ``QT_SCALE_FACTOR`` scales it (1280×720 at 125 % is 1024×576 logical). The screen is fixed when Qt starts,
so it runs in a subprocess; the script prints one line of JSON last, which is returned."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRELUDE = """
import json, sys
sys.path.insert(0, {root!r})
from app import i18n
i18n.set_language("ru")
from PySide6.QtTest import QTest
from ui.app import ensure_application
app = ensure_application()
"""


def run_on_screen(script: str, tmp_path: Path, width: int = 1280, height: int = 720, scale: float = 1.25) -> dict:
    """Run ``script`` (after an application is made: ``app``, ``QTest``, ``json``) on a width×height screen scaled by
    ``scale``; a private data folder. Returns the JSON the script printed last."""
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [{"name": "s1", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    data = tmp_path / "screen-data"
    data.mkdir(exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR=str(scale),
               VNEDRENIE_DATA_DIR=str(data), XDG_CONFIG_HOME=str(data / "config"))
    env.pop("VNEDRENIE_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", PRELUDE.format(root=str(ROOT)) + script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
