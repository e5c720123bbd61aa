"""Test data for documents: an executor, a remote client in stage 2 with progress, work log and estimate."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from app.persistence.models import (
    ChecklistState,
    Client,
    Estimate,
    Executor,
    LessonProgress,
    StageEvent,
    WorkLogEntry,
)
from app.services.clients import ClientInput, add_client
from app.services.documents import ExecutorDetails, set_executor

ISSUED = date(2026, 3, 15)
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
ACT_DAY = date(2026, 3, 31)  # an act is dated no earlier than the end of its period
EXECUTOR = ExecutorDetails(
    company="ООО «Менеджмент-Внедрение»", inn="7707083893", kpp="770701001",
    address="125009, г. Москва, ул. Тверская, д. 7, офис 12", city="Москва",
    specialist_name="Николаев Артём Сергеевич", specialist_position="Специалист по внедрению",
    signer_name="Громов Виктор Андреевич", signer_position="Генеральный директор",
)
CLIENT_NAME = "ООО «Ромашка»"
CLIENT_INN = "5001012343"  # checksum-valid


@dataclass
class World:
    client_id: int
    free_client_id: int


def add_remote_client(db, name: str = CLIENT_NAME, inn: str = CLIENT_INN, approach: str = "remote") -> int:
    return add_client(db, ClientInput(
        name=name, inn=inn, approach=approach, kpp="500101001", contract_no="ВН-1",
        contract_date=date(2024, 7, 1), city="Подольск", address="142100, г. Подольск, ул. Ленина, д. 1",
        signer_name="Соколова Марина Викторовна", signer_position="Главный инженер"))


def build_world(db, *, executor: bool = True) -> World:
    """A remote client at stage 2: stage 1 done, stage 2 half done, 12 h + 3 h + 2.5 h logged in March 2026."""
    if executor:
        set_executor(db, EXECUTOR)
    client_id = add_remote_client(db)
    free_id = add_remote_client(db, "ООО «Бесплатное»", "7728168971", approach="accompanied")
    with db.unit() as s:
        client = s.get(Client, client_id)
        client.stage = 2
        client.stage_since = datetime(2026, 2, 20, 10, 0)
        s.add(StageEvent(client_id=client_id, from_stage=0, to_stage=1, at=datetime(2026, 1, 10, 9, 0),
                         who="Николаев А. С.", reason="Договор подписан"))
        s.add(StageEvent(client_id=client_id, from_stage=1, to_stage=2, at=datetime(2026, 2, 20, 10, 0),
                         who="Николаев А. С.", reason="Справочники заполнены"))
        for code, day in (("s1.lessons", 1), ("s1.instruction", 2), ("s1.test_project", 3), ("s1.directories", 4),
                          ("s2.inventory", 5)):
            s.add(ChecklistState(client_id=client_id, code=code, done=True, done_on=date(2026, 3, day)))
        for code in ("L01", "L02"):
            s.add(LessonProgress(client_id=client_id, lesson_code=code, employee_uuid="", done=True,
                                 done_on=date(2026, 1, 20)))
        for kind, minutes, day in (("conference", 720, 2), ("questions", 180, 3), ("control", 150, 4)):
            s.add(WorkLogEntry(client_id=client_id, on_date=date(2026, 3, day), kind=kind, minutes=minutes,
                               stage=2, note=""))
        # stage-1 work in February: not in the March act, but in the stage-1 sign-off sheet
        s.add(WorkLogEntry(client_id=client_id, on_date=date(2026, 2, 10), kind="conference", minutes=90, stage=1))
        s.add(WorkLogEntry(client_id=client_id, on_date=date(2026, 2, 11), kind="conference", minutes=600,
                           stage=1, deleted=True))
        s.add(Estimate(client_id=client_id, approach="remote", on_date=date(2024, 7, 1),
                       conference_hours=Decimal(12), question_hours=Decimal(3), control_hours=Decimal("2.5"),
                       total=Decimal("26250.00"), note=""))
    return World(client_id, free_id)


def clear_executor(db) -> None:
    with db.unit() as s:
        row = s.query(Executor).first()
        for name in ("company", "inn", "kpp", "address", "city", "specialist_name", "specialist_position",
                     "signer_name", "signer_position"):
            setattr(row, name, "")


def pdf_text(pdf: bytes) -> str:
    """All pages' text with every run of whitespace (line breaks too) collapsed to one space (pypdf)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def fonts(pdf: bytes) -> dict[str, dict]:
    """BaseFont name → font dictionary (resolved) of every font used on every page."""
    from pypdf import PdfReader

    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            found[str(font["/BaseFont"])] = font
    return found


