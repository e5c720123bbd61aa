"""A value another program wrote that the program cannot read (app.persistence.damaged) is said where it is met:
the card, its history, the calculator and the «Требует внимания» panel said nothing (a blank card, a blank
history), let the refusal escape a selection half done (the calculator), or only logged it (the panel)."""

from __future__ import annotations

import pytest

from app.errors import UserError
from app.services import reminders
from app.services.changes import DATABASE_REPLACED
from tests.unit.test_damaged_dates import _damage
from ui.views.audit_history import ClientHistoryView
from ui.views.calculator import CostCalculator
from ui.views.client_card import ClientCard
from ui.views.week import WeekViews


@pytest.fixture
def db_url(demo_file) -> str:
    """conftest's ``db`` fixture opens the CLI's demo file (one another program can damage behind the views)."""
    return f"sqlite:///{demo_file}"


def test_the_card_says_which_value_it_cannot_read_instead_of_showing_a_blank_form(qtbot, demo_file, db):
    _damage(demo_file, "UPDATE stage_event SET at = '2024-13-45 10:00:00' WHERE client_id = 2")
    card = ClientCard(db)
    qtbot.addWidget(card)
    card.set_client(2)
    assert not card.banner.isHidden()
    assert "таблица stage_event" in card.banner.text() and "«2024-13-45 10:00:00»" in card.banner.text()
    assert "«Файл ▸ Восстановить из резервной копии…»" in card.banner.text()  # the way out, from the details
    assert "vnedrenie" not in card.banner.text()  # the command line's way is the CLI's (UserError.cli_hint)
    assert card.status.text() == ""  # not «Выберите заказчика…»: one is chosen
    assert card.details is None and card.client_id is None and not card.save_button.isEnabled()
    assert card.budget_box.note.text() == ""  # not «План и факт подсчитываются…»: nothing is being counted
    card.set_budget(None)  # the window hands over the header's budget after the selection: still nothing
    assert card.budget_box.note.text() == ""
    card.set_client(3)  # a client without damaged values: shown, the banner gone
    assert card.banner.isHidden() and card.details is not None and card.details.data.name


def test_a_deleted_client_still_just_empties_the_card(qtbot, demo_file, db):
    card = ClientCard(db)
    qtbot.addWidget(card)
    card.set_client(10_000)
    assert card.banner.isHidden() and card.client_id is None


def test_the_history_of_changes_says_it_cannot_read_a_line(qtbot, demo_file, db):
    _damage(demo_file, "UPDATE audit_log SET at = 'вчера'")
    view = ClientHistoryView(db)
    qtbot.addWidget(view)
    view.set_client(2)
    assert view.model.rowCount() == 0
    assert "таблица audit_log" in view.hint.text() and "«вчера»" in view.hint.text()


def test_the_calculator_says_it_and_the_selection_goes_on(qtbot, demo_file, db):
    _damage(demo_file, "UPDATE estimate SET on_date = '2024-13-45' WHERE client_id = 2")
    calc = CostCalculator(db)
    qtbot.addWidget(calc)
    calc.set_client(2)  # raised UserError out of WorkArea.set_current_client before
    assert calc.client_id is None
    assert "таблица estimate" in calc.message_label.text() and "«2024-13-45»" in calc.message_label.text()
    calc.set_client(3)
    assert calc.client_id == 3 and "таблица estimate" not in calc.message_label.text()


def test_a_window_selecting_such_a_client_finishes_the_selection(qtbot, tmp_path, demo_file, db):
    from tests.ui.test_main_window import make_window

    _damage(demo_file, "UPDATE estimate SET on_date = '2024-13-45' WHERE client_id = 2")
    window = make_window(qtbot, db, tmp_path)
    window.set_current_client(2)
    area = window.work_area
    assert area.current_id == 2 and area.worklog.client_id == 2  # the views after the calculator got it too
    assert area.list_panel.current_id() == 2
    from ui.actions import TAB_COST

    area.tabs.setCurrentIndex(TAB_COST)  # shown after the selection: its first recompute kept the reason
    qtbot.waitUntil(area.calculator.isVisible)
    assert "таблица estimate" in area.calculator.message_label.text()
    banner = area.calculator.banner  # above the figures' scroll: the message line is below the fold at 768 px
    assert banner.isVisible() and "таблица estimate" in banner.text() and "Восстановить из" in banner.text()
    window.set_current_client(3)
    assert area.calculator.banner.isHidden()


