"""Executor details (реквизиты исполнителя) used in every document: the form's validation and saving."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import validation as v
from app.domain.normalize import normalize_inn, normalize_kpp, normalize_ogrn
from app.domain.pricing import CENT, included_vat
from app.domain.vat import VatRule
from app.errors import UserError
from app.i18n import N_, _
from app.persistence.db import Database
from app.persistence.models import Executor, VatRate
from app.services.changes import Changes
from app.services.common import today


@dataclass(frozen=True)
class ExecutorDetails:
    """Реквизиты исполнителя, used in every document.

    ``vat_rate`` is the VAT included in prices from today (None: without VAT) — the form's shortcut; dated
    VAT rules with all three modes are set with ``app.services.tariffs.set_vat``. ``poa_number``/``poa_date``:
    the signer acts by power of attorney («по доверенности № … от …»)."""

    company: str = ""
    inn: str = ""
    kpp: str = ""
    ogrn: str = ""
    address: str = ""
    bank_details: str = ""
    city: str = ""
    specialist_name: str = ""
    specialist_position: str = ""
    signer_name: str = ""
    signer_position: str = ""
    vat_rate: Decimal | None = None
    poa_number: str = ""
    poa_date: date | None = None
    bank_account: str = ""
    bank_name: str = ""
    bank_bik: str = ""
    bank_corr: str = ""


EXECUTOR_LABELS = {
    "company": N_("company name"),
    "inn": N_("executor's INN"),
    "kpp": N_("executor's KPP"),
    "ogrn": N_("OGRN"),
    "address": N_("executor's address"),
    "bank_details": N_("bank details"),
    "city": N_("city where documents are drawn up"),
    "specialist_name": N_("specialist's full name"),
    "specialist_position": N_("specialist's position"),
    "signer_name": N_("full name of the person who signs"),
    "signer_position": N_("position of the person who signs"),
    "vat_rate": N_("VAT rate"),
    "poa_number": N_("power of attorney No."),
    "poa_date": N_("power of attorney date"),
    "bank_account": N_("settlement account"),
    "bank_name": N_("bank"),
    "bank_bik": N_("BIK"),
    "bank_corr": N_("correspondent account"),
}
# the labels of the executor's form (ui/dialogs/documents/executor.py): its errors name a field by the label the
# user sees («Поле «наименование организации»» stood next to «Организация:», tester O)
EXECUTOR_FORM_TITLES = {
    "company": N_("Company:"), "inn": N_("INN:"), "kpp": N_("KPP:"), "ogrn": N_("OGRN:"),
    "address": N_("Address:"), "city": N_("City (place of documents):"),
    "specialist_name": N_("Specialist, full name:"), "specialist_position": N_("Specialist's position:"),
    "signer_name": N_("Signs documents, full name:"), "signer_position": N_("Signer's position:"),
    "poa_number": N_("Power of attorney No.:"), "poa_date": N_("Power of attorney date:"),
    "bank_name": N_("Bank:"), "bank_bik": N_("BIK:"), "bank_account": N_("Settlement account:"),
    "bank_corr": N_("Correspondent account:"), "bank_details": N_("Bank details:"), "vat_rate": N_("VAT:"),
}


def form_title(name: str) -> str:
    """A field of the executor's form as its label says it, without the colon («Расчётный счёт»)."""
    return _(EXECUTOR_FORM_TITLES[name]).rstrip(":").strip()


TEXT_FIELDS = tuple(f.name for f in fields(ExecutorDetails) if f.name not in ("vat_rate", "poa_date"))
REQUIRED_EXECUTOR = ("company", "inn", "address", "city", "specialist_name", "specialist_position")
EXECUTOR_LIMITS = {"company": 300, "inn": 12, "kpp": 9, "ogrn": 15, "address": 500, "bank_details": 2000,
                   "city": 100, "specialist_name": 200, "specialist_position": 200, "signer_name": 200,
                   "signer_position": 200, "poa_number": 100, "bank_account": 20, "bank_name": 300, "bank_bik": 9,
                   "bank_corr": 20}
