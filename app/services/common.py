"""Helpers shared by services: finding a client by id or ИНН, who is acting, today."""

from __future__ import annotations

import getpass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError
from app.i18n import _
from app.persistence.models import Client, Executor


def find_client(s: Session, ref: int | str) -> Client:
    """CLIENT is the numeric id or the ИНН (10/12 digits)."""
    text = str(ref).strip()
    client = None
    if text.isdigit() and len(text) in (10, 12):
        client = s.scalar(select(Client).where(Client.inn == text))
    if client is None and text.isdigit() and len(text) < 10:
        client = s.get(Client, int(text))
    if client is None:
        raise NotFoundError(_("Client «{ref}» not found (give its number or INN).").format(ref=text[:40]))
    return client


def current_user(s: Session) -> str:
    executor = s.scalar(select(Executor).limit(1))
    if executor is not None and executor.specialist_name:
        return executor.specialist_name
    try:
        return getpass.getuser()
    except Exception:
        return ""


def today() -> date:
    return date.today()
