"""Issue 17 (brief fix17a point 1): a conflict closed by choosing the value the sync did not keep («sync resolve N
--keep local», a bundle's «--keep here|file») is an ordinary change by the person resolving: the record's
``updated_by`` is theirs and the trail gets the line of the change, sent at the next sync — «История изменений»
never ends on «оставлено значение сервера … Д-2 → Д-1» while «Д-2» is in effect."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.persistence.models import ChecklistState, Client, Document, LessonProgress, WorkLogEntry
from app.services.progress import set_checklist, set_lessons
from app.sync.service import conflicts, resolve_conflict, sync_once
from tests.team.test_restored_trail import _bill, _trail

pytestmark = pytest.mark.postgres

INN = "7707083893"
CONTRACT = "Карточка · № договора"
ENTRY = "Журнал работ"


def _set_contract(db, number: str) -> None:
    with db.unit() as s:
        s.scalar(select(Client)).contract_no = number


def _lines(db, what: str) -> list[str]:
    return [line for line in _trail(db) if f"\t{what}\t" in line]


def _meet(a, b) -> None:
    """A's change reaches the server first; B's meets it: a same-field conflict on B, the server's value kept."""
    sync_once(a)
    sync_once(b)


def test_keep_local_of_a_card_field_writes_the_change_line_everywhere(server, entry_pair):
    a, b, _ann, boss = entry_pair
    _set_contract(a, "Д-1")
    _set_contract(b, "Д-2")
    _meet(a, b)
    [conflict] = conflicts(b)
    assert (conflict.field, conflict.kept) == ("contract_no", "server")
    assert _lines(b, CONTRACT)[0] == f"Петрова Мария\tоставлено значение сервера (см. конфликты)\t{CONTRACT}\tД-2 → Д-1"
    resolve_conflict(b, conflict.id, keep="local")
    newest = f"Петрова Мария\tизменено\t{CONTRACT}\tД-1 → Д-2"
    assert _lines(b, CONTRACT)[0] == newest
    with b.read() as s:
        assert s.execute(select(Client.contract_no, Client.updated_by)).one() == ("Д-2", boss)
    sync_once(b)
    sync_once(a)
    for db in (server, a, b):
        with db.read() as s:
            assert s.scalar(select(Client.contract_no)) == "Д-2"
        assert _lines(db, CONTRACT)[0] == newest
    assert conflicts(a) == conflicts(b) == []
    with server.read() as s:
        assert s.scalar(select(Client.updated_by)) == boss


def test_keep_local_of_a_tick_writes_the_tick_line_everywhere(server, entry_pair):
    a, b, _ann, boss = entry_pair
    set_checklist(a, INN, ["s1.lessons"], True, on=date(2026, 3, 2))
    sync_once(a)
    sync_once(b)
    set_checklist(a, INN, ["s1.lessons"], False)  # A unticks it
    set_checklist(b, INN, ["s1.lessons"], False)  # B ticks it again, on another day
    set_checklist(b, INN, ["s1.lessons"], True, on=date(2026, 3, 5))
    _meet(a, b)
    [conflict] = conflicts(b)
    assert (conflict.table, conflict.field, conflict.kept) == ("checklist_state", "done", "server")
    resolve_conflict(b, conflict.id, keep="local")
    item = "(Видеоуроки просмотрены по плану)"
    newest = [f"Петрова Мария\tизменено\tЧек-лист · кто {item}\tИванова Анна → Петрова Мария",
              f"Петрова Мария\tизменено\tЧек-лист · дата выполнения {item}\t— → 05.03.2026",
              f"Петрова Мария\tизменено\tЧек-лист · выполнено {item}\tнет → да",
              f"Петрова Мария\tоставлено значение сервера (см. конфликты)\tЧек-лист · выполнено {item}\tда → нет"]
    assert _trail(b)[:4] == newest
    with b.read() as s:
        assert s.execute(select(ChecklistState.done, ChecklistState.done_on, ChecklistState.updated_by)).one() == (
            True, date(2026, 3, 5), boss)
    sync_once(b)
    sync_once(a)
    for db in (server, a):
        assert _trail(db)[:4] == newest
    assert conflicts(a) == conflicts(b) == []


