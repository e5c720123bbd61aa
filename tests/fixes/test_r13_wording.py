"""Wording (a fresh tester, round 13): the CSV import's extra-cell refusal said the line twice and ended «»…»;
`estimate --help` said transfer and lodging are «оплачиваются отдельно» while the estimate adds them into «Итого»;
the free approach was «Сопровождение (бесплатно)» in the card and lists, «Сопровождение внедрения» in messages."""

from __future__ import annotations

import re

import pytest

from app.domain.stages import APPROACH_TITLES, APPROACH_UI, Approach, parse_approach
from app.i18n import _


def test_a_row_with_an_extra_cell_is_said_once_and_quoted_plainly(cli, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("Наименование;ИНН;Подход\nООО «А»;7707083893;remote\nООО «Б»;7736050003;remote\n"
                    "ООО «В»;5024002119;onsite;лишнее\n", encoding="utf-8")
    status, _out, err = cli("clients", "import", str(path))
    assert status == 2
    assert "Строка 4: 4 ячейки — больше, чем 3 столбца заголовка; первая лишняя: «лишнее»." in err, err
    assert "в строке" not in err and "»…" not in err


def test_a_long_extra_cell_is_cut_with_an_ellipsis():
    from app.services.import_rows import too_many_cells

    said = too_many_cells(4, 3, "очень длинный текст, который попал не в свой столбец таблицы")
    assert said.endswith("«очень длинный текст, который попал не в…»")


def test_estimate_help_says_the_costs_go_into_the_total(cli, capsys):
    with pytest.raises(SystemExit):
        cli("estimate", "--help")
    text = re.sub(r"\s+", " ", capsys.readouterr().out)
    assert "оплачиваются отдельно" not in text
    assert "--transfer RUB расходы на проезд, рубли: отдельной строкой, входят в «Итого»" in text


def test_the_free_approach_has_one_name():
    shown = _(APPROACH_UI[Approach.ACCOMPANIED])
    assert shown == "Сопровождение внедрения (бесплатно)"
    assert shown.startswith(APPROACH_TITLES[Approach.ACCOMPANIED])
    for typed in (shown, "Сопровождение (бесплатно)", "Accompanied (free)", "Accompanied implementation (free)"):
        assert parse_approach(typed) is Approach.ACCOMPANIED
