"""The social value framework as CSV: the columns, reading a file row by row, and writing one. No Django.

One row per measure, under its theme and outcome (both named by their titles; new titles make new
themes and outcomes). Rows are matched to measures by ``code``: a known code updates the measure,
a new one adds it. :func:`read_framework_csv` checks every row and returns every problem with its
row number (the header is row 1), column and what is wrong, so the council can fix them all at
once; the service imports nothing unless there are none.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "CsvProblem",
    "CsvRead",
    "MeasureRow",
    "read_framework_csv",
    "write_csv",
    "write_framework_csv",
]

COLUMNS = (
    "theme",
    "outcome",
    "code",
    "name",
    "unit",
    "description",
    "evidence",
    "proxy_value",
    "proxy_source",
    "proxy_year",
    "contributes_to",
    "retired",
)
REQUIRED = ("theme", "outcome", "code", "name", "unit")
MAX_BYTES = 1_000_000  # 1 MB: a framework of a few hundred measures is a few tens of kB
MAX_ROWS = 2_000
LENGTHS = {
    "theme": 200,
    "outcome": 200,
    "code": 30,
    "name": 300,
    "unit": 100,
    "description": 5_000,
    "evidence": 5_000,
    "proxy_source": 300,
    "contributes_to": 2_000,
}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
PROXY_LIMIT = Decimal(10) ** 10  # the column holds 10 digits before the point
YEAR_RANGE = (1990, 2100)
# The separator of the core outcomes a measure contributes to ("Outcome one; Outcome two").
CONTRIBUTION_SEPARATOR = ";"
# Cells a spreadsheet would run as a formula: written with a leading apostrophe (OWASP's advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CsvProblem(NamedTuple):
    """One thing wrong with the file: ``row`` as a spreadsheet numbers it (the header is 1; 0 is
    the file as a whole), the ``column`` (empty when the whole row is wrong) and the ``message``."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "The file"
        return f"{where}{f', column {self.column}' if self.column else ''}: {self.message}"


@dataclass(frozen=True)
class MeasureRow:
    row: int
    theme: str
    outcome: str
    code: str
    name: str
    unit: str
    description: str = ""
    evidence: str = ""
    proxy_value: Decimal | None = None
    proxy_source: str = ""
    proxy_year: int | None = None
    contributes_to: tuple[str, ...] = ()
    retired: bool = False


@dataclass
class CsvRead:
    rows: list[MeasureRow] = field(default_factory=list)
    problems: list[CsvProblem] = field(default_factory=list)


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _needs_guard(text: str) -> bool:
    """Whether a spreadsheet would run the cell as a formula, or it would read as one guarded."""
    return text.startswith(_FORMULA_START) or (text.startswith("'") and _needs_guard(text[1:]))


def _unescaped(text: str) -> str:
    """A cell as written by :func:`write_framework_csv`: its formula guard taken off again."""
    return text[1:] if text.startswith("'") and _needs_guard(text[1:]) else text


def _read_row(
    number: int, cells: Mapping[str, str], outcome_titles: Mapping[str, str], problems: list[CsvProblem]
) -> MeasureRow | None:
    start = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(CsvProblem(number, column, message))

    values = {column: _unescaped((cells.get(column) or "").strip()) for column in COLUMNS}
    for column in REQUIRED:
        if not values[column]:
            problem(column, f"Enter the {column.replace('_', ' ')}")
    for column, limit in LENGTHS.items():
        if len(values[column]) > limit:
            problem(column, f"Must be {limit:,} characters or fewer")
    if values["code"] and not CODE_PATTERN.match(values["code"]):
        problem("code", "Use letters, digits, dots, hyphens and underscores only, for example SV-1.2")

    proxy_value = None
    if values["proxy_value"]:
        proxy_value = _decimal(values["proxy_value"])
        if proxy_value is None:
            problem("proxy_value", "Must be an amount in pounds, for example 12.50")
        elif proxy_value < 0 or proxy_value >= PROXY_LIMIT:
            problem("proxy_value", "Must be £0 or more and less than £10,000,000,000")
            proxy_value = None
        elif proxy_value != proxy_value.quantize(Decimal("0.01")):
            problem("proxy_value", "Must have at most two decimal places (pence)")
            proxy_value = None
    proxy_year = None
    if values["proxy_year"]:
        if values["proxy_year"].isdecimal() and YEAR_RANGE[0] <= int(values["proxy_year"]) <= YEAR_RANGE[1]:
            proxy_year = int(values["proxy_year"])
        else:
            problem("proxy_year", f"Must be a year from {YEAR_RANGE[0]} to {YEAR_RANGE[1]}, for example 2025")
    if values["proxy_value"]:
        if not values["proxy_source"]:
            problem("proxy_source", "Say where the proxy value comes from")
        if not values["proxy_year"]:
            problem("proxy_year", "Give the year of the proxy value")
    elif values["proxy_source"] or values["proxy_year"]:
        problem("proxy_value", "Give the proxy value, or leave its source and year empty")

    contributes: list[str] = []
    for title in values["contributes_to"].split(CONTRIBUTION_SEPARATOR):
        title = title.strip()
        if not title:
            continue
        known = outcome_titles.get(title.casefold())
        if known is None:
            problem("contributes_to", f"“{title}” is not an outcome of the council's outcomes framework")
        elif known not in contributes:
            contributes.append(known)

    retired_text = values["retired"].lower()
    if retired_text not in {"", "yes", "no"}:
        problem("retired", "Must be yes, no or empty")

    if len(problems) > start:
        return None
    return MeasureRow(
        row=number,
        theme=values["theme"],
        outcome=values["outcome"],
        code=values["code"],
        name=values["name"],
        unit=values["unit"],
        description=values["description"],
        evidence=values["evidence"],
        proxy_value=proxy_value.quantize(Decimal("0.01")) if proxy_value is not None else None,
        proxy_source=values["proxy_source"],
        proxy_year=proxy_year,
        contributes_to=tuple(contributes),
        retired=retired_text == "yes",
    )