def test_keep_local_of_a_lesson_writes_the_lesson_line(server, entry_pair):
    from sqlalchemy import text

    a, b, _ann, boss = entry_pair
    with a.read() as s:
        code = s.execute(text("SELECT code FROM lesson ORDER BY number LIMIT 1")).scalar()
    set_lessons(a, INN, [code], True, on=date(2026, 3, 2))
    sync_once(a)
    sync_once(b)
    set_lessons(a, INN, [code], False)
    set_lessons(b, INN, [code], False)
    set_lessons(b, INN, [code], True, on=date(2026, 3, 5))
    _meet(a, b)
    [conflict] = conflicts(b)
    resolve_conflict(b, conflict.id, keep="local")
    newest = [f"Петрова Мария\tизменено\tУроки · дата выполнения ({code})\t— → 05.03.2026",
              f"Петрова Мария\tизменено\tУроки · выполнено ({code})\tнет → да",
              f"Петрова Мария\tоставлено значение сервера (см. конфликты)\tУроки · выполнено ({code})\tда → нет"]
    assert _trail(b)[:3] == newest
    with b.read() as s:
        assert s.execute(select(LessonProgress.done, LessonProgress.updated_by)).one() == (True, boss)
    sync_once(b)
    sync_once(a)
    assert _trail(server)[:3] == _trail(a)[:3] == newest


def test_keep_local_of_a_billed_figure_once_its_act_is_voided_writes_the_change_line(server, entry_pair):
    """A bills «E» offline and syncs first; B's new figure meets the act: kept as billed. B voids the act and
    chooses its own figure back."""
    from app.services.documents.register import void_document

    a, b, _ann, boss = entry_pair
    _bill(a)
    with b.unit() as s:
        s.scalar(select(WorkLogEntry).where(WorkLogEntry.note == "E")).minutes = 120
    _meet(a, b)
    [conflict] = conflicts(b)
    assert (conflict.table, conflict.kind, conflict.field, conflict.kept) == ("work_log", "billed_edit", "minutes",
                                                                             "server")
    with b.read() as s:
        act_id = s.scalar(select(Document.id))
    void_document(b, act_id, "ошибка в периоде")
    resolve_conflict(b, conflict.id, keep="local")
    newest = f"Петрова Мария\tизменено\t{ENTRY} · количество минут (02.03.2026, Конференция)\t60 → 120"
    assert _trail(b)[0] == newest
    with b.read() as s:
        assert s.execute(select(WorkLogEntry.minutes, WorkLogEntry.updated_by)).one() == (120, boss)
    sync_once(b)
    sync_once(a)
    assert _trail(server)[0] == _trail(a)[0] == newest


def _bundle(worlds, src, name: str):
    from app.exchange.bundle_export import export_bundle

    path = worlds.folder / name
    export_bundle(src, None, path)
    return path


def _import(dst, path) -> None:
    from app.exchange.bundle_import import import_bundle

    import_bundle(dst, path, backup=False)


def test_a_bundles_conflict_closed_with_the_other_side_writes_the_change_line(two_worlds):
    """Two files crossing in the post: the same contract No. changed on both USB laptops; each imports the
    other's file. Each closes its conflict with the value the import did not keep."""
    from app.services.clients import ClientInput

    worlds = two_worlds(ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    a, b = worlds.usb
    _set_contract(a, "Д-1")
    _set_contract(b, "Д-2")
    from_a, from_b = _bundle(worlds, a, "a.zip"), _bundle(worlds, b, "b.zip")
    _import(b, from_a)
    _import(a, from_b)
    for db, name in ((a, "Иванова Анна"), (b, "Петрова Мария")):
        [conflict] = conflicts(db)
        kept, other = (conflict.server_value, conflict.local_value) if conflict.kept == "file" else (
            conflict.local_value, conflict.server_value)
        assert {kept, other} == {"Д-1", "Д-2"}
        resolve_conflict(db, conflict.id, keep="here" if conflict.kept == "file" else "file", strict=True)
        assert _lines(db, CONTRACT)[0] == f"{name}\tизменено\t{CONTRACT}\t{kept} → {other}"
        with db.read() as s:
            assert s.execute(select(Client.contract_no, Client.updated_by)).one() == (other, name)
