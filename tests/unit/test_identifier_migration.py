"""Issue 13, kind 2: migration 0005 rewrites identifiers stored as typed into their normalised form."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from app.persistence.db import Database, make_engine, open_database
from app.persistence.migrate import upgrade


def _client(conn, cid: int, inn: str, kpp: str = "") -> None:
    conn.execute(text(
        "insert into client(id, uuid, updated_at, name, inn, kpp, address, city, approach, stage, stage_since,"
        " contract_no, program_version, manager, signer_name, signer_position, notes, created_at)"
        " values (:id, :uuid, '2024-07-01', :name, :inn, :kpp, '', '', 'remote', 0, '2024-07-01', '', '', '', '',"
        " '', '', '2024-07-01')"),
        {"id": cid, "uuid": f"6f1c2b1e-0000-4000-8000-00000000000{cid}", "name": f"Клиент {cid}", "inn": inn,
         "kpp": kpp})


def test_0005_normalises_old_rows_and_keeps_what_it_cannot(db_url):
    engine = make_engine(db_url)
    old = Database(url=db_url, engine=engine, factory=sessionmaker(engine))
    upgrade(old, "0003")
    with engine.begin() as conn:
        conn.execute(text("insert into stage(number, title, goal) values (0, 'Новый', '')"))
        _client(conn, 1, "７７０７０８３８９３", "７７０７０１００１")  # full-width digits (9 characters fit varchar(9))
        _client(conn, 2, "7736 207 543")
        _client(conn, 3, "7707083893")  # the same ИНН as client 1 once normalised: 1 keeps its spelling
        _client(conn, 4, "5405467530", "bad kpp")
        conn.execute(text(
            "insert into contact(uuid, updated_at, client_id, name, position, phone, email) values"
            " ('6f1c2b1e-0000-4000-8000-0000000000c1', '2024-07-01', 2, 'Иванов', '', '8 (495) 123-45-67',"
            " 'Ivanov@Example.RU'),"
            " ('6f1c2b1e-0000-4000-8000-0000000000c2', '2024-07-01', 2, 'Петров', '', 'звонить секретарю', 'нет')"))
    old.dispose()
    db = open_database(db_url)
    with db.engine.connect() as conn:
        rows = conn.execute(text("select id, inn, kpp from client order by id")).all()
        people = conn.execute(text("select name, phone, email from contact order by name")).all()
    db.dispose()
    assert [tuple(r) for r in rows] == [(1, "７７０７０８３８９３", "770701001"), (2, "7736207543", ""),
                                        (3, "7707083893", ""), (4, "5405467530", "bad kpp")]
    assert [tuple(p) for p in people] == [("Иванов", "+7 495 123-45-67", "Ivanov@example.ru"),
                                          ("Петров", "звонить секретарю", "нет")]
