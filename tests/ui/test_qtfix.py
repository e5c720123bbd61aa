"""ui.qtfix: emitting from Python must not cost ``True`` a reference (PySide6 6.12 on Python 3.11)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from ui import qtfix


class _Source(QObject):
    changed = Signal(int)


def test_emit_keeps_the_reference_count_of_true(qtbot):
    source = _Source()
    received: list[int] = []
    source.changed.connect(received.append)
    qtfix.emit_leaks_true()  # the one-off check, with its own references given back
    before = sys.getrefcount(True)
    for n in range(20_000):  # more than True has references on 3.11: without the fix this aborts
        qtfix.emit(source.changed, n)
    assert abs(sys.getrefcount(True) - before) < 100  # the bug would show as -20 000
    assert received == list(range(20_000))
