"""count_clients(at_most=N): what the window asks on its UI thread before choosing a worker — min(count, N), read
from at most N rows whatever the number of clients."""

from __future__ import annotations

from sqlalchemy import event

from app.services.client_list import count_clients
from app.services.clients import ClientInput, add_client
from tests.unit.test_client_counts import INNS


def test_count_with_a_bound_reads_at_most_that_many_rows(db):
    for inn in INNS[:4] + INNS[5:]:
        add_client(db, ClientInput(name=f"ООО {inn}", inn=inn, approach="remote"))
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert count_clients(db) == 5
    assert count_clients(db, 3) == 3
    assert count_clients(db, 5) == 5 and count_clients(db, 6) == 5
    assert count_clients(db, 500) == 5
    bounded = [s for s in statements if "count" in s.lower()][1:]
    assert len(bounded) == 4 and all("LIMIT" in s.upper() for s in bounded), bounded
