"""A checklist item a user added travels with a bundle: its tick lands on the other laptop; a file that ticks
an item it does not describe, or describes one in a damaged form, is refused whole, in Russian, naming the
item and the client, never a UUID — nothing written."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pytest

from app.errors import UserError
from app.exchange.bundle import MANIFEST, PAYLOAD
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client
from app.services.progress import checklist, set_checklist
from app.services.templates import add_checklist_item, checklist_template
from tests.exchange import helpers as h

INN = "7707083893"
TITLE = "Обучены кладовщики"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


@pytest.fixture
def laptops(tmp_path):
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    add_client(a, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    export_bundle(a, None, tmp_path / "first.zip")
    import_bundle(b, tmp_path / "first.zip", backup=False)
    yield a, b
    a.dispose()
    b.dispose()


def _ticked_export(a, path: Path) -> str:
    code, _changes = add_checklist_item(a, 2, TITLE)
    set_checklist(a, INN, [code], True, on=date(2026, 3, 2))
    export_bundle(a, None, path)
    return code


def _rewrite(src: Path, dst: Path, change) -> Path:
    members = h.read_members(src)
    body = json.loads(members[PAYLOAD])
    change(body)
    payload = json.dumps(body, ensure_ascii=False).encode()
    head = json.loads(members[MANIFEST])
    head["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    return h.write_members(dst, {MANIFEST: json.dumps(head).encode(), PAYLOAD: payload})


def test_a_tick_of_an_item_added_there_lands_here_with_the_item(laptops, tmp_path):
    a, b = laptops
    code = _ticked_export(a, tmp_path / "a.zip")
    result = import_bundle(b, tmp_path / "a.zip", backup=False)
    assert result.report.refused == []
    [item] = [i for i in checklist(b, INN) if i.code == code]
    assert (item.title, item.stage, item.done, item.done_on) == (TITLE, 2, True, date(2026, 3, 2))
    # the item joins the end of its stage's list here too, and a second import matches it by its code
    stage2 = [t for t in checklist_template(b) if t.stage == 2]
    assert stage2[-1].code == code
    import_bundle(b, tmp_path / "a.zip", backup=False)
    assert [t.code for t in checklist_template(b)].count(code) == 1


def test_an_item_with_the_same_code_here_is_matched_and_its_two_wordings_are_a_conflict(laptops, tmp_path):
    """Two items of one code made apart meet as one, as on the team server: one title, a conflict with both."""
    from app.sync.service import conflicts

    a, b = laptops
    code = _ticked_export(a, tmp_path / "a.zip")
    add_checklist_item(b, 2, "Кладовщики обучены (наше название)", code=code)  # the same code, made here
    import_bundle(b, tmp_path / "a.zip", backup=False)
    [item] = [i for i in checklist(b, INN) if i.code == code]
    assert (item.title, item.done) == (TITLE, True)  # the file's: its sender exported first
    assert [(c.table, c.kind, c.field, c.local_value, c.server_value, c.kept) for c in conflicts(b)] == [
        ("checklist_template", "field", "title", "Кладовщики обучены (наше название)", TITLE, "file")]


def test_a_tick_of_an_item_the_file_does_not_describe_is_refused_by_title_and_client_name(laptops, tmp_path, cli):
    a, b = laptops
    code = _ticked_export(a, tmp_path / "a.zip")
    bad = _rewrite(tmp_path / "a.zip", tmp_path / "bad.zip", lambda body: body.pop("checklist_template"))
    before = h.full_dump(b)
    with pytest.raises(UserError) as err:
        import_bundle(b, bad, backup=False)
    message = err.value.message
    assert message == (f"Файл содержит недопустимую запись: Отметка чек-листа «{code}» — ООО «Ромашка»: пункта "
                       f"чек-листа «{code}» нет ни здесь, ни в файле. Ничего не импортировано.")
    assert not UUID.search(message)
    assert h.full_dump(b) == before


def test_a_damaged_item_in_the_file_refuses_it_whole_with_exit_2(laptops, tmp_path, capsys):
    from app.cli import run

    a, b = laptops
    _ticked_export(a, tmp_path / "a.zip")

    def damage(body):
        body["checklist_template"][0]["title"] = "Обучены\u202e кладовщики"

    bad = _rewrite(tmp_path / "a.zip", tmp_path / "bad.zip", damage)
    before = h.full_dump(b)
    capsys.readouterr()
    assert run(["--db", str(b.sqlite_path), "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Файл описывает пункт чек-листа с пустым или повреждённым названием." in err
    assert "Traceback" not in err and not UUID.search(err)
    assert h.full_dump(b) == before


def test_a_refused_file_leaves_no_item_behind(laptops, tmp_path):
    """The item is added in the import's transaction: a record refused after it takes the item back out."""
    a, b = laptops
    code = _ticked_export(a, tmp_path / "a.zip")

    def break_tick(body):
        [tick] = [r for r in body["tables"]["checklist_state"] if r["values"]["code"] == code]
        tick["values"]["done_on"] = "2199-01-01"

    bad = _rewrite(tmp_path / "a.zip", tmp_path / "bad.zip", break_tick)
    before = h.full_dump(b)
    with pytest.raises(UserError) as err:
        import_bundle(b, bad, backup=False)
    assert f"Отметка чек-листа «{TITLE}» — ООО «Ромашка»" in err.value.message
    assert h.full_dump(b) == before and code not in {t.code for t in checklist_template(b)}


def test_a_record_referring_to_nothing_is_named_not_by_its_uuid(laptops, tmp_path):
    """A work entry whose client is neither in the file nor here: the refusal names the entry, not a UUID."""
    a, b = laptops
    from app.services.worklog import EntryInput, add_entry

    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=30))
    export_bundle(a, None, tmp_path / "a.zip")

    def orphan(body):
        for row in body["tables"]["work_log"]:
            row["values"]["client_uuid"] = "99999999-9999-4999-8999-999999999999"

    bad = _rewrite(tmp_path / "a.zip", tmp_path / "bad.zip", orphan)
    before = h.full_dump(b)
    with pytest.raises(UserError) as err:
        import_bundle(b, bad, backup=False)
    assert err.value.message.startswith("Файл несогласован: Запись журнала работ «02.03.2026 Конференция» "
                                        "ссылается на запись, которой нет ни в файле, ни здесь.")
    assert not UUID.search(err.value.message) and h.full_dump(b) == before
