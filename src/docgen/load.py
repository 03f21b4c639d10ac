"""Read YAML and CSV data files, keeping the line and column of every value.

Why: every error docgen reports must point at the exact place in the user's file, so the
loader keeps ruamel's round-trip nodes and refuses YAML features that make a file mean
something other than what it shows (tags, aliases, version directives, duplicate keys).
"""

from __future__ import annotations

import ast
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
from ruamel.yaml.reader import ReaderError

from .errors import InputError, Problem
from .i18n import N_, _, ngettext
from .outputs import os_reason

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
    """UTF-8, UTF-8 (BOM) or GB18030 (what Chinese Excel writes for 'CSV (逗号分隔)'), or Excel (.xlsx);
    a label, kept in English in the data set (the labels that are words are marked for translation
    below: whoever shows one translates it with _())"""
    where: str = ""
    """how errors name the file: its path, or for a workbook its path and sheet (tickets.xlsx[工单])"""


UTF8_BOM = N_("UTF-8 (BOM)")
EXCEL = N_("Excel (.xlsx)")


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
                return text, UTF8_BOM if raw.startswith(b"\xef\xbb\xbf") else "UTF-8"
            return raw.decode(encoding), encoding.upper()
        except UnicodeDecodeError as e:
            first = first or e
    assert first is not None
    line = raw.count(b"\n", 0, first.start) + 1
    col = first.start - (raw.rfind(b"\n", 0, first.start) + 1) + 1
    names = [e.upper() for e in encodings]
    if len(names) > 1:
        msg = _("is not {first} nor {second} (byte 0x{byte:02X}); save the file as UTF-8 (Excel: 'CSV UTF-8')").format(
            first=" / ".join(names[:-1]), second=names[-1], byte=raw[first.start])
    else:
        msg = _("is not {encoding} (byte 0x{byte:02X}); save the file as UTF-8").format(
            encoding=names[0], byte=raw[first.start])
    raise InputError([Problem(display, line, col, "", msg)]) from None


def _read_bytes(path: Path, display: str, limit: int) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError([Problem(display, None, None, "", _("file not found"))]) from None
    except OSError as e:
        raise InputError([Problem(display, None, None, "",
                                  _("cannot be read ({reason})").format(reason=os_reason(e)))]) from None
    if path.is_dir():
        raise InputError([Problem(display, None, None, "",
                                  _("is a folder, not a file; it should be a file of that name"))])
    if size > limit:
        raise InputError([Problem(display, None, None, "",
                                  _("file is {size} bytes, over the limit of {limit}").format(size=size, limit=limit))])
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError([Problem(display, None, None, "",
                                  _("cannot be read ({reason})").format(reason=os_reason(e)))]) from None


MAX_DEPTH = 64


def _mark(mark: Any) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


# what a Chinese keyboard slips into a YAML file, and the YAML error it would otherwise give at
# some other place (the line after, or "expected a mapping"); the names are messages: show them
# with _(name)
INVISIBLE = {"\u200b": N_("zero-width space U+200B"), "\u200c": N_("zero-width non-joiner U+200C"),
             "\u200d": N_("zero-width joiner U+200D"), "\u2060": N_("word joiner U+2060"),
             "\ufeff": N_("zero-width no-break space U+FEFF"), "\u00a0": N_("no-break space U+00A0")}

_KEY = r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*)"
_WIDE_COLON = re.compile(_KEY + r"[ \t]*：")
_WIDE_SPACE_AFTER = re.compile(_KEY + r":\u3000")
_WIDE_INDENT = re.compile(r"^[ \t\u3000-]*\u3000")
_FLOW = re.compile(r":\s*\[([^\]#]*)\]")


def _invisible_on_line(line: str, number: int, display: str) -> list[Problem]:
    problems = []
    for char, name in INVISIBLE.items():
        at = line.find(char)
        if at >= 0 and not (number == 1 and at == 0 and char == "\ufeff"):
            problems.append(Problem(display, number, at + 1, "",
                                    _("invisible character: {name} (column {col}); delete it (it often comes "
                                      "with text copied from a web page or a chat app)").format(
                                        name=_(name), col=at + 1)))
    return problems


