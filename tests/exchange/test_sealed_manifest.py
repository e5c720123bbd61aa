"""A sealed bundle's manifest shows only what is needed to ask for the password and check the format."""

from __future__ import annotations

import json

from app.exchange.bundle import MANIFEST
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_read import load_bundle, read_info
from app.persistence.models import Setting
from tests.exchange import helpers as h

PASSWORD = "верный-пароль-1"


def test_sealed_manifest_reveals_no_counts_and_no_installation(db, tmp_path):
    h.populate(db)
    with db.read() as s:
        installation = s.get(Setting, "installation_id").value
    path = export_bundle(db, None, tmp_path / "sealed.zip", PASSWORD).path
    raw = h.read_members(path)[MANIFEST]
    head = json.loads(raw)
    assert set(head) == {"format", "format_version", "schema_revision", "encryption", "payload"}
    assert installation.encode() not in raw and b"counts" not in raw and b"created_at" not in raw
    outside = read_info(path)
    assert outside.encrypted and outside.source_installation_id == "" and outside.counts == {}
    assert outside.created_at is None
    inside, changeset = load_bundle(path, PASSWORD)
    assert inside.source_installation_id == installation
    assert inside.counts == changeset.counts() and inside.clients == 1
    assert inside.created_at is not None


def test_plain_manifest_still_says_everything(db, tmp_path):
    h.populate(db)
    head = json.loads(h.read_members(export_bundle(db, None, tmp_path / "plain.zip").path)[MANIFEST])
    assert {"app_version", "created_at", "source_installation_id", "counts"} <= set(head)
