"""The list's rows after a data change read through the stamps of migration 0017 (app.services.list_read): the rows
a delta brings, merged into those held before, equal every client's row read afresh — after any raw write to a
row's inputs, by whoever writes — and only the changed rows are read."""

from __future__ import annotations

import random
import shutil

import pytest
from sqlalchemy import text

from app.persistence.db import open_database
from app.services.client_list import list_clients
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.list_read import read_list
from tests.unit.test_client_counts import Writer


class ContactWriter(Writer):
    """Writer's raw writes, and also to the clients' own columns and their contacts (both in a list row)."""

    def step(self) -> str:
        if self.rng.random() < 0.6:
            return super().step()
        rng = self.rng
        with self.db.engine.begin() as conn:
            client = self._pick(conn, "SELECT id FROM client")
            contact = self._pick(conn, "SELECT id FROM contact")
            op = rng.choice(["rename", "inn", "contract", "contact_add", "contact_edit", "contact_move", "contact_del"])
            p = {"c": client, "k": contact, "u": self._uuid(), "x": f"{rng.randint(0, 99):02d}"}
            if op == "rename" and client:
                conn.execute(text("UPDATE client SET name = 'ООО «' || :x || '»' WHERE id = :c"), p)
            elif op == "inn" and client:
                conn.execute(text("UPDATE client SET inn = :x || substr(inn, 3) WHERE id = :c"), p)
            elif op == "contract" and client:
                conn.execute(text("UPDATE client SET contract_no = 'ВН-' || :x WHERE id = :c"), p)
            elif op == "contact_add" and client:
                conn.execute(text("INSERT INTO contact(uuid, updated_at, client_id, name, position, phone, email) "
                                  "VALUES (:u, '2026-12-01 10:00:00', :c, 'Петров ' || :x, '', '+7 900 ' || :x, '')"), p)
            elif op == "contact_edit" and contact:
                conn.execute(text("UPDATE contact SET phone = '+7 901 ' || :x WHERE id = :k"), p)
            elif op == "contact_move" and contact and client:
                conn.execute(text("UPDATE contact SET client_id = :c WHERE id = :k"), p)
            elif op == "contact_del" and contact:
                conn.execute(text("DELETE FROM contact WHERE id = :k"), p)
            return op


def _inn(n: int) -> str:
    """A valid legal entity's ИНН (10 digits, the check digit of the Federal Tax Service's rule)."""
    body = f"77{n:07d}"
    check = sum(int(d) * w for d, w in zip(body, (2, 4, 10, 3, 5, 9, 4, 6, 8), strict=True)) % 11 % 10
    return f"{body}{check}"


_made = iter(range(10**6))


def _clients(db, n: int) -> list[int]:
    return [add_client(db, ClientInput(name=f"ООО «Клиент {i:03d}»", inn=_inn(next(_made)), approach="remote",
                                       contacts=[PersonInput(name=f"Иванов {i}", phone="+7 900 000-00-00")]))
            for i in range(n)]


@pytest.fixture
def db(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'list.sqlite3'}")
    yield database
    database.dispose()


@pytest.mark.parametrize("seed", range(3))
def test_merged_deltas_equal_a_full_read_after_random_raw_writes(db, seed):
    _clients(db, 40)
    first = read_list(db)
    assert first.complete and first.basis is not None
    held = {row.id: row for row in first.rows}
    basis, kinds, writer, seen = first.basis, {"delta": 0, "full": 0}, ContactWriter(db, random.Random(seed)), set()
    for step in range(300):
        seen.add(writer.step())
        if step % 6 == 5:
            read = read_list(db, basis)
            if read.complete:
                held = {row.id: row for row in read.rows}
                kinds["full"] += 1
            else:
                for client_id in read.gone:
                    del held[client_id]
                held.update((row.id, row) for row in read.rows)
                kinds["delta"] += 1
            basis = read.basis
            assert held == {row.id: row for row in list_clients(db)}, f"after step {step}"
    assert kinds["delta"] > 10 and kinds["full"] > 0  # both paths were taken (the catalogue changes force a full)
    assert seen >= {"tick", "move", "mark", "client", "rename", "contact_add", "contact_edit", "contact_del"}


