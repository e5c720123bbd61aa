"""Import the lesson plan («План внедрения») from CSV or JSON: validated, all lessons or none."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.domain.money import typed_digits, ungrouped
from app.domain.quotes import in_quotes
from app.domain.validation import joined as v_joined
from app.domain.validation import text_problem
from app.errors import UserError
from app.fileio import read_input_file
from app.i18n import _, format_number, ngettext
from app.persistence.db import Database
from app.persistence.models import Lesson
from app.services.changes import Changes
from app.services.csvread import decode, read_table
from app.services.import_refusals import rows_refused

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_LESSONS = 5000
FIELDS = ("code", "number", "title", "section", "stage", "duration_min", "video_url")
# Russian column names as a methodologist would type them in Excel
ALIASES = {
    "код": "code", "номер": "number", "№": "number", "n": "number", "тема": "title", "название": "title",
    "урок": "title", "раздел": "section", "раздел учёта": "section", "раздел учета": "section",
    "этап": "stage", "длительность": "duration_min", "длительность, мин": "duration_min",
    "минут": "duration_min", "видео": "video_url", "ссылка": "video_url", "адрес видео": "video_url",
}
_CODE = re.compile(r"^[A-Za-z0-9А-Яа-яЁё._\-]{1,64}$")


@dataclass(frozen=True)
class LessonRow:
    code: str
    number: int
    title: str
    section: str
    stage: int
    duration_min: int
    video_url: str


@dataclass(frozen=True)
class LessonImportResult:
    added: int
    updated: int
    hidden: int  # lessons of the old plan not in the new one: kept with their progress, no longer shown

    @property
    def total(self) -> int:
        return self.added + self.updated


def _column(name: str) -> str:
    key = (name or "").strip().lstrip("\ufeff").strip().lower()
    return key if key in FIELDS else ALIASES.get(key, key)


def _records(raw: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """(line or item number, {field: text}) from a JSON list of objects or a ;-separated CSV."""
    if b"\x00" in raw[:4096]:
        raise UserError(_("The file is not a text file."))
    text = decode(raw)
    if filename.lower().endswith(".json") or text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UserError(_("The JSON file is broken: line {line}, column {col}.").format(
                line=exc.lineno, col=exc.colno)) from None
        if isinstance(data, dict):
            data = data.get("lessons")
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise UserError(_("The JSON file must hold a list of lessons (objects with code, number, title, "
                              "section, stage)."))
        return [(n, {_column(str(k)): "" if v is None else str(v) for k, v in item.items()})
                for n, item in enumerate(data, start=1)]
    table = read_table(raw, lambda cells: sum(1 for cell in cells if _column(cell) in FIELDS))
    header = [_column(h) for h in table.header.cells]
    missing = [f for f in ("code", "number", "title", "section", "stage") if f not in header]
    if missing:  # «нет столбцов: stage» for one column (tester H); the same sentences as the clients' import
        raise UserError(ngettext("The header row lacks the column {columns}. Expected: {expected}.",
                                 "The header row lacks the columns {columns}. Expected: {expected}.",
                                 len(missing)).format(columns=", ".join(missing), expected=";".join(FIELDS)))
    unknown = [_("«{title}» (column {n})").format(title=in_quotes(title.strip()[:60]), n=i)
               for i, (title, key) in enumerate(zip(table.header.cells, header, strict=True), start=1)
               if title.strip() and key not in FIELDS]
    if unknown:  # one column or several (not a plural form by the count: 21 is «one» in Russian)
        message = _("Line {line}: the importer does not know the column {columns}; its data would be lost. Rename "
                    "it to a known column ({known}) or delete it.") if len(unknown) == 1 else _(
            "Line {line}: the importer does not know the columns {columns}; their data would be lost. Rename them "
            "to a known column ({known}) or delete them.")
        raise UserError(message.format(line=table.header.line, columns=", ".join(unknown), known=", ".join(FIELDS)))
    return [(record.line, {header[i]: cell.strip() for i, cell in enumerate(record.cells) if i < len(header)})
            for record in table.rows]


def parse_lesson_plan(raw: bytes, filename: str = "") -> list[LessonRow]:
    """Validate every lesson; one error naming every bad row, or the lessons in plan order."""
    records = _records(raw, filename)
    if not records:
        raise UserError(_("The file has no lessons."))
    if len(records) > MAX_LESSONS:
        raise UserError(_("Too many lessons: {n}, at most {max}.").format(
            n=format_number(len(records)), max=format_number(MAX_LESSONS)))
    problems: list[str] = []
    result: list[LessonRow] = []
    codes: dict[str, int] = {}
    numbers: dict[int, int] = {}
    for where, rec in records:
        errors: list[str] = []
        code = rec.get("code", "").strip()
        if not code:
            errors.append(_("code is empty"))
        elif not _CODE.match(code):
            errors.append(_("code «{code}» may hold only letters, digits, dot, dash and underscore (up to 64)")
                          .format(code=code[:40]))
        elif code in codes:
            errors.append(_("code {code} repeats row {row}").format(code=code, row=codes[code]))
        number = _int(rec.get("number", ""), 1, 100_000, _("number"), errors)
        if number is not None and number in numbers:
            errors.append(_("number {n} repeats row {row}").format(n=number, row=numbers[number]))
        for field, label in (("code", _("code")), ("title", _("topic")), ("section", _("section")),
                             ("video_url", _("video address"))):
            problem = text_problem(rec.get(field, "").strip(), label)
            if problem:
                errors.append(problem)
        title = rec.get("title", "").strip()
        if not title:
            errors.append(_("topic is empty"))
        elif len(title) > 300:
            errors.append(_("topic is longer than 300 characters"))
        section = rec.get("section", "").strip()
        if not section:
            errors.append(_("section is empty"))
        elif len(section) > 200:
            errors.append(_("section is longer than 200 characters"))
        stage = _int(rec.get("stage", ""), 1, 3, _("stage"), errors)
        duration = _int(rec.get("duration_min", "") or "0", 0, 1440, _("duration"), errors)
        url = rec.get("video_url", "").strip()
        if url and (len(url) > 500 or not re.match(r"^https?://\S+$", url)):
            errors.append(_("video address must start with http:// or https://"))
        if errors:
            problems.append(_("Row {n}: {errors}").format(n=where, errors=v_joined(errors)))
            continue
        assert number is not None and stage is not None and duration is not None
        codes[code] = where
        numbers[number] = where
        result.append(LessonRow(code, number, title, section, stage, duration, url))
    if problems:
        raise UserError(rows_refused(len(problems)), details=problems)
    return sorted(result, key=lambda r: r.number)


def _int(text: str, low: int, high: int, label: str, errors: list[str]) -> int | None:
    typed = (text or "").strip()
    value = ungrouped(typed_digits(typed))  # «1 440» minutes, as the Russian interface writes them; «１２» is 12
    try:
        if not re.fullmatch(r"[0-9]{1,9}", value):  # int() would take «1_000»; «²» is no digit
            raise ValueError(value)
        number = int(value)
    except ValueError:  # quoted as typed, not as ungrouped() left it
        errors.append(_("{field} «{value}» is not a whole number").format(field=label, value=typed[:20]))
        return None
    if not low <= number <= high:
        errors.append(_("{field} must be from {low} to {high}").format(field=label, low=low, high=high))
        return None
    return number


def import_lesson_plan(db: Database, path: str | Path) -> tuple[LessonImportResult, Changes]:
    """Replace the lesson plan: update lessons by code, add new ones, hide the ones no longer listed.

    Progress rows are never deleted, so a hidden lesson that comes back brings its ticks back."""
    path = Path(path)
    raw = read_input_file(path, MAX_FILE_BYTES)
    rows = parse_lesson_plan(raw, path.name)
    added = updated = hidden = 0
    with db.unit() as s:
        existing = {lesson.code: lesson for lesson in s.scalars(select(Lesson))}
        wanted = {row.code for row in rows}
        for row in rows:
            lesson = existing.get(row.code)
            if lesson is None:
                lesson = Lesson(code=row.code)
                s.add(lesson)
                added += 1
            else:
                updated += 1
            lesson.number, lesson.title, lesson.section = row.number, row.title, row.section
            lesson.stage, lesson.duration_min, lesson.video_url = row.stage, row.duration_min, row.video_url
            lesson.active = True
        for code, lesson in existing.items():
            if code not in wanted and lesson.active:
                lesson.active = False
                hidden += 1
    return LessonImportResult(added, updated, hidden), Changes(clients=True, lessons=True, catalogue=True)
