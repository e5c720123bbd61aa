"""Issue 13, kinds 1 and 2: text folded the way Russian users type it; identifiers stored in one spelling."""

from __future__ import annotations

import pytest

from app.domain import normalize as n
from app.domain import validation as v
from app.errors import UserError
from app.services.client_list import list_clients
from app.services.clients import ClientInput, PersonInput, add_client, get_client, update_client


def found(summary, query: str) -> bool:
    """What the client list does with a query: every folded word in the search text, or the digits of a
    phone/ИНН query in the search text without separators (ui/models/client_search.py)."""
    tokens = n.search_tokens(query)
    if all(token in summary.search_text for token in tokens):
        return True
    digits = n.search_digits(query)
    compact = "".join(ch for ch in summary.search_text if ch not in " ()-+")
    return bool(digits) and digits in compact


# ------------------------------------------------------------------ kind 1: fold and search


@pytest.mark.parametrize("text,key", [
    ("ООО «Зелёный сад»", "ооо зеленый сад"),
    ("АО \u201eБерёзка\u201c", "ао березка"),
    ("Фёдоров  Пётр\u00a0Ильич ", "федоров петр ильич"),
    ("Санкт\u2013Петербург", "санкт-петербург"),
    ("Санкт\u2014Петербург", "санкт-петербург"),
    ("ЗАО 'Ёлка'", "зао елка"),
    ("ＯＯＯ «Ромашка»", "ooo ромашка"),  # full-width Latin letters are plain ones
    ("Ро\u00adмаш\u200bка", "ромашка"),  # soft hyphen and zero-width space from Word
])
def test_fold(text, key):
    assert n.fold(text) == key


@pytest.mark.parametrize("query,digits", [
    ("8 (495) 123-45-67", "4951234567"),
    ("+7 495 123 45 67", "4951234567"),
    ("84951234567", "4951234567"),
    ("74951234567", "4951234567"),
    ("+7(495)", "495"),
    ("7707 083 893", "7707083893"),
    ("７７０７０８３８９３", "7707083893"),
    ("12", ""),
    ("зеленый", ""),
])
def test_search_digits(query, digits):
    assert n.search_digits(query) == digits


@pytest.fixture
def search_db(db):
    add_client(db, ClientInput(name="ООО «Зелёный сад»", inn="7707083893", approach="remote",
                               contacts=[PersonInput("Фёдоров Пётр", phone="+7 (495) 123-45-67")]))
    add_client(db, ClientInput(name="АО «Берёзка»", inn="7736207543", approach="onsite", contract_no="ВН–12"))
    add_client(db, ClientInput(name="ПАО \u201cСанкт-Петербургский завод\u201d", inn="5405467530",
                               approach="accompanied"))
    return {s.name: s for s in list_clients(db)}


@pytest.mark.parametrize("query,name", [
    ("зеленый", "ООО «Зелёный сад»"),  # the first input of the issue
    ("березка", "АО «Берёзка»"),
    ("федоров", "ООО «Зелёный сад»"),
    ("петр", "ООО «Зелёный сад»"),
    ("ЗЕЛЁНЫЙ   САД", "ООО «Зелёный сад»"),  # case and extra spaces
    ("«зеленый сад»", "ООО «Зелёный сад»"),  # quotes typed
    ('"зеленый сад"', "ООО «Зелёный сад»"),
    ("ооо зеленый", "ООО «Зелёный сад»"),
    ("вн-12", "АО «Берёзка»"),  # en dash stored, hyphen typed
    ("санкт-петербургский", "ПАО \u201cСанкт-Петербургский завод\u201d"),
    ("санкт–петербургский", "ПАО \u201cСанкт-Петербургский завод\u201d"),
    ("8 (495) 123-45-67", "ООО «Зелёный сад»"),  # phone in every form
    ("+7 495 1234567", "ООО «Зелёный сад»"),
    ("84951234567", "ООО «Зелёный сад»"),
    ("495-123-45-67", "ООО «Зелёный сад»"),
    ("7707 083 893", "ООО «Зелёный сад»"),  # ИНН with spaces
    ("７７０７０８３８９３", "ООО «Зелёный сад»"),
])
def test_search_finds_what_people_type(search_db, query, name):
    assert [s.name for s in search_db.values() if found(s, query)] == [name]


def test_search_does_not_find_everything(search_db):
    assert not any(found(s, "березовый") for s in search_db.values())
    assert not any(found(s, "8 (495) 765-43-21") for s in search_db.values())


# ------------------------------------------------------------------ kind 2: stored identifiers


def test_identifiers_are_stored_normalised(db):
    client_id = add_client(db, ClientInput(
        name="ООО «Ромашка»", inn=" ７７０７ ０８３ ８９３ ", kpp="7707-01-001", approach="remote",
        contacts=[PersonInput("Иванов", phone="8 (495) 123-45-67", email="Ivanov@Romashka.RU")],
        employees=[PersonInput("Петрова", phone="+7 916 123 45 67 доб. 12", email=" petrova@romashka.ru ")]))
    data = get_client(db, client_id).data
    assert (data.inn, data.kpp) == ("7707083893", "770701001")
    assert (data.contacts[0].phone, data.contacts[0].email) == ("+7 495 123-45-67", "Ivanov@romashka.ru")
    assert (data.employees[0].phone, data.employees[0].email) == ("+7 916 123-45-67 доб. 12", "petrova@romashka.ru")


@pytest.mark.parametrize("inn", ["７７０７０８３８９３", "7707 083 893", "7707-083-893", "\u20097707083893\u00a0",
                                 "٧٧٠٧٠٨٣٨٩٣"])
