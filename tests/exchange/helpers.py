"""Test helpers: full database dumps, sample client data, hand-made and broken bundle files."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import inspect, text

from app.exchange.bundle import FORMAT, FORMAT_VERSION, MANIFEST, PAYLOAD, PAYLOAD_ENC
from app.persistence.migrate import head_revision
from app.persistence.models import Document, Estimate, WorkLogEntry
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.progress import set_checklist, set_lessons

INN_A, INN_B, INN_C = "7707083893", "7736207543", "5405467530"


def full_dump(db) -> list:
    """Every row of every table (SQLite or PostgreSQL), to compare before and after."""
    with db.engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        return [(n, sorted(repr(tuple(r)) for r in conn.execute(text(f'SELECT * FROM "{n}"')))) for n in names]


def populate(db, inn: str = INN_A, name: str = "ООО «Ромашка»") -> int:
    """One client with contacts, staff, checklist, lessons, work log, an estimate and a document."""
    cid = add_client(db, ClientInput(
        name=name, inn=inn, approach="remote", contract_no="ВН-1", contract_date=date(2024, 7, 1),
        signer_name="Петров П. П.", signer_position="Директор",
        contacts=[PersonInput(name="Иванов Иван", phone="+7 900 000-00-01", email="ivanov@example.ru")],
        employees=[PersonInput(name="Сидорова Анна", department="Склад", email="sidorova@example.ru"),
                   PersonInput(name="Кузнецов Олег", department="Производство")]))
    set_checklist(db, cid, ["s1.lessons", "s1.instruction"], True, on=date(2024, 7, 10))
    set_lessons(db, cid, ["L01", "L02"], True, on=date(2024, 7, 3))
    with db.unit() as s:
        s.add(WorkLogEntry(client_id=cid, on_date=date(2024, 7, 5), kind="conference", minutes=95, stage=1,
                           note="Склад"))
        s.add(WorkLogEntry(client_id=cid, on_date=date(2024, 7, 6), kind="transfer", amount=Decimal("8400.11")))
        s.add(Estimate(client_id=cid, approach="remote", on_date=date(2024, 7, 1),
                       conference_hours=Decimal("10.5"), total=Decimal("15750.00")))
        s.add(Document(client_id=cid, kind="act", year=2024, number=int(inn[-3:]), issued_on=date(2024, 7, 31),
                       total=Decimal("15750.00"), content='{"n": 1}'))
    return cid


# ------------------------------------------------------------------ bundle files


def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def write_members(path: Path, members: dict[str, bytes] | list[tuple[str, bytes]],
                  method: int = zipfile.ZIP_DEFLATED) -> Path:
    items = members.items() if isinstance(members, dict) else members
    with zipfile.ZipFile(path, "w", compression=method) as zf:
        for name, data in items:
            zf.writestr(name, data)
    return path


def _now_text() -> str:
    """The current UTC time as a manifest writes it (a hand-made file made just now)."""
    from datetime import UTC

    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def manifest(**overrides) -> dict:
    data = {"format": FORMAT, "format_version": FORMAT_VERSION, "app_version": "0.1.0",
            "schema_revision": head_revision(), "created_at": _now_text(),
            "source_installation_id": "11111111-1111-4111-8111-111111111111", "counts": {},
            "encryption": None, "payload": PAYLOAD}
    data.update(overrides)
    return data


def plain_bundle(path: Path, tables: dict, **manifest_overrides) -> Path:
    """A well-formed, unencrypted bundle around ``tables`` (a changeset's JSON ``tables`` object)."""
    payload = json.dumps({"tables": tables}).encode("utf-8")  # \u escapes: lone surrogates too
    head = manifest(payload_sha256=hashlib.sha256(payload).hexdigest(), **manifest_overrides)
    return write_members(path, {MANIFEST: json.dumps(head).encode(), PAYLOAD: payload})


def client_row(uuid: str = "22222222-2222-4222-8222-222222222222", updated_at: str = "2024-07-01T10:00:00.000000",
               **values) -> dict:
    row = {"name": "ООО «Из файла»", "inn": INN_C, "approach": "onsite", "stage": 0,
           "stage_since": "2024-07-01T10:00:00.000000", "created_at": "2024-07-01T10:00:00.000000"}
    row.update(values)
    return {"op": "upsert", "uuid": uuid, "updated_at": updated_at, "values": row}


def work_row(client_uuid: str = "22222222-2222-4222-8222-222222222222",
             uuid: str = "33333333-3333-4333-8333-333333333333", **values) -> dict:
    row = {"client_uuid": client_uuid, "on_date": "2024-07-02", "kind": "conference", "minutes": 60,
           "stage": 0, "note": "", "deleted": False, "created_at": "2024-07-02T10:00:00.000000"}
    row.update(values)
    return {"op": "upsert", "uuid": uuid, "updated_at": "2024-07-02T10:00:00.000000", "values": row}


def truncated(src: Path, dst: Path) -> Path:
    raw = src.read_bytes()
    dst.write_bytes(raw[: len(raw) // 2])
    return dst


def with_payload_changed(src: Path, dst: Path) -> Path:
    """Rewrite the payload (changes.json or the ciphertext) but keep the manifest: a tampered file."""
    members = read_members(src)
    if PAYLOAD in members:
        assert b'"minutes":95' in members[PAYLOAD]  # every populate() has it
        members[PAYLOAD] = members[PAYLOAD].replace(b'"minutes":95', b'"minutes":59')
    else:
        data = bytearray(members[PAYLOAD_ENC])
        data[len(data) // 2] ^= 0x01
        members[PAYLOAD_ENC] = bytes(data)
    return write_members(dst, members)


def with_manifest_changed(src: Path, dst: Path, **changes) -> Path:
    members = read_members(src)
    head = json.loads(members[MANIFEST])
    head.update(changes)
    members[MANIFEST] = json.dumps(head).encode()
    return write_members(dst, members)


def with_extra_member(src: Path, dst: Path, name: str, data: bytes = b"x") -> Path:
    members = list(read_members(src).items())
    members.append((name, data))
    return write_members(dst, members)


def zip_bomb(dst: Path, size: int = 16 * 1024 * 1024) -> Path:
    """A manifest that looks right and a payload that inflates ~1000:1."""
    head = json.dumps(manifest(payload_sha256="0" * 64)).encode()
    return write_members(dst, {MANIFEST: head, PAYLOAD: b"\x00" * size})


def encrypted_bomb(dst: Path) -> bytes:
    """The zlib stream alone (for the inner decompression limit)."""
    return zlib.compress(b"\x00" * (8 * 1024 * 1024), 9)


def stamp(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value)
