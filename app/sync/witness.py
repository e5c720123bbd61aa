"""A laptop's witness that the team server has not gone back to an older state (restored from an older dump).

Comparing version numbers alone (``server_check._check_not_behind``) catches a restored server only until another
laptop's sync draws the sequence past this laptop's watermark again; from then on both laptops said
«Синхронизировано» while they drifted apart, and a later hand-over lost the work one of them had sent (the trial
of 2026-12-01, 17d finding 1). So each successful sync leaves a witness on the server — a row of
``sync_witness`` per (login, installation): a number drawn from the version sequence for the witness alone (so
each witness is above every earlier one, also after a sync that wrote nothing) and a random token — and keeps
the same pair on the laptop (setting ``sync.witness``). A server restored from a dump taken before that sync
holds an older row or none: the next sync stops before anything is sent, however far others have drawn the
sequence since. A server row newer than the laptop's is this laptop gone back (one of its own backups restored,
its file copied, or its file unable to keep the last witness): nothing is wrong with the server then.

Row-level security keeps each member to their own rows; the table is created by ``server init``
(:data:`SERVER_SQL`)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Connection, Engine

from app.persistence.db import Database
from app.persistence.models import Setting

WITNESS_KEY = "sync.witness"  # setting on the laptop: «version token»
INSTALLATION_KEY = "installation_id"

# applied by app/team/server.py ``_server_sql`` before the grants (idempotent)
SERVER_SQL = """
CREATE TABLE IF NOT EXISTS {schema}.sync_witness (
  login text NOT NULL DEFAULT current_user,
  installation text NOT NULL,
  version bigint NOT NULL,
  token text NOT NULL,
  PRIMARY KEY (login, installation));
ALTER TABLE {schema}.sync_witness ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS vn_own ON {schema}.sync_witness;
CREATE POLICY vn_own ON {schema}.sync_witness USING (login = current_user::text)
  WITH CHECK (login = current_user::text);
"""


def _laptop(db: Database) -> tuple[str, tuple[int, str] | None]:
    """(this installation's id, the witness kept here or None)."""
    with db.engine.connect() as conn:
        values = dict(conn.execute(select(Setting.key, Setting.value).where(
            Setting.key.in_((WITNESS_KEY, INSTALLATION_KEY)))).all())
    installation = values.get(INSTALLATION_KEY) or "laptop"
    kept = (values.get(WITNESS_KEY) or "").split()
    if len(kept) != 2 or not kept[0].isdigit():
        return installation, None
    return installation, (int(kept[0]), kept[1])


def _server_row(sc: Connection, installation: str) -> tuple[int, str] | None:
    row = sc.execute(text("SELECT version, token FROM sync_witness WHERE login = current_user::text "
                          "AND installation = :i"), {"i": installation}).first()
    return None if row is None else (int(row[0]), str(row[1]))


def server_went_back(db: Database, server: Engine) -> bool:
    """Whether the server no longer holds the witness this laptop's last successful sync left there (or holds an
    older one): it was put back to an older state since. False for a laptop with no witness yet."""
    installation, kept = _laptop(db)
    if kept is None:
        return False
    with server.connect() as sc:
        found = _server_row(sc, installation)
    if found is None:
        return True
    return found[0] < kept[0] or (found[0] == kept[0] and found[1] != kept[1])


def leave(db: Database, server: Engine) -> None:
    """Write a new witness on the server, then keep it here (a failure between the two leaves the server's the
    newer: taken as this laptop gone back, never as a server gone back)."""
    installation, _kept = _laptop(db)
    token = uuid.uuid4().hex
    with server.begin() as sc:
        # a number of its own (not the sequence's last value): every witness is above every earlier one, also when
        # the sync wrote nothing — equal numbers with two tokens took a laptop back at its own backup, or one whose
        # file failed to keep the new witness, for a server gone back (the trial 17e)
        version = int(sc.execute(text("SELECT nextval('vn_row_version')")).scalar_one())
        sc.execute(text("INSERT INTO sync_witness (installation, version, token) VALUES (:i, :v, :t) "
                        "ON CONFLICT (login, installation) DO UPDATE SET version = EXCLUDED.version, "
                        "token = EXCLUDED.token"), {"i": installation, "v": version, "t": token})
    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as lc, lc.begin():
        lc.execute(delete(Setting).where(Setting.key == WITNESS_KEY))
        lc.execute(insert(Setting).values(key=WITNESS_KEY, value=f"{version} {token}"))
