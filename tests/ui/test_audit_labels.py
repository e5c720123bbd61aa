"""Issue 17 (last trial): «История изменений» and `audit CLIENT` name what changed as a person reads it — a
document's void and signed-copy lines name the act by its printed number («Акт АУ-1/2026 · аннулирован», not
«Документ · аннулирован»), and a field cleared reads old → new («01.12.2026 → —»), in the CLI and the card's
model alike."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from app.persistence.db import open_database
from app.persistence.models import Document, WorkLogEntry
from app.team.audit import client_history_lines
from ui.models.team import AuditHistoryModel

INN = "7707083893"


def _today() -> str:
    """Today as the audit prints it, read when the test runs (a suite may cross midnight)."""
    return date.today().strftime("%d.%m.%Y")


def _model_rows(lines) -> list[tuple]:
    model = AuditHistoryModel()
    model.set_rows(lines)
    return [tuple(model.index(row, col).data() for col in range(2, 6)) for row in range(model.rowCount())]


def test_a_void_and_a_returned_copy_name_the_act(cli, sqlite_path, qtmodeltester):
    assert cli("team", "profile", "--name", "Иванова А. П.")[0] == 0
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    assert cli("log", "add", INN, "--kind", "conference", "--date", "2026-03-02", "--minutes", "60")[0] == 0
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.unit() as s:  # an act billing the entry, as the act service issues it
            entry = s.scalar(select(WorkLogEntry))
            act = Document(client_id=entry.client_id, kind="act", year=2026, number=41, issued_on=date(2026, 3, 31),
                           total=1500, content=json.dumps({"entries": [entry.uuid]}))
            s.add(act)
            s.flush()
            entry.billed_by_document_id = act.id
    finally:
        db.dispose()
    from app.services.documents import void_document
    from app.services.documents.register import set_signed_returned

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.read() as s:
            act_id = s.scalar(select(Document.id))
        set_signed_returned(db, act_id, date(2026, 4, 2))
        set_signed_returned(db, act_id, None)
        void_document(db, act_id, "ошибка в периоде")
        lines = client_history_lines(db, INN)
    finally:
        db.dispose()
    status, out, err = cli("audit", INN)
    assert (status, err) == (0, "")
    shown = [line.split("\t", 2)[2] for line in out.splitlines()]
    today = _today()
    assert shown[:5] == [
        # the void unbills the act's work: each entry says so in the words its billing line used
        "изменено\tЖурнал работ · выставлено актом (02.03.2026, Конференция)\tАУ-41/2026 → —",
        "изменено\tАкт АУ-41/2026 · причина аннулирования\t— → ошибка в периоде",
        f"изменено\tАкт АУ-41/2026 · аннулирован\t— → {today}",
        "изменено\tАкт АУ-41/2026 · подписанный экземпляр возвращён\t02.04.2026 → —",
        "изменено\tАкт АУ-41/2026 · подписанный экземпляр возвращён\t— → 02.04.2026",
    ]
    assert not any("Документ" in line for line in shown), shown
    assert "изменено\tЖурнал работ · выставлено актом (02.03.2026, Конференция)\t— → АУ-41/2026" in shown
    assert _model_rows(lines)[2:4] == [
        ("изменено", "Акт АУ-41/2026 · аннулирован", "—", today),
        ("изменено", "Акт АУ-41/2026 · подписанный экземпляр возвращён", "02.04.2026", "—"),
    ]
    model = AuditHistoryModel()
    model.set_rows(lines)
    qtmodeltester.check(model)


def test_a_lesson_undone_reads_old_to_new(cli):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    code = json.loads(cli("lessons", "show", INN, "--json")[1])[0]["code"]
    assert cli("lessons", "done", INN, code)[0] == 0
    assert cli("lessons", "undo", INN, code)[0] == 0
    status, out, _err = cli("audit", INN)
    assert status == 0
    shown = [line.split("\t", 2)[2] for line in out.splitlines()][:2]
    today = _today()
    assert shown == [f"изменено\tУроки · дата выполнения ({code})\t{today} → —",
                     f"изменено\tУроки · выполнено ({code})\tда → нет"]
