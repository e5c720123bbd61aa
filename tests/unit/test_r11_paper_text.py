"""Characters the documents' font cannot print (tester N, item 6): «😀» in a client's name or a sign-off's reason
came out as an empty box on paper. Fields that go on paper refuse them at input, naming the character; fields that
never go on paper keep taking them."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import validation as v
from app.errors import UserError

EMOJI = "\U0001F600"


def test_the_glyph_table_matches_the_shipped_fonts():
    from tools.paper_glyphs import TARGET, font_ranges, source

    assert TARGET.read_text(encoding="utf-8") == source(font_ranges())


@pytest.mark.parametrize("text", ["ООО «Ромашка» № 5 — ёлки, 1 500 ₽ × 2…", "Ärzte GmbH € ½", "a\nb"])
def test_what_the_font_prints_is_accepted(text):
    assert v.unprintable_char(text) is None
    assert v.clean_multiline(text, "Причина", paper=True) == text


@pytest.mark.parametrize("char", [EMOJI, "✓", "\u4e2d", "\U0001F44D"])
def test_a_character_the_font_lacks_is_refused_and_named(char):
    with pytest.raises(UserError) as err:
        v.clean_text(f"ООО «Тест» {char}", "Наименование", paper=True)
    assert err.value.message == (f"В поле «Наименование» есть знак «{char}» (U+{ord(char):04X}) — в документах он "
                                 "не печатается: уберите или замените его.")
    assert v.clean_text(f"ООО «Тест» {char}", "Заметка") == f"ООО «Тест» {char}"  # not on paper: kept


def test_cli_refuses_an_emoji_in_a_client_name_and_a_sign_off_reason(cli):
    status, _out, err = cli("clients", "add", "--name", f"ООО «Тест» {EMOJI}", "--inn", "7707083893",
                            "--approach", "remote")
    assert status == 2 and f"«{EMOJI}» (U+1F600)" in err and "Наименование" in err
    status, _out, err = cli("clients", "add", "--name", "ООО «Тест»", "--inn", "7707083893", "--approach", "remote")
    assert status == 0, err
    status, _out, err = cli("report", "signoff", "7707083893", "--stage", "1", "--with-remarks", "--reason",
                            f"Склад не внесён {EMOJI}", "-o", "/dev/null/x.pdf")
    assert status == 2 and "U+1F600" in err


def test_every_field_that_goes_on_paper_refuses_it(db, client_id):
    from app.domain.estimate import EstimateInput
    from app.services import documents as docs
    from app.services import progress
    from app.services.clients import ClientInput, edit_client, field_errors
    from app.services.documents.executor import ExecutorDetails, executor_errors
    from app.services.estimates import save_estimate
    from app.services.templates import add_checklist_item

    card = ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote", address=f"ул. Ленина {EMOJI}",
                       city=EMOJI, signer_name=EMOJI, signer_position=EMOJI, contract_no=EMOJI,
                       program_version=EMOJI, manager=f"Петрова {EMOJI}")
    assert set(field_errors(card)) == {"address", "city", "signer_name", "signer_position", "contract_no",
                                       "program_version"}  # the manager is not printed
    with pytest.raises(UserError, match="U\\+1F600"):
        edit_client(db, client_id, {"name": f"ООО «Ромашка» {EMOJI}"})
    errors = executor_errors(ExecutorDetails(company=EMOJI, address=EMOJI, bank_details=f"Банк\n{EMOJI}",
                                             specialist_name=EMOJI, signer_position=EMOJI))
    assert {"company", "address", "bank_details", "specialist_name", "signer_position"} <= set(errors)
    for call in (lambda: progress.move_stage(db, client_id, 1, reason=f"Старт {EMOJI}"),
                 lambda: add_checklist_item(db, 1, f"Пункт {EMOJI}"),
                 lambda: save_estimate(db, client_id, "remote", EstimateInput(), on=date(2026, 1, 5),
                                       note=f"Скидка {EMOJI}"),
                 lambda: docs.void_document(db, 1, f"Ошибка {EMOJI}")):
        with pytest.raises(UserError, match="U\\+1F600"):
            call()