_DIGITS = {"bank_account": 20, "bank_bik": 9, "bank_corr": 20}
NUMBER_FIELDS = frozenset({"inn", "kpp", "ogrn", *_DIGITS})
EARLIEST_VAT = date(2000, 1, 1)


_EXECUTOR = select(Executor).order_by(Executor.id).limit(1)  # built once: read for every document


def executor_row(s: Session) -> Executor | None:
    return s.scalar(_EXECUTOR)


def current_vat_rate(s: Session, on: date | None = None, *, table=None) -> Decimal | None:
    """The VAT rate in force on ``on`` (today) when VAT is charged, None without VAT (``table``: a ``VatTable``
    read already in this session)."""
    from app.services.tariffs import VatTable

    rule = (table if table is not None else VatTable(s)).on(on or today())
    return None if rule.mode == "none" else rule.rate


def details_in(s: Session, *, vat=None) -> ExecutorDetails:
    """The executor's details read inside an open session (documents build their snapshot in one session);
    ``vat``: a ``VatTable`` the caller read already in this session."""
    row = executor_row(s)
    if row is None:
        return ExecutorDetails(vat_rate=current_vat_rate(s, table=vat))
    texts = {name: getattr(row, name) or "" for name in TEXT_FIELDS}
    return ExecutorDetails(**texts, vat_rate=current_vat_rate(s, table=vat), poa_date=row.poa_date)


def get_executor(db: Database) -> ExecutorDetails:
    with db.read() as s:
        return details_in(s)


def parse_vat_rate(value: Decimal | str | int | None) -> Decimal | None:
    """«Без НДС» / empty / None → None; otherwise a rate from 0 to 99.99 percent, two decimals at most."""
    if value is None:
        return None
    text = str(value).strip().replace(",", ".").rstrip("%").strip()
    if not text or text.lower() in ("без ндс", "none", "no", "нет", "-"):
        return None
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise UserError(_("VAT rate «{value}» is not a number: give a percentage such as 20, or «none».").format(
            value=str(value)[:20])) from None
    if not rate.is_finite() or rate < 0 or rate >= 100 or rate != rate.quantize(CENT):
        raise UserError(_("VAT rate must be from 0 to 99.99 percent with at most two decimals."))
    return rate.quantize(CENT)


def _bank_numbers(details: ExecutorDetails) -> ExecutorDetails:
    """``details`` with the spaces taken out of the account numbers and the BIK («40702 810 9 …» as printed on a
    bank's letter was refused as 24 characters long)."""
    def digits(value: str | None) -> str:  # spaces and dashes as a bank's letter groups the digits
        return re.sub(r"[\s\u00a0\-\u2010-\u2015]", "", value or "")

    return replace(details, bank_account=digits(details.bank_account), bank_bik=digits(details.bank_bik),
                   bank_corr=digits(details.bank_corr))


