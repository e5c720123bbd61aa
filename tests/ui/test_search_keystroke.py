"""The search keystroke's work (issue 15): what it may skip and what it must still find."""

from __future__ import annotations

from datetime import date
from itertools import accumulate

from PySide6.QtCore import Qt

from app.services import questions
from app.services.client_list import list_clients
from app.services.demo import fill_demo
from app.services.questions import QuestionInput
from tests.ui.test_client_models import TODAY, _many, summary
from tests.ui.test_main_window import make_window
from ui.models.client_filter import ClientFilter, CompiledFilter
from ui.models.clients import ClientTableModel
from ui.models.digit_index import DigitIndex, compact


def _shown(area) -> list[str]:
    proxy = area.list_panel.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_a_question_added_after_a_search_found_none_is_found_by_the_next_search(qtbot, db, tmp_path, monkeypatch):
    fill_demo(db)
    client = list_clients(db)[0]
    window = make_window(qtbot, db, tmp_path)
    area = window.work_area
    sent = []
    real = questions.clients_with_questions_matching
    monkeypatch.setattr(questions, "clients_with_questions_matching",
                        lambda db_, text: sent.append(text) or real(db_, text))
    for end in range(1, len("зарплатную ведомость") + 1):
        area.list_panel.search.setText("зарплатную ведомость"[:end])
        area.list_panel.apply_filter()
    assert _shown(area) == []
    assert len(sent) < 5  # once a prefix matched no question, the longer texts send no statement

    _qid, changes = questions.add_question(db, client.id, QuestionInput(date.today(), "phone",
                                                                        "Как провести зарплатную ведомость?"))
    window.apply_changes(changes)
    area.list_panel.apply_filter()
    assert _shown(area) == [area.clients.summary(client.id).name]
    assert sent[-1] == "зарплатную ведомость"


def test_a_digit_query_makes_the_compact_texts_in_one_pass_and_finds_phones_typed_any_way(qtbot):
    model = ClientTableModel(today=lambda: TODAY)
    rows = _many()
    model.set_rows(rows)
    found = model.text_matches(CompiledFilter(ClientFilter(text="343 0121")))  # the digits only: matched compact
    assert found is not None and sorted(s.id for s in found.rows) == [112, 221]  # 221 by its ИНН …0121 and «343»
    index = model._digits  # every row's compact text, made in one joined pass
    assert index._joined.split("\0") == [compact(s.search_text) for s in model.summaries()]
    assert index._ids == [s.id for s in model.summaries()] and index._starts[0] == 0
    assert len(index._starts) == len(rows) + 1
    assert model._compact == {}  # no text a row kept besides the joined one
    assert compact("+7 (495) 123-45-67 ооо «ромашка»") == "74951234567ооо«ромашка»"


def test_a_search_text_holding_a_nul_falls_back_to_one_by_one(qtbot):
    model = ClientTableModel(today=lambda: TODAY)
    odd = summary(1000, "ООО «Нуль»", phone="+7 (343) 999-99-99")._replace(search_text="ооо нуль\0 +7 (343) 999-99-99")
    model.set_rows([*_many(), odd])
    found = model.text_matches(CompiledFilter(ClientFilter(text="343 999 99")))
    assert found is not None and [s.id for s in found.rows] == [1000]
    assert model.compact_text(odd) == "ооонуль\x0073439999999"


def test_a_digit_index_made_in_chunks_is_the_one_made_whole(qtbot, monkeypatch):
    rows = _many()
    whole = compact("\0".join(s.search_text for s in rows))  # what one pass over every text gives
    for chunk in (1, 2, 7, len(rows) - 1, len(rows), len(rows) + 5):
        monkeypatch.setattr(DigitIndex, "CHUNK", chunk)
        index = DigitIndex.make(rows)
        assert index is not None and index._joined == whole, chunk
        assert index._starts == [0, *accumulate(len(t) + 1 for t in whole.split("\0"))], chunk
        assert index._ids == [s.id for s in rows]
        assert index.hits("3430121") == DigitIndex.make(rows[:]).hits("3430121")
        odd = summary(1000, "ООО «Нуль»")._replace(search_text="ооо\0нуль")
        assert DigitIndex.make([*rows, odd]) is None, chunk  # a NUL in the last chunk as in the first
        assert DigitIndex.make([odd, *rows]) is None, chunk
    assert DigitIndex.make([]) is not None and DigitIndex.make([]).hits("12") == set()


