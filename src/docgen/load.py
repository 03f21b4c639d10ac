"""Read YAML and CSV data files, keeping the line and column of every value.

Why: every error docgen reports must point at the exact place in the user's file, so the
loader keeps ruamel's round-trip nodes and refuses YAML features that make a file mean
something other than what it shows (tags, aliases, version directives, duplicate keys).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, DocumentStartEvent, ScalarEvent

from .errors import InputError, Problem

MAX_YAML_BYTES = 20 * 1024 * 1024
MAX_CSV_BYTES = 500 * 1024 * 1024


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that keeps dates as text and reads decimals exactly."""


def _construct_text(self: RoundTripConstructor, node: Any) -> Any:
    return self.construct_scalar(node)


class ExponentDecimal(Decimal):
    """A number written with an exponent (1.4e5): exact, but refused where an amount belongs."""


def _construct_decimal(self: RoundTripConstructor, node: Any) -> Any:
    text = str(self.construct_scalar(node)).replace("_", "")
    if "e" in text.lower() and "inf" not in text.lower() and "nan" not in text.lower():
        try:
            return ExponentDecimal(text)
        except InvalidOperation:
            pass
    try:
        value = Decimal(text)
    except InvalidOperation:
        return float("nan") if "nan" in text.lower() else float(text.replace(".inf", "inf").replace(".Inf", "inf"))
    return value if value.is_finite() else float(value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)
_Constructor.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


@dataclass(frozen=True)
class CsvRow:
    """One data row of a CSV file, with the file line it ends on."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class CsvTable:
    header: list[str]
    rows: list[CsvRow]
    encoding: str = "UTF-8"
    """UTF-8, UTF-8 (BOM) or GB18030 (what Chinese Excel writes for 'CSV (逗号分隔)'), or Excel (.xlsx)"""
    where: str = ""
    """how errors name the file: its path, or for a workbook its path and sheet (tickets.xlsx[工单])"""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


def _read_text(path: Path, display: str, limit: int) -> str:
    raw = _read_bytes(path, display, limit)
    return _decoded(raw, display, ("utf-8",))[0]


def _decoded(raw: bytes, display: str, encodings: tuple[str, ...]) -> tuple[str, str]:
    """`raw` decoded with the first of `encodings` that reads it whole, and that encoding's name."""
    first: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            if encoding == "utf-8":
                text = raw.decode("utf-8-sig")
                return text, "UTF-8 (BOM)" if raw.startswith(b"\xef\xbb\xbf") else "UTF-8"
            return raw.decode(encoding), encoding.upper()
        except UnicodeDecodeError as e:
            first = first or e
    assert first is not None
    line = raw.count(b"\n", 0, first.start) + 1
    col = first.start - (raw.rfind(b"\n", 0, first.start) + 1) + 1
    names = " nor ".join(e.upper() for e in encodings)
    msg = (f"is not {names} (byte 0x{raw[first.start]:02X}); save the file as UTF-8"
           + (" (Excel: 'CSV UTF-8')" if len(encodings) > 1 else ""))
    raise InputError([Problem(display, line, col, "", msg)]) from None


def _read_bytes(path: Path, display: str, limit: int) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError([Problem(display, None, None, "", "file not found")]) from None
    except OSError as e:
        raise InputError([Problem(display, None, None, "", f"cannot be read ({e.strerror})")]) from None
    if path.is_dir():
        raise InputError([Problem(display, None, None, "",
                                  "is a folder, not a file; it should be a file of that name")])
    if size > limit:
        raise InputError([Problem(display, None, None, "", f"file is {size} bytes, over the limit of {limit}")])
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError([Problem(display, None, None, "", f"cannot be read ({e.strerror})")]) from None


MAX_DEPTH = 64


def _mark(mark: Any) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


# what a Chinese keyboard slips into a YAML file, and the YAML error it would otherwise give at
# some other place (the line after, or "expected a mapping")
INVISIBLE = {"\u200b": "零宽空格 U+200B", "\u200c": "零宽非连接符 U+200C", "\u200d": "零宽连接符 U+200D",
             "\u2060": "字连接符 U+2060", "\ufeff": "零宽不换行空格 U+FEFF", "\u00a0": "不换行空格 U+00A0"}
_KEY = r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*)"
_WIDE_COLON = re.compile(_KEY + r"[ \t]*：")
_WIDE_SPACE_AFTER = re.compile(_KEY + r":\u3000")
_WIDE_INDENT = re.compile(r"^[ \t\u3000-]*\u3000")
_FLOW = re.compile(r":\s*\[([^\]#]*)\]")


