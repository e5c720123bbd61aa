"""client_counts (migration 0016): the two list counters kept by SQLite triggers equal the live count
statements after any sequence of raw writes — ticks, unticks, stage moves, lesson marks, template and lesson
catalogue changes, client inserts and deletes — whoever writes them (raw SQL here, as the sync engine writes)."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import text

from app.persistence.db import open_database
from app.services.client_list import summaries
from app.services.clients import ClientInput, add_client
from app.services.demo import fill_demo

INNS = ["7707083893", "7736050003", "7702070139", "7710140679", "5408131553", "7728168971"]
BOGUS = ["x.one", "x.two"]  # codes that are neither a template item nor a lesson, until an operation adds them


def counters(db, *, live: bool) -> dict[int, tuple[int, int]]:
    """client id → (ticked at its stage, active lessons done), read from client_counts or counted live."""
    with db.read() as s:
        return {r.id: (r.checklist_done, r.lessons_done) for r in summaries(s, live=live)}


def stored(db) -> dict[int, tuple[int, int]]:
    with db.engine.connect() as conn:
        return {cid: (d, n) for cid, d, n in conn.execute(text("SELECT * FROM client_counts"))}


class Writer:
    """Random raw writes to the counted tables (every statement a plain SQL one, as the sync engine's)."""

    def __init__(self, db, rng: random.Random) -> None:
        self.db, self.rng, self.n = db, rng, 0

    def _uuid(self) -> str:
        self.n += 1
        return f"00000000-0000-4000-8000-{self.n:012d}"

    def _pick(self, conn, sql: str):
        rows = [r[0] for r in conn.execute(text(sql))]
        return self.rng.choice(rows) if rows else None

    def step(self) -> str:
        rng = self.rng
        with self.db.engine.begin() as conn:
            client = self._pick(conn, "SELECT id FROM client")
            templates = [c for (c,) in conn.execute(text("SELECT code FROM checklist_template"))] + BOGUS
            lessons = [c for (c,) in conn.execute(text("SELECT code FROM lesson"))] + BOGUS
            op = rng.choice(["tick", "tick", "flip", "untick", "move", "mark", "mark", "unmark", "remark",
                             "template", "lesson", "client", "move_row"])
            p = {"c": client, "u": self._uuid(), "d": rng.random() < 0.8, "now": "2026-12-01 10:00:00"}
            if op == "tick" and client:
                conn.execute(text("INSERT OR IGNORE INTO checklist_state(client_id, code, done, who, uuid, updated_at)"
                                  " VALUES (:c, :code, :d, '', :u, :now)"), {**p, "code": rng.choice(templates)})
            elif op == "flip":
                conn.execute(text("UPDATE checklist_state SET done = NOT done WHERE id = :i"),
                             {"i": self._pick(conn, "SELECT id FROM checklist_state")})
            elif op == "untick":
                conn.execute(text("DELETE FROM checklist_state WHERE id = :i"),
                             {"i": self._pick(conn, "SELECT id FROM checklist_state")})
            elif op == "move" and client:
                conn.execute(text("UPDATE client SET stage = :s WHERE id = :c"), {**p, "s": rng.randint(0, 4)})
            elif op == "mark" and client:
                conn.execute(text("INSERT OR IGNORE INTO lesson_progress(client_id, lesson_code, employee_uuid, done,"
                                  " uuid, updated_at) VALUES (:c, :code, :e, :d, :u, :now)"),
                             {**p, "code": rng.choice(lessons), "e": rng.choice(["", "", "", "e-1"])})
            elif op == "unmark":
                conn.execute(text("DELETE FROM lesson_progress WHERE id = :i"),
                             {"i": self._pick(conn, "SELECT id FROM lesson_progress")})
            elif op == "remark":
                column, value = rng.choice([("done", "NOT done"), ("employee_uuid", "CASE employee_uuid WHEN '' "
                                            "THEN 'e-1' ELSE '' END"), ("lesson_code", ":code"), ("client_id", ":c")])
                conn.execute(text(f"UPDATE OR IGNORE lesson_progress SET {column} = {value} WHERE id = :i"),
                             {**p, "code": rng.choice(lessons), "i": self._pick(conn, "SELECT id FROM lesson_progress")})
            elif op == "move_row":
                conn.execute(text("UPDATE OR IGNORE checklist_state SET client_id = :c, code = :code WHERE id = :i"),
                             {**p, "code": rng.choice(templates), "i": self._pick(conn, "SELECT id FROM checklist_state")})
            elif op == "template":
                self._template(conn, rng.choice(templates))
            elif op == "lesson":
                self._lesson(conn, rng.choice(lessons))
            elif op == "client":
                self._client(conn, client)
            return op

    def _template(self, conn, code: str) -> None:
        rng = self.rng
        kind = rng.choice(["stage", "code", "insert", "delete"])
        if kind == "stage":
            conn.execute(text("UPDATE checklist_template SET stage = :s WHERE code = :code"),
                         {"s": rng.randint(1, 3), "code": code})
        elif kind == "code":
            conn.execute(text("UPDATE OR IGNORE checklist_template SET code = :new WHERE code = :code"),
                         {"new": rng.choice(BOGUS), "code": code})
        elif kind == "insert":
            conn.execute(text("INSERT OR IGNORE INTO checklist_template(code, stage, position, title) "
                              "VALUES (:code, :s, 99, 'x')"), {"code": code, "s": rng.randint(1, 3)})
        else:
            conn.execute(text("DELETE FROM checklist_template WHERE code = :code"), {"code": code})

    def _lesson(self, conn, code: str) -> None:
        rng = self.rng
        kind = rng.choice(["active", "active", "code", "insert", "delete"])
        if kind == "active":
            conn.execute(text("UPDATE lesson SET active = NOT active WHERE code = :code"), {"code": code})
        elif kind == "code":
            conn.execute(text("UPDATE OR IGNORE lesson SET code = :new WHERE code = :code"),
                         {"new": rng.choice(BOGUS), "code": code})
        elif kind == "insert":
            conn.execute(text("INSERT OR IGNORE INTO lesson(code, number, title, section, stage, duration_min, "
                              "video_url, active) VALUES (:code, 99, 'x', 'x', 1, 10, '', :a)"),
                         {"code": code, "a": rng.random() < 0.7})
        else:
            conn.execute(text("DELETE FROM lesson WHERE code = :code"), {"code": code})

    def _client(self, conn, client: int | None) -> None:
        if client is not None and self.rng.random() < 0.5:
            conn.execute(text("DELETE FROM client WHERE id = :c"), {"c": client})
            return
        inn = self.rng.choice(INNS)
        conn.execute(text(
            "INSERT OR IGNORE INTO client(uuid, updated_at, name, inn, kpp, address, city, approach, stage, stage_since,"
            " contract_no, program_version, manager, signer_name, signer_position, notes, created_at)"
            " VALUES (:u, :now, :name, :inn, '', '', '', 'remote', :s, :now, '', '', '', '', '', '', :now)"),
            {"u": self._uuid(), "now": "2026-12-01 10:00:00", "name": f"ООО {inn}", "inn": inn,
             "s": self.rng.randint(0, 4)})


@pytest.mark.parametrize("seed", range(4))
def test_the_counters_equal_the_live_counts_after_random_writes(tmp_path, seed):
    db = open_database(f"sqlite:///{tmp_path / 'counts.sqlite3'}")
    try:
        for inn in INNS[:4]:
            add_client(db, ClientInput(name=f"ООО {inn}", inn=inn, approach="remote"))
        writer, seen = Writer(db, random.Random(seed)), set()
        for step in range(250):
            seen.add(writer.step())
            if step % 10 == 9:
                live = counters(db, live=True)
                assert counters(db, live=False) == live, f"after step {step}"
                assert stored(db) == live  # a row per client, none left of a deleted one
        assert seen >= {"tick", "flip", "untick", "move", "mark", "unmark", "remark", "template", "lesson", "client"}
        assert any(d or n for d, n in counters(db, live=True).values())  # the counts were not all zero
    finally:
        db.dispose()


@pytest.fixture
def demo(tmp_path):
    """The demo database (a temporary file), open."""
    db = open_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    try:
        fill_demo(db, today=date(2026, 11, 2))
        yield db
    finally:
        db.dispose()


def test_the_demo_reads_the_same_rows_as_the_live_counts(demo):
    with demo.read() as s:
        counted, live = summaries(s), summaries(s, live=True)
        some = [r.id for r in counted[::3]]
        assert summaries(s, some) == summaries(s, some, live=True) == [r for r in live if r.id in some]
    assert counted == live
    assert sum(r.checklist_done for r in live) > 0 and sum(r.lessons_done for r in live) > 0


def test_recount_all_puts_back_what_a_writer_without_the_triggers_left(demo):
    """app.persistence.counts.recount_all (the first sync's copy sets the triggers aside) gives the live counts."""
    from app.persistence.counts import recount_all

    with demo.engine.begin() as conn:
        conn.execute(text("UPDATE client_counts SET done_at_stage = 99, lessons_done = 99"))
        conn.execute(text("DELETE FROM client_counts WHERE client_id = (SELECT min(id) FROM client)"))
        conn.execute(text("INSERT INTO client_counts VALUES (-1, 5, 5)"))
    assert stored(demo) != counters(demo, live=True)
    with demo.engine.begin() as conn:
        recount_all(conn)
    assert stored(demo) == counters(demo, live=True) == counters(demo, live=False)


def _work(db) -> dict[str, tuple[int, int, int, int]]:
    """The same actions through the services; ИНН → the list's four counters."""
    from sqlalchemy import update

    from app.persistence.models import Lesson
    from app.services.client_list import list_clients
    from app.services.clients import delete_client
    from app.services.progress import move_stage, set_checklist, set_lessons

    ids = [add_client(db, ClientInput(name=f"ООО {inn}", inn=inn, approach="remote")) for inn in INNS[:4]]
    for cid in ids[:3]:
        move_stage(db, cid, 1, force=True, reason="тест")
        set_checklist(db, cid, ["s1.lessons", "s1.instruction"], True)
        set_lessons(db, cid, ["L01", "L02", "L03"], True)
    set_lessons(db, ids[0], ["L04"], True)
    set_checklist(db, ids[1], ["s1.instruction"], False)
    move_stage(db, ids[2], 2, force=True, reason="тест")  # its stage-1 ticks no longer count
    delete_client(db, ids[3])
    with db.unit() as s:
        s.execute(update(Lesson).where(Lesson.code == "L02").values(active=False))
    return {r.inn: (r.checklist_done, r.checklist_total, r.lessons_done, r.lessons_total) for r in list_clients(db)}


def test_sqlite_and_postgresql_give_the_same_counters(db, tmp_path):
    """``db`` is SQLite or PostgreSQL (db_url); the same actions on a SQLite file give the same rows."""
    reference = open_database(f"sqlite:///{tmp_path / 'reference.sqlite3'}")
    try:
        expected = _work(reference)
    finally:
        reference.dispose()
    got = _work(db)
    assert got == expected
    assert [got[inn][0] for inn in INNS[:3]] == [2, 1, 0] and [got[inn][2] for inn in INNS[:3]] == [3, 2, 2]
    with db.read() as s:
        assert summaries(s) == summaries(s, live=True)