def executor_errors(details: ExecutorDetails) -> dict[str, str]:
    """Per-field messages for the executor form (empty fields are allowed here; printing needs them). The account
    numbers are checked against the BIK (``validation.bank_key_ok``), the BIK is a Russian one (04…), and an ОГРН
    goes with its kind of ИНН (13 digits with an organisation's 10, an ОГРНИП's 15 with an entrepreneur's 12)."""
    details = _bank_numbers(details)
    errors: dict[str, str] = {}
    for name, limit in EXECUTOR_LIMITS.items():
        try:
            clean = v.clean_multiline if name == "bank_details" else v.clean_text  # one-line rules (issue 13)
            # all go on paper; the numbers' own checks name a digit of another script (checked below)
            clean(getattr(details, name), form_title(name), max_len=limit, paper=name not in NUMBER_FIELDS)
        except UserError as exc:
            errors[name] = exc.message
    if details.inn.strip() and "inn" not in errors:
        message = v.inn_error(details.inn)
        if message:
            errors["inn"] = message
    if details.kpp.strip() and "kpp" not in errors:
        message = v.kpp_error(details.kpp.strip(), details.inn)
        if message:
            errors["kpp"] = message
    if details.ogrn.strip() and v.ogrn_error(details.ogrn):
        errors["ogrn"] = v.ogrn_error(details.ogrn) or ""
    for name, length in _DIGITS.items():
        value = (getattr(details, name) or "").strip()
        if value and name not in errors and not re.fullmatch(rf"[0-9]{{{length}}}", value):
            # [0-9], not \d: a full-width or Arabic-Indic digit was taken, then said «не российского банка»
            errors[name] = _("Field «{field}» must have {n} digits 0–9.").format(field=form_title(name), n=length)
    _bank_errors(details, errors)
    inn, ogrn = normalize_inn(details.inn), normalize_ogrn(details.ogrn)
    if "inn" not in errors and "ogrn" not in errors and inn and ogrn and (len(inn), len(ogrn)) in ((10, 15), (12, 13)):
        errors["ogrn"] = (_("OGRN {ogrn} has 15 digits (an entrepreneur's OGRNIP), but the INN {inn} is an "
                            "organisation's: an organisation's OGRN has 13.") if len(ogrn) == 15 else
                          _("OGRN {ogrn} has 13 digits (an organisation's), but the INN {inn} is an entrepreneur's: "
                            "an entrepreneur's OGRNIP has 15.")).format(ogrn=ogrn, inn=inn)
    if details.poa_number.strip() and details.poa_date is None:
        errors["poa_date"] = _("Give the date of the power of attorney.")
    if details.poa_date is not None and details.poa_date > today():
        errors["poa_date"] = _("The power of attorney cannot be dated in the future.")
    try:
        parse_vat_rate(details.vat_rate)
    except UserError as exc:
        errors["vat_rate"] = exc.message
    return errors


def _bank_errors(details: ExecutorDetails, errors: dict[str, str]) -> None:
    """Add to ``errors`` what is wrong with the BIK and the accounts together (each well formed on its own)."""
    bik = details.bank_bik
    if not bik and (details.bank_account or details.bank_corr) and "bank_bik" not in errors:
        # without a BIK an account of zeros was saved: nothing to check it against
        errors["bank_bik"] = _("Give the bank's BIK: the accounts are checked against it.")
        return
    if not bik or "bank_bik" in errors:
        return
    if not bik.startswith("04"):
        errors["bank_bik"] = _("BIK {bik} is not a Russian bank's: a BIK starts with 04.").format(bik=bik)
        return
    account, corr = details.bank_account, details.bank_corr
    if account and "bank_account" not in errors and not v.bank_key_ok(bik[-3:] + account):
        errors["bank_account"] = _("Settlement account {account} does not match BIK {bik}: its control digit is "
                                   "wrong. Check both against the bank's details.").format(account=account, bik=bik)
    if corr and "bank_corr" not in errors and (not corr.startswith("30101") or corr[-3:] != bik[-3:]
                                               or not v.bank_key_ok("0" + bik[4:6] + corr)):
        # another bank's к/с passed the key: it ends with its own BIK's last three digits
        errors["bank_corr"] = _("Correspondent account {corr} does not match BIK {bik}: it starts with 30101, ends "
                                "with the BIK's last three digits and its control digit follows from the BIK. Check "
                                "both against the bank's details.").format(corr=corr, bik=bik)


def missing_executor_fields(details: ExecutorDetails) -> list[str]:
    """Translated names of the details a document needs but that are empty (or an ИНН that is invalid).

    An organisation (10-digit ИНН) needs its КПП as well; an individual entrepreneur (12 digits) has none."""
    missing = [_(EXECUTOR_LABELS[name]) for name in REQUIRED_EXECUTOR if not getattr(details, name).strip()]
    inn = details.inn.strip()
    if inn and v.inn_error(inn):
        missing.append(_("executor's INN (it is not valid)"))
    elif len(inn) == 10 and not details.kpp.strip():
        missing.append(_("executor's KPP (an organisation with a 10-digit INN has one)"))
    return missing