def test_every_spelling_of_an_inn_is_a_duplicate(db, inn):
    add_client(db, ClientInput(name="ООО «А»", inn="7707083893", approach="remote"))
    with pytest.raises(UserError, match="уже есть"):
        add_client(db, ClientInput(name="ООО «Б»", inn=inn, approach="remote"))


def test_update_with_another_spelling_of_its_own_inn_is_no_duplicate(db):
    client_id = add_client(db, ClientInput(name="ООО «А»", inn="7707083893", approach="remote"))
    update_client(db, client_id, ClientInput(name="ООО «А+»", inn="７７０７０８３８９３", approach="remote"))
    assert get_client(db, client_id).data.inn == "7707083893"


@pytest.mark.parametrize("inn,needle", [
    ("0000000000", "не может существовать"),  # passes the checksum
    ("000000000000", "не может существовать"),
    ("0012345673", "не может существовать"),  # region 00 (the check digit is right)
    ("7707083894", "контрольн"),
    ("77070838９４", "контрольн"),  # judged after normalising
    ("770708389³", "только из цифр"),  # NFKC would read it as 7707083893, a valid ИНН
    ("770708389₃", "только из цифр"),
    ("77070838⑨3", "только из цифр"),
])
def test_inns_that_cannot_exist(inn, needle):
    from stdnum.ru import inn as stdnum_inn

    message = v.inn_error(inn)
    assert message and needle in message
    if needle == "только из цифр":
        assert n.normalize_inn(inn) != "7707083893"
    if needle == "не может существовать":
        assert stdnum_inn.is_valid(n.normalize_inn(inn))  # the checksum alone would accept it


@pytest.mark.parametrize("kpp,inn,ok", [
    ("770101001", None, True),
    ("7701AB001", None, True),
    ("7701 01 001", None, True),
    ("000000000", None, False),  # all zeros
    ("001201001", None, False),  # region 00
    ("770100001", None, False),  # reason code 00
    ("770101000", None, False),  # serial 000
    ("770101001", "500100732259", False),  # an entrepreneur has no КПП
    ("770101001", "7707083893", True),
])
def test_kpp_rules(kpp, inn, ok):
    assert (v.kpp_error(kpp, inn) is None) is ok


@pytest.mark.parametrize("ogrn,ok", [
    ("1027700132195", True),  # Сбербанк
    ("1027 7001 32195", True),
    ("304500116000157", True),  # an ОГРНИП
    ("0000000000000", False),
    ("1027700132196", False),
    ("123", False),
])
def test_ogrn_rules(ogrn, ok):
    assert (v.ogrn_error(ogrn) is None) is ok


@pytest.mark.parametrize("phone,stored", [
    ("8 (495) 123-45-67", "+7 495 123-45-67"),
    ("+7 495 1234567", "+7 495 123-45-67"),
    ("84951234567", "+7 495 123-45-67"),
    ("8-916-123-45-67", "+7 916 123-45-67"),
    ("+375 29 123-45-67", "+375 29 123-45-67"),
    ("８ ４９５ １２３４５６７", "+7 495 123-45-67"),
])
def test_phone_forms(phone, stored):
    assert v.phone_error(phone) is None
    assert n.normalize_phone(phone) == stored


@pytest.mark.parametrize("phone", ["123-45-67", "звоните", "+7 495 123", "8 (495)\n123-45-67", "8 (495) 123-45-67\u202e"])
def test_phones_refused(phone):
    assert v.phone_error(phone)


@pytest.mark.parametrize("email,ok", [("Ivan@Example.RU", True), ("иван@пример.рф", True), ("a@b", False),
                                      ("ivanov@", False), ("a@b.ru\u200b", False), ("a b@c.ru", False)])
def test_email_rules(email, ok):
    assert (v.email_error(email) is None) is ok


@pytest.mark.parametrize("typed,code", [("Удаленные  конференции", "remote"), ("«Выездное внедрение»", "onsite"),
                                         ("СОПРОВОЖДЕНИЕ ВНЕДРЕНИЯ", "accompanied"), (" Remote ", "remote")])
def test_approach_as_people_type_it(typed, code):
    from app.domain.stages import parse_approach

    assert parse_approach(typed).value == code


def _fold_by_definition(text: str) -> str:
    """fold as its docstring defines it, step by step (the faster fold must give the same key)."""
    import re
    import unicodedata

    if not text:
        return ""
    value = re.sub(f"[{re.escape(n.INVISIBLE)}]", "", unicodedata.normalize("NFKC", text))
    value = value.casefold().replace("ё", "е")
    value = re.sub(f"[{re.escape(n.DASHES)}]", "-", re.sub(f"[{re.escape(n.QUOTES)}]", " ", value))
    return re.sub(r"\s+", " ", value).strip()


def test_fold_is_the_defined_key_for_any_text():
    """Issue 15: fold maps «№» before NFKC (which then has little to do) and splits white space with str.split:
    the same key as the definition for every mix of letters, «№», quotes, dashes, invisible and odd spaces."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    letters = "абвгдеёжзАБВЁЙЦУКЕ xyzXYZ019９ﬁß№e\u0301\u0308\t\n\x1c\x1f\x85\u00a0\u2028\u3000"
    alphabet = st.sampled_from(list(letters + n.QUOTES + n.DASHES + n.INVISIBLE))

    @settings(max_examples=2000, deadline=None)
    @given(st.text(alphabet, max_size=16))
    def same(text: str) -> None:
        assert n.fold(text) == _fold_by_definition(text)

    same()
    assert n.fold("Детский сад  №\u00a05 «Ёлочка»") == "детский сад no 5 елочка"
