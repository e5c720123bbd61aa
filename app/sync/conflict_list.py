"""Unresolved sync conflicts as the user reads them: ``sync conflicts``, the window's conflicts dialog, the status.

Each conflict row (``sync_conflict``, written by app/sync/laptop_apply.py and the bundles' merge) in the words of the
card's «История изменений»: the client's name, the record and field, both values, the side kept."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Client
from app.sync import team_data
from app.sync.laptop_apply import conflict_rows
from app.sync.merge import field_value
from app.sync.resolve import unsent_documents


@dataclass(frozen=True)
class ConflictView:
    """A conflict for the user: which record and field, both values, which one was kept by default."""

    id: int
    client_uuid: str
    table: str
    record_uuid: str
    kind: str
    field: str
    local_value: str | None
    server_value: str | None
    kept: str


def conflicts(db: Database) -> list[ConflictView]:
    """Unresolved conflicts, oldest first."""

    def shown(field: str, value: str | None) -> str | None:
        decoded = field_value(field, json.loads(value)) if value is not None else None  # a tick's: its group
        return None if decoded is None else str(decoded)

    return [ConflictView(r.id, r.client_uuid, r.table_name, r.record_uuid, r.kind, r.field,
                         shown(r.field, r.local_value), shown(r.field, r.server_value), r.kept)
            for r in conflict_rows(db)]


@dataclass(frozen=True)
class ConflictLine:
    """A conflict as the window and ``sync conflicts`` list it: the client's name, what («Карточка · город»,
    with the record's label), this laptop's and the other side's values as a person reads them, which one
    was kept ('local' | 'server': the other side's), where the other side is ('server' | 'file': a bundle),
    and whether the user can choose the other one (a field, and letting a handed-over client go; another whole
    record cannot). ``what`` names the window's way out (the dialog's buttons, the menus), ``cli_what`` the
    command line's (``--keep server``, ``documents void``): the same sentence, each surface its own way
    (app/sync/ways.py); the window never shows ``cli_what``, as it never shows a UserError's ``cli_hint``."""

    id: int
    client: str
    what: str
    local: str
    server: str
    kept: str
    choosable: bool
    source: str = "server"
    # the conflict's kind (app/sync/merge.py, push_record.py, laptop_apply.py): the dialog offers only what works
    kind: str = "field"
    cli_what: str = ""  # ``what`` in the command line's words ('': the same as ``what``)

    def text(self) -> str:
        """One tab-separated line for the command line: number, client, what, both values, the one kept. A double
        billing names its two acts by their part — the one that bills the work, the one that bills it again — not
        by side: on the first issuer's laptop the other act came from the server, whose mark is this laptop's act
        (the trial 17j, finding 4: «на сервере: АУ-61» while the server's entry is billed by АУ-41)."""
        if self.kind == "double_billing":
            keeper, again = (self.local, self.server) if self.kept == "local" else (self.server, self.local)
            return "\t".join((str(self.id), self.client, self.cli_what or self.what,
                              _("billed by act: {value}").format(value=keeper or "—"),
                              _("billed again by act: {value}").format(value=again or "—")))
        other = _("in the file: {value}") if self.source == "file" else _("on the server: {value}")
        side = _("this computer's") if self.kept == "local" else _("from the file") if self.source == "file" else _(
            "from the server")
        return "\t".join((str(self.id), self.client, self.cli_what or self.what,
                          _("here: {value}").format(value=self.local or "—"), other.format(value=self.server or "—"),
                          _("kept: {side}").format(side=side)))


def conflict_lines(db: Database) -> list[ConflictLine]:
    """Unresolved conflicts in human names, oldest first (a constant number of queries): the same words as
    the card's «История изменений» (``app.team.display.describe``)."""
    from app.sync.ways import CLI, WINDOW
    from app.team import display, team_words

    views = conflicts(db)
    with db.read() as s:
        uuids = sorted({v.client_uuid for v in views if v.client_uuid})
        names = dict(s.execute(select(Client.uuid, Client.name).where(Client.uuid.in_(uuids))).all()) \
            if uuids else {}
        labels = display.record_labels(s, {(v.table, v.record_uuid) for v in views})
        people = display.author_names(s, [x or "" for v in views if v.field in display.PERSON_FIELDS
                                          for x in (v.local_value, v.server_value)])
        # a client handed away with acts printed here and not sent: said at once, not only when «--keep server»
        # refuses — the new specialist could bill the same work meanwhile (the trial 17j, finding 5)
        unsent = {v.client_uuid: unsent_documents(s, v.client_uuid) for v in views
                  if v.kind == display.NOT_YOURS and v.client_uuid}
    lines = []
    for v in views:
        what, cli_what = (display.describe(labels, v.table, v.record_uuid, v.field, kind=v.kind, here=v.local_value,
                                           other=v.server_value, kept=v.kept, surface=surface)
                          for surface in (WINDOW, CLI))
        if unsent.get(v.client_uuid) and v.kind == display.NOT_YOURS:
            unsent_text = ". " + _("Documents issued on this laptop for this client have not reached the team "
                                   "server: {codes} — tell your manager at once, so that their work is not billed "
                                   "again, and ask for the client back to sync them").format(
                codes=", ".join(unsent[v.client_uuid]))
            what, cli_what = what + unsent_text, cli_what + unsent_text
        if v.kind in display.VALUE_KINDS:
            # yes/no, dates, titles, money, a member by name: the words of a bundle's import report too
            local, server = (display.conflict_value(v.table, v.field, x, people) for x in (v.local_value,
                                                                                          v.server_value))
        elif v.kind == team_data.REFUSED and v.field:  # a field of a team-wide record, as `team history` says it
            local, server = (team_words.value_text(v.table, v.record_uuid, v.field, x)
                             for x in (v.local_value, v.server_value))
        elif v.kind == team_data.REFUSED:  # a team-wide record's values in the words of `team history`
            local, server = (team_words.refused_value(v.table, v.record_uuid, x) for x in (v.local_value, v.server_value))
        else:
            local, server = (_(display.RECORD_STATES[x]) if x in display.RECORD_STATES else (x or "")
                             for x in (v.local_value, v.server_value))
        source = "file" if v.kept in ("file", "here") else "server"
        kept = "server" if v.kept in ("server", "file") else "local"
        # a field either way; a client handed to someone else can be let go (the server's side) or kept here
        choosable = (v.kind == "field" and bool(v.field)) or (v.kind == display.NOT_YOURS and v.table == "client")
        lines.append(ConflictLine(v.id, names.get(v.client_uuid, "") or "—", what, local, server, kept, choosable,
                                  source, v.kind, cli_what))
    return lines
