"""The four documents as platypus stories, built only from a content snapshot (a JSON-ready dict)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.domain.quotes import quoted
from app.domain.vat import vat_ground
from app.reports import parts as p
from app.reports import text as t
from app.reports.styles import MM, styles


def keep_together(flowables: list):
    from reportlab.platypus import KeepTogether as _KeepTogether

    return _KeepTogether(flowables)

TWO_COPIES = ("Настоящий акт составлен в двух экземплярах, имеющих одинаковую юридическую силу, "
              "по одному для каждой из сторон.")


def _numbered(title: str, counter: list[int]) -> list:
    counter[0] += 1
    return p.section(f"{counter[0]}. {title}")


def _info_table(rows: list[tuple[str, str]], label_mm: float = 56) -> list:
    s = styles()
    data = [[p.para(label, s.cell_bold), p.para(value, s.cell)] for label, value in rows]
    return [p.grid(data, [label_mm, 170 - label_mm], header_rows=0, repeat=False)]


# ------------------------------------------------------------------ sign-off sheet


def signoff(content: dict) -> tuple[list, str]:
    s = styles()
    stage = content["stage"]
    story = p.heading(content, "АКТ", ["сдачи-приёмки этапа работ", "по внедрению АСУ «Менеджмент»"])
    story += p.parties(content)
    story += [p.spacer(2), p.para(
        "Мы, нижеподписавшиеся, представители Исполнителя и Заказчика, составили настоящий акт о том, "
        "что Исполнитель выполнил, а Заказчик принял работы по этапу внедрения АСУ «Менеджмент», "
        "указанному ниже.", s.body_justify)]
    n = [0]
    story += _numbered("Этап внедрения", n)
    period = f"с {t.short_date(stage['since'])} по {t.short_date(stage['until'])}" if stage.get("since") else ""
    moves = []  # the moves' days when the stage's work began before the move into it or ended after the move on
    if stage.get("moved_in"):
        moves.append(f"начаты до перехода на этап {t.short_date(stage['moved_in'])}")
    if stage.get("moved_out"):
        moves.append(f"завершены после перехода на следующий этап {t.short_date(stage['moved_out'])}")
    if period and moves:
        period += f" (работы этапа {' и '.join(moves)})"
    rows = [("Этап", f"{stage['number']}. {stage['title']}"), ("Цель этапа", stage.get("goal", "")),
            ("Подход к внедрению", content.get("approach_title", ""))]
    if period:
        rows.append(("Сроки этапа", period))
    story += _info_table(rows)

    story += _numbered("Выполнение мероприятий этапа", n)
    head = [p.para(h, s.head) for h in ("№", "Мероприятие этапа", "Отметка о выполнении", "Дата выполнения")]
    body = [head]
    for index, item in enumerate(content["checklist"], start=1):
        title = item["title"] + (f" ({item['note']})" if item.get("note") else "")
        body.append([p.para(str(index), s.cell_center), p.para(title, s.cell),
                     p.para("выполнено" if item["done"] else "не выполнено", s.cell_center),
                     p.para(t.short_date(item.get("done_on")) or "—", s.cell_center)])
    story.append(p.grid(body, [9, 101, 32, 28]))
    done = sum(1 for item in content["checklist"] if item["done"])
    story.append(p.para(f"Выполнено мероприятий: {done} из {len(content['checklist'])}.", s.small))

    lessons = content["lessons"]
    story += _numbered("Обучение пользователей", n)
    story += _info_table([
        ("Видеоуроки этапа", f"просмотрено {lessons['stage_done']} из {lessons['stage_total']}"),
        ("Всего по плану внедрения", f"просмотрено {lessons['done']} из {lessons['total']}"),
    ])

    spent = content.get("spent")
    if spent is not None:
        story += _numbered("Затраты времени и стоимость работ по этапу", n)
        time_rows = []
        if spent["minutes"] or not Decimal(spent["days"]):
            hours = spent.get("hours")
            shown = t.hours_minutes(spent["minutes"]) + (f" ({t.quantity(hours)}{t.NBSP}ч)" if hours else "")
            time_rows.append(("Учтённое время", shown if spent["minutes"] else "—"))
        if Decimal(spent["days"]):
            time_rows.append(("Дни выездного внедрения", t.quantity(spent["days"])))
        story += _info_table(time_rows)
        if spent["lines"]:
            story += [p.spacer(2)]
            story += p.money_table(spent["lines"], spent["total"], spent.get("vat"),
                                   due_label=("Всего по этапу (с учётом НДС):" if p.has_vat(spent.get("vat"))
                                              else "Всего по этапу:"),
                                   total_due=spent.get("total_due"))
            if spent.get("rounding_rule"):
                story.append(p.para(spent["rounding_rule"], s.small))
        else:
            story.append(p.para("Работы по этапу в журнале работ не зафиксированы.", s.body))

    open_items = content.get("open_items")
    if open_items is None:  # a snapshot of the first version
        open_items = [item["title"] for item in content["checklist"] if not item["done"]]
    if open_items:
        story += _numbered("Замечания: невыполненные мероприятия этапа", n)
        for index, title in enumerate(open_items, start=1):
            story.append(p.para(f"{index}. {title}", s.body_justify))
        if content.get("remarks_reason"):
            story.append(p.para(f"Основание приёмки с замечаниями: {content['remarks_reason']}", s.body_justify,
                                lines=True))  # a reason typed as a list prints as one
        accepted = (f"Этап {quoted(stage['title'])} принят с замечаниями: мероприятия, перечисленные выше, не выполнены "
                    "и выполняются на следующем этапе по согласованию сторон. Этап считается принятым с "
                    "замечаниями с даты подписания настоящего акта обеими сторонами.")
    else:
        accepted = (f"Работы по этапу {quoted(stage['title'])} выполнены Исполнителем в полном объёме. Заказчик претензий "
                    "по объёму, качеству и срокам выполнения работ не имеет. Этап считается принятым с даты "
                    "подписания настоящего акта обеими сторонами.")
    story += p.statement(accepted)
    closing = [p.spacer(3), *p.remarks(), p.spacer(2), *p.statement(TWO_COPIES), *p.signatures(content)]
    story.append(keep_together(closing))
    return story, f"Акт сдачи-приёмки этапа № {content['code']} от {t.short_date(content['issued_on'])}"


# ------------------------------------------------------------------ act of services


def act(content: dict) -> tuple[list, str]:
    s = styles()
    period = content["period"]
    sub = f"оказанных услуг за период с {t.short_date(period['from'])} по {t.short_date(period['to'])}"
    story = p.heading(content, "АКТ", [sub])
    approach = content.get("services_approach") or f"подход «{content.get('approach_title', '')}»"
    extra = [("Услуги:", f"внедрение АСУ «Менеджмент», {approach}"
              + (f", этап {content['stage']['number']}. {content['stage']['title']}"
                 if content.get("stage") else ""))]
    story += p.parties(content, extra=extra)
    story += [p.spacer(3)]
    due = content.get("total_due", content["total"])
    story += p.money_table(content["lines"], content["total"], content.get("vat"),
                           due_label=None if "total_due" in content else "Всего к оплате:", total_due=due)
    closing = p.words_line(due, content["total_words"], len(content["lines"]))
    for part in p.vat_parts(content.get("vat")):
        if part["mode"] == "none":
            basis = vat_ground(part.get("basis"))  # an act issued before kept «(освобождение).»: not «..»
            closing.append(p.para("НДС не облагается" + (f" на основании {basis}." if basis else "."), s.body))
        else:
            closing.append(p.para(f"{part['label']}: {t.amount(part['amount'])}{t.NBSP}руб.", s.body))
    if content.get("rounding_rule"):
        closing.append(p.para(content["rounding_rule"], s.small))
    earlier = content.get("earlier_acts") or []
    if earlier:
        closing.append(p.para(("Работы периода, вошедшие в акт " if len(earlier) == 1 else
                               "Работы периода, вошедшие в акты ") + ", ".join(earlier)
                              + ", в настоящий акт не включены.", s.body))
    closing += p.statement("Вышеперечисленные услуги оказаны полностью и в срок. Заказчик претензий по объёму, "
                           "качеству и срокам оказания услуг не имеет.")
    closing += p.statement(TWO_COPIES)
    closing += p.signatures(content)
    story.append(keep_together(closing))
    return story, f"Акт оказанных услуг № {content['code']} от {t.short_date(content['issued_on'])}"


# ------------------------------------------------------------------ estimate


APPROACH_NOTES = {
    "accompanied": "Сопровождение внедрения по видеоурокам в порядке «Плана внедрения АСУ Менеджмент» "
                   "с закреплённым индивидуальным менеджером — бесплатно.",
    "remote": "Учитывается не только время конференций, но и время на возникающие вопросы и контроль "
              "введённой информации. Оплата — по фактически затраченному времени.",
    "onsite": "Трансфер и проживание специалиста оплачиваются отдельно; в расчёт включены по оценке.",
}


def estimate(content: dict) -> tuple[list, str]:
    s = styles()
    story = p.heading(content, "РАСЧЁТ СТОИМОСТИ", ["внедрения АСУ «Менеджмент»"])
    story += p.parties(content, extra=[("Подход:", content.get("approach_title", ""))])
    story += [p.spacer(3)]
    due = content.get("total_due", content["total"])
    story += p.money_table(content["lines"], content["total"], content.get("vat"), total_due=due)
    story += [p.spacer(2), p.para(f"Итого стоимость внедрения: {p.esc(t.amount(due))}{t.NBSP}руб. "
                                  f"({p.esc(content['total_words'])}).", s.words, raw=True)]
    usd = content.get("usd")
    if usd and Decimal(usd["rate"]) and Decimal(usd["total"]):
        story.append(p.para(
            f"Справочно: эквивалент в долларах США — {t.amount(usd['total'])}{t.NBSP}USD по курсу "
            f"{t.amount(usd['rate'])}{t.NBSP}руб. за 1{t.NBSP}USD на {t.short_date(usd['date'])}.", s.body))
    story += p.section("Условия расчёта")
    notes = []
    for tariff in content.get("tariffs", []):
        notes.append(f"{tariff['label']}: {t.amount(tariff['rate'])}{t.NBSP}руб. {tariff['per']} "
                     f"(тариф действует с{t.NBSP}{t.short_date(tariff['from'])}).")
    notes.append(f"Расчёт выполнен по тарифам, действующим на {t.short_date(content['on'])}.")
    if content.get("vat_note"):
        notes.append(content["vat_note"])
    if content.get("approach") in APPROACH_NOTES:
        notes.append(APPROACH_NOTES[content["approach"]])
    notes.append("Внедрение проводится в соответствии с действующей на момент подписания договора версией "
                 "программы АСУ «Менеджмент»; все обновления версии и переходы на новые версии — бесплатные.")
    if content.get("note"):
        notes.append(content["note"])
    for index, line in enumerate(notes[:-1], start=1):
        story.append(p.para(f"{index}. {line}", s.body_justify))
    story.append(keep_together([p.para(f"{len(notes)}. {notes[-1]}", s.body_justify),
                                *p.signatures(content, left="Исполнитель:", right="Согласовано, Заказчик:")]))
    return story, f"Расчёт стоимости внедрения № {content['code']} от {t.short_date(content['issued_on'])}"


# ------------------------------------------------------------------ progress report


# the columns of the progress report's table of time and money, mm: money holds −99 999 999 999,99 on one line
PROGRESS_BUDGET_WIDTHS = [45, 38, 49, 38]
_CELL_PADDING = 3.5 * 2  # grid_style's left and right padding, pt


def _time_row(body: list, planned: str | None, actual: str, actual_minutes: int) -> None:
    """The progress report's row of hours: each of «По расчёту», «Фактически» and «Отклонение» as hours with the hours
    and minutes beside («12 234,54 (12 234 ч 32 мин)»), the deviation with its sign in both — only «Фактически» had
    its minutes (tester J). The planned hours give their minutes rounded half up (12 234,54 ч = 734 072,4 мин →
    12 234 ч 32 мин); each form of the deviation is the difference of the two beside it in that form (−11 419,11 and
    −11 419 ч 6 мин); a whole number of hours is said once. When one cell of the row does
    not fit its column on one line, every cell puts its minutes on a second line, so that the row reads alike."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    s = styles()

    def forms(hours: str, minutes: int, *, sign: bool = False) -> tuple[str, str]:
        shown = t.signed(hours, t.quantity) if sign else t.quantity(hours)
        return shown, (f"({t.hours_minutes(minutes, sign=sign)})" if minutes % 60 else "")

    if planned is None:
        cells = [("—", ""), forms(actual, actual_minutes), ("—", "")]
    else:
        planned_minutes = int((Decimal(planned) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        cells = [forms(planned, planned_minutes), forms(actual, actual_minutes),
                 forms(str(Decimal(actual) - Decimal(planned)), actual_minutes - planned_minutes, sign=True)]
    style: Any = s.cell_right  # a ParagraphStyle (styles() types it as object: reportlab is imported late)
    scale = p.CONTENT_WIDTH / (sum(PROGRESS_BUDGET_WIDTHS) * MM)  # as grid() fits the widths to the page
    room = [w * MM * scale - _CELL_PADDING for w in PROGRESS_BUDGET_WIDTHS[1:]]
    one_line = all(stringWidth(f"{hours} {minutes}".strip(), style.fontName, style.fontSize) <= width
                   for (hours, minutes), width in zip(cells, room, strict=True))
    joint = " " if one_line else "<br/>"
    body.append([p.para("Время, ч", s.cell),
                 *(p.para(p.esc(hours) + (joint + p.esc(minutes) if minutes else ""), style, raw=True)
                   for hours, minutes in cells)])


def progress(content: dict) -> tuple[list, str]:
    s = styles()
    stage = content["stage"]
    story = p.heading(content, "ОТЧЁТ", ["о ходе внедрения АСУ «Менеджмент»",
                                         f"по состоянию на {t.long_date(content['as_of'])}"])
    extra = [("Подход:", content.get("approach_title", ""))]
    if content.get("program_version"):
        extra.append(("Версия программы:", content["program_version"]))
    story += p.parties(content, extra=extra)
    n = [0]
    story += _numbered("Текущий этап", n)
    rows = [("Этап", f"{stage['number']}. {stage['title']}")]
    if stage.get("since"):
        rows.append(("На этапе с", f"{t.short_date(stage['since'])} ({stage['days']}{t.NBSP}дн.)"))
    if stage.get("goal"):
        rows.append(("Цель этапа", stage["goal"]))
    story += _info_table(rows)

    story += _numbered("Выполнение мероприятий по этапам", n)
    head = [p.para(h, s.head) for h in ("№", "Мероприятие", "Отметка", "Дата выполнения")]
    body, extra_style = [head], []
    for group in content["checklist"]:
        done = sum(1 for item in group["items"] if item["done"])
        body.append([p.para(f"Этап {group['stage']}. {group['title']} — выполнено {done} из "
                            f"{len(group['items'])}", s.cell_bold), "", "", ""])
        extra_style += [("SPAN", (0, len(body) - 1), (-1, len(body) - 1)),
                        ("BACKGROUND", (0, len(body) - 1), (-1, len(body) - 1), "#F6F6F6")]
        for index, item in enumerate(group["items"], start=1):
            title = item["title"] + (f" ({item['note']})" if item.get("note") else "")
            body.append([p.para(f"{group['stage']}.{index}", s.cell_center), p.para(title, s.cell),
                         p.para("выполнено" if item["done"] else "—", s.cell_center),
                         p.para(t.short_date(item.get("done_on")) or "", s.cell_center)])
    story.append(p.grid(body, [12, 103, 27, 28], extra=extra_style))

    lessons = content["lessons"]
    story += _numbered("Обучение по видеоурокам", n)
    head = [p.para(h, s.head) for h in ("Этап", "Просмотрено", "Всего уроков", "Выполнение, %")]
    body = [head]
    for part in lessons["by_stage"]:
        body.append([p.para(f"{part['stage']}. {part['title']}", s.cell), p.para(str(part["done"]), s.cell_center),
                     p.para(str(part["total"]), s.cell_center), p.para(f"{part['percent']}{t.NBSP}%", s.cell_center)])
    body.append([p.para("Итого", s.cell_bold), p.para(str(lessons["done"]), s.cell_center),
                 p.para(str(lessons["total"]), s.cell_center), p.para(f"{lessons['percent']}{t.NBSP}%", s.cell_center)])
    story.append(p.grid(body, [86, 28, 28, 28]))

    story += _numbered("Время и стоимость: расчёт и факт", n)
    budget = content["budget"]
    head = [p.para(h, s.head) for h in ("Показатель", "По расчёту", "Фактически", "Отклонение")]
    body = [head]

    def row(label: str, planned: str | None, actual: str, fmt, shown: str | None = None) -> None:
        delta = None if planned is None else Decimal(actual) - Decimal(planned)
        diff = "—" if delta is None else t.signed(delta, fmt)
        body.append([p.para(label, s.cell), p.para("—" if planned is None else fmt(planned), s.cell_right),
                     p.para(shown or fmt(actual), s.cell_right), p.para(diff, s.cell_right)])

    has = budget["has_estimate"]
    # the hours with the minutes they round: 15,92 ч × 1 500 is not the 23 875,00 of 955 minutes (a tester)
    minutes = budget.get("actual_minutes")  # snapshots made before say so: reprinted as they were printed
    if budget.get("minutes_in_every_column") and minutes is not None:
        _time_row(body, budget["planned_hours"] if has else None, budget["actual_hours"], int(minutes))
    else:
        spent = (f"{t.quantity(budget['actual_hours'])} ({t.hours_minutes(minutes)})"
                 if budget.get("minutes_shown") and minutes and Decimal(minutes) % 60 else None)
        row("Время, ч", budget["planned_hours"] if has else None, budget["actual_hours"], t.quantity, spent)
    row("Выездное внедрение, дн.", budget["planned_days"] if has else None, budget["actual_days"], t.quantity)
    row("Стоимость, руб.", budget["planned_total"] if has else None, budget["actual_total"], t.amount)
    # money columns hold −99 999 999 999,99, «Фактически» the hours with their minutes on one line
    story.append(p.grid(body, PROGRESS_BUDGET_WIDTHS))
    if not has:
        story.append(p.para("Сохранённого расчёта стоимости нет: приведены только фактические данные.", s.small))
    elif Decimal(budget["actual_total"]) > Decimal(budget["planned_total"]):
        over = Decimal(budget["actual_total"]) - Decimal(budget["planned_total"])
        story.append(p.para(f"Фактическая стоимость превышает расчёт на {p.esc(t.amount(over))}{t.NBSP}руб.",
                            s.words, raw=True))
    if budget.get("estimate_on"):
        story.append(p.para(f"Расчёт стоимости от {t.short_date(budget['estimate_on'])}; факт — по журналу "
                            f"работ на {t.short_date(content['as_of'])}.", s.small))

    story += _numbered("История этапов", n)
    if content["history"]:
        head = [p.para(h, s.head) for h in ("Дата", "Переход", "Кто", "Основание")]
        body = [head]
        for event in content["history"]:
            move = f"{event['from']} → {event['to']}. {event['to_title']}"
            reason = event.get("reason") or ""
            if event.get("forced"):
                reason = (reason + " " if reason else "") + "(с незавершёнными пунктами)"
            body.append([p.para(t.short_date(event["at"]), s.cell_center), p.para(move, s.cell),
                         p.para(event.get("who") or "", s.cell), p.para(reason, s.cell, lines=True)])
        story.append(p.grid(body, [21, 60, 30, 59]))
    else:
        story.append(p.para("Переходов между этапами ещё не было.", s.body))
    closing = [*p.statement(f"Отчёт составлен по данным чек-листов этапов, обучения, журнала работ и истории "
                            f"этапов на {t.short_date(content['as_of'])}."),
               *p.signatures(content, left="Отчёт составил (Исполнитель):", right="Ознакомлен (Заказчик):",
                             executor_person="specialist")]
    story.append(keep_together(closing))
    return story, f"Отчёт о ходе внедрения № {content['code']} от {t.short_date(content['issued_on'])}"


def _registry():
    from app.services.documents.kinds import REGISTRY

    return REGISTRY


_BUILDERS = {"signoff": signoff, "act": act, "estimate": estimate, "progress": progress}
BUILDERS = {code: _BUILDERS[code] for code in _registry()}  # one builder per DocumentKind
TITLES = {code: kind.title for code, kind in _registry().items()}
__all__ = ["BUILDERS", "MM", "TITLES"]
