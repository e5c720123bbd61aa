"""Hostile bundles that pass every zip and crypto check but carry records the forms would refuse.

Each: the whole bundle refused, the message names the table, the record's id and the reason; the
database identical to before (full dump). Issue 12 §2 lists the first ones; the rest are neighbours."""

from __future__ import annotations

import pytest

from app.errors import UserError
from app.exchange.bundle_import import import_bundle
from tests.exchange import helpers as h

CLIENT = "22222222-2222-4222-8222-222222222222"
ROW = "44444444-4444-4444-8444-444444444444"


def row(values: dict, uuid: str = ROW, updated_at: str = "2024-07-02T10:00:00.000000") -> dict:
    return {"op": "upsert", "uuid": uuid, "updated_at": updated_at, "values": {"client_uuid": CLIENT, **values}}


def document(**values) -> dict:
    data = {"kind": "act", "year": 2024, "number": 7, "issued_on": "2024-07-31", "content": "{}", "series": ""}
    data.update(values)
    return row(data)


def estimate(**values) -> dict:
    data = {"approach": "remote", "on_date": "2024-07-01", "conference_hours": "10.00"}
    data.update(values)
    return row(data)


def move(**values) -> dict:
    data = {"from_stage": 0, "to_stage": 1, "at": "2024-07-02T10:00:00.000000", "who": "", "reason": "",
            "forced": False}
    data.update(values)
    return row(data)


def person(**values) -> dict:
    data = {"name": "Иванов Иван", "position": "", "phone": "", "email": ""}
    data.update(values)
    return row(data)


# (id, client values, {table: [rows]}, words the message must contain besides the table and the id)
CASES = [
    ("document-kind-invoice", {}, {"document": [document(kind="invoice")]}, ("Документ", "invoice")),
    ("transfer-with-minutes", {}, {"work_log": [h.work_row(kind="transfer", minutes=30, uuid=ROW)]},
     ("Запись журнала", "минут")),
    ("conference-with-amount", {}, {"work_log": [h.work_row(kind="conference", minutes=None, amount="500.00",
                                                            uuid=ROW)]}, ("Запись журнала", "сумм")),
    ("max-int-minutes-1900", {}, {"work_log": [h.work_row(minutes=2_147_483_647, on_date="1900-01-01", uuid=ROW)]},
     ("Запись журнала", "2000")),
    ("document-number-negative", {}, {"document": [document(number=-1, year=-5)]}, ("Документ", "-1")),
    ("document-year-negative", {}, {"document": [document(year=-5)]}, ("Документ", "-5")),
    ("estimate-teleport", {}, {"estimate": [estimate(approach="teleport")]}, ("Расчёт", "teleport")),
    ("estimate-negative-hours", {}, {"estimate": [estimate(conference_hours="-3.00")]}, ("Расчёт", "отрицатель")),
    ("move-0-4-in-2200", {}, {"stage_event": [move(to_stage=4, at="2200-01-01T00:00:00.000000")]},
     ("Переход этапа", "2200")),
    ("move-0-4-client-stays", {}, {"stage_event": [move(to_stage=4)]}, ("Переход этапа", "этапе 0")),
    ("move-to-same-stage", {"stage": 2}, {"stage_event": [move(from_stage=2, to_stage=2)]}, ("Переход этапа", "тот же")),
    ("email-not-an-email", {}, {"contact": [person(email="not an email")]}, ("Контакт", "not an email")),
    ("phone-words", {}, {"employee": [person(phone="звоните вечером", department="")]}, ("Сотрудник", "звоните")),
    ("person-without-name", {}, {"contact": [person(name="   ")]}, ("Контакт", "ФИО")),
    ("checklist-unknown-code", {}, {"checklist_state": [row({"code": "s9.teleport", "done": True,
                                                             "done_on": "2024-07-02", "who": ""})]},
     ("Отметка", "s9.teleport")),
    ("checklist-dated-2099", {}, {"checklist_state": [row({"code": "s1.lessons", "done": True,
                                                           "done_on": "2099-01-01", "who": ""})]},
     ("Отметка", "01.01.2099")),
    ("lesson-unknown-code", {}, {"lesson_progress": [row({"lesson_code": "L999", "employee_uuid": "",
                                                          "done": True, "done_on": "2024-07-02"})]},
     ("Урок", "L999")),
    ("lesson-employee-not-an-id", {}, {"lesson_progress": [row({"lesson_code": "L01", "employee_uuid": "всем",
                                                                "done": True, "done_on": "2024-07-02"})]},
     ("Урок", "employee_uuid")),
    ("client-name-newline-rlo", {"name": "ООО «Ромашка»\n\u202eакшамоР"}, {}, ("Заказчик", "U+")),
    ("client-name-bidi-only", {"name": "ООО \u202eРомашка"}, {}, ("Заказчик", "U+202E")),
    ("contact-name-newline", {}, {"contact": [person(name="Иванов\nИван")]}, ("Контакт", "U+000A")),
    ("employee-zero-width", {}, {"employee": [person(name="Сидорова\u200bАнна", department="")]},
     ("Сотрудник", "U+200B")),
    ("work-note-rlo", {}, {"work_log": [h.work_row(note="счёт \u202e00,0", uuid=ROW)]}, ("Запись журнала",)),
    ("onsite-day-with-minutes", {}, {"work_log": [h.work_row(kind="onsite_day", minutes=480, uuid=ROW)]},
     ("Запись журнала", "дн")),
    ("forty-days", {}, {"work_log": [h.work_row(kind="onsite_day", minutes=None, days="40.00", uuid=ROW)]},
     ("Запись журнала", "40")),
    ("contract-1950", {"contract_date": "1950-01-01"}, {}, ("Заказчик", "дата")),
    ("document-year-vs-date", {}, {"document": [document(year=2023)]}, ("Документ", "2023")),
    ("document-period-reversed", {}, {"document": [document(period_from="2024-07-31", period_to="2024-07-01")]},
     ("Документ", "период")),
    ("document-content-not-json", {}, {"document": [document(content="<html>")]}, ("Документ", "поврежден")),
    ("document-negative-total", {}, {"document": [document(total="-100.00")]}, ("Документ", "total")),
    ("document-returned-before-issue", {}, {"document": [document(signed_returned_on="2024-07-01")]},
     ("Документ", "подписанный")),
    ("estimate-negative-total", {}, {"estimate": [estimate(total="-1.00")]}, ("Расчёт", "total")),
    ("client-created-in-the-future", {"created_at": "2199-01-01T00:00:00.000000"}, {}, ("Заказчик", "2199")),
]


