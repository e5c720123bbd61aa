"""The program's Russian calls the enterprises «заказчики» everywhere: the loading page read «Чтение списка
клиентов…» right beside «Загрузка заказчиков…»."""

from __future__ import annotations

from importlib import resources

from babel.messages.pofile import read_po

from app import i18n


def _russian() -> list[tuple[str, str]]:
    """(file, translation) of every Russian catalog entry (each plural form apart)."""
    found: list[tuple[str, str]] = []
    for po in sorted(resources.files("i18n").joinpath("ru", "LC_MESSAGES").iterdir(), key=lambda f: f.name):
        if po.name.endswith(".po"):
            with po.open("rb") as fh:
                for message in read_po(fh, locale="ru"):
                    if message.id:
                        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
                        found += [(po.name, str(text)) for text in strings]
    return found


def test_no_translation_says_klient():
    said = [f"{name}: {text}" for name, text in _russian() if "клиент" in text.lower()]
    assert said == []


def test_the_loading_steps_say_the_same_word():
    assert i18n._("Loading clients…") == "Загрузка заказчиков…"
    assert i18n._("Reading the clients…") == "Чтение списка заказчиков…"
