"""Export/import bundles: manifest, changeset layout, merge (by versions, report), encryption, refusals."""

from __future__ import annotations

import json
import os
import stat
import time
import zipfile
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.errors import UserError
from app.exchange.apply import apply
from app.exchange.bundle import MANIFEST, PAYLOAD, PAYLOAD_ENC
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.exchange.bundle_read import load_bundle, read_info
from app.exchange.changeset import Changeset
from app.exchange.record_titles import FIELD_TITLES
from app.exchange.row_change import RowChange
from app.exchange.table_specs import table_specs
from app.persistence.migrate import head_revision
from app.persistence.models import Client, Contact, Document, Employee, Setting, WorkLogEntry
from app.reports import printing
from app.services import documents as docs
from app.services.clients import get_client, update_client
from tests.exchange import helpers as h

PASSWORD = "верный-пароль-1"


def test_manifest_and_changeset_layout(db, tmp_path):
    cid = h.populate(db)
    info = export_bundle(db, [str(cid)], tmp_path / "one.zip")
    members = h.read_members(tmp_path / "one.zip")
    assert set(members) == {MANIFEST, PAYLOAD}
    manifest = json.loads(members[MANIFEST])
    with db.read() as s:
        installation = s.get(Setting, "installation_id").value
        client_uuid = s.get(Client, cid).uuid
    assert manifest["format_version"] == 2  # 2: merged by versions (docs/sync.md «Bundles»)
    assert manifest["exchange_version"] == 1  # this installation's first export
    assert manifest["app_version"] == "0.1.0"
    assert manifest["schema_revision"] == head_revision()
    assert manifest["source_installation_id"] == installation
    datetime.fromisoformat(manifest["created_at"])
    assert manifest["counts"] == {"client": 1, "checklist_state": 2, "contact": 1, "document": 1, "employee": 2,
                                  "estimate": 1, "lesson_progress": 2, "work_log": 2}
    tables = json.loads(members[PAYLOAD])["tables"]
    client = tables["client"][0]
    assert (client["op"], client["uuid"]) == ("upsert", client_uuid)
    assert client["values"]["inn"] == h.INN_A and "id" not in client["values"]
    datetime.fromisoformat(client["updated_at"])
    work = {r["values"]["kind"]: r["values"] for r in tables["work_log"]}
    assert work["transfer"]["amount"] == "8400.11" and work["transfer"]["client_uuid"] == client_uuid
    assert work["conference"]["minutes"] == 95
    assert info.clients == 1 and not info.encrypted
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "one.zip").stat().st_mode) == 0o600


def test_export_of_some_clients_carries_only_their_records(db, tmp_path):
    a = h.populate(db, h.INN_A, "ООО «А»")
    h.populate(db, h.INN_B, "ООО «Б»")
    export_bundle(db, [h.INN_A], tmp_path / "a.zip")
    _info, changeset = load_bundle(tmp_path / "a.zip")
    assert [r.values["name"] for r in changeset.rows("client")] == ["ООО «А»"]
    with db.read() as s:
        a_uuid = s.get(Client, a).uuid
    assert {r.values["client_uuid"] for r in changeset.rows("work_log")} == {a_uuid}


def test_round_trip_into_an_empty_installation_is_identical(db, other_db, tmp_path):
    h.populate(db, h.INN_A)
    h.populate(db, h.INN_B, "ООО «Б»")
    export_bundle(db, None, tmp_path / "all.zip")
    result = import_bundle(other_db, tmp_path / "all.zip")
    assert result.report.total_added == 2 + 2 * 11
    assert result.report.overwritten == [] and result.report.kept_local == []

    def rows(database):
        out = {}
        with database.read() as s:
            for model in (Client, Contact, Employee, WorkLogEntry, Document):
                data = []
                for row in s.scalars(select(model)):
                    values = {c.name: getattr(row, c.key) for c in model.__table__.columns
                              if c.name not in ("id", "client_id", "series")}
                    data.append(sorted(values.items(), key=lambda kv: kv[0]))
                out[model.__name__] = sorted(map(repr, data))
        return out

    assert rows(other_db) == rows(db)
    with db.read() as s:  # the laptop's own documents keep their numbers in the laptop's series
        laptop_id = s.get(Setting, "installation_id").value
    with other_db.read() as s:
        assert set(s.scalars(select(Document.series))) == {laptop_id}
    # the same file again changes nothing
    again = import_bundle(other_db, tmp_path / "all.zip")
    assert again.report.total_added == 0 and again.report.unchanged == 24 and again.report.overwritten == []


