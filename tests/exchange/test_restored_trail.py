"""Issue 17 (last trial): a deletion that a bundle's import undid leaves no «удалено» line about a record that is
there. The deletion line never left this computer (bundles carry no audit lines), so it is dropped, as a
team-wide change the server refuses is (app/team/restored.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.persistence.db import open_database
from app.persistence.models import Contact, Document, Setting, WorkLogEntry
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.worklog import EntryInput, add_entry, delete_entries
from app.team.audit import client_history_lines
from app.team.users import PROFILE_KEY
from tests.exchange.test_bundle_versions import carry

INN = "7707083893"


@pytest.fixture
def laptops(tmp_path):
    """A (Иванова Анна) made the client with the contact «Петров Пётр» and the entry «E»; B (Петрова Мария)
    imported A's file."""
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    for db, name in ((a, "Иванова Анна"), (b, "Петрова Мария")):
        with db.unit() as s:
            s.add(Setting(key=PROFILE_KEY, value=name))
    add_client(a, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote",
                              contacts=[PersonInput(name="Петров Пётр", phone="+7 900 000-00-02")]))
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=60, note="E"))
    carry(a, b, tmp_path / "first.zip")
    yield a, b
    a.dispose()
    b.dispose()


def _trail(db) -> list[str]:
    """The `audit CLIENT` lines without their time: author, action, what, change."""
    return [line.text().split("\t", 1)[1] for line in client_history_lines(db, INN)]


def test_a_contact_deleted_here_and_edited_in_the_file_comes_back_without_a_deletion_line(laptops):
    a, b = laptops
    with a.unit() as s:
        s.delete(s.scalar(select(Contact)))
    assert _trail(a)[0] == "Иванова Анна\tудалено\tКонтакт\tПетров Пётр"
    with b.unit() as s:
        s.scalar(select(Contact)).phone = "+7 495 123-45-67"
    report = carry(b, a)
    assert [(c.kind, c.kept) for c in report.conflicts] == [("edit_delete", "file")]
    with a.read() as s:
        assert s.scalar(select(Contact.phone)) == "+7 495 123-45-67"  # the contact is there again
    trail = _trail(a)
    assert not any("\tудалено\t" in line for line in trail), trail
    assert trail == ["Иванова Анна\tдобавлено\tЖурнал работ (02.03.2026, Конференция)\t02.03.2026, Конференция, 60 мин",
                     "Иванова Анна\tдобавлено\tКонтакт (Петров Пётр)\tПетров Пётр",
                     "Иванова Анна\tдобавлено\tЗаказчик создан\tООО «Ромашка», ИНН 7707083893"]


def test_an_entry_deleted_here_and_billed_in_the_file_stays_without_a_deletion_line(laptops):
    a, b = laptops
    with a.read() as s:
        entry_id = s.scalar(select(WorkLogEntry.id))
    delete_entries(a, [entry_id])
    assert _trail(a)[0] == "Иванова Анна\tизменено\tЖурнал работ · удалено (02.03.2026, Конференция)\tнет → да"
    with b.unit() as s:  # B bills the entry offline, as the act service does
        entry = s.scalar(select(WorkLogEntry))
        act = Document(client_id=entry.client_id, kind="act", year=2026, number=1, issued_on=date(2026, 3, 31),
                       total=1500, content=json.dumps({"entries": [entry.uuid]}))
        s.add(act)
        s.flush()
        entry.billed_by_document_id = act.id
    report = carry(b, a)
    assert [(c.kind, c.field) for c in report.conflicts] == [("billed_edit", "deleted")]
    with a.read() as s:
        assert s.scalar(select(WorkLogEntry.deleted)) is False  # the act keeps its entry
    trail = _trail(a)
    assert not any("удалено" in line for line in trail), trail


def test_a_deletion_the_file_does_not_undo_stays_in_the_trail(laptops):
    """The rule drops only a deletion that did not hold: a file that does not touch the record leaves it."""
    a, b = laptops
    with a.unit() as s:
        s.delete(s.scalar(select(Contact)))
    carry(b, a)
    with a.read() as s:
        assert s.scalar(select(Contact.id)) is None
    assert _trail(a)[0] == "Иванова Анна\tудалено\tКонтакт\tПетров Пётр"


def test_an_edit_here_that_lost_to_the_files_value_is_not_the_last_word(laptops):
    """Issue 17 (trial of 05:15): the same field changed on both computers, the file's value kept (B's file is
    numbered above A's last export): A's unsent line «… → Настоящее» is dropped, not left above the kept value."""
    from app.persistence.models import Client

    a, b = laptops
    with a.unit() as s:
        s.scalar(select(Client)).city = "Настоящее"
    with b.unit() as s:
        s.scalar(select(Client)).city = "Будущее"
    report = carry(b, a)
    assert [(c.kind, c.field, c.kept) for c in report.conflicts] == [("field", "city", "file")]
    with a.read() as s:
        assert s.scalar(select(Client.city)) == "Будущее"
    # the edit's own line is gone; the kept value is the last word, said from the value the edit had written here
    # (tester L, item 11: «— → Будущее» while the card had said «Настоящее»)
    assert [line for line in _trail(a) if "Настоящее" in line] == [
        "Иванова Анна\tоставлено значение из файла (см. конфликты)\tКарточка · город\tНастоящее → Будущее"]
    assert _trail(a)[0].endswith("Настоящее → Будущее")


def test_a_lost_note_is_said_from_the_note_written_here(laptops, capsys):
    """Tester L, item 11, as reproduced: «clients edit --notes "Заметка A"» on A, B's crossing file with «Заметка
    B» won; `audit` said «оставлено значение из файла (см. конфликты) Карточка · примечания — → Заметка B»."""
    from app.cli import run
    from app.services.clients import edit_client

    a, b = laptops
    edit_client(a, INN, {"notes": "Заметка A"})
    edit_client(b, INN, {"notes": "Заметка B"})
    report = carry(b, a)
    assert [(c.field, c.kept) for c in report.conflicts] == [("notes", "file")]
    assert run(["--db", str(a.sqlite_path), "audit", INN]) == 0
    out = capsys.readouterr().out
    [line] = [x for x in out.splitlines() if "Заметка" in x]
    assert line.endswith("Заметка A → Заметка B"), line
    assert "оставлено значение из файла (см. конфликты)" in line


def test_an_edit_here_that_lost_to_the_file_leaves_the_files_value_said_as_the_files(laptops, tmp_path):
    """The trial: the city edited here (Тула) lost to the file's (Казань); the history then said «оставлено значение
    сервера … → Казань» at the next sync (a bundle's conflict settled as a sync's) or nothing at all after the
    import — the field's last line said a value the card no longer held."""
    from app.persistence.models import Client

    a, b = laptops
    with b.unit() as s:
        s.scalar(select(Client)).city = "Подольск"
    carry(b, a, tmp_path / "city.zip")
    with b.unit() as s:
        s.scalar(select(Client)).city = "Казань"
    with a.unit() as s:
        s.scalar(select(Client)).city = "Тула"
    report = carry(b, a, tmp_path / "kazan.zip")
    assert [(c.kind, c.field, c.kept) for c in report.conflicts] == [("field", "city", "file")]
    city = [line for line in _trail(a) if "· город" in line]
    # from the value the lost edit had written here (tester L, item 11: not the value before it); the edit's own
    # line, never sent, is gone
    assert city[0] == "Иванова Анна\tоставлено значение из файла (см. конфликты)\tКарточка · город\tТула → Казань"
    assert [line for line in city if "Тула" in line] == [city[0]] and not any("сервера" in line for line in city)
