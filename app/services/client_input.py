"""The client card as typed: its fields and people (ClientInput), judged field by field, put in stored form."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from app.domain import validation as v
from app.domain.normalize import normalize_email, normalize_inn, normalize_kpp, normalize_phone
from app.domain.stages import parse_approach
from app.errors import UserError
from app.i18n import _
from app.services.common import today


@dataclass
class PersonInput:
    name: str
    position: str = ""
    phone: str = ""
    email: str = ""
    department: str = ""
    uuid: str | None = None


@dataclass
class ClientInput:
    name: str
    inn: str
    approach: str
    kpp: str = ""
    contract_no: str = ""
    contract_date: date | None = None
    program_version: str = ""
    manager: str = ""
    address: str = ""
    city: str = ""
    signer_name: str = ""
    signer_position: str = ""
    notes: str = ""
    contacts: list[PersonInput] = field(default_factory=list)
    employees: list[PersonInput] = field(default_factory=list)


# the card's own fields (not its people), in the card's order: what ``clients._apply`` stores and
# ``clients.edit_client`` may change
CARD_FIELDS = ("name", "inn", "kpp", "approach", "contract_no", "contract_date", "program_version", "manager",
               "address", "city", "signer_name", "signer_position", "notes")


def field_errors(data: ClientInput, *, person_rows: bool = True) -> dict[str, str]:
    """Per-field messages for a client form; empty when everything is valid. Identifiers are judged in
    their normalised form (``app.domain.normalize``), the way ``add_client`` stores them. A contact's or an
    employee's problems are prefixed «Строка N:» (its row in the card's table) unless ``person_rows`` is False
    (a CSV line holds one contact and names its own line: «Строка 2: Строка 1: …» said two different rows)."""
    errors: dict[str, str] = {}

    def text(name: str, label: str, value: str, required: bool = False, max_len: int = v.MAX_TEXT,
             paper: bool = True) -> None:
        try:  # ``paper``: the field is printed on the documents (its characters must be printable there)
            v.clean_text(value, label, required=required, max_len=max_len, paper=paper)
        except UserError as exc:
            errors[name] = exc.message

    text("name", _("Name"), data.name, required=True, max_len=300)
    inn_error = v.inn_error(data.inn)
    if inn_error:
        errors["inn"] = inn_error
    kpp_error = v.kpp_error(data.kpp, data.inn)
    if kpp_error:
        errors["kpp"] = kpp_error
    try:
        parse_approach(data.approach)
    except UserError as exc:
        errors["approach"] = exc.message
    text("contract_no", _("Contract No."), data.contract_no, max_len=100)
    text("program_version", _("Program version"), data.program_version, max_len=50)
    text("manager", _("Manager"), data.manager, max_len=200, paper=False)
    text("address", _("Address"), data.address)
    text("city", _("City"), data.city, max_len=100)
    text("signer_name", _("Signer"), data.signer_name, max_len=200)
    text("signer_position", _("Signer position"), data.signer_position, max_len=200)
    try:
        v.clean_multiline(data.notes, _("Notes"), max_len=10_000)
    except UserError as exc:
        errors["notes"] = exc.message
    if data.contract_date and not v.EARLIEST_YEAR <= data.contract_date.year <= v.LATEST_YEAR:
        errors["contract_date"] = _("Contract date is out of range.")
    elif data.contract_date and data.contract_date > today() + timedelta(days=366):
        # a contract is dated when signed: «2099» was taken, then every act was refused as earlier than it
        errors["contract_date"] = _("Contract date {date} is more than a year ahead: give the date it was "
                                    "signed.").format(date=data.contract_date.strftime("%d.%m.%Y"))
    for kind, people in (("contacts", data.contacts), ("employees", data.employees)):
        for index, person in enumerate(people, start=1):
            problems = []
            if not person.name.strip():
                problems.append(_("name is required"))
            for value, check in ((person.email, v.email_error), (person.phone, v.phone_error)):
                message = check(value)
                if message:
                    problems.append(message)
            for value, label, required in ((person.name, _("Full name"), bool(person.name.strip())),
                                           (person.position, _("Position"), False),
                                           (person.department, _("Department"), False)):
                try:
                    v.clean_text(value, label, required=required, max_len=200)
                except UserError as exc:
                    problems.append(exc.message)
            if problems:
                joined = v.joined(problems)
                errors[f"{kind}[{index}]"] = _("Row {n}: {problems}").format(n=index, problems=joined) \
                    if person_rows else joined
    return errors


def _raise_if_invalid(data: ClientInput) -> None:
    errors = field_errors(data)
    if errors:
        messages = list(errors.values())
        raise UserError(messages[0] if len(messages) == 1 else _("The client card has errors:"),
                        details=[] if len(messages) == 1 else messages)


def _person(person: PersonInput) -> PersonInput:
    return replace(person, name=person.name.strip(), position=person.position.strip(),
                   department=person.department.strip(), phone=normalize_phone(person.phone),
                   email=normalize_email(person.email))


# the card's names of people and of the company, kept with single spaces between words
ONE_LINE_NAMES = frozenset({"name", "manager", "signer_name", "signer_position"})


def _normal_field(name: str, value):
    """The stored form of one valid field of the card (``_normalise`` of that field alone)."""
    if name == "inn":
        return normalize_inn(value)
    if name == "kpp":
        return normalize_kpp(value)
    if name == "approach":
        return parse_approach(value).value
    if name == "notes":
        return v.clean_multiline(value, _("Notes"))
    if name in ONE_LINE_NAMES and isinstance(value, str):  # «Иванов   Иван» typed is «Иванов Иван»
        return " ".join(value.split())
    return value.strip() if isinstance(value, str) else value  # contract_date: a date or None


def _normalise(data: ClientInput) -> ClientInput:
    """The stored form of a valid card: text trimmed, identifiers normalised (ИНН/КПП ASCII, phones in
    the international format, e-mail domains in lower case), notes with ``\n`` line breaks."""
    return replace(
        data, **{name: _normal_field(name, getattr(data, name)) for name in CARD_FIELDS},
        contacts=[_person(p) for p in data.contacts], employees=[_person(p) for p in data.employees],
    )


def judged_card(data: ClientInput) -> ClientInput:
    """The card ``data`` as stored (``_normalise``); UserError when a field is invalid."""
    _raise_if_invalid(data)
    return _normalise(data)
