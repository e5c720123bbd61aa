"""ИНН, КПП, e-mail, phone, dates and text validation."""

from datetime import date

import pytest

from app.domain import validation as v
from app.errors import UserError

VALID_INN = ["7707083893", "7736050003", "500100732259", "7830002293"]
INVALID_INN = ["7707083894", "500100732258", "123", "77070838931", "77070838ab", "", "0000000001"]


@pytest.mark.parametrize("inn", VALID_INN)
def test_valid_inn_accepted(inn):
    assert v.inn_error(inn) is None
    assert v.validate_inn(f" {inn} ") == inn


@pytest.mark.parametrize("inn", INVALID_INN)
def test_invalid_inn_refused_in_russian(inn):
    message = v.inn_error(inn)
    assert message and "ИНН" in message
    with pytest.raises(UserError):
        v.validate_inn(inn)


def test_wrong_check_digit_message_names_the_number():
    assert "7707083894" in v.inn_error("7707083894")
    assert "контрольн" in v.inn_error("7707083894")


@pytest.mark.parametrize("kpp,ok", [("770101001", True), ("7701AB001", True), ("77010100", False), ("abc", False), ("", True)])
def test_kpp(kpp, ok):
    assert (v.kpp_error(kpp) is None) is ok


@pytest.mark.parametrize("email,ok", [("a@b.ru", True), ("info@завод.рф", True), ("a@b", False), ("a b@c.ru", False)])
def test_email(email, ok):
    assert (v.email_error(email) is None) is ok


@pytest.mark.parametrize("phone,ok", [("+7 343 210-45-17", True), ("8(495)1234567", True), ("звонить", False), ("12", False)])
def test_phone(phone, ok):
    assert (v.phone_error(phone) is None) is ok


def test_dates_parse_both_forms_and_refuse_impossible():
    assert v.parse_date("2024-07-01", "d") == date(2024, 7, 1)
    assert v.parse_date("01.07.2024", "d") == date(2024, 7, 1)
    for bad in ("2024-02-30", "31.04.2024", "завтра", ""):
        with pytest.raises(UserError, match="неверная дата"):
            v.parse_date(bad, "Дата")
    with pytest.raises(UserError, match="вне лет"):  # a real date, outside 1990–2100
        v.parse_date("3024-01-01", "Дата")


def test_text_rules():
    assert v.clean_text("  ООО «Ромашка» ", "n") == "ООО «Ромашка»"
    with pytest.raises(UserError, match="обязательно"):
        v.clean_text("  ", "Наименование", required=True)
    with pytest.raises(UserError, match="управляющие"):
        v.clean_text("a\x07b", "n")
    with pytest.raises(UserError, match="слишком длинное"):
        v.clean_text("я" * 501, "n")
