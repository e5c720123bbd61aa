"""Deleting here a client held under a refusal whose client the team server keeps with another member."""

from __future__ import annotations

from sqlalchemy import select

from app.persistence.models import SyncConflict
from app.sync.refused import NOT_YOURS, OTHERS_CLIENT, _in_effect

# the refusals of a client the server keeps elsewhere (another member's, handed away): deleting it here deletes
# nothing of the team's. Not ``OTHERS_INN``: that client is this laptop's own, never on the server.
KEPT_ELSEWHERE = frozenset({OTHERS_CLIENT, NOT_YOURS})


def refused_here(s, client_id: int) -> bool:
    """Whether the client ``client_id`` is held on this laptop under a refusal in effect whose client the team
    server keeps with another member (``KEPT_ELSEWHERE``): another member's client from a bundle, or one handed to
    someone else. ``s``: a Session or a Connection of this laptop."""
    from app.persistence.models import Client

    return s.execute(select(SyncConflict.id).join(Client, Client.uuid == SyncConflict.record_uuid).where(
        _in_effect(), SyncConflict.kind.in_(sorted(KEPT_ELSEWHERE)), Client.id == client_id).limit(1)).first() \
        is not None


def held_documents_only_here(s, client_id: int) -> list[str]:
    """The printed numbers of the client's documents that, as far as this laptop knows, never reached the team
    server: neither pulled from it (row version 0) nor carried by a bundle with the server's state of them (a sync
    base of a version above 0, app/exchange/carried_bases.py) — issued here, or in a file whose computer had not
    synced them. Oldest first."""
    from app.persistence.models import Document, SyncBase
    from app.services.documents.register import document_code

    known = select(SyncBase.record_uuid).where(SyncBase.table_name == "document", SyncBase.row_version > 0)
    rows = s.execute(select(Document.kind, Document.number, Document.year, Document.series).where(
        Document.client_id == client_id, Document.row_version == 0, Document.uuid.not_in(known))
        .order_by(Document.year, Document.number)).all()
    return [document_code(r.kind, r.number, r.year, r.series or "") for r in rows]


def require_deletable(s, client) -> None:
    """Before ``client`` (a mapped Client, in the deleting Session ``s``) is deleted here: refuse as
    ``rights.require_client_deletable`` does (a client with issued documents is the team's administrator's to
    delete) — except a client held here under a refusal whose client the server keeps with another member
    (``refused_here``: another member's client from a bundle, one handed to someone else). Deleting such a client
    here deletes nothing of the team's (the server does not show it to this member: the pushed deletion changes
    nothing there, its audit lines stay here), and its documents stay on the server with their specialist; only a
    document of it that never reached the server (``held_documents_only_here``: issued here) keeps it here, the
    refusal naming it. Its open conflicts (the refusal, a double billing naming another member's act, a field) are
    then closed: nothing is left to choose. The refusal stays in effect, as «--keep local» leaves it, until the
    push of the deletion lifts it (``settle``). Tester L, item 1: the conflict said «удалите его здесь» and the
    deletion was refused."""
    from sqlalchemy import update

    from app.errors import UserError
    from app.i18n import _
    from app.team.rights import require_client_deletable

    if not refused_here(s, client.id):
        require_client_deletable(s, client.id)
        return
    only_here = held_documents_only_here(s, client.id)
    if only_here:
        raise UserError(_("Documents issued on this laptop for this client have not reached the team server: "
                          "{codes}. An issued document is never deleted, so the client stays on this laptop; "
                          "nothing was changed.").format(codes=", ".join(only_here)))
    s.execute(update(SyncConflict).where(SyncConflict.client_uuid == client.uuid, SyncConflict.resolved.is_(False))
              .values(resolved=True))