def test_the_attention_panel_says_the_reminders_could_not_be_read(qtbot, tmp_path, demo_file, db, monkeypatch):
    from tests.ui.test_main_window import make_window

    window = make_window(qtbot, db, tmp_path)
    panel = window.week.attention
    shown = panel.model.rows()
    assert shown and panel.title.text().startswith("Требует внимания")
    refusal = UserError("В базе данных есть даты, которые программа не может прочитать: 1; таблица document.",
                        ["vnedrenie restore ФАЙЛ_КОПИИ"])

    def refused(*_args, **_kwargs):
        raise refusal

    monkeypatch.setattr(WeekViews, "READ_IN_WORKER_FROM", 1)  # the full read in a worker, as at many clients
    monkeypatch.setattr(reminders, "attention", refused)
    window.apply_changes(DATABASE_REPLACED)
    for _ in range(3):
        window.wait_for_background()
    assert panel.title.text() == ("Не удалось прочитать, что требует внимания: В базе данных есть даты, которые "
                                  "программа не может прочитать: 1; таблица document.")
    assert "ФАЙЛ_КОПИИ" in panel.title.toolTip()
    assert panel.title.wordWrap()  # the record and the value come last: on one line the dock cut them off
    assert panel.model.rows() == shown  # the rows stay as they were
    monkeypatch.undo()
    window.apply_changes(DATABASE_REPLACED)
    for _ in range(3):
        window.wait_for_background()
    assert panel.title.text().startswith("Требует внимания") and panel.title.toolTip() == ""
    assert not panel.title.wordWrap()  # a count on one line again (its width must not re-lay out the docks)


def test_an_action_failing_on_an_approach_the_program_does_not_know_is_refused_with_it(qtbot, demo_file, db):
    from ui.ops import Ops

    _damage(demo_file, "UPDATE client SET approach = 'ufo' WHERE id = 2")
    ops = Ops(db)
    said: list[UserError] = []
    ops.error_handler = said.append

    def action():
        raise ValueError("'ufo' is not a valid Approach")  # as the domain's Approach(…) raises it

    assert ops.run(action) is None
    assert len(said) == 1 and "таблица client, запись 2, поле approach: «ufo»" in said[0].message
    _damage(demo_file, "UPDATE client SET approach = 'remote' WHERE id = 2")
    with pytest.raises(ValueError):  # a sound file: the program's own fault stays one
        ops.run(action)


def test_the_panel_names_the_value_behind_a_failed_read(qtbot, tmp_path, demo_file, db, monkeypatch):
    from tests.ui.test_main_window import make_window

    window = make_window(qtbot, db, tmp_path)
    panel = window.week.attention
    _damage(demo_file, "UPDATE client SET approach = 'ufo' WHERE id = 2")  # behind the window, as another program would
    monkeypatch.setattr(WeekViews, "READ_IN_WORKER_FROM", 1)
    window.apply_changes(DATABASE_REPLACED)
    for _ in range(3):
        window.wait_for_background()
    assert panel.title.text().startswith("Не удалось прочитать, что требует внимания: В базе данных есть значения")
    assert "поле approach: «ufo»" in panel.title.text() and "ValueError" not in panel.title.text()


def test_a_reload_refused_for_such_a_value_is_said_and_the_rows_stay(qtbot, tmp_path, demo_file, db):
    """A small database is re-read on the spot: the refusal escaped apply_changes as an exception (the worker's
    reload of a large one said it already)."""
    from tests.ui.test_main_window import make_window

    window = make_window(qtbot, db, tmp_path)
    before = [s.stage for s in window.work_area.clients.summaries()]
    _damage(demo_file, "UPDATE client SET stage = 7 WHERE id = 2")
    window.apply_changes(DATABASE_REPLACED)
    assert len(window.errors) == 1 and "таблица client, запись 2, поле stage: «7»" in window.errors[0].message
    assert [s.stage for s in window.work_area.clients.summaries()] == before


def test_a_fault_in_the_panel_is_said_in_russian(qtbot):
    from ui.views.attention_panel import AttentionPanel

    panel = AttentionPanel()
    qtbot.addWidget(panel)
    panel.show_failure(RuntimeError("disk I/O error"))  # was «…: RuntimeError: disk I/O error», English alone
    assert panel.title.text() == ("Не удалось прочитать, что требует внимания: "
                                  "Внутренняя ошибка: RuntimeError: disk I/O error")


