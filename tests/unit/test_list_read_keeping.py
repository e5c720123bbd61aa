"""ListRead.keeping: the rows a window wrote itself while a read was under way stay as written, their stamps are
forgotten so that the next read reads them again; deletions are kept."""

from __future__ import annotations

from datetime import datetime

from app.domain.client_summary import ClientSummary
from app.persistence.stamps import ListBasis
from app.services.list_read import ListRead


def _row(client_id: int, stage: int) -> ClientSummary:
    return ClientSummary(id=client_id, uuid=f"u{client_id}", name=f"ООО «Клиент {client_id}»", inn="7707083893",
                         approach="remote", stage=stage, stage_since=datetime(2026, 11, 1), contract_no="",
                         contract_date=None, program_version="7.5", manager="", contact_name="", contact_phone="",
                         search_text="", checklist_done=0, checklist_total=4, lessons_done=0, lessons_total=26)


def test_a_delta_read_leaves_the_written_rows_out_and_forgets_their_stamps():
    basis = ListBasis({1: 11, 2: 22, 3: 33}, ("shared",))
    read = ListRead([_row(1, 1), _row(2, 1)], [3], basis)
    kept = read.keeping({2}, lambda _id: _row(2, 2))
    assert [r.id for r in kept.rows] == [1] and kept.gone == [3]
    assert kept.basis.stamps == {1: 11, 2: None, 3: 33} and basis.stamps[2] == 22  # a copy
    fresh = ListBasis({1: 11, 2: 44, 3: 33}, ("shared",))
    assert fresh.changes_since(kept.basis, 10) == ([2], [])  # read again next time
    assert read.keeping(set(), lambda _id: None) is read


def test_a_full_read_takes_the_windows_own_rows_also_of_a_client_it_added():
    read = ListRead([_row(1, 1), _row(2, 1)], None, ListBasis({1: 11, 2: 22}, ()))
    mine = {2: _row(2, 3), 5: _row(5, 0)}
    kept = read.keeping({2, 5, 7}, mine.get)
    assert [(r.id, r.stage) for r in kept.rows] == [(1, 1), (2, 3), (5, 0)]
    assert kept.gone is None and kept.basis.stamps == {1: 11, 2: None}
