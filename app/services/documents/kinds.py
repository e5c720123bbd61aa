"""The `DocumentKind` registry: the one place a kind of document is defined (code, prefix, titles, options,
the module that prepares it, whether it bills work). Services, reports, the CLI and the UI read it."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.errors import UserError
from app.i18n import N_, _


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document.

    ``options``: which of the `report` options apply (stage, date_from, date_to, force, reason); the others
    are refused. ``bills_work``: issuing marks the work-log entries it prices as billed by it (acts), so it
    is never reprinted by sameness — it bills only what is left. ``module``: the app.services.documents
    module whose ``prepare(db, ref, on=…, **options)`` builds its draft in one read session."""

    code: str
    prefix: str
    title: str  # Russian, as printed
    title_ui: str  # msgid for the interface
    help_ui: str  # msgid for the CLI
    module: str
    options: frozenset[str]
    bills_work: bool = False

    def prepare(self, db, ref: int | str, *, on: date | None = None, **options) -> Draft:
        extra = [name for name, value in options.items() if value not in (None, False, "") and name not in self.options]
        if extra:
            names = {"stage": "--stage", "date_from": "--from", "date_to": "--to", "force": "--with-remarks",
                     "reason": "--reason"}
            raise UserError(_("Option {options} does not apply to this document.").format(
                options=", ".join(names.get(name, name) for name in extra)))
        module = importlib.import_module(f"app.services.documents.{self.module}")
        return module.prepare(db, ref, on=on, **{k: v for k, v in options.items() if k in self.options})


REGISTRY: dict[str, DocumentKind] = {kind.code: kind for kind in (
    DocumentKind("signoff", "АП", "Акт сдачи-приёмки этапа", N_("Stage sign-off sheet"),
                 N_("stage sign-off sheet (default: the last completed stage)"), "signoff",
                 frozenset({"stage", "force", "reason"})),
    DocumentKind("estimate", "РС", "Расчёт стоимости внедрения", N_("Implementation cost estimate"),
                 N_("implementation cost estimate (the client's latest saved estimate)"), "estimate", frozenset()),
    DocumentKind("act", "АУ", "Акт оказанных услуг", N_("Act of services"),
                 N_("act of services for the work of a period not billed yet"), "act",
                 frozenset({"stage", "date_from", "date_to"}), bills_work=True),
    DocumentKind("progress", "ОВ", "Отчёт о ходе внедрения", N_("Implementation progress report"),
                 N_("implementation progress report"), "progress", frozenset()),
)}
KINDS = tuple(REGISTRY)
PREFIXES = {code: kind.prefix for code, kind in REGISTRY.items()}
KIND_TITLES_UI = {code: kind.title_ui for code, kind in REGISTRY.items()}


def kind_of(code: str) -> DocumentKind:
    try:
        return REGISTRY[code]
    except KeyError:
        raise UserError(_("Unknown kind of document «{kind}»: use signoff, estimate, act or progress.").format(
            kind=str(code)[:30])) from None


@dataclass(frozen=True)
class Draft:
    """A document ready to be issued: the content snapshot with the number it will most likely get.

    ``entry_ids``: the work-log entries an act bills (marked billed by it when it is issued). ``notices``: what the
    user is told beside the document (interface language; not printed), e.g. a stale USD rate left off an estimate."""

    kind: str
    client_id: int
    client_name: str
    content: dict
    stage: int | None = None
    period_from: date | None = None
    period_to: date | None = None
    total: Decimal | None = None
    entry_ids: tuple[int, ...] = ()
    notices: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return self.content["code"]

    @property
    def issued_on(self) -> date:
        return date.fromisoformat(self.content["issued_on"])

    def file_name(self) -> str:
        from app.services.documents.register import suggested_file_name

        return suggested_file_name(self.code, self.client_name)


def prepare(db, kind: str, ref: int | str, *, stage: int | None = None, date_from: date | None = None,
            date_to: date | None = None, on: date | None = None, force: bool = False, reason: str = "") -> Draft:
    """One entry point for every kind (what the `report` command calls); options a kind ignores are refused."""
    return kind_of(kind).prepare(db, ref, on=on, stage=stage, date_from=date_from, date_to=date_to, force=force,
                                 reason=reason or None)