@pytest.mark.parametrize(("sql", "tab", "named"), [
    ("UPDATE checklist_state SET done_on = 'вчера' WHERE client_id = 2", "stage_checklist", "таблица checklist_state"),
    ("UPDATE lesson_progress SET done_on = 'вчера' WHERE client_id = 2", "lessons", "таблица lesson_progress"),
    ("UPDATE work_log SET on_date = '2024-13-45' WHERE client_id = 2", "worklog", "таблица work_log"),
])
def test_the_checklist_lessons_and_work_log_say_the_way_out_too(qtbot, tmp_path, demo_file, db, sql, tab, named):
    """Their inline line said only the heading: the other values and the restore command were in the details."""
    from tests.ui.test_main_window import make_window

    _damage(demo_file, sql)
    _damage(demo_file, "UPDATE estimate SET on_date = '2099-02-30' WHERE client_id = 5")  # a second value
    window = make_window(qtbot, db, tmp_path)
    window.set_current_client(2)
    area = window.work_area
    view = getattr(area, tab)
    area.tabs.setCurrentWidget(view)
    label = view.message_label if tab == "worklog" else view.banner
    qtbot.waitUntil(lambda: named in label.text())
    assert label.isVisible()
    assert "поле on_date: «2099-02-30»" in label.text()  # both named: the details, not the heading alone
    assert "«Файл ▸ Восстановить из резервной копии…»" in label.text() and "vnedrenie" not in label.text()


def test_a_word_in_the_minutes_is_named_in_the_work_log_not_an_empty_table(qtbot, tmp_path, demo_file, db):
    """«много» in work_log.minutes raised a TypeError in the billing, far from the read: the tab stayed empty and
    silent (the traceback went to stderr)."""
    from tests.ui.test_main_window import make_window

    _damage(demo_file, "UPDATE work_log SET minutes = 'много' WHERE client_id = 2")
    window = make_window(qtbot, db, tmp_path)
    window.set_current_client(2)
    area = window.work_area
    area.tabs.setCurrentWidget(area.worklog)
    label = area.worklog.message_label
    qtbot.waitUntil(lambda: "таблица work_log" in label.text())
    assert "поле minutes: «много»" in label.text() and "Восстановить из резервной копии" in label.text()
    assert label.isVisible() and area.worklog.model.rowCount() == 0


def test_the_plan_and_fact_do_not_count_a_word_in_the_minutes_as_nothing(qtbot, demo_file, db):
    """SQL's sum took «много» for 0: the card said «Факт 0 ч», and over-budget marks were computed on it."""
    from app.services.budget import budget_summaries

    before = budget_summaries(db, [2])[2]
    assert before.unreadable == 0 and before.actual_hours > 0
    _damage(demo_file, "UPDATE work_log SET minutes = 'много' WHERE id = (SELECT min(id) FROM work_log "
                       "WHERE client_id = 2 AND minutes IS NOT NULL)")
    _damage(demo_file, "UPDATE work_log SET minutes = 'x' WHERE id = (SELECT max(id) FROM work_log "
                       "WHERE client_id = 2 AND minutes IS NOT NULL)")
    _damage(demo_file, "UPDATE work_log SET amount = 'abc' WHERE client_id = 2")  # no call bills an amount: unused
    damaged = budget_summaries(db, [2])[2]
    assert damaged.unreadable == 2
    assert not damaged.over_budget and not damaged.hours_over and damaged.used_percent is None
    assert budget_summaries(db, [3])[3].unreadable == 0  # another client's figures stay counted
    card = ClientCard(db)
    qtbot.addWidget(card)
    card.set_client(2)
    card.set_budget(damaged)
    box = card.budget_box
    assert box.note.text().startswith("В журнале работ есть записи, вид, дату, отметку удаления, время, дни или сумму которых "
                                      "программа не "
                                      "может прочитать (2): факт не подсчитан.")
    assert {box.cells[("actual", key)].text() for key in ("hours", "days", "money")} == {"—"}


