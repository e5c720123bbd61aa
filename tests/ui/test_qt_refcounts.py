"""Guard against PySide6 builds that leak references to True/None (6.12.0 on Python 3.11 aborts the app)."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(int)


def test_signal_emit_keeps_the_refcount_of_true_and_none(qapp):
    emitter = _Emitter()
    received = []
    emitter.fired.connect(received.append)
    emitter.fired.emit(0)  # warm up any caches
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for value in range(1000):
        emitter.fired.emit(value)
    assert len(received) == 1001
    # A leaking build loses one reference per emit; a healthy one stays (almost) level.
    assert abs(sys.getrefcount(True) - true_before) < 50
    assert abs(sys.getrefcount(None) - none_before) < 50
