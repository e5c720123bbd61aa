"""Readable names of a file's records for an import's report («Contact Иванов — ООО «Ромашка»»)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.quotes import quoted
from app.exchange.record_titles import LABEL_FIELDS, TABLE_TITLES
from app.i18n import _

if TYPE_CHECKING:
    from app.exchange.changeset import Changeset


class _Labels:
    """Readable names of records for the report: «Contact Иванов — ООО «Ромашка»»."""

    def __init__(self, item_titles: dict[str, str] | None = None) -> None:
        self.client_names: dict[int, str] = {}
        self.item_titles = item_titles or {}  # checklist code -> title: a tick is named by its item's title

    def label(self, table: str, values: dict[str, Any]) -> str:
        if table == "document":
            return self._client(table, values, _document_label(values))
        parts = []
        for name in LABEL_FIELDS.get(table, ()):
            value = values.get(name)
            if (table, name) == ("checklist_state", "code") and value in self.item_titles:
                value = self.item_titles[value]  # «Настроить ЭДО», never «s2.custom_c1f9918e96»
            if value not in (None, ""):
                parts.append(value.strftime("%d.%m.%Y") if isinstance(value, date) else _kind_title(table, name, value))
        text = _(TABLE_TITLES.get(table, table)) + (" " + quoted(" ".join(parts)) if parts else "")  # «ООО „Ромашка“»
        return self._client(table, values, text)

    def _client(self, table: str, values: dict[str, Any], text: str) -> str:
        client_id = values.get("client_id")
        if table != "client" and client_id in self.client_names:
            text += " — " + self.client_names[client_id]
        return text


def item_titles(s: Session, changeset: Changeset) -> dict[str, str]:
    """Checklist code -> title for naming ticks in an import's report: the items here (the file's new ones
    merged already), else the file's own item rows (an item deleted here)."""
    from app.persistence.models import ChecklistTemplate

    titles = {str(i.get("code")): str(i.get("title")) for i in changeset.checklist_items if i.get("title")}
    titles.update((code, title) for code, title in s.execute(select(ChecklistTemplate.code, ChecklistTemplate.title)))
    return titles


def _kind_title(table: str, field: str, value: Any) -> str:
    """A work or event kind, an approach by its title («Конференция», never «conference»); any other value as
    it is."""
    if field == "approach":
        from app.domain.stages import APPROACH_UI, Approach

        try:
            return _(APPROACH_UI[Approach(value)])
        except (ValueError, KeyError):
            return str(value)
    if (table, field) == ("work_log", "kind"):
        from app.domain.pricing import KIND_TITLES_UI

        return _(KIND_TITLES_UI[value]) if value in KIND_TITLES_UI else str(value)
    if (table, field) == ("planned_event", "kind"):
        from app.services.event_input import EVENT_KIND_TITLES

        return _(EVENT_KIND_TITLES[value]) if value in EVENT_KIND_TITLES else str(value)
    return str(value)


def _document_label(values: dict[str, Any]) -> str:
    """«Отчёт о ходе внедрения ОВ-1/2026» (with the series suffix for another installation's document)."""
    from app.services.documents import KIND_TITLES_UI, PREFIXES, document_code

    kind, number, year = values.get("kind"), values.get("number"), values.get("year")
    if kind not in PREFIXES or number is None or year is None:
        return _(TABLE_TITLES["document"])
    return "{title} {code}".format(title=_(KIND_TITLES_UI[kind]),
                                   code=document_code(kind, number, year, values.get("series") or ""))
