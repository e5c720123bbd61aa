"""Team-wide data in «История изменений» (`team history`) in the words of the client card's history.

The audit trail stores team-wide records by their names (app/team/rights.py ``record_key``: «onsite_day:
2027-01-01» for a tariff, «USD:…» for a rate, the date for a VAT rule, «executor», a setting's key), their
fields by column name and their values as stored text («15000.00», «on_top 20.00 с 2027-01-01»). A person
reads «Тариф «день выезда» с 01.01.2027 · ставка», «15 000,00 ₽», «НДС сверху цен 20 % с 01.01.2027»,
«Реквизиты исполнителя · дата доверенности», «07.06.2026». ``team history --json`` keeps the codes.

Every column of these tables that the trail may name has its words here (``FIELD_TITLES``; a test builds the
list from the tables' columns, so a new column without words fails it)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from app.domain.vat import VAT_MODE_TITLES
from app.i18n import N_, _, format_money, format_number

TEAM_TABLES = ("executor", "tariff", "exchange_rate", "vat_rate", "setting")
EMPTY = "—"

TARIFF_TITLES = {"remote_hour": N_("remote hour"), "onsite_day": N_("on-site day")}
# the team's settings (app/team/rights.py TEAM_SETTINGS) by their keys
SETTING_TITLES = {"billing_rounding_min": N_("billing rounding"), "hours_per_day": N_("hours per working day"),
                  "billing_rounding_reason": N_("reason of the rounding change")}
_DATED = {"valid_from": N_("valid from"), "reason": N_("reason of the change")}
FIELD_TITLES: dict[str, dict[str, str]] = {
    "tariff": {"kind": N_("kind"), "rate": N_("rate"), **_DATED},
    "exchange_rate": {"currency": N_("currency"), "rate": N_("rate"), **_DATED},
    "vat_rate": {"mode": N_("VAT mode"), "rate": N_("rate"), "basis": N_("basis for no VAT"), **_DATED},
    "setting": {"key": N_("setting"), "value": N_("value")},
}


def _field_titles(table: str) -> dict[str, str]:
    if table == "executor":
        from app.services.documents.executor import EXECUTOR_LABELS

        return EXECUTOR_LABELS
    return FIELD_TITLES.get(table, {})


def field_title(table: str, field: str) -> str:
    """The words of a team-wide table's column («дата доверенности», «ставка»); the code for an unknown one."""
    title = _field_titles(table).get(field)
    return _(title) if title else field


def _date(text: str) -> str:
    from app.team.display import shown_value

    return shown_value("valid_from", text)


def _money(text: str) -> str:
    try:
        return format_money(Decimal(text))
    except (InvalidOperation, ValueError):
        return text


def _percent(text: str) -> str:
    from app.domain.money import rate_text

    try:
        return f"{rate_text(Decimal(text))} %"
    except (InvalidOperation, ValueError, ArithmeticError):
        return text


def _hours(text: str) -> str:
    from app.team.display import _number

    try:
        return _("{n} h").format(n=_number(text))
    except (InvalidOperation, ValueError, ArithmeticError):
        return text


def setting_value(key: str, text: str) -> str:
    """A team setting's value in words: «30 мин» («без округления» for 0), «7,5 ч»."""
    if key == "billing_rounding_min":
        return _("{n} min").format(n=format_number(int(text)) if text.isdigit() else text) if text not in ("", "0") else _("no rounding")
    if key == "hours_per_day":
        return _hours(text)
    return text


def record_title(table: str, record: str) -> str:
    """A team-wide record as the history names it: «Тариф «день выезда» с 01.01.2027», «Курс USD с
    01.01.2027», «Ставка НДС с 01.01.2027», «Реквизиты исполнителя», «Настройка «округление при расчёте»»."""
    from app.team.display import table_title

    head = table_title(table)
    head = head[:1].upper() + head[1:]
    if table == "executor":
        return head
    if table == "setting":
        title = SETTING_TITLES.get(record)
        return f"{head} «{_(title) if title else record}»"
    name, _sep, since = record.rpartition(":") if table != "vat_rate" else ("", "", record)
    if table == "tariff":
        title = TARIFF_TITLES.get(name)
        name = f"«{_(title)}»" if title else name
    parts = [head, name, _("from {date}").format(date=_date(since)) if since else ""]
    return " ".join(p for p in parts if p)


def value_text(table: str, record: str, field: str, text: str | None) -> str:
    """A stored value of a team-wide record's field as a person reads it ('' for none): money «15 000,00 ₽»,
    dates ДД.ММ.ГГГГ, percentages «20 %», titles of codes, a setting's value in its unit."""
    if text is None or text == "":
        return ""
    if table == "setting":
        return setting_value(record, text)
    if field in ("valid_from", "poa_date"):
        return _date(text)
    if field == "rate":
        return _percent(text) if table == "vat_rate" else _money(text)
    if field == "vat_rate":  # the executor's legacy VAT rate
        return _percent(text)
    if field == "kind" and table == "tariff":
        return _(TARIFF_TITLES[text]) if text in TARIFF_TITLES else text
    if field == "mode":
        return _(VAT_MODE_TITLES[text]) if text in VAT_MODE_TITLES else text
    return text


def summary_text(table: str, record: str, text: str | None) -> str:
    """A whole team-wide record added or deleted, from the summary app/team/hooks.py stores («onsite_day
    15000.00 с 2027-01-01», «on_top 20.00 с 2027-01-01», «none с 2028-01-01», «USD 90.50 с …», a setting's
    value): «день выезда: 15 000,00 ₽ с 01.01.2027», «НДС сверху цен 20 % с 01.01.2027»."""
    if not text:
        return ""
    if table == "setting":
        return setting_value(record, text)
    head, sep, since = text.rpartition(" с ")
    if not sep:
        return text
    parts = head.split()
    when = _("from {date}").format(date=_date(since))
    if table == "tariff" and len(parts) == 2:
        return f"{value_text(table, record, 'kind', parts[0])}: {_money(parts[1])} {when}"
    if table == "exchange_rate" and len(parts) == 2:
        return f"{parts[0]}: {_money(parts[1])} {when}"
    if table == "vat_rate" and parts:
        mode = value_text(table, record, "mode", parts[0])
        rate = f" {_percent(parts[1])}" if len(parts) > 1 and parts[0] != "none" else ""
        return f"{mode}{rate} {when}"
    return text


def line_parts(table: str, record: str, field: str, old: str | None, new: str | None) -> tuple[str, str, str]:
    """(what, old, new) of a history line about team-wide data, in words (an empty side of a field: «—»)."""
    title = record_title(table, record)
    if not field:  # a whole record added or deleted
        return title, summary_text(table, record, old), summary_text(table, record, new)
    what = title if table == "setting" and field == "value" else f"{title} · {field_title(table, field)}"
    return what, value_text(table, record, field, old) or EMPTY, value_text(table, record, field, new) or EMPTY


def refused_value(table: str, record: str, text: str | None) -> str:
    """A side of a team-wide change the server refused (app/sync/team_data.py ``_summary``: a tariff's or a
    rate's «1560.00», a VAT rule's «included 20.00», the requisites' company, a setting's value) in words:
    «1 560,00 ₽», «НДС в том числе (в ценах) 20 %», «30 мин»; '' for none."""
    if not text:
        return ""
    if table in ("tariff", "exchange_rate"):
        return _money(text)
    if table == "vat_rate":
        mode, _sep, rate = text.partition(" ")
        shown = value_text(table, record, "mode", mode)
        return f"{shown} {_percent(rate)}" if rate and mode != "none" else shown
    if table == "setting":
        return setting_value(record, text)
    return text
