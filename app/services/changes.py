"""What a user action changed, so views refresh only what it names (no global reload)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
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

    def merge(self, other: Changes) -> Changes:
        values = {name: getattr(self, name) or getattr(other, name) for name in self.__dataclass_fields__}
        values["client_ids"] = self.client_ids | other.client_ids
        return Changes(**values)


EVERYTHING = Changes(clients=True, stage=True, checklist=True, lessons=True, worklog=True,
                     estimates=True, documents=True, catalogue=True, settings=True,
                     plan=True, questions=True)
