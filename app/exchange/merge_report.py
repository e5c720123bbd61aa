"""What an import did: the merge report, its conflicts and the lines that show it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.exchange.record_titles import TABLE_TITLES, field_title
from app.i18n import _, format_number


@dataclass(frozen=True)
class Conflict:
    """A record both sides have, with different contents: which fields differ and which side won."""

    table: str
    uuid: str
    label: str
    fields: tuple[str, ...]
    local_updated_at: datetime
    incoming_updated_at: datetime


@dataclass
class MergeReport:
    added: Counter = field(default_factory=Counter)
    overwritten: list[Conflict] = field(default_factory=list)  # the file's newer record replaced ours
    kept_local: list[Conflict] = field(default_factory=list)  # ours is newer (or the same age): kept
    deleted: Counter = field(default_factory=Counter)  # deleted here as they were on the other installation
    matched: list[str] = field(default_factory=list)  # same client found by INN under another UUID
    unchanged: int = 0
    client_ids: set[int] = field(default_factory=set)
    refused: list[Any] = field(default_factory=list)  # tombstones.Refusal: not brought in, and why
    kept_deleted: list[Any] = field(default_factory=list)  # their deletion is older than our version
    # format 2 (version-based merge, app/exchange/versioned.py); the two lists above stay empty then
    versioned: bool = False
    changed: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (label, fields taken from the file)
    conflicts: list[VersionConflict] = field(default_factory=list)  # recorded in sync_conflict
    notes: list[str] = field(default_factory=list)  # sentences after the report (other members' clients: sync)
    people: dict[str, str] = field(default_factory=dict)  # login -> name of the members the conflicts name
    # client UUID -> its records that stay here, or come back, with a client a delete against an edit kept: what
    # its deletion on the other computer (or here) took with it (app/exchange/versioned_deletions.py ``_kept_clients``)
    with_client: Counter = field(default_factory=Counter)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def lines(self) -> list[str]:
        """The conflict report, in the UI language, then its ``notes``."""
        if self.versioned:
            return self._versioned_lines() + self.notes
        out = [_("Added: {added}; overwritten by newer records from the file: {over}; kept here as newer: "
                 "{kept}; unchanged: {same}.").format(added=format_number(self.total_added),
                                                      over=format_number(len(self.overwritten)),
                                                      kept=format_number(len(self.kept_local)),
                                                      same=format_number(self.unchanged))]
        out.extend(self._added_and_matched_lines())
        if self.overwritten:
            out.append(_("Overwritten (the file's version was newer):"))
            out.extend("  ! " + _conflict_line(c) for c in self.overwritten)
        if self.kept_local:
            out.append(_("Kept as they were here (this version is newer):"))
            out.extend("  · " + _conflict_line(c) for c in self.kept_local)
        out.extend(self._removal_lines())
        return out + self.notes

    def _added_and_matched_lines(self) -> list[str]:
        """What both report formats list first: records added per table, clients matched by ИНН."""
        out = ["  + " + _("{what}: {n}").format(what=_(TABLE_TITLES.get(name, name)), n=format_number(count))
               for name, count in self.added.items() if count]
        if self.matched:
            out.append(_("Matched with clients already here by INN:"))
            out.extend(f"  = {label}" for label in self.matched)
        return out

    def _versioned_lines(self) -> list[str]:
        out = [_("Added: {added}; changed by the file: {changed}; conflicts: {conflicts}; unchanged: {same}.").format(
            added=format_number(self.total_added), changed=format_number(len(self.changed)),
            conflicts=format_number(len(self.conflicts)), same=format_number(self.unchanged))]
        out.extend(self._added_and_matched_lines())
        if self.changed:
            out.append(_("Changed on the other computer and taken from the file:"))
            out.extend("  ~ " + _("{label}: {fields}").format(label=label, fields=", ".join(map(field_title, fields)))
                       for label, fields in self.changed)
        if self.conflicts:
            out.append(_("Conflicts (changed on both computers; see «sync conflicts», choose with «sync resolve»):"))
            out.extend("  ! " + c.line(self.people, records=self.with_client.get(c.uuid) if c.table == "client"
                                       else None) for c in self.conflicts)
        out.extend(self._removal_lines())
        return out

    def _removal_lines(self) -> list[str]:
        """What both report formats list last: deletions taken or refused, records not brought in."""
        out = []
        if self.deleted:
            out.append(_("Deleted here as on the other computer: {n}").format(n=format_number(sum(self.deleted.values()))))
        if self.kept_deleted and not self.versioned:  # as before: the version-based report leaves it out
            out.append(_("Kept although deleted on the other computer (changed here later): {n}").format(
                n=format_number(len(self.kept_deleted))))
        if self.refused:
            out.append(_("Not brought in: {n}").format(n=format_number(len(self.refused))))
            out.extend("  × " + _("{label}: {reason}").format(label=r.label, reason=r.reason) for r in self.refused)
        return out


@dataclass(frozen=True)
class VersionConflict:
    """A conflict of the version-based merge, as the import report shows it (the full record is in sync_conflict):
    ``kind`` field | delete_edit (deleted in the file, edited here) | edit_delete (deleted here, edited in the
    file); ``kept`` file | here (this computer's value: ``versioned_clock.keeps_here``)."""

    table: str
    uuid: str
    label: str
    kind: str
    field: str
    here: Any
    incoming: Any
    kept: str

    def line(self, people: dict[str, str] | None = None, *, records: int | None = None) -> str:
        """The report's line; a field's two values in the words of `sync conflicts` (app/team/display.py
        ``conflict_value``: yes/no, dd.mm.yyyy, titles, roubles, ``people``: login -> a member's name). ``records``:
        of a client's delete against an edit, how many of its records the deletion took with it that stay (come
        back) with it."""
        if self.kind == "delete_edit" and records:
            return _("{label}: deleted on the other computer, changed here — kept with all its records: those "
                     "deleted there with it ({n}) stay here, and your next file takes them back there").format(
                label=self.label, n=format_number(records))
        if self.kind == "delete_edit":
            return _("{label}: deleted on the other computer, changed here — kept").format(label=self.label)
        if self.kind == "edit_delete" and records:
            return _("{label}: deleted here, changed on the other computer — brought back with its records that "
                     "were deleted here with it ({n})").format(label=self.label, n=format_number(records))
        if self.kind == "edit_delete":
            return _("{label}: deleted here, changed on the other computer — brought back").format(label=self.label)
        if self.kind == "double_billing":  # the words of the sync's conflict (app/team/display.py), «аннулируйте …»
            from app.team.display import double_billing_text

            sentence = double_billing_text("", _shown(self.here), _shown(self.incoming), self.kept)
            return _("{label}: {sentence}").format(label=self.label, sentence=sentence[:1].lower() + sentence[1:])
        from app.team.display import conflict_value

        text = _("{label}: {field} (here {local}, in the file {incoming}; kept: the file's)") if self.kept == "file" \
            else _("{label}: {field} (here {local}, in the file {incoming}; kept: this computer's)")
        local, incoming = (_shown(conflict_value(self.table, self.field, v, people)) for v in (self.here, self.incoming))
        return text.format(label=self.label, field=field_title(self.field), local=local, incoming=incoming)


def _shown(value: Any) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _conflict_line(c: Conflict) -> str:
    return _("{label}: {fields} (here {local}, in the file {incoming})").format(
        label=c.label, fields=", ".join(field_title(f) for f in c.fields), local=c.local_updated_at.strftime("%Y-%m-%d %H:%M:%S"),
        incoming=c.incoming_updated_at.strftime("%Y-%m-%d %H:%M:%S"))
