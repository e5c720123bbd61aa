"""Issue 17 (brief fix17a point 4): `checklist done CLIENT CODE --date D` on an item ticked on another day said
«Отмечены выполненными…» and kept the old day. The day asked is taken (no date asked: the tick keeps its day);
lessons likewise."""

from __future__ import annotations

import json

INN = "7707083893"


def test_checklist_done_with_another_date_takes_the_date_asked(cli):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0

    def day(command: str, code: str) -> str:
        _status, out, _err = cli(command, "show", INN, "--json")
        return next(i["done_on"] for i in json.loads(out) if i["code"] == code)

    assert cli("checklist", "done", INN, "s1.lessons", "--date", "2026-03-02")[0] == 0
    assert cli("checklist", "done", INN, "s1.lessons", "--date", "2026-03-05")[0] == 0
    assert day("checklist", "s1.lessons") == "2026-03-05"
    assert cli("checklist", "done", INN, "s1.lessons")[0] == 0  # no date asked: the tick keeps its day
    assert day("checklist", "s1.lessons") == "2026-03-05"
    _status, out, _err = cli("lessons", "show", INN, "--json")
    lesson = json.loads(out)[0]["code"]
    assert cli("lessons", "done", INN, lesson, "--date", "2026-03-02")[0] == 0
    assert cli("lessons", "done", INN, lesson, "--date", "2026-03-05")[0] == 0
    assert day("lessons", lesson) == "2026-03-05"
    assert cli("lessons", "done", INN, lesson)[0] == 0
    assert day("lessons", lesson) == "2026-03-05"