def test_merge_by_versions_keeps_both_sides_edits_and_the_report_lists_what_came_from_the_file(db, other_db, tmp_path):
    """Was «newer updated_at wins» (the laptop's later row overwrote the office's rename); now the merge is
    field by field against the version both last had (docs/sync.md «Bundles»)."""
    cid = h.populate(db)
    export_bundle(db, None, tmp_path / "v1.zip")
    import_bundle(other_db, tmp_path / "v1.zip")
    other_id = get_client(other_db, h.INN_A).id

    # the office (other_db) renames the client; later the laptop (db) edits the contact's phone and the notes
    data = get_client(other_db, other_id).data
    data.name = "ООО «Ромашка-Офис»"
    update_client(other_db, other_id, data)
    time.sleep(0.01)
    laptop = get_client(db, cid).data
    laptop.contacts[0].phone = "+7 900 111-11-11"
    laptop.notes = "с ноутбука"
    update_client(db, cid, laptop)
    # and something new on the laptop
    with db.unit() as s:
        s.add(WorkLogEntry(client_id=cid, on_date=datetime(2024, 8, 1).date(), kind="questions", minutes=30))

    export_bundle(db, None, tmp_path / "v2.zip")
    result = import_bundle(other_db, tmp_path / "v2.zip")
    report = result.report
    assert report.added["work_log"] == 1
    changed = {(label.split(" ")[0], fields) for label, fields in report.changed}
    assert ("Заказчик", ("notes",)) in changed and ("Контакт", ("phone",)) in changed
    assert report.conflicts == [] and report.overwritten == [] and report.kept_local == []
    merged = get_client(other_db, other_id).data
    assert merged.name == "ООО «Ромашка-Офис»" and merged.notes == "с ноутбука"  # the rename survives
    assert merged.contacts[0].phone == "+7 900 111-11-11"
    text = "\n".join(report.lines())
    assert "Изменено на другом компьютере" in text and "телефон" in text

    # the other way round: the laptop keeps its newer city and takes the office's rename
    export_bundle(other_db, None, tmp_path / "office.zip")
    data = get_client(db, cid).data
    data.city = "Казань"
    update_client(db, cid, data)
    back = import_bundle(db, tmp_path / "office.zip").report
    assert [fields for _label, fields in back.changed] == [("name",)]
    assert get_client(db, cid).data.city == "Казань"
    assert get_client(db, cid).data.name == "ООО «Ромашка-Офис»"
    assert back.conflicts == []


def test_same_client_made_on_both_sides_is_matched_by_inn(db, other_db, tmp_path):
    h.populate(db)
    h.populate(other_db)  # same ИНН, different UUIDs everywhere
    with other_db.unit() as s:  # (a different document number, so only the client rows meet)
        s.scalar(select(Document)).number = 1
    export_bundle(db, None, tmp_path / "a.zip")
    report = import_bundle(other_db, tmp_path / "a.zip").report
    assert len(report.matched) == 1 and "7707083893" in report.matched[0]
    with other_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Client)) == 1
        # checklist rows and lesson rows are one per client and code: merged, not duplicated
        assert s.scalar(select(func.count()).select_from(WorkLogEntry)) == 4
    assert report.added["contact"] == 1 and report.added["checklist_state"] == 0


def _issue_progress(database, client_id: int, day: int) -> str:
    draft = docs.prepare_progress(database, client_id, on=date(2026, 3, day))
    return printing.issue(database, draft).code


def _installation(database) -> str:
    with database.read() as s:
        return s.get(Setting, "installation_id").value