def test_cards_look_their_colours_and_fonts_up_once_per_palette_and_font(qtbot):
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFontMetrics, QImage, QPainter, QPalette
    from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

    from ui.views.kanban_card import CardDelegate

    delegate = CardDelegate()
    app = QApplication.instance()
    image = QImage(168, 92, QImage.Format.Format_ARGB32_Premultiplied)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        option = QStyleOptionViewItem()
        option.font, option.palette = app.font(), QPalette(app.palette())
        option.palette.setCurrentColorGroup(group)
        option.fontMetrics, option.rect = QFontMetrics(option.font), QRect(0, 0, 168, 92)
        for s in _many(12):
            painter = QPainter(image)
            delegate.paint_card(painter, option, s, s.id % 2 == 0, None, 3, s.id % 3)
            painter.end()
    assert len(delegate._styles) == 2  # one per colour group (a window without focus paints inactive colours)
    inactive = delegate.style_for(option)
    assert inactive.text == option.palette.color(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Text)
    assert inactive.bold.bold() and not inactive.font.bold()


def test_digit_queries_find_what_a_test_of_every_row_finds_also_after_rows_change(qtbot, monkeypatch):
    """_compact_hits searches one joined string; the rows it names are those whose compact text holds the
    digits, before and after rows change (the index is made again), and a row never matches across its
    neighbour (the NUL between them)."""
    model = ClientTableModel(today=lambda: TODAY)
    rows = _many()
    model.set_rows(rows)

    def expected(digits: str) -> list[int]:
        return sorted(s.id for s in model.summaries() if digits in compact(s.search_text))

    queries = ["343", "0121", "770", "7707", "999", "4951", "00000000"]
    for digits in queries:
        assert sorted(model._compact_hits(digits)) == expected(digits), digits
    index = model._digits
    changed = [rows[3]._replace(search_text=rows[3].search_text + " +7 (999) 770-77-07"), rows[10]]
    model.update_rows([rows[3].id, rows[10].id, rows[20].id], changed)  # one changed, one removed
    assert model._digits is index  # kept, with the changes beside it
    for digits in queries:
        assert sorted(model._compact_hits(digits)) == expected(digits), digits
    model.sort(2, Qt.SortOrder.DescendingOrder)  # the order does not matter to it
    assert model._digits is index and sorted(model._compact_hits("770")) == expected("770")
    monkeypatch.setattr(DigitIndex, "CHANGES_MAX", 1)
    model.update_rows([rows[30].id, rows[31].id], [rows[30], rows[31]._replace(search_text="новый 12345")])
    assert model._digits is None and sorted(model._compact_hits("12345")) == expected("12345") == [rows[31].id]
    alpha = summary(9001, "Альфа")._replace(search_text="альфа 12")
    beta = summary(9002, "Бета")._replace(search_text="34 бета")
    model.set_rows([alpha, beta])
    assert model._compact_hits("1234") == set() and model._compact_hits("12") == {9001}
    assert model._compact_hits("34") == {9002}


def test_a_digit_index_made_in_a_worker_is_taken_only_for_the_rows_it_was_made_from(qtbot):
    model = ClientTableModel(today=lambda: TODAY)
    rows = _many()
    model.set_rows(rows)
    generation, work = model.digit_index_work()
    index = work()
    model.update_rows([rows[5].id], [rows[5]._replace(search_text="другой 99999")])  # meanwhile
    model.take_digit_index(generation, index)
    assert model._digits is None  # older than the rows: left, made afresh when asked
    assert model._compact_hits("99999") == {rows[5].id}
    generation, work = model.digit_index_work() or (None, None)
    assert work is None  # there is one now
    fresh = ClientTableModel(today=lambda: TODAY)
    fresh.set_rows(rows)
    generation, work = fresh.digit_index_work()
    fresh.take_digit_index(generation, work())
    assert fresh._digits is not None and sorted(fresh._compact_hits("343")) == sorted(
        s.id for s in rows if "343" in compact(s.search_text))


def made_on_threads(monkeypatch, cls) -> list[bool]:
    """Watch ``cls.make`` (a classmethod of rows): the list gets, per call, whether it ran on the main thread."""
    import threading

    made: list[bool] = []
    real = cls.make.__func__

    def watched(cls_, rows):
        made.append(threading.current_thread() is threading.main_thread())
        return real(cls_, rows)

    monkeypatch.setattr(cls, "make", classmethod(watched))
    return made