def test_the_board_card_shows_no_fact_either(qtbot, demo_file, db):
    from PySide6.QtGui import QFont, QFontMetrics

    from app.services.budget import budget_summaries
    from ui.views.kanban_card import budget_text

    _damage(demo_file, "UPDATE work_log SET minutes = 'много' WHERE client_id = 2 AND minutes IS NOT NULL")
    damaged = budget_summaries(db, [2])[2]
    text = budget_text(damaged, QFontMetrics(QFont()), 2000)
    assert text.startswith("Факт — из ") and "▲" not in text


def test_amounts_written_as_digits_in_a_text_are_still_counted(qtbot, demo_file, db):
    from app.services.budget import budget_summaries

    _damage(demo_file, "UPDATE work_log SET amount = CAST(amount AS TEXT) WHERE client_id = 2 AND amount IS NOT NULL")
    assert budget_summaries(db, [2])[2].unreadable == 0


def test_the_plan_and_fact_do_not_leave_out_an_entry_of_a_kind_the_program_does_not_know(qtbot, demo_file, db):
    """The card said «Факт 13 дн.» with no word while an on-site day was of kind «ufo» (the pricing skips it)."""
    from app.services.budget import budget_summaries

    _damage(demo_file, "UPDATE work_log SET kind = 'ufo' WHERE id = (SELECT min(id) FROM work_log WHERE client_id = 1 "
                       "AND kind = 'onsite_day' AND deleted = 0)")
    assert budget_summaries(db, [1])[1].unreadable == 1
    assert budget_summaries(db, [2])[2].unreadable == 0


@pytest.mark.parametrize("flag", ["'нет'", "2"])
def test_the_plan_and_fact_do_not_leave_out_an_entry_whose_deleted_flag_is_neither(qtbot, demo_file, db, flag):
    """«нет» or 2 in work_log.deleted: ``deleted IS 0`` dropped the entry, the card said «Перерасход: по журналу
    253 400,00 ₽» where the entries, the day included, bill 267 400 ₽ — while the work-log tab refused it."""
    from app.services.budget import budget_summaries

    before = budget_summaries(db, [1])[1]
    assert before.unreadable == 0
    _damage(demo_file, f"UPDATE work_log SET deleted = {flag} WHERE id = (SELECT min(id) FROM work_log "
                       "WHERE client_id = 1 AND kind = 'onsite_day' AND deleted = 0)")
    damaged = budget_summaries(db, [1])[1]
    assert damaged.unreadable == 1
    assert not damaged.over_budget and damaged.used_percent is None
    assert budget_summaries(db, [2])[2].unreadable == 0
    _damage(demo_file, "UPDATE work_log SET deleted = 1 WHERE deleted NOT IN (0, 1)")  # deleted after all: counted
    assert budget_summaries(db, [1])[1].unreadable == 0


@pytest.mark.parametrize("value", ["'ufo'", "20261001", "'2025-13-01'", "'2026-02-30'", "'2026-11-31'", "'9999-99-99'"])
def test_the_plan_and_fact_count_an_entry_whose_date_is_no_date_as_unreadable(qtbot, demo_file, db, value):
    """«ufo» in work_log.on_date sorts after every tariff's date: the fact priced the day at the latest tariff and
    said nothing, while the work log and the act refused it by name; a number sorts before every date; a text of a
    date's form naming no day («2025-13-01», «2026-02-30») was priced too while the log refused it (a tester's find)."""
    from app.services.budget import budget_summaries

    _damage(demo_file, f"UPDATE work_log SET on_date = {value} WHERE id = (SELECT min(id) FROM work_log "
                       "WHERE client_id = 1 AND kind = 'onsite_day' AND deleted = 0)")
    damaged = budget_summaries(db, [1, 2])
    assert damaged[1].unreadable == 1 and not damaged[1].over_budget and damaged[2].unreadable == 0
    assert [r.client_id for r in reminders.attention(db) if r.kind == "log_unreadable"] == [1]


