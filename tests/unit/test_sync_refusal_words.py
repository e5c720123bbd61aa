"""A sync the server stopped promises «the next sync» only for a refusal that passes by itself (a read-only
server); any other says it stops again until resolved (issue 17, eng17 #1: the promise was false for ever)."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy.exc import ProgrammingError

from app.sync.refusals import server_refused, stopped_at


def _refusal(state: str, message: str = "refused") -> ProgrammingError:
    orig = SimpleNamespace(sqlstate=state, diag=SimpleNamespace(message_primary=message))
    return ProgrammingError("INSERT …", {}, orig)  # type: ignore[arg-type]


def test_a_refusal_that_will_not_pass_by_itself_promises_no_next_sync():
    error = server_refused(_refusal("42501"))
    assert error.kind == "server_refused"
    assert error.full_text() == (
        "Синхронизация остановлена: сервер команды отказал: ваша роль в команде этого не разрешает (обратитесь к "
        "администратору команды). Она будет останавливаться на этом при каждой синхронизации, пока причину не "
        "устранят (обратитесь к администратору команды); ваши изменения сохранены на ноутбуке.")


def test_a_read_only_server_still_says_the_changes_go_at_the_next_sync():
    for error in (server_refused(_refusal("25006")), stopped_at(_refusal("25006"), "ООО «Ромашка»", "Контакт")):
        assert "будут отправлены при следующей синхронизации" in error.full_text()
    # nothing may have been sent before the refusal: no «the rest of your changes» (trial 17f, finding 5)
    assert server_refused(_refusal("25006")).full_text().endswith(
        "Ваши ещё не отправленные изменения сохранены на ноутбуке и будут отправлены при следующей синхронизации.")


def test_a_refused_record_is_named_with_its_client():
    error = stopped_at(_refusal("22001"), "ООО «Ромашка»", "Контакт (Петров Пётр)")
    assert error.full_text() == (
        "Синхронизация остановлена на записи «Контакт (Петров Пётр)» заказчика «ООО „Ромашка“»: текст длиннее, "
        "чем хранит сервер команды; сократите его. Синхронизация будет останавливаться на этой записи каждый раз, "
        "пока её не исправят: исправьте или удалите её на этом ноутбуке либо обратитесь к администратору команды. "
        "Остальные ваши изменения сохранены на ноутбуке.")
    assert stopped_at(_refusal("22001"), "", "Пункт чек-листа").full_text().startswith(
        "Синхронизация остановлена на записи «Пункт чек-листа»: ")


def test_a_refused_issued_document_gives_no_advice_the_user_cannot_follow():
    """The trial 17j: «исправьте или удалите её» for an act, which can be neither changed nor deleted."""
    text = stopped_at(_refusal("22001"), "ООО «Ромашка»", "Акт АУ-1/2026", issued=True).full_text()
    assert "исправьте или удалите" not in text
    assert text.endswith("выставленный документ нельзя ни изменить, ни удалить, поэтому перешлите это сообщение "
                         "администратору команды. Остальные ваши изменения сохранены на ноутбуке.")
