"""What a file never changes of an issued document that exists here (the team server's rule)."""

from __future__ import annotations

from typing import Any

from app.team.server_triggers import DOCUMENT_KEPT, DOCUMENT_VOIDING

# What an issued document keeps as it was issued, the team server's rule (app/team/server_triggers.py): a file
# never changes these of a document that exists here (a file names the client by its UUID); once voided here, its
# voiding neither.
DOCUMENT_FIXED = tuple("client_uuid" if c == "client_id" else c for c in DOCUMENT_KEPT if c != "uuid")


def keep_fixed(table: str, here: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """``incoming`` (a file's values of a record that exists here, in the changeset's keys) with what the
    record keeps fixed taken from ``here`` (either keyed by the changeset's keys or by column names): an issued document's number, series, kind, year, client, dates,
    total and contents, and its voiding once voided here. Other tables' values are returned as they are."""
    if table != "document":
        return incoming
    fixed = DOCUMENT_FIXED + ("client_id",) + (DOCUMENT_VOIDING if here.get("voided_on") is not None else ())
    return {k: here[k] if k in fixed and k in here else v for k, v in incoming.items()}
