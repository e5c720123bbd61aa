"""The drag payload of clients (the list and the board's columns): their ids and stages as MIME data."""

from __future__ import annotations

import json
from collections.abc import Iterable

from PySide6.QtCore import QMimeData

from app.domain.client_summary import ClientSummary

MIME_CLIENTS = "application/x-vnedrenie-clients"


def encode_clients(summaries: Iterable[ClientSummary]) -> QMimeData:
    mime = QMimeData()
    payload = [{"id": s.id, "stage": s.stage} for s in summaries]
    mime.setData(MIME_CLIENTS, json.dumps(payload).encode())
    mime.setText("\n".join(str(item["id"]) for item in payload))
    return mime


def decode_clients(mime: QMimeData | None) -> list[tuple[int, int]]:
    """(client id, stage) pairs carried by a drag; empty for foreign data."""
    if mime is None or not mime.hasFormat(MIME_CLIENTS):
        return []
    try:
        payload = json.loads(bytes(mime.data(MIME_CLIENTS).data()).decode())
        return [(int(item["id"]), int(item["stage"])) for item in payload]
    except (ValueError, KeyError, TypeError):
        return []
