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
    po.write_text(po.read_text(encoding="utf-8").replace('"Загрузка клиентов…"', '"Клиенты загружаются…"'),
                  encoding="utf-8")
    edited = i18n.compile_translations("ru")
    assert edited.gettext("Loading clients…") == "Клиенты загружаются…"
    assert len(list((tmp_path / "data" / "cache").glob("vnedrenie-ru-*.mo"))) == 1  # the stale one is gone


def test_a_start_with_a_warm_cache_does_not_import_babel(tmp_path):
    env = {"VNEDRENIE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    code = "import sys; from app import i18n; print(i18n._('Quit'), 'babel' in sys.modules)"
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                           timeout=120)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=120)
    assert first.stdout.split() == ["Выход", "True"], first.stderr
    assert second.stdout.split() == ["Выход", "False"], second.stderr
