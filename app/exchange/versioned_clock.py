"""Export numbers of the version-based merge (app/exchange/versioned.py): a Lamport counter per installation."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.exchange.versioned_values import _t

CLOCK_KEY = "exchange.clock"  # app/sync/file_home.py reads it too (CLOCK_KEY there)
LAST_EXPORT_KEY = "exchange.last_export"  # this installation's own latest export number (not numbers seen)


def _setting(s: Session, key: str) -> str | None:
    t = _t("setting")
    return s.execute(select(t.c.value).where(t.c.key == key)).scalar()


def installation_id(s: Session) -> str:
    """This installation's id (lower case; '' when the database has none yet)."""
    return (_setting(s, "installation_id") or "").lower()


def _clock(s: Session) -> int:
    from sqlalchemy import func

    from app.persistence.models import ExchangeBase

    try:
        stored = int(_setting(s, CLOCK_KEY) or 0)
    except ValueError:
        stored = 0
    seen = s.scalar(select(func.max(ExchangeBase.version))) or 0
    return max(stored, int(seen))


def copied_from(s: Session) -> tuple[str, int]:
    """(the installation this file is a copy of, lower case; the export counter the file had when it was copied)
    — every export of that installation numbered up to the counter is this file's own history too
    (app/sync/file_home.py); ('', 0) for a file that is no copy, or was copied by a version that did not keep the
    counter."""
    from app.sync.file_home import COPIED_AT_KEY, COPIED_FROM_KEY

    origin = (_setting(s, COPIED_FROM_KEY) or "").lower()
    try:
        counter = int(_setting(s, COPIED_AT_KEY) or 0)
    except ValueError:
        counter = 0
    return (origin, counter) if origin and counter > 0 else ("", 0)


def _set_clock(s: Session, value: int, key: str = CLOCK_KEY) -> None:
    # Core statements: bookkeeping, not an audited change of a setting
    t = _t("setting")
    s.execute(delete(t).where(t.c.key == key))
    s.execute(insert(t).values(key=key, value=str(value)))


def next_export_version(s: Session) -> int:
    """Take the number of a new export (in the caller's transaction): one more than every number this
    installation has made or seen."""
    version = _clock(s) + 1
    _set_clock(s, version)
    _set_clock(s, version, LAST_EXPORT_KEY)
    return version


def last_export(s: Session) -> int:
    """This installation's latest export number (0: none made, or made by a version that did not keep it)."""
    try:
        return int(_setting(s, LAST_EXPORT_KEY) or 0)
    except ValueError:
        return 0


def keeps_here(s: Session, source: str, version: int) -> bool:
    """Whether a field changed both here and in the file (export ``version`` of installation ``source``) keeps
    this installation's value: our latest export's (number, installation id) is above the file's.

    Both computers order the same two pairs, so two files crossing in the post resolve to the same value on
    both sides. A sender that had merged our latest export numbered its file above it (Lamport), so such a
    file — and every file when we never exported — wins, like the value that reached the team server first.
    Raises nothing; a file without a source never loses."""
    me = installation_id(s)
    if not source or not me:
        return False
    return (last_export(s), me) > (version, source.lower())


def observe(s: Session, version: int) -> None:
    """An imported file's number: later exports of ours are numbered above it (Lamport)."""
    if version > _clock(s):
        _set_clock(s, version)
