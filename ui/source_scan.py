"""PySide6's import hook, reading each module's source without keeping it (linecache held ~20 MB).

PySide6 (shibokensupport.feature, the ``__feature__`` machinery) looks at every module imported after it
to see whether its source names «PySide6», through ``inspect.getsource`` — which leaves the whole text of
each file in ``linecache`` for the life of the process: about 600 files, 20 MB of the window's peak memory
here. The check below gives the same answer (a .py file whose text contains «PySide6»; a module without
a source file does not) and lets the text go."""

from __future__ import annotations

import linecache
from types import ModuleType


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


def install() -> bool:
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
