"""Lesson plan import (CSV/JSON): validated all-or-nothing with Russian messages; board settings service."""

from __future__ import annotations

import json

import pytest

from app.errors import UserError
from app.services import board
from app.services.client_list import list_clients
from app.services.clients import ClientInput, add_client
from app.services.lessons_import import import_lesson_plan, parse_lesson_plan
from app.services.progress import lessons, set_lessons

HEADER = "code;number;title;section;stage;duration_min;video_url\n"


def test_parse_csv_with_russian_headers_in_cp1251():
    text = ("Код;№;Тема;Раздел учёта;Этап;Длительность;Видео\n"
            "B2;2;Склад;Склад и инвентаризация;2;30;https://video.example.ru/2\n"
            "B1;1;Обзор;Обзор системы;1;;\n")
    rows = parse_lesson_plan(text.encode("cp1251"), "plan.csv")
    assert [r.code for r in rows] == ["B1", "B2"]  # plan order by number
    assert rows[0].duration_min == 0 and rows[0].video_url == ""
    assert rows[1].section == "Склад и инвентаризация"


def test_parse_json_list_or_object():
    data = [{"code": "J1", "number": 1, "title": "Урок", "section": "Обзор", "stage": 1, "duration_min": 10,
             "video_url": "https://video.example.ru/j1"}]
    assert parse_lesson_plan(json.dumps(data).encode(), "plan.json")[0].code == "J1"
    assert parse_lesson_plan(json.dumps({"lessons": data}, ensure_ascii=False).encode("utf-8"), "x")[0].number == 1


def test_every_bad_row_is_named_in_russian_and_nothing_is_returned():
    text = HEADER + ("A1;1;Первый;Обзор;1;10;\n"
                     "A1;2;Повтор кода;Обзор;1;10;\n"
                     ";x;;Обзор;7;-1;ftp://nope\n")
    with pytest.raises(UserError) as error:
        parse_lesson_plan(text.encode(), "plan.csv")
    assert error.value.message == "Ничего не импортировано: ошибки в 2 строках."
    details = "\n".join(error.value.details)
    assert "Строка 3: код A1 повторяет строку 2" in details
    for fragment in ("не указан код", "номер «x» — не целое число", "не указана тема", "этап должен быть от 1 до 3",
                     "адрес видео должен начинаться"):
        assert fragment in details


@pytest.mark.parametrize("raw, message", [
    (b"", "Файл пуст."),
    (b"code;title\nA;B\n", "В строке заголовка нет столбцов"),
    (b"[1, 2]", "JSON-файл должен содержать список уроков"),
    (b"{broken", "JSON-файл повреждён"),
    (HEADER.encode(), "В файле нет ни одного урока."),
])
def test_file_level_errors(raw, message):
    with pytest.raises(UserError, match=message):
        parse_lesson_plan(raw, "plan.csv" if not raw.startswith((b"[", b"{")) else "plan.json")


def test_import_updates_adds_hides_and_keeps_progress(db, tmp_path):
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    set_lessons(db, client_id, ["L01", "L02"], True)
    plan = tmp_path / "plan.csv"
    plan.write_text(HEADER + "L01;1;Обзор (новая редакция);Обзор системы;1;30;https://video.example.ru/1\n"
                    "N01;2;Новый урок;Обзор системы;1;15;\n", encoding="utf-8")
    result, changes = import_lesson_plan(db, plan)
    assert (result.added, result.updated, result.hidden) == (1, 1, 25)
    assert changes.catalogue and changes.lessons and changes.clients
    items = lessons(db, client_id)
    assert [(i.code, i.title, i.done) for i in items] == [("L01", "Обзор (новая редакция)", True),
                                                           ("N01", "Новый урок", False)]
    assert list_clients(db)[0].lessons_total == 2
    # the old plan back: hidden lessons return with their ticks
    plan.write_text(HEADER + "L01;1;Обзор;Обзор системы;1;30;\nL02;2;Интерфейс;Обзор системы;1;20;\n",
                    encoding="utf-8")
    result, _changes = import_lesson_plan(db, plan)
    assert (result.added, result.updated, result.hidden) == (0, 2, 1)
    assert [i.done for i in lessons(db, client_id)] == [True, True]


def test_refused_import_changes_nothing(db, tmp_path):
    client_id = add_client(db, ClientInput(name="ООО «Каталог»", inn="7728168971", approach="remote"))
    before = [(i.code, i.title) for i in lessons(db, client_id)]
    plan = tmp_path / "plan.csv"
    plan.write_text(HEADER + "Z1;1;Хороший;Обзор;1;10;\nZ2;2;;Обзор;1;10;\n", encoding="utf-8")
    with pytest.raises(UserError):
        import_lesson_plan(db, plan)
    assert [(i.code, i.title) for i in lessons(db, client_id)] == before
    with pytest.raises(UserError, match="Не удаётся прочитать файл"):
        import_lesson_plan(db, tmp_path / "missing.csv")


def test_stalled_days_setting(db):
    assert board.stalled_days(db) == 30
    changes = board.set_stalled_days(db, 45)
    assert changes.settings
    assert board.stalled_days(db) == 45
    with pytest.raises(UserError, match="Порог простоя"):
        board.set_stalled_days(db, 0)
    assert board.stalled_days(db) == 45
    infos = board.stages(db)
    assert [i.number for i in infos] == [0, 1, 2, 3, 4]
    assert infos[2].goal.startswith("Добавление данных складов")


# ------------------------------------------------------------------ issue 13: the lesson plan is a CSV as people have it


def test_plan_with_excel_sep_line_and_commas():
    text = "sep=,\r\nКод,№,Тема,Раздел,Этап\r\nB1,1,\"Обзор, часть 1\",Обзор системы,1\r\n"
    rows = parse_lesson_plan(text.encode("utf-8-sig"), "plan.csv")
    assert [(r.code, r.title) for r in rows] == [("B1", "Обзор, часть 1")]


@pytest.mark.parametrize("body,needle", [
    ('B1;1;"Обзор\nсистемы";Обзор;1\nB2;2;Склад;Склад;2\n', "Строка 2: Поле «тема» должно быть в одну строку"),
    ('B1;1;"Обзор\nсистемы";Обзор;1\nB2;2;Склад;Склад;³\n', "Строка 4"),  # the physical line after a 2-line cell
    ("B1;¹;Обзор;Обзор;1\n", "не целое число"),  # a superscript only looks like a digit («١» is read: r13)
    ("B1;1_000;Обзор;Обзор;1\n", "не целое число"),
    ("B1;1;Обзор\u202e;Обзор;1\n", "невидимые"),
])
def test_plan_cells_reported_with_their_physical_line(body, needle):
    with pytest.raises(UserError) as err:
        parse_lesson_plan(("Код;№;Тема;Раздел;Этап\n" + body).encode(), "plan.csv")
    assert needle in err.value.full_text()


def test_plan_columns_that_cannot_be_placed_are_refused_by_name():
    with pytest.raises(UserError, match="«Преподаватель» \\(столбец 6\\)"):
        parse_lesson_plan("Код;№;Тема;Раздел;Этап;Преподаватель\nB1;1;Обзор;Обзор;1;Иванов\n".encode(), "plan.csv")
