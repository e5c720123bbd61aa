"""A writer that hands pieces of bytes to a sink on a second thread: compression and disk beside the encoding.

zlib's ``compress``, ``hashlib`` and file writes release the GIL on large buffers, so while the caller makes the
next chunk of JSON the previous one is deflated, hashed and written on the other core (issue 15: an export's
deflate was a sixth of its time, spent waiting on one core)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType

_DONE = object()


class BackgroundWriter:
    """``write(piece)`` queues ``piece`` (bytes) for ``sink``, called in order on one worker thread.

    At most ``depth`` pieces wait (memory stays bounded: the caller blocks while the sink is behind). An
    exception raised by the sink (an OSError of a full disk, say) is raised again in the caller by the next
    ``write`` or by ``close``, which waits until every queued piece has reached the sink. Used as a context
    manager: a normal exit closes; an exit by an exception (Ctrl+C included) stops the worker, drops what was
    still queued and lets the exception go on."""

    def __init__(self, sink: Callable[[bytes], object], *, depth: int = 4, name: str = "writer") -> None:
        self._sink = sink
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            piece = self._queue.get()
            if piece is _DONE:
                return
            if self._stop or self._error is not None:
                continue  # drained, not written: the caller has given up or been told of the error
            try:
                self._sink(piece)  # type: ignore[arg-type]
            except BaseException as exc:
                self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            self._stop = True
            raise error

    def write(self, piece: bytes) -> None:
        """Queue one piece; raises what the sink raised on an earlier piece."""
        self._raise()
        self._queue.put(piece)

    def close(self) -> None:
        """Wait until every queued piece is written; raises what the sink raised."""
        if self._thread.is_alive():
            self._queue.put(_DONE)
            self._thread.join()
        self._raise()

    def __enter__(self) -> BackgroundWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
            return
        self._stop = True  # the worker skips the rest; the caller's exception wins over the sink's
        if self._thread.is_alive():
            self._queue.put(_DONE)
            self._thread.join()
