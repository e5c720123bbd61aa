"""Stage transitions, checklist order rule and lesson progress through the services."""

import pytest

from app.domain.checklist import percent
from app.domain.stages import Stage, check_move, parse_approach, require_reason
from app.errors import UserError
from app.services import progress
from app.services.client_list import list_clients
from app.services.clients import ClientInput, add_client, get_client

STAGE1 = ["s1.lessons", "s1.instruction", "s1.test_project", "s1.directories"]


def test_domain_move_rules():
    assert check_move(Stage.INTRO, Stage.PILOT, []).needs_reason is False
    check = check_move(Stage.INTRO, Stage.PILOT, ["s1.lessons"])
    assert check.needs_reason
    with pytest.raises(UserError) as refused:
        require_reason(check, force=False, reason="")
    assert "--" not in refused.value.full_text() and refused.value.cli_hint.endswith("Укажите --force и --reason ТЕКСТ.")
    with pytest.raises(UserError):
        require_reason(check, force=True, reason="  ")
    require_reason(check, force=True, reason="клиент торопится")
    with pytest.raises(UserError, match="соседний"):
        check_move(Stage.NEW, Stage.PILOT, [])
    back = check_move(Stage.PILOT, Stage.INTRO, [])
    with pytest.raises(UserError, match="причину"):
        require_reason(back, force=False, reason="")


def test_parse_approach_accepts_codes_and_russian_titles():
    assert parse_approach("REMOTE").value == "remote"
    assert parse_approach("Удаленные конференции").value == "remote"
    assert parse_approach("Выездное внедрение").value == "onsite"
    with pytest.raises(UserError):
        parse_approach("платно")


def test_new_client_starts_at_stage_zero_and_stage_zero_has_no_checklist(db, client_id):
    progress.advance(db, client_id)  # 0 -> 1 needs nothing
    assert get_client(db, client_id).stage == 1


def test_forward_needs_complete_checklist_or_forced_reason(db, client_id):
    progress.advance(db, client_id)
    with pytest.raises(UserError, match="не выполнен"):
        progress.advance(db, client_id)
    assert get_client(db, client_id).stage == 1
    progress.advance(db, client_id, force=True, reason="Заказчик просит ускорить")
    details = get_client(db, client_id)
    assert details.stage == 2
    last = details.history[-1]
    assert (last.from_stage, last.to_stage, last.forced) == (1, 2, True)
    assert last.reason == "Заказчик просит ускорить"


def test_forward_with_complete_checklist_is_not_forced(db, client_id):
    progress.advance(db, client_id)
    progress.set_checklist(db, client_id, STAGE1, True)
    progress.advance(db, client_id)
    assert get_client(db, client_id).history[-1].forced is False


def test_back_needs_reason_and_is_recorded(db, client_id):
    progress.advance(db, client_id)
    with pytest.raises(UserError, match="причину"):
        progress.back(db, client_id, reason="")
    progress.back(db, client_id, reason="Договор приостановлен")
    details = get_client(db, client_id)
    assert details.stage == 0
    assert [(e.from_stage, e.to_stage) for e in details.history] == [(0, 1), (1, 0)]


def test_cannot_go_beyond_the_ends(db, client_id):
    with pytest.raises(UserError):
        progress.back(db, client_id, reason="x")
    for _ in range(4):
        progress.advance(db, client_id, force=True, reason="тест")
    with pytest.raises(UserError, match="завершено"):
        progress.advance(db, client_id, force=True, reason="тест")


def test_warehouses_refused_before_inventory(db, client_id):
    with pytest.raises(UserError, match="инвентаризация"):
        progress.set_checklist(db, client_id, ["s2.warehouses"], True)
    assert not any(i.done for i in progress.checklist(db, client_id))
    # In one call in the right order it is fine; in the wrong order nothing is written.
    with pytest.raises(UserError):
        progress.set_checklist(db, client_id, ["s2.warehouses", "s2.inventory"], True)
    assert not any(i.done for i in progress.checklist(db, client_id))
    progress.set_checklist(db, client_id, ["s2.inventory", "s2.warehouses"], True)
    done = {i.code for i in progress.checklist(db, client_id) if i.done}
    assert done == {"s2.inventory", "s2.warehouses"}
    with pytest.raises(UserError, match="нельзя снять"):
        progress.set_checklist(db, client_id, ["s2.inventory"], False)


