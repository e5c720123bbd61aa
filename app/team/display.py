"""Human names of the team's bookkeeping for the window: table and field titles, values, records, authors.

The audit trail and the sync conflicts store codes (``client.city``, ``1``/``0``, ISO dates, logins); the
window shows «Карточка · город», «да», «05.03.2026», «Иванова Анна». One place for both lists."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from app.domain.quotes import quoted
from app.domain.stages import APPROACH_UI, STAGE_SHORT, Approach, Stage
from app.domain.timeutil import to_local
from app.exchange.record_titles import LABEL_FIELDS
from app.exchange.record_titles import TABLE_TITLES as RECORD_TITLES
from app.exchange.record_titles import field_title as card_field_title
from app.i18n import N_, _, format_money, format_number
from app.sync.merge import BILLED_EDIT, DOUBLE_BILLING
from app.sync.rows import table as sync_table
from app.sync.ways import WINDOW, Surface, delete_client_way, keep_way, void_way
from app.team.audit import TABLE_TITLES
from app.team.author import member_names, shown_name

NOT_YOURS = "not_yours"  # app/sync/engine.py NOT_YOURS: a client the server no longer shows this member
OTHERS_CLIENT = "others_client"  # app/sync/refused.py: another member's client (from a bundle) the server refused
OTHERS_INN = "others_inn"  # app/sync/refused.py: a client new here whose INN is a hidden client's on the server
INN_TAKEN = "inn_taken"  # app/sync/refused.py: a client's INN changed here to a hidden client's; the server's is back
REFUSED = "refused"  # app/sync/team_data.py REFUSED: a team-wide change the server did not take
# app/sync/engine.py KEPT_BY_SERVER: the server refused a change to an issued document or billed work (one made on
# this computer outside the program) and its record was taken back here
KEPT_BY_SERVER = "kept_by_server"
NUMBER_TWICE = "number_twice"  # app/sync/refused.py NUMBER_TWICE: a document whose number the team holds twice
# conflict kinds whose values are a field's values (shown as ``shown_value`` reads them); a double billing's are
# act numbers, a whole record's the words of RECORD_STATES
VALUE_KINDS = frozenset({"field", BILLED_EDIT})
BOOL_FIELDS = frozenset({"done", "deleted", "forced", "active", "resolved"})
# the words the sync engine stores for a whole-record conflict (app/sync/push_record.py, laptop_apply.py)
RECORD_STATES = {"edited": N_("changed"), "deleted": N_("deleted"), "kept": N_("kept"), "missing": N_("missing"),
                 "hidden": N_("not shown to you"), "in use": N_("ticked for a client of the team: kept"),
                 "only here": N_("on this laptop only"), "others": N_("another member's client"),
                 "others inn": N_("the INN is another member's client's")}


EMPTY = "—"  # a field's empty side in a history line («01.12.2026 → —»)


def table_title(table: str) -> str:
    """«карточка», «журнал работ» … (the code itself for an unknown table)."""
    if table in TABLE_TITLES:
        return _(TABLE_TITLES[table])
    if table in RECORD_TITLES:
        return _(RECORD_TITLES[table])
    return table


def field_title(field: str) -> str:
    """«город», «ИНН» … (the code itself for an unknown field)."""
    return card_field_title(field)


def what(table: str, field: str) -> str:
    """«Карточка · город»; the table alone for a whole record."""
    title = table_title(table)
    title = title[:1].upper() + title[1:]
    return f"{title} · {field_title(field)}" if field else title


def describe(labels: dict[tuple[str, str], str], table: str, record: str, field: str, *, kind: str = "field",
             here: str | None = None, other: str | None = None, kept: str = "", surface: Surface = WINDOW) -> str:
    """What a history line or a conflict is about: «Карточка · город», «Контакт · телефон (Иванов Иван)» —
    ``what`` with the record's label from ``record_labels`` (the one builder of both lists).

    A conflict of kind «double_billing» (app/sync/merge.py; ``here``/``other``: the two acts' numbers as
    recorded, ``kept``: 'server' | 'local' of a sync, 'file' | 'here' of a bundle) reads as a sentence naming
    both acts: the work «…» is already billed by act АУ-N/ГГГГ, the other act must be voided; one of kind
    «billed_edit» says the act's figure was kept. A conflict that tells what to do names the way for ``surface``
    (app/sync/ways.py): the conflicts dialog's buttons and the menus in the window, the options on the command line."""
    label = labels.get((table, record))
    if kind == DOUBLE_BILLING:
        return double_billing_text(quoted(label) if label else "", here, other, kept)
    if kind == NOT_YOURS:  # app/sync/push_record.py: the client is no longer this member's on the server
        return _("{what}: the team server no longer shows you this client (handed to someone else): this laptop's "
                 "change was not sent. To remove the client and its unsent changes from this laptop, close the "
                 "conflict {keep_server}; to keep it here, {keep_local}").format(
            what=what(table, ""), keep_server=keep_way("server", surface), keep_local=keep_way("local", surface))
    if kind == OTHERS_CLIENT:  # app/sync/refused.py: another member's client, come in a bundle
        return _("{what}: this client is another team member's (it came in a bundle), and the team server does not "
                 "take it from you: it and its records stay on this laptop only and are not sent. If it is yours to "
                 "work on, ask your manager to assign it to you; if not, delete it here ({delete}): the team server "
                 "keeps it and its documents with its specialist. Close the conflict {keep_local}: the client then "
                 "stays on this laptop only, and reaches the server once it is assigned to you").format(
            what=what(table, ""), delete=delete_client_way(surface), keep_local=keep_way("local", surface))
    if kind in (OTHERS_INN, INN_TAKEN):
        return inn_text(what(table, ""), kind, surface)
    if kind == REFUSED:  # app/sync/team_data.py: a team-wide record has no label, its name says which
        from app.team.team_words import line_parts, record_title

        # «Тариф «удалённый час» с 01.01.2030», «Реквизиты исполнителя · город»: as `team history` names them
        title = line_parts(table, record, field, None, None)[0] if field else record_title(table, record)
        return _("{what}: the team server did not take this laptop's change — only the team's administrator "
                 "makes it; the server's value is restored").format(what=title)
    if kind == NUMBER_TWICE:  # ``here``: the document's printed number
        return _("{what}: the team already holds the number {code} twice (once under this computer's own series), "
                 "so the team server takes this document under neither: it stays on this laptop only, and the rest "
                 "of the sync went on. Void it here ({void}) and issue the work again under a new number; close the "
                 "conflict {keep_local}").format(
            what=label if table == "document" and label else what(table, ""), code=here or "—",
            void=void_way(here or "—", surface), keep_local=keep_way("local", surface))
    if kind == KEPT_BY_SERVER:
        title = label if table == "document" and label else what(table, "") + (f" ({label})" if label else "")
        return _("{what}: the server keeps issued documents and billed work as they were issued; the change made "
                 "on this computer outside the program was replaced by the server's record. Close the conflict "
                 "{keep_server}").format(what=title, keep_server=keep_way("server", surface))
    if table == "client" and kind in ("delete_edit", "edit_delete"):  # the client and all its records, said so
        return client_kept_text(what(table, ""), kind, kept)
    if table == "document" and label:  # «Акт АУ-41/2026 · аннулирован»: the act by its printed number
        text = f"{label} · {field_title(field)}" if field else label
    elif table == "checklist_template" and kind == "field":  # «Пункт чек-листа «Настроить ЭДО» · формулировка»
        title = what(table, "") + (f" {quoted(label)}" if label else "")
        shown = _("place in the list") if field == "position" else field_title(field)
        text = f"{title} · {shown}" if field else title
    else:
        text = what(table, field)
        text = f"{text} ({label})" if label else text
    if kind == BILLED_EDIT:
        return _("{what}: billed by an act, which keeps its figure (void the act to change it)").format(what=text)
    return text