def screen_text(text: str, display: str) -> list[Problem]:
    """Problems a Chinese keyboard causes, at the character itself: a full-width colon after a
    key, a full-width space in the indentation or after a colon, a full-width comma between
    list items, invisible characters."""
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        problems += _invisible_on_line(line, number, display)
        if line.lstrip().startswith("#"):
            continue
        found = _WIDE_COLON.match(line)
        if found:
            col = line.index("：", found.end(2)) + 1
            problems.append(Problem(display, number, col, found.group(2),
                                    _("full-width colon '：' (column {col}): after the key {key} write a half-width "
                                      "colon ':' and a space").format(col=col, key=found.group(2))))
            continue
        found = _WIDE_SPACE_AFTER.match(line)
        if found:
            col = found.end()
            problems.append(Problem(display, number, col, found.group(2),
                                    _("full-width space (column {col}): after the colon write a half-width "
                                      "space").format(col=col)))
            continue
        if _WIDE_INDENT.match(line):
            col = line.index("\u3000") + 1
            problems.append(Problem(display, number, col, "",
                                    _("full-width space (column {col}) in the indentation; indent with half-width "
                                      "spaces only").format(col=col)))
            continue
        flow = _FLOW.search(line)
        at = _outside_quotes(flow.group(1), "，") if flow else -1
        if flow and at >= 0:
            col = flow.start(1) + at + 1
            problems.append(Problem(display, number, col, "",
                                    _("full-width comma '，' (column {col}) between list items; in a list [ ] "
                                      "separate the items with half-width commas ','").format(col=col)))
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
                                        _("nested more than {depth} levels deep; no docgen file needs that "
                                          "many").format(depth=MAX_DEPTH)))
                break
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        if isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                problems.append(Problem(display, line, col, "", _("only one YAML document per file is allowed")))
            if getattr(event, "version", None):
                problems.append(Problem(display, line, col, "",
                                        _("version directive not allowed (%YAML); remove it")))
        elif isinstance(event, AliasEvent):
            problems.append(Problem(display, line, col, "",
                                    _("aliases not allowed (*{anchor}); write the value out").format(
                                        anchor=event.anchor)))
            if len(problems) > 50:
                break
        elif isinstance(event, (ScalarEvent, CollectionStartEvent)):
            if event.anchor:
                problems.append(Problem(display, line, col, "", _("anchors not allowed (&{anchor})").format(
                    anchor=event.anchor)))
            tag = event.tag
            tag_text = getattr(tag, "value", tag)
            if tag_text and not (isinstance(event, ScalarEvent) and tag_text == "!" ):
                problems.append(Problem(display, line, col, "",
                                        _("tags not allowed ({tag}); remove it").format(tag=tag_text)))
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
        raise InputError([Problem(display, 1, 1, "", _("file is empty"))])
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
        msg = _("duplicate key {key}; first defined at line {first}").format(key=repr(key), first=first)
        raise InputError([Problem(display, line, col, "", msg)]) from None
    except MarkedYAMLError as e:
        typed = screen_text(text, display)  # YAML points past a full-width colon: name the character
        if typed:
            raise InputError(typed) from None
        line, col = _mark(e.problem_mark or e.context_mark)
        raise InputError([Problem(display, line, col, "", syntax_message(e, text))]) from None
    except ReaderError as e:  # a character YAML does not allow in a file (a control character)
        typed = screen_text(text, display)
        if typed:
            raise InputError(typed) from None
        at = e.position if isinstance(e.position, int) and 0 <= e.position <= len(text) else 0
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        code = f"U+{e.character:04X}" if isinstance(e.character, int) else "?"
        msg = _("the character {code} (column {col}) is not allowed in a YAML file; remove it (it often comes "
                "with text copied from another program)").format(code=code, col=col)
        raise InputError([Problem(display, line, col, "", msg)]) from None
    except RecursionError:
        raise InputError([Problem(display, 1, 1, "",
                                  _("nested too deeply to read (more than {depth} levels)").format(
                                      depth=MAX_DEPTH))]) from None
    if not isinstance(data, CommentedMap):
        typed = screen_text(text, display)
        if typed:
            raise InputError(typed)
        if isinstance(data, CommentedSeq):
            msg = _("expected a mapping at the top of the file, found a list")
        else:
            msg = _("expected a mapping at the top of the file, found a single value")
        raise InputError([Problem(display, 1, 1, "", msg)])
    return data