def test_the_attention_list_says_a_budget_it_could_not_count(qtbot, demo_file, db):
    """One entry of kind «ufo» made «Превышен расчёт стоимости» vanish for its client without a word: whether the
    estimate is exceeded is unknown, and the list says so instead."""
    before = {(r.kind, r.client_id) for r in reminders.attention(db)}
    assert not any(kind == "log_unreadable" for kind, _client in before)
    _damage(demo_file, "UPDATE work_log SET kind = 'ufo' WHERE id = (SELECT min(id) FROM work_log WHERE client_id = 5 "
                       "AND deleted = 0)")
    found = reminders.attention(db)
    said = [r for r in found if r.kind == "log_unreadable"]
    assert [r.client_id for r in said] == [5]
    assert said[0].kind_title == "Журнал работ не прочитан"
    assert said[0].text == "записей, которые программа не может прочитать: 1; с расчётом стоимости не сравнивается"
    assert said[0].client_name and ("estimate_exceeded", 5) not in {(r.kind, r.client_id) for r in found}
    assert reminders.attention(db, client_ids=[5]) == [r for r in found if r.client_id == 5]
    assert reminders.attention(db, kinds=["estimate_exceeded"]) == [r for r in found if r.kind == "estimate_exceeded"]


@pytest.mark.parametrize("stage", ["9", "'ufo'"])
def test_the_attention_list_says_a_stage_it_does_not_know_instead_of_dropping_the_client(qtbot, demo_file, db, stage):
    """A client's stage 9 (no such stage) left the client out of «Требует внимания» without a word — no stalled
    stage, no missing inventory looked at — while the client list refused it by name; «ufo» failed on «'<' not
    supported». The list says the stage it cannot read, and still reads the other clients."""
    before = reminders.attention(db)
    _damage(demo_file, f"UPDATE client SET stage = {stage} WHERE id = 2")
    found = reminders.attention(db)
    said = [r for r in found if r.kind == "stage_unreadable"]
    assert [r.client_id for r in said] == [2]
    assert said[0].kind_title == "Этап не прочитан" and said[0].client_name == "АО «Волжская мебельная фабрика»"
    value = stage.strip("'")
    assert said[0].text == f"этап «{value}» программе неизвестен: задержку и инвентаризацию проверить нельзя"
    assert [r for r in found if r.client_id != 2] == [r for r in before if r.client_id != 2]
    assert not [r for r in found if r.client_id == 2 and r.kind in ("stalled", "inventory_missing")]
    assert reminders.attention(db, client_ids=[2]) == [r for r in found if r.client_id == 2]
    assert reminders.attention(db, kinds=["stalled"]) == [r for r in found if r.kind == "stalled"]


@pytest.mark.parametrize("since", ["'ufo'", "12.5", "'2026-13-01 00:00:00.000000'"])
def test_the_attention_list_says_a_stage_date_it_cannot_read_and_keeps_the_others(qtbot, demo_file, db, since):
    """A client's stage_since of «ufo» refused «Требует внимания» whole — every client's reminders hidden behind one
    value (a tester's find). The client's line says the date it cannot read; its inventory and the other clients'
    reminders stay."""
    _damage(demo_file, "UPDATE client SET stage = 2 WHERE id = 2")
    before = reminders.attention(db)
    _damage(demo_file, f"UPDATE client SET stage_since = {since} WHERE id = 2")
    found = reminders.attention(db)
    said = [r for r in found if r.kind == "stage_unreadable"]
    assert [r.client_id for r in said] == [2]
    value = since.strip("'")
    assert said[0].text == f"дату перехода на этап «{value}» программа прочитать не может: задержку проверить нельзя"
    assert [r for r in found if r.client_id != 2] == [r for r in before if r.client_id != 2]
    # (the demo's planned events of that client have their own lines)
    assert [r.kind for r in found if r.client_id == 2 and not r.kind.startswith("event")] == [
        "stage_unreadable", "inventory_missing"]
    assert reminders.attention(db, client_ids=[2]) == [r for r in found if r.client_id == 2]


def test_the_lessons_tab_refusing_shows_no_other_clients_lessons(qtbot, tmp_path, demo_file, db):
    """Client 1's lessons stayed on the tab under client 7's name — «10 из 26», «Следующий урок: 11…» — when the file
    was damaged behind the window and client 7 was selected (a tester's find)."""
    from tests.ui.test_main_window import make_window

    window = make_window(qtbot, db, tmp_path)
    area = window.work_area
    window.set_current_client(1)
    area.tabs.setCurrentWidget(area.lessons)
    view = area.lessons
    qtbot.waitUntil(lambda: view.model.done_count > 0)
    _damage(demo_file, "UPDATE lesson SET active = 'нет' WHERE code = (SELECT min(code) FROM lesson)")
    window.set_current_client(7)
    qtbot.waitUntil(lambda: "поле active: «нет»" in view.banner.text())
    assert view.model.total_count == 0 and view.model.done_count == 0
    assert view.progress.text() == "—" and view.next_label.text() == ""
    _damage(demo_file, "UPDATE lesson SET active = 1 WHERE active = 'нет'")
    window.set_current_client(1)
    qtbot.waitUntil(lambda: view.model.done_count > 0)
    assert "уроков" in view.progress.text() and not view.banner.isVisible()