def client_kept_text(title: str, kind: str, kept: str) -> str:
    """A client's delete against an edit (``kind`` «delete_edit»: deleted on the other side, changed here;
    «edit_delete»: deleted here, changed there; ``kept``: a sync's 'server' | 'local', a bundle's 'file' | 'here'):
    the client stays with every record its deletion took — not the card alone (the tester's report of 2026-12-05)."""
    file = kept in ("file", "here")
    if kind == "delete_edit":
        text = _("{what}: the client was deleted on the other computer while it was changed here — it is kept with "
                 "all its records (work log, contacts, checklist, lessons, documents); delete it here if it should "
                 "go") if file else _("{what}: the client was deleted on the team server while it was changed here "
                                       "— it is kept with all its records (work log, contacts, checklist, lessons, "
                                       "documents), and sent again; delete it here if it should go")
    else:
        text = _("{what}: the client deleted here was changed on the other computer — it came back with all its "
                 "records; delete it again if it should go") if file else _(
            "{what}: the client deleted here was changed on the team server — it came back with all its records; "
            "delete it again if it should go")
    return text.format(what=title)


def inn_text(title: str, kind: str, surface: Surface = WINDOW) -> str:
    """The sentence of a client the team server refused for its INN, which is that of another member's client the
    member does not see (app/sync/refused.py): ``OTHERS_INN`` (a client new here: kept on this laptop with its
    records) or ``INN_TAKEN`` (the INN of a client of the server changed here: the server's INN is back); the
    ways out as ``surface`` offers them (app/sync/ways.py)."""
    if kind == INN_TAKEN:
        return _("{what}: the INN typed here is that of another team member's client on the team server (you do not "
                 "see it), and the server keeps one client per INN: the server's INN is back here. If that is the "
                 "client you work for, ask your manager or the administrator to assign it to you. Close the conflict "
                 "{keep_server}").format(what=title, keep_server=keep_way("server", surface))
    return _("{what}: the team server already has a client with this INN, and it is another team member's (you do "
             "not see it), so the server does not take a second client with the same INN from you: this one and its "
             "records stay on this laptop only and are not sent. If it is the same company and you should work on "
             "it, ask your manager or the administrator to assign that client to you: the next sync then joins this "
             "copy to it. If not, delete it here ({delete}). Close the conflict {keep_local}: the client then stays on "
             "this laptop only, and reaches the server once it is assigned to you").format(
        what=title, delete=delete_client_way(surface), keep_local=keep_way("local", surface))