def test_documents_numbered_on_two_installations_merge_and_numbering_continues_locally(db, other_db, tmp_path):
    """The laptop and the office each printed ОВ-1/2026: the bundle merges, each keeps its own series."""
    from tests.reports.helpers import EXECUTOR, add_remote_client

    docs.set_executor(db, EXECUTOR)
    docs.set_executor(other_db, EXECUTOR)
    laptop_client = add_remote_client(db)
    office_client = add_remote_client(other_db, "ООО «Офисное»", h.INN_B)
    assert [_issue_progress(db, laptop_client, d) for d in (10, 11)] == ["ОВ-1/2026", "ОВ-2/2026"]
    assert _issue_progress(other_db, office_client, 12) == "ОВ-1/2026"
    laptop, office = _installation(db), _installation(other_db)

    export_bundle(db, None, tmp_path / "laptop.zip")
    report = import_bundle(other_db, tmp_path / "laptop.zip").report
    assert report.added["document"] == 2 and report.overwritten == []
    codes = {r.code: r.client_name for r in docs.list_documents(other_db)}
    assert codes == {"ОВ-1/2026": "ООО «Офисное»", f"ОВ-1/2026 (установка {laptop[:4]})": "ООО «Ромашка»",
                     f"ОВ-2/2026 (установка {laptop[:4]})": "ООО «Ромашка»"}
    # the short code means this installation's document; the suffixed one the laptop's
    assert docs.find_document(other_db, "ОВ-1/2026").client_name == "ООО «Офисное»"
    assert docs.find_document(other_db, f"ОВ-1/2026 (установка {laptop[:4]})").client_name == "ООО «Ромашка»"
    # the office's numbering ignores the laptop's series (else it would be ОВ-3, or clash on ОВ-2)
    assert _issue_progress(other_db, office_client, 13) == "ОВ-2/2026"

    # back to the laptop: its own documents return to series '' unchanged, the office's get the office's series
    export_bundle(other_db, None, tmp_path / "office.zip")
    back = import_bundle(db, tmp_path / "office.zip").report
    assert back.added["document"] == 2 and back.overwritten == [] and back.kept_local == []
    with db.read() as s:
        series = sorted((d.series, d.number) for d in s.scalars(select(Document)))
    assert series == [("", 1), ("", 2), (office, 1), (office, 2)]
    assert _issue_progress(db, laptop_client, 14) == "ОВ-3/2026"
    assert sorted(r.code for r in docs.list_documents(db)) == [
        "ОВ-1/2026", f"ОВ-1/2026 (установка {office[:4]})", "ОВ-2/2026", f"ОВ-2/2026 (установка {office[:4]})",
        "ОВ-3/2026"]


def test_document_labels_and_field_titles_in_the_conflict_report(db, other_db, tmp_path):
    from tests.reports.helpers import EXECUTOR, add_remote_client

    docs.set_executor(db, EXECUTOR)
    cid = add_remote_client(db)
    code = _issue_progress(db, cid, 10)
    export_bundle(db, None, tmp_path / "v1.zip")
    import_bundle(other_db, tmp_path / "v1.zip")
    time.sleep(0.01)
    with other_db.unit() as s:  # the office marks the signed copy as returned
        s.scalar(select(Document)).signed_returned_on = date(2026, 3, 20)
        s.scalar(select(Client)).stage_since = datetime(2026, 3, 1, 9, 0)
    export_bundle(other_db, None, tmp_path / "office.zip")
    text = "\n".join(import_bundle(db, tmp_path / "office.zip").report.lines())
    assert f"Отчёт о ходе внедрения {code}" in text and "progress" not in text
    assert "signed_returned_on" not in text and "stage_since" not in text
    for spec in table_specs():  # every column a conflict can name has a readable title
        missing = [c.name for c in spec.columns if c.name not in FIELD_TITLES]
        assert missing == [], spec.name


def test_a_real_document_number_clash_is_still_refused(db, tmp_path):
    """The same series, kind, year and number under another UUID: refused, nothing changes."""
    h.populate(db)
    with db.read() as s:
        doc = s.scalar(select(Document))
        client_uuid = s.get(Client, doc.client_id).uuid
        local = s.get(Setting, "installation_id").value
        row = {"op": "upsert", "uuid": "55555555-5555-4555-8555-555555555555", "updated_at": "2024-08-01T10:00:00",
               "values": {"client_uuid": client_uuid, "kind": doc.kind, "year": doc.year, "number": doc.number,
                          "issued_on": "2024-08-01", "content": "{}", "series": local}}
    path = h.plain_bundle(tmp_path / "clash.zip", {"document": [row]})
    before = h.full_dump(db)
    with pytest.raises(UserError) as err:
        import_bundle(db, path, backup=False)
    assert "Акт оказанных услуг АУ-893/2024" in err.value.message
    assert "Ничего не импортировано" in err.value.message
    assert h.full_dump(db) == before


