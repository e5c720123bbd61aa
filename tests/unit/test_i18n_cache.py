"""Compiled translations are cached by the .po files' names, sizes and times: a start reads one .mo file
instead of importing babel, and an edited .po file is compiled again."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from app import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_cached_translations_equal_fresh_ones_and_follow_edits(tmp_path, monkeypatch):
    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "po"
    folder.mkdir()
    for po in i18n._catalog_files("ru"):
        shutil.copy(po, folder / po.name)
    monkeypatch.setattr(i18n, "_catalog_files", lambda language: sorted(folder.glob("*.po")))

    fresh = i18n.compile_translations("ru")
    cached_files = list((tmp_path / "data" / "cache").glob("vnedrenie-ru-*.mo"))
    assert len(cached_files) == 1
    cached = i18n.compile_translations("ru")
    assert cached._catalog == fresh._catalog and cached.gettext("Quit") == "Выход"

    po = folder / "startup.po"
    po.write_text(po.read_text(encoding="utf-8").replace('"Загрузка заказчиков…"', '"Заказчики загружаются…"'),
                  encoding="utf-8")
    edited = i18n.compile_translations("ru")
    assert edited.gettext("Loading clients…") == "Заказчики загружаются…"
    assert len(list((tmp_path / "data" / "cache").glob("vnedrenie-ru-*.mo"))) == 1  # the stale one is gone


def test_a_start_with_a_warm_cache_does_not_import_babel(tmp_path):
    env = {"VNEDRENIE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    # the compiled catalogue shipped by set-up/build (tested below) is left out: this is the checkout path
    code = ("import sys; from app import i18n; i18n._shipped_catalog = lambda *a: None; "
            "print(i18n._('Quit'), 'babel' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                           timeout=120)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=120)
    assert first.stdout.split() == ["Выход", "True"], first.stderr
    assert second.stdout.split() == ["Выход", "False"], second.stderr


def test_shipped_catalogue_is_used_without_babel_or_cache(tmp_path):
    """Issue 14: translations are compiled at set-up/build time (python -m app.i18n) and a start only reads
    the .mo — no babel, no cache written — unless a .po was edited after it (then the checkout path)."""
    root = tmp_path / "i18n"
    shutil.copytree(ROOT / "i18n", root, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    prelude = f"from pathlib import Path; from app import i18n; i18n._catalog_root = lambda: Path({str(root)!r}); "
    env = {"VNEDRENIE_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    compiled = subprocess.run([sys.executable, "-c", prelude + "print(*i18n.compile_shipped())"],
                              capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    mo = root / "ru" / "LC_MESSAGES" / "vnedrenie.mo"
    assert compiled.stdout.split() == [str(mo)], compiled.stderr
    code = prelude + "import sys; print(i18n._('Quit'), 'babel' in sys.modules)"
    start = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                           timeout=120)
    assert start.stdout.split() == ["Выход", "False"], start.stderr
    assert not (tmp_path / "data" / "cache").exists()

    po = root / "ru" / "LC_MESSAGES" / "startup.po"
    po.write_text(po.read_text(encoding="utf-8"), encoding="utf-8")  # newer than the .mo now
    import os

    os.utime(mo, ns=(po.stat().st_mtime_ns - 10**9, po.stat().st_mtime_ns - 10**9))
    stale = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                           timeout=120)
    assert stale.stdout.split() == ["Выход", "True"], stale.stderr
