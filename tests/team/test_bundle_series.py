"""A bundle swapped between two laptops of one team keeps the team's numbering (issue 17, trial of 05:15).

Within a team every document is numbered from the server's blocks in one series (''): a bundle from a team's
computer keeps '' as '' on a team's computer — never «(установка …)» of the laptop that carried it — and never
changes a fixed column of a document that exists here (the server keeps them fixed: app/team/server.py
vn_document_kept). Before the fix the importer's own acts came back with the exporter's series, reported as
«изменено: серия нумерации», and every later sync was refused by the server's trigger."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.models import Document
from app.sync.service import sync_once
from tests.exchange.test_shared_marks_bundles import bill, code

pytestmark = pytest.mark.postgres


def _carry(src, dst, path):
    export_bundle(src, None, path)
    return import_bundle(dst, path, backup=False).report


def _series(db, act: str) -> str:
    with db.read() as s:
        return s.scalar(select(Document.series).where(Document.uuid == act))


def test_own_acts_back_from_a_team_mates_bundle_keep_their_series_and_the_sync_goes_on(server, entry_pair,
                                                                                        tmp_path):
    a, b, _ann, _boss = entry_pair
    act = bill(a)  # «BB» issues an act and syncs it; «B2» gets it
    sync_once(a)
    sync_once(b)
    number = code(a, act)
    assert "установка" not in number and code(b, act) == number

    report = _carry(b, a, tmp_path / "b2.zip")  # B2's file back on BB
    assert not [label for label, fields in report.changed if "series" in fields]
    assert not report.conflicts
    assert _series(a, act) == ""
    assert code(a, act) == number
    sync_once(a)  # refused for ever before: «Командный сервер хранит выданный документ …»
    sync_once(b)
    assert [_series(db, act) for db in (server, a, b)] == ["", "", ""]


def test_an_act_carried_by_bundle_reaches_the_server_in_the_team_series(server, entry_pair, tmp_path):
    a, b, _ann, _boss = entry_pair
    act = bill(b)  # «B3» issues an act offline and hands «M» a USB stick; M reaches the server first
    number = code(b, act)
    _carry(b, a, tmp_path / "b3.zip")
    assert _series(a, act) == "" and code(a, act) == number
    sync_once(a)
    assert _series(server, act) == ""  # was B3's installation id: «АУ-122/2026 (установка 3599)» everywhere
    sync_once(b)
    sync_once(a)
    assert [code(db, act) for db in (server, a, b)] == [number] * 3
    assert "установка" not in number


def test_a_bundle_never_changes_a_fixed_column_of_a_document_here(server, entry_pair, tmp_path):
    """What the server keeps fixed, a bundle keeps fixed: a file whose copy of our act says another number and
    series (made by an older program, or by hand) leaves ours as issued, and the sync goes on."""
    import hashlib
    import json

    from app.exchange.bundle import MANIFEST, PAYLOAD
    from tests.exchange.helpers import read_members, write_members

    a, b, _ann, _boss = entry_pair
    act = bill(a)
    sync_once(a)
    sync_once(b)
    number = code(a, act)
    path = tmp_path / "b2.zip"
    export_bundle(b, None, path)
    members = read_members(path)
    data = json.loads(members[PAYLOAD])
    row = next(r for r in data["tables"]["document"] if r["uuid"] == act)
    row["values"].update(series="0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", number=row["values"]["number"] + 70,
                         total="1.00")
    members[PAYLOAD] = json.dumps(data).encode()
    head = json.loads(members[MANIFEST])
    head["payload_sha256"] = hashlib.sha256(members[PAYLOAD]).hexdigest()
    members[MANIFEST] = json.dumps(head).encode()
    write_members(path, members)
    report = import_bundle(a, path, backup=False).report
    assert not [label for label, fields in report.changed if {"series", "number", "total"} & set(fields)]
    assert code(a, act) == number and _series(a, act) == ""
    sync_once(a)
    assert code(server, act) == number