def test_the_stage_checklist_refusing_shows_no_other_clients_items(qtbot, tmp_path, demo_file, db):
    from tests.ui.test_main_window import make_window

    window = make_window(qtbot, db, tmp_path)
    area = window.work_area
    window.set_current_client(1)
    area.tabs.setCurrentWidget(area.stage_checklist)
    view = area.stage_checklist
    qtbot.waitUntil(lambda: view.model.rowCount() > 0 and view.title.text() != "")
    _damage(demo_file, "UPDATE checklist_template SET stage = 9 WHERE id = (SELECT min(id) FROM checklist_template)")
    window.set_current_client(7)
    qtbot.waitUntil(lambda: "поле stage: «9»" in view.banner.text())
    assert view.model.rowCount() == 0 and view.title.text() == ""


def test_a_lesson_of_a_stage_the_program_does_not_know_is_named(qtbot, tmp_path, demo_file, db):
    _damage(demo_file, "UPDATE lesson SET stage = 9 WHERE code = (SELECT min(code) FROM lesson)")
    with pytest.raises(UserError, match="таблица lesson, запись 1, поле stage: «9»"):
        from app.services.progress import lessons

        lessons(db, 1)


def test_the_card_header_and_the_tooltip_say_why_no_fact_is_shown(qtbot, demo_file, db):
    """The header silently dropped its «▲ перерасход» and the board's tooltip said «Факт — из 57 400 ₽» with no
    reason when the work log held an entry the program cannot read (a tester's find)."""
    from app.services.budget import budget_summaries
    from app.services.client_list import list_clients
    from ui.models.clients import ClientTableModel
    from ui.views.client_header import ClientHeader

    _damage(demo_file, "UPDATE work_log SET deleted = 'нет' WHERE id = (SELECT min(id) FROM work_log "
                       "WHERE client_id = 1 AND deleted = 0)")
    budget = budget_summaries(db, [1])[1]
    summary = next(row for row in list_clients(db) if row.id == 1)
    header = ClientHeader([])
    qtbot.addWidget(header)
    header.show_client(summary, False, budget, 0)
    assert "факт не подсчитан" in header.title.text() and "▲" not in header.title.text()
    assert "в журнале работ есть записи, которые программа не может прочитать" in header.title.toolTip()
    model = ClientTableModel()
    model.set_rows([summary])
    model.set_budgets({1: budget})
    assert model.tooltip(summary).endswith("В журнале работ есть записи, которые программа не может прочитать (1): "
                                           "они названы на вкладке «Журнал работ».")


def test_a_refusal_box_keeps_the_restores_closing_sentence_in_sight(qtbot, monkeypatch):
    """Twelve damaged values in a backup: ten named, «… и ещё 2.», then «Ничего не восстановлено…» — the box showed
    ten detail lines, so that sentence was only under «Подробности»."""
    from PySide6.QtWidgets import QMessageBox

    from ui.ops import show_user_error

    seen = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: seen.append(box.informativeText()) or 0)
    details = [f"таблица work_log, запись {n}, поле on_date: «ufo»" for n in range(2, 11)]
    details += ["… и ещё 2.", "Ничего не восстановлено, данные остались прежними; выберите другую копию."]
    show_user_error(None, UserError("В резервной копии есть значения…: 12; таблица work_log, запись 1…", details))
    assert seen and seen[0].endswith("Ничего не восстановлено, данные остались прежними; выберите другую копию.")
    refs = [f"таблица contact, запись {n}, поле client_id: «{n + 900}»" for n in range(1, 11)] + ["… и ещё 2."]
    show_user_error(None, UserError("В резервной копии есть ссылки…", refs + details))  # both kinds: 22 lines
    shown = seen[1].split("\n")
    assert len(shown) == 14 and shown[-2] == "…" and shown[-1].startswith("Ничего не восстановлено")
