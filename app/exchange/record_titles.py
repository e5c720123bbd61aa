"""What records and their fields are called for the user: table and field titles, a record's label fields."""

from __future__ import annotations

from app.i18n import N_, _

TABLE_TITLES = {
    "client": N_("Client"), "contact": N_("Contact"), "employee": N_("Employee"),
    "stage_event": N_("Stage move"), "checklist_state": N_("Checklist tick"),
    "lesson_progress": N_("Lesson"), "work_log": N_("Work log entry"), "estimate": N_("Estimate"),
    "document": N_("Document"),
}
FIELD_TITLES = {
    "name": N_("name"), "inn": N_("INN"), "kpp": N_("KPP"), "address": N_("address"), "city": N_("city"),
    "approach": N_("approach"), "stage": N_("stage"), "contract_no": N_("contract No."),
    "contract_date": N_("contract date"), "program_version": N_("program version"), "manager": N_("manager"),
    "signer_name": N_("signer"), "signer_position": N_("signer's position"), "notes": N_("Notes"),
    "position": N_("position"), "phone": N_("phone"), "email": N_("e-mail"), "department": N_("department"),
    "done": N_("done"), "done_on": N_("done on"), "on_date": N_("date"), "kind": N_("kind"),
    "minutes": N_("number of minutes"), "days": N_("number of days"), "amount": N_("amount"), "note": N_("note"),
    "deleted": N_("deleted"), "total": N_("total"), "content": N_("contents"),
    "signed_returned_on": N_("signed copy returned"), "year": N_("year"), "number": N_("number"),
    "stage_since": N_("in the stage since"), "created_at": N_("created at"), "client_id": N_("client"),
    "from_stage": N_("from stage"), "to_stage": N_("to stage"), "at": N_("moved at"), "who": N_("who"),
    "reason": N_("reason"), "forced": N_("forced"), "code": N_("code"), "lesson_code": N_("lesson"),
    "employee_uuid": N_("employee"), "conference_hours": N_("conference hours"),
    "question_hours": N_("question hours"), "control_hours": N_("control hours"), "transfer": N_("transfer"),
    "lodging": N_("lodging"), "issued_on": N_("issued on"), "period_from": N_("period from"),
    "period_to": N_("period to"), "series": N_("numbering series"),
    "voided_on": N_("voided on"), "void_reason": N_("reason for voiding"),
    "billed_by_document_id": N_("billed by act"),
    "billed_by_document_uuid": N_("billed by act"),  # the key a sync conflict stores (app/sync/merge.py)
}
LABEL_FIELDS = {
    "client": ("name", "inn"), "contact": ("name",), "employee": ("name",), "stage_event": ("from_stage", "to_stage"),
    "checklist_state": ("code",), "lesson_progress": ("lesson_code",), "work_log": ("on_date", "kind"),
    "estimate": ("on_date", "approach"),
}
# the specialist's week: planned events and the questions log
TABLE_TITLES.update({"planned_event": N_("Planned event"), "question": N_("Question")})
FIELD_TITLES.update({
    "starts_at": N_("start"), "time_zone": N_("time zone"), "duration_min": N_("duration"),
    "section": N_("section of accounting"), "lesson_codes": N_("lessons"), "participant_uuids": N_("participants"),
    "place": N_("place or link"), "status": N_("status"), "actual_min": N_("real duration"),
    "entry_id": N_("work-log entry"), "asked_on": N_("asked on"), "channel": N_("channel"),
    "question": N_("question"), "answer": N_("answer"), "search_text": N_("search text"),
    "ticked_codes": N_("lessons ticked"),
})
FIELD_TITLES.setdefault("updated_at", N_("changed at"))
LABEL_FIELDS.update({"planned_event": ("starts_at", "kind"), "question": ("asked_on", "question")})
# the team (issue 17): who is responsible, who wrote last, the server's version
FIELD_TITLES.update({"specialist_login": N_("responsible specialist"), "manager_login": N_("responsible manager"),
                     "updated_by": N_("last changed by"), "row_version": N_("server version")})
# a user-added checklist item travels through the team server (its conflicts name it by its title)
TABLE_TITLES.update({"checklist_template": N_("Checklist template item")})
FIELD_TITLES.update({"title": N_("wording"), "requires": N_("required item")})
LABEL_FIELDS.update({"checklist_template": ("title",)})


# fields titled by the card's own label (a capitalised msgid the card shares: «Примечания», never «заметки» beside
# the card's «Примечания» and «--notes»: tester L, item 12), said in lower case in a line like every other field
CARD_LABELS = frozenset({"notes"})


def field_title(key: str) -> str:
    """The user's name of a record field («город», «примечания»), the key itself when there is none."""
    if key not in FIELD_TITLES:
        return key
    title = _(FIELD_TITLES[key])
    return title[:1].lower() + title[1:] if key in CARD_LABELS else title
