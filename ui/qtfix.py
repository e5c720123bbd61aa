"""Work around PySide6 6.12 handing Python borrowed references to ``True`` (from SignalInstance.emit).

On Python 3.11 ``True`` and ``None`` are not immortal: every ``signal.emit(...)`` called from Python
drops one reference to ``True`` (and every Qt call that returns None to Python, e.g. ``index.data()``
of an empty role, one to ``None``); some thousands later the interpreter aborts with «Fatal Python
error: bool_dealloc». Code that emits on every keystroke goes through ``emit()`` here, which gives
the reference back when, and only when, this PySide has the bug."""

from __future__ import annotations

import ctypes
import sys

_leaks: bool | None = None
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


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
