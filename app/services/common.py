"""Helpers shared by services: finding a client by id or ИНН, who is acting, today."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.normalize import normalize_inn
from app.domain.quotes import in_quotes
from app.errors import NotFoundError
from app.i18n import _
from app.persistence.models import Client

MAX_ID = 2**63 - 1  # SQLite INTEGER and PostgreSQL BIGINT


def client_key(ref: int | str) -> tuple[str, str | int] | None:
    """What CLIENT names: ``("inn", "7707083893")`` for an ИНН in any spelling (full-width digits,
    spaces), ``("id", 42)`` for a record number in ASCII digits, None for anything else (``²``,
    ``1 OR 1=1``, numbers beyond SQLite's integer range)."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return ("id", ref) if 0 < ref <= MAX_ID else None
    text = str(ref).strip()
    inn = normalize_inn(text)
    if inn.isascii() and inn.isdigit() and len(inn) in (10, 12):
        return "inn", inn
    if text.isascii() and text.isdigit() and len(text) < 10 and int(text) > 0:
        return "id", int(text)
    return None


def find_client(s: Session, ref: int | str) -> Client:
    """CLIENT is the numeric id or the ИНН (10/12 digits)."""
    text = str(ref).strip()
    key = client_key(ref)
    client = None
    if key is not None and key[0] == "inn":
        client = s.scalar(select(Client).where(Client.inn == key[1]))
    elif key is not None:
        client = s.get(Client, key[1])
    if client is None:
        raise NotFoundError(_("Client «{ref}» not found (give its number or INN).").format(ref=in_quotes(text[:40])))
    return client


def require_known_codes(s: Session, client: Client) -> None:
    """Refuse (naming the value, app.persistence.damaged.codes_refusal) when ``client``'s stage or approach is one the
    program does not know — another program wrote 7 or «ufo» there: a move from it, or a log entry copying it,
    would say something false («already completed») or spread it."""
    from app.domain.stages import codes_known

    if not codes_known([client]):
        from app.persistence.damaged import codes_refusal

        raise codes_refusal([client], s.get_bind())


def current_user(s: Session) -> str:
    """Who acts: the team login, else the local profile, else the executor's specialist or the OS user —
    looked up once per unit of work (the audit hook asks the same session)."""
    from app.team.hooks import author_of

    return author_of(s)


def today() -> date:
    return date.today()
