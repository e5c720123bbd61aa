"""Workarounds for PySide6 faults: borrowed references to ``True``, and sources kept by its import hook.

PySide6 6.12 hands Python borrowed references to ``True`` (from SignalInstance.emit).

On Python 3.11 ``True`` and ``None`` are not immortal: every ``signal.emit(...)`` called from Python
drops one reference to ``True`` (and every Qt call that returns None to Python, e.g. ``index.data()``
of an empty role, one to ``None``); some thousands later the interpreter aborts with «Fatal Python
error: bool_dealloc». Code that emits on every keystroke goes through ``emit()`` here, which gives
the reference back when, and only when, this PySide has the bug."""

from __future__ import annotations

import linecache
import sys
from types import ModuleType

_leaks: bool | None = None


_py_incref = None


def _incref(obj: object) -> None:
    """Py_IncRef through ctypes, imported on first use (not on the way to the first paint: ~2 ms)."""
    global _py_incref
    if _py_incref is None:
        import ctypes

        function = ctypes.pythonapi.Py_IncRef
        function.argtypes = [ctypes.py_object]
        function.restype = None
        _py_incref = function
    _py_incref(obj)


def emit_leaks_true() -> bool:
    """True if emitting a signal from Python costs ``True`` a reference (checked once; the
    references the check itself loses are given back)."""
    global _leaks
    if _leaks is None:
        from PySide6.QtCore import QObject, Signal

        class _Probe(QObject):
            ping = Signal()

        probe = _Probe()
        before = sys.getrefcount(True)
        for _ in range(8):
            probe.ping.emit()
        lost = before - sys.getrefcount(True)
        for _ in range(max(0, lost)):
            _incref(True)
        _leaks = lost > 0
    return _leaks


def emit(signal, *args) -> None:
    """``signal.emit(*args)`` without losing a reference to ``True``."""
    if signal.emit(*args) is True and (_leaks if _leaks is not None else emit_leaks_true()):
        _incref(True)


# PySide6 (shibokensupport.feature, the ``__feature__`` machinery) looks at every module imported after it to
# see whether its source names «PySide6», through ``inspect.getsource`` — which leaves the whole text of each
# file in ``linecache`` for the life of the process: about 600 files, 20 MB of the window's peak memory here.
# The check below gives the same answer (a .py file whose text contains «PySide6»; a module without a source
# file does not) and lets the text go.


def module_uses_pyside(module: ModuleType) -> bool:
    """True when ``module`` has a .py source file that names PySide6 (what PySide's own check decides)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def keep_no_sources() -> bool:
    """Replace PySide's check (once PySide6 is imported) and drop the source it already cached.
    False when this PySide has no such hook (nothing to do)."""
    try:
        from shibokensupport import feature  # PySide6's embedded support package
    except ImportError:
        return False
    if not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = module_uses_pyside
    linecache.clearcache()
    return True