class ExecutorDetailsMissing(UserError):
    """A document cannot be printed until the executor's details are filled in (the UI offers the form)."""


def require_executor(details: ExecutorDetails, *, profile_hint: bool = False) -> None:
    """Raise ``ExecutorDetailsMissing`` naming every empty detail a document needs. ``profile_hint``: outside a
    team, where the specialist's name and position may also come from this computer's profile (``team profile``),
    the sentence names that way too when either of them is missing."""
    missing = missing_executor_fields(details)
    if not missing:
        return
    specialist = not (details.specialist_name.strip() and details.specialist_position.strip())
    if profile_hint and specialist:
        raise ExecutorDetailsMissing(_("Cannot print: the executor's details are incomplete — fill in {fields} "
                                       "(Settings → Executor details, or the «executor set» command; the "
                                       "specialist's name and position may instead be this computer's profile: "
                                       "«team profile --name … --position …»).").format(fields=", ".join(missing)))
    raise ExecutorDetailsMissing(_("Cannot print: the executor's details are incomplete — fill in {fields} "
                                   "(Settings → Executor details, or the «executor set» command).").format(
        fields=", ".join(missing)))


def on_paper(s: Session, details: ExecutorDetails) -> ExecutorDetails:
    """The executor's details as a document prints them, read in the caller's session (issue 17: «the signer's
    name and position on a document are the issuing person's»; «on SQLite the local profile's name»):

    * in a team, the signed-in member's name and position (``app.team.users.team_signer``; it raises
      UserError when the member has no position) are the specialist's and the signer's: the company's
      signer (``executor set --signer-name``) and its power of attorney do not print;
    * outside a team, the local profile's name (``team profile --name``) when set, with the specialist's
      position (``team profile --position`` writes it), as the specialist and the signer likewise;
    * otherwise the executor's details as they are: the company's signer when set, else the specialist.

    The company's requisites stay the shared ones. Does not check completeness (see :func:`require_on_paper`)."""
    from app.team.users import local_profile_name, team_signer

    member = team_signer(s)
    if member is not None:
        return _signed_by(details, *member)
    name = local_profile_name(s)
    return _signed_by(details, name, details.specialist_position) if name else details


def _signed_by(details: ExecutorDetails, name: str, position: str) -> ExecutorDetails:
    """``details`` with the issuing person as the specialist and the signer: no company signer, no power of
    attorney (a document's signer is the specialist when ``signer_name`` is empty: documents/common.py)."""
    return replace(details, specialist_name=name, specialist_position=position, signer_name="",
                   signer_position="", poa_number="", poa_date=None)


def require_on_paper(s: Session, details: ExecutorDetails) -> ExecutorDetails:
    """:func:`on_paper`, refused (``ExecutorDetailsMissing``) when a detail a document needs is empty; outside a
    team the sentence also names «team profile» for the specialist's name and position."""
    from app.team.author import current_login

    paper = on_paper(s, details)
    require_executor(paper, profile_hint=not current_login(s))
    return paper


def get_executor_on_paper(db: Database) -> ExecutorDetails:
    """The details the next document would print (:func:`on_paper`), without refusing: what the start page
    checks for completeness, so that it agrees with printing (a profile or a team member is the specialist).
    A team member without a position gets the shared details, whose check then names what is missing."""
    with db.read() as s:
        details = details_in(s)
        try:
            return on_paper(s, details)
        except UserError:
            return details


