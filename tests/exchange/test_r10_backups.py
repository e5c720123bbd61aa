"""Tester L's backups: a restore that says what it would undo (and asks --yes), the daily backup of the commands,
the unfinished files of killed writers, the refusal of a cut backup, a voided act's signed copy."""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path

from app.exchange import backup as bk
from app.persistence.db import open_database
from app.persistence.models import Setting, SyncOutbox
from tests.exchange import helpers as h

EXECUTOR = ("executor", "set", "--company", "ООО «Исп»", "--inn", "500100732259", "--address", "Москва", "--city",
            "Москва", "--specialist-name", "Н А С", "--specialist-position", "Спец")


def _ok(cli, *argv: str) -> str:
    status, out, err = cli(*argv)
    assert status == 0, err
    return out


def _names(cli) -> list[str]:
    return [c["name"] for c in json.loads(_ok(cli, "clients", "list", "--json"))]


# ------------------------------------------------------------------ restore: what it would undo


def test_restore_names_what_it_would_undo_and_needs_yes(cli, tmp_path):
    _ok(cli, *EXECUTOR)
    _ok(cli, "clients", "add", "--name", "ООО «Ромашка»", "--inn", h.INN_A, "--approach", "remote", "--kpp", "770701001")
    _ok(cli, "backup", "-o", str(tmp_path / "bk1.sqlite3"))
    _ok(cli, "log", "add", h.INN_A, "--kind", "conference", "--date", "2026-11-25", "--minutes", "60",
        "--note", "после копии")
    _ok(cli, "report", "act", h.INN_A, "--from", "2026-11-01", "--to", "2026-11-30", "--date", "2026-11-30",
        "-o", str(tmp_path / "act.pdf"))
    _ok(cli, "clients", "add", "--name", "ООО «Лютик»", "--inn", h.INN_B, "--approach", "onsite")

    status, out, err = cli("restore", str(tmp_path / "bk1.sqlite3"))
    assert status == 2 and out == ""
    assert "Ничего не восстановлено" in err and "Копия bk1.sqlite3: последнее изменение в ней — " in err
    assert "заказчики (1): ООО «Лютик»" in err
    assert "документы (1): АУ-1/2026" in err
    assert "записи журнала работ (1): ООО «Ромашка» (25.11.2026)" in err
    assert "--yes" in err
    assert _names(cli) == ["ООО «Лютик»", "ООО «Ромашка»"]  # nothing changed

    status, out, err = cli("restore", "--yes", str(tmp_path / "bk1.sqlite3"))
    assert status == 0, err
    assert "Заменено то, чего в копии не было" in out and "ООО «Лютик»" in out and "_pre-restore.sqlite3" in out
    assert _names(cli) == ["ООО «Ромашка»"]


def test_restore_that_undoes_nothing_needs_no_yes_and_gives_the_backups_date(cli, sqlite_path):
    _ok(cli, "clients", "add", "--name", "ООО «Ромашка»", "--inn", h.INN_A, "--approach", "remote")
    made = _ok(cli, "backup").split(": ", 1)[1].strip()
    status, out, err = cli("restore", made)
    assert status == 0, err
    assert f"Копия {Path(made).name} сделана " in out and "В текущих данных не было ничего, чего нет в ней." in out


def test_restore_on_a_team_laptop_counts_only_what_was_not_sent(sqlite_db, tmp_path):
    from app.exchange.restore import preview_restore, restore_backup
    from app.sync.status import URL_KEY

    h.populate(sqlite_db)
    with sqlite_db.unit() as s:
        s.add(Setting(key=URL_KEY, value="postgresql+psycopg://team@server/vnedrenie"))
    saved = bk.make_backup(sqlite_db, "manual", target=tmp_path / "saved.sqlite3").path
    h.populate(sqlite_db, h.INN_B, "ООО «Отправленный»")
    with sqlite_db.unit() as s:  # as a sync leaves it: sent, so no longer in the outbox
        s.query(SyncOutbox).delete()
    h.populate(sqlite_db, h.INN_C, "ООО «Неотправленный»")
    loss = preview_restore(sqlite_db, saved)
    assert loss.team and loss.clients == ["ООО «Неотправленный»"]
    text = "\n".join(loss.lines())
    assert "Ещё не отправлено на сервер" in text and "Отправленный»" not in text
    before = h.full_dump(sqlite_db)
    try:
        restore_backup(sqlite_db, saved, allow_loss=False)
    except Exception as exc:
        assert "Неотправленный" in exc.full_text()  # type: ignore[attr-defined]
    else:
        raise AssertionError("restored without --yes")
    assert h.full_dump(sqlite_db) == before


def test_window_restore_shows_what_would_be_undone_in_its_question(qtbot, monkeypatch, sqlite_db, tmp_path):
    from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

    from ui.dialogs.data import actions as data_actions
    from ui.ops import Ops

    parent = QWidget()
    qtbot.addWidget(parent)
    h.populate(sqlite_db)
    saved = bk.make_backup(sqlite_db, "manual", target=tmp_path / "saved.sqlite3").path
    h.populate(sqlite_db, h.INN_B, "ООО «Лишний»")
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    monkeypatch.setattr(data_actions, "_confirm", lambda parent, text, informative="", **k: asked.append(
        text + "\n" + informative) and False)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    assert data_actions.restore_backup(parent, Ops(sqlite_db, parent)) is None
    (question,) = asked
    assert "Копия saved.sqlite3" in question and "заказчики (1): ООО «Лишний»" in question
    assert "документы (1): АУ-" in question and "записи журнала работ (2): ООО «Лишний»" in question


# ------------------------------------------------------------------ a cut backup


