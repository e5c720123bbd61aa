"""vn_reserve_numbers took anything (the trial of issue 17): a specialist in psql reserved 2 000 000 000 numbers, a
negative count, kind «zzz», year 2099; new laptops' acts were numbered АУ-2000001081/2026, and a block up to
2 147 483 646 made every new laptop's first sync fail for ever («integer out of range»). The function now refuses
all of these for anyone and inserts nothing; a hostile block left on the server stops a laptop's sync with one
Russian sentence naming the kind and year, and the administrator's way out (docs/sync.md) frees the series."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from app.errors import UserError
from app.sync.numbers import BLOCK, years_to_reserve
from app.team.pg_refusals import server_refusal
from app.team.server import BLOCK_CAP, UNUSED_BLOCKS_CAP
from app.team.users import add_user
from tests.team.conftest import PASSWORD, join_laptop, member_url, sql_rows

pytestmark = pytest.mark.postgres
YEAR = date.today().year
INT_MAX = 2147483647
ASKED = ("Сервер команды резервирует номера документов только для вида документа программы, года с 2000-го по "
         "следующий и от 1 до 100 номеров за раз. Ничего не изменено.")


@pytest.fixture
def ann(server, login_of):
    login = login_of("ann")
    add_user(server, login, "Иванова Анна", "specialist", PASSWORD)
    return login


def _reserve(url: str, kind, year, n) -> int:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            return int(conn.execute(text("SELECT vn_reserve_numbers(:k, :y, :n)"),
                                    {"k": kind, "y": year, "n": n}).scalar_one())
    finally:
        engine.dispose()


def _blocks(server) -> list:
    return sql_rows(server, "SELECT kind, year, first, last FROM number_block ORDER BY id")


@pytest.mark.parametrize(("kind", "year", "n"), [
    ("act", YEAR, 2000000000), ("act", YEAR, BLOCK_CAP + 1), ("act", YEAR, 0), ("act", YEAR, -5),
    ("act", YEAR, None), ("zzz", YEAR, BLOCK), ("", YEAR, BLOCK), (None, YEAR, BLOCK), ("ACT", YEAR, BLOCK),
    ("act", 2099, BLOCK), ("act", YEAR + 2, BLOCK), ("act", 1999, BLOCK), ("act", -1, BLOCK), ("act", None, BLOCK),
])
def test_a_specialists_bad_reservation_is_refused_and_inserts_nothing(server, server_url, ann, kind, year, n):
    with pytest.raises(DBAPIError) as caught:
        _reserve(member_url(server_url, ann), kind, year, n)
    refusal = server_refusal(caught.value)
    assert refusal is not None and refusal.message == ASKED
    assert _blocks(server) == []


def test_the_programs_own_reservations_still_work(server, server_url, ann):
    url = member_url(server_url, ann)
    assert _reserve(url, "act", YEAR, BLOCK) == 1
    assert _reserve(url, "progress", YEAR + 1, BLOCK_CAP) == 1
    assert _reserve(url, "act", 2000, 1) == 1
    assert _reserve(url, "act", YEAR, BLOCK) == BLOCK + 1
    assert _blocks(server) == [("act", YEAR, 1, BLOCK), ("progress", YEAR + 1, 1, BLOCK_CAP), ("act", 2000, 1, 1),
                               ("act", YEAR, BLOCK + 1, 2 * BLOCK)]


def test_a_block_past_the_integer_range_is_refused(server, server_url, ann):
    """The last number of a block may be 2 147 483 647, not one more (the sum is computed past int)."""
    with server.engine.begin() as conn:  # an administrator's block (or one from before this rule)
        conn.execute(text("INSERT INTO number_block(kind, year, first, last, next, login) "
                          "VALUES ('act', :y, 1, :last, 1, 'x')"), {"y": YEAR, "last": INT_MAX - BLOCK})
    url = member_url(server_url, ann)
    assert _reserve(url, "act", YEAR, BLOCK) == INT_MAX - BLOCK + 1  # up to INT_MAX exactly
    for n in (1, BLOCK):
        with pytest.raises(DBAPIError) as caught:
            _reserve(url, "act", YEAR, n)
        refusal = server_refusal(caught.value)
        assert refusal is not None and "больше не выдаёт номера документов этого вида за этот год" in refusal.message
    assert len(_blocks(server)) == 2
    assert _reserve(url, "estimate", YEAR, BLOCK) == 1  # another kind's series is not touched


def test_one_login_holds_a_bounded_number_of_unused_blocks(server, server_url, ann):
    """Blocks of 100, asked for in a loop, would reach the integer range too: a login holds at most
    UNUSED_BLOCKS_CAP blocks of a kind and year from which no document is numbered."""
    url = member_url(server_url, ann)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT vn_reserve_numbers('act', :y, 100) FROM generate_series(1, :n)"),
                         {"y": YEAR, "n": UNUSED_BLOCKS_CAP})
        with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
            conn.execute(text("SELECT vn_reserve_numbers('act', :y, 100)"), {"y": YEAR})
    finally:
        engine.dispose()
    refusal = server_refusal(caught.value)
    assert refusal is not None and "обратитесь к администратору команды" in refusal.message
    assert len(_blocks(server)) == UNUSED_BLOCKS_CAP
    assert _reserve(url, "act", YEAR - 1, BLOCK) > 0  # per kind and year


def test_a_hostile_block_stops_a_new_laptops_sync_in_one_sentence_until_the_admin_deletes_it(
        server, server_url, ann, tmp_path):
    """A block near 2^31 left by an older server: the laptop names the kind and year and sends to the
    administrator; deleting the block as docs/sync.md says lets the sync through, numbered from the real series."""
    from app.sync.service import sync_once

    with server.engine.begin() as conn:
        conn.execute(text("INSERT INTO number_block(kind, year, first, last, next, login) "
                          "VALUES ('act', :y, 1081, :last, 1081, :l)"), {"y": YEAR, "last": INT_MAX - 1, "l": ann})
    opened: list = []
    try:
        with pytest.raises(UserError) as caught:
            join_laptop(tmp_path / "a.sqlite3", server_url, ann, opened)
        assert caught.value.message == (
            f"Сервер команды больше не выдаёт номера документа «Акт оказанных услуг» за {YEAR} год: его номера "
            "зарезервированы далеко вперёд или у этого логина слишком много неиспользованных блоков. Попросите "
            "администратора команды удалить эти блоки (docs/sync.md, раздел «Document numbers used up»), затем "
            "синхронизируйте снова.")
        with server.engine.begin() as conn:  # docs/sync.md «Document numbers used up»
            far = [r[0] for r in conn.execute(text(
                "SELECT id, login, first, last FROM number_block WHERE kind = 'act' AND year = :y "
                "ORDER BY first DESC LIMIT 20"), {"y": YEAR}) if r[3] > 1000000]
            assert len(far) == 1
            conn.execute(text("DELETE FROM number_block b WHERE id = ANY(:ids) AND NOT EXISTS "
                              "(SELECT 1 FROM document d WHERE d.series = '' AND d.kind = b.kind "
                              "AND d.year = b.year AND d.number BETWEEN b.first AND b.last)"), {"ids": far})
        sync_once(opened[0])
        with opened[0].engine.connect() as conn:
            assert conn.execute(text("SELECT min(first) FROM number_block WHERE kind = 'act' AND year = :y"),
                                {"y": YEAR}).scalar() == 1
    finally:
        for db in opened:
            db.dispose()


def test_a_laptop_with_its_clock_far_off_reserves_the_servers_years_only():
    assert years_to_reserve(2026, date(2026, 12, 31)) == {2026}
    assert years_to_reserve(2026, date(2027, 1, 1)) == {2026, 2027}
    assert years_to_reserve(2027, date(2026, 12, 31)) == {2026, 2027}
    assert years_to_reserve(2026, date(2099, 5, 1)) == {2026}
    assert years_to_reserve(2026, date(1999, 5, 1)) == {2026}
