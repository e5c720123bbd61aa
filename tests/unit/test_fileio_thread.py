"""BackgroundWriter: pieces reach the sink in order on another thread, errors come back, memory stays bounded."""

from __future__ import annotations

import errno
import threading

import pytest

from app.fileio_thread import BackgroundWriter


def test_pieces_reach_the_sink_in_order_on_another_thread():
    seen: list[tuple[bytes, int]] = []
    with BackgroundWriter(lambda piece: seen.append((piece, threading.get_ident())), depth=2) as writer:
        for n in range(50):
            writer.write(str(n).encode())
    assert [piece for piece, _ in seen] == [str(n).encode() for n in range(50)]  # all there once closed
    assert {ident for _, ident in seen} - {threading.get_ident()} == {ident for _, ident in seen}


def test_an_error_of_the_sink_is_raised_in_the_caller_and_nothing_after_it_is_written():
    written: list[bytes] = []

    def sink(piece: bytes) -> None:
        if piece == b"2":
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(piece)

    with pytest.raises(OSError) as caught:
        with BackgroundWriter(sink) as writer:
            for n in range(200):
                writer.write(str(n).encode())
    assert caught.value.errno == errno.ENOSPC
    assert written == [b"0", b"1"]


def test_an_exception_in_the_caller_stops_the_worker_and_wins():
    release = threading.Event()
    written: list[bytes] = []

    def sink(piece: bytes) -> None:
        release.wait(5)
        written.append(piece)

    with pytest.raises(KeyboardInterrupt):
        with BackgroundWriter(sink, depth=8, name="t") as writer:
            for n in range(5):
                writer.write(str(n).encode())
            release.set()
            raise KeyboardInterrupt
    assert written == [str(n).encode() for n in range(len(written))]  # in order, the rest dropped
    assert not [t for t in threading.enumerate() if t.name == "t"]  # joined


def test_the_caller_waits_while_the_sink_is_behind():
    release = threading.Event()
    writer = BackgroundWriter(lambda piece: release.wait(5), depth=2)
    for _ in range(3):  # one in the sink, two queued
        writer.write(b"x")
    blocked = threading.Thread(target=writer.write, args=(b"y",))
    blocked.start()
    blocked.join(0.3)
    assert blocked.is_alive()  # the fourth piece waits for room: at most `depth` pieces held
    release.set()
    blocked.join(5)
    assert not blocked.is_alive()
    writer.close()
