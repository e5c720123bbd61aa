"""The words of a refused clients' CSV import: the rows with errors and the clients of the file already here."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import _, format_number, ngettext
from app.persistence.db import Database
from app.services.bulk_clients import client_names, existing_inns


def rows_refused(count: int) -> str:
    """«Nothing was imported: N rows have errors.» in the plural form of ``count`` (a CSV import's refusal)."""
    return ngettext("Nothing was imported: {n} row has errors.", "Nothing was imported: {n} rows have errors.",
                    count).format(n=format_number(count))


def clients_refused(errors: int, here: int) -> str:
    """The first line of a refused client import: the rows with errors and, apart from them, the clients of the file
    already here (without --update) — «Ничего не импортировано: ошибки в 1 строке; 1 заказчик из файла уже есть.»,
    «Ничего не импортировано: 2 заказчика из файла уже есть.». A client already here was counted among the rows with
    errors when the file had no other error, and said apart when it had one (tester J)."""
    if not here:
        return rows_refused(errors)
    clients = ngettext("{n} client of the file is already here", "{n} clients of the file are already here",
                       here).format(n=format_number(here))
    if not errors:
        return _("Nothing was imported: {clients}.").format(clients=clients)
    rows = ngettext("{n} row has errors", "{n} rows have errors", errors).format(n=format_number(errors))
    return _("Nothing was imported: {rows}; {clients}.").format(rows=rows, clients=clients)


def _here_lines(s: Session, existing: dict[str, int], rows: list[tuple[int, str]]) -> tuple[list[str], list[int]]:
    """For the rows (line, normalised ИНН) whose ИНН is already here (``existing``: ``existing_inns``): one line each
    naming the client, «Строка 3: заказчик с ИНН 7707083893 уже есть: «ООО „Ромашка“» (№ 1).», and the clients' ids,
    in the file's order."""
    here = [(line, inn, existing[inn]) for line, inn in rows if inn in existing]
    names = client_names(s, [client_id for _line, _inn, client_id in here])
    lines = [_("Row {n}: {errors}").format(n=line, errors=_(
        "a client with INN {inn} already exists: «{name}» (No. {id}).").format(
        inn=inn, name=in_quotes(names[client_id]), id=client_id)) for line, inn, client_id in here]
    return lines, [client_id for _line, _inn, client_id in here]


def _update_hint(here: int) -> str:
    """The command line's way to import a file whose ``here`` clients are already here (the window asks with a
    button, «Обновить существующих»)."""
    if not here:
        return ""
    return _("Add --update to update it from the file.") if here == 1 else _("Add --update to update them from the file.")


class _RowProblems(UserError):
    """Rows of the file refused by ``parse_rows`` before the file met the database; ``lines`` and ``inns``: the line
    and normalised ИНН of every row of the file (to name the clients already here: ``_say_already_here``)."""

    def __init__(self, message: str, details: list[str], lines: list[int], inns: list[str]) -> None:
        super().__init__(message, details)
        self.lines, self.inns = lines, inns


class ClientsAlreadyExist(UserError):
    """The file names clients already in the database and no update was asked for: nothing saved; the
    window can offer to import again with ``update=True`` (``clients import --update``)."""

    def __init__(self, message: str, details: list[str], client_ids: list[int]) -> None:
        super().__init__(message, details)
        self.client_ids = client_ids


def _say_already_here(db: Database, refusal: _RowProblems) -> UserError:
    """``refusal`` (rows with errors, before the file met the database) with the clients of the file already here,
    with errors or without, said apart: counted in its first line, named after its rows, the --update hint last."""
    with db.read() as s:
        here, _ids = _here_lines(s, existing_inns(s), list(zip(refusal.lines, refusal.inns, strict=True)))
    if not here:
        return refusal
    return UserError(clients_refused(len(refusal.details), len(here)), details=refusal.details + here,
                     cli_hint=_update_hint(len(here)))
