"""What the driver says about a wrong address is read as the address (the trial 17g): libpq's «invalid … value»,
psycopg's «bad value for», the server's FATAL answer to «options=-c…» — never «Нет связи с сервером команды»; a
server that answered and refused otherwise is «отказал в подключении», not «no connection»."""

from __future__ import annotations

import pytest

from app.sync.address import wrong_integer
from app.sync.refusals import reason

URL = "postgresql+psycopg://ivanova@db.example:5432/team"
REFUSED = 'connection failed: connection to server at "10.0.0.1", port 5432 failed: FATAL:  '


@pytest.mark.parametrize(("message", "said"), [
    ('connection is bad: invalid sslmode value: "bogus"', "у параметра «sslmode» неверное значение «bogus»"),
    ('connection is bad: invalid integer value "x" for connection option "keepalives"',
     "у параметра «keepalives» неверное значение «x»"),
    ("bad value for connect_timeout: 'abc'", "у параметра «connect_timeout» неверное значение «abc»"),
    ('connection is bad: invalid "ssl_min_protocol_version" value: "v9"',
     "у параметра «ssl_min_protocol_version» неверное значение «v9»"),
    (REFUSED + 'unrecognized configuration parameter "bogus"',
     "настройки сервера «bogus» (параметр «options») в PostgreSQL нет"),
    (REFUSED + 'invalid value for parameter "work_mem": "x"',
     "у настройки сервера «work_mem» (параметр «options») неверное значение «x»"),
])
def test_a_wrong_value_is_the_address_at_a_sync_too(message, said):
    refusal = reason(Exception(message), URL)
    assert refusal.kind == "bad_address"
    assert refusal.full_text() == (f"Неверный адрес сервера команды: {said}; исправьте адрес («sync setup "
                                   "--database-url …»); ваши изменения сохранены на ноутбуке.")


def test_another_fatal_answer_is_a_refusal_not_no_connection():
    for first in (False, True):
        refusal = reason(Exception(REFUSED + 'no pg_hba.conf entry for host "10.0.0.5"'), URL, first=first)
        assert refusal.kind == "not_allowed" and "Нет связи" not in refusal.full_text()
        refusal = reason(Exception(REFUSED + 'permission denied for database "team"'), URL, first=first)
        assert refusal.kind == "refused_login" and "Нет связи" not in refusal.full_text()
        assert refusal.full_text().startswith("Сервер команды db.example ответил, но отказал в подключении")


@pytest.mark.parametrize("fatal", ["sorry, too many clients already", "the database system is starting up",
                                   "remaining connection slots are reserved for roles with the SUPERUSER attribute"])
def test_a_busy_or_restarting_server_is_tried_again_at_the_next_sync(fatal):
    refusal = reason(Exception(REFUSED + fatal), URL)
    assert refusal.kind == "offline"  # retried in the background, the status line says «Нет связи»
    assert refusal.full_text() == ("Сервер команды db.example занят или перезапускается и сейчас не принимает "
                                   "подключение; ваши изменения сохранены на ноутбуке и будут отправлены при "
                                   "следующей синхронизации.")
    assert reason(Exception(REFUSED + fatal), URL, first=True).full_text().endswith(
        "ноутбук пока не подключён — повторите «sync setup» через несколько минут.")


@pytest.mark.parametrize(("query", "found"), [
    ("?connect_timeout=abc", ("connect_timeout", "abc")),
    ("?connect_timeout=%2B5&keepalives=1", None),
    ("?connect_timeout=-5", None),
    ("?port=5432,x", ("port", "5432,x")),
    ("?port=,5433", None),
    ("?tcp_user_timeout=1.5", ("tcp_user_timeout", "1.5")),
    ("?sslmode=require", None),
])
def test_integer_parameters_are_checked_before_connecting(query, found):
    assert wrong_integer(URL + query) == found
