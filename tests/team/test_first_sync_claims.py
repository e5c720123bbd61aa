"""Issue 17 (brief sync17b point 4): a laptop's first sync (the snapshot path, app/sync/snapshot.py) tells a double
billing like an ordinary pull does. «a» issues X billing entry E and syncs; «b», offline, issues Y billing E and
syncs (the server keeps X, Y lists E); a new laptop of the same member then syncs for the first time: it holds
one «double_billing» conflict naming both acts, and a second sync records nothing again."""

from __future__ import annotations

import pytest

from app.persistence.db import open_database
from app.sync.service import conflicts, sync_once
from app.sync.sync_setup import setup
from tests.team.conftest import PASSWORD, plain_url
from tests.team.test_shared_marks import bill, billed_by

pytestmark = pytest.mark.postgres


def test_a_first_sync_records_the_double_billing_it_brings(entry_pair, server, server_url, tmp_path):
    a, b, ann, _boss = entry_pair
    x = bill(a)
    sync_once(a)
    y = bill(b)
    sync_once(b)
    c = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        setup(c, plain_url(server_url, ann), PASSWORD)
        report = sync_once(c)  # its first sync: the snapshot
        assert billed_by(c) == x
        assert report.conflicts == 1
        assert [(v.kind, v.local_value, v.server_value) for v in conflicts(c)] == [("double_billing", x, y)]
        assert sync_once(c).conflicts == 0 and len(conflicts(c)) == 1
    finally:
        c.dispose()
