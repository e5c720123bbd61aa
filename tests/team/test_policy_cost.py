"""Row-level security costs a few comparisons a row, not a query a row: the policies read the member's role once
per statement. Before, vn_app_role() ran for every client row a policy looked at: a specialist's single-row push
on a server of 6 000 clients took ~100 ms a statement (the trial of 2026-12-01). Counted with PostgreSQL's own
function statistics, so the test does not depend on the machine's speed."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.team.conftest import PASSWORD, member_url

pytestmark = pytest.mark.postgres
CLIENTS = 300


@pytest.fixture
def crowded(server, server_url, login_of):
    """(spec1 engine, spec1's client id, manager engine): CLIENTS clients of spec2 and one of spec1 on the
    server, the function statistics switched on for new sessions of this database."""
    from app.team.users import add_user

    boss, spec1, spec2 = login_of("boss"), login_of("spec1"), login_of("spec2")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD, position="Руководитель")
    add_user(server, spec1, "Иванова Анна", "specialist", PASSWORD, position="Специалист", manager=boss)
    add_user(server, spec2, "Сидоров Олег", "specialist", PASSWORD, position="Специалист")
    with server.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO client (uuid, name, inn, kpp, address, city, approach, stage, stage_since, contract_no, "
            "program_version, manager, signer_name, signer_position, notes, specialist_login, manager_login, "
            "updated_at, updated_by, created_at) "
            "SELECT gen_random_uuid()::text, 'Заказчик ' || g, (7000000000 + g)::text, '', '', '', 'remote', 1, "
            "now(), '', '', '', '', '', '', CASE WHEN g = 1 THEN :s1 ELSE :s2 END, '', now(), 'owner', now() "
            "FROM generate_series(1, :n) g"), {"n": CLIENTS + 1, "s1": spec1, "s2": spec2})
        database = conn.execute(text("SELECT current_database()")).scalar()
        conn.execute(text(f'ALTER DATABASE "{database}" SET track_functions = \'all\''))
    engines = [create_engine(member_url(server_url, login)) for login in (spec1, boss)]
    with engines[0].connect() as conn:
        own = conn.execute(text("SELECT id FROM client")).scalar_one()
    yield engines[0], own, engines[1]
    for engine in engines:
        engine.dispose()


def _role_reads(conn) -> int:
    return int(conn.execute(text("SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions "
                                 "WHERE funcname = 'vn_app_role'")).scalar())


@pytest.mark.parametrize("statement", [
    "SELECT count(*) FROM client",
    "INSERT INTO contact (uuid, client_id, name, position, phone, email, updated_at, updated_by) "
    "VALUES (gen_random_uuid()::text, :own, 'Петров П. П.', '', '', '', now(), 'x')",
    "SELECT count(*) FROM contact",
    "UPDATE client SET city = 'Тверь' WHERE id = :own",
    "SELECT count(*) FROM audit_log",
])
def test_a_statement_reads_the_members_role_a_few_times_whatever_the_number_of_clients(crowded, statement):
    spec1, own, _manager = crowded
    with spec1.connect() as conn, conn.begin():
        before = _role_reads(conn)
        conn.execute(text(statement), {"own": own} if ":own" in statement else {})
        reads = _role_reads(conn) - before
    assert reads <= 6, f"{reads} reads of vn_app_role() for one statement over {CLIENTS} clients"


def test_what_each_member_sees_is_unchanged(crowded):
    spec1, _own, manager = crowded
    with spec1.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM client")).scalar() == 1  # a specialist: their own
    with manager.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM client")).scalar() == 1  # a manager: their specialists'
