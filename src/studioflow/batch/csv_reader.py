"""Reading a catalogue CSV: encoding, delimiter, header names and per-row checks.

Every problem is an ``Issue(row, column, message, level)`` where ``row`` is the file's line
number: the header is line 1 and a row whose quoted cell spans several lines is numbered by
the line it starts on. Header names ignore case and surrounding spaces (" SKU " is ``sku``,
"Reference Image" is ``reference_image``). UTF-8 with or without a BOM; commas, semicolons
or tabs (whichever the header uses). Unknown columns are reported as warnings.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from typing import Any

from studioflow.errors import ErrorDetail, InputError

MAX_VARIANTS = 16
# column -> what it holds (docs/batch.md shows this table)
COLUMNS: dict[str, str] = {
    "sku": "stock-keeping unit (required, at most 128 characters)",
    "prompt": "the product shot in words (this or manifest)",
    "manifest": "a manifest as JSON, or the path of a manifest file (this or prompt)",
    "name": "product name (stored with the render)",
    "template": "brand template name (overrides --template)",
    "preset": "marketplace preset (overrides --preset)",
    "seed": "seed of the first variant (default: derived from the batch seed and SKU)",
    "variants": f"how many images with different seeds (1-{MAX_VARIANTS})",
    "width": "width in pixels (overrides preset and template)",
    "height": "height in pixels (overrides preset and template)",
    "color": "product colour, replacing the prompt's",
    "material": "product material, replacing the prompt's",
    "brand": "brand name (stored with the render)",
    "reference_image": "a StudioFlow PNG whose manifest is the row's starting point",
}
SEED_MAX = 2**32 - 1
SIZE_RANGE = (16, 8192)
TEXT_LIMITS = {"sku": 128, "name": 300, "brand": 300, "template": 128, "preset": 64,
               "color": 100, "material": 100, "reference_image": 2000}
DELIMITERS = (",", ";", "\t")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(eq=False)
class CsvError(InputError):
    """The file as a whole cannot be read (encoding, quoting, size)."""

    code: str = "invalid_csv"
    http_status: int = 422


@dataclass(frozen=True)
class Issue:
    row: int  # line number in the file; the header is line 1
    column: str | None
    message: str
    level: str = "error"  # or "warning"
    sku: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}

    def stored(self) -> dict[str, Any]:
        return {**self.as_dict(), "level": self.level, "sku": self.sku}

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> Issue:
        return cls(data["row"], data.get("column"), data["message"], data.get("level", "error"),
                   data.get("sku"))


class IssueList:
    """Errors and warnings of something that collects ``issues`` (a parsed file, a plan)."""

    issues: list[Issue]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]


@dataclass
class CsvRow:
    line: int
    sku: str
    prompt: str | None = None
    manifest: str | None = None
    name: str | None = None
    template: str | None = None
    preset: str | None = None
    seed: int | None = None
    variants: int | None = None
    width: int | None = None
    height: int | None = None
    color: str | None = None
    material: str | None = None
    brand: str | None = None
    reference_image: str | None = None


@dataclass
class ParsedCsv(IssueList):
    columns: list[str]
    delimiter: str
    rows: list[CsvRow] = field(default_factory=list)  # the rows without errors
    issues: list[Issue] = field(default_factory=list)
    data_rows: int = 0  # non-blank rows after the header


# the file --------------------------------------------------------------------------------
def decode_csv(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped); anything else is a ``CsvError`` naming the byte."""
    if not data.strip():
        raise CsvError("the CSV file is empty", [ErrorDetail("line 1", "expected a header row")])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvError("the CSV file is UTF-16 text; save it as 'CSV UTF-8'",
                       [ErrorDetail("byte 0", "UTF-16 byte order mark")])
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
        line = data.count(b"\n", 0, offset) + 1
        column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        raise CsvError(
            f"the CSV file is not UTF-8 text: byte 0x{data[offset]:02X} at offset {offset} "
            f"(line {line}, column {column}); save it as 'CSV UTF-8'",
            [ErrorDetail(f"line {line}", f"undecodable byte 0x{data[offset]:02X} at byte "
                                         f"offset {offset}")]) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter the header line uses most (outside quotes); commas by default."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in ("\n", "\r"):
            break
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.replace("\ufeff", "").strip().casefold())