def _char_at(text: str, mark: Any) -> str:
    """The character at a ruamel mark ("" past the end)."""
    if mark is None:
        return ""
    lines = text.splitlines()
    if not 0 <= mark.line < len(lines) or not 0 <= mark.column < len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _shown(found: str) -> str:
    """A character ruamel names with repr() ("'\\t'"), as the character itself."""
    try:
        value = ast.literal_eval(found)
    except (ValueError, SyntaxError):
        return found
    return value if isinstance(value, str) else found


_BRACKETS = {"[": "]", "{": "}"}


def syntax_message(e: MarkedYAMLError, text: str) -> str:
    """The message for a YAML syntax error, in the reader's language: what is wrong and what to
    write instead for the mistakes people make; for the rare ones, a general message with the
    parser's own words in brackets."""
    context, problem = e.context or "", e.problem or ""
    col = e.problem_mark.column + 1 if e.problem_mark is not None else 1
    opened = e.context_mark
    opened_line, opened_col = _mark(opened)
    if problem == "could not find expected ':'":
        return _("YAML syntax error: line {line} has no colon ':'; write it as key: value (a half-width colon "
                 "and a space), or indent it if it continues the value above").format(line=opened_line or "?")
    if problem == "mapping values are not allowed here":
        return _("YAML syntax error: a colon ':' cannot be here (column {col}); put a value that contains ': ' "
                 "in quotes, or check this line's indentation and that the line above has a space after its "
                 "colon").format(col=col)
    if problem == "sequence entries are not allowed here":
        return _("YAML syntax error: a list item '- ' cannot start here (column {col}); write each item on a "
                 "line of its own below its key, or put the value in quotes if it is text").format(col=col)
    found = re.fullmatch(r"found character (.+) that cannot start any token", problem)
    if found:
        char = _shown(found.group(1))
        if char == "\t":
            return _("YAML syntax error: a tab character (column {col}); YAML does not allow tabs here, "
                     "indent and separate with spaces").format(col=col)
        return _("YAML syntax error: a value cannot start with {char} (column {col}); put the value in "
                 "quotes").format(char=char, col=col)
    if problem.startswith("expected alphabetic or numeric character") and context in (
            "while scanning an anchor", "while scanning an alias"):
        return _("YAML syntax error: a value cannot start with {char} (column {col}); put the value in "
                 "quotes").format(char=_char_at(text, opened) or ("&" if "anchor" in context else "*"),
                                  col=opened_col or col)
    found = re.fullmatch(r"found undefined alias (.+)", problem)
    if found:
        return _("aliases not allowed (*{anchor}); write the value out").format(anchor=_shown(found.group(1)))
    found = re.match(r"found duplicate anchor (.+?)(;|$)", problem)
    if found:
        return _("anchors not allowed (&{anchor})").format(anchor=_shown(found.group(1)))
    found = re.fullmatch(r"expected <block end>, but found (.+)", problem)
    if found or problem in ("did not find expected key", "did not find expected '-' indicator"):
        token = _shown(found.group(1)) if found else ("-" if problem.endswith("key") else "?")
        if token in ("<block mapping start>", "<block sequence start>"):
            return _("YAML syntax error: this line is indented differently from the lines above it; the keys "
                     "of one level must start in the same column")
        if token == "-":
            return _("YAML syntax error: a list item '- ' where a key was expected; indent the list below "
                     "the key it belongs to")
        if token == "?":
            return _("YAML syntax error: a key where a list item '- ' was expected; start every item of the "
                     "list with '- ', all in the same column")
        if token == "<scalar>":
            return _("YAML syntax error: more text after the value on this line; if the value contains quotes "
                     "or ': ', put all of it in quotes (inside '…' write ' as '')")
    if context == "while scanning a quoted scalar" and problem in (
            "found unexpected end of stream", "found unexpected document separator"):
        quote = _char_at(text, opened) or '"'
        return _("YAML syntax error: the quote {quote} opened at line {line}, column {col} is never closed; "
                 "add the closing {quote}").format(quote=quote, line=opened_line, col=opened_col)
    if problem == "found unexpected end of stream":
        return _("YAML syntax error: the file ends in the middle of a value; look for a quote or a bracket "
                 "that is not closed")
    if context in ("while parsing a flow sequence", "while parsing a flow mapping") and problem.startswith(
            "expected ','"):
        bracket = _char_at(text, opened) or ("[" if "sequence" in context else "{")
        return _("YAML syntax error: the {open} opened at line {line}, column {col} is not closed with "
                 "{close}, or a comma ',' is missing between its items").format(
                     open=bracket, close=_BRACKETS.get(bracket, "]"), line=opened_line, col=opened_col)
    if problem.startswith("invalid intendation or unclosed"):
        return _("YAML syntax error: a bracket [ or { is not closed, or this line is indented wrongly")
    if context == "while parsing a flow node" and problem == "expected the node content, but found ','":
        return _("YAML syntax error: an empty item in the list (two commas in a row, or a comma right after "
                 "the bracket); remove the extra comma")
    found = re.fullmatch(r"found unknown escape character (.+)", problem)
    if found:
        return _("YAML syntax error: \\{char} in double quotes is not a valid escape; put the value in single "
                 "quotes '…' instead, or write a backslash as \\\\").format(char=_shown(found.group(1)))
    if problem.startswith("expected a mapping or list of mappings for merging"):
        return _("YAML syntax error: merge keys (<<) are not allowed; write the keys out")
    if problem.startswith("maximum depth of data structure exceeded"):
        return _("nested too deeply to read (more than {depth} levels)").format(depth=MAX_DEPTH)
    detail = " ".join(s for s in (context, problem) if s) or type(e).__name__
    return _("YAML syntax error: cannot read this ({detail})").format(detail=detail)


