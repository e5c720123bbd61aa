"""Issue 17 (tester's findings, brief st17 point 2): `sync resolve N --keep local|server` does what it says for
every kind of conflict, or refuses (exit 2, one Russian sentence saying what to do, the conflict stays open):
a double billing cannot be resolved by keeping a value — one act is voided and the conflict closes itself; a
billed figure changes only once its act is voided; a whole record is deleted as usual, not by a choice; a
tick's or a lesson's «keep local» writes the whole group (done and the day)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.persistence.db import open_database
from app.persistence.models import Client, Document, LessonProgress, SyncConflict, WorkLogEntry
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput, add_entry
from app.sync.merge import merge3
from app.sync.service import conflicts, resolve_conflict

INN = "7707083893"
YEAR = date.today().year


@pytest.fixture
def laptop(sqlite_path):
    db = open_database(f"sqlite:///{sqlite_path}")
    add_client(db, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    add_entry(db, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=60, note="E"))
    yield db
    db.dispose()


def _client_uuid(db) -> str:
    with db.read() as s:
        return s.scalar(select(Client.uuid))


def _conflict(db, table: str, record: str, kind: str, field: str, local, server, kept: str = "server") -> int:
    with db.unit() as s:
        row = SyncConflict(table_name=table, record_uuid=record, client_uuid=_client_uuid(db), kind=kind, field=field,
                           local_value=json.dumps(local, ensure_ascii=False),
                           server_value=json.dumps(server, ensure_ascii=False), kept=kept, resolved=False)
        s.add(row)
        s.flush()
        return row.id


def _act(db, *, bills: bool) -> str:
    """An act of the entry «E» issued here («АУ-N/YYYY»); ``bills``: the entry's mark points to it."""
    from app.services.documents.register import document_code, next_number

    with db.unit() as s:
        entry = s.scalar(select(WorkLogEntry).where(WorkLogEntry.note == "E"))
        number = next_number(s, "act", YEAR)
        act = Document(client_id=entry.client_id, kind="act", year=YEAR, number=number, issued_on=date.today(),
                       content=json.dumps({"entries": [entry.uuid]}))
        s.add(act)
        s.flush()
        if bills:
            entry.billed_by_document_id = act.id
    return document_code("act", number, YEAR)


def _entry(db):
    """(uuid, minutes) of the entry «E»."""
    with db.read() as s:
        return s.execute(select(WorkLogEntry.uuid, WorkLogEntry.minutes).where(WorkLogEntry.note == "E")).one()


def _open(db) -> list[int]:
    return [c.id for c in conflicts(db)]


@pytest.mark.parametrize("keep", ["local", "server"])
def test_a_double_billing_is_refused_with_what_to_do_and_closes_itself_when_the_second_act_is_voided(
        laptop, cli, keep):
    first, second = _act(laptop, bills=True), _act(laptop, bills=False)
    number = _conflict(laptop, "work_log", _entry(laptop).uuid, "double_billing", "billed_by_document_uuid",
                       second, first)
    status, out, err = cli("sync", "resolve", str(number), "--keep", keep)
    assert (status, out) == (2, "")
    assert err == (f"Одну и ту же работу выставляют два акта, {first} и {second}, и выбором значения это не "
                   f"исправить: аннулируйте акт {second} («documents void \"{second}\" --reason …») — тогда "
                   f"конфликт закроется сам.\n")
    assert _open(laptop) == [number]  # nothing changed
    assert cli("documents", "void", second, "--reason", "выставлен дважды")[0] == 0
    assert _open(laptop) == []  # closed by the void itself
    with laptop.read() as s:  # the first act keeps the work
        assert s.scalar(select(Document.number).join(WorkLogEntry, WorkLogEntry.billed_by_document_id == Document.id)
                        ) == int(first.split("-")[1].split("/")[0])


