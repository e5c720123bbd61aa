"""A sync tells how far it is: «Синхронизация: отправлено 1 200 из 5 000», then «получено …» (the first push after
a large import took ~35 minutes with only «Синхронизация…»). The count comes from the batches and pages the engine
makes (one count per phase), the CLI prints it on stderr, the window in its status line; a stop between two of
them (Ctrl+C in the callback) leaves the laptop as a kill there does, and the next sync finishes the work."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import pytest

from app.cli import run
from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client
from app.sync import pulling, pushing, snapshot
from app.sync.service import pending_count, sync_once
from app.sync.sync_setup import setup
from tests.team.conftest import PASSWORD, plain_url, sql_rows
from tests.team.test_sync import INN, laptop, team  # noqa: F401  (two laptops of one team, one client)

pytestmark = pytest.mark.postgres

CLIENTS = 7


def _inn(n: int) -> str:
    """A valid 10-digit ИНН (its check digit) from ``n``."""
    head = f"50{n:07d}"
    check = sum(int(d) * w for d, w in zip(head, (2, 4, 10, 3, 5, 9, 4, 6, 8), strict=True)) % 11 % 10
    return head + str(check)


def _fill(db) -> None:
    for n in range(CLIENTS):
        add_client(db, ClientInput(name=f"ООО «Клиент {n}»", inn=_inn(n), approach="remote", city="Подольск"))


def _outbox(db) -> int:
    return sql_rows(db, "SELECT count(*) FROM sync_outbox")[0][0]


def _steady(calls: list[tuple[str, int, int]], phase: str) -> list[tuple[int, int]]:
    """The (done, total) told for ``phase``, checked to grow from 0 to the total they end at."""
    told = [(done, total) for p, done, total in calls if p == phase]
    assert told and told[0][0] == 0 and told[-1][0] == told[-1][1] > 0, told
    assert all(a[0] < b[0] for a, b in itertools.pairwise(told)), told  # growing
    assert all(done <= total for done, total in told), told
    return told


@pytest.fixture
def small_steps(monkeypatch):
    """Batches of 4, pages of 5 and first-sync chunks of 6 rows: a few records make many steps."""
    monkeypatch.setattr(pushing, "BATCH", 4)
    monkeypatch.setattr(pulling, "PAGE", 5)
    monkeypatch.setattr(snapshot, "CHUNK", 6)


def test_the_push_and_the_pull_tell_growing_counts_ending_at_the_total(laptop, team, server,  # noqa: F811
                                                                       small_steps):
    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    _fill(a)
    queued = _outbox(a)
    calls: list[tuple[str, int, int]] = []
    sync_once(a, progress=lambda *told: calls.append(told))
    pushed = _steady(calls, "push")
    assert pushed[0] == (0, queued) and pushed[-1] == (queued, queued)  # every outbox entry, batch by batch
    assert len(pushed) == 1 + -(-queued // 4)
    assert {p for p, _d, _t in calls} == {"push"}  # its own rows read back by the pull are not «получено»
    assert pending_count(a) == 0
    calls.clear()
    sync_once(b, progress=lambda *told: calls.append(told))
    pulled = _steady(calls, "pull")
    assert len(pulled) > 3 and pulled[-1][1] >= 2 * CLIENTS  # the clients and their trail, page by page
    assert [p for p, _d, _t in calls] == ["pull"] * len(calls)  # b sent nothing: no «отправлено»
    assert sql_rows(b, "SELECT count(*) FROM client")[0][0] == CLIENTS + 1


def test_the_first_sync_tells_its_copy_chunk_by_chunk(laptop, team, server, server_url, tmp_path,  # noqa: F811
                                                      small_steps):
    a = laptop("a", team["ann"])
    _fill(a)
    sync_once(a)
    c = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")  # the manager's new laptop: one snapshot, copied
    try:
        setup(c, plain_url(server_url, team["boss"]), PASSWORD)
        calls: list[tuple[str, int, int]] = []
        sync_once(c, progress=lambda *told: calls.append(told))
        pulled = _steady(calls, "pull")
        assert len(pulled) > 3 and pulled[-1][1] >= 2 * CLIENTS
        assert sql_rows(c, "SELECT count(*) FROM client")[0][0] == CLIENTS + 1
    finally:
        c.dispose()


class Stop(KeyboardInterrupt):
    """Ctrl+C raised by the progress callback."""


def _stop_at(phase: str, step: int):
    seen = []

    def told(p: str, done: int, total: int) -> None:
        if p == phase:
            seen.append(done)
            if len(seen) == step:
                raise Stop

    return told


def test_a_stop_between_batches_or_pages_loses_and_duplicates_nothing(laptop, team, server, small_steps):  # noqa: F811
    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    _fill(a)
    queued = _outbox(a)
    with pytest.raises(Stop):
        sync_once(a, progress=_stop_at("push", 3))  # after two batches
    assert 0 < _outbox(a) < queued
    sync_once(a)
    assert pending_count(a) == 0
    trail = sql_rows(server, "SELECT count(*), count(DISTINCT uuid) FROM audit_log")[0]
    assert trail[0] == trail[1]  # no line twice
    assert sql_rows(server, "SELECT count(*) FROM client")[0][0] == CLIENTS + 1
    with pytest.raises(Stop):
        sync_once(b, progress=_stop_at("pull", 3))
    sync_once(b)
    assert sorted(sql_rows(b, "SELECT inn FROM client")) == sorted(sql_rows(server, "SELECT inn FROM client"))
    assert sql_rows(b, "SELECT count(*) FROM audit_log") == sql_rows(server, "SELECT count(*) FROM audit_log")


def test_a_stop_during_the_first_sync_leaves_the_laptop_as_it_was(laptop, team, server, server_url,  # noqa: F811
                                                                 tmp_path, small_steps):
    a = laptop("a", team["ann"])
    _fill(a)
    sync_once(a)
    c = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        setup(c, plain_url(server_url, team["boss"]), PASSWORD)
        with pytest.raises(Stop):
            sync_once(c, progress=_stop_at("pull", 3))
        assert sql_rows(c, "SELECT count(*) FROM client")[0][0] == 0  # the first sync's one transaction
        sync_once(c)
        assert sql_rows(c, "SELECT count(*) FROM client")[0][0] == CLIENTS + 1
    finally:
        c.dispose()


def test_the_cli_prints_the_count_on_stderr_and_the_report_on_stdout(laptop, team, server, small_steps,  # noqa: F811
                                                                     capsys, monkeypatch):
    from app.cli.cmd_sync import ProgressLine

    a = laptop("a", team["ann"])
    _fill(a)
    queued = _outbox(a)
    path = str(Path(str(a.engine.url.database)))
    monkeypatch.setattr(ProgressLine, "AFTER_S", 0.0)  # a long sync: every step told at once
    monkeypatch.setattr(ProgressLine, "EVERY_S", 0.0)
    capsys.readouterr()
    assert run(["--db", path, "sync"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"Синхронизация: отправлено {done} из {queued}" for done in (0, 4, 8, 12, 14)]
    assert "Синхронизация:" not in out and out.startswith("Отправлено: 7, получено: 0")
    monkeypatch.undo()  # an everyday sync, done in a moment, says nothing more than before
    add_client(a, ClientInput(name="ООО «Ещё»", inn=_inn(99), approach="remote"))
    assert run(["--db", path, "sync"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith("Отправлено: 1")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal:
    def __init__(self, tty: bool) -> None:
        self.text = ""
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("tty", [True, False])
def test_the_progress_line_waits_for_a_long_phase_and_numbers_read_as_russian(monkeypatch, tty):
    from app.cli import cmd_sync

    clock = Clock()
    monkeypatch.setattr(cmd_sync.time, "monotonic", clock)
    screen = Terminal(tty)
    line = cmd_sync.ProgressLine(screen)
    line("push", 0, 5000)
    clock.now += 1
    line("push", 500, 5000)  # one second in: still quiet
    clock.now += 2
    line("push", 1200, 5000)  # three seconds in: told
    clock.now += 0.1
    line("push", 1700, 5000)  # too soon after the last line
    clock.now += 6
    line("push", 2500, 5000)
    line("push", 5000, 5000)  # the end of a phase told: told too
    line("pull", 0, 12000)
    line("pull", 12000, 12000)  # a short phase: nothing
    line("push", 0, 3)
    clock.now += 3
    line("push", 1, 3)  # the second push after the pull, stopped here (Ctrl+C)
    line.close()
    told = ["Синхронизация: отправлено 1 200 из 5 000", "Синхронизация: отправлено 2 500 из 5 000",
            "Синхронизация: отправлено 5 000 из 5 000", "Синхронизация: отправлено 1 из 3"]
    if tty:  # one line rewritten in place, ended at the phase's end and by close()
        assert screen.text == "\r" + "\r".join(told[:2]) + "\r" + told[2] + "\n" + "\r" + told[3] + "\n"
    else:
        assert screen.text == "\n".join(told) + "\n"


def test_the_window_shows_the_count_in_its_status_line(qtbot, laptop, team, server, tmp_path,  # noqa: F811
                                                       small_steps):
    from tests.ui.test_team_window import finish_sync, make_window, plain
    from ui.actions import MainAction

    a = laptop("a", team["ann"])
    window = make_window(qtbot, a, tmp_path)
    _fill(a)
    queued = _outbox(a)
    seen: list[tuple[str, int, int]] = []
    window.sync.progressed.connect(lambda *told: seen.append(told))
    window.action(MainAction.SYNC_NOW).trigger()
    finish_sync(qtbot, window)
    assert ("push", queued, queued) in seen and seen[0] == ("push", 0, queued)
    assert plain(window.sync.label).startswith("Синхронизировано в ")  # the state again once it ended
    window.sync.running = True  # a long sync under way: its thread tells the count
    thread = threading.Thread(target=window.sync._tell, args=("push", 1200, 5000))
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: plain(window.sync.label) == "Синхронизация: отправлено 1 200 из 5 000", timeout=5_000)
    window.grab().save("/tmp/r11sync-shot.png")
    window.sync.running = False
    window.close()
