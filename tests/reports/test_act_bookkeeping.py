"""Issuing an act marks its entries with one UPDATE and writes their audit lines itself (issue 15, the acts
figure): the marks, the audit trail and the refusals stay what the per-object flush gave."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import UserError
from app.persistence.models import AuditEntry, Client, Document, WorkLogEntry
from app.reports import printing
from app.services import documents as docs
from app.services import worklog
from tests.reports.helpers import ACT_DAY, MARCH, build_world, pdf_text

STALE = "Часть работ акта тем временем выставлена или изменена"


def _draft(db, client_id):
    return docs.prepare_act(db, client_id, *MARCH, on=ACT_DAY)


def test_each_billed_entry_gets_the_mark_the_stamp_and_one_audit_line(db):
    world = build_world(db)
    draft = _draft(db, world.client_id)
    issued = printing.issue(db, draft)
    with db.read() as s:
        act_uuid = s.get(Document, issued.id).uuid
        client_uuid = s.get(Client, world.client_id).uuid
        entries = s.execute(select(WorkLogEntry.uuid, WorkLogEntry.billed_by_document_id, WorkLogEntry.updated_by)
                            .where(WorkLogEntry.id.in_(draft.entry_ids))).all()
        lines = s.execute(select(AuditEntry.record_uuid, AuditEntry.table_name, AuditEntry.action,
                                 AuditEntry.old_value, AuditEntry.new_value, AuditEntry.client_uuid, AuditEntry.author)
                          .where(AuditEntry.field == "billed_by_document_id")).all()
        inserted = s.execute(select(AuditEntry.action, AuditEntry.new_value, AuditEntry.client_uuid)
                             .where(AuditEntry.table_name == "document")).all()
    assert len(entries) == len(draft.entry_ids) == 3
    assert {e.billed_by_document_id for e in entries} == {issued.id}
    author = entries[0].updated_by
    assert author and {e.updated_by for e in entries} == {author}  # stamped as the flush stamped it
    assert sorted(line.record_uuid for line in lines) == sorted(e.uuid for e in entries)
    assert {tuple(line)[1:] for line in lines} == {("work_log", "update", None, act_uuid, client_uuid, author)}
    assert [tuple(line) for line in inserted] == [("insert", "act 1/2026", client_uuid)]


def test_an_entry_billed_meanwhile_refuses_the_second_draft_and_registers_nothing(db):
    world = build_world(db)
    first, second = _draft(db, world.client_id), _draft(db, world.client_id)
    printing.issue(db, first)
    with pytest.raises(UserError, match=STALE):
        printing.issue(db, second)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.field == "billed_by_document_id")) == 3


def test_an_entry_deleted_meanwhile_refuses_the_act_and_leaves_every_entry_unbilled(db):
    world = build_world(db)
    draft = _draft(db, world.client_id)
    worklog.delete_entries(db, [draft.entry_ids[0]])
    with pytest.raises(UserError, match=STALE):
        printing.issue(db, draft)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0
        assert s.scalar(select(func.count()).select_from(WorkLogEntry)
                        .where(WorkLogEntry.billed_by_document_id.is_not(None))) == 0


def test_an_act_prepared_and_issued_in_one_transaction_is_the_act_of_prepare_then_issue(db, tmp_path):
    """printing.issue_act (the month's batch): the same snapshot, PDF, marks and audit lines as prepare_act +
    issue; a refusal of the preparation writes nothing and no file."""
    from app.persistence.models import AuditEntry as Audit
    from app.reports.printing import issue_act

    world = build_world(db)
    twin = docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)
    named = []
    issued = issue_act(db, world.client_id, *MARCH, on=ACT_DAY,
                       before_commit=lambda draft, pdf: named.append((draft.file_name(), pdf)))
    assert issued.code == twin.code == "АУ-1/2026" and named == [(twin.file_name(), issued.pdf)]
    assert docs.stored_content(db, issued.code) == {**twin.content, "number": 1, "code": "АУ-1/2026"}
    assert issued.pdf == printing.render_draft(twin)
    with db.read() as s:
        billed = s.scalars(select(WorkLogEntry.billed_by_document_id).where(WorkLogEntry.id.in_(twin.entry_ids)))
        assert set(billed) == {issued.id}
        assert s.scalar(select(func.count()).select_from(Audit).where(Audit.field == "billed_by_document_id")) == 3
    with pytest.raises(docs.NothingToBill):
        issue_act(db, world.client_id, *MARCH, on=ACT_DAY, before_commit=lambda draft, pdf: named.append(draft))
    assert len(named) == 1
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1


def test_the_month_batch_names_each_file_after_the_act_it_holds(db, tmp_path):
    from app.reports.batch import issue_month_acts

    build_world(db)
    batch = issue_month_acts(db, "2026-03", tmp_path / "acts", on=ACT_DAY)
    [line] = [line for line in batch.lines if line.outcome == "issued"]
    assert line.code == "АУ-1/2026" and line.path is not None and line.path.is_file()
    assert line.path.name.startswith("АУ-1-2026") and sorted(p.name for p in (tmp_path / "acts").iterdir()) == [
        line.path.name]  # no temporary file left behind
    assert pdf_text(line.path.read_bytes()).count("АУ-1/2026") >= 1