def screen_text(text: str, display: str) -> list[Problem]:
    """Problems a Chinese keyboard causes, at the character itself: a full-width colon after a
    key, a full-width space in the indentation or after a colon, a full-width comma between
    list items, invisible characters."""
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for char, name in INVISIBLE.items():
            at = line.find(char)
            if at >= 0 and not (number == 1 and at == 0 and char == "\ufeff"):
                problems.append(Problem(display, number, at + 1, "",
                                        f"看不见的字符：{name}（第 {at + 1} 列）；删除它"
                                        "（常见于从网页或聊天软件复制的文字）"))
        if line.lstrip().startswith("#"):
            continue
        found = _WIDE_COLON.match(line)
        if found:
            col = line.index("：", found.end(2)) + 1
            problems.append(Problem(display, number, col, found.group(2),
                                    f"全角冒号“：”（第 {col} 列）：键 {found.group(2)} 后应为半角冒号“:”再加一个空格"))
            continue
        found = _WIDE_SPACE_AFTER.match(line)
        if found:
            col = found.end()
            problems.append(Problem(display, number, col, found.group(2),
                                    f"全角空格（第 {col} 列）：冒号后应为半角空格"))
            continue
        if _WIDE_INDENT.match(line):
            col = line.index("\u3000") + 1
            problems.append(Problem(display, number, col, "",
                                    f"全角空格（第 {col} 列）在缩进中；缩进只能用半角空格"))
            continue
        flow = _FLOW.search(line)
        at = _outside_quotes(flow.group(1), "，") if flow else -1
        if flow and at >= 0:
            col = flow.start(1) + at + 1
            problems.append(Problem(display, number, col, "",
                                    f"全角逗号“，”（第 {col} 列）分隔了列表项；列表 [ ] 中应用半角逗号“,”"))
    return problems


def _outside_quotes(text: str, char: str) -> int:
    """Where `char` first occurs in `text` outside '…' and "…", or -1."""
    quote = ""
    for i, c in enumerate(text):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == char:
            return i
    return -1


def _screen_events(yaml: YAML, text: str, display: str) -> list[Problem]:
    """Refuse version directives, tags and aliases before anything is constructed."""
    problems: list[Problem] = []
    documents = 0
    depth = 0
    for event in yaml.parse(io.StringIO(text)):
        line, col = _mark(event.start_mark)
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                problems.append(Problem(display, line, col, "",
                                        f"nested more than {MAX_DEPTH} levels deep; no docgen file needs that many"))
                break
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        if isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                problems.append(Problem(display, line, col, "", "only one YAML document per file is allowed"))
            if getattr(event, "version", None):
                problems.append(Problem(display, line, col, "", "version directive not allowed (%YAML); remove it"))
        elif isinstance(event, AliasEvent):
            problems.append(Problem(display, line, col, "",
                                    f"aliases not allowed (*{event.anchor}); write the value out"))
            if len(problems) > 50:
                break
        elif isinstance(event, (ScalarEvent, CollectionStartEvent)):
            if event.anchor:
                problems.append(Problem(display, line, col, "", f"anchors not allowed (&{event.anchor})"))
            tag = event.tag
            tag_text = getattr(tag, "value", tag)
            if tag_text and not (isinstance(event, ScalarEvent) and tag_text == "!" ):
                problems.append(Problem(display, line, col, "", f"tags not allowed ({tag_text}); remove it"))
    return problems


def _first_key_line(text: str, key: str, start: int, dup_line: int, col: int) -> int:
    """Line of the first `key:` at the same indentation as the duplicate, after `start`."""
    lines = text.splitlines()
    for i in range(start, dup_line - 1):
        line = lines[i]
        if line[col - 1:].startswith((f"{key}:", f'"{key}":', f"'{key}':")) and not line[: col - 1].strip(" -"):
            return i + 1
    return start + 1


def load_yaml(path: Path, display: str | None = None) -> CommentedMap:
    """Load one YAML data file into a positioned mapping, or raise InputError."""
    display = display or str(path)
    text = _read_text(path, display, MAX_YAML_BYTES)
    if not text.strip():
        raise InputError([Problem(display, 1, 1, "", "file is empty")])
    yaml = _yaml()
    try:
        problems = _screen_events(yaml, text, display)
        if problems:
            raise InputError(problems)
        data = _yaml().load(text)
    except DuplicateKeyError as e:
        line, col = _mark(e.problem_mark)
        key = str(e.problem).split('"')[1] if '"' in str(e.problem) else ""
        first = _first_key_line(text, key, e.context_mark.line if e.context_mark else 0, line or 1, col or 1)
        msg = f"duplicate key {key!r}; first defined at line {first}"
        raise InputError([Problem(display, line, col, "", msg)]) from None
    except MarkedYAMLError as e:
        typed = screen_text(text, display)  # YAML points past a full-width colon: name the character
        if typed:
            raise InputError(typed) from None
        line, col = _mark(e.problem_mark or e.context_mark)
        msg = " ".join(s for s in (e.context, e.problem) if s) or "YAML syntax error"
        raise InputError([Problem(display, line, col, "", f"YAML syntax error: {msg}")]) from None
    except RecursionError:
        raise InputError([Problem(display, 1, 1, "",
                                  f"nested too deeply to read (more than {MAX_DEPTH} levels)")]) from None
    if not isinstance(data, CommentedMap):
        typed = screen_text(text, display)
        if typed:
            raise InputError(typed)
        kind = "a list" if isinstance(data, CommentedSeq) else "a single value"
        raise InputError([Problem(display, 1, 1, "", f"expected a mapping at the top of the file, found {kind}")])
    return data


