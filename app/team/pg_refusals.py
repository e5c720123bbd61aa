"""A PostgreSQL refusal met by any command as one Russian sentence (status 2), never the driver's English.

The team server says «no» in its own words: a member without the right (SQLSTATE 42501, which row-level
security and a missing CREATEROLE both raise; an issued document or billed work changed against the rule
of app/team/server_triggers.py, each in its own sentence), a text longer than its column (22001), a read-only server
(25006), a client's ИНН that another member's client, hidden from this one, has (23505), a reservation of document
numbers that app/team/server.py's vn_reserve_numbers refuses (22023) or cannot give (22003, 54000). Commands
validate at the edge first; this is the net for what only the server knows."""

from __future__ import annotations

import logging

from app.errors import UserError
from app.i18n import _

log = logging.getLogger(__name__)

INSUFFICIENT_PRIVILEGE = "42501"
STRING_TOO_LONG = "22001"
READ_ONLY = "25006"
UNIQUE_VIOLATION = "23505"
CLIENT_INN = "uq_client_inn"  # the unique ИНН of client (models.NAMING)
# the first words of the refusals of app/team/server_triggers.py's vn_document_kept / vn_billed_kept (42501)
KEPT_DOCUMENT = "an issued document"
KEPT_BILLED = "a billed work-log entry"
KEPT_CLIENT = "a client with issued documents"  # vn_client_kept
KEPT_PREFIXES = (KEPT_DOCUMENT, KEPT_BILLED, KEPT_CLIENT)
# vn_reserve_numbers (app/team/server.py _numbers_sql): a wrong kind, year or count (22023); no numbers to give
NUMBERS_ASKED = "a reservation of document numbers"
NUMBERS_LEFT = ("no document numbers are left", "too many unused blocks of document numbers")


def sqlstate(exc: BaseException) -> str:
    """The SQLSTATE of a PostgreSQL error (a SQLAlchemy DBAPIError or a psycopg error); '' for anything else."""
    orig = getattr(exc, "orig", None) or exc
    return str(getattr(orig, "sqlstate", "") or "")


def primary(exc: BaseException) -> str:
    """The server's own message (psycopg's ``diag.message_primary``), '' when there is none."""
    orig = getattr(exc, "orig", None) or exc
    diag = getattr(orig, "diag", None)
    return str(getattr(diag, "message_primary", "") or "")


def constraint(exc: BaseException) -> str:
    """The constraint a refused write broke (psycopg's ``diag.constraint_name``: «uq_client_inn»), '' for none."""
    orig = getattr(exc, "orig", None) or exc
    diag = getattr(orig, "diag", None)
    return str(getattr(diag, "constraint_name", "") or "")


def hidden_inn() -> UserError:
    """A client added or changed on the team server with the ИНН of another member's client, which row-level
    security hides from this member (so the service's own check did not see it): the server's unique ИНН."""
    from app.persistence.db import hidden_inn_refusal

    return hidden_inn_refusal()


def not_allowed() -> UserError:
    """A member's action the team server refused for their role."""
    return UserError(_("The team server refused this: your role in the team does not allow it (ask an "
                       "administrator of the team). Nothing was changed."))


def kept_client() -> UserError:
    """A client with issued documents deleted by a member who is not the team's administrator (the server's
    vn_client_kept; the laptop says the same before deleting: app/team/rights.py)."""
    return UserError(_("A client with issued documents is kept by the team: its documents are never deleted, so "
                       "only an administrator of the team deletes such a client. Nothing was changed."))


def server_refusal(exc: BaseException) -> UserError | None:
    """One Russian sentence for a PostgreSQL refusal the user can act on (see the module), else None (a real
    internal error). The driver's own text goes to the log only."""
    state = sqlstate(exc)
    if not state:
        return None
    refusal = None
    if state == INSUFFICIENT_PRIVILEGE and primary(exc).startswith(KEPT_DOCUMENT):
        refusal = UserError(_("The team server keeps an issued document as it was issued: it is never deleted "
                              "or changed, only voided. Nothing was changed."))
    elif state == INSUFFICIENT_PRIVILEGE and primary(exc).startswith(KEPT_BILLED):
        refusal = UserError(_("The team server keeps a work-log entry billed by an act as the act billed it: "
                              "void the act first. Nothing was changed."))
    elif state == INSUFFICIENT_PRIVILEGE and primary(exc).startswith(KEPT_CLIENT):
        refusal = kept_client()
    elif state == INSUFFICIENT_PRIVILEGE:
        refusal = not_allowed()
    elif state == UNIQUE_VIOLATION and constraint(exc) == CLIENT_INN:
        refusal = hidden_inn()  # the service's own check of the ИНН reads through row-level security
    elif state == "22023" and primary(exc).startswith(NUMBERS_ASKED):
        refusal = UserError(_("The team server reserves document numbers only for a kind of document, a year from "
                              "2000 to next year and 1 to 100 numbers at a time. Nothing was changed."))
    elif state in ("22003", "54000") and primary(exc).startswith(NUMBERS_LEFT):
        refusal = UserError(_("The team server gives no more document numbers of this kind and year: ask an "
                              "administrator of the team (docs/sync.md «Document numbers used up»). Nothing was "
                              "changed."))
    elif state == STRING_TOO_LONG:
        refusal = UserError(_("A text is longer than the team server keeps; shorten it. Nothing was changed."))
    elif state == READ_ONLY:
        refusal = UserError(_("The team server accepts no changes at the moment (it is read-only); try again "
                              "later. Nothing was changed."))
    if refusal is not None:
        log.info("team server refused: %s", str(getattr(exc, "orig", None) or exc).replace("\n", " ").strip())
    return refusal
