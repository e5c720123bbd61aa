"""What must redraw for a Changes: the named requires_* rules beside the descriptor (no Qt)."""

from __future__ import annotations

from app.services.changes import (
    DATABASE_REPLACED,
    EVERYTHING,
    Changes,
    requires_all_rows,
    requires_board_settings,
    requires_budgets,
    requires_card,
    requires_client_rows,
    requires_estimate,
    requires_lessons,
    requires_pricing,
    requires_stage_checklist,
    requires_undo_clear,
    requires_worklog,
)

ONE = frozenset({7})


def test_only_a_replaced_database_clears_the_undo_history():
    assert requires_undo_clear(DATABASE_REPLACED) and requires_undo_clear(EVERYTHING)
    # every client's figures changed (billing rounding, tariffs): all rows again, the history stays
    rounding = Changes(settings=True, worklog=True, clients=True)
    figures = Changes(all_figures=True)
    for changes in (rounding, figures, Changes(catalogue=True), Changes(clients=True, client_ids=ONE)):
        assert not requires_undo_clear(changes)
    assert requires_all_rows(rounding) and requires_all_rows(figures)


def test_a_work_log_entry_rereads_its_client_row_budget_and_log_only():
    entry = Changes(worklog=True, clients=True, client_ids=ONE)
    assert requires_client_rows(entry) and not requires_all_rows(entry)
    assert requires_budgets(entry)
    assert requires_worklog(entry, 7) and not requires_worklog(entry, 8)
    assert not requires_stage_checklist(entry, 7) and not requires_lessons(entry, 7)
    assert not requires_pricing(entry) and not requires_board_settings(entry)


def test_ticks_and_moves_name_their_views():
    tick = Changes(clients=True, checklist=True, client_ids=ONE)
    assert requires_stage_checklist(tick, 7) and not requires_card(tick, 7) and not requires_budgets(tick)
    move = Changes(clients=True, stage=True, client_ids=ONE)
    assert requires_card(move, 7) and requires_stage_checklist(move, 7) and not requires_card(move, 8)
    lesson = Changes(clients=True, lessons=True, client_ids=ONE)
    assert requires_lessons(lesson, 7) and not requires_lessons(lesson, 8)
    assert requires_lessons(Changes(catalogue=True), 8)  # a new plan concerns every client


def test_no_client_shown_needs_no_client_views():
    for check in (requires_card, requires_stage_checklist, requires_lessons, requires_estimate):
        assert not check(EVERYTHING, None)
    assert requires_worklog(Changes(settings=True), None)  # the timer and rounding are not per client


def test_estimates_and_pricing():
    saved = Changes(estimates=True, clients=True, client_ids=ONE)
    assert requires_estimate(saved, 7) and not requires_estimate(saved, 8) and not requires_pricing(saved)
    assert requires_pricing(Changes(settings=True, estimates=True))


def test_merge_keeps_both_flags():
    merged = Changes(worklog=True, client_ids=ONE).merge(Changes(replaced=True, client_ids=frozenset({8})))
    assert merged.replaced and merged.worklog and merged.client_ids == {7, 8}


def test_a_change_naming_more_than_many_clients_is_followed_like_one_naming_none():
    from app.services.changes import MANY_CLIENTS, requires_all_reminders, requires_all_rows

    few = frozenset(range(1, MANY_CLIENTS + 1))
    many = frozenset(range(1, MANY_CLIENTS + 2))
    assert not requires_all_rows(Changes(clients=True, client_ids=few))
    assert not requires_all_reminders(Changes(clients=True, client_ids=few))
    assert requires_all_rows(Changes(clients=True, client_ids=many))
    assert requires_all_rows(Changes(stage=True, client_ids=many))
    assert requires_all_reminders(Changes(worklog=True, client_ids=many))
    assert not requires_all_rows(Changes(worklog=True, client_ids=many))  # the rows do not show the log
