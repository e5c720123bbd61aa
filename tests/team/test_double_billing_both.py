"""Issue 17 (brief srv17 point 3): through the server both issuers of a double billing are told. Laptop «a» issues
act X billing entry E and syncs; laptop «b», offline, issued act Y billing E and syncs (it meets the double
billing at its push); «a» learns of Y when it pulls it (Y lists E among its lines). Both `sync status` say
«конфликтов: 1», both `sync conflicts` name both acts; voiding either act closes both after a sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import run
from app.sync.service import conflicts, sync_once
from tests.team.test_shared_marks import bill, billed_by, pair, void  # noqa: F401  (two laptops of one team)

pytestmark = pytest.mark.postgres


def cli(db, *argv: str, capsys) -> tuple[int, str, str]:
    """Run a command on the laptop ``db`` (its SQLite file) as a person would."""
    path = Path(db.engine.url.database)
    status = run(["--db", str(path), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def told(db, x: str, y: str, capsys) -> None:
    """``db``'s status says one conflict, and its conflict list names both acts with «аннулируйте акт y»."""
    status, out, _err = cli(db, "sync", "status", capsys=capsys)
    assert status == 0 and "конфликтов: 1" in out
    status, out, _err = cli(db, "sync", "conflicts", capsys=capsys)
    assert status == 0
    [line] = [line for line in out.splitlines() if "\t" in line]
    assert f"уже выставлена актом {x}; акт {y} выставляет её повторно — аннулируйте акт {y}" in line


@pytest.mark.parametrize("voided_on", ["a", "b"])
def test_both_issuers_see_the_double_billing_and_a_void_of_either_act_closes_both(pair, server, capsys,  # noqa: F811
                                                                                   voided_on):
    a, b = pair
    x = bill(a)
    sync_once(a)
    y = bill(b)  # offline: b has not pulled X
    assert sync_once(b).conflicts == 1
    assert sync_once(a).conflicts == 1  # a pulled Y, which lists E: told too
    assert billed_by(server) == billed_by(a) == billed_by(b) == x
    for db in (a, b):
        told(db, x, y, capsys)
    # further syncs record nothing again
    assert sync_once(a).conflicts == sync_once(b).conflicts == 0
    assert len(conflicts(a)) == len(conflicts(b)) == 1
    # either act voided (X on a, or Y on b): the conflict closes where it is voided and, after a sync, on the other
    if voided_on == "a":
        void(a, x)
    else:
        void(b, y)
    sync_once(a if voided_on == "a" else b)
    sync_once(b if voided_on == "a" else a)
    assert conflicts(a) == conflicts(b) == []
    for db in (a, b):
        status, out, _err = cli(db, "sync", "status", capsys=capsys)
        assert status == 0 and "конфликтов" not in out
    assert sync_once(a).conflicts == sync_once(b).conflicts == 0