def load_csv(path: Path, display: str | None = None) -> CsvTable:
    """Load a CSV export (header row; UTF-8 with or without BOM, or GB18030 as Chinese Excel
    saves it) and keep each row's line number."""
    display = display or str(path)
    text, encoding = _decoded(_read_bytes(path, display, MAX_CSV_BYTES), display, ("utf-8", "gb18030"))
    if not text.strip():
        raise InputError([Problem(display, 1, 1, "", "file is empty; expected a header row")])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
        rows: list[CsvRow] = []
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise InputError([Problem(display, reader.line_num, 1, "",
                                          f"row has {len(cells)} cells, the header has {len(header)}")])
            rows.append(CsvRow(reader.line_num, dict(zip(header, cells, strict=True))))
    except csv.Error as e:
        raise InputError([Problem(display, reader.line_num, 1, "", f"CSV syntax error: {e}")]) from None
    return CsvTable(header, rows, encoding)


def load_xlsx(path: Path, display: str | None = None) -> CsvTable:
    """Load the first sheet of an Excel workbook (.xlsx) like a CSV export: the header in row 1,
    a record per row, each with its row number as its line.

    Cells become the text a CSV export would hold: a date or time cell "2026-11-02 11:05" (with
    seconds only when it has some), a whole number without ".0", other numbers as Excel shows
    them at full precision. Why openpyxl: it reads the cell types (an Excel date is a number with
    a date format, which only the workbook's styles tell apart), and it is the maintained
    pure-Python reader and writer of the format.
    """
    import zipfile
    from datetime import date, datetime, time

    display = display or str(path)
    raw = _read_bytes(path, display, MAX_CSV_BYTES)
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise InputError([Problem(display, None, None, "",
                                  f"not an Excel workbook (.xlsx) docgen can read ({type(e).__name__}); save it "
                                  "again in Excel as 'Excel 工作簿 (*.xlsx)', or as 'CSV UTF-8 (逗号分隔)'")]) from None
    try:
        if not book.worksheets:
            raise InputError([Problem(display, None, None, "", "the workbook has no sheet")])
        sheet = book.worksheets[0]
        where = f"{display}[{sheet.title}]"

        def text(value: object) -> str:
            if value is None:
                return ""
            if isinstance(value, datetime):
                return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, time):
                return value.strftime("%H:%M:%S" if value.second else "%H:%M")
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, float):
                return str(int(value)) if value.is_integer() else format(value, ".15g")
            return str(value)

        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        header = [text(v).strip() for v in (first or ())]
        while header and not header[-1]:
            header.pop()
        if not header:
            raise InputError([Problem(where, 1, 1, "", "the first sheet is empty; expected a header row in row 1")])
        out: list[CsvRow] = []
        for number, cells in enumerate(rows, start=2):
            values = [text(v) for v in cells]
            if not any(v.strip() for v in values):
                continue
            extra = [i for i, v in enumerate(values[len(header):], start=len(header) + 1) if v.strip()]
            if extra:
                raise InputError([Problem(where, number, extra[0], "",
                                          "a value in a column without a header; give the column a name in row 1 "
                                          "or clear the cell")])
            values += [""] * (len(header) - len(values))
            out.append(CsvRow(number, dict(zip(header, values[:len(header)], strict=True))))
    finally:
        book.close()
    return CsvTable(header, out, "Excel (.xlsx)", where)


def node_position(node: Any, loc: tuple[Any, ...], *, point_at_key: bool = False) -> tuple[int, int, tuple[Any, ...]]:
    """Find the 1-based line and column of the value at `loc` inside a ruamel tree.

    Returns the deepest existing position and the part of `loc` that exists in the data,
    so a missing key is reported at its parent's position.
    """
    line, col = 1, 1
    if isinstance(node, (CommentedMap, CommentedSeq)) and node.lc.line is not None:
        line, col = node.lc.line + 1, node.lc.col + 1
    walked: list[Any] = []
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
            pos = node.lc.key(part) if (last and point_at_key) else node.lc.value(part)
            if pos is None or pos[0] is None:
                pos = node.lc.key(part)
            line, col = pos[0] + 1, pos[1] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            pos = node.lc.item(part)
            line, col = pos[0] + 1, pos[1] + 1
            node = node[part]
        else:
            if last and isinstance(part, str):
                walked.append(part)
            break
        walked.append(part)
    return line, col, tuple(walked)
