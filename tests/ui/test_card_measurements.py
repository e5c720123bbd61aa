"""A card's shared measurements (CardStyle.measured) change nothing on paper: cards look the same as measured afresh."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from app.domain.budget_summary import BudgetSummary
from tests.ui.test_client_models import _many
from ui.views import kanban_card
from ui.views.kanban_card import CardDelegate


def _cards():
    rows = _many(24)
    out = []
    for i, s in enumerate(rows):
        s = s._replace(checklist_done=i % 4, checklist_total=(0, 3, 4)[i % 3] if i % 3 else 0,
                       lessons_done=i % 5, approach=("accompanied", "remote", "onsite")[i % 3])
        if s.checklist_done > s.checklist_total:
            s = s._replace(checklist_done=s.checklist_total)
        budget = None
        if i % 2:
            budget = BudgetSummary(s.id, Decimal(300_000), Decimal((i % 5) * 90_000), Decimal(10), Decimal(i % 14),
                                   Decimal(2), Decimal(i % 4), True)
        out.append((s, i % 3 == 0, budget, (0, 5, 31, 400)[i % 4], i % 5))
    return out


def _paint(delegate: CardDelegate, cards, width: int, font: QFont) -> list[bytes]:
    images = []
    for card in cards:
        option = QStyleOptionViewItem()
        option.font, option.palette, option.fontMetrics = font, QApplication.palette(), QFontMetrics(font)
        option.state = QStyle.StateFlag.State_Enabled
        step = option.fontMetrics.height() + 3
        option.rect = QRect(0, 0, width, 4 * step + 2 * delegate.PAD + 2 * delegate.MARGIN)
        image = QImage(option.rect.width(), option.rect.height(), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        delegate.paint_card(painter, option, *card)
        painter.end()
        images.append(bytes(image.constBits()))
    return images


def test_cards_measured_once_look_as_cards_measured_afresh(qtbot, monkeypatch):
    """Each memo key names every input of what it keeps: cards painted after others of another width and font
    filled the memo are the pictures a fresh delegate paints — and the memo is used (few distinct values)."""
    cards = _cards()
    font = QFont(QApplication.font())
    big = QFont(font)
    big.setPointSizeF(font.pointSizeF() * 1.5)
    fresh = {(w, f.key()): _paint(CardDelegate(), cards, w, f) for w in (150, 210) for f in (font, big)}

    shared = CardDelegate()
    for width, f in ((210, big), (150, font), (210, font), (150, big), (150, font)):
        assert _paint(shared, cards, width, f) == fresh[(width, f.key())], (width, f.key())
    style = shared._styles[next(iter(shared._styles))]
    kinds = {key[0] for key in style.memo}
    assert {"name", "approach", "advance", "third line", "stalled"} <= kinds

    monkeypatch.setattr(kanban_card, "MEMO_SIZE", 5)  # a full memo is emptied, and the cards still look the same
    small_memo = CardDelegate()
    assert _paint(small_memo, cards, 150, font) == fresh[(150, font.key())]
    assert all(len(s.memo) <= 5 for s in small_memo._styles.values())


def _picture(delegate: CardDelegate, option: QStyleOptionViewItem, what, ratio: float = 1.0) -> bytes:
    """The pixels of one card: ``what`` a card tuple painted whole on the base colour (``paint_card``), or a
    model index painted the cached way (``paint``: frame, pieces, pixmap)."""
    from PySide6.QtGui import QPalette

    image = QImage(round(200 * ratio), round((option.rect.bottom() + 10) * ratio),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(0)
    painter = QPainter(image)
    if isinstance(what, tuple):
        painter.fillRect(option.rect, option.palette.color(QPalette.ColorRole.Base))
        delegate.paint_card(painter, option, *what)
    else:
        delegate.paint(painter, option, what)
    painter.end()
    return bytes(image.constBits())


def _card_model(cards):
    """A model whose rows hold ``cards`` in the card role, as the board's column models give them."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    from ui.models.client_roles import ClientRole

    model = QStandardItemModel()
    for card in cards:
        item = QStandardItem()
        item.setData(card, ClientRole.CARD)
        model.appendRow(item)
    return model