def test_restore_of_a_cut_file_says_damaged_once_and_what_to_do(cli, sqlite_path, tmp_path):
    _ok(cli, "clients", "add", "--name", "ООО «Ромашка»", "--inn", h.INN_A, "--approach", "remote")
    good = tmp_path / "good.sqlite3"
    _ok(cli, "backup", "-o", str(good))
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    status, _out, err = cli("restore", str(cut))
    assert status == 2
    assert err.count("повреждён") == 1 and "выберите другую копию" in err, err


# ------------------------------------------------------------------ the daily backup of the commands


def test_first_command_of_the_day_makes_the_daily_backup_and_keeps_json_clean(cli, sqlite_path):
    _ok(cli, "clients", "add", "--name", "ООО «Ромашка»", "--inn", h.INN_A, "--approach", "remote")
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        assert not [b for b in bk.list_backups(db) if b.reason == "daily"]
        status, out, err = cli("clients", "list", "--json")
        assert (status, err) == (0, "") and json.loads(out)[0]["name"] == "ООО «Ромашка»"
        daily = [b for b in bk.list_backups(db) if b.reason == "daily"]
        assert len(daily) == 1 and daily[0].day == date.today()
        _ok(cli, "clients", "list")
        assert len([b for b in bk.list_backups(db) if b.reason == "daily"]) == 1  # once a day
    finally:
        db.dispose()


# ------------------------------------------------------------------ unfinished files of killed writers


def _leftover(folder: Path, name: str, age_s: float = 300) -> Path:
    path = folder / name
    path.write_bytes(b"personal data")
    then = time.time() - age_s
    os.utime(path, (then, then))
    return path


def test_backup_and_export_remove_what_killed_writers_of_that_target_left(cli, tmp_path):
    _ok(cli, "clients", "add", "--name", "ООО «Ромашка»", "--inn", h.INN_A, "--approach", "remote")
    out_dir = tmp_path / "stick"
    out_dir.mkdir()
    killed_backup = _leftover(out_dir, "bk.sqlite3.wutlspke.part")
    killed_export = _leftover(out_dir, ".ex.zip.o64970jd.part")
    fresh = _leftover(out_dir, ".ex.zip.abcdefgh.part", age_s=5)  # perhaps a writer at work: left
    other = _leftover(out_dir, ".other.zip.o64970jd.part")  # another target's: left
    mine = _leftover(out_dir, "notes.part")  # not a name the program gives: left

    status, out, err = cli("backup", "-o", str(out_dir / "bk.sqlite3"))
    assert status == 0 and not killed_backup.exists()
    assert f"Удалён незаконченный файл прерванной ранее записи: {killed_backup}" in err  # on stderr, as every command
    status, out, err = cli("export", "--all", "-o", str(out_dir / "ex.zip"))
    assert status == 0 and not killed_export.exists() and str(killed_export) in err and "Удалён" not in out
    assert fresh.exists() and other.exists() and mine.exists()


def test_a_leftover_another_writer_holds_is_left_alone(tmp_path):
    from app.part_files import make_part, remove_stale_parts

    target = tmp_path / "ex.zip"
    fd, part = make_part(target)
    try:
        then = time.time() - 300
        os.utime(part, (then, then))
        assert remove_stale_parts(target) == [] and part.exists()
    finally:
        os.close(fd)
    assert remove_stale_parts(target) == [part] and not part.exists()


# ------------------------------------------------------------------ a voided act's signed copy


def test_a_voided_act_is_not_listed_as_missing_its_signed_copy(cli, tmp_path):
    _ok(cli, *EXECUTOR)
    _ok(cli, "clients", "add", "--name", "ИП Иванов", "--inn", "500100732259", "--approach", "remote")
    _ok(cli, "log", "add", "1", "--kind", "conference", "--date", "2026-10-05", "--minutes", "55")
    _ok(cli, "log", "add", "1", "--kind", "conference", "--date", "2026-10-06", "--minutes", "55")
    _ok(cli, "report", "act", "1", "--from", "2026-10-01", "--to", "2026-10-05", "--date", "2026-10-31",
        "-o", str(tmp_path / "a1.pdf"))
    _ok(cli, "report", "act", "1", "--from", "2026-10-06", "--to", "2026-10-06", "--date", "2026-10-31",
        "-o", str(tmp_path / "a2.pdf"))
    _ok(cli, "documents", "void", "АУ-1/2026", "--reason", "Ошибка")
    lines = {line.split()[0]: line for line in _ok(cli, "documents", "list").splitlines()}
    assert "не возвращён" not in lines["АУ-1/2026"] and "аннулирован: Ошибка" in lines["АУ-1/2026"]
    assert "подписанный экземпляр не возвращён" in lines["АУ-2/2026"]


def test_register_filter_of_missing_signed_copies_leaves_out_voided_and_unsigned_kinds(qtmodeltester):
    from decimal import Decimal

    from app.services.documents.register import DocumentRow
    from ui.models.documents import DocumentFilterProxy, DocumentTableModel

    def row(n: int, kind: str, voided: date | None = None) -> DocumentRow:
        return DocumentRow(id=n, kind=kind, year=2026, number=n, code=f"X-{n}", client_id=1, client_name="ООО",
                           client_inn=h.INN_A, issued_on=date(2026, 3, 1), stage=None, period_from=None,
                           period_to=None, total=Decimal("1.00"), signed_returned_on=None, voided_on=voided)

    model = DocumentTableModel()
    proxy = DocumentFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows([row(1, "act"), row(2, "act", date(2026, 3, 5)), row(3, "estimate")])
    qtmodeltester.check(proxy)
    proxy.set_only_missing(True)
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["X-1"]
    returned = [model.index(r, DocumentTableModel.COL_RETURNED).data() for r in range(3)]
    assert returned[0] == "ещё нет" and returned[2] == ""
