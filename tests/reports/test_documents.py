"""The four PDF documents: Russian content, amounts, words, signatures, fonts, A4, pages, register rules."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from app.errors import UserError
from app.persistence.models import Document, Tariff
from app.reports import printing
from app.reports import text as t
from app.services import documents as docs
from app.services.changes import Changes
from tests.reports.helpers import (
    ACT_DAY,
    CLIENT_INN,
    CLIENT_NAME,
    EXECUTOR,
    ISSUED,
    MARCH,
    build_world,
    check_layout,
    clear_executor,
    first_page_png,
    fonts,
    page_count,
    pdf_text,
)

SIGNATURE_LABELS = ("Исполнитель:", "Заказчик:", "(подпись)", "(Фамилия И.О.)", "М.П. (при наличии)",
                    "«___» ____________ 20___ г.")


def issue(db, kind, client_id, new=False, on=None, **kw):
    on = on or (ACT_DAY if kind == "act" else ISSUED)
    return printing.issue(db, docs.prepare(db, kind, client_id, on=on, **kw), new=new)


REMARKS = {"force": True, "reason": "Склады вносятся на следующем этапе по письму заказчика"}


def register_count(db) -> int:
    with db.read() as s:
        return s.query(Document).count()


# ------------------------------------------------------------------ wording helpers


@pytest.mark.parametrize("value,words", [
    ("26250.00", "Двадцать шесть тысяч двести пятьдесят рублей 00 копеек"),
    ("26250", "Двадцать шесть тысяч двести пятьдесят рублей 00 копеек"),
    ("1.01", "Один рубль 01 копейка"),
    ("22.22", "Двадцать два рубля 22 копейки"),
    ("105.05", "Сто пять рублей 05 копеек"),
    ("0.50", "Ноль рублей 50 копеек"),
    ("1000000.00", "Один миллион рублей 00 копеек"),
    ("2001.10", "Две тысячи один рубль 10 копеек"),
])
def test_amount_in_words_with_kopecks_as_digits(value, words):
    assert t.amount_in_words(Decimal(value)) == words


def test_wording_helpers():
    assert t.quoted_date(date(2026, 3, 15)) == "«15» марта 2026 г."
    assert t.quoted_date("2026-01-05") == "«05» января 2026 г."
    assert t.amount(Decimal("26250")) == "26\u00a0250,00"
    assert t.amount(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50"
    assert t.amount(Decimal("-250")) == "\u2212250,00" and t.quantity(Decimal("-1.5")) == "\u22121,5"
    assert t.signed(Decimal("2250"), t.amount) == "+2\u00a0250,00"
    assert t.quantity(Decimal("17.50")) == "17,5"
    assert t.quantity(Decimal("3.00")) == "3"
    assert t.initials("Николаев Артём Сергеевич") == "Николаев А.С."
    assert t.initials("Громов В.А.") == "Громов В.А."
    assert t.hours_minutes(1050) == "17\u00a0ч\u00a030\u00a0мин"  # never wraps inside


# ------------------------------------------------------------------ the four documents


def test_act_of_services(db, tmp_path):
    world = build_world(db)
    result = issue(db, "act", world.client_id, date_from=MARCH[0], date_to=MARCH[1])
    text = pdf_text(result.pdf)
    assert result.code == "АУ-1/2026"
    for needle in ("АКТ № АУ-1/2026", "оказанных услуг за период с 01.03.2026 по 31.03.2026", "г. Москва",
                   "«31» марта 2026 г.", CLIENT_NAME, f"ИНН {CLIENT_INN}", "КПП 500101001",
                   EXECUTOR.company, "ИНН 7707083893", "Договор № ВН-1 от 01.07.2024",
                   "Наименование работ, услуг", "Ед.", "Кол-во", "Цена, руб.", "Сумма, руб.",
                   "Удалённые конференции с пользователями", "мин 720 25,00 18 000,00", "4 500,00", "3 750,00",
                   "26 250,00", "Без налога (НДС) —", "Всего: 26 250,00", "НДС не облагается.",
                   "Учёт времени: количество указано в минутах", "Всего оказано услуг 3, на сумму 26 250,00 руб.",
                   "Двадцать шесть тысяч двести пятьдесят рублей 00 копеек", "претензий по объёму",
                   "Громов В.А.", "Генеральный директор", "Соколова М.В.", "Главный инженер",
                   "Страница 1 из 1", *SIGNATURE_LABELS):
        assert needle in text, needle
    # February work (stage 1) and the deleted entry are outside the act
    assert "1 ч 30" not in text and "15 000,00" not in text
    image = first_page_png(result.pdf, tmp_path)
    dark = sum(image.histogram()[:128])
    assert image.size[0] < image.size[1]  # portrait
    assert dark > image.size[0] * image.size[1] * 0.01  # text and table lines, not a blank page
    check_layout(result.pdf, tmp_path)


def test_act_with_vat_line(db):
    world = build_world(db)
    docs.update_executor(db, vat_rate=Decimal("20"))
    text = pdf_text(issue(db, "act", world.client_id, date_from=MARCH[0], date_to=MARCH[1]).pdf)
    assert "В том числе НДС 20 %: 4 375,00" in text and "Всего (с учётом НДС): 26 250,00" in text
    assert "Без налога" not in text and "не облагается" not in text


def test_stage_signoff_sheet(db, tmp_path):
    world = build_world(db)
    with pytest.raises(UserError, match="незакрытые пункты"):  # 1 of 5 done: refused without a reason
        issue(db, "signoff", world.client_id, stage=2)
    with pytest.raises(UserError, match="нужна причина"):
        issue(db, "signoff", world.client_id, stage=2, force=True, reason=" ")
    result = issue(db, "signoff", world.client_id, stage=2, **REMARKS)
    text = pdf_text(result.pdf)
    assert result.code == "АП-1/2026"
    assert "принят с замечаниями" in text and "Замечания: невыполненные мероприятия этапа" in text
    assert REMARKS["reason"] in text and "выполнены Исполнителем в полном объёме" not in text
    assert "Внесены данные складов" in text
    for needle in ("АКТ № АП-1/2026", "сдачи-приёмки этапа работ", "«15» марта 2026 г.", "г. Москва",
                   CLIENT_NAME, f"ИНН {CLIENT_INN}", "Договор № ВН-1 от 01.07.2024",
                   "2. Ввод текущих данных и опытная эксплуатация", "Цель этапа", "Добавление данных складов",
                   "с 20.02.2026 по 15.03.2026",
                   "Предварительная инвентаризация (обязательна)", "05.03.2026", "не выполнено",
                   "Выполнено мероприятий: 1 из 5", "просмотрено 0 из 8", "просмотрено 2 из 26",
                   "17 ч 30 мин (17,5 ч)", "26 250,00", "Всего по этапу:", "Замечания заказчика:",
                   "Учёт времени: количество указано в минутах фактически затраченного времени без округления",
                   "Этап считается принятым", "Громов В.А.", "Соколова М.В.", *SIGNATURE_LABELS):
        assert needle in text, needle
    pages = page_count(result.pdf)
    assert f"Страница 1 из {pages}" in text and f"Страница {pages} из {pages}" in text
    check_layout(result.pdf, tmp_path)


def test_signoff_of_earlier_stage_counts_only_its_work(db):
    world = build_world(db)
    text = pdf_text(issue(db, "signoff", world.client_id, stage=1).pdf)
    assert "1. Ознакомительный" in text
    assert "1 ч 30 мин" in text and "2 250,00" in text  # 90 min of stage 1; the deleted 600 min are not billed
    assert "Видеоуроки просмотрены по плану" in text and "01.03.2026" in text
    assert "Выполнено мероприятий: 4 из 4" in text
    assert "не выполнены, выполняются" not in text


def test_free_approach_signoff_has_no_money(db):
    world = build_world(db)
    from app.services.progress import move_stage

    move_stage(db, world.free_client_id, 1)
    text = pdf_text(issue(db, "signoff", world.free_client_id, stage=1, on=date.today(), **REMARKS).pdf)
    assert "Ознакомительный" in text and "Сопровождение внедрения" in text
    assert "Затраты времени" not in text and "руб." not in text


def test_estimate(db, tmp_path):
    world = build_world(db)
    result = issue(db, "estimate", world.client_id)
    text = pdf_text(result.pdf)
    for needle in ("РАСЧЁТ СТОИМОСТИ № РС-1/2026", "внедрения АСУ «Менеджмент»", CLIENT_NAME,
                   "Удалённые конференции с пользователями", "Время на возникающие вопросы",
                   "Контроль введённой информации", "26 250,00", "Без налога (НДС)", "НДС не облагается.",
                   "300,00 USD по курсу 87,50 руб. за 1 USD на 01.07.2024",
                   "1 500,00 руб. за час (тариф действует с 01.07.2024)",
                   "Двадцать шесть тысяч двести пятьдесят рублей 00 копеек", "Согласовано, Заказчик:",
                   "Страница 1 из 1"):
        assert needle in text, needle
    check_layout(result.pdf, tmp_path)


def test_progress_report(db, tmp_path):
    world = build_world(db)
    result = issue(db, "progress", world.client_id)
    text = pdf_text(result.pdf)
    for needle in ("ОТЧЁТ № ОВ-1/2026", "о ходе внедрения АСУ «Менеджмент»", "по состоянию на 15 марта 2026 г.",
                   "Ввод текущих данных и опытная эксплуатация", "20.02.2026 (23 дн.)",
                   "Этап 1. Ознакомительный — выполнено 4 из 4",
                   "Этап 2. Ввод текущих данных и опытная эксплуатация — выполнено 1 из 5",
                   "Обучение по видеоурокам", "Итого", "По расчёту", "Фактически", "Отклонение",
                   "Стоимость, руб.", "28 500,00", "+2 250,00", "Фактическая стоимость превышает расчёт на 2 250,00",
                   "История этапов", "Справочники заполнены", "Отчёт составил (Исполнитель):",
                   "Николаев А.С.", "Ознакомлен (Заказчик):"):
        assert needle in text, needle
    pages = page_count(result.pdf)
    assert f"Страница {pages} из {pages}" in text
    check_layout(result.pdf, tmp_path)


@pytest.mark.parametrize("kind,options", [("signoff", {}), ("act", {"date_from": MARCH[0], "date_to": MARCH[1]}),
                                          ("estimate", {}), ("progress", {})])
def test_a4_and_only_embedded_subset_fonts(db, kind, options):
    from pypdf import PdfReader

    world = build_world(db)
    pdf = issue(db, kind, world.client_id, **options).pdf
    used = fonts(pdf)
    assert used and all(name.startswith("/AAAAAA+DejaVuSerif") for name in used), used
    for font in used.values():
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font \
            else font["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object()
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


# ------------------------------------------------------------------ register


def test_numbering_per_kind_per_year_and_register(db):
    from app.services.worklog import EntryInput, add_entry

    world = build_world(db)
    add_entry(db, world.client_id, EntryInput(date(2025, 12, 20), "conference", minutes=60))
    codes = [issue(db, "act", world.client_id, date_from=date(2026, 2, 1), date_to=date(2026, 2, 28),
                   on=date(2026, 3, 1)).code,
             issue(db, "act", world.client_id, date_from=MARCH[0], date_to=MARCH[1]).code,
             issue(db, "signoff", world.client_id).code,
             issue(db, "act", world.client_id, date_from=date(2025, 12, 1), date_to=date(2025, 12, 31),
                   on=date(2025, 12, 31)).code]
    assert codes == ["АУ-1/2026", "АУ-2/2026", "АП-1/2026", "АУ-1/2025"]
    rows = docs.list_documents(db)
    assert [r.code for r in rows] == ["АУ-2/2026", "АП-1/2026", "АУ-1/2026", "АУ-1/2025"]
    act = docs.find_document(db, "АУ-2/2026")
    assert (act.kind, act.total, act.period_from, act.period_to, act.client_name) == (
        "act", Decimal("26250.00"), *MARCH, CLIENT_NAME)
    assert docs.list_documents(db, kind="signoff")[0].stage == 1  # the last completed stage by default
    assert docs.list_documents(db, year=2025)[0].code == "АУ-1/2025"


def test_reprint_is_identical_after_data_and_tariffs_change(db):
    world = build_world(db)
    first = issue(db, "act", world.client_id, date_from=MARCH[0], date_to=MARCH[1])
    with db.unit() as s:
        s.add(Tariff(kind="remote_hour", rate=Decimal("1800.00"), valid_from=date(2026, 1, 1)))
    docs.update_executor(db, company="ООО «Новое имя»")
    row, again = printing.reprint(db, first.code)
    assert again == first.pdf
    assert (row.code, row.id) == (first.code, first.id)
    assert "26 250,00" in pdf_text(again) and "ООО «Новое имя»" not in pdf_text(again)
    for new in (False, True):  # the same period again, with or without --new: nothing left to bill
        with pytest.raises(docs.NothingToBill, match="АУ-1/2026"):
            issue(db, "act", world.client_id, new=new, date_from=MARCH[0], date_to=MARCH[1])
    docs.void_document(db, first.code, "Ошибка в тарифе")
    fresh = pdf_text(issue(db, "act", world.client_id, date_from=MARCH[0], date_to=MARCH[1]).pdf)
    assert "31 500,00" in fresh and "ООО «Новое имя»" in fresh and "АУ-2/2026" in fresh
    assert docs.stored_content(db, first.code)["total"] == "26250.00"


def test_draft_shows_the_number_it_will_get(db):
    world = build_world(db)
    draft = docs.prepare_signoff(db, world.client_id, 2, on=ISSUED, **REMARKS)
    assert draft.code == "АП-1/2026" and register_count(db) == 0
    assert "АКТ № АП-1/2026" in pdf_text(printing.render_draft(draft))
    issue(db, "signoff", world.client_id, stage=1)  # someone else took number 1 meanwhile
    issued = printing.issue(db, draft)
    assert issued.code == "АП-2/2026" and "АКТ № АП-2/2026" in pdf_text(issued.pdf)
    assert issued.changes.documents and world.client_id in issued.changes.client_ids


def test_failed_side_effect_registers_nothing(db):
    world = build_world(db)
    draft = docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)

    def broken(_pdf):
        raise UserError("disk full")

    with pytest.raises(UserError):
        printing.issue(db, draft, before_commit=broken)
    assert register_count(db) == 0


def test_signed_copy_returned(db):
    world = build_world(db)
    code = issue(db, "act", world.client_id, date_from=MARCH[0], date_to=MARCH[1]).code
    with pytest.raises(UserError, match="раньше"):
        docs.set_signed_returned(db, code, ACT_DAY - timedelta(days=1))
    with pytest.raises(UserError, match="будущ"):
        docs.set_signed_returned(db, code, date.today() + timedelta(days=1))
    changes = docs.set_signed_returned(db, code, date(2026, 4, 2))
    assert changes.documents
    assert docs.find_document(db, code).signed_returned_on == date(2026, 4, 2)
    docs.set_signed_returned(db, code, None)
    assert docs.find_document(db, code).signed_returned_on is None
    with pytest.raises(UserError, match="не найден"):
        docs.set_signed_returned(db, "АУ-99/2026", date(2026, 3, 20))


# ------------------------------------------------------------------ refusals


def test_missing_executor_details_refuse_every_document_naming_each_field(db):
    world = build_world(db)
    clear_executor(db)
    for kind, options in (("signoff", {}), ("act", {"date_from": MARCH[0], "date_to": MARCH[1]}),
                          ("estimate", {}), ("progress", {})):
        with pytest.raises(UserError) as info:
            docs.prepare(db, kind, world.client_id, on=ACT_DAY if kind == "act" else ISSUED, **options)
        message = info.value.message
        for field in ("наименование организации", "ИНН исполнителя", "адрес исполнителя", "город",
                      "ФИО специалиста", "должность специалиста"):
            assert field in message, (kind, field, message)
    docs.update_executor(db, company="ООО «Исполнитель»", inn="7707083893", address="Москва", city="Москва",
                         specialist_name="Иванов Иван Иванович", kpp="770701001")
    with pytest.raises(UserError) as info:
        docs.prepare_signoff(db, world.client_id)
    assert "должность специалиста" in info.value.message and "ИНН" not in info.value.message
    assert register_count(db) == 0


def test_stage_rules(db):
    world = build_world(db)
    with pytest.raises(UserError, match="на этапе 2: этап 3 сдать пока нельзя"):
        docs.prepare_signoff(db, world.client_id, stage=3)
    with pytest.raises(UserError, match="1, 2 и 3"):
        docs.prepare_signoff(db, world.client_id, stage=4)
    with pytest.raises(UserError, match="не завершил ни одного этапа"):
        docs.prepare_signoff(db, world.free_client_id)
    with pytest.raises(UserError, match="не найден"):
        docs.prepare_signoff(db, 999)
    with pytest.raises(UserError, match="бесплатн"):
        docs.prepare_act(db, world.free_client_id, *MARCH)
    with pytest.raises(UserError, match="нет записей в журнале работ"):
        docs.prepare_act(db, world.client_id, date(2025, 1, 1), date(2025, 1, 31))
    with pytest.raises(UserError, match="Параметр --stage"):
        docs.prepare(db, "progress", world.client_id, stage=1)
    assert register_count(db) == 0


def test_executor_details_validation(db):
    build_world(db)
    with pytest.raises(UserError):
        docs.update_executor(db, inn="7707083894")
    with pytest.raises(UserError):
        docs.update_executor(db, kpp="12")
    with pytest.raises(UserError):
        docs.update_executor(db, vat_rate="150")
    assert docs.get_executor(db).inn == EXECUTOR.inn
    assert docs.parse_vat_rate("Без НДС") is None and docs.parse_vat_rate("20%") == Decimal("20.00")
    docs.update_executor(db, vat_rate=Decimal("22"), signer_name="")
    details = docs.get_executor(db)
    assert details.vat_rate == Decimal("22.00") and details.signer_name == ""
    assert docs.missing_executor_fields(details) == []


def test_specialist_signs_when_no_signer(db):
    world = build_world(db)
    docs.update_executor(db, signer_name="", signer_position="")
    text = pdf_text(issue(db, "act", world.client_id, date_from=MARCH[0], date_to=MARCH[1]).pdf)
    assert "Николаев А.С." in text and "Специалист по внедрению" in text and "Громов" not in text


def test_month_batch_helpers(db):
    world = build_world(db)
    assert docs.month_period("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    with pytest.raises(UserError, match="ГГГГ-ММ"):
        docs.month_period("2026-13")
    with pytest.raises(UserError, match=r"вне лет.*1990–2100"):  # the format is right, the year is not
        docs.month_period("1900-01")
    assert docs.billable_clients(db, *MARCH) == [(world.client_id, CLIENT_NAME)]
    assert docs.suggested_file_name("АУ-7/2026", "ООО «Ромашка»/Юг") == "АУ-7-2026 ООО Ромашка Юг.pdf"


def test_no_reportlab_when_services_and_window_modules_are_imported():
    code = ("import sys, app.services.documents, app.cli.cmd_reports, app.reports, ui.dialogs.documents.preview;"
            "print(sorted(m for m in ('reportlab', 'num2words') if m in sys.modules))")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)}).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------ the same document is issued once


@pytest.mark.parametrize("kind,options", [("signoff", {}), ("estimate", {}), ("progress", {})])
def test_issuing_the_same_document_again_reprints_it(db, kind, options):
    world = build_world(db)
    first = issue(db, kind, world.client_id, **options)
    written = []
    again = printing.issue(db, docs.prepare(db, kind, world.client_id, on=ISSUED, **options),
                       before_commit=written.append)  # an act is never "the same": see test_ledger
    third = issue(db, kind, world.client_id, **options)
    assert register_count(db) == 1
    assert not first.reprinted and again.reprinted and third.reprinted
    assert again.code == third.code == first.code and again.id == first.id
    assert again.pdf == third.pdf == first.pdf and written == [first.pdf]  # the file gets the stored copy
    assert again.changes == Changes()  # nothing changed in the register
    assert docs.already_issued_message(again.code) == f"Документ уже оформлен: {first.code} — печатается повторно"
    fresh = issue(db, kind, world.client_id, new=True, **options)
    assert not fresh.reprinted and fresh.code == first.code.replace("-1/", "-2/") and register_count(db) == 2
    assert issue(db, kind, world.client_id, **options).code == fresh.code  # the latest one is reprinted


def test_reprint_keeps_the_stored_content_after_data_change(db):
    world = build_world(db)
    first = issue(db, "signoff", world.client_id)
    docs.update_executor(db, company="ООО «Новое имя»")
    with db.unit() as s:
        s.add(Tariff(kind="remote_hour", rate=Decimal("2000.00"), valid_from=date(2026, 1, 1)))
    again = issue(db, "signoff", world.client_id, on=date(2026, 3, 20))  # signed off again days later
    assert again.reprinted and again.pdf == first.pdf
    assert "ООО «Новое имя»" not in pdf_text(again.pdf)


def test_identity_of_each_kind(db):
    world = build_world(db)
    codes = [
        issue(db, "signoff", world.client_id, stage=2, **REMARKS).code,
        issue(db, "signoff", world.client_id, stage=1).code,  # another stage: another sheet
        issue(db, "progress", world.client_id).code,
        issue(db, "progress", world.client_id, on=date(2026, 3, 16)).code,  # another day: another report
        issue(db, "estimate", world.client_id).code,
        issue(db, "estimate", world.client_id, on=date(2026, 3, 16)).code,
    ]
    assert codes == ["АП-1/2026", "АП-2/2026", "ОВ-1/2026", "ОВ-2/2026", "РС-1/2026", "РС-2/2026"]
    assert register_count(db) == 6
    with db.unit() as s:  # the estimate's total changed: a new estimate document the same day
        s.query(Document).filter(Document.kind == "estimate").update({"total": Decimal("1.00")})
    assert issue(db, "estimate", world.client_id, on=date(2026, 3, 16)).code == "РС-3/2026"
    with pytest.raises(UserError, match=r"РС-3/2026, датирован 16\.03\.2026"):  # never dated before the previous one
        issue(db, "estimate", world.client_id, new=True)
    assert docs.find_issued(db, docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)) is None  # acts: never


def test_layout_check_rejects_a_page_with_one_dark_pixel(tmp_path):
    """The old check (one pixel darker than 60 anywhere) passed this page; the layout check does not."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(595.28, 841.89))
    page.rect(300, 400, 2, 2, stroke=0, fill=1)
    page.save()
    assert first_page_png(buffer.getvalue(), tmp_path).getextrema()[0] < 60
    with pytest.raises(AssertionError, match="title"):
        check_layout(buffer.getvalue(), tmp_path)
