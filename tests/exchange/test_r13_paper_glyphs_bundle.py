"""r13 item 3: a record arriving in a file is refused for a character the documents' font cannot print, in the
fields where the input refuses it (app.domain.validation.paper_problem): a stage move's reason, an estimate's note,
a void reason, a checklist item's title, as the client's printed fields already were. The refusal names the
record, the field and the character; nothing is written. Fields that never go on paper still take it."""

from __future__ import annotations

import hashlib
import json

import pytest

from app.errors import UserError
from app.exchange.bundle import MANIFEST, PAYLOAD
from app.exchange.bundle_import import import_bundle
from tests.exchange import helpers as h
from tests.exchange.test_hostile_records import document, estimate, move, person

SMILE = "😀"

CASES = [
    ("move-reason", {"stage": 1}, {"stage_event": [move(reason="так решили " + SMILE)]},
     ("Переход этапа", "«причина»")),
    ("estimate-note", {}, {"estimate": [estimate(note="с выездом " + SMILE)]}, ("Расчёт стоимости", "«примечание»")),
    ("void-reason", {}, {"document": [document(voided_on="2024-08-01", void_reason="ошибка " + SMILE)]},
     ("Документ", "«причина аннулирования»")),
    ("client-name", {"name": "ООО «Из файла» " + SMILE}, {}, ("Заказчик", "«Наименование»")),
    ("client-signer-position", {"signer_position": "Директор " + SMILE}, {}, ("Заказчик", "«Должность подписанта»")),
]


@pytest.mark.parametrize("client,tables,needles", [pytest.param(c, t, n, id=i) for i, c, t, n in CASES])
def test_a_character_documents_cannot_print_refuses_the_file(db, tmp_path, client, tables, needles):
    h.populate(db)
    path = h.plain_bundle(tmp_path / "emoji.zip", {"client": [h.client_row(**client)], **tables})
    before = h.full_dump(db)
    with pytest.raises(UserError) as err:
        import_bundle(db, path, backup=False)
    message = err.value.message
    assert message.startswith("Файл содержит недопустимую запись:"), message
    for needle in (*needles, "«😀» (U+1F600)", "в документах он не печатается", "Ничего не импортировано"):
        assert needle in message, (needle, message)
    assert h.full_dump(db) == before


def test_a_checklist_item_title_documents_cannot_print_refuses_the_file(db, tmp_path):
    h.populate(db)
    item = {"code": "s1.emoji", "stage": 1, "title": "Обучены кладовщики " + SMILE, "requires": None}
    payload = json.dumps({"tables": {"client": [h.client_row()]}, "checklist_template": [item]}).encode()
    head = h.manifest(payload_sha256=hashlib.sha256(payload).hexdigest())
    path = h.write_members(tmp_path / "item.zip", {MANIFEST: json.dumps(head).encode(), PAYLOAD: payload})
    before = h.full_dump(db)
    with pytest.raises(UserError) as err:
        import_bundle(db, path, backup=False)
    message = err.value.message
    assert "пункт чек-листа «Обучены кладовщики 😀»" in message and "«😀» (U+1F600)" in message, message
    assert h.full_dump(db) == before


def test_fields_that_never_go_on_paper_still_take_it(db, tmp_path):
    """As at input: a contact's position, the client's notes (tester N, item 6: only printed fields)."""
    h.populate(db)
    path = h.plain_bundle(tmp_path / "fine.zip", {
        "client": [h.client_row(notes="звонить утром " + SMILE)],
        "contact": [person(position="Бухгалтер " + SMILE)]})
    result = import_bundle(db, path, backup=False)
    assert result.report.added["client"] == 1 and result.report.added["contact"] == 1


def test_the_csv_client_import_refuses_it_too(cli, tmp_path):
    header = "Наименование;ИНН;Подход"
    csv = tmp_path / "clients.csv"
    csv.write_text(f"{header}\nООО «Ромашка» {SMILE};7707083893;remote\n", encoding="utf-8")
    status, _out, err = cli("clients", "import", str(csv))
    assert status == 2 and "«😀» (U+1F600)" in err and "Строка 2" in err, err
    status, out, err = cli("clients", "list", "--json")
    assert status == 0 and json.loads(out) == [], out
