"""The agenda across midnight (tester K, item 6): an on-site day 23:00→07:00 showed as «23:00–07:00», a 24-hour
call as «05:00–05:00» (as if it lasted nothing), the client's column dropped the client's date when it was another
day, and the dock named no clock; `plan list` named none either."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from app.services.plan_rows import Agenda, EventRow
from ui.models.agenda import AgendaModel

VIEWER = ZoneInfo("UTC")
NOW = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)


def _event(event_id: int, start_utc: datetime, zone: str, minutes: int, kind: str = "call") -> EventRow:
    local = start_utc.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    return EventRow(event_id, f"00000000-0000-4000-8000-{event_id:012d}", 1, "ООО «Ромашка»", "", kind, start_utc,
                    zone, local, minutes, "", (), (), "", "", "planned", None, None, None)


def _model() -> AgendaModel:
    review = _event(1, datetime(2026, 12, 5, 21, 30), "Europe/Moscow", 30, "stage_review")  # 06.12 00:30 there
    night = _event(2, datetime(2026, 12, 7, 23), "UTC", 480, "onsite_day")
    day_long = _event(3, datetime(2026, 12, 10, 5), "UTC", 1440)
    to_midnight = _event(4, datetime(2026, 12, 9, 16), "UTC", 480)
    model = AgendaModel(viewer=VIEWER)
    model.set_agenda(Agenda(date(2026, 12, 5), (), (review,), (night, to_midnight, day_long), 0), NOW)
    return model


def _row(model: AgendaModel, event_id: int) -> int:
    return next(r for r in range(model.rowCount()) if model.index(r, 0).data(AgendaModel.EventIdRole) == event_id)


def test_an_end_on_another_day_says_so(qtmodeltester):
    model = _model()
    qtmodeltester.check(model)
    when = {i: model.index(_row(model, i), AgendaModel.COL_WHEN).data() for i in (1, 2, 3, 4)}
    assert when[1] == "21:30–22:00"  # the same day: as before
    assert when[2] == "Пн 07.12 23:00–07:00 (+1)"
    assert when[3] == "Чт 10.12 05:00–05:00 (+1)"
    assert when[4] == "Ср 09.12 16:00–00:00 (+1)"
    tip = model.index(_row(model, 2), AgendaModel.COL_WHEN).data(Qt.ItemDataRole.ToolTipRole)
    assert "07.12.2026 23:00 – 08.12.2026 07:00" in tip


def test_the_clients_date_is_shown_when_it_is_another_day():
    model = _model()
    assert model.index(_row(model, 1), AgendaModel.COL_LOCAL).data() == "06.12 00:30 (Europe/Moscow)"
    assert model.index(_row(model, 2), AgendaModel.COL_LOCAL).data() == ""  # the same clock


def test_the_when_column_names_this_computers_zone():
    model = _model()
    assert model.headerData(AgendaModel.COL_WHEN, Qt.Orientation.Horizontal) == "Когда (UTC)"
    tip = model.headerData(AgendaModel.COL_WHEN, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip == "Ваше время: часы этого компьютера, UTC, UTC+0."
    berlin = AgendaModel(viewer=ZoneInfo("Europe/Berlin"))
    assert berlin.headerData(AgendaModel.COL_WHEN, Qt.Orientation.Horizontal) == "Когда (Europe/Berlin)"


def test_plan_list_names_this_computers_zone(cli, zone):
    zone("Asia/Vladivostok")
    status, client, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach",
                              "remote")
    assert status == 0, err
    status, _out, err = cli("plan", "add", client.strip(), "--kind", "call", "--start", "2030-01-10 10:00",
                            "--tz", "Europe/Moscow", "--duration", "30")
    assert status == 0, err
    status, out, err = cli("plan", "list")
    assert status == 0, err
    assert err == "Время — по часам этого компьютера: Asia/Vladivostok, UTC+10.\n"  # stdout: one event a line
    assert out.splitlines()[0].split("\t")[1] == "10.01.2030 17:00 (у заказчика 10:00, Europe/Moscow)"
    status, out, err = cli("plan", "list", "--agenda")
    assert status == 0 and out == "Просрочено:\n  ничего\nСегодня:\n  ничего\nНа неделе:\n  ничего\n"
    assert err == ""  # nothing listed: no clock to name