def first_page_png(pdf: bytes, tmp_path, dpi: int = 40):
    """Render page 1 with pdftoppm (poppler-utils) and return the PIL image."""
    from PIL import Image

    assert shutil.which("pdftoppm"), "poppler-utils (pdftoppm) is needed; .ci/run installs it"
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(tmp_path / "page")], check=True, timeout=60)
    return Image.open(tmp_path / "page.png").convert("L")


# ------------------------------------------------------------------ layout: where the ink is

A4_POINTS = (595.28, 841.89)
DARK = 140  # a grey level below this counts as ink


def page_pngs(pdf: bytes, tmp_path, dpi: int = 72) -> list:
    """Every page rendered with pdftoppm (poppler-utils), as greyscale PIL images."""
    from PIL import Image

    assert shutil.which("pdftoppm"), "poppler-utils (pdftoppm) is needed; .ci/run installs it"
    source = tmp_path / "layout.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(source), str(tmp_path / "layout")], check=True,
                   timeout=60)
    return [Image.open(path).convert("L") for path in sorted(tmp_path.glob("layout-*.png"))]


def text_positions(pdf: bytes, page: int) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text run on a page, in PDF points from the bottom-left corner (pypdf)."""
    from pypdf import PdfReader

    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def ink(image, left: float, bottom: float, right: float, top: float) -> int:
    """Dark pixels of ``image`` (a whole A4 page) inside a box given in PDF points (y from the bottom)."""
    sx, sy = image.size[0] / A4_POINTS[0], image.size[1] / A4_POINTS[1]
    box = (round(left * sx), round((A4_POINTS[1] - top) * sy), round(right * sx), round((A4_POINTS[1] - bottom) * sy))
    histogram = image.crop(box).histogram()
    return sum(histogram[:DARK])


def check_margins(pdf: bytes, tmp_path) -> int:
    """No ink in the margins of any page, a title at the top of page 1; the number of pages."""
    pages = page_pngs(pdf, tmp_path)
    width, height = A4_POINTS
    assert ink(pages[0], 150, height - 100, width - 150, height - 30) > 300, "no title at the top of page 1"
    for number, page in enumerate(pages, start=1):
        assert ink(page, 0, 0, 60, height) == 0, f"ink in the left margin of page {number}"
        assert ink(page, width - 35, 0, width, height) == 0, f"ink in the right margin of page {number}"
        assert ink(page, 0, height - 28, width, height) == 0, f"ink in the top margin of page {number}"
    return len(pages)


def check_layout(pdf: bytes, tmp_path) -> None:
    """Ink where a document must have it, none where it must not: the title band at the top of page 1,
    both signature blocks (with their drawn signature lines) as the last thing on the last page, blank margins."""
    pages = page_pngs(pdf, tmp_path)
    width, height = A4_POINTS
    assert ink(pages[0], 150, height - 100, width - 150, height - 30) > 300, "no title at the top of page 1"
    for number, page in enumerate(pages, start=1):
        assert ink(page, 0, 0, 60, height) == 0, f"ink in the left margin of page {number}"
        assert ink(page, width - 35, 0, width, height) == 0, f"ink in the right margin of page {number}"
        assert ink(page, 0, height - 28, width, height) == 0, f"ink in the top margin of page {number}"
    last = pages[-1]
    runs = text_positions(pdf, len(pages) - 1)
    signs = sorted((x, y) for x, y, text in runs if text == "(подпись)")
    assert len(signs) == 2 and signs[0][0] < width / 2 < signs[1][0], f"two signature columns expected: {signs}"
    stamps = [y for _x, y, text in runs if text.startswith("М.П.")]
    assert len(stamps) == 2, "«М.П.» under both signatures"
    bottom = min(stamps) - 4
    top = max(y for x, y, text in runs if "Заказчик" in text and text.endswith(":") and x > width / 2) + 12
    for x, y in signs:
        assert ink(last, x - 30, y + 4, x + 60, y + 16) >= 40, f"no signature line drawn above «(подпись)» at {x:.0f}"
        left, right = (60, width / 2) if x < width / 2 else (width / 2, width - 35)
        assert ink(last, left, bottom, right, top) > 500, "signature block is nearly empty"
    assert bottom < height / 2 + 150, "the signature block is not in the lower part of the last page"
    assert ink(last, 0, 42, width, bottom - 2) == 0, "something is printed between the signatures and the footer"
