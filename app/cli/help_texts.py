"""Descriptions for `--help` of every option whose `add_argument` gives none (kept here in one table).

``fill_missing_help(parser)`` runs once the parser is built: an argument without ``help=`` gets the text
for its command and destination, or the text shared by that destination in every command (``client``,
``--json``…). tests/unit/test_cli_help.py checks that no option of any command is left without one."""

from __future__ import annotations

import argparse

from app.i18n import N_, _

# dest -> description, the same in every command that has it
COMMON = {
    "client": N_("client: the numeric id or the ИНН"),
    "clients": N_("clients: numeric ids or ИНН"),
    "json": N_("print JSON instead of a table (codes, not Russian names)"),
    "date_from": N_("first day of the period, YYYY-MM-DD"),
    "date_to": N_("last day of the period, YYYY-MM-DD"),
    "date": N_("date, YYYY-MM-DD (default today)"),
    "output": N_("file to write"),
    "file": N_("file to read"),
    "password_file": N_("file whose first line is the password of the bundle"),
    "codes": N_("item codes, e.g. s1.lessons (see the show command)"),
    "employee": N_("client employee (name); without it, the progress of the whole company"),
    "reason": N_("why: kept in the stage history"),
    "stage": N_("stage number 0–4"),
    "ids": N_("work-log entry ids (see «log list»)"),
    "number": N_("document number, e.g. АУ-7/2026"),
    "approach": N_("approach: accompanied (сопровождение), remote (удалённые конференции) or onsite "
                   "(выездное внедрение)"),
    "inn": N_("ИНН: 10 or 12 digits with a valid checksum"),
    "kpp": N_("КПП: 9 characters (4 digits, 2 digits or Latin letters, 3 digits)"),
    "kind": N_("kind of entry: conference, questions, control, onsite_day, transfer or lodging"),
}