def double_billing_text(work: str, here: str | None, other: str | None, kept: str) -> str:
    """The one sentence of a double billing, for a sync's conflict and a bundle's import line alike: «Работа
    «02.03.2026, Конференция» уже выставлена актом АУ-1/2026; акт АУ-21/2026 выставляет её повторно — аннулируйте
    акт АУ-21/2026». ``work``: the entry as quoted ('' leaves it out); ``here``/``other``: this computer's act
    and the other side's (numbers as printed); ``kept``: 'local' | 'here' when this computer's act keeps the
    work, else 'server' | 'file'."""
    keeper, loser = (here, other) if kept in ("local", "here") else (other, here)
    return _("The work {work} is already billed by act {kept}; act {other} bills it again: void act "
             "{other}").format(work=work, kept=keeper or "—", other=loser or "—").replace("  ", " ")


def shown_value(field: str, value: object) -> str:
    """A stored value as a person reads it: yes/no, dd.mm.yyyy, stage and approach titles; '' for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = str(value)
    if not field and text[-3:] in (": 0", ": 1"):  # a tick's summary («s1.instruction: 1», app/team/hooks.py)
        return f"{text[:-3]}: {_('yes') if text[-1] == '1' else _('no')}"
    if field in BOOL_FIELDS and text in ("0", "1", "True", "False", "true", "false"):
        return _("yes") if text in ("1", "True", "true") else _("no")
    if field in ("stage", "from_stage", "to_stage"):
        try:
            return _(STAGE_SHORT[Stage(int(text))])
        except ValueError:
            return text
    if field == "approach":
        try:
            return _(APPROACH_UI[Approach(text)])
        except ValueError:
            return text
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text).strftime("%d.%m.%Y")
        except ValueError:
            return text
    if len(text) >= 19 and text[4] == "-" and text[10] in " T":
        try:
            return to_local(datetime.fromisoformat(text)).strftime("%d.%m.%Y %H:%M")
        except ValueError:
            return text
    return text


# money and quantity fields of the synced tables, by table: a conflict's value «1 500,00 ₽», «1,5»
MONEY_FIELDS = {"estimate": frozenset({"transfer", "lodging", "total"}), "work_log": frozenset({"amount"}),
                "document": frozenset({"total"})}
NUMBER_FIELDS = {"estimate": frozenset({"conference_hours", "question_hours", "control_hours", "days"}),
                 "work_log": frozenset({"days"})}


def conflict_value(table: str, field: str, value: object, people: dict[str, str] | None = None) -> str:
    """One side of a field's conflict as a person reads it, the same for `sync conflicts`, the window and a
    bundle's import report: yes/no, dd.mm.yyyy, a stage's and an approach's titles (``shown_value``), money
    «1 500,00 ₽» and quantities «1,5» of ``MONEY_FIELDS``/``NUMBER_FIELDS``, a member by name (``people``:
    ``author_names`` of the logins of ``PERSON_FIELDS``). ``value``: as stored (a JSON value, or its text);
    '' for none. A value that does not parse is shown as it is."""
    if value is None:
        return ""
    if field in MONEY_FIELDS.get(table, ()) or field in NUMBER_FIELDS.get(table, ()):
        try:  # a figure past any real one (or not a number) is shown as it came, never expanded to a page
            number = Decimal(str(value))
            if not number.is_finite() or abs(number) >= 10 ** 15:
                return str(value)
            return format_money(number) if field in MONEY_FIELDS.get(table, ()) else _number(str(number))
        except ArithmeticError:
            return str(value)
    text = shown_value(field, value)
    return author_name(people or {}, text) if field in PERSON_FIELDS else text


def summary_text(table: str, text: str | None) -> str:
    """A whole record as an added/deleted history line shows it (the summaries app/team/hooks.py stores):
    a work-log entry «02.11.2026, Конференция, 60 мин», an estimate «Смета сохранена: 15 750,00 ₽», a planned
    event «03.12.2026 10:00, Звонок, 30 мин»; other records as ``shown_value`` reads them."""
    if not text:
        return ""
    parts = text.split()
    try:
        if table == "work_log" and len(parts) == 3:
            from app.domain.pricing import AMOUNT_KINDS, DAY_KINDS, KIND_TITLES_UI

            day, kind, amount = parts
            if kind in AMOUNT_KINDS:
                how = format_money(Decimal(amount))
            elif kind in DAY_KINDS:
                how = _("{n} day(s)").format(n=_number(amount))
            else:
                how = _("{n} min").format(n=format_number(int(amount)) if amount.isdigit() else amount)
            return ", ".join((shown_value("on_date", day), _(KIND_TITLES_UI.get(kind, kind)), how))
        if table == "document" and len(parts) == 2 and "/" in parts[1]:  # «act 1/2026» (app/team/hooks.py)
            from app.services.documents.register import PREFIXES, document_code

            number, year = parts[1].split("/", 1)
            if parts[0] in PREFIXES:
                return document_code(parts[0], int(number), int(year))
        if table == "estimate" and len(parts) == 2:
            return _("Estimate saved: {amount}").format(amount=format_money(Decimal(parts[1])))
        if table == "planned_event" and len(parts) == 3:
            from app.services.event_input import EVENT_KIND_TITLES

            starts, kind, minutes = parts  # the wall-clock time in the event's zone
            return ", ".join((datetime.fromisoformat(starts).strftime("%d.%m.%Y %H:%M"),
                              _(EVENT_KIND_TITLES.get(kind, kind)),
                              _("{n} min").format(n=format_number(int(minutes)) if minutes.isdigit() else minutes)))
        if table == "client" and parts[0].isdigit():  # a client created: «ООО «Ромашка», ИНН 7707083893»
            return _("{name}, INN {inn}").format(name=text[len(parts[0]):].strip(), inn=parts[0])
        if table in ("checklist_state", "lesson_progress") and text[-3:] in (": 0", ": 1"):
            return f"{field_title('done')}: {_('yes') if text[-1] == '1' else _('no')}"  # the title is in «what»
    except (ValueError, ArithmeticError):
        pass
    return shown_value("", text)


def _number(text: str) -> str:
    """«1.50» → «1,5»; «2.00» → «2» («1.5», «2» in English: the decimal comma was written by hand)."""
    return format_number(Decimal(text).normalize())


# fields whose values are team members' logins (a tick's or a stage move's «who», a client's specialist and
# manager): shown by the member's name, as authors are
PERSON_FIELDS = frozenset({"who", "specialist_login", "manager_login"})


def author_names(session: Session, logins: Iterable[str]) -> dict[str, str]:
    """Team logins → full names (those known here: a laptop keeps the team's roster from its last sync);
    other authors (a local profile's name) stay as they are. A line sent from a laptop before it joined the
    team («ivanova (Иванова А.)», app/sync/push_record.py) is looked up by its login (app/team/author.py)."""
    return member_names(session, logins)


def author_name(names: dict[str, str], author: str) -> str:
    """The one form of an author on every computer, in the window and the CLI alike: the member's full name
    when the team knows the login (a laptop keeps the roster), else what was recorded (a local profile's name,
    or a login the team no longer lists); '' stays ''."""
    return shown_name(names, author)


BILLED_BY = "billed_by_document_id"  # a work-log entry's act: stored as the act's UUID (a local id before)


def unknown_document() -> str:
    """A billing act the trail names but this computer does not have (or an id from another computer)."""
    return _("an act not on this computer")


def document_codes(session: Session, refs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """(entry version, stored value) of «выставлено актом» lines → the act's printed number («АУ-3/2026»).
    The value is the act's UUID; older lines stored the writing computer's local id, trusted only on a line
    never sent anywhere (version 0), since ids differ between computers."""
    from app.persistence.models import Document
    from app.services.documents.register import document_code

    wanted = list(refs)
    uuids = sorted({v for _ver, v in wanted if not v.isdigit()})
    ids = sorted({int(v) for ver, v in wanted if v.isdigit() and not ver})
    columns = (Document.id, Document.uuid, Document.kind, Document.number, Document.year, Document.series)
    by_uuid, by_id = {}, {}
    for start in range(0, len(uuids), 500):
        for row in session.execute(select(*columns).where(Document.uuid.in_(uuids[start:start + 500]))):
            by_uuid[row.uuid] = document_code(row.kind, row.number, row.year, row.series or "")
    for start in range(0, len(ids), 500):
        for row in session.execute(select(*columns).where(Document.id.in_(ids[start:start + 500]))):
            by_id[str(row.id)] = document_code(row.kind, row.number, row.year, row.series or "")
    found = {}
    for ver, value in wanted:
        code = by_uuid.get(value) if not value.isdigit() else (by_id.get(value) if not ver else None)
        if code:
            found[(ver, value)] = code
    return found


def record_labels(session: Session, records: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(table, record uuid) → a short label of the record («Иванов», «05.03.2026, выезд»), one query per
    table; records that no longer exist or have no label are left out."""
    by_table: dict[str, set[str]] = {}
    for name, uuid in records:
        if name in LABEL_FIELDS and name != "client":
            by_table.setdefault(name, set()).add(uuid)
    labels: dict[tuple[str, str], str] = {}
    titles: dict[str, str] = {}
    if "checklist_state" in by_table:  # a tick is named by its item's title, not its code
        from app.persistence.models import ChecklistTemplate

        titles = dict(session.execute(select(ChecklistTemplate.code, ChecklistTemplate.title)).all())
    for name, uuids in by_table.items():
        t = sync_table(name)
        fields = [f for f in LABEL_FIELDS[name] if f in t.c]
        if not fields or "uuid" not in t.c:
            continue
        rows = session.execute(select(t.c.uuid, *[t.c[f] for f in fields]).where(t.c.uuid.in_(sorted(uuids))))
        for row in rows:
            parts = [_label_part(name, f, v, titles) for f, v in zip(fields, row[1:], strict=True)]
            labels[(name, row[0])] = ", ".join(p for p in parts if p)
    _tick_labels_from_the_trail(session, by_table, labels, titles)
    if "work_log" in by_table:
        from app.team.entry_labels import tell_entries_apart

        tell_entries_apart(session, labels)  # two entries of one day and kind do not read alike
    records = list(records)
    _document_labels(session, sorted(uuid for name, uuid in records if name == "document"), labels)
    _template_labels(session, sorted({key for name, key in records if name == "checklist_template"}), labels)
    return labels


def _template_labels(session: Session, keys: list[str], labels: dict[tuple[str, str], str]) -> None:
    """(«checklist_template», key) → the item's title: a user-added item's key is its UUID, a shipped one's its
    code (app/team/hooks.py); an item deleted since by its last title in the trail (its added, renamed or
    deleted line)."""
    from app.persistence.models import AuditEntry, ChecklistTemplate

    wanted = [k for k in keys if ("checklist_template", k) not in labels]
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for code, uuid, title in session.execute(select(ChecklistTemplate.code, ChecklistTemplate.uuid,
                                                        ChecklistTemplate.title)
                                                 .where(ChecklistTemplate.code.in_(chunk)
                                                        | ChecklistTemplate.uuid.in_(chunk))):
            labels[("checklist_template", uuid if uuid in chunk else code)] = title
    missing = [k for k in wanted if ("checklist_template", k) not in labels]
    for start in range(0, len(missing), 500):
        rows = session.execute(select(AuditEntry.record_uuid, AuditEntry.new_value, AuditEntry.old_value)
                               .where(AuditEntry.table_name == "checklist_template",
                                      AuditEntry.record_uuid.in_(missing[start:start + 500]),
                                      AuditEntry.field.in_(("", "title")))
                               .order_by(case((AuditEntry.row_version == 0, 1), else_=0), AuditEntry.row_version,
                                         AuditEntry.id))  # oldest first, as the trail orders (unsent last)
        for key, new, old in rows:  # the last one read wins: the newest title
            named = new or old
            if named:
                labels[("checklist_template", key)] = named


# a document in the history by its kind and printed number («Акт АУ-41/2026»)
DOCUMENT_TITLES = {"act": N_("Act {code}"), "signoff": N_("Sign-off sheet {code}"),
                   "estimate": N_("Cost estimate {code}"), "progress": N_("Progress report {code}")}


def _document_labels(session: Session, uuids: list[str], labels: dict[tuple[str, str], str]) -> None:
    """(«document», uuid) → «Акт АУ-41/2026» for the documents on this computer (a query per 500)."""
    from app.persistence.models import Document
    from app.services.documents.register import document_code

    columns = (Document.uuid, Document.kind, Document.number, Document.year, Document.series)
    for start in range(0, len(uuids), 500):
        for row in session.execute(select(*columns).where(Document.uuid.in_(uuids[start:start + 500]))):
            code = document_code(row.kind, row.number, row.year, row.series or "")
            title = DOCUMENT_TITLES.get(row.kind)
            labels[("document", row.uuid)] = _(title).format(code=code) if title else code


TICK_TABLES = ("checklist_state", "lesson_progress")


def _tick_labels_from_the_trail(session: Session, by_table: dict[str, set[str]],
                                labels: dict[tuple[str, str], str], titles: dict[str, str]) -> None:
    """A tick whose record is gone is still named by its item: the record another laptop's tick of the same
    item replaced at a sync (met by its natural key, app/sync/push_record.py), or a deleted one. Its audit trail's
    insert or delete line keeps the code («s1.lessons: 1», app/team/hooks.py) — one query for all of them."""
    from app.persistence.models import AuditEntry

    for name in TICK_TABLES:
        missing = sorted(uuid for uuid in by_table.get(name, ()) if (name, uuid) not in labels)
        for start in range(0, len(missing), 500):
            rows = session.execute(select(AuditEntry.record_uuid, AuditEntry.new_value, AuditEntry.old_value)
                                   .where(AuditEntry.table_name == name, AuditEntry.action.in_(("insert", "delete")),
                                          AuditEntry.record_uuid.in_(missing[start:start + 500])))
            for uuid, new, old in rows:
                summary = new or old or ""
                code = summary.rsplit(": ", 1)[0] if summary[-3:] in (": 0", ": 1") else ""
                if code and (name, uuid) not in labels:
                    labels[(name, uuid)] = titles.get(code, code) if name == "checklist_state" else code


def _label_part(table: str, field: str, value: object, titles: dict[str, str]) -> str:
    """One field of a record's label: a checklist item's title, a work or event kind's title, else
    ``shown_value``."""
    if (table, field) == ("checklist_state", "code"):
        return titles.get(str(value), str(value))
    if (table, field) == ("work_log", "kind"):
        from app.domain.pricing import KIND_TITLES_UI

        return _(KIND_TITLES_UI[str(value)]) if value in KIND_TITLES_UI else str(value)
    if (table, field) == ("planned_event", "kind"):
        from app.services.event_input import EVENT_KIND_TITLES

        return _(EVENT_KIND_TITLES[str(value)]) if value in EVENT_KIND_TITLES else str(value)
    if (table, field) == ("planned_event", "starts_at") and isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")  # the time is the event's zone's: the summary says it
    return shown_value(field, value)