@pytest.mark.parametrize("client,tables,needles", [pytest.param(c, t, n, id=i) for i, c, t, n in CASES])
def test_a_hostile_record_refuses_the_whole_bundle(db, tmp_path, client, tables, needles):
    h.populate(db)
    path = h.plain_bundle(tmp_path / "hostile.zip", {"client": [h.client_row(**client)], **tables})
    before = h.full_dump(db)
    with pytest.raises(UserError) as err:
        import_bundle(db, path, backup=False)
    message = err.value.message
    # named as a person knows it: the client by its name, never by a UUID
    assert CLIENT not in message and ROW not in message, message
    if "name" not in client:
        # its own quotes, nested when the name stands inside a label's «…» (tester M)
        assert "«Из файла»" in message or "«ООО „Из файла“" in message, message
    for needle in needles:
        assert needle.lower() in message.lower(), (needle, message)
    assert "Ничего не импортировано" in message
    assert h.full_dump(db) == before


def test_the_same_bundle_without_the_hostile_record_is_accepted(db, tmp_path):
    """The refusals above are about the record, not the file around it."""
    h.populate(db)
    good = {"document": [document()], "estimate": [estimate()],
            "stage_event": [move()], "contact": [person(email="ivanov@example.ru")]}
    path = h.plain_bundle(tmp_path / "good.zip", {"client": [h.client_row(stage=1)], **good})
    result = import_bundle(db, path, backup=False)
    assert result.report.added["client"] == 1 and result.report.added["document"] == 1


def test_the_hostile_set_is_big_enough():
    assert len(CASES) >= 30
