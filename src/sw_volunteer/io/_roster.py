"""Import a volunteer roster from CSV, the form in which centres really keep them."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sw_volunteer.errors import Problem, RosterImportError
from sw_volunteer.models import Volunteer

__all__ = ["ROSTER_COLUMNS", "ROSTER_HEADERS_ZH", "read_roster_csv"]

ROSTER_COLUMNS: dict[str, str] = {
    "id": "the volunteer's id (required)",
    "name": "the volunteer's name (required)",
    "centre": "the centre's id (defaults to the centre= argument)",
    "birth_date": "YYYY-MM-DD",
    "volunteer_number": "the national unified volunteer number",
    "skills": "separated by ';' (or '、')",
    "qualifications": "separated by ';', e.g. first_aid;teaching",
    "trained": "yes/no (是/否, true/false, 1/0); default yes",
    "guardian_consent": "yes/no: consent on file, date unknown (counts on every day)",
    "guardian_consent_on": "YYYY-MM-DD, the day a guardian consented in writing",
    "background_check_on": "YYYY-MM-DD",
    "insurance_start": "YYYY-MM-DD, first day of accident insurance",
    "insurance_until": "YYYY-MM-DD, last day of accident insurance",
    "affiliation_kind": "individual, school, organisation or anti_drug_staff",
    "affiliation": "the school or organisation",
    "joined": "YYYY-MM-DD",
}
"""The columns a roster may have, with what each holds."""

ROSTER_HEADERS_ZH: dict[str, str] = {
    "编号": "id",
    "姓名": "name",
    "中心": "centre",
    "出生日期": "birth_date",
    "志愿者编号": "volunteer_number",
    "技能": "skills",
    "资格": "qualifications",
    "已培训": "trained",
    "监护人同意": "guardian_consent",
    "监护人同意日期": "guardian_consent_on",
    "背景审查日期": "background_check_on",
    "保险开始": "insurance_start",
    "保险截止": "insurance_until",
    "来源类型": "affiliation_kind",
    "所属单位": "affiliation",
    "加入日期": "joined",
}
"""Chinese headers a roster may use instead, and the column each stands for."""
_LIST_COLUMNS = frozenset({"skills", "qualifications"})
_BOOL_COLUMNS = frozenset({"trained", "guardian_consent"})
_TRUE = frozenset({"yes", "y", "true", "1", "是", "有"})
_FALSE = frozenset({"no", "n", "false", "0", "否", "无"})


def read_roster_csv(
    source: str | os.PathLike[str], *, centre: str | None = None, text: bool = False
) -> tuple[Volunteer, ...]:
    r"""Read volunteers from a CSV roster with a header row.

    Headers may be the English names of [`ROSTER_COLUMNS`][sw_volunteer.io.ROSTER_COLUMNS] or their
    Chinese equivalents (``姓名``, ``出生日期``, ...). Empty cells take the field's default.

    Args:
        source: A path to the CSV file, or the CSV text itself when ``text`` is true.
        centre: The centre id for rows without a ``centre`` column or value.
        text: Whether ``source`` is the CSV text rather than a path.

    Returns:
        The volunteers, in row order; add them with ``network.with_added(*volunteers)``.

    Raises:
        RosterImportError: Every problem, each naming its row (the header is row 1)
            and column; an unknown column is an error, never silently dropped.

    Example:
        >>> roster = "id,姓名,出生日期,技能\nv1,陈某,1990-05-01,music;calligraphy\n"
        >>> [v] = read_roster_csv(roster, centre="liqun", text=True)
        >>> v.centre, sorted(v.skills)
        ('liqun', ['calligraphy', 'music'])
        >>> read_roster_csv("id,name,shoe_size\nv1,陈某,42\n", centre="liqun", text=True)
        Traceback (most recent call last):
        ...
        sw_volunteer.errors.RosterImportError: the roster: row 1, column shoe_size: unknown
        column; expected some of: id, name, centre, ...
    """
    content = (str(source) if text else _read(Path(source))).removeprefix("\ufeff")
    rows = _rows(content)
    try:
        header = next(rows)
    except StopIteration:
        raise RosterImportError([Problem("row 1", "empty_roster", "no header row")]) from None
    except csv.Error as exc:
        raise RosterImportError([_csv_problem(str(exc), content, 1, [])]) from None
    columns = [ROSTER_HEADERS_ZH.get(h.strip(), h.strip()) for h in header]
    problems = [
        Problem(
            f"row 1, column {name}",
            "unknown_column",
            "unknown column; expected some of: " + ", ".join(ROSTER_COLUMNS),
        )
        for name in columns
        if name not in ROSTER_COLUMNS
    ]
    problems.extend(
        Problem(f"row 1, column {name}", "duplicate_column", "the column appears twice")
        for i, name in enumerate(columns)
        if name in columns[:i]
    )
    problems.extend(
        Problem("row 1", "missing_column", f"the required column {name!r} is missing")
        for name in ("id", "name")
        if name not in columns
    )
    if problems:
        raise RosterImportError(problems)
    volunteers: list[Volunteer] = []
    for row_number, row in enumerate(_located_rows(rows, content, columns), start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            problems.append(
                Problem(
                    f"row {row_number}",
                    "wrong_cell_count",
                    f"{len(row)} cells for {len(columns)} columns",
                )
            )
            continue
        fields, row_problems = _row_fields(dict(zip(columns, row, strict=True)), centre, row_number)
        problems.extend(row_problems)
        try:  # validated even after a bad cell, so that every problem of the row is listed
            volunteer = Volunteer.model_validate(fields)
        except ValidationError as exc:
            already = {p.location for p in row_problems}
            problems.extend(p for p in _cell_problems(exc, row_number) if p.location not in already)
        else:
            if not row_problems:
                volunteers.append(volunteer)
    if problems:
        raise RosterImportError(problems)
    return tuple(volunteers)


MAX_CELL = 128 * 1024
"""The largest cell of a roster, in characters (the limit of Python's CSV reader)."""


def _rows(content: str) -> Iterator[list[str]]:
    """The rows of ``content``; a malformed row raises csv.Error (located by the caller)."""
    return csv.reader(io.StringIO(content))


def _located_rows(
    rows: Iterator[list[str]], content: str, columns: list[str]
) -> Iterator[list[str]]:
    """``rows``, turning the CSV reader's errors into a located ``RosterImportError``."""
    line = 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            raise RosterImportError([_csv_problem(str(exc), content, line + 1, columns)]) from None
        line = getattr(rows, "line_num", line + 1)
        yield row


def _csv_problem(message: str, content: str, line: int, columns: list[str]) -> Problem:
    """Where a CSV reader error is: the row and the column, found by scanning the row."""
    lines = content.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    index, quoted, length = 0, False, 0
    for i, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            index, length = index + 1, 0
            continue
        elif char == "\r" and not quoted and text[i + 1 : i + 2] != "":
            break
        length += 1
        if length > MAX_CELL:
            break
    column = columns[index] if index < len(columns) else f"{index + 1}"
    where = f"row {line}, column {column}"
    if "field larger" in message:
        return Problem(where, "cell_too_large", f"a cell is longer than {MAX_CELL:,} characters")
    if "new-line" in message:
        return Problem(
            where,
            "bare_carriage_return",
            "a carriage return (CR) alone inside a cell: quote the cell or save the file "
            "with ordinary line ends",
        )
    return Problem(where, "bad_csv", f"not valid CSV: {message}")


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise RosterImportError(
            [Problem(str(path), "unreadable", exc.strerror or str(exc))]
        ) from None
    except UnicodeDecodeError as exc:
        raise RosterImportError(
            [Problem(str(path), "not_utf8", f"not UTF-8 text at byte offset {exc.start}")]
        ) from None


def _row_fields(
    cells: dict[str, str], centre: str | None, row_number: int
) -> tuple[dict[str, Any], list[Problem]]:
    fields: dict[str, Any] = {}
    problems: list[Problem] = []
    for column, raw in cells.items():
        value = raw.strip()
        if not value:
            continue
        if column in _LIST_COLUMNS:
            fields[column] = [p.strip() for p in value.replace("、", ";").split(";") if p.strip()]
        elif column in _BOOL_COLUMNS:
            lowered = value.lower()
            if lowered not in _TRUE | _FALSE:
                problems.append(
                    Problem(
                        f"row {row_number}, column {column}",
                        "bool_parsing",
                        "expected yes/no (是/否, true/false, 1/0)",
                    )
                )
            else:
                fields[column] = lowered in _TRUE
        else:
            fields[column] = value
    if "centre" not in fields:
        if centre is None:
            problems.append(
                Problem(
                    f"row {row_number}, column centre",
                    "missing",
                    "no centre: give a centre column or the centre= argument",
                )
            )
        else:
            fields["centre"] = centre
    start, until = fields.pop("insurance_start", None), fields.pop("insurance_until", None)
    if start is not None or until is not None:
        fields["insurance"] = {"start": start, "until": until}
    return fields, problems


def _cell_problems(exc: ValidationError, row_number: int) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = [str(p) for p in err["loc"]]
        column = loc[0] if loc else "?"
        if column == "insurance":
            column = "insurance_" + (loc[1] if len(loc) > 1 else "until")
        message = str(err["msg"]).removeprefix("Value error, ")
        problems.append(Problem(f"row {row_number}, column {column}", str(err["type"]), message))
    return problems
