"""Crash safety: a process writing work-log entries is killed with SIGKILL at random moments, again and again;
after every kill the file passes ``PRAGMA integrity_check`` and every entry reported committed is there."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client

KILLS = 20
ROOT = Path(__file__).resolve().parent.parent

# The writer: one transaction per entry (every 7th one writes a batch of 40), printing ids after commit.
WRITER = r"""
import sys
from datetime import date
from app.persistence.db import open_database
from app.persistence.models import WorkLogEntry

db = open_database(sys.argv[1], migrate=False, seed=False)
client_id = int(sys.argv[2])
n = 0
while True:
    n += 1
    size = 40 if n % 7 == 0 else 1
    with db.unit() as s:
        rows = [WorkLogEntry(client_id=client_id, on_date=date(2024, 7, 1 + n % 28), kind="conference",
                             minutes=1 + n % 240, note="запись %d " % n + "ж" * (n % 300)) for _ in range(size)]
        s.add_all(rows)
        s.flush()
        ids = [r.id for r in rows]
    sys.stdout.write("".join("%d\n" % i for i in ids))
    sys.stdout.flush()
"""


def _committed_ids(path: Path) -> set[int]:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        return {row[0] for row in con.execute("SELECT id FROM work_log")}
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_a_committed_entry(tmp_path):
    path = tmp_path / "crash.sqlite3"
    url = f"sqlite:///{path}"
    db = open_database(url)
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    db.dispose()
    rng = random.Random(20240701)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    reported: set[int] = set()
    for _round in range(KILLS):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, url, str(client_id)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = proc.stdout.readline()  # the writer is running and has committed at least once
        assert first.strip().isdigit(), proc.stderr.read()
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        rest, _err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        lines = (first + rest).split("\n")
        # a line cut by the kill has no newline after it: only whole lines were reported
        complete = [line for line in lines[:-1] if line.strip()]
        reported.update(int(line) for line in complete)
        present = _committed_ids(path)
        missing = reported - present
        assert not missing, f"round {_round}: committed entries lost: {sorted(missing)[:10]}"
    assert len(reported) > KILLS
    # and the application still opens the file normally
    db = open_database(url)
    with db.read() as s:
        from sqlalchemy import func, select

        from app.persistence.models import WorkLogEntry

        assert s.scalar(select(func.count()).select_from(WorkLogEntry)) >= len(reported)
    db.dispose()
