"""A restore on a team laptop never gives a document number a second time (the trial of 2026-12-01, finding 1).

A laptop issues offline from the blocks of numbers it reserved on the server, the next free one being found from
the documents it holds (``numbers.free_in_blocks``). A backup restored there holds fewer documents than the laptop
had issued: the numbers issued since the backup looked free again, a progress report was printed as «ОВ-83/2026»
a second time, and the sync renumbered the copy in the register without a word — the paper and the register
disagreed. So before the copy, ``read_marks`` notes from the live file how far each block was used, and after it,
``carry_marks`` writes that into the restored file's blocks (``number_block.next``, which ``free_in_blocks``
respects), adding the blocks reserved after the backup was made. A computer outside a team numbers its own
series, and a restore must not give its numbers again either (an act handed to a client keeps its number):
``FLOOR_KEY`` keeps, per kind and year, the highest number the installation's series had reached."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import insert, select, update

FLOOR_KEY = "numbers.issued_upto"  # setting: JSON {"act:2026": 7, …}, the series' highest numbers before a restore
_FLOOR = "SELECT kind, year, max(number) FROM document WHERE series = '' GROUP BY kind, year"
_MARKS = ("SELECT b.kind, b.year, b.first, b.last, b.login, max(b.next, coalesce((SELECT max(d.number) + 1 "
          "FROM document d WHERE d.series = '' AND d.kind = b.kind AND d.year = b.year "
          "AND d.number BETWEEN b.first AND b.last), b.first)) FROM number_block b")


def read_marks(live: Path) -> list[tuple[str, int, int, int, str, int]]:
    """(kind, year, first, last, login, next unused) of every block of the live SQLite file ``live``, read-only;
    empty when it has none or cannot be read (an older schema: nothing to carry)."""
    try:
        con = sqlite3.connect(f"file:{live}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return []
    try:
        return [(str(k), int(y), int(f), int(la), str(lo or ""), int(n)) for k, y, f, la, lo, n in con.execute(_MARKS)]
    except sqlite3.Error:
        return []
    finally:
        con.close()


def read_floor(live: Path) -> dict[str, int]:
    """{"kind:year": highest number of this installation's series} of the live file (its earlier floor too)."""
    import json

    try:
        con = sqlite3.connect(f"file:{live}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return {}
    try:
        floor = {f"{k}:{y}": int(n) for k, y, n in con.execute(_FLOOR) if n is not None}
        row = con.execute("SELECT value FROM setting WHERE key = ?", (FLOOR_KEY,)).fetchone()
        earlier = json.loads(row[0]) if row and row[0] else {}
    except (sqlite3.Error, ValueError):
        return {}
    finally:
        con.close()
    if isinstance(earlier, dict):
        for key, number in earlier.items():
            if isinstance(number, int):
                floor[str(key)] = max(floor.get(str(key), 0), number)
    return floor


def floor_of(s, kind: str, year: int) -> int:
    """The highest number of this installation's series of ``kind`` and ``year`` before a restore (0: none)."""
    import json

    from app.persistence.models import Setting

    row = s.get(Setting, FLOOR_KEY)
    try:
        found = json.loads(row.value) if row is not None and row.value else {}
    except ValueError:
        return 0
    value = found.get(f"{kind}:{year}", 0) if isinstance(found, dict) else 0
    return value if isinstance(value, int) else 0


def carry_marks(db, marks: list[tuple[str, int, int, int, str, int]]) -> None:
    """Write ``marks`` (``read_marks``) into ``db``'s blocks in one transaction: a block it holds gets the later
    ``next``, one it lacks (reserved after its backup was made) is added. Numbers are never given back."""
    from app.persistence.models import NumberBlock

    if not marks:
        return
    with db.engine.begin() as conn:
        for kind, year, first, last, login, used_to in marks:
            found = conn.execute(select(NumberBlock.id, NumberBlock.next).where(
                NumberBlock.kind == kind, NumberBlock.year == year, NumberBlock.first == first)).first()
            if found is None:
                conn.execute(insert(NumberBlock).values(kind=kind, year=year, first=first, last=last, next=used_to,
                                                        login=login))
            elif found.next < used_to:
                conn.execute(update(NumberBlock).where(NumberBlock.id == found.id).values(next=used_to))


def carry_floor(db, floor: dict[str, int]) -> None:
    """Keep ``floor`` (``read_floor``) in the restored ``db``'s settings, the higher number of each key winning —
    only the keys whose number the restored documents do not reach (a restore of the same data writes nothing)."""
    import json

    from sqlalchemy import delete

    from app.persistence.models import Setting

    if not floor:
        return
    with db.engine.begin() as conn:
        held = {f"{k}:{y}": int(n) for k, y, n in conn.exec_driver_sql(_FLOOR) if n is not None}
        floor = {key: number for key, number in floor.items() if number > held.get(key, 0)}
        if not floor:  # the restored data hold every number given: nothing to remember
            return
        row = conn.execute(select(Setting.value).where(Setting.key == FLOOR_KEY)).scalar()
        try:
            kept = json.loads(row) if row else {}
        except ValueError:
            kept = {}
        merged = {**kept} if isinstance(kept, dict) else {}
        for key, number in floor.items():
            merged[key] = max(int(merged.get(key, 0) or 0), number)
        conn.execute(delete(Setting).where(Setting.key == FLOOR_KEY))
        conn.execute(insert(Setting).values(key=FLOOR_KEY, value=json.dumps(merged, sort_keys=True)))
