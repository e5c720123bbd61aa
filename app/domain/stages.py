"""Stages of an implementation, approaches, and the rules for moving between stages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from functools import lru_cache
from operator import attrgetter

from app.domain.quotes import quoted
from app.errors import UserError
from app.i18n import N_, _


class Stage(IntEnum):
    NEW = 0
    INTRO = 1
    PILOT = 2
    FULL = 3
    DONE = 4


FIRST_STAGE = Stage.NEW
LAST_STAGE = Stage.DONE
CHECKLIST_STAGES = (Stage.INTRO, Stage.PILOT, Stage.FULL)

# Russian titles are data: documents always print them in Russian.
STAGE_TITLES = {
    Stage.NEW: "Новый",
    Stage.INTRO: "Ознакомительный",
    Stage.PILOT: "Ввод текущих данных и опытная эксплуатация",
    Stage.FULL: "Функционирование системы в полном объёме",
    Stage.DONE: "Завершён",
}
# The same titles in the interface language (the Russian catalogue gives them back word for word): the English
# checklist said «Stage 1. Ознакомительный» (tester N, item 9). A title the user changed is shown as typed.
STAGE_TITLES_UI = {
    Stage.NEW: N_("New"),
    Stage.INTRO: N_("Introductory"),
    Stage.PILOT: N_("Entering current data and trial operation"),
    Stage.FULL: N_("The system in full operation"),
    Stage.DONE: N_("Completed"),
}


def stage_title_ui(stage: int, stored: str | None = None) -> str:
    """A stage's title for the interface: the stored (Russian) title in the interface language when it is the
    default one, else as stored."""
    default = STAGE_TITLES.get(Stage(stage)) if stage in KNOWN_STAGES else None
    if default is not None and (not stored or stored == default):
        return _(STAGE_TITLES_UI[Stage(stage)])
    return stored or ""


# Short column titles for the kanban (UI, translated).
STAGE_SHORT = {
    Stage.NEW: N_("New"),
    Stage.INTRO: N_("Stage 1"),
    Stage.PILOT: N_("Stage 2"),
    Stage.FULL: N_("Stage 3"),
    Stage.DONE: N_("Completed"),
}


class Approach(StrEnum):
    ACCOMPANIED = "accompanied"
    REMOTE = "remote"
    ONSITE = "onsite"


KNOWN_STAGES = frozenset(int(stage) for stage in Stage)
KNOWN_APPROACHES = frozenset(approach.value for approach in Approach)
_STAGE_OF, _APPROACH_OF = attrgetter("stage"), attrgetter("approach")


def codes_known(rows) -> bool:
    """Whether every row's ``stage`` is a Stage and its ``approach`` an Approach code (rows: anything with both, e.g.
    ClientSummary). Another program can store 7 or «ufo» there; the views and documents look them up as
    Stage(…) / Approach(…) and fail far from the read. Two C-level passes (~2 ms at 50 000 rows)."""
    return set(map(_STAGE_OF, rows)) <= KNOWN_STAGES and set(map(_APPROACH_OF, rows)) <= KNOWN_APPROACHES


APPROACH_TITLES = {
    Approach.ACCOMPANIED: "Сопровождение внедрения",
    Approach.REMOTE: "Удалённые конференции",
    Approach.ONSITE: "Выездное внедрение",
}
# the free approach is «Сопровождение внедрения» everywhere, the window adding that it is free: the card said
# «Сопровождение (бесплатно)» while messages and documents said «Сопровождение внедрения» (a fresh tester, round 13)
APPROACH_UI = {
    Approach.ACCOMPANIED: N_("Accompanied implementation (free)"),
    Approach.REMOTE: N_("Remote conferences"),
    Approach.ONSITE: N_("On-site"),
}


def parse_stage(value: int | str) -> Stage:
    try:
        return Stage(int(value))
    except (TypeError, ValueError):
        raise UserError(_("Stage must be a number from 0 to 4, not «{value}».").format(value=str(value)[:20])) from None


@lru_cache(maxsize=64)  # a file of 5 000 clients spells the approach a few ways; a refusal is not cached
def parse_approach(value: str) -> Approach:
    """Accept the code (remote) or the Russian title (Удалённые конференции), as people type it: any case,
    ё or е, extra spaces, quotes (app.domain.normalize.fold)."""
    from app.domain.normalize import fold

    text = fold(value)
    for approach in Approach:
        if text in (approach.value, fold(APPROACH_TITLES[approach])):
            return approach
    if text in _APPROACH_ALIASES:
        return _APPROACH_ALIASES[text]
    # the names people see, with the codes the command line's help gives (tester H: codes alone in a CSV's refusal)
    raise UserError(_("Unknown approach «{value}»: use «Accompanied» (accompanied), «Remote conferences» (remote) or "
                      "«On-site» (onsite).").format(value=(value or "")[:40]))


# other spellings: the short words people type, and the names the client list shows in either language
# («Сопровождение внедрения (бесплатно)», «Accompanied implementation (free)», and what earlier versions showed:
# «Сопровождение (бесплатно)», «Accompanied (free)»), folded as ``fold`` folds them
_APPROACH_ALIASES = {
    "сопровождение": Approach.ACCOMPANIED, "удаленные": Approach.REMOTE, "удаленно": Approach.REMOTE,
    "выездное": Approach.ONSITE, "выезд": Approach.ONSITE, "сопровождение (бесплатно)": Approach.ACCOMPANIED,
    "accompanied (free)": Approach.ACCOMPANIED, "сопровождение внедрения (бесплатно)": Approach.ACCOMPANIED,
    "accompanied implementation (free)": Approach.ACCOMPANIED, "remote conferences": Approach.REMOTE, "on-site": Approach.ONSITE,
}


@dataclass(frozen=True)
class MoveCheck:
    """What a requested move needs before it may happen."""

    target: Stage
    forward: bool
    missing: tuple[str, ...]  # checklist codes of the current stage not yet done
    missing_titles: tuple[str, ...] = ()  # their titles, in the same order ('' where unknown)

    @property
    def needs_reason(self) -> bool:
        return (not self.forward) or bool(self.missing)


def check_move(current: Stage, target: Stage, undone_codes: list[str],
               undone_titles: list[str] | None = None) -> MoveCheck:
    """Validate a move by one step; ``undone_codes`` are the current stage's unfinished items, ``undone_titles``
    their titles in the same order (what a refusal names: a person knows «Настроить ЭДО», not its code)."""
    if target == current:
        raise UserError(_("The client is already at this stage."))
    if abs(int(target) - int(current)) != 1:
        raise UserError(_("A client moves one stage at a time."))
    forward = target > current
    titles = tuple(undone_titles or ()) if forward else ()
    return MoveCheck(target=target, forward=forward, missing=tuple(undone_codes) if forward else (),
                     missing_titles=titles)


def require_reason(check: MoveCheck, force: bool, reason: str | None) -> None:
    """Raise unless the move is allowed: forward with all done, or forced/backward with a reason."""
    reason = (reason or "").strip()
    if check.forward and check.missing:
        if not force:
            raise UserError(_("The stage checklist is not complete: {items}. A move anyway needs a reason.").format(
                items=_missing_items(check)), cli_hint=" ".join((
                    _("Item codes: {codes} (ticked by «checklist done»).").format(
                        codes=" ".join(check.missing)),  # as «checklist done» takes them: pasted, they work
                    _("Give --force with --reason TEXT."))))
        if not reason:
            raise UserError(_("Moving forward with unfinished items needs a reason."))
    if not check.forward and not reason:
        raise UserError(_("Moving a client back needs a reason."))


def _missing_items(check: MoveCheck) -> str:
    """«Настроить ЭДО», «Обучить кладовщиков»: the unfinished items by title (the code where no title is known)."""
    titles = check.missing_titles if len(check.missing_titles) == len(check.missing) else ("",) * len(check.missing)
    return ", ".join(quoted(title or code) for code, title in zip(check.missing, titles, strict=True))


def stage_on(day_moves: list[tuple[date, int]], current: int, day: date) -> int:
    """The stage a client was at on ``day``: the ``from`` stage of its first move made after that day,
    or ``current`` when it has not moved since. ``day_moves`` holds (local date of the move, stage moved
    from), in any order. Work logged for a past day belongs to the stage of that day, not of today
    (an entry of March 3 logged in April stays on the stage sheet of March's stage)."""
    later = [(moved_on, from_stage) for moved_on, from_stage in day_moves if moved_on > day]
    return min(later)[1] if later else current