def test_encrypted_round_trip(db, other_db, tmp_path):
    h.populate(db)
    info = export_bundle(db, None, tmp_path / "sealed.zip", password=PASSWORD)
    assert info.encrypted
    members = h.read_members(tmp_path / "sealed.zip")
    assert set(members) == {MANIFEST, PAYLOAD_ENC}
    assert "Ромашка".encode() not in members[PAYLOAD_ENC] and b"Ivanov" not in members[PAYLOAD_ENC]
    head = json.loads(members[MANIFEST])
    assert head["encryption"]["cipher"] == "AES-256-GCM" and head["encryption"]["kdf"] == "scrypt"
    assert read_info(tmp_path / "sealed.zip").encrypted
    result = import_bundle(other_db, tmp_path / "sealed.zip", PASSWORD)
    assert result.report.added["client"] == 1
    assert get_client(other_db, h.INN_A).data.contacts[0].email == "ivanov@example.ru"


def test_each_export_uses_a_fresh_salt_and_nonce(db, tmp_path):
    h.populate(db)
    a = json.loads(h.read_members(export_bundle(db, None, tmp_path / "a.zip", PASSWORD).path)[MANIFEST])
    b = json.loads(h.read_members(export_bundle(db, None, tmp_path / "b.zip", PASSWORD).path)[MANIFEST])
    assert a["encryption"]["salt"] != b["encryption"]["salt"]
    assert a["encryption"]["nonce"] != b["encryption"]["nonce"]


def _refusals(tmp_path, plain, sealed):
    """(name, path, password, needle) for every broken file the import must refuse."""
    foreign_zip = h.write_members(tmp_path / "foreign.zip", {"readme.txt": b"hello"})
    text_file = tmp_path / "notes.txt"
    text_file.write_text("Это не архив", encoding="utf-8")
    return [
        ("wrong password", sealed, "не-тот-пароль", "Неверный пароль"),
        ("no password", sealed, None, "защищён паролем"),
        ("tampered ciphertext", h.with_payload_changed(sealed, tmp_path / "t1.zip"), PASSWORD, "повреждён"),
        ("tampered header", h.with_manifest_changed(sealed, tmp_path / "t2.zip", schema_revision="0001"),
         PASSWORD, "повреждён"),
        ("tampered payload", h.with_payload_changed(plain, tmp_path / "t3.zip"), None, "повреждён"),
        ("truncated", h.truncated(plain, tmp_path / "cut.zip"), None, "повреждён"),
        ("truncated sealed", h.truncated(sealed, tmp_path / "cut2.zip"), PASSWORD, "повреждён"),
        ("foreign zip", foreign_zip, None, "не является файлом обмена"),
        ("text file", text_file, None, "не является файлом обмена"),
        ("newer format", h.with_manifest_changed(plain, tmp_path / "new.zip", format_version=99), None,
         "более новой версией"),
        ("newer schema", h.with_manifest_changed(plain, tmp_path / "rev.zip", schema_revision="9999_future"), None,
         "более новой версией"),
        ("path outside root", h.with_extra_member(plain, tmp_path / "evil.zip", "../evil.txt"), None, "вне"),
        ("absolute path", h.with_extra_member(plain, tmp_path / "abs.zip", "/etc/passwd"), None, "вне"),
        ("unexpected member", h.with_extra_member(plain, tmp_path / "extra.zip", "run.sh"), None, "неожиданное"),
        ("zip bomb", h.zip_bomb(tmp_path / "bomb.zip"), None, "бомба"),
        ("many members", h.write_members(tmp_path / "many.zip", [(f"m{i}.txt", b"x") for i in range(50)]), None,
         "слишком много"),
        ("missing file", tmp_path / "nowhere.zip", None, "не существует"),
    ]


def test_broken_files_are_refused_and_nothing_changes(db, tmp_path):
    h.populate(db)
    plain = export_bundle(db, None, tmp_path / "plain.zip").path
    sealed = export_bundle(db, None, tmp_path / "sealed.zip", PASSWORD).path
    data = get_client(db, h.INN_A).data
    data.name = "ООО «Изменено после экспорта»"
    update_client(db, get_client(db, h.INN_A).id, data)
    before = h.full_dump(db)
    for name, path, password, needle in _refusals(tmp_path, plain, sealed):
        with pytest.raises(UserError) as err:
            import_bundle(db, path, password)
        assert needle.lower() in err.value.message.lower(), (name, err.value.message)
        assert h.full_dump(db) == before, name


