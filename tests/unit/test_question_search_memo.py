"""The search box's question search sends no statement that cannot find anything (issue 15, search keystroke)."""

from __future__ import annotations

from app.services.questions import QuestionSearchMemo, question_query


class FakeSearch:
    """clients_with_questions_matching over texts in memory, counting the statements it would send."""

    def __init__(self, questions: dict[int, str]) -> None:
        self.questions = questions
        self.calls: list[str] = []

    def __call__(self, db, text: str) -> set[int]:
        self.calls.append(text)
        query = question_query(text)
        return {cid for cid, body in self.questions.items() if query in question_query(body)}


def test_typing_on_after_no_question_matched_sends_no_statement():
    search = FakeSearch({7: "Как открыть склад?"})
    memo = QuestionSearchMemo(search)
    results = [memo(None, "завод жби"[:end]) for end in range(1, 10)]
    assert results == [set()] * 9
    assert search.calls == ["з"]  # «за», «зав» … contain «з», which matched nothing
    assert memo(None, "Как") == {7} and search.calls[-1] == "Как"


def test_a_query_that_still_matches_is_asked_every_time_and_the_answer_is_the_database_s():
    search = FakeSearch({7: "Как провести инвентаризацию склада?", 9: "Склад не открывается"})
    memo = QuestionSearchMemo(search)
    assert memo(None, "скл") == {7, 9}
    assert memo(None, "склад не") == {9}
    assert memo(None, "Склад  НЕ о") == {9}  # normalised as the statement normalises it
    assert memo(None, "склад нет") == set()
    assert memo(None, "склад нету") == set()
    assert search.calls == ["скл", "склад не", "Склад  НЕ о", "склад нет"]


def test_forget_asks_again_after_a_refresh_and_a_shorter_query_is_not_skipped():
    search = FakeSearch({})
    memo = QuestionSearchMemo(search)
    assert memo(None, "вопрос") == set()
    assert memo(None, "вопр") == set()  # shorter: not covered by «вопрос», asked
    search.questions[3] = "Новый вопрос о складе"
    assert memo(None, "вопрос о") == set()  # still remembered: the window forgets on refresh only
    memo.forget()
    assert memo(None, "вопрос о") == {3}
    assert search.calls == ["вопрос", "вопр", "вопрос о"]
    assert memo(None, "   ") == set() and len(search.calls) == 3  # nothing to search: no statement


def test_only_the_last_misses_are_kept():
    search = FakeSearch({})
    memo = QuestionSearchMemo(search)
    for n in range(QuestionSearchMemo.KEEP + 4):
        memo(None, f"слово{n:02d}")
    calls = len(search.calls)
    memo(None, "слово00 и дальше")  # the oldest miss was let go: asked again
    memo(None, f"слово{QuestionSearchMemo.KEEP + 3:02d} и дальше")  # the newest is kept: not asked
    assert len(search.calls) == calls + 1