def test_a_card_painted_from_its_shared_frame_looks_as_one_painted_whole(qtbot):
    """The cached path copies a frame (background, border, strip) made once per kind of card and paints the lines
    on it: the picture is the one ``paint_card`` paints on the view's base colour, in every state and ratio."""
    cards = _cards()
    model = _card_model(cards)
    font = QFont(QApplication.font())
    flag = QStyle.StateFlag
    states = [flag.State_Enabled, flag.State_Enabled | flag.State_Selected, flag.State_Enabled | flag.State_MouseOver,
              flag.State_Enabled | flag.State_Selected | flag.State_HasFocus]
    delegate = CardDelegate()
    for ratio in (1.0, 2.0):
        for n, card in enumerate(cards):
            option = QStyleOptionViewItem()
            option.font, option.palette, option.fontMetrics = font, QApplication.palette(), QFontMetrics(font)
            option.state = states[n % 4]
            step = option.fontMetrics.height() + 3
            option.rect = QRect(3, 5, (150, 190)[n % 2], 4 * step + 2 * delegate.PAD + 2 * delegate.MARGIN)
            # painted whole; from the frame (made, then from the cache)
            pictures = [_picture(delegate, option, card if whole else model.index(n, 0), ratio)
                        for whole in (True, False, False)]
            assert pictures[0] == pictures[1] == pictures[2], (ratio, n)
    assert 0 < len(delegate._frames) < 2 * len(cards)  # shared by cards alike


def _option(font: QFont, delegate: CardDelegate, left: int = 0, width: int = 170,
            state=QStyle.StateFlag.State_Enabled) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    option.font, option.palette, option.fontMetrics = font, QApplication.palette(), QFontMetrics(font)
    option.state = state
    step = option.fontMetrics.height() + 3
    option.rect = QRect(left, 0, width, 4 * step + 2 * delegate.PAD + 2 * delegate.MARGIN)
    return option


def test_lines_that_repeat_are_painted_once_and_the_kept_pieces_are_bounded(qtbot, monkeypatch):
    """The third line and the stalled line are copied from pieces shared by cards alike (made fewer times than
    cards painted); at most PIECES_BYTES of them are kept, and with a tiny store the cards still look as painted
    whole."""
    cards = _cards() * 2  # each kind of line at least twice
    model = _card_model(cards)
    font = QFont(QApplication.font())
    made = []
    real = kanban_card.QPainter.translate
    monkeypatch.setattr(kanban_card.QPainter, "translate", lambda self, *a: made.append(a) or real(self, *a))
    for limit in (kanban_card.PIECES_BYTES, 20_000):  # the second holds one or two pieces
        monkeypatch.setattr(kanban_card, "PIECES_BYTES", limit)
        delegate = CardDelegate()
        made.clear()
        for n, card in enumerate(cards):
            option = _option(font, delegate)
            assert _picture(delegate, option, card) == _picture(delegate, option, model.index(n, 0)), (limit, n)
        assert 0 < len(delegate._pieces) and (delegate._pieces.bytes <= limit or len(delegate._pieces) == 1)
        lines = len(cards) + sum(1 for card in cards if card[1] and not (card[2] and card[2].has_estimate))
        if limit == kanban_card.PIECES_BYTES:
            assert len(made) <= lines // 2  # every piece made once, used by both copies of its card


def test_at_a_fractional_pixel_ratio_the_lines_are_drawn_not_copied(qtbot, monkeypatch):
    """At 1.25 or 1.5 a line's place can fall on half a device pixel, where a copied piece's antialiasing differs
    from the text drawn in place: cards there look exactly as without pieces, wherever the card's cell lies."""
    cards = _cards()
    model = _card_model(cards)
    font = QFont(QApplication.font())
    plain = CardDelegate()
    monkeypatch.setattr(plain, "_piece", lambda painter, style, key, area, draw: draw(painter))
    delegate = CardDelegate()
    for ratio in (1.25, 1.5):
        for n, _card in enumerate(cards):
            option = _option(font, delegate, left=n % 3, width=(151, 170)[n % 2])
            assert _picture(delegate, option, model.index(n, 0), ratio) == _picture(
                plain, option, model.index(n, 0), ratio), (ratio, n)
    assert len(delegate._pieces) == 0
    option = _option(font, delegate)
    _picture(delegate, option, model.index(1, 0), 2.0)
    assert len(delegate._pieces) > 0  # a whole ratio copies them


def test_the_frames_kept_stay_within_their_budget_while_columns_are_resized(qtbot):
    """A window resized pixel by pixel makes a frame per kind of card and width: the frames kept stay within
    FRAMES_BYTES (at a pixel ratio of 2 each is ~250 KB), the newest kept."""
    cards = _cards()
    model = _card_model(cards)
    font = QFont(QApplication.font())
    delegate = CardDelegate()
    for width in range(150, 330, 3):
        for n in range(0, len(cards), 4):
            _picture(delegate, _option(font, delegate, width=width), model.index(n, 0), 2.0)
    assert 0 < delegate._frames.bytes <= kanban_card.FRAMES_BYTES
    assert len(delegate._frames) < 60 * 6  # some were forgotten
