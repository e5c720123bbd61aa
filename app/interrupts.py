"""Whether an exception is a Ctrl+C in disguise: Python wraps a KeyboardInterrupt raised in some hooks.

Python 3.11 turns an exception raised inside ``__set_name__`` (a dataclass field being created while a module
loads) into ``RuntimeError("Error calling __set_name__ …")`` with the KeyboardInterrupt as its cause; a Ctrl+C
early in a command then ended in a traceback instead of «Прервано.». No imports: used while a module half loads."""

from __future__ import annotations


def caused_by_interrupt(exc: BaseException) -> bool:
    """True when ``exc`` is a KeyboardInterrupt or was raised because of one (its ``__cause__`` or ``__context__``
    chain holds one; cycles are followed once)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