def load_csv(path: Path, display: str | None = None) -> CsvTable:
    """Load a CSV export (header row; UTF-8 with or without BOM, or GB18030 as Chinese Excel
    saves it) and keep each row's line number."""
    display = display or str(path)
    text, encoding = _decoded(_read_bytes(path, display, MAX_CSV_BYTES), display, ("utf-8", "gb18030"))
    if not text.strip():
        raise InputError([Problem(display, 1, 1, "", _("file is empty; expected a header row"))])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
        rows: list[CsvRow] = []
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise InputError([Problem(display, reader.line_num, 1, "", ngettext(
                    "row has {cells} cell, the header has {header}", "row has {cells} cells, the header has {header}",
                    len(cells)).format(cells=len(cells), header=len(header)))])
            rows.append(CsvRow(reader.line_num, dict(zip(header, cells, strict=True))))
    except csv.Error as e:
        raise InputError([Problem(display, reader.line_num, 1, "", _csv_message(str(e)))]) from None
    return CsvTable(header, rows, encoding)


def _csv_message(text: str) -> str:
    """The message for a row Python's CSV reader cannot read (its `text` is English)."""
    limit = re.fullmatch(r"field larger than field limit \((\d+)\)", text)
    if limit:
        return _('CSV syntax error: a value is longer than {limit} characters; a double quote " is probably not '
                 "closed").format(limit=limit.group(1))
    return _("CSV syntax error: cannot read this row ({detail})").format(detail=text)


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
                                  _("not an Excel workbook (.xlsx) docgen can read ({error}); save it again in Excel "
                                    "as 'Excel Workbook (*.xlsx)', or as 'CSV UTF-8 (Comma delimited)'").format(
                                        error=type(e).__name__))]) from None
    try:
        if not book.worksheets:
            raise InputError([Problem(display, None, None, "", _("the workbook has no sheet"))])
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
            raise InputError([Problem(where, 1, 1, "", _("the first sheet is empty; expected a header row in row 1"))])
        out: list[CsvRow] = []
        for number, cells in enumerate(rows, start=2):
            values = [text(v) for v in cells]
            if not any(v.strip() for v in values):
                continue
            extra = [i for i, v in enumerate(values[len(header):], start=len(header) + 1) if v.strip()]
            if extra:
                raise InputError([Problem(where, number, extra[0], "",
                                          _("a value in a column without a header; give the column a name in row 1 "
                                            "or clear the cell"))])
            values += [""] * (len(header) - len(values))
            out.append(CsvRow(number, dict(zip(header, values[:len(header)], strict=True))))
    finally:
        book.close()
    return CsvTable(header, out, EXCEL, where)


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
