"""Questions log: who asked must be the client's own staff, closing with time bills «вопросы», counts, search."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.pricing import LINE_LABELS
from app.errors import UserError
from app.persistence.models import Question
from app.services import questions as q
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.questions import QuestionInput
from app.services.worklog_read import bill_period, list_entries

DAY = date(2026, 3, 10)


@pytest.fixture
def two(db):
    a = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                   employees=[PersonInput("Иванов И. И.")]))
    b = add_client(db, ClientInput(name="АО «Заря»", inn="7736207543", approach="remote",
                                   employees=[PersonInput("Сидоров С. С.")]))
    return a, b


def _count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Question))


def test_add_close_with_time_creates_the_questions_entry_that_the_act_bills(db, two):
    a, _b = two
    qid, changes = q.add_question(db, a, QuestionInput(date(2026, 3, 5), "телефон", "Как провести инвентаризацию?",
                                                       employee="Иванов И. И."), on=DAY)
    assert changes.questions and changes.client_ids == {a}
    assert q.open_question_counts(db) == {a: 1}
    entry_id, changes = q.close_question(db, qid, answer="Через документ «Инвентаризация».", minutes="1:30", on=DAY)
    assert changes.worklog and entry_id is not None
    log = list_entries(db, a)
    assert [(r.id, r.kind, r.minutes, r.on_date) for r in log.rows] == [(entry_id, "questions", 90, DAY)]
    quote = bill_period(db, a, date(2026, 3, 1), date(2026, 3, 31))
    line = next(line for line in quote.lines if line.label == LINE_LABELS["questions"])
    assert line.amount == 2250  # 1,5 h × 1 500 ₽
    row = q.list_questions(db, a)[0]
    assert (row.status, row.minutes, row.employee_name, row.channel) == ("solved", 90, "Иванов И. И.", "phone")
    assert q.open_question_counts(db) == {}
    with pytest.raises(UserError, match="уже решён"):
        q.close_question(db, qid, minutes=10, on=DAY)
    # undo of closing: open again, the entry leaves the work log (and the act)
    q.reopen_question(db, qid)
    assert list_entries(db, a).rows == () and q.open_question_counts(db) == {a: 1}


def test_closing_without_time_logs_nothing(db, two):
    a, _b = two
    qid, _c = q.add_question(db, a, QuestionInput(DAY, "skype", "Где отчёт?"), on=DAY)
    entry_id, changes = q.close_question(db, qid, on=DAY)
    assert entry_id is None and not changes.worklog and list_entries(db, a).rows == ()


@pytest.mark.parametrize(("data", "needle"), [
    (QuestionInput(date(1900, 1, 1), "phone", "?"), "2000"),
    (QuestionInput(date(2026, 4, 1), "phone", "?"), "не наступила"),
    (QuestionInput(DAY, "pigeon", "?"), "pigeon"),
    (QuestionInput(DAY, "phone", "   "), "Вопрос"),
    (QuestionInput(DAY, "phone", "Где отчёт?", employee="Сидоров С. С."), "АО „Заря“"),  # nested in «…»
    (QuestionInput(DAY, "phone", "bad\x00text"), "управляющие"),
])
def test_bad_questions_are_refused_and_change_nothing(db, two, data, needle):
    a, _b = two
    with pytest.raises(UserError) as error:
        q.add_question(db, a, data, on=DAY)
    assert needle in error.value.message
    assert _count(db) == 0


def test_closing_before_the_question_or_with_bad_time_changes_nothing(db, two):
    a, _b = two
    qid, _c = q.add_question(db, a, QuestionInput(DAY, "email", "Вопрос"), on=DAY)
    with pytest.raises(UserError):
        q.close_question(db, qid, minutes=30, on=date(2026, 3, 1))
    with pytest.raises(UserError):
        q.close_question(db, qid, minutes="-5", on=DAY)
    with pytest.raises(UserError):
        q.close_question(db, qid, minutes=5000, on=DAY)
    assert q.list_questions(db, a)[0].status == "open" and list_entries(db, a).rows == ()


@pytest.mark.parametrize(("text", "channel"), [("телефон", "phone"), ("E-mail", "email"), ("Skype", "skype"),
                                               ("сообщение в программе", "in_app"), ("на месте", "onsite"),
                                               ("in_app", "in_app")])
def test_channels_by_russian_title_or_code(text, channel):
    assert q.parse_channel(text) == channel


def test_search_finds_question_and_answer_text_normalised(db, two):
    a, b = two
    q.add_question(db, a, QuestionInput(DAY, "phone", "Как ввести ЁМКОСТЬ склада?"), on=DAY)
    qid, _c = q.add_question(db, b, QuestionInput(DAY, "phone", "Другое"), on=DAY)
    q.close_question(db, qid, answer="Через  справочник 100% готово", on=DAY)
    assert q.clients_with_questions_matching(db, "емкость") == {a}
    assert q.clients_with_questions_matching(db, "через справочник") == {b}
    assert q.clients_with_questions_matching(db, "100%") == {b}
    assert q.clients_with_questions_matching(db, "%") == {b}  # literally, not a wildcard
    assert q.clients_with_questions_matching(db, "_") == set()
    assert q.clients_with_questions_matching(db, "  ") == set()
    assert [r.client_id for r in q.list_questions(db, text="ёмкость")] == [a]
    assert q.open_question_counts(db, [a, b]) == {a: 1}