def read_framework_csv(data: bytes, *, outcome_titles: Iterable[str]) -> CsvRead:
    """Read an uploaded framework file, checking every row.

    ``outcome_titles`` are the titles of the council's own outcomes framework (the core's), which
    ``contributes_to`` may name (case does not matter). At most :data:`MAX_BYTES` and
    :data:`MAX_ROWS`; UTF-8 (a spreadsheet's byte order mark is fine)."""
    result = CsvRead()
    if len(data) > MAX_BYTES:
        result.problems.append(CsvProblem(0, "", f"The file must be {MAX_BYTES // 1_000_000} MB or smaller"))
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.problems.append(CsvProblem(0, "", "The file must be a CSV file saved as UTF-8"))
        return result
    if "\x00" in text:
        result.problems.append(CsvProblem(0, "", "The file must be a CSV file, not a spreadsheet or other binary file"))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
    except csv.Error as error:
        result.problems.append(CsvProblem(1, "", f"The header row cannot be read: {error}"))
        return result
    if not any(header):
        result.problems.append(CsvProblem(0, "", "The file is empty: it needs a header row and a row per measure"))
        return result
    unknown = [c for c in header if c not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    for column in unknown:
        result.problems.append(CsvProblem(1, column, f"Unknown column: the columns are {', '.join(COLUMNS)}"))
    for column in missing:
        result.problems.append(CsvProblem(1, column, "This column is missing from the header row"))
    if len(set(header)) != len(header):
        result.problems.append(CsvProblem(1, "", "A column appears twice in the header row"))
    if result.problems:
        return result

    titles = {title.casefold(): title for title in outcome_titles}
    codes: dict[str, int] = {}
    number = 1
    try:
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are fine
            if number - 1 > MAX_ROWS:
                result.problems.append(CsvProblem(number, "", f"The file may have at most {MAX_ROWS:,} measures"))
                break
            if len(cells) > len(header):
                result.problems.append(CsvProblem(number, "", "This row has more cells than the header row"))
                continue
            named = dict(zip(header, cells, strict=False))
            code = (named.get("code") or "").strip()
            key = code.casefold()
            if key and key in codes:
                result.problems.append(CsvProblem(number, "code", f"{code} is already on row {codes[key]}"))
                continue
            if key:
                codes[key] = number
            row = _read_row(number, named, titles, result.problems)
            if row is not None:
                result.rows.append(row)
    except csv.Error as error:
        result.problems.append(CsvProblem(number + 1, "", f"This row cannot be read: {error}"))
    if not result.rows and not result.problems:
        result.problems.append(CsvProblem(0, "", "The file has no measures: add a row per measure under the header"))
    return result


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if _needs_guard(text) else text


def write_framework_csv(rows: Iterable[Sequence[object]]) -> str:
    """The framework as CSV text: the header, then one row per measure (values in COLUMNS' order).
    A cell a spreadsheet would run as a formula is written with a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Any table as CSV text, with the framework's formula guard on every cell (the accounts' download)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()