@pytest.mark.parametrize("row,needle", [
    (h.client_row(inn="7707083894"), "контрольн"),
    (h.client_row(approach="free"), "approach"),
    (h.client_row(stage=9), "stage"),
    (h.client_row(name="x" * 301), "name"),
    (h.client_row(name="ООО\x07Звонок"), "name"),
    (h.client_row(name="\ud800"), "name"),
    (h.client_row(contract_date="2024-02-30"), "contract_date"),
    (h.client_row(created_at="вчера"), "created_at"),
    (h.client_row(stage="один"), "stage"),
    (h.client_row(uuid="not-a-uuid"), "uuid"),
    (h.client_row(colour="red"), "colour"),
])
def test_invalid_records_are_refused(db, tmp_path, row, needle):
    path = h.plain_bundle(tmp_path / "bad.zip", {"client": [row]})
    before = h.full_dump(db)
    with pytest.raises(UserError) as err:
        import_bundle(db, path, backup=False)
    assert needle.lower() in err.value.message.lower()
    assert h.full_dump(db) == before


@pytest.mark.parametrize("row,needle", [
    (h.work_row(minutes=-5), "minutes"),
    (h.work_row(minutes=10**30), "minutes"),
    (h.work_row(minutes="сорок"), "minutes"),
    (h.work_row(amount="1e400"), "amount"),
    (h.work_row(amount="12.345"), "amount"),
    (h.work_row(kind="holiday"), "kind"),
    (h.work_row(client_uuid="44444444-4444-4444-8444-444444444444"), "ссылается"),
])
def test_invalid_child_records_are_refused(db, tmp_path, row, needle):
    path = h.plain_bundle(tmp_path / "bad.zip", {"client": [h.client_row()], "work_log": [row]})
    before = h.full_dump(db)
    with pytest.raises(UserError) as err:
        import_bundle(db, path, backup=False)
    assert needle.lower() in err.value.message.lower()
    assert h.full_dump(db) == before


def test_a_hand_made_valid_bundle_is_accepted(db, tmp_path):
    path = h.plain_bundle(tmp_path / "ok.zip", {"client": [h.client_row()], "work_log": [h.work_row()]})
    result = import_bundle(db, path, backup=False)
    assert result.report.added == {"client": 1, "work_log": 1}
    assert get_client(db, h.INN_C).data.name == "ООО «Из файла»"


def test_delete_changes_apply_only_over_older_rows(db):
    """The changeset format carries deletions for the live sync to come."""
    cid = h.populate(db)
    with db.read() as s:
        old, new = s.scalars(select(WorkLogEntry.uuid).where(WorkLogEntry.client_id == cid)
                             .order_by(WorkLogEntry.id)).all()
    changes = Changeset(tables={"work_log": [
        RowChange("work_log", "delete", old, datetime(2100, 1, 1)),
        RowChange("work_log", "delete", new, datetime(2000, 1, 1)),
    ]})
    with db.unit() as s:
        report = apply(s, changes)
    assert report.deleted["work_log"] == 1 and len(report.kept_local) == 1
    with db.read() as s:
        assert set(s.scalars(select(WorkLogEntry.uuid))) == {new}


def test_export_refusals(db, tmp_path):
    h.populate(db)
    with pytest.raises(UserError, match="не найден"):
        export_bundle(db, ["999"], tmp_path / "x.zip")
    with pytest.raises(UserError, match="короткий"):
        export_bundle(db, None, tmp_path / "x.zip", password="123")
    with pytest.raises(UserError, match="не существует"):
        export_bundle(db, None, tmp_path / "no" / "such" / "x.zip")
    with pytest.raises(UserError, match="папка"):
        export_bundle(db, None, tmp_path)
    assert not (tmp_path / "x.zip").exists()


def test_offline_guard_is_wired_for_this_database(db, request):
    """Sockets are blocked in tests; only the PostgreSQL runs may reach the local server."""
    import socket

    from pytest_socket import SocketBlockedError

    if db.is_sqlite:
        with pytest.warns(UserWarning), pytest.raises(SocketBlockedError):
            socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    else:
        assert request.node.get_closest_marker("allow_hosts").args[0] == ["127.0.0.1", "::1"]


def test_zip_members_are_never_extracted_to_disk(db, tmp_path, monkeypatch):
    h.populate(db)
    plain = export_bundle(db, None, tmp_path / "plain.zip").path
    monkeypatch.setattr(zipfile.ZipFile, "extract", lambda *a, **k: pytest.fail("extract called"))
    monkeypatch.setattr(zipfile.ZipFile, "extractall", lambda *a, **k: pytest.fail("extractall called"))
    load_bundle(plain)