def indexed_demo_window(qtbot, db, tmp_path, monkeypatch, threshold: str, index_class):
    """A loaded demo window whose model makes ``index_class`` from one client on (``threshold``: the name of its
    constant in ui.models.client_search; the demo's dozen clients count as many), and ``made_on_threads`` of it."""
    import ui.models.client_search as search_module

    fill_demo(db)
    monkeypatch.setattr(search_module, threshold, 1)
    made = made_on_threads(monkeypatch, index_class)
    window = make_window(qtbot, db, tmp_path)
    window.wait_for_background()
    return window, made


def test_a_loaded_window_makes_the_digit_index_in_a_worker(qtbot, db, tmp_path, monkeypatch):
    """The first phone or ИНН typed after a load made the index on the UI thread (~60 ms at 50 000 clients)."""
    from sqlalchemy import update

    import ui.models.clients as clients_module
    from app.persistence.models import Client
    from app.services.changes import Changes
    from ui.work_area import WorkArea

    window, made = indexed_demo_window(qtbot, db, tmp_path, monkeypatch, "_DIGIT_INDEX_FROM", DigitIndex)
    model = window.work_area.clients
    assert made == [False] and model._digits is not None
    monkeypatch.setattr(WorkArea, "READ_IN_WORKER_FROM", 1)
    monkeypatch.setattr(clients_module.ClientTableModel, "INCREMENTAL_LIMIT", 0)  # every change resets the rows
    with db.unit() as s:
        s.execute(update(Client).values(contract_no="ВН-77777"))
    window.apply_changes(Changes(replaced=True))  # a reload: its rows are read and painted, then indexed
    window.wait_for_background()
    window.work_area.start_deferred_reads()
    qtbot.waitUntil(lambda: len(made) == 2 and model._digits is not None, timeout=10_000)
    assert made == [False, False]
    assert model._compact_hits("77777") == {c.id for c in model.summaries()}


def test_a_loaded_window_compiles_the_question_search_in_a_worker(qtbot, db, tmp_path, monkeypatch):
    """The first letter typed after a load compiled the question statement on the UI thread (~7 ms)."""
    import threading

    fill_demo(db)
    ran: list[bool] = []
    real = questions.prepare_question_search

    def watched(db_):
        ran.append(threading.current_thread() is threading.main_thread())
        real(db_)

    monkeypatch.setattr(questions, "prepare_question_search", watched)
    window = make_window(qtbot, db, tmp_path)
    window.wait_for_background()
    qtbot.waitUntil(lambda: bool(ran), timeout=10_000)
    assert ran == [False]
    sent: list[str] = []
    real_search = questions.clients_with_questions_matching
    monkeypatch.setattr(questions, "clients_with_questions_matching",
                        lambda db_, text: sent.append(text) or real_search(db_, text))
    area = window.work_area
    cache_before = len(db.engine._compiled_cache)
    area.list_panel.search.setText("ведомость")
    area.list_panel.apply_filter()
    assert sent == ["ведомость"]  # the question statement was sent …
    assert len(db.engine._compiled_cache) == cache_before  # … compiled already


def test_the_client_count_changes_without_laying_the_status_bar_out_again(qtbot, db, tmp_path):
    """A search that changes «Заказчиков: N из M» relaid the status bar, and from it the main window, on every
    keystroke (QLabel.setText asks the parent layout unless the label's size is fixed)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    area, label, bar = window.work_area, window.count_label, window.statusBar()
    total = area.clients.rowCount()

    class Requests(QObject):
        seen = 0

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.LayoutRequest:
                self.seen += 1
            return False

    requests = Requests()
    bar.installEventFilter(requests)
    size = label.size()
    texts = []
    for text in ("ООО", "завод", "zzzz-нет-такого", ""):
        area.list_panel.search.setText(text)
        area.list_panel.apply_filter()
        QApplication.processEvents()
        texts.append(label.text())
    bar.removeEventFilter(requests)
    assert requests.seen == 0 and label.size() == size
    assert texts[2] == f"Заказчиков: 0 из {total}" and texts[3] == f"Заказчиков: {total}"
    assert texts[0] != texts[3] and texts[1] != texts[3]
    for text in (*texts, f"Заказчиков: {total} из {total}"):
        assert label.fontMetrics().horizontalAdvance(text) <= label.contentsRect().width()
