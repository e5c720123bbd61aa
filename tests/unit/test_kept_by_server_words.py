"""Issue 17 (trial of 05:15): a conflict of kind «kept_by_server» (app/sync/push_record.py: the server refused a
change to an issued document or billed work made on the laptop outside the program, and its record came back)
reads as one sentence saying so and how to close it, not the generic «здесь: удалено · на сервере: оставлено»: in the
window with the dialog's button, on the command line with the option."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from app.persistence.models import Client, Document, SyncConflict
from app.services.clients import ClientInput, add_client
from app.sync.service import conflict_lines

INN = "7707083893"
SENTENCE = ("сервер хранит выданные документы и выставленную работу такими, какими они выданы; изменение, "
            "сделанное на этом компьютере в обход программы, заменено записью сервера. Закройте конфликт {way}")


def client_with_an_unsent_act(s) -> tuple[Client, Document]:
    """The database's one client (added by the caller before ``s`` began) and its act АУ-41/2026 issued here and not
    sent (row version 0), in ``s``."""
    client = s.scalar(select(Client))
    act = Document(client_id=client.id, kind="act", year=2026, number=41, issued_on=date(2026, 3, 31),
                   total=1500, content=json.dumps({"entries": []}))
    s.add(act)
    s.flush()
    return client, act


def test_a_document_kept_by_the_server_reads_as_one_sentence(db):
    add_client(db, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    with db.unit() as s:
        client, act = client_with_an_unsent_act(s)
        s.add(SyncConflict(table_name="document", record_uuid=act.uuid, client_uuid=client.uuid,
                           kind="kept_by_server", field="", local_value=json.dumps("deleted"),
                           server_value=json.dumps("kept"), kept="server", resolved=False))
    [line] = conflict_lines(db)
    assert line.what == "Акт АУ-41/2026: " + SENTENCE.format(way="кнопкой «Оставить значение сервера или файла»")
    assert line.text().split("\t")[2] == "Акт АУ-41/2026: " + SENTENCE.format(way="с «--keep server»")
