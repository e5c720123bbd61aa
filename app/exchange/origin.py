"""Where a bundle comes from, and the rule for a client of the file met on a team's computer only by its ИНН.

The rule (issue 17; docs/sync.md «Bundles»): within a team every client has the team's UUID (the server gives
its UUID to a laptop whose client met it by ИНН), so a client of a file that meets a client here by its ИНН
under another UUID is a card made apart. On a computer of a team such a client is merged only when the file
comes from a computer of a team too and none of its documents for that client was issued by another executor
(the document's ИНН of the executor differs from the one here); otherwise the import is refused, naming the
client and its ИНН — another executor's acts and work never land under the team's client unsaid. Computers
outside any team merge such clients as before."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.quotes import in_quotes
from app.exchange.bundle_error import BundleError
from app.exchange.changeset import Changeset
from app.i18n import _

_CHUNK = 500


def team_computer(s: Session) -> bool:
    """Whether the database belongs to a team: a laptop that syncs as a team login (``sync setup``), or the
    team server itself (a PostgreSQL database with team members)."""
    from app.persistence.models import TeamUser
    from app.team.author import current_login

    if s.get_bind().dialect.name == "postgresql":
        return s.scalar(select(TeamUser.login).limit(1)) is not None
    return bool(current_login(s))


def _executor_inn(content: Any) -> tuple[str, str]:
    """(executor's ИНН, company) a document's snapshot printed; ('', '') when it says none."""
    try:
        data = json.loads(content) if isinstance(content, str) else None
    except ValueError:
        return "", ""
    executor = data.get("executor") if isinstance(data, dict) else None
    if not isinstance(executor, dict):
        return "", ""
    return str(executor.get("inn") or "").strip(), str(executor.get("company") or "").strip()


def check_clients_met_by_inn(s: Session, changeset: Changeset, *, from_team: bool) -> None:
    """Refuse (BundleError, one sentence naming the client and its ИНН and what to do) a file whose client
    would merge into a different client here with the same ИНН, on a computer of a team, when the file does not
    come from a team's computer (``from_team``: the manifest's ``team``) or brings documents of that client
    issued by another executor. Reads only; the caller's transaction writes nothing before it."""
    check = MetByInn(s, from_team=from_team)
    check.clients(s, changeset.rows("client"))
    check.documents(changeset.rows("document"))
    check.finish(s)


class MetByInn:
    """``check_clients_met_by_inn`` for a file read a chunk at a time (app/exchange/bundle_stream.py): each chunk
    of clients is passed to ``clients`` before it is merged, each chunk of documents to ``documents``, and
    ``finish`` refuses. Holds the clients met by ИНН and their documents' executors only."""

    def __init__(self, s: Session, *, from_team: bool) -> None:
        self.on = team_computer(s)
        self.from_team = from_team
        self.met: list[tuple[Any, tuple[str, str]]] = []  # (the file's client, (uuid, name) of the client here)
        self.executors: dict[str, list[tuple[str, str]]] = {}  # client uuid -> its documents' executors

    def clients(self, s: Session, rows: list) -> None:
        """Note the clients of ``rows`` (read before they are merged) that meet a client here by ИНН only."""
        if not self.on:
            return
        incoming = [r for r in rows if r.op == "upsert" and isinstance(r.values.get("inn"), str)]
        if not incoming:
            return
        from app.persistence.models import Client

        inns = sorted({r.values["inn"] for r in incoming})
        here: dict[str, tuple[str, str]] = {}
        for start in range(0, len(inns), _CHUNK):
            here.update({inn: (uuid, name) for uuid, name, inn in s.execute(
                select(Client.uuid, Client.name, Client.inn).where(Client.inn.in_(inns[start:start + _CHUNK])))})
        self.met.extend((r, here[r.values["inn"]]) for r in incoming
                        if r.values["inn"] in here and here[r.values["inn"]][0] != r.uuid)

    def documents(self, rows: list) -> None:
        """Note the executors of the documents of the clients met by ИНН."""
        if not self.met:
            return
        wanted = {change.uuid for change, _here in self.met}
        for row in rows:
            client = str(row.values.get("client_uuid") or "") if row.op == "upsert" else ""
            if client in wanted:
                self.executors.setdefault(client, []).append(_executor_inn(row.values.get("content")))

    def finish(self, s: Session) -> None:
        """Raise BundleError for the first client met by ИНН that may not merge (see the module)."""
        if not self.met:
            return
        from app.persistence.models import Executor

        ours = (s.scalar(select(Executor.inn).order_by(Executor.id).limit(1)) or "").strip()
        _refuse_met(self.met, self.executors, ours, self.from_team)


def _refuse_met(met: list, documents: dict[str, list[tuple[str, str]]], ours: str, from_team: bool) -> None:
    """Raise the refusal of the first client of ``met`` whose documents another executor issued, or (a file
    from outside the team) of the first one."""
    for change, (_uuid, name_here) in met:
        name, inn = change.values.get("name") or name_here, change.values["inn"]
        foreign = next(((theirs, company) for theirs, company in documents.get(change.uuid, [])
                        if theirs and theirs != ours), None)
        if foreign is not None:
            raise BundleError(_(
                "The client «{name}» (INN {inn}) in the file is not the team's client «{here}» with the same INN: it "
                "was made on another computer, and its documents were issued by another executor ({company}, INN "
                "{executor_inn}) — importing would file them and its work under the team's client, so keep them on "
                "the computer that issued them.").format(
                name=in_quotes(name), inn=inn, here=in_quotes(name_here), company=foreign[1] or "—", executor_inn=foreign[0]))
        if not from_team:
            raise BundleError(_(
                "The client «{name}» (INN {inn}) in the file was made on a computer outside the team and is not the "
                "team's client «{here}» with the same INN: importing would file that computer's work and "
                "documents under the team's client, so bring that computer into the team first («sync setup»: the "
                "server then shows what differs) or keep its work there.").format(
                name=in_quotes(name), inn=inn, here=in_quotes(name_here)))
