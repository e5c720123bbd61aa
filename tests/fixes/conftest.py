"""The tester's set-up: an executor, a client «ИП Иванов» and a 55-minute conference on 05.10.2026."""

from __future__ import annotations

import pytest


@pytest.fixture
def act_setup(cli):
    """``cli`` after the tester's set-up commands; returns ``cli``."""
    for argv in (
        ("executor", "set", "--company", "ООО «Исп»", "--inn", "500100732259", "--address", "Москва", "--city",
         "Москва", "--specialist-name", "Н А С", "--specialist-position", "Спец"),
        ("clients", "add", "--name", "ИП Иванов", "--inn", "500100732259", "--approach", "remote"),
        ("log", "add", "1", "--kind", "conference", "--date", "2026-10-05", "--minutes", "55"),
    ):
        status, _out, err = cli(*argv)
        assert status == 0, err
    return cli
