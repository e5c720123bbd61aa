"""Regenerate docs/screenshot.png: the main window offscreen on a temporary database with demo data.

    .venv/bin/python scripts/screenshot.py [--size 1366x768] [--tab board|card|checklist|lessons] [-o FILE]
    .venv/bin/python scripts/screenshot.py --first-run -o /tmp/first-run.png   # an empty database
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABS = {"board": 0, "card": 1, "checklist": 2, "lessons": 3, "cost": 4, "worklog": 5}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1366x768", help="window size WxH (default 1366x768)")
    parser.add_argument("--tab", choices=list(TABS), default="board")
    parser.add_argument("--lang", choices=["ru", "en"], default="ru")
    parser.add_argument("--client", type=int, default=3, help="which demo client to select (1-12)")
    parser.add_argument("--first-run", action="store_true", help="the window on an empty database")
    parser.add_argument("-o", "--output", default=str(ROOT / "docs" / "screenshot.png"))
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="vnedrenie-shot-"))
    os.environ["VNEDRENIE_DATA_DIR"] = str(work)
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app import i18n
    from app.persistence.db import open_database
    from app.services.demo import fill_demo
    from app.services.demo_week import fill_demo_week
    from ui.app import install_qt_translations
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["vnedrenie"])
    i18n.set_language(args.lang)
    install_qt_translations(app, args.lang)
    db = open_database(f"sqlite:///{work / 'demo.sqlite3'}")
    if not args.first_run:
        fill_demo(db, today=date.today())
        fill_demo_week(db, today=date.today())  # as the demo has it: the agenda and questions filled
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(db, settings)
    window.resize(width, height)
    window.show()
    window.wait_for_background()
    if not args.first_run:
        window.set_current_client(args.client)
        window.work_area.tabs.setCurrentIndex(TABS[args.tab])
    for _ in range(3):
        app.processEvents()
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(output)):
        print(f"cannot write {output}", file=sys.stderr)
        return 1
    print(output)
    window.settings = QSettings(str(work / "discard.ini"), QSettings.Format.IniFormat)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
