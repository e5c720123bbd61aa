"""Issue 15: the CSV import writes in bulk (statements independent of the row count), reports monotonic
progress, can be cancelled until the commit with nothing saved, and leaves the same authorship and audit
trail as adding the clients one by one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from app.persistence.models import AuditEntry, Client, Contact
from app.services import bulk_clients
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.import_progress import ImportCancelled
from app.services.importing import import_clients
from app.team.users import PROFILE_KEY
from tests.sqlcount import counting

HEADER = "Наименование;ИНН;Подход;Договор №;Контактное лицо;Телефон;E-mail"


def inn10(n: int) -> str:
    """A checksum-valid 10-digit ИНН of region 77 (the weights of the ФНС algorithm)."""
    body = f"77{n:07d}"
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return body + str(sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11 % 10)


def write_csv(path, rows: int, start: int = 1):
    lines = [HEADER] + [f"ООО «Завод {n}»;{inn10(n)};remote;ВН-{n};Иванов {n};+7 495 123-{n // 100 % 100:02d}-{n % 100:02d};"
                        f"i{n}@zavod.ru" for n in range(start, start + rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(db) -> tuple[int, int, int]:
    with db.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Client, Contact, AuditEntry))


def test_the_statements_of_an_import_do_not_grow_with_the_rows(db, tmp_path):
    add_client(db, ClientInput(name="Уже есть", inn="7707083893", approach="remote"))  # a non-empty table
    sent = []
    for rows in (10, 200):
        path = write_csv(tmp_path / f"{rows}.csv", rows, start=1 + len(sent) * 1000)
        with counting(db) as statements:
            result = import_clients(db, path)
        assert len(result.added) == rows
        sent.append(len(statements))
    assert sent[0] == sent[1], sent
    assert sent[0] <= 12, sent  # one duplicate check, one insert each for clients, contacts, audit, a few more
    assert counts(db)[:2] == (211, 210)  # the first client has no contact


def test_update_reads_the_existing_clients_with_a_constant_number_of_statements(db, tmp_path):
    sent = []
    for rows in (10, 100):
        path = write_csv(tmp_path / f"{rows}.csv", rows, start=1 + len(sent) * 1000)
        import_clients(db, path)
        text_ = path.read_text(encoding="utf-8").replace("remote", "onsite")
        path.write_text(text_, encoding="utf-8")
        with counting(db) as statements:
            result = import_clients(db, path, update=True)
        assert len(result.updated) == rows and result.added == []
        sent.append(len(statements))
    assert sent[0] == sent[1], sent


def test_progress_is_monotonic_and_ends_at_the_total(db, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_clients, "CHUNK", 7)
    seen: list[tuple[int, int]] = []
    result = import_clients(db, write_csv(tmp_path / "c.csv", 250), progress=lambda done, total: seen.append((done, total)))
    assert len(result.added) == 250
    assert {total for _done, total in seen} == {500}  # each row checked, then written
    done = [d for d, _t in seen]
    assert done == sorted(done) and done[0] == 0 and done[-1] == 500
    assert len(seen) > 10  # reported as it goes, not only at the end


@pytest.mark.parametrize("stop_at", [100, 250, 260, 500])  # checking; after the first chunk; late; the end
def test_cancel_before_the_commit_saves_nothing_and_says_so(db, tmp_path, monkeypatch, stop_at):
    monkeypatch.setattr(bulk_clients, "CHUNK", 10)
    add_client(db, ClientInput(name="Уже есть", inn="7707083893", approach="remote",
                               contacts=[PersonInput(name="Пётр")]))
    before = counts(db)
    seen: list[int] = []
    with pytest.raises(ImportCancelled) as err:
        import_clients(db, write_csv(tmp_path / "c.csv", 250), progress=lambda done, total: seen.append(done),
                       cancelled=lambda: bool(seen) and seen[-1] >= stop_at)
    assert err.value.message == "Импорт отменён: ничего не сохранено."
    assert counts(db) == before
    assert seen[-1] < 500 or stop_at == 500


def test_imported_clients_carry_the_same_authorship_and_audit_as_added_ones(db, tmp_path):
    """The bulk insert bypasses the ORM flush; app.team.hooks still stamps each row and writes the
    contact's insert entry, exactly as for a client added in the card."""
    if db.is_sqlite:
        with db.unit() as s:
            s.execute(text("INSERT INTO setting(key, value) VALUES (:k, 'Иванова А. А.')"), {"k": PROFILE_KEY})
    add_client(db, ClientInput(name="ООО «Завод 5»", inn=inn10(5), approach="remote",
                               contacts=[PersonInput(name="Иванов 5", phone="+7 495 123-00-05")]))
    import_clients(db, write_csv(tmp_path / "one.csv", 1, start=6))

    def trail(inn: str):
        with db.read() as s:
            client = s.scalars(select(Client).where(Client.inn == inn)).one()
            contact = client.contacts[0]
            entries = s.execute(select(AuditEntry.table_name, AuditEntry.record_uuid, AuditEntry.client_uuid,
                                       AuditEntry.action, AuditEntry.field, AuditEntry.new_value, AuditEntry.author)
                                .where(AuditEntry.client_uuid == client.uuid)).all()
            return ([(t, rec == contact.uuid, cu, a, f, v, au) for t, rec, cu, a, f, v, au in entries],
                    client.uuid, client.updated_by, contact.updated_by)

    card, csv = trail(inn10(5)), trail(inn10(6))
    author = card[2]
    assert author == ("Иванова А. А." if db.is_sqlite else make_url(db.url).username)
    assert card[0] == [("client", False, card[1], "insert", "", f"{inn10(5)} ООО «Завод 5»", author),
                       ("contact", True, card[1], "insert", "", "Иванов 5", author)]
    assert csv[0] == [("client", False, csv[1], "insert", "", f"{inn10(6)} ООО «Завод 6»", author),
                      ("contact", True, csv[1], "insert", "", "Иванов 6", author)]
    assert csv[2:] == card[2:] == (author, author)
