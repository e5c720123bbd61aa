"""The client rows' search texts, folded once per client until a source text changes, and the texts repeated
across rows (approach, program version, manager) kept once (issue 15: memory at 50 000 clients)."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain import client_summary
from app.domain.client_summary import assemble_counted, group_contacts, search_text
from app.domain.normalize import fold


def test_a_clients_text_is_folded_once_until_a_source_changes():
    parts = ("ООО «Зелёный сад»", "7707083893", "Д-12", "Пётр Фёдоров", "+7 900 000-00-01", "")
    first = search_text(91_001, parts)
    assert first == fold(" ".join(parts)) == "ооо зеленый сад 7707083893 д-12 петр федоров +7 900 000-00-01"
    again = search_text(91_001, tuple("".join(p) for p in parts))  # equal texts, other string objects
    assert again is first  # from the memory, not folded again
    changed = search_text(91_001, (*parts[:5], "petr@example.ru"))  # only a contact's e-mail changed
    assert changed.endswith("petr@example.ru") and changed != first
    assert search_text(91_002, parts) == first  # another client with the same texts: its own entry


def test_the_memory_starts_afresh_when_full(monkeypatch):
    monkeypatch.setattr(client_summary, "_FOLDED_MAX", 8)
    monkeypatch.setattr(client_summary, "_folded", {})
    texts = {cid: search_text(cid, (f"Клиент {cid}", str(cid), "")) for cid in range(30)}
    assert len(client_summary._folded) <= 8
    assert all(text == fold(f"Клиент {cid} {cid} ") for cid, text in texts.items())


@pytest.mark.parametrize("with_contacts", [False, True])
def test_rows_share_repeated_texts_and_keep_their_search_text(with_contacts):
    since = datetime(2026, 1, 1)
    rows = [(cid, f"uuid-{cid}", f"ООО «Клиент {cid}»", f"77070838{cid:02d}", "".join(["re", "mote"]), 1, since,
             f"Д-{cid}", None, "".join(["5.", "1"]), "".join(["Иванова ", "А."]), 0, 0) for cid in range(1, 6)]
    contacts = group_contacts([(cid, f"Контакт {cid}", f"+7 900 000-00-0{cid}", f"c{cid}@example.ru")
                               for cid in range(1, 6)] if with_contacts else [])
    summaries = assemble_counted(rows, [("s1.a", 1)], 26, contacts)
    assert [s.approach for s in summaries] == ["remote"] * 5
    for field in ("approach", "program_version", "manager"):
        assert len({id(getattr(s, field)) for s in summaries}) == 1, field  # one string object for all rows
    for s, row in zip(summaries, rows, strict=True):
        people = contacts.get(row[0], [])
        assert s.search_text == fold(" ".join((row[2], row[3], row[7], *people)))