def test_only_the_changed_new_and_deleted_clients_are_read(db):
    ids = _clients(db, 30)
    basis = read_list(db).basis
    assert read_list(db, basis).rows == [] and read_list(db, basis).gone == []  # nothing changed: nothing read
    with db.engine.begin() as conn:  # raw writes, as a restore's file, a bundle or the sync engine make them
        conn.execute(text("UPDATE client SET stage = 2 WHERE id IN (:a, :b)"), {"a": ids[3], "b": ids[7]})
        conn.execute(text("UPDATE contact SET email = 'a@b.ru' WHERE client_id = :c"), {"c": ids[11]})
        conn.execute(text("DELETE FROM client WHERE id = :c"), {"c": ids[20]})
    new = _clients(db, 1)[0]
    read = read_list(db, basis)
    assert not read.complete
    assert sorted(row.id for row in read.rows) == sorted([ids[3], ids[7], ids[11], new])
    assert read.gone == [ids[20]]
    fresh = {row.id: row for row in list_clients(db)}
    assert all(fresh[row.id] == row for row in read.rows)
    assert {fresh[ids[3]].stage, fresh[ids[7]].stage} == {2}


def test_a_client_without_a_stamp_is_read_every_time(db):
    ids = _clients(db, 10)
    with db.engine.begin() as conn:  # a writer that bypassed the triggers
        conn.execute(text("DELETE FROM client_stamp WHERE client_id = :c"), {"c": ids[4]})
    basis = read_list(db).basis
    for _ in range(2):
        read = read_list(db, basis)
        assert [row.id for row in read.rows] == [ids[4]] and read.gone == []
        basis = read.basis


def test_a_change_of_most_rows_or_of_the_catalogue_reads_every_row(db):
    _clients(db, 12)
    basis = read_list(db).basis
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE client SET stage = 1"))  # all 12 changed: more than half
    read = read_list(db, basis)
    assert read.complete and len(read.rows) == 12
    with db.engine.begin() as conn:  # one lesson retired: every row's total changes, no stamp does
        conn.execute(text("UPDATE lesson SET active = 0 WHERE code = (SELECT min(code) FROM lesson)"))
    again = read_list(db, read.basis)
    assert again.complete and again.rows == list_clients(db)
    assert again.rows[0].lessons_total == read.rows[0].lessons_total - 1


def test_another_copy_of_the_file_differs_by_its_own_stamps(db, tmp_path):
    """A restore puts an older copy in place: the rows changed since the copy differ from the held ones by
    their stamps (random, not a counter that the copy would count again from its own value)."""
    ids = _clients(db, 20)
    db.checkpoint()
    shutil.copy(db.sqlite_path, tmp_path / "backup.sqlite3")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE client SET stage = 3 WHERE id IN (:a, :b)"), {"a": ids[1], "b": ids[2]})
    held = read_list(db)
    backup = open_database(f"sqlite:///{tmp_path / 'backup.sqlite3'}")
    try:
        with backup.engine.begin() as conn:  # the copy changes on its own after the restore: another client
            conn.execute(text("UPDATE client SET stage = 4 WHERE id = :c"), {"c": ids[5]})
        read = read_list(backup, held.basis)
        assert not read.complete
        assert sorted(row.id for row in read.rows) == [ids[1], ids[2], ids[5]]
        merged = {row.id: row for row in held.rows} | {row.id: row for row in read.rows}
        assert merged == {row.id: row for row in list_clients(backup)}
    finally:
        backup.dispose()


def test_every_client_has_a_stamp_after_the_migration(tmp_path):
    """A database at 0016 (no stamps) gets one per client and the triggers; later writes draw new ones."""
    from alembic import command

    from app.persistence.migrate import alembic_config

    path = tmp_path / "old.sqlite3"
    db = open_database(f"sqlite:///{path}")
    ids = _clients(db, 5)
    with db.engine.begin() as conn:
        config = alembic_config(db)
        config.attributes["connection"] = conn
        command.downgrade(config, "0016")
        assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name LIKE '%stamp%'")).scalar() == 0
    db.dispose()
    db = open_database(f"sqlite:///{path}")  # migrates to head
    try:
        with db.engine.connect() as conn:
            stamps = dict(conn.execute(text("SELECT client_id, stamp FROM client_stamp")).all())
        assert sorted(stamps) == sorted(ids) and len(set(stamps.values())) == 5
        basis = read_list(db).basis
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE client SET manager = 'Петрова' WHERE id = :c"), {"c": ids[0]})
        assert [row.id for row in read_list(db, basis).rows] == [ids[0]]
    finally:
        db.dispose()
