"""The executor's bank details are checked together, as a bank would (a fresh tester, 2026-12-05: БИК 000000000,
a р/с and a к/с whose control digit is wrong and an ОГРНИП for an ООО were accepted and printed on every act; an
account typed with spaces was refused as 24 characters long)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.validation import bank_key_ok
from app.errors import UserError
from app.services.documents.executor import executor_errors, get_executor, set_executor
from tests.reports.helpers import EXECUTOR

BANK = dict(bank_name="ПАО Сбербанк", bank_bik="044525225", bank_account="40702810938000000001",
            bank_corr="30101810400000000225", ogrn="1027700132195")  # the real Сбербанк's


def test_the_control_key_of_the_bank_of_russia():
    assert bank_key_ok("225" + "40702810938000000001")
    assert not bank_key_ok("225" + "40702810900000000001")  # one digit off
    assert bank_key_ok("025" + "30101810400000000225")  # «0» and the BIK's 5th–6th digits, then the к/с
    assert not bank_key_ok("025" + "12345678901234567890")
    assert not bank_key_ok("225" + "4070281093800000000")  # 22 digits
    assert not bank_key_ok("225" + "4070281093800000000٣")  # a digit of another script


def test_good_details_are_saved_with_the_spaces_and_dashes_of_a_banks_letter_taken_out(db):
    set_executor(db, replace(EXECUTOR, **{**BANK, "bank_account": "40702-810-9-3800 0000001",
                                          "bank_bik": "04 45 25 225"}))
    saved = get_executor(db)
    assert (saved.bank_account, saved.bank_bik) == ("40702810938000000001", "044525225")


@pytest.mark.parametrize(("changes", "field", "said"), [
    ({"bank_bik": "000000000"}, "bank_bik", "БИК 000000000 — не российского банка"),
    ({"bank_account": "40702810900000000001"}, "bank_account",
     "Расчётный счёт 40702810900000000001 не сходится с БИК 044525225"),
    ({"bank_corr": "12345678901234567890"}, "bank_corr", "Корр. счёт 12345678901234567890 не сходится с БИК 044525225"),
    ({"ogrn": "304500116000157"}, "ogrn", "ОГРН 304500116000157 из 15 цифр — это ОГРНИП предпринимателя"),
    ({"inn": "500100732259", "kpp": "", "ogrn": "1027700132195"}, "ogrn", "у предпринимателя ОГРНИП из 15 цифр"),
    ({"bank_bik": ""}, "bank_bik", "Укажите БИК банка: счета проверяются по нему."),  # zeros were saved without it
    ({"bank_corr": "30101810145250000974"}, "bank_corr", "оканчивается тремя последними цифрами БИК"),  # T-Bank's
    ({"bank_bik": "０４４５２５２２５"}, "bank_bik", "должно состоять из 9 цифр 0–9"),  # full-width digits
    ({"bank_account": "٤٠٧٠٢٨١٠٩٣٨٠٠٠٠٠٠٠٠١"}, "bank_account", "должно состоять из 20 цифр 0–9"),
])
def test_details_that_do_not_go_together_are_refused_naming_the_field_and_nothing_is_saved(db, changes, field, said):
    set_executor(db, replace(EXECUTOR, **BANK))
    wrong = replace(EXECUTOR, **{**BANK, **changes})
    assert said in executor_errors(wrong)[field]
    with pytest.raises(UserError) as err:
        set_executor(db, wrong)
    assert said in err.value.message
    assert get_executor(db).bank_account == BANK["bank_account"] and get_executor(db).ogrn == BANK["ogrn"]


def test_a_bank_name_alone_does_not_hide_the_free_text_details_on_paper():
    """A bank's name typed into its new field alone hid the free text's account, БИК and к/с from every act (a
    fresh tester, 2026-12-05): without an account the free text prints."""
    from app.reports.text import bank_line

    free = "р/с 40702810938000000001 в ПАО Сбербанк, БИК 044525225"
    assert bank_line({"bank_name": "ПАО Сбербанк", "bank_details": free}) == free
    assert bank_line({**BANK, "bank_details": free}).startswith("р/с\u00a040702810938000000001 в ПАО Сбербанк")
    assert bank_line({"bank_name": "ПАО Сбербанк"}) == "ПАО Сбербанк"
