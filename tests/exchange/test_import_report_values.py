"""Issue 17 (trial finding 9): a bundle's import report shows a conflict's two values as `sync conflicts` does —
«да/нет», 05.03.2026, a stage's and an approach's titles, money in roubles, a member by name — never the raw
stored values («здесь True, в файле False», «2026-03-05», «onsite», «1500.00», «petrov»)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.estimate import EstimateInput
from app.persistence.db import open_database
from app.persistence.models import Estimate, TeamUser
from app.services.clients import ClientInput, add_client
from app.services.estimates import save_estimate
from app.services.progress import set_checklist
from app.sync.service import conflict_lines
from tests.exchange.test_bundle_versions import carry, edit

INN = "7707083893"


@pytest.fixture
def laptops(tmp_path):
    """A made the client with a ticked item; B took A's first file."""
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    add_client(a, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote", city="Москва"))
    set_checklist(a, INN, ["s1.lessons"], True, on=date(2026, 3, 2))
    carry(a, b, tmp_path / "first.zip")
    yield a, b
    a.dispose()
    b.dispose()


def _conflict_lines(report) -> list[str]:
    return [line for line in report.lines() if line.startswith("  ! ")]


def test_a_tick_conflict_reads_yes_no_and_a_date(laptops):
    a, b = laptops
    set_checklist(a, INN, ["s1.lessons"], False)
    set_checklist(b, INN, ["s1.lessons"], False)
    set_checklist(b, INN, ["s1.lessons"], True, on=date(2026, 3, 5))
    lines = _conflict_lines(carry(a, b))
    text = "\n".join(lines)
    assert any("выполнено (здесь да, в файле нет" in line for line in lines), text
    assert "True" not in text and "False" not in text, text


def test_a_tick_day_conflict_reads_dd_mm_yyyy(laptops):
    a, b = laptops
    for db, day in ((a, date(2026, 11, 1)), (b, date(2026, 11, 2))):
        set_checklist(db, INN, ["s1.lessons"], False)
        set_checklist(db, INN, ["s1.lessons"], True, on=day)
    text = "\n".join(_conflict_lines(carry(a, b)))
    assert "(здесь 02.11.2026, в файле 01.11.2026" in text, text
    assert "2026-11-0" not in text, text


def test_an_approach_and_money_read_as_titles_and_roubles(laptops):
    """(A client's stage never conflicts: it follows its moves, app/sync/merge.py DERIVED; the stage's words are
    checked in tests/unit/test_conflict_values.py.)"""
    a, b = laptops
    save_estimate(a, INN, "onsite", EstimateInput(days=Decimal(2), transfer=Decimal("1000.00")), on=date(2026, 3, 2))
    carry(a, b)
    edit(a, approach="onsite")
    edit(b, approach="accompanied")
    for db, amount in ((a, "2000.00"), (b, "2500.50")):
        with db.unit() as s:
            s.scalar(select(Estimate)).transfer = Decimal(amount)
    text = "\n".join(_conflict_lines(carry(a, b)))
    assert "(здесь Сопровождение внедрения (бесплатно), в файле Выездное внедрение" in text, text
    assert "(здесь 2 500,50 ₽, в файле 2 000,00 ₽" in text, text
    assert "onsite" not in text and "accompanied" not in text and "2500.50" not in text, text
    assert "Расчёт стоимости «02.03.2026 Выездное внедрение»" in text, text
    # and `sync conflicts` says the same values
    shown = {(line.local, line.server) for line in conflict_lines(b)}
    assert {("Сопровождение внедрения (бесплатно)", "Выездное внедрение"), ("2 500,50 ₽", "2 000,00 ₽")} <= shown, shown


def test_a_member_is_named_not_by_login(laptops):
    a, b = laptops
    with b.unit() as s:
        s.add_all([TeamUser(login="petrov", full_name="Петров Пётр", role="specialist"),
                   TeamUser(login="sidorova", full_name="Сидорова Анна", role="specialist")])
    edit(a, specialist_login="petrov")
    edit(b, specialist_login="sidorova")
    text = "\n".join(_conflict_lines(carry(a, b)))
    assert "(здесь Сидорова Анна, в файле Петров Пётр" in text, text
    assert "petrov" not in text and "sidorova" not in text, text
