"""Brief hist17 points 1 and 2: a double billing settled by a void, through the server or by a bundle.

Laptop «a» bills the work entry E by act X (АУ-1) and syncs; laptop «b», offline, bills E by act Y (АУ-21).
The second act, Y, is voided on «a». The trail of E (`audit CLIENT`) must read in true order and end with E
billed by the act in force: no line says that Y bills E after Y's void (before the fix, by the bundle path,
b's offline line «— → АУ-21/2026» reached the team after the void and was the trail's last word), the newest
billing line is «АУ-21/2026 → АУ-1/2026», and the laptops and the server read the same trail. A sync that
brings a double billing already closed (Y voided before the sync brought it) says «новых конфликтов: 0» and
leaves nothing open (it said 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import run
from app.persistence.models import Document
from app.services.documents import void_document
from app.sync.service import conflicts, sync_once
from app.team.audit import client_history_lines
from tests.exchange.test_shared_marks_bundles import bill, billing_act, code
from tests.team.test_bundle_vs_server_marks import CLIENT, INN, _work

pytestmark = pytest.mark.postgres

WHAT = "Журнал работ · выставлено актом (02.03.2026, Конференция)"


def _void(db, act_uuid: str) -> None:
    with db.read() as s:
        act_id = s.scalar(select(Document.id).where(Document.uuid == act_uuid))
    void_document(db, act_id, "выставлен дважды")


def _trail(db) -> list[str]:
    """`audit CLIENT` without the times, newest first: author, action, what, change."""
    return [line.text().split("\t", 1)[1] for line in client_history_lines(db, INN)]


def _check_story(trail: list[str], x: str, y: str) -> None:
    """E's newest billing line passes it from Y to X, and no billing line naming Y as E's act is newer than
    Y's void."""
    billing = [line for line in trail if f"\t{WHAT}\t" in line]
    assert billing[0].endswith(f"\t{y} → {x}"), trail
    void_at = next(i for i, line in enumerate(trail) if f"Акт {y} · аннулирован" in line)
    assert not [line for line in trail[:void_at] if line.endswith(f"→ {y}")], trail


def _settled(a, b, server, x: str, y: str) -> list[str]:
    """After the settlement reached everyone: the same trail on both laptops and the server, reading as a story
    (``_check_story``), no conflict left on either laptop; returns the trail's billing lines, newest first."""
    trails = [_trail(db) for db in (a, b, server)]
    assert trails[0] == trails[1] == trails[2]
    _check_story(trails[0], x, y)
    assert conflicts(a) == conflicts(b) == []
    return [line for line in trails[0] if f"\t{WHAT}\t" in line]


def test_settled_by_a_bundle_the_trail_ends_with_the_act_in_force(server, two_worlds):
    worlds = two_worlds(CLIENT, _work)
    a, b = worlds.team
    x_uuid = bill(a)
    sync_once(a)
    y_uuid = bill(b)  # offline
    worlds.carry(b, a)  # a meets Y by a file: a double billing
    x, y = code(a, x_uuid), code(a, y_uuid)
    _void(a, y_uuid)  # the second act is voided
    sync_once(a)
    worlds.carry(a, b)  # the settlement reaches b by a file
    assert billing_act(b) == x_uuid
    # b's offline line «— → Y» never left b, and Y's billing did not hold: it is not b's last word
    assert not [line for line in _trail(b) if line.endswith(f"\t{WHAT}\t— → {y}")]
    sync_once(b)
    sync_once(a)
    assert _settled(a, b, server, x, y) == [
        f"Иванова Анна\tизменено\t{WHAT}\t{y} → {x}",
        f"Иванова Анна\tоставлено значение из файла (см. конфликты)\t{WHAT}\t{x} → {y}",
        f"Иванова Анна\tизменено\t{WHAT}\t— → {x}"]
    assert billing_act(a) == billing_act(b) == billing_act(server) == x_uuid


def test_settled_through_the_server_the_trail_ends_with_the_act_in_force(server, two_worlds):
    worlds = two_worlds(CLIENT, _work)
    a, b = worlds.team
    x_uuid = bill(a)
    sync_once(a)
    y_uuid = bill(b)  # offline
    assert sync_once(b).conflicts == 1  # the server keeps X; b's «— → Y» was sent: it is answered
    assert sync_once(a).conflicts == 1
    x, y = code(a, x_uuid), code(a, y_uuid)
    assert next(line for line in _trail(b) if f"\t{WHAT}\t" in line) == (
        f"Петрова Мария\tоставлено значение сервера (см. конфликты)\t{WHAT}\t{y} → {x}")
    _void(a, y_uuid)
    sync_once(a)
    sync_once(b)
    sync_once(a)
    assert _settled(a, b, server, x, y) == [
        f"Петрова Мария\tоставлено значение сервера (см. конфликты)\t{WHAT}\t{y} → {x}",
        f"Петрова Мария\tизменено\t{WHAT}\t— → {y}",
        f"Иванова Анна\tизменено\t{WHAT}\t— → {x}"]
    # a further sync writes nothing more
    assert sync_once(a).lines == sync_once(b).lines == 0


def test_a_double_billing_closed_before_the_sync_brought_it_is_not_a_new_conflict(server, two_worlds, capsys):
    worlds = two_worlds(CLIENT, _work)
    a, b = worlds.team
    x_uuid = bill(a)
    sync_once(a)
    y_uuid = bill(b)  # offline
    worlds.carry(b, a)
    _void(a, y_uuid)  # closed on a
    assert conflicts(a) == []
    sync_once(a)
    # b pushes its mark Y (the server has X): a double billing met at the push, closed by the void it pulls
    assert run(["--db", str(Path(b.engine.url.database)), "sync"]) == 0
    out = capsys.readouterr().out
    assert "новых конфликтов: 0." in out, out
    assert conflicts(b) == []
    assert billing_act(b) == x_uuid
    status = run(["--db", str(Path(b.engine.url.database)), "sync", "status"])
    assert status == 0 and "конфликтов" not in capsys.readouterr().out
    x, y = code(b, x_uuid), code(b, y_uuid)
    _check_story(_trail(b), x, y)
    # b's offline «— → Y» was kept back (Y voided on the server) and dropped: the trail reads as the bundle's
    assert [line for line in _trail(b) if f"\t{WHAT}\t" in line] == [
        f"Иванова Анна\tизменено\t{WHAT}\t{y} → {x}",
        f"Иванова Анна\tоставлено значение из файла (см. конфликты)\t{WHAT}\t{x} → {y}",
        f"Иванова Анна\tизменено\t{WHAT}\t— → {x}"]
    sync_once(a)
    assert _trail(a) == _trail(b) == _trail(server)
