"""The window's last word on a failure no slot caught: a refusal when a stored value explains it, else a fault."""

from __future__ import annotations

import logging
import os
import sys
from types import TracebackType

log = logging.getLogger(__name__)
LOG_NAME = "vnedrenie.log"
LOG_BYTES, LOG_KEEP = 1_000_000, 3  # ~4 MB at most


def _private_file_handler():
    """RotatingFileHandler whose log files are owner-only (0600), the current one and each started at a rollover:
    they hold tracebacks with clients' names and paths. (Defined on first use: logging.handlers loads lazily.)"""
    from logging.handlers import RotatingFileHandler

    class PrivateRotatingFileHandler(RotatingFileHandler):
        def _open(self):
            fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            if os.name == "posix":
                try:
                    os.fchmod(fd, 0o600)  # a log an earlier version left readable by others
                except OSError:  # not ours to change: written to as it is
                    pass
            return open(fd, self.mode, encoding=self.encoding, errors=self.errors)

    return PrivateRotatingFileHandler


def log_to_file(folder) -> logging.Handler | None:
    """Warnings and errors of the window program (failures no slot caught, with their tracebacks) go to
    ``folder``/vnedrenie.log, rotated at 1 MB, three old files kept; a window program has no terminal to show
    them. The folder is created owner-only (0700) when missing, the log files are 0600. Returns the handler; a
    folder that cannot be written leaves logging as it was (returns None)."""
    from pathlib import Path

    from app.config import ensure_private_dir

    try:
        # it runs before the database is opened: the folder made here is the user's data folder (README: owner-only)
        ensure_private_dir(Path(folder))
        handler = _private_file_handler()(Path(folder) / LOG_NAME, maxBytes=LOG_BYTES, backupCount=LOG_KEEP,
                                          encoding="utf-8")
    except OSError:
        return None
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return handler


def install(window) -> None:
    """Route exceptions that escape Qt's slots and event handlers (PySide prints them through ``sys.excepthook``
    and goes on, so the user saw nothing: an empty tab) to ``window``: a UserError through ``window.show_error``,
    another failure through ``window.ops.explain`` (the values of the database behind it, named) or as
    «Внутренняя ошибка». The traceback is logged either way. One box at a time, and once per failure (its kind,
    message and place): a failure while a box is up, or again after it, is only logged. Replaces ``sys.excepthook`` for the process (the program's window only, not in tests)."""
    from app.errors import UserError
    from ui.ops import show_internal_error

    previous = sys.excepthook
    showing = False
    said: set[tuple[str, str, str]] = set()  # a failure in a paint comes back at every repaint: said once

    def hook(kind: type[BaseException], exc: BaseException, trace: TracebackType | None) -> None:
        nonlocal showing
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: as Python does
            previous(kind, exc, trace)
            return
        log.error("a failure no slot caught", exc_info=(kind, exc, trace))
        where = trace
        while where is not None and where.tb_next is not None:
            where = where.tb_next
        key = (kind.__name__, str(exc), "" if where is None else f"{where.tb_frame.f_code.co_filename}:{where.tb_lineno}")
        if showing or key in said:
            return
        said.add(key)
        showing = True
        try:
            refusal = exc if isinstance(exc, UserError) else window.ops.explain(exc)
            if refusal is not None:
                window.show_error(refusal)
            else:
                show_internal_error(window, exc)
        except Exception:  # the box itself failed: the log has both
            log.exception("showing a failure no slot caught failed")
        finally:
            showing = False

    sys.excepthook = hook
