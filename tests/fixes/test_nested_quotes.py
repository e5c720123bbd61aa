"""A name with quotes of its own wrapped in «…» again read «ПАО «Завод»»» in messages and documents (testers,
2026-12-05); Russian typography nests the inner ones as „…“: «ПАО „Завод“». The stored name is not changed."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from app.domain.quotes import in_quotes, quoted
from app.errors import UserError

NAME = "ПАО «Завод»"
SHOWN = "«ПАО „Завод“»"


def test_the_inner_quotes_of_a_wrapped_name_are_nested():
    assert quoted(NAME) == SHOWN
    assert f"«{in_quotes(NAME)}»" == SHOWN
    assert quoted("ООО Ромашка") == "«ООО Ромашка»" and in_quotes("") == "" and in_quotes(None) == ""
    assert quoted("АО «Завод «Маяк»»") == "«АО „Завод „Маяк““»"


@pytest.mark.parametrize(("name", "shown"), [
    ('ПАО "Завод "Красный Октябрь""', "«ПАО „Завод „Красный Октябрь““»"),
    ('ООО "Ромашка"', "«ООО „Ромашка“»"), ('"Ромашка" ООО', "«„Ромашка“ ООО»"),
    ('ООО ("Тест")', "«ООО („Тест“)»"), ("ИП Иванов И. И.", "«ИП Иванов И. И.»"),
])
def test_straight_quotes_of_a_name_are_nested_too(name, shown):
    """Names typed or copied from 1С come with straight quotes: «ПАО "Завод "Красный Октябрь""» (tester J)."""
    assert quoted(name) == shown


def test_command_line_messages_nest_the_quotes_of_a_name(cli, tmp_path):
    assert cli("clients", "add", "--name", NAME, "--inn", "7707083893", "--approach", "accompanied")[0] == 0
    status, _out, err = cli("report", "act", "1", "--from", "2026-11-01", "--to", "2026-11-30",
                            "-o", str(tmp_path / "act.pdf"))
    assert status == 2 and f"У заказчика {SHOWN} бесплатное сопровождение" in err, err
    status, out, _err = cli("clients", "list", "--json")
    assert json.loads(out)[0]["name"] == NAME  # stored and listed as typed
    assert cli("clients", "delete", "1") == (0, f"Заказчик {SHOWN} удалён вместе с его записями.\n", "")


def test_the_timer_refusal_nests_the_quotes_of_a_name(db):
    """The tester's «Таймер уже идёт для «ООО «Лютик»»: сначала остановите его.»"""
    from app.services.clients import ClientInput, add_client
    from app.services.worklog_timer import start_timer

    first = add_client(db, ClientInput(name="ООО «Лютик»", inn="7728168971", approach="remote"))
    other = add_client(db, ClientInput(name=NAME, inn="7707083893", approach="remote"))
    start_timer(db, first, "conference", datetime(2026, 12, 5, 9, 0).astimezone())
    with pytest.raises(UserError) as err:
        start_timer(db, other, "conference", datetime(2026, 12, 5, 9, 30).astimezone())
    assert "«ООО „Лютик“»" in err.value.message and "»»" not in err.value.message


def test_a_stage_sign_off_sheet_nests_the_quotes_of_a_stage_title(db):
    from app.persistence.models import StageDef
    from app.reports import render
    from app.services import documents as docs
    from tests.reports.helpers import ISSUED, build_world, pdf_text

    world = build_world(db)
    with db.unit() as s:
        s.get(StageDef, 2).title = "Ввод данных «Склад»"
    draft = docs.prepare(db, "signoff", world.client_id, on=ISSUED, stage=2, force=True, reason="по письму")
    text = pdf_text(render(dict(draft.content, code="X-1/2026")))
    assert "Этап «Ввод данных „Склад“» принят с замечаниями" in text, text