def _records(text: str, delimiter: str) -> tuple[list[tuple[int, list[str]]], Issue | None]:
    """``(start line, cells)`` of every non-blank record; an issue when the last quoted cell
    is never closed (the csv module would silently swallow the rest of the file)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if any(c.strip() for c in cells):
                out.append((start, cells))
    except csv.Error as exc:
        raise CsvError(f"the CSV file cannot be read at line {reader.line_num}: {exc}",
                       [ErrorDetail(f"line {reader.line_num}", str(exc))]) from None
    if out:
        start = out[-1][0]
        tail = _LINE_BREAK.split(text, maxsplit=start - 1)[-1]
        if tail.count('"') % 2:
            out.pop()
            return out, Issue(start, None, "a quoted cell starting on this line is never "
                                           "closed (missing '\"')")
    return out, None


# rows ------------------------------------------------------------------------------------
def _int(value: str, column: str, low: int, high: int, errors: list[tuple[str, str]]) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        errors.append((column, f"{value!r} is not a whole number"))
        return 0
    if not low <= number <= high:
        errors.append((column, f"{number} is out of range; expected {low}-{high}"))
    return number


def _row(line: int, cells: dict[str, str], columns: list[str]) -> tuple[CsvRow | None,
                                                                        list[Issue]]:
    errors: list[tuple[str, str]] = []
    values = {k: v.strip() for k, v in cells.items() if k in COLUMNS and v.strip()}
    sku = values.get("sku", "")
    if not sku:
        errors.append(("sku", "required value is missing"))
    elif _CONTROL.search(sku):
        errors.append(("sku", "must not contain control characters (tabs, line breaks)"))
    for column, limit in TEXT_LIMITS.items():
        if len(values.get(column, "")) > limit:
            errors.append((column, f"too long ({len(values[column])} characters); "
                                   f"expected at most {limit}"))
    has_prompt, has_manifest = "prompt" in values, "manifest" in values
    if has_prompt and has_manifest:
        errors.append(("manifest", "give either prompt or manifest, not both"))
    elif not has_prompt and not has_manifest:
        column = "prompt" if "prompt" in columns else "manifest"
        errors.append((column, "required value is missing: give a prompt or a manifest"))
    row = CsvRow(line=line, sku=sku)
    for column in ("prompt", "manifest", "name", "template", "preset", "color", "material",
                   "brand", "reference_image"):
        setattr(row, column, values.get(column))
    if "seed" in values:
        row.seed = _int(values["seed"], "seed", 0, SEED_MAX, errors)
    if "variants" in values:
        row.variants = _int(values["variants"], "variants", 1, MAX_VARIANTS, errors)
    for column in ("width", "height"):
        if column in values:
            setattr(row, column, _int(values[column], column, *SIZE_RANGE, errors))
    issues = [Issue(line, c, m, sku=sku or None) for c, m in errors]
    return (None if issues else row), issues


def _header(line: int, cells: list[str]) -> tuple[list[str], list[Issue]]:
    names = [normalise_header(c) for c in cells]
    issues: list[Issue] = []
    seen: set[str] = set()
    for index, (raw, name) in enumerate(zip(cells, names, strict=True)):
        if not name:
            issues.append(Issue(line, f"#{index + 1}", "column has no name; its values are "
                                                      "ignored", "warning"))
        elif name in seen:
            issues.append(Issue(line, name, "column appears twice"))
        elif name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else \
                f"known columns: {', '.join(COLUMNS)}"
            issues.append(Issue(line, raw.strip(), f"unknown column {raw.strip()!r} is "
                                                   f"ignored; {hint}", "warning"))
        seen.add(name)
    if "sku" not in names:
        issues.append(Issue(line, "sku", "required column is missing"))
    if "prompt" not in names and "manifest" not in names:
        issues.append(Issue(line, "prompt", "required column is missing: give a prompt or a "
                                            "manifest column"))
    return names, issues


def parse_csv(data: bytes | str, max_rows: int = 100_000) -> ParsedCsv:
    """Parse and check a catalogue CSV. File-level problems (encoding) raise ``CsvError``;
    header and row problems are returned as issues, and only sound rows are kept."""
    text = decode_csv(data) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    delimiter = sniff_delimiter(text)
    records, unclosed = _records(text, delimiter)
    if not records:
        raise CsvError("the CSV file is empty", [ErrorDetail("line 1", "expected a header row")])
    (header_line, header_cells), body = records[0], records[1:]
    columns, issues = _header(header_line, header_cells)
    parsed = ParsedCsv(columns=columns, delimiter=delimiter, issues=issues, data_rows=len(body))
    if len(body) > max_rows:
        raise CsvError(f"the CSV file has {len(body)} rows; at most {max_rows} are accepted",
                       [ErrorDetail(f"line {body[max_rows][0]}", "too many rows")])
    if any(i.level == "error" for i in issues):
        return parsed  # without a usable header no row can be read
    first_line: dict[str, int] = {}
    for line, cells in body:
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            parsed.issues.append(Issue(line, None, f"row has {len(cells)} cells but the header "
                                                   f"has {len(columns)}"))
            continue
        row, row_issues = _row(line, dict(zip(columns, cells, strict=False)), columns)
        parsed.issues.extend(row_issues)
        if row is None:
            continue
        if row.sku in first_line:
            parsed.issues.append(Issue(line, "sku", f"SKU {row.sku!r} is also on row "
                                                    f"{first_line[row.sku]}", "warning", row.sku))
        first_line.setdefault(row.sku, line)
        parsed.rows.append(row)
    if unclosed is not None:
        parsed.issues.append(unclosed)
        parsed.data_rows += 1
    return parsed