def set_executor(db: Database, details: ExecutorDetails) -> Changes:
    """Save the executor's details (all fields validated; nothing saved when any is wrong).

    A VAT rate different from the one in force today becomes a VAT rule «included» (or «none») from today —
    from 01.01.2000 when no VAT was ever set; a change inside a billed period is refused (see tariffs)."""
    from app.team import rights

    rights.require_admin_db(db, rights.REQUISITES)  # team-wide data: the team's administrator only
    details = _bank_numbers(details)
    errors = executor_errors(details)
    if errors:
        messages = list(errors.values())
        raise UserError(messages[0] if len(messages) == 1 else _("The executor's details have errors:"),
                        details=[] if len(messages) == 1 else messages)
    clean = {name: (getattr(details, name) or "").strip() for name in TEXT_FIELDS}
    clean.update(inn=normalize_inn(clean["inn"]), kpp=normalize_kpp(clean["kpp"]), ogrn=normalize_ogrn(clean["ogrn"]))
    rate = parse_vat_rate(details.vat_rate)
    with db.unit() as s:
        row = executor_row(s)
        if row is None:
            row = Executor()
            s.add(row)
        for name, value in clean.items():
            setattr(row, name, value)
        row.poa_date = details.poa_date if clean["poa_number"] else None
        if rate != current_vat_rate(s):
            set_vat_from_today(s, rate)
    return Changes(settings=True, estimates=True)


# one VAT rule «included» (or «none») from today, or from 01.01.2000 when no VAT was ever set; in ``s``
def set_vat_from_today(s: Session, rate: Decimal | None) -> None:
    """The undated VAT setting (the calculator's, `billing settings --vat`, the executor's form) in ``s``: VAT at
    ``rate`` from today — from 01.01.2000 when no VAT was ever set and nothing billed —, «included» in the prices,
    or on top of them when that is today's mode (the setting changes the rate, not the mode: «сверху 22 %» became
    «в том числе 20 %» without a word); None: without VAT."""
    from app.services.tariffs import VatTable, _check_billed, billed_since, next_start

    first = s.scalar(select(VatRate.id).limit(1)) is None
    start = EARLIEST_VAT if first and billed_since(s, EARLIEST_VAT) is None else today()
    if start != EARLIEST_VAT:
        _check_billed(s, start, False, "", until=next_start(s, VatRate.valid_from, start))
    table = VatTable(s)
    rule = included_vat(rate)
    if rate is not None and table.on(today()).mode == "on_top":
        rule = VatRule("on_top", rule.rate)
    if rule.mode == "none":  # the ground of the latest «none» before keeps printing: «20 %» by mistake and back to
        # «без НДС» dropped «п. 2 ст. 346.11 НК РФ» from every later act (a tester, 2026-12-05)
        grounds = [r.basis for r in table.rows if r.mode == "none" and r.basis and r.valid_from is not None
                   and r.valid_from < start]
        rule = VatRule("none", None, grounds[-1] if grounds else "")
    row = s.scalar(select(VatRate).where(VatRate.valid_from == start))
    if row is not None and start > EARLIEST_VAT and table.on(start - timedelta(days=1)) == rule:
        s.delete(row)  # back to the rule of the day before: today's slip is undone, not a second «since today»
        return
    if row is None:
        s.add(VatRate(valid_from=start, mode=rule.mode, rate=rule.rate, basis=rule.basis, reason=""))
    else:
        row.mode, row.rate, row.basis = rule.mode, rule.rate, rule.basis


def set_vat_shortcut(db: Database, rate: Decimal | None) -> Changes:
    """The calculator's and `billing settings --vat` setting: VAT at ``rate`` from today (``set_vat_from_today``;
    None: none)."""
    from app.team import rights

    rights.require_admin_db(db, rights.VAT)  # team-wide data: the team's administrator only
    with db.unit() as s:
        if rate != current_vat_rate(s):
            set_vat_from_today(s, rate)
    return Changes(settings=True, estimates=True, worklog=True, all_figures=True)


def update_executor(db: Database, **changes) -> Changes:
    """Change some fields of the executor's details, keeping the others."""
    unknown = [name for name in changes if name not in EXECUTOR_LABELS]
    if unknown:
        raise UserError(_("Unknown executor field: {names}.").format(names=", ".join(unknown)))
    return set_executor(db, replace(get_executor(db), **changes))
