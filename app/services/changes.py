"""What a user action changed, and the named rules saying what must redraw for it (no global reload).

The ``requires_*`` predicates are the single place where "which view re-reads what" is decided (Anki's
``OpChanges.requires_*`` in rslib/src/ops.rs); views call them from their ``on_changes``."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """Flags of what one action wrote. ``client_ids`` names the clients touched (empty: not client-specific).

    ``all_figures``: every client's figures changed (billing rounding, tariffs) — every row is re-read, the
    undo history stays. ``replaced``: the database was replaced (restore, bundle import, demo) — everything
    is re-read and the undo history is cleared, because its commands describe data that are gone."""

    clients: bool = False  # list/kanban rows (names, stages, counters)
    client_ids: frozenset[int] = field(default_factory=frozenset)
    stage: bool = False
    checklist: bool = False
    lessons: bool = False
    worklog: bool = False
    estimates: bool = False
    documents: bool = False
    catalogue: bool = False
    settings: bool = False
    plan: bool = False  # planned events (agenda, reminders)
    questions: bool = False  # questions log (open counts on cards, reminders)
    all_figures: bool = False
    replaced: bool = False

    def merge(self, other: Changes) -> Changes:
        values = {name: getattr(self, name) or getattr(other, name) for name in self.__dataclass_fields__}
        values["client_ids"] = self.client_ids | other.client_ids
        return Changes(**values)

    def touches(self, client_id: int | None) -> bool:
        """True when ``client_id`` is among the clients named, or when no client is named at all."""
        return client_id is not None and (not self.client_ids or client_id in self.client_ids)


EVERYTHING = Changes(clients=True, stage=True, checklist=True, lessons=True, worklog=True,
                     estimates=True, documents=True, catalogue=True, settings=True,
                     plan=True, questions=True, all_figures=True, replaced=True)
DATABASE_REPLACED = EVERYTHING  # restore, bundle import, demo data: re-read all, clear the undo history
NOTHING = Changes()


def requires_undo_clear(c: Changes) -> bool:
    """The undo history describes data that no longer exist (only a replaced database)."""
    return c.replaced


# A change naming more clients than this (a CSV import, a bulk edit) is followed like one naming none: every row
# re-read in one constant-size query, in a worker on a large database — the named rows' read and their reminders
# ran on the UI thread with an IN list of thousands (~0.6 s after a 5 000-client import).
MANY_CLIENTS = 200


def names_many(c: Changes) -> bool:
    """``c`` names more than MANY_CLIENTS clients."""
    return len(c.client_ids) > MANY_CLIENTS


def requires_all_rows(c: Changes) -> bool:
    """Every client row of the list and kanban must be re-read (one constant-size query): a new database,
    figures or the catalogue, clients changed without names, or rows of more than MANY_CLIENTS clients."""
    return c.replaced or c.all_figures or c.catalogue or (c.clients and not c.client_ids) or (
        names_many(c) and (c.clients or c.stage or c.checklist or c.lessons))


def requires_client_rows(c: Changes) -> bool:
    """Some client rows (``client_ids``) of the list and kanban must be re-read."""
    return requires_all_rows(c) or c.clients or c.stage or c.checklist or c.lessons


def requires_budgets(c: Changes) -> bool:
    """The estimate-vs-actual figures of the named clients (or all, see requires_all_rows) changed."""
    return c.all_figures or c.replaced or c.worklog or c.estimates or (
        c.clients and not (c.checklist or c.lessons or c.stage))


def requires_board_settings(c: Changes) -> bool:
    """The stalled threshold or other board settings may have changed."""
    return c.settings or c.replaced


def requires_card(c: Changes, client_id: int | None) -> bool:
    """The shown client card (fields, history) must be re-read."""
    if client_id is None:
        return False
    if c.replaced:
        return True
    return c.touches(client_id) and (c.stage or (c.clients and not c.checklist and not c.lessons))


def requires_stage_checklist(c: Changes, client_id: int | None) -> bool:
    if client_id is None:
        return False
    return c.replaced or (c.touches(client_id) and (c.checklist or c.stage))


def requires_lessons(c: Changes, client_id: int | None) -> bool:
    if client_id is None:
        return False
    return c.replaced or c.catalogue or (c.touches(client_id) and c.lessons)


def requires_worklog(c: Changes, client_id: int | None) -> bool:
    """The shown client's work log (rows, totals, rounding, timer) must be re-read."""
    if c.replaced or c.all_figures or c.settings:
        return True
    return client_id is not None and c.touches(client_id) and (c.worklog or c.clients)


def requires_pricing(c: Changes) -> bool:
    """Tariffs, rates or hours per day changed: the calculator re-reads its pricing context."""
    return c.replaced or c.all_figures or c.settings or (c.estimates and not c.client_ids)


def requires_estimate(c: Changes, client_id: int | None) -> bool:
    """The shown client's saved estimate changed."""
    return client_id is not None and (c.replaced or (c.estimates and client_id in c.client_ids))


def requires_client_name(c: Changes, client_id: int | None) -> bool:
    """The shown client's name or existence may have changed."""
    return client_id is not None and (c.replaced or (c.clients and client_id in c.client_ids))


def requires_history(c: Changes, client_id: int | None) -> bool:
    """The shown client's «История изменений» (audit trail) gained lines: anything written about the client
    (not team-wide tariffs or settings, which are not in a client's history)."""
    if client_id is None:
        return False
    return c.replaced or (c.touches(client_id) and (
        c.clients or c.stage or c.checklist or c.lessons or c.worklog or c.estimates or c.documents or c.plan
        or c.questions))


def requires_reminders(c: Changes) -> bool:
    """«Требует внимания» may have changed: events, stages, ticks, the work log against estimates, documents
    (signed copies), client names, the thresholds in settings."""
    return c.replaced or c.all_figures or c.plan or c.clients or c.stage or c.checklist or c.worklog \
        or c.estimates or c.documents or c.settings


def requires_all_reminders(c: Changes) -> bool:
    """Reminders of every client, not only of ``client_ids``, must be re-read (thresholds, prices, a new
    database, a change that names no client or more than MANY_CLIENTS)."""
    return c.replaced or c.all_figures or c.settings or c.catalogue or not c.client_ids or names_many(c)
