"""One row of the client list and kanban (ClientSummary), assembled from the reads of the list.

No database library here: ``app.services.client_list`` reads the rows through SQLAlchemy, and
``app.persistence.first_rows`` through the standard library's sqlite3 for the window's first screen
(before SQLAlchemy is imported); both hand them to ``assemble``, so the two cannot build rows differently."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from operator import itemgetter
from typing import NamedTuple

from app.domain.normalize import fold
from app.domain.stages import APPROACH_TITLES, STAGE_TITLES, Approach, Stage
from app.domain.timeutil import local_date, to_local


class ClientSummary(NamedTuple):
    """One row of the client list / one kanban card (immutable; a named tuple because 5 000 of
    them are built on every full reload and a frozen dataclass costs ten times more to create)."""

    id: int
    uuid: str
    name: str
    inn: str
    approach: str
    stage: int
    stage_since: datetime
    contract_no: str
    contract_date: date | None
    program_version: str
    manager: str
    contact_name: str
    contact_phone: str
    search_text: str  # app.domain.normalize.fold of name, ИНН, contract No. and contacts: match search_tokens
    checklist_done: int
    checklist_total: int
    lessons_done: int
    lessons_total: int

    @property
    def stage_title(self) -> str:
        return STAGE_TITLES[Stage(self.stage)]

    @property
    def approach_title(self) -> str:
        return APPROACH_TITLES[Approach(self.approach)]

    @property
    def stage_since_local(self) -> datetime:
        """``stage_since`` is stored in UTC; people count days in their own time zone."""
        return to_local(self.stage_since)

    def days_in_stage(self, today: date | None = None) -> int:
        return max(0, ((today or date.today()) - local_date(self.stage_since)).days)

    def as_json(self) -> dict:
        return {
            "id": self.id, "uuid": self.uuid, "name": self.name, "inn": self.inn, "approach": self.approach,
            "stage": self.stage, "stage_title": self.stage_title, "contract_no": self.contract_no,
            "contract_date": self.contract_date.isoformat() if self.contract_date else None,
            "program_version": self.program_version, "manager": self.manager,
            "contact": self.contact_name, "phone": self.contact_phone,
            "checklist_done": self.checklist_done, "checklist_total": self.checklist_total,
            "lessons_done": self.lessons_done, "lessons_total": self.lessons_total,
            "stage_since": self.stage_since.isoformat(timespec="seconds"),
        }


# A reload folds every client's search text again though few change (40 of 140 ms of a full reload at 5 000
# clients): remember, per client id, the hash of the texts it was folded from and the folded text. An
# lru_cache keyed by the joined texts did the same but kept each joined text, a third copy of every name and
# contact (~20 MB at 50 000 clients). The 64-bit hash is the process's own (randomised); two different sources
# of one client's text with one hash (~1 in 10^19) would keep its previous search text until its next change.
_FOLDED_MAX = 1 << 17
_folded: dict[int, tuple[int, str]] = {}
# Texts that repeat across thousands of rows (the approach, the program version, the manager) are kept once.
_SHARED_MAX = 1 << 12
_shared: dict[str, str] = {}


def search_text(cid: int, parts: tuple[str, ...]) -> str:
    """``fold`` of ``parts`` joined by spaces (name, ИНН, contract No., then each contact's name, phone and
    e-mail), folded once per client until one of them changes."""
    digest = hash(parts)
    known = _folded.get(cid)
    if known is not None and known[0] == digest:
        return known[1]
    text = fold(" ".join(parts))
    if len(_folded) >= _FOLDED_MAX:  # clients of other databases, deleted ones: start afresh
        _folded.clear()
    _folded[cid] = (digest, text)
    return text


def _sharer() -> Callable[[str, str], str]:
    if len(_shared) >= _SHARED_MAX:  # not so repetitive after all: start afresh
        _shared.clear()
    return _shared.setdefault


def group_contacts(rows: Iterable[tuple[int, str, str, str]]) -> dict[int, list[str]]:
    """``(client_id, name, phone, email)`` rows in contact order → client_id: [name, phone, email, name, …]."""
    contacts: dict[int, list[str]] = {}
    for cid, name, phone, email in rows:
        people = contacts.get(cid)
        if people is None:
            contacts[cid] = [name, phone, email]
        else:
            people += (name, phone, email)
    return contacts


def assemble(rows: Iterable[tuple], stage_of: Iterable[tuple[str, int]], done: Mapping[int, int],
             lessons_total: int, lessons_done: Mapping[int, int],
             contacts: Mapping[int, list[str]]) -> list[ClientSummary]:
    """The list's rows, in the order of ``rows``.

    ``rows``: (id, uuid, name, inn, approach, stage, stage_since: datetime in UTC, contract_no,
    contract_date: date | None, program_version, manager) per client; ``stage_of``: (checklist code, stage) of
    the template; ``done``: client_id → items ticked at the client's current stage; ``lessons_total``: active
    lessons; ``lessons_done``: client_id → active lessons done by the company; ``contacts``: ``group_contacts``."""
    done_get, lessons_get = done.get, lessons_done.get
    counted = ((*row, done_get(row[0], 0), lessons_get(row[0], 0)) for row in rows)
    return assemble_counted(counted, stage_of, lessons_total, contacts)


def assemble_counted(rows: Iterable[tuple], stage_of: Iterable[tuple[str, int]], lessons_total: int,
                     contacts: Mapping[int, list[str]]) -> list[ClientSummary]:
    """``assemble`` for client rows that carry their two counters (read from ``client_counts``): ``rows`` are
    (id, uuid, name, inn, approach, stage, stage_since, contract_no, contract_date, program_version, manager,
    items ticked at the current stage, active lessons done by the company); the rest as ``assemble``."""
    totals_by_stage: dict[int, int] = {}
    for _code, stage in stage_of:
        totals_by_stage[stage] = totals_by_stage.get(stage, 0) + 1
    new, cls, key, share = tuple.__new__, ClientSummary, search_text, _sharer()
    totals_get, contacts_get = totals_by_stage.get, contacts.get
    result: list[ClientSummary] = []
    append = result.append
    for (cid, uuid, name, inn, approach, stage, since, contract_no, contract_date, version, manager, done,
         lessons) in rows:
        people = contacts_get(cid)
        if people is None:
            first, phone, search = "", "", key(cid, (name, inn, contract_no))
        else:
            first, phone, search = people[0], people[1], key(cid, (name, inn, contract_no, *people))
        append(new(cls, (cid, uuid, name, inn, share(approach, approach), stage, since, contract_no, contract_date,
                         share(version, version), share(manager, manager), first, phone, search, done,
                         totals_get(stage, 0), lessons, lessons_total)))
    return result


def assemble_totaled(rows: Iterable[tuple], contacts: Mapping[int, list[str]]) -> list[ClientSummary]:
    """``assemble_counted`` for rows that also carry, last, the number of checklist items of the client's stage
    and of active lessons (a few clients re-read after an action: the totals come with their rows)."""
    new, cls, key, share = tuple.__new__, ClientSummary, search_text, _sharer()
    contacts_get = contacts.get
    result: list[ClientSummary] = []
    for (cid, uuid, name, inn, approach, stage, since, contract_no, contract_date, version, manager, done,
         lessons, items_total, lessons_total) in rows:
        people = contacts_get(cid)
        if people is None:
            first, phone, search = "", "", key(cid, (name, inn, contract_no))
        else:
            first, phone, search = people[0], people[1], key(cid, (name, inn, contract_no, *people))
        result.append(new(cls, (cid, uuid, name, inn, share(approach, approach), stage, since, contract_no,
                                contract_date, share(version, version), share(manager, manager), first, phone,
                                search, done, items_total, lessons, lessons_total)))
    return result


# Fields read by position in C-level passes over every row (``map(ID_OF, rows)``): ~4× a loop reading the
# attributes, which a full reload of 50 000 clients ran several times on the UI thread
ID_OF = itemgetter(ClientSummary._fields.index("id"))
NAME_OF = itemgetter(ClientSummary._fields.index("name"))
STAGE_OF = itemgetter(ClientSummary._fields.index("stage"))
