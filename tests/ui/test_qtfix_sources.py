"""PySide's import hook decides «uses PySide6» as before, but no module's source stays in linecache."""

from __future__ import annotations

import linecache
import sys

from ui import qtfix


def test_imported_sources_are_checked_but_not_kept(tmp_path, monkeypatch):
    from shibokensupport import feature  # PySide6's embedded support package

    assert qtfix.keep_no_sources()
    (tmp_path / "scan_with_qt.py").write_text("from PySide6.QtCore import QObject\nVALUE = 1\n", encoding="utf-8")
    (tmp_path / "scan_plain.py").write_text("VALUE = 2\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    linecache.clearcache()
    try:
        with_qt = __import__("scan_with_qt")  # the import statement goes through PySide's hook; import_module does not
        plain = __import__("scan_plain")
        assert (with_qt.VALUE, plain.VALUE) == (1, 2)
        assert feature.pyside_feature_dict["scan_with_qt"] == 0  # uses PySide6: feature selection applies
        assert feature.pyside_feature_dict["scan_plain"] == -1
        assert not [name for name in linecache.cache if "scan_" in name]
    finally:
        for name in ("scan_with_qt", "scan_plain"):
            sys.modules.pop(name, None)
            feature.pyside_feature_dict.pop(name, None)


def test_a_module_without_a_source_file_does_not_use_pyside(tmp_path):
    import types

    compiled = types.ModuleType("compiled_only")
    compiled.__file__ = str(tmp_path / "compiled_only.pyc")
    assert qtfix.module_uses_pyside(compiled) is False
    missing = types.ModuleType("gone")
    missing.__file__ = str(tmp_path / "gone.py")
    assert qtfix.module_uses_pyside(missing) is False