def test_voiding_the_act_that_kept_the_work_closes_the_double_billing_too(laptop):
    from app.services.documents import void_document

    first, second = _act(laptop, bills=True), _act(laptop, bills=False)
    _conflict(laptop, "work_log", _entry(laptop).uuid, "double_billing", "billed_by_document_uuid", second, first)
    other = _conflict(laptop, "work_log", _entry(laptop).uuid, "double_billing", "billed_by_document_uuid",
                      "АУ-90/2020", "АУ-91/2020")  # another pair: stays open
    with laptop.read() as s:
        first_id = s.scalar(select(Document.id).where(Document.number == 1))
    void_document(laptop, first_id, "ошибка")
    assert _open(laptop) == [other]


def test_a_billed_figure_is_refused_while_its_act_bills_the_entry_and_written_after_the_void(laptop, cli):
    act = _act(laptop, bills=True)
    number = _conflict(laptop, "work_log", _entry(laptop).uuid, "billed_edit", "minutes", 60, 90, kept="local")
    status, _out, err = cli("sync", "resolve", str(number), "--keep", "server")
    assert status == 2 and err == (f"Запись выставлена актом {act}, в нём напечатано это значение: чтобы изменить "
                                   f"его, сначала аннулируйте акт («documents void \"{act}\" --reason …»), затем "
                                   f"выберите снова.\n")
    assert _entry(laptop).minutes == 60 and _open(laptop) == [number]
    assert cli("documents", "void", act, "--reason", "пересчёт")[0] == 0
    assert cli("sync", "resolve", str(number), "--keep", "server")[:2] == (
        0, f"Конфликт {number} закрыт: выбранное значение записано на этом ноутбуке (уйдёт при следующей "
           f"синхронизации).\n")
    assert _entry(laptop).minutes == 90 and _open(laptop) == []


@pytest.mark.parametrize(("kind", "kept", "local", "server", "refused", "closes"), [
    ("delete_edit", "local", "edited", "deleted", "server", "local"),
    ("edit_delete", "server", "deleted", "edited", "local", "server"),
    ("orphan", "local", "kept", "missing", "server", "local"),
    ("not_yours", "local", "edited", "hidden", "server", "local"),  # a client handed to another member
    ("delete_edit", "here", "edited", "deleted", "file", "local"),  # a bundle's
])
def test_a_whole_record_is_never_deleted_or_kept_by_a_choice_that_only_says_closed(laptop, cli, kind, kept, local,
                                                                                  server, refused, closes):
    number = _conflict(laptop, "work_log", _entry(laptop).uuid, kind, "", local, server, kept=kept)
    status, out, err = cli("sync", "resolve", str(number), "--keep", refused)
    assert (status, out) == (2, "") and f"«--keep {closes}»" in err and err.count("\n") == 1
    assert _open(laptop) == [number]
    assert cli("sync", "resolve", str(number), "--keep", closes)[:2] == (
        0, f"Конфликт {number} закрыт: остаётся действующее значение.\n")
    assert _entry(laptop).minutes == 60 and _open(laptop) == []


def _lesson(db, done: bool, day: date | None) -> str:
    with db.unit() as s:
        client = s.scalar(select(Client))
        row = LessonProgress(client_id=client.id, lesson_code="L1", employee_uuid="", done=done, done_on=day)
        s.add(row)
        s.flush()
        return row.uuid


def _lesson_state(db) -> tuple:
    with db.read() as s:
        row = s.scalar(select(LessonProgress))
        return row.done, row.done_on


def _group_conflict(db, table: str, record: str, base: dict, local: dict, server: dict) -> int:
    """The conflict the sync records for a group changed on both sides (merge3: the whole group of each side)."""
    from app.sync.laptop_apply import _conflicts_of

    _merged, found = merge3(table, base, local, server)
    [(kind, field, here, there, kept)] = _conflicts_of(None, found, "server")  # type: ignore[arg-type]
    return _conflict(db, table, record, kind, field, here, there, kept)


