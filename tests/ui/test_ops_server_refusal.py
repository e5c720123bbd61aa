"""A window connected to the team server shows the server's «no» (a member's rights, too long a text) as a
refusal in one Russian sentence, like any refused action — never «Внутренняя ошибка» with the driver's English;
a real fault still propagates."""

from __future__ import annotations

import psycopg.errors
import pytest

from app import i18n
from ui.ops import Ops


def test_the_servers_refusal_is_a_refusal_and_a_fault_stays_a_fault(qapp):
    i18n.set_language("ru")
    ops = Ops(db=None)
    refused = []

    def denied():
        raise psycopg.errors.InsufficientPrivilege("new row violates row-level security policy for table \"tariff\"")

    assert ops.run(denied, on_error=refused.append) is None
    assert [r.message for r in refused] == [
        "Сервер команды отказал: ваша роль в команде этого не разрешает (обратитесь к администратору команды). "
        "Ничего не изменено."]

    def broken():
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        ops.run(broken, on_error=refused.append)
    assert len(refused) == 1
