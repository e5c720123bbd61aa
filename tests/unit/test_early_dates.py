"""A tick or a lesson dated before 2000 is refused as entries, events and questions are, and a refused date of
year 1 is written «01.01.0001» (a fresh tester, 2026-12-05: `checklist done … --date 1990-01-01` was taken and
shown as 01.01.1990 for a client that started in 2026; messages said «дата 01.01.1»)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.validation import day_text


def test_day_text_pads_the_year():
    assert (day_text(date(1, 1, 1)), day_text(date(2026, 12, 5))) == ("01.01.0001", "05.12.2026")


@pytest.mark.parametrize(("argv", "said"), [
    (["checklist", "done", "7707083893", "s1.directories", "--date", "1990-01-01"],
     "Поле «Дата»: 01.01.1990 — слишком ранняя дата: отметки ставятся с 2000 года."),
    (["lessons", "done", "7707083893", "L01", "--date", "1999-12-31"],
     "Поле «Дата»: 31.12.1999 — слишком ранняя дата: отметки ставятся с 2000 года."),
    (["log", "add", "7707083893", "--kind", "conference", "--date", "0001-01-01", "--minutes", "5"], "01.01.0001"),
])
def test_early_dates_are_refused_and_nothing_is_ticked(cli, argv, said):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    status, _out, err = cli(*argv)
    assert status == 2 and said in err, err
    assert "01.01.1 " not in err and "01.01.1990" not in cli("checklist", "show", "7707083893")[1]