# (command path, dest) -> description where the common one does not fit
SPECIFIC = {
    ("billing vat", "mode"): N_("VAT mode: none (без НДС), included (included in the price) or on_top (on top of it)"),
    ("billing vat", "rate"): N_("VAT rate in percent, e.g. 20 (not for «none»)"),
    ("billing vat", "valid_from"): N_("first day the VAT rule holds, YYYY-MM-DD"),
    ("executor set", "poa_number"): N_("number of the power of attorney the signer acts by"),
    ("executor set", "bank_account"): N_("settlement account (р/с), 20 digits"),
    ("executor set", "bank_name"): N_("name of the bank"),
    ("executor set", "bank_bik"): N_("БИК of the bank, 9 digits"),
    ("executor set", "bank_corr"): N_("correspondent account (к/с), 20 digits"),
    ("export-xlsx clients", "search"): N_("only clients found by this text (name, ИНН, contact, phone)"),
    ("export-xlsx register", "year"): N_("only documents of this year"),
    ("export-xlsx plan", "status"): N_("only events in this state: planned, done or cancelled"),
    ("plan add", "note"): N_("note to the event"),
    ("plan list", "status"): N_("only events in this state: planned, done or cancelled"),
    ("plan edit", "event"): N_("number of the planned event (see «plan list»)"),
    ("plan edit", "note"): N_("new note to the event (\"\" clears it)"),
    ("plan edit", "kind"): N_("new kind of event: conference (remote conference), onsite_day (on-site day), call or "
                              "stage_review (stage review)"),
    ("plan done", "event"): N_("number of the planned event (see «plan list»)"),
    ("plan cancel", "event"): N_("number of the planned event (see «plan list»)"),
    ("questions add", "answer"): N_("the answer, if it is already known"),
    ("questions list", "status"): N_("only questions in this state: open or solved"),
    ("questions list", "search"): N_("only questions whose text or answer contains this"),
    ("questions close", "question"): N_("number of the question (see «questions list»)"),
    ("questions close", "answer"): N_("the answer given"),
    ("template checklist add", "title"): N_("title of the new checklist item"),
    ("template checklist add", "stage"): N_("stage of the item: 1, 2 or 3 (only these stages have a checklist)"),
    ("template checklist order", "stage"): N_("stage whose items to order: 1, 2 or 3"),
    ("template checklist order", "codes"): N_("every item code of the stage, in the new order (see «template checklist "
                                              "list»)"),
    ("export-xlsx register", "kind"): N_("only this kind: signoff, estimate, act or progress"),
    ("plan add", "kind"): N_("kind of event: conference (remote conference), onsite_day (on-site day), call or "
                             "stage_review (stage review)"),
    ("billing rate", "reason"): N_("why a period already billed is changed: kept with the rate"),
    ("billing vat", "reason"): N_("why a period already billed is changed: kept with the VAT rule"),
    ("billing settings", "reason"): N_("why the rounding of work already billed is changed: kept with the setting"),
    ("documents void", "reason"): N_("why the document is voided: kept in the register"),
    ("plan cancel", "reason"): N_("why the event is cancelled: added to its note"),
    ("template checklist add", "code"): N_("code of the new item, e.g. s2.reports (default: made from the stage)"),
    ("template checklist rename", "code"): N_("code of the checklist item, e.g. s1.lessons"),
    ("template checklist rename", "title"): N_("new title of the item"),
    ("template checklist delete", "code"): N_("code of an item you added, e.g. s2.reports"),
    ("estimate", "conference_hours"): N_("hours of conferences"),
    ("estimate", "question_hours"): N_("hours answering questions"),
    ("estimate", "control_hours"): N_("hours checking the data users entered"),
    ("estimate", "days"): N_("on-site working days"),
    # «(оплачиваются отдельно)»: yet the estimate adds them into «Итого» and charges VAT on them (a fresh tester)
    ("estimate", "transfer"): N_("transfer costs, roubles: a line of their own, included in the total (VAT, if "
                                 "charged, on them too)"),
    ("estimate", "lodging"): N_("lodging costs, roubles: a line of their own, included in the total (VAT, if "
                                "charged, on them too)"),
    ("log add", "date"): N_("day of the work, YYYY-MM-DD"),
    ("log add", "minutes"): N_("time in minutes (conference, questions, control)"),
    ("log add", "days"): N_("working days (on-site day)"),
    ("log add", "amount"): N_("amount in roubles (transfer, lodging)"),
    ("log add", "note"): N_("note: what was done"),
    ("log add", "stage"): N_("stage the work belongs to, 0–4 (default: the client's current stage)"),
    ("log list", "kind"): N_("only this kind of entry (may be repeated)"),
    ("billing settings", "vat"): N_("VAT rate in percent, or «none» for «Без НДС»"),
    ("billing settings", "rounding"): N_("round billable time up to 0 (no rounding), 15, 30 or 60 minutes"),
    ("billing settings", "hours_per_day"): N_("hours in an on-site working day"),
    ("billing rate", "kind"): N_("what the rate is for: remote_hour, onsite_day or USD"),
    ("billing rate", "rate"): N_("rate in roubles"),
    ("billing rate", "valid_from"): N_("first day the rate holds, YYYY-MM-DD"),
    ("clients add", "name"): N_("name of the company, e.g. ООО «Ромашка»"),
    ("clients add", "contract_no"): N_("contract number"),
    ("clients add", "contract_date"): N_("contract date, YYYY-MM-DD"),
    ("clients add", "program_version"): N_("program version in force when the contract was signed"),
    ("clients add", "manager"): N_("the client's personal manager"),
    ("clients edit", "name"): N_("name of the company, e.g. ООО «Ромашка»"),
    ("clients edit", "contract_no"): N_("contract number"),
    ("clients edit", "contract_date"): N_("contract date, YYYY-MM-DD"),
    ("clients edit", "program_version"): N_("program version in force when the contract was signed"),
    ("clients edit", "manager"): N_("the client's personal manager"),
    ("clients edit", "address"): N_("the client's legal address"),
    ("clients edit", "city"): N_("the client's city"),
    ("clients edit", "signer_name"): N_("full name of the person who signs for the client"),
    ("clients edit", "signer_position"): N_("position of the person who signs for the client"),
    ("clients edit", "notes"): N_("notes on the client"),
    ("clients import", "file"): N_("CSV file: ;-separated, UTF-8 or cp1251, the header row as in the README"),
    ("checklist done", "date"): N_("date the items were done, YYYY-MM-DD (default today)"),
    ("lessons done", "date"): N_("date the lessons were watched, YYYY-MM-DD (default today)"),
    ("lessons done", "codes"): N_("lesson codes, e.g. L01 (see «lessons show»)"),
    ("lessons undo", "codes"): N_("lesson codes, e.g. L01 (see «lessons show»)"),
    ("stage advance", "force"): N_("move on although checklist items are not done (give --reason)"),
    ("restore", "file"): N_("backup file to restore (the current data are backed up first)"),
    ("export", "output"): N_("bundle file to write (.zip)"),
    ("import", "file"): N_("bundle file to import (.zip)"),
    ("report acts", "month"): N_("month of the acts, YYYY-MM"),
    ("report acts", "dir"): N_("folder for the PDF files"),
    ("documents list", "client"): N_("only the documents of this client (id or ИНН)"),
    ("documents list", "kind"): N_("only this kind: signoff, estimate, act or progress"),
    ("documents list", "year"): N_("only the documents of this year"),
    ("documents print", "output"): N_("PDF file to write"),
    ("documents returned", "date"): N_("day the signed copy came back, YYYY-MM-DD"),
    ("executor set", "company"): N_("name of the executor's company"),
    ("executor set", "inn"): N_("executor's ИНН: 10 or 12 digits with a valid checksum"),
    ("executor set", "kpp"): N_("executor's КПП: 9 characters (4 digits, 2 digits or Latin letters, 3 digits)"),
    ("executor set", "ogrn"): N_("executor's ОГРН (13 digits) or ОГРНИП (15 digits)"),
    ("executor set", "address"): N_("executor's legal address"),
    ("executor set", "bank_details"): N_("bank details for the documents"),
    ("executor set", "city"): N_("city printed in the documents' headings"),
    ("executor set", "specialist_name"): N_("full name of the implementation specialist"),
    ("executor set", "specialist_position"): N_("position of the implementation specialist"),
    ("executor set", "signer_name"): N_("full name of the person who signs (default: the specialist; on a team "
                                        "laptop, or with a «team profile» name, the issuing person signs instead)"),
    ("executor set", "signer_position"): N_("position of the person who signs"),
}


def fill_missing_help(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> None:
    """Give every argument without ``help`` its description from the tables above (recursively)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                fill_missing_help(subparser, (*path, name))
            continue
        if action.help is not None:
            continue
        text = SPECIFIC.get((" ".join(path), action.dest)) or COMMON.get(action.dest)
        if text:
            action.help = _(text)