def test_keeping_the_laptops_lesson_writes_done_and_the_day(laptop, cli):
    """Marked done on 02.03 here and unmarked on the server: the conflict is on «done»; «keep local» writes the
    whole group, the day included (it wrote «done» alone, leaving no day)."""
    uuid = _lesson(laptop, False, None)  # the server's state, taken by the sync
    number = _group_conflict(laptop, "lesson_progress", uuid, {"done": True, "done_on": "2026-02-20"},
                             {"done": True, "done_on": "2026-03-02"}, {"done": False, "done_on": None})
    [line] = conflicts(laptop)
    assert (line.field, line.local_value, line.server_value) == ("done", "True", "False")  # shown as before
    assert cli("sync", "resolve", str(number), "--keep", "local")[0] == 0
    assert _lesson_state(laptop) == (True, date(2026, 3, 2))


def test_keeping_the_servers_lesson_after_a_local_win_writes_the_whole_group_back(laptop):
    uuid = _lesson(laptop, True, date(2026, 3, 2))  # a bundle kept this computer's state
    number = _group_conflict(laptop, "lesson_progress", uuid, {"done": False, "done_on": None},
                             {"done": True, "done_on": "2026-03-05"}, {"done": True, "done_on": "2026-03-02"})
    with laptop.unit() as s:
        s.get(SyncConflict, number).kept = "here"
    resolve_conflict(laptop, number, keep="server")
    assert _lesson_state(laptop) == (True, date(2026, 3, 2))


def test_a_field_conflict_keeps_either_value(laptop, cli):
    with laptop.unit() as s:
        s.scalar(select(Client)).city = "Подольск"
    number = _conflict(laptop, "client", _client_uuid(laptop), "field", "city", "Химки", "Подольск")
    assert cli("sync", "resolve", str(number), "--keep", "local")[0] == 0
    with laptop.read() as s:
        assert s.scalar(select(Client.city)) == "Химки"


def test_a_refused_team_wide_change_is_not_kept_by_a_choice(laptop, cli):
    """The server refused this laptop's tariff (only the administrator changes it) and its value is back: «keep
    local» cannot bring the refused one back — it says so and the conflict stays open; «keep server» closes it."""
    number = _conflict(laptop, "tariff", "remote_hour:2030-01-01", "refused", "", {"rate": "1600.00"},
                       {"rate": "1500.00"}, kept="server")
    status, out, err = cli("sync", "resolve", str(number), "--keep", "local")
    assert (status, out) == (2, "") and "администратор" in err and "«--keep server»" in err
    assert _open(laptop) == [number]
    assert cli("sync", "resolve", str(number), "--keep", "server")[0] == 0
    assert _open(laptop) == []


def test_keep_file_is_refused_for_a_conflict_from_the_server(laptop, cli):
    number = _conflict(laptop, "work_log", _entry(laptop).uuid, "field", "minutes", 60, 90, kept="server")
    status, out, err = cli("sync", "resolve", str(number), "--keep", "file")
    assert (status, out) == (2, "")
    assert err == (f"Конфликт {number} пришёл с сервера команды, а не из файла обмена: оставьте значение сервера "
                   "(«--keep server») или этого ноутбука («--keep local»).\n")
    assert _open(laptop) == [number] and _entry(laptop).minutes == 60


def test_keep_here_is_this_laptops_side_of_a_conflict_from_the_server(laptop, cli):
    """The help says «local / here — этого ноутбука»: «here» was refused for a sync's conflict (the trial)."""
    number = _conflict(laptop, "work_log", _entry(laptop).uuid, "field", "minutes", 60, 90, kept="server")
    assert cli("sync", "resolve", str(number), "--keep", "here")[0] == 0
    assert _open(laptop) == [] and _entry(laptop).minutes == 60  # this laptop's value (``local``: 60) written


def test_keep_server_is_refused_for_a_conflict_from_a_bundle(laptop, cli):
    number = _conflict(laptop, "work_log", _entry(laptop).uuid, "field", "minutes", 60, 90, kept="file")
    status, out, err = cli("sync", "resolve", str(number), "--keep", "server")
    assert (status, out) == (2, "")
    assert err == (f"Конфликт {number} пришёл из файла обмена, а не с сервера команды: оставьте значение из файла "
                   "(«--keep file») или этого ноутбука («--keep here»).\n")
    assert _open(laptop) == [number]
    assert cli("sync", "resolve", str(number), "--keep", "here")[0] == 0 and _open(laptop) == []