def test_unknown_checklist_code_refused(db, client_id):
    with pytest.raises(UserError, match="Неизвестный пункт"):
        progress.set_checklist(db, client_id, ["s9.nothing"], True)


def test_lesson_progress_and_percentage(db, client_id):
    items = progress.lessons(db, client_id)
    assert len(items) >= 20
    assert progress.lesson_percent(items) == 0
    codes = [i.code for i in items[:5]]
    progress.set_lessons(db, client_id, codes, True)
    items = progress.lessons(db, client_id)
    assert sum(i.done for i in items) == 5
    assert progress.lesson_percent(items) == percent(5, len(items))
    summary = next(s for s in list_clients(db) if s.id == client_id)
    assert summary.lessons_done == 5 and summary.lessons_total == len(items)
    progress.set_lessons(db, client_id, codes[:2], False)
    assert sum(i.done for i in progress.lessons(db, client_id)) == 3


def test_lesson_progress_per_employee_is_separate(db):
    from app.services.clients import PersonInput

    cid = add_client(db, ClientInput(name="ООО «Б»", inn="7736050003", approach="onsite",
                                     employees=[PersonInput(name="Иванов И. И.", department="Склад")]))
    progress.set_lessons(db, cid, ["L01"], True, employee="Иванов И. И.")
    assert not progress.lessons(db, cid)[0].done
    assert progress.lessons(db, cid, employee="Иванов И. И.")[0].done
    with pytest.raises(UserError, match="не найден"):
        progress.lessons(db, cid, employee="Петров")


def test_percent():
    assert percent(0, 0) == 0
    assert percent(1, 3) == 33
    assert percent(3, 3) == 100


def test_an_incomplete_checklist_is_named_by_titles_and_the_codes_are_the_command_lines():
    """The refusal a window shows names the items as a person knows them; the codes «checklist done» takes are the
    command line's hint only (the CLI listed bare codes, «s1.lessons, s1.instruction», to window and CLI alike)."""
    check = check_move(Stage.INTRO, Stage.PILOT, ["s1.lessons", "s1.x"], ["Пройти уроки", ""])
    with pytest.raises(UserError) as refused:
        require_reason(check, force=False, reason="")
    text = refused.value.full_text()
    assert "«Пройти уроки», «s1.x»" in text  # a title, or the code where the title is unknown
    assert "s1.lessons" not in text
    assert refused.value.cli_hint == ("Коды пунктов: s1.lessons s1.x (отмечаются командой «checklist done»). "
                                      "Укажите --force и --reason ТЕКСТ.")


def test_stage_advance_names_the_unfinished_items_by_title(sqlite_path, cli):
    from app.config import sqlite_url
    from app.domain.quotes import quoted
    from app.persistence.db import open_database

    db = open_database(sqlite_url(sqlite_path))
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    progress.advance(db, client_id)
    progress.set_checklist(db, client_id, ["s1.lessons"], True)
    undone = [item for item in progress.checklist(db, client_id) if item.stage == 1 and not item.done]
    assert [item.code for item in undone] == STAGE1[1:]
    status, out, err = cli("stage", "advance", str(client_id))
    assert status == 2 and out == "" and get_client(db, client_id).stage == 1
    message, hint = err.strip().splitlines()[-2:]
    assert ", ".join(quoted(item.title) for item in undone) in message  # «… „Схема запуска …“»
    assert not any(code in message for code in STAGE1)
    assert hint.startswith("Коды пунктов: " + " ".join(STAGE1[1:]) + " ")
    codes = hint.removeprefix("Коды пунктов: ").split(" (")[0].split()  # pasted as they are, they tick the items
    assert cli("checklist", "done", str(client_id), *codes)[0] == 0
    assert cli("stage", "advance", str(client_id))[0] == 0
    assert get_client(db, client_id).stage == 2
    db.dispose()
