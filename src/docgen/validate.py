"""Turn the data folder into a validated Dataset, reporting every problem in one pass."""

from __future__ import annotations

import contextlib
import difflib
import functools
import os
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import models as m
from .errors import DocgenError, InputError, Problem
from .i18n import N_, _, ngettext
from .load import INVISIBLE, CsvRow, CsvTable, load_csv, load_xlsx, load_yaml, node_position


@dataclass(frozen=True)
class Source:
    """One data file: its top-level key, file name and record model."""

    kind: str
    filename: str
    model: type[BaseModel]
    many: bool = True
    required: bool = True

    @property
    def is_csv(self) -> bool:
        return self.filename.endswith(".csv")


SOURCES: tuple[Source, ...] = (
    Source("client", "client.yaml", m.Client, many=False),
    Source("policy", "policy.yaml", m.Policy, many=False),
    Source("vendors", "vendors.yaml", m.Vendor),
    Source("agreements", "agreements.yaml", m.Agreement),
    Source("staff", "staff.yaml", m.StaffMember),
    Source("leave", "leave.yaml", m.LeaveRequest),
    Source("changes", "changes.yaml", m.PersonnelChange),
    Source("tickets", "tickets.csv", m.Ticket),
    Source("attendance", "attendance.csv", m.AttendanceEvent),
    Source("bundles", "bundles.yaml", m.BundleSpec, required=False),
    Source("reviews", "reviews.yaml", m.IncidentReview, required=False),
    Source("improvements", "improvements.yaml", m.ImprovementAction, required=False),
)


@dataclass(frozen=True)
class Record:
    """A validated record with the place it came from."""

    model: Any
    file: str
    node: CommentedMap | CsvRow
    header: tuple[str, ...] = ()

    def where(self, field: str) -> tuple[int, int]:
        if isinstance(self.node, CsvRow):
            col = self.header.index(field) + 1 if field in self.header else 1
            return self.node.line, col
        line, col, _walked = node_position(self.node, (field,))
        return line, col


def _all_field_names() -> set[str]:
    names: set[str] = set()
    for obj in vars(m).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            names.update(obj.model_fields)
    return names


_FIELD_NAMES = _all_field_names()


def _list(items: Iterable[Any]) -> str:
    """Items as a reader lists them: "a, b, c" (in Chinese "a、b、c")."""
    out = ""
    for i, item in enumerate(items):
        # TRANSLATORS: adds one more item to a list of values, such as the allowed values of a field
        out = str(item) if i == 0 else _("{items}, {item}").format(items=out, item=item)
    return out


def _shown(value: Any) -> str:
    """A value as the data file wrote it: text quoted (so that spaces and invisible characters
    show), numbers and dates as they are, true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal, date)):
        return str(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:58] + "…" + text[0]


def _got(expected: str, value: Any) -> str:
    """What a field should hold and what it holds: "should be a whole number such as 3, got 'abc'"."""
    if value is None:
        return _("{expected}, but it is empty").format(expected=expected)
    if isinstance(value, (list, tuple)):
        return _("{expected}, got a list").format(expected=expected)
    if isinstance(value, dict):
        return _("{expected}, got a group of fields").format(expected=expected)
    return _("{expected}, got {value}").format(expected=expected, value=_shown(value))


@functools.cache
def _hints(model: type[BaseModel]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(model, include_extras=True)
    except Exception:  # noqa: BLE001 - a hint docgen cannot resolve only costs the amount wording
        return {}


def _mentions(hint: Any, target: Any) -> bool:
    return hint is target or hint == target or any(_mentions(arg, target) for arg in typing.get_args(hint))


def _number_kind(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> str:
    """"amount" for a field typed Money, "percent" for Percent, "" for any other."""
    hint: Any = None
    cls: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or part not in cls.model_fields:
            break
        hint = _hints(cls).get(part)
        cls = _inner_model(cls.model_fields[part].annotation)
    if hint is None:
        return ""
    return "amount" if _mentions(hint, m.Money) else "percent" if _mentions(hint, m.Percent) else ""


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((found for arg in typing.get_args(annotation) if (found := _inner_model(arg)) is not None), None)


# what a number should look like, by the kind of field: with and without a hint that says more
_NUMBER = {
    "amount": N_("should be an amount such as 120000.00, without thousands separators"),
    "percent": N_("should be a percentage written as a plain number such as 15, without %"),
    "": N_("should be a number such as 4 or 2.5"),
}
_NUMBER_HINTED = {
    "amount": N_("should be an amount such as 120000.00"),
    "percent": N_("should be a percentage such as 15"),
    "": N_("should be a number such as 4 or 2.5"),
}

# why a date or time could not be read, in the words of pydantic's date parser
_TIME_REASONS = {
    "input is too short": N_("it is incomplete"),
    "unexpected extra characters at the end of the input": N_("something follows it"),
    "invalid date separator, expected `-`": N_("separate year, month and day with '-'"),
    "invalid time separator, expected `:`": N_("separate hours and minutes with ':'"),
    "invalid datetime separator, expected `T`, `t`, `_` or space": N_("separate the date and the time with a space"),
    "invalid character in year": N_("the year is not a number"),
    "invalid character in month": N_("the month is not a number"),
    "invalid character in day": N_("the day is not a number"),
    "invalid character in hour": N_("the hour is not a number"),
    "invalid character in minute": N_("the minutes are not a number"),
    "invalid character in second": N_("the seconds are not a number"),
    "month value is outside expected range of 1-12": N_("the month must be 1 to 12"),
    "day value is outside expected range": N_("that month has no such day"),
    "hour value is outside expected range of 0-23": N_("the hour must be 0 to 23"),
    "minute value is outside expected range of 0-59": N_("the minutes must be 0 to 59"),
    "second value is outside expected range of 0-59": N_("the seconds must be 0 to 59"),
}
_TIMEZONE_REASON = N_("the time zone is not valid: write +08:00, or leave it out")
_CLOCK = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}[ Tt_](\d{1,2}):(\d{1,2})")

# the patterns of models.py, in words
_PATTERNS = {
    r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$": N_("should be an id of ASCII letters, digits, '-' and '_', starting with "
                                            "a letter or a digit, at most 64 characters"),
    r"^[A-Z0-9][A-Z0-9-]{2,40}$": N_("should be a contract number of capital letters, digits and '-', 3 to 41 "
                                     "characters, such as HX-2026-001"),
    r"^[0-9 ]{8,40}$": N_("should be an account number of 8 to 40 digits (spaces allowed)"),
}

_LITERAL_VALUE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s,]+")


def _allowed(expected: str) -> list[str]:
    """The values of pydantic's "'a', 'b' or 'c'", as they are written in the data."""
    import ast

    out = []
    for token in _LITERAL_VALUE.findall(expected):
        if token == "or":
            continue
        try:
            out.append(str(ast.literal_eval(token)))
        except (ValueError, SyntaxError):
            out.append(token)
    return out


def _time_reason(err: Any) -> str | None:
    """Why a date or time could not be read, in the reader's language (None when unknown)."""
    value = err.get("input")
    clock = _CLOCK.match(value) if isinstance(value, str) and err["type"].startswith("datetime") else None
    if clock and int(clock.group(1)) > 23:
        return _("the hour must be 0 to 23")
    if clock and int(clock.group(2)) > 59:
        return _("the minutes must be 0 to 59")
    reason = str((err.get("ctx") or {}).get("error", ""))
    if reason in _TIME_REASONS:
        return _(_TIME_REASONS[reason])
    if "timezone" in reason:
        return _(_TIMEZONE_REASON)
    return None


def _limit(err: Any, key: str) -> str:
    return _shown((err.get("ctx") or {}).get(key))


def _pydantic_message(err: Any, model: type[BaseModel] | None, hinted: bool) -> str:
    """docgen's own words for one of pydantic's errors, chosen by its type: pydantic's English text
    never reaches the reader."""
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    if kind in ("value_error", "assertion_error"):
        # docgen's own validators (models.py): their text, in the language it was raised in
        error = ctx.get("error")
        if error is not None:
            return str(error)
        msg: str = err["msg"]
        return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "string_type":
        if isinstance(value, (int, float, Decimal, bool, date)):
            return _("should be text, got {value} (put the value in quotes)").format(value=_shown(value))
        return _got(_("should be text"), value)
    if kind in ("bool_type", "bool_parsing"):
        return _got(_("should be true or false"), value)
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return _got(_("should be a whole number such as 3"), value)
    if kind in ("decimal_type", "decimal_parsing", "float_type", "float_parsing", "finite_number"):
        number = _number_kind(model, tuple(err["loc"]))
        return _got(_((_NUMBER_HINTED if hinted else _NUMBER)[number]), value)
    if kind == "decimal_max_places":
        places = int(ctx.get("decimal_places", 0))
        return _got(ngettext("should have at most {places} decimal place", "should have at most {places} decimal "
                             "places", places).format(places=places), value)
    if kind == "decimal_max_digits":
        digits = int(ctx.get("max_digits", 0))
        return _got(ngettext("should have at most {digits} digit in all", "should have at most {digits} digits in all",
                             digits).format(digits=digits), value)
    if kind == "decimal_whole_digits":
        digits = int(ctx.get("whole_digits", 0))
        return _got(ngettext("should have at most {digits} digit before the decimal point",
                             "should have at most {digits} digits before the decimal point",
                             digits).format(digits=digits), value)
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        reason = None if hinted or value is None else _time_reason(err)
        if reason is not None:
            return _("{value} is not a valid date: {reason}; write dates as YYYY-MM-DD, such as 2026-03-01").format(
                value=_shown(value), reason=reason)
        return _got(_("should be a date written YYYY-MM-DD, such as 2026-03-01"), value)
    if kind == "date_from_datetime_inexact":
        return _got(_("should be a date without a time, such as 2026-03-01"), value)
    if kind in ("datetime_type", "datetime_parsing", "datetime_from_date_parsing", "datetime_object_invalid"):
        reason = None if hinted or value is None else _time_reason(err)
        if reason is not None:
            return _("{value} is not a valid date and time: {reason}; write it as YYYY-MM-DD HH:MM, such as "
                     "2026-03-01 09:30").format(value=_shown(value), reason=reason)
        return _got(_("should be a date and time written YYYY-MM-DD HH:MM, such as 2026-03-01 09:30"), value)
    if kind in ("time_type", "time_parsing"):
        return _got(_("should be a time written HH:MM, such as 09:30"), value)
    if kind in ("literal_error", "enum"):
        allowed = _allowed(str(ctx.get("expected", "")))
        if len(allowed) == 1:
            return _got(_("should be {allowed}").format(allowed=allowed[0]), value)
        return _got(_("should be one of {allowed}").format(allowed=_list(allowed)), value)
    if kind == "greater_than":
        return _got(_("should be greater than {limit}").format(limit=_limit(err, "gt")), value)
    if kind == "greater_than_equal":
        return _got(_("should be at least {limit}").format(limit=_limit(err, "ge")), value)
    if kind == "less_than":
        return _got(_("should be less than {limit}").format(limit=_limit(err, "lt")), value)
    if kind == "less_than_equal":
        return _got(_("should be at most {limit}").format(limit=_limit(err, "le")), value)
    if kind == "string_too_short":
        n = int(ctx.get("min_length", 0))
        return _got(ngettext("should have at least {n} character", "should have at least {n} characters",
                             n).format(n=n), value)
    if kind == "string_too_long":
        n = int(ctx.get("max_length", 0))
        length = len(value) if isinstance(value, str) else 0
        return ngettext("should have at most {n} character; it has {length}",
                        "should have at most {n} characters; it has {length}", n).format(n=n, length=length)
    if kind == "too_short":
        n, actual = int(ctx.get("min_length", 0)), int(ctx.get("actual_length") or 0)
        if actual == 0:
            return ngettext("should list at least {n} item; it is empty",
                            "should list at least {n} items; it is empty", n).format(n=n)
        return ngettext("should list at least {n} item; it lists {actual}",
                        "should list at least {n} items; it lists {actual}", n).format(n=n, actual=actual)
    if kind == "too_long":
        n, longest = int(ctx.get("max_length", 0)), ctx.get("actual_length")
        if longest is None:
            return ngettext("should list at most {n} item", "should list at most {n} items", n).format(n=n)
        return ngettext("should list at most {n} item; it lists {actual}",
                        "should list at most {n} items; it lists {actual}", n).format(n=n, actual=longest)
    if kind in ("list_type", "tuple_type", "set_type", "iterable_type"):
        return _got(_("should be a list: one item per line starting with '- ', or [a, b]"), value)
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return _got(_("should be a group of fields, one 'name: value' per line, indented"), value)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern in _PATTERNS:
            return _got(_(_PATTERNS[pattern]), value)
        return _got(_("does not have the required form ({pattern})").format(pattern=pattern), value)
    if kind == "union_tag_invalid":
        return _got(_("{discriminator} should be one of {allowed}").format(
            discriminator=ctx.get("discriminator", ""), allowed=_list(_allowed(str(ctx.get("expected_tags", ""))))),
            ctx.get("tag"))
    if kind == "union_tag_not_found":
        return _("needs {discriminator}").format(discriminator=ctx.get("discriminator", ""))
    return _("invalid value {value}").format(value=repr(value) if len(repr(value)) <= 60 else repr(value)[:58] + "…")


def _message(err: Any, model: type[BaseModel] | None = None, *, csv: bool = False) -> str:
    """The message of one of pydantic's errors in a record of `model`, with what to write instead."""
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        field = str(err["loc"][-1]) if err["loc"] else ""
        if csv:
            return _("the column {column!r} is empty in this row; it needs a value").format(column=field)
        return _("missing required field {field!r}").format(field=field)
    if kind == "extra_forbidden":
        name = str(err["loc"][-1])
        close = difflib.get_close_matches(name, _FIELD_NAMES, n=1, cutoff=0.7)
        if close and not typing_hint(name):  # an invisible character's hint says what is wrong more exactly
            return _("unknown field {name!r}; did you mean {close!r}?").format(name=name, close=close[0])
        return _with_hint(_("unknown field {name!r}").format(name=name), name)
    hinted = bool(typing_hint(value))
    return _with_hint(_pydantic_message(err, model, hinted), value)


def _with_hint(message: str, value: Any) -> str:
    """`message`, and what to write instead of `value` when it is written the way office software
    writes numbers, dates and service windows."""
    hint = typing_hint(value)
    return _("{message}; {hint}").format(message=message, hint=hint) if hint else message


_DATE_WRITTEN = (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
                 re.compile(r"(\d{4})[./](\d{1,2})[./](\d{1,2})"))


def _plain_decimal(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")


def typing_hint(value: Any) -> str:
    """What to write instead, for the ways Chinese office software writes numbers, dates and
    service windows: "do not write thousands separators in amounts: write 1200000.00" (empty
    when `value` is written as docgen reads it)."""
    if not isinstance(value, str):
        return ""
    from .load import INVISIBLE

    hidden = [_(name) for char, name in INVISIBLE.items() if char in value]
    if hidden:
        return _("it holds invisible characters ({names}); delete them").format(names=_list(hidden))
    text = value.strip()
    if re.fullmatch(r"[¥￥]?\d{1,3}([,，]\d{3})+(\.\d+)?", text):
        return _("do not write thousands separators in amounts: write {number}").format(
            number=re.sub(r"[¥￥,，]", "", text))
    if re.fullmatch(r"\d+(\.\d+)?\s*[%％]", text):
        return _("write a percentage as a plain number, without %: write {number}").format(
            number=text.rstrip("%％ "))
    found = re.fullmatch(r"[¥￥]?(\d+(?:\.\d+)?)\s*(元|万元|万)", text)
    if found:
        if found.group(2) == "元":
            return _("write only the number, in yuan: write {number}").format(number=found.group(1))
        return _("write only the number, in yuan (convert 万元 to yuan): write {number}").format(
            number=_plain_decimal(Decimal(found.group(1)) * 10000))
    found = next((f for pattern in _DATE_WRITTEN if (f := pattern.fullmatch(text))), None)
    if found:
        y, mo, d = (int(g) for g in found.groups())
        try:
            return _("write dates as {date}").format(date=date(y, mo, d).isoformat())
        except ValueError:
            return _("write dates as YYYY-MM-DD: {value} is not a real date").format(value=text)
    found = re.fullmatch(r"(\d+)\s*[xX*＊]\s*(\d+)", text)
    if found:
        return _("use the times sign ×: write {window}").format(window=f"{found.group(1)}×{found.group(2)}")
    return ""


def _field_path(root: Any, loc: tuple[Any, ...]) -> str:
    """The field a problem is in, naming each record of a list by its 1-based position and its id
    (or code, key, name) as a reader counts them: "agreements[#4 zh-2027].fees.total" (in Chinese
    "agreements[第4项 zh-2027].fees.total")."""
    out, node = "", root
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, CommentedSeq) and 0 <= part < len(node) else None
            name = next((str(item[k]) for k in ("id", "code", "key", "level", "name")
                         if isinstance(item, CommentedMap) and isinstance(item.get(k), (str, int))), "")
            name = name if len(name) <= 24 else name[:23] + "…"
            # an invisible character of the id is shown, as U+200B, so the reader sees where it is
            name = "".join(f"<U+{ord(c):04X}>" if c in INVISIBLE or not c.isprintable() else c for c in name)
            # TRANSLATORS: a record of a list in a field's path, by its position counted from 1 and its id
            out += (_("[#{n} {name}]").format(n=part + 1, name=name) if name
                    else _("[#{n}]").format(n=part + 1))
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, CommentedMap) else None
    return out


BROKEN: str = "__broken__"


def _validate_node(source: Source, display: str, root: CommentedMap, node: Any, prefix: tuple[Any, ...],
                   problems: list[Problem]) -> Any | None:
    try:
        return source.model.model_validate(node)
    except ValidationError as e:
        for err in e.errors():
            loc = tuple(err["loc"])
            line, col, walked = node_position(root, (*prefix, *loc), point_at_key=err["type"] == "extra_forbidden")
            problems.append(Problem(display, line, col, _field_path(root, walked) or source.kind,
                                    _message(err, source.model)))
        return None


POLICY_FOLDER = "policy"  # data/policy/<version>.yaml: one file per revision of the policy


def _load_policy_versions(data_dir: Path, single: list[Record], problems: list[Problem]) -> list[Record]:
    """The policy.yaml version (if any) and every revision in data/policy/, each file named after
    its version; refuses two files of one version and two versions taking effect on one day."""
    folder = data_dir / POLICY_FOLDER
    records: list[Record] = list(single)
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        display = display_path(path)
        source = Source("policy", f"{POLICY_FOLDER}/{path.name}", m.Policy, many=False)
        for rec in _load_yaml_source(source, path, display, problems):
            if rec.model.version != path.stem:
                line, col = rec.where("version")
                problems.append(Problem(display, line, col, "policy.version",
                                        _("version {version!r} in a file named {file}; name the file after "
                                          "its version ({version}.yaml)").format(version=rec.model.version,
                                                                                 file=path.name)))
            records.append(rec)
    if not records and not problems:
        problems.append(Problem(display_path(folder), None, None, "",
                                _("holds no policy version (<version>.yaml)")))
    by_version: dict[str, Record] = {}
    for rec in records:
        other = by_version.setdefault(rec.model.version, rec)
        if other is not rec:
            line, col = rec.where("version")
            problems.append(Problem(rec.file, line, col, "policy.version",
                                    _("version {version!r} is also in {file}").format(
                                        version=rec.model.version, file=other.file)))
    by_day: dict[object, Record] = {}
    for rec in sorted(records, key=lambda r: r.file):
        same_day = by_day.get(rec.model.effective_date)
        if same_day is not None:
            line, col = rec.where("effective_date")
            problems.append(Problem(rec.file, line, col, "policy.effective_date",
                                    _("{date}: version {version} ({file}) takes effect on the same day; two "
                                      "versions cannot be in force on one day").format(
                                        date=rec.model.effective_date, version=same_day.model.version,
                                        file=same_day.file)))
        else:
            by_day[rec.model.effective_date] = rec
    return records


def _load_yaml_source(source: Source, path: Path, display: str, problems: list[Problem]) -> list[Record]:
    try:
        root = load_yaml(path, display)
    except InputError as e:
        problems.extend(e.problems)
        return []
    for key in root:
        if key != source.kind:
            line, col, _walked = node_position(root, (key,), point_at_key=True)
            problems.append(Problem(display, line, col, str(key),
                                    _("unknown top-level key; this file holds {key!r}").format(key=source.kind)))
    if source.kind not in root:
        problems.append(Problem(display, 1, 1, source.kind,
                                _("missing top-level key {key!r}").format(key=source.kind)))
        return []
    body = root[source.kind]
    if not source.many:
        model = _validate_node(source, display, root, body, (source.kind,), problems)
        return [Record(model, display, body)] if model is not None else []
    if not isinstance(body, CommentedSeq):
        line, col, _walked = node_position(root, (source.kind,))
        problems.append(Problem(display, line, col, source.kind, _("expected a list of records")))
        return []
    records = []
    for i, item in enumerate(body):
        model = _validate_node(source, display, root, item, (source.kind, i), problems)
        if model is not None:
            records.append(Record(model, display, item))
    return records


def export_path(data_dir: Path, source: Source) -> Path:
    """The file a CSV source is read from: the .csv, else a workbook of the same name (.xlsx)."""
    path = data_dir / source.filename
    workbook = path.with_suffix(".xlsx")
    return workbook if source.is_csv and not path.exists() and workbook.exists() else path


def load_table(path: Path, display: str | None = None) -> CsvTable:
    return load_xlsx(path, display) if path.suffix.lower() == ".xlsx" else load_csv(path, display)


def _load_csv_source(source: Source, path: Path, display: str, problems: list[Problem], *,
                     encodings: dict[str, str] | None = None) -> list[Record]:
    try:
        table = load_table(path, display)
    except InputError as e:
        problems.extend(e.problems)
        return []
    display = table.where or display
    if encodings is not None:
        encodings[source.kind] = table.encoding
    fields = source.model.model_fields
    header_problems = []
    for i, name in enumerate(table.header):
        if name not in fields:
            close = difflib.get_close_matches(name, fields, n=1, cutoff=0.7)
            message = (_("unknown column {name!r}; did you mean {close!r}?").format(name=name, close=close[0])
                       if close else _("unknown column {name!r}").format(name=name))
            header_problems.append(Problem(display, 1, i + 1, f"{source.kind}.{name}", _with_hint(message, name)))
    for name, info in fields.items():
        if info.is_required() and name not in table.header:
            header_problems.append(Problem(display, 1, None, f"{source.kind}.{name}",
                                           _("missing column {name!r}").format(name=name)))
    if header_problems:
        problems.extend(header_problems)
        return []
    header = tuple(table.header)
    records = []
    by_column: dict[tuple[str, str], list[tuple[Problem, Any]]] = {}
    for row in table.rows:
        values = {k: v.strip() for k, v in row.values.items() if v.strip() != ""}
        try:
            model = source.model.model_validate(values)
        except ValidationError as e:
            for err in e.errors():
                column = str(err["loc"][0]) if err["loc"] else ""
                col = header.index(column) + 1 if column in header else None
                found = Problem(display, row.line, col, f"{source.kind}.{column}",
                                _message(err, source.model, csv=True))
                by_column.setdefault((column, err["type"]), []).append((found, err.get("input")))
            continue
        records.append(Record(model, display, row, header))
    for (column, _kind), failed in by_column.items():
        problems.extend(_per_column(column, failed))
    return records


COLUMN_PATTERN_AT = 5  # more rows than this with one mistake in one column: one problem for the column


def _per_column(column: str, found: list[tuple[Problem, Any]]) -> list[Problem]:
    """The problems of one column: each row's, or one for the column when many rows share the
    mistake (a whole column exported in a format docgen does not read)."""
    if len(found) <= COLUMN_PATTERN_AT:
        return [p for p, _value in found]
    first = found[0][0]
    rows = _list(p.line for p, _value in found[:5])
    n = len(found)
    return [Problem(first.file, first.line, first.col, first.field,
                    ngettext("{n} row of column {column!r} has this problem (rows {rows}, …), as in the first "
                             "one, {value}: {message}",
                             "{n} rows of column {column!r} have this problem (rows {rows}, …), as in the first "
                             "one, {value}: {message}", n).format(
                        n=n, column=column, rows=rows, value=repr(found[0][1]), message=first.message))]


def _duplicates(records: list[Record], kind: str, problems: list[Problem]) -> None:
    seen: dict[str, Record] = {}
    for rec in records:
        key = rec.model.id.lower()
        if key in seen:
            first_line, _col = seen[key].where("id")
            line, col = rec.where("id")
            first = seen[key].model.id
            message = (_("duplicate id {id!r}, first used at line {line}") if first == rec.model.id
                       else _("duplicate id {id!r}, first used at line {line} (as {first!r}; ids must differ in "
                              "more than case)"))
            problems.append(Problem(rec.file, line, col, f"{kind}.id",
                                    message.format(id=rec.model.id, line=first_line, first=first)))
        else:
            seen[key] = rec


def _same_value(records: list[Record], field: str, kind: str, message: str, problems: list[Problem]) -> None:
    """Report every record whose `field` repeats an earlier record's (ignoring case and spaces):
    `message` (marked with N_) says so, with the {value} and the {line} it was first used at."""
    seen: dict[str, Record] = {}
    for rec in records:
        value = str(getattr(rec.model, field))
        key = "".join(value.split()).casefold()
        if key in seen:
            first_line, _col = seen[key].where(field)
            line, col = rec.where(field)
            problems.append(Problem(rec.file, line, col, f"{kind}.{field}",
                                    _(message).format(value=value, line=first_line)))
        else:
            seen[key] = rec


MAX_TITLE = 60
_UNSAFE_NAME = re.compile(r"[\\/:*?\"<>|\x00-\x1f\x7f]")


def _safe_title(rec: Record, problems: list[Problem]) -> None:
    """A bundle's title becomes part of its file name: it must be one plain, short name."""
    title = rec.model.title
    bad = _UNSAFE_NAME.search(title)
    reason = None
    if bad:
        reason = _("the title becomes the bundle's file name and contains {char!r}, which a file name cannot "
                   "hold").format(char=bad.group())
    elif title.strip() in ("", ".", "..") or title.startswith((".", " ")) or title.endswith((".", " ")):
        reason = _("the title becomes the bundle's file name and must not start or end with a dot or a space")
    elif len(title) > MAX_TITLE:
        reason = _("the title becomes the bundle's file name and is {length} characters long; at most {max} fit "
                   "in a file name").format(length=len(title), max=MAX_TITLE)
    if reason:
        line, col = rec.where("title")
        problems.append(Problem(rec.file, line, col, "bundles.title", reason))


class Targets(dict[str, Record]):
    """Valid records by id, plus the ids of records that exist but are invalid (already reported)."""

    def __init__(self, records: list[Record], reported: set[str], unusable: bool) -> None:
        super().__init__((r.model.id, r) for r in records)
        self.reported = reported
        self.unusable = unusable


def _ref(rec: Record, field: str, value: str | None, targets: Targets, target_file: str,
         what: str, problems: list[Problem]) -> Record | None:
    if value is None:
        return None
    if value in targets:
        return targets[value]
    if targets.unusable or value in targets.reported:
        return None  # the target's own problems are reported already
    known = sorted(targets)[:12]
    line, col = rec.where(field)
    message = _(_UNKNOWN[what] if known else _UNKNOWN_NONE[what])
    problems.append(Problem(rec.file, line, col, field,
                            message.format(value=value, file=target_file, known=_list(known))))
    return None


# an unknown reference, by what it refers to: with the ids its file defines, and when it defines none
_UNKNOWN = {
    "vendor": N_("unknown vendor {value!r}; {file} defines: {known}"),
    "agreement": N_("unknown agreement {value!r}; {file} defines: {known}"),
    "staff member": N_("unknown staff member {value!r}; {file} defines: {known}"),
}
_UNKNOWN_NONE = {
    "vendor": N_("unknown vendor {value!r}; {file} defines none"),
    "agreement": N_("unknown agreement {value!r}; {file} defines none"),
    "staff member": N_("unknown staff member {value!r}; {file} defines none"),
}


def _supplements(recs: dict[str, list[Record]], problems: list[Problem]) -> None:
    """A signed supplement names a policy version the data has, is signed on or after its
    agreement, and belongs to a signed agreement (a draft follows the current policy anyway)."""
    versions = [r.model.version for r in recs.get("policy", [])]
    for rec in recs["agreements"]:
        ag = rec.model
        for i, supplement in enumerate(ag.supplements):
            def at(*field: str, i: int = i, node: Any = rec.node) -> tuple[int | None, int | None]:
                line, col, _walked = node_position(node, ("supplements", i, *field))
                return line, col
            if supplement.policy_version not in versions:
                problems.append(Problem(rec.file, *at("policy_version"), f"supplements[{i + 1}].policy_version", _(
                    "unknown policy version {value!r}; the data has {names}").format(
                        value=supplement.policy_version, names=_list(versions))))
            if supplement.signed < ag.signing_date:
                problems.append(Problem(rec.file, *at("signed"), f"supplements[{i + 1}].signed", _(
                    "the supplement is signed on {signed}, before the agreement itself ({signing_date})").format(
                        signed=supplement.signed, signing_date=ag.signing_date)))
            if not ag.frozen:
                problems.append(Problem(rec.file, *at(), f"supplements[{i + 1}]", _(
                    "a draft agreement has no signed supplements: its documents follow the current policy; "
                    "record the supplement once the agreement is signed (status: signed)")))


def _vocabulary(recs: dict[str, list[Record]], files: dict[str, str], problems: list[Problem]) -> None:
    """Service windows, categories and leave types are the policy's (vocabulary; by default 5×8 and
    7×24, the eight categories and seven leave types): an agreement names a window its policy
    defines, a vendor categories some version lists, a post (staff post_type) and a leave type
    what some version defines, a deduction rule windows of its own version."""
    policies = [r.model for r in recs.get("policy", [])]
    if not policies:
        return
    newest = max(policies, key=lambda p: p.effective_date)
    categories = {c for p in policies for c in p.vocabulary.service_categories}
    for rec in recs["agreements"]:
        bound = next((p for p in policies if p.version == rec.model.policy_version), newest)
        names = [w.name for w in bound.vocabulary.service_windows]
        value = rec.model.sla.service_window
        if value not in names:
            line, col, _walked = node_position(rec.node, ("sla", "service_window"))
            problems.append(Problem(rec.file, line, col, "sla.service_window",
                                    _with_hint(_("unknown service window {value!r}; the policy ({file}, version "
                                                 "{version}) defines {names}: add it to vocabulary.service_windows "
                                                 "there").format(value=value, file=files["policy"],
                                                                 version=bound.version, names=_list(names)), value)))
    for rec in recs["vendors"]:
        for i, category in enumerate(rec.model.categories):
            if category not in categories:
                line, col, _walked = node_position(rec.node, ("categories", i))
                problems.append(Problem(rec.file, line, col, "categories",
                                        _("unknown service category {value!r}; the policy ({file}) lists "
                                          "{names}: add it to vocabulary.service_categories there").format(
                                            value=category, file=files["policy"], names=_list(sorted(categories)))))
    windows = list(dict.fromkeys(w.name for p in policies for w in p.vocabulary.service_windows))
    for rec in recs.get("staff", []):
        if rec.model.post_type not in windows:
            line, col, _walked = node_position(rec.node, ("post_type",))
            problems.append(Problem(rec.file, line, col, "post_type", _with_hint(
                _("unknown post type {value!r}; a post is one of the service windows of the policy ({file}): "
                  "{names}; add it to vocabulary.service_windows there").format(
                    value=rec.model.post_type, file=files["policy"], names=_list(windows)), rec.model.post_type)))
    leave_types = list(dict.fromkeys(t for p in policies for t in p.vocabulary.leave_types))
    for rec in recs.get("leave", []):
        if rec.model.type not in leave_types:
            line, col, _walked = node_position(rec.node, ("type",))
            problems.append(Problem(rec.file, line, col, "type", _(
                "unknown leave type {value!r}; the policy ({file}) lists {names}: add it to "
                "vocabulary.leave_types there").format(value=rec.model.type, file=files["policy"],
                                                       names=_list(leave_types))))
    for rec in recs.get("policy", []):
        defined = {w.name for w in rec.model.vocabulary.service_windows}
        for i, rule in enumerate(rec.model.deductions.rules):
            for j, window in enumerate(rule.windows):
                if window not in defined:
                    line, col, _walked = node_position(rec.node, ("deductions", "rules", i, "windows", j))
                    problems.append(Problem(rec.file, line, col, f"deductions.rules.{rule.code}.windows",
                                            _with_hint(_("unknown service window {value!r}; "
                                                         "vocabulary.service_windows of this version defines "
                                                         "{names}").format(value=window,
                                                                           names=_list(sorted(defined))), window)))


def _cross_check(recs: dict[str, list[Record]], files: dict[str, str], problems: list[Problem],
                 invalid_ids: dict[str, set[str]], unusable: set[str]) -> None:
    for kind in ("vendors", "agreements", "staff", "tickets", "attendance", "leave", "changes"):
        _duplicates(recs[kind], kind, problems)
    _same_value(recs["vendors"], "short_name", "vendors",
                N_("duplicate short name {value!r}, first used at line {line}; reports and bundles name the vendor "
                   "by it"), problems)
    _same_value(recs.get("bundles", []), "name", "bundles",
                N_("duplicate bundle name {value!r}, first used at line {line}; each bundle needs a name of its own"),
                problems)
    for rec in recs.get("bundles", []):
        _bundle_kinds(rec, problems)
        _safe_title(rec, problems)
    _duplicates(recs.get("improvements", []), "improvements", problems)
    ticket_ids = {r.model.id for r in recs["tickets"]}
    seen_reviews: set[str] = set()
    for rec in recs.get("reviews", []):
        line, col = rec.where("ticket")
        if not ("tickets" in unusable or rec.model.ticket in ticket_ids or rec.model.ticket in invalid_ids["tickets"]):
            problems.append(Problem(rec.file, line, col, "ticket",
                                    _("no ticket {ticket!r} in {file}").format(ticket=rec.model.ticket,
                                                                               file=files["tickets"])))
        elif rec.model.ticket in seen_reviews:
            problems.append(Problem(rec.file, line, col, "ticket",
                                    _("ticket {ticket!r} already has a review above").format(
                                        ticket=rec.model.ticket)))
        seen_reviews.add(rec.model.ticket)
    _vocabulary(recs, files, problems)
    _supplements(recs, problems)
    vendors = Targets(recs["vendors"], invalid_ids["vendors"], "vendors" in unusable)
    agreements = Targets(recs["agreements"], invalid_ids["agreements"], "agreements" in unusable)
    staff = Targets(recs["staff"], invalid_ids["staff"], "staff" in unusable)

    for rec in recs["agreements"]:
        vendor = _ref(rec, "vendor", rec.model.vendor, vendors, files["vendors"], "vendor", problems)
        if vendor is not None and vendor.model.sme and rec.model.fees.payment_days > SME_PAYMENT_DAYS:
            line, col, _walked = node_position(rec.node, ("fees", "payment_days"))
            problems.append(Problem(rec.file, line, col, "fees.payment_days",
                                    _("{days} days: vendor {vendor!r} is an SME (sme: true in {file}), and the "
                                      "Regulations on Ensuring Payments to SMEs (《保障中小企业款项支付条例》) allow "
                                      "at most {max} days").format(days=rec.model.fees.payment_days,
                                                                   vendor=vendor.model.id, file=files["vendors"],
                                                                   max=SME_PAYMENT_DAYS)))
    for rec in recs.get("improvements", []):
        _ref(rec, "agreement", rec.model.agreement, agreements, files["agreements"], "agreement", problems)
    for rec in recs["staff"]:
        _ref(rec, "vendor", rec.model.vendor, vendors, files["vendors"], "vendor", problems)
        ag = _ref(rec, "agreement", rec.model.agreement, agreements, files["agreements"], "agreement", problems)
        if ag is not None and ag.model.vendor != rec.model.vendor:
            line, col = rec.where("agreement")
            problems.append(Problem(rec.file, line, col, "agreement",
                                    _("agreement {agreement!r} belongs to vendor {owner!r}, not {vendor!r} "
                                      "({file})").format(agreement=ag.model.id, owner=ag.model.vendor,
                                                         vendor=rec.model.vendor, file=files["agreements"])))
    for rec in recs["tickets"]:
        ag = _ref(rec, "agreement", rec.model.agreement, agreements, files["agreements"], "agreement", problems)
        person = _ref(rec, "assignee", rec.model.assignee, staff, files["staff"], "staff member", problems)
        if ag is not None and person is not None and person.model.agreement != ag.model.id:
            line, col = rec.where("assignee")
            problems.append(Problem(rec.file, line, col, "assignee",
                                    _("staff member {staff!r} works under agreement {agreement!r}, not "
                                      "{other!r} ({file})").format(staff=person.model.id,
                                                                   agreement=person.model.agreement,
                                                                   other=ag.model.id, file=files["staff"])))
        if ag is not None:
            _ticket_in_agreement(rec, ag, files["agreements"], problems)
    versions = sorted((r.model for r in recs.get("policy", [])), key=lambda p: p.effective_date)
    for rec in recs["agreements"]:
        pinned = rec.model.policy_version
        bound = next((p for p in versions if p.version == pinned), versions[-1] if versions else None)
        if bound is not None and rec.model.performance_bond_pct > bound.bond_max_pct:
            line, col = rec.where("performance_bond_pct")
            problems.append(Problem(rec.file, line, col, "performance_bond_pct",
                                    _("{pct}% is over the policy's limit of {max}% (bond_max_pct in {file}, "
                                      "version {version})").format(pct=rec.model.performance_bond_pct,
                                                                   max=bound.bond_max_pct, file=files["policy"],
                                                                   version=bound.version)))
        if versions and pinned is not None and pinned not in {p.version for p in versions}:
            line, col = rec.where("policy_version")
            problems.append(Problem(rec.file, line, col, "policy_version",
                                    _("policy version {version!r} is not in {file} (it holds {versions})").format(
                                        version=pinned, file=files["policy"],
                                        versions=_list(repr(p.version) for p in versions))))
    approved: dict[str, list[m.LeaveRequest]] = {}
    for rec in recs["leave"]:
        approved.setdefault(rec.model.staff, []).append(rec.model)
    for rec in recs["attendance"]:
        person = _ref(rec, "staff", rec.model.staff, staff, files["staff"], "staff member", problems)
        if person is not None and rec.model.date < person.model.start_date:
            line, col = rec.where("date")
            problems.append(Problem(rec.file, line, col, "date",
                                    _("{date} is before {staff!r} started on {start} ({file})").format(
                                        date=rec.model.date, staff=person.model.id, start=person.model.start_date,
                                        file=files["staff"])))
        if rec.model.kind == ABSENCE:
            on_leave = next((r for r in approved.get(rec.model.staff, [])
                             if r.start.date() <= rec.model.date <= r.end.date()), None)
            if on_leave is not None:
                line, col = rec.where("kind")
                problems.append(Problem(rec.file, line, col, "kind",
                                        _("absence (旷工) on {date}, a day of approved leave {leave!r} ({file}); "
                                          "remove the record or correct the leave").format(
                                            date=rec.model.date, leave=on_leave.id, file=files["leave"])))
        in_force = m.version_on(versions, rec.model.date)
        codes = [r.code for r in in_force.deductions.rules] if in_force else []
        where = "" if in_force is None else (
            files["policy"] if len(versions) == 1
            else _("{file} (version {version})").format(file=files["policy"], version=in_force.version))
        if in_force is not None and rec.model.kind not in codes:
            line, col = rec.where("kind")
            problems.append(Problem(rec.file, line, col, "kind",
                                    _("unknown deduction kind {kind!r}; {where} defines: {codes}").format(
                                        kind=rec.model.kind, where=where, codes=_list(codes))))
        elif in_force is not None and person is not None and person.model.agreement in agreements:
            rule = next(r for r in in_force.deductions.rules if r.code == rec.model.kind)
            window = agreements[person.model.agreement].model.sla.service_window
            if rule.windows and window not in rule.windows:
                line, col = rec.where("kind")
                problems.append(Problem(rec.file, line, col, "kind",
                                        _("{rule!r} applies only to {windows} agreements ({where}); {staff!r} "
                                          "works under {agreement!r}, a {window} agreement whose contract does "
                                          "not list it").format(rule=rule.name, windows="/".join(rule.windows),
                                                                where=where, staff=person.model.id,
                                                                agreement=person.model.agreement, window=window)))
    for rec in recs["leave"]:
        who = _ref(rec, "staff", rec.model.staff, staff, files["staff"], "staff member", problems)
        sub = _ref(rec, "substitute", rec.model.substitute, staff, files["staff"], "staff member", problems)
        if sub is not None and who is not None and sub.model.id == who.model.id:
            line, col = rec.where("substitute")
            problems.append(Problem(rec.file, line, col, "substitute",
                                    _("the substitute cannot be the person on leave")))
        elif sub is not None and who is not None and sub.model.vendor != who.model.vendor:
            line, col = rec.where("substitute")
            problems.append(Problem(rec.file, line, col, "substitute",
                                    _("the substitute {substitute!r} works for vendor {vendor!r}, not {other!r} "
                                      "like {staff!r} ({file})").format(substitute=sub.model.id,
                                                                        vendor=sub.model.vendor,
                                                                        other=who.model.vendor, staff=who.model.id,
                                                                        file=files["staff"])))
        span = Decimal((rec.model.end - rec.model.start).total_seconds()) / 3600
        if rec.model.hours > span:
            line, col = rec.where("hours")
            problems.append(Problem(rec.file, line, col, "hours",
                                    _("{hours} hours do not fit between start and end ({span} hours)").format(
                                        hours=rec.model.hours, span=span.quantize(Decimal("0.1")))))
        in_force = m.version_on(versions, rec.model.start.date())
        if in_force is not None:
            _leave_rules(rec, in_force, files["policy"], problems)
    for rec in recs["changes"]:
        _ref(rec, "agreement", rec.model.agreement, agreements, files["agreements"], "agreement", problems)
        old = _ref(rec, "old_staff", rec.model.old_staff, staff, files["staff"], "staff member", problems)
        if old is not None and old.model.agreement != rec.model.agreement:
            line, col = rec.where("old_staff")
            problems.append(Problem(rec.file, line, col, "old_staff",
                                    _("staff member {staff!r} works under agreement {agreement!r}, not "
                                      "{other!r} ({file})").format(staff=old.model.id, agreement=old.model.agreement,
                                                                   other=rec.model.agreement, file=files["staff"])))


def _warnings(recs: dict[str, list[Record]]) -> list[Problem]:
    """Valid records a reader should look at, named by the file's name inside the data folder
    (valid data is kept by content, whatever folder it was read from): a recorded downtime
    shorter than the ticket's report → restore time (the report counts the record, as the SLA
    annex's monitoring rule says)."""
    out = []
    for rec in recs["tickets"]:
        t = rec.model
        if t.downtime_minutes and t.restored is not None:
            span = int((t.restored - t.opened).total_seconds() // 60)
            if t.downtime_minutes < span:
                line, col = rec.where("downtime_minutes")
                out.append(Problem(Path(rec.file.split("[", 1)[0]).name, line, col, "downtime_minutes",
                                   _("{minutes} minutes recorded, {span} from report to restore: the report "
                                     "counts the record; check it against the monitoring log").format(
                                       minutes=t.downtime_minutes, span=span)))
    return out


# Arbitration commissions by their registered names; a clause naming any other commission may be
# void (仲裁法 第十八条), so validate warns unless client.yaml's arbitration_commissions adds it.
ARBITRATION_COMMISSIONS = frozenset({
    "中国国际经济贸易仲裁委员会", "中国海事仲裁委员会", "北京仲裁委员会", "上海仲裁委员会", "上海国际仲裁中心",
    "深圳国际仲裁院", "广州仲裁委员会", "天津仲裁委员会", "重庆仲裁委员会", "南京仲裁委员会", "苏州仲裁委员会",
    "杭州仲裁委员会", "武汉仲裁委员会", "成都仲裁委员会", "西安仲裁委员会", "厦门仲裁委员会", "青岛仲裁委员会",
})


def _contract_warnings(recs: dict[str, list[Record]]) -> list[Problem]:
    """Contract terms that validate but that a lawyer would question before signing."""
    out: list[Problem] = []
    client = recs["client"][0].model if recs.get("client") else None
    known = ARBITRATION_COMMISSIONS | set(client.arbitration_commissions if client else ())
    for rec in recs["agreements"]:
        ag: m.Agreement = rec.model
        fees = ag.fees

        def warn(path: tuple[str | int, ...], field: str, message: str, rec: Record = rec) -> None:
            line, col, _walked = node_position(rec.node, path)
            out.append(Problem("agreements.yaml", line, col, field, message))

        after = ag.end + timedelta(days=1)
        whole = ag.start.day == 1 and after.day == 1
        months = (after.year - ag.start.year) * 12 + after.month - ag.start.month
        if whole and fees.total_basis is None and fees.monthly * months != fees.total:
            warn(("fees", "total"), "fees.total",
                 _("{id}: {total} is not the monthly fee {monthly} × {months} months = {product}; correct it, or "
                   "say why in fees.total_basis").format(id=ag.id, total=fees.total, monthly=fees.monthly,
                                                         months=months, product=fees.monthly * months))
        if ag.signing_date > ag.start:
            warn(("signing_date",), "signing_date",
                 _("{id}: signed on {signed}, after the term starts on {start}; the services before signing "
                   "have no contract").format(id=ag.id, signed=ag.signing_date, start=ag.start))
        if ag.nda.liquidated_damages > fees.total:
            warn(("nda", "liquidated_damages"), "nda.liquidated_damages",
                 _("{id}: {damages} exceeds the contract price {total}; a tribunal is likely to reduce it (Civil "
                   "Code, article 585)").format(id=ag.id, damages=ag.nda.liquidated_damages, total=fees.total))
        top = max((c.credit_pct for c in ag.sla.credits), default=None)
        if top is not None and ag.sla.credit_cap_pct > top and not any(lv.restore_credit_pct for lv in ag.sla.levels):
            warn(("sla", "credit_cap_pct"), "sla.credit_cap_pct",
                 _("{id}: the cap {cap}% can never be reached: credits do not add up and the highest tier "
                   "credits {top}%").format(id=ag.id, cap=ag.sla.credit_cap_pct, top=top))
        commission = ag.disputes.arbitration_commission
        if commission is not None and commission not in known:
            warn(("disputes", "arbitration_commission"), "disputes.arbitration_commission",
                 _("{id}: {commission!r} is not a registered arbitration commission docgen knows; write its "
                   "exact registered name, or add it to arbitration_commissions in client.yaml").format(
                     id=ag.id, commission=commission))
    from .context import ANNEXES

    for rec in recs.get("bundles", []):
        spec: m.BundleSpec = rec.model
        if spec.per == "agreement" and "contract" in spec.kinds:
            for kind, label, title, _suffix in ANNEXES:
                if kind not in spec.kinds:
                    line, col, _walked = node_position(rec.node, ("kinds",))
                    out.append(Problem("bundles.yaml", line, col, "kinds",
                                       _("{bundle} holds no {label}《{title}》 ({kind}): the contract's list "
                                         "of annexes (附件清单) leaves it out, while its clauses may still refer "
                                         "to it").format(bundle=spec.name, label=label, title=title, kind=kind)))
    return out


SME_PAYMENT_DAYS = 60  # 《保障中小企业款项支付条例》: payment within 60 days of settlement
ABSENCE = "absence"  # the deduction code of 旷工, which approved leave excludes


def _ticket_in_agreement(rec: Record, ag: Record, agreements_file: str, problems: list[Problem]) -> None:
    """A ticket's level must be one of its agreement's SLA levels, and its report time inside the
    agreement's term: no report could count it otherwise."""
    ticket, agreement = rec.model, ag.model
    levels = [lv.level for lv in agreement.sla.levels]
    if ticket.severity not in levels:
        line, col = rec.where("severity")
        problems.append(Problem(rec.file, line, col, "severity",
                                _("agreement {agreement!r} has no level {level!r}; its SLA defines {levels} "
                                  "({file})").format(agreement=agreement.id, level=ticket.severity,
                                                     levels=_list(levels), file=agreements_file)))
    if not agreement.start <= ticket.opened.date() <= agreement.end:
        line, col = rec.where("opened")
        problems.append(Problem(rec.file, line, col, "opened",
                                _("{opened} is outside the term of agreement {agreement!r} ({start} to {end}, "
                                  "{file})").format(opened=f"{ticket.opened:%Y-%m-%d %H:%M}", agreement=agreement.id,
                                                    start=agreement.start, end=agreement.end,
                                                    file=agreements_file)))


def _bundle_kinds(rec: Record, problems: list[Problem]) -> None:
    from .plan import KINDS

    for i, kind in enumerate(rec.model.kinds):
        if kind not in KINDS:
            line, col, _walked = node_position(rec.node, ("kinds", i))
            problems.append(Problem(rec.file, line, col, "kinds",
                                    _("unknown document kind {kind!r}; known: {kinds}").format(
                                        kind=kind, kinds=_list(KINDS))))


def _leave_rules(rec: Record, policy: m.Policy, policy_file: str, problems: list[Problem]) -> None:
    leave: m.LeaveRequest = rec.model
    rules = policy.leave
    if leave.hours > rules.letter_over_hours and not leave.vendor_letter_no:
        line, col = rec.where("hours")
        problems.append(Problem(rec.file, line, col, "vendor_letter_no",
                                _("leave of {hours} hours needs vendor_letter_no: {file} (version {version}) "
                                  "requires a vendor letter over {limit} hours").format(
                                    hours=leave.hours, file=policy_file, version=policy.version,
                                    limit=rules.letter_over_hours)))
    if leave.hours > rules.substitute_over_hours and not leave.substitute:
        line, col = rec.where("hours")
        problems.append(Problem(rec.file, line, col, "substitute",
                                _("leave of {hours} hours needs a substitute: {file} (version {version}) "
                                  "requires one over {limit} hours").format(
                                    hours=leave.hours, file=policy_file, version=policy.version,
                                    limit=rules.substitute_over_hours)))


def _raw_ids(path: Path, source: Source) -> set[str]:
    """Ids of all records in a file, valid or not, read leniently."""
    try:
        if source.is_csv:
            return {row.values.get("id", "") for row in load_table(path).rows}
        body = load_yaml(path).get(source.kind)
    except InputError:
        return set()
    if isinstance(body, CommentedSeq):
        return {str(item.get("id")) for item in body if isinstance(item, CommentedMap)}
    return set()


def display_path(path: Path) -> str:
    """Show a path relative to the working folder when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_dataset(data_dir: Path, cache: Path | None = None) -> m.Dataset:
    """Load and validate every data file; raise InputError listing all problems.

    With `cache` (docgen's cache folder), data that validated before is read back from a JSON
    copy kept under the hash of every data file's bytes and of docgen's code: parsing YAML with
    positions costs about 0.35 s on the sample, reading the copy about 10 ms. Any change to any
    byte of the data, or to docgen, misses the copy and validates from the files again.
    """
    if not data_dir.is_dir():
        raise InputError([Problem(display_path(data_dir), None, None, "", _("data folder not found"))])
    if cache is None:
        return _load_dataset(data_dir)
    digest = data_digest(data_dir)
    copy = cache / "datasets" / f"{digest}.json"
    try:
        kept = m.Dataset.model_validate_json(copy.read_bytes())
        kept._source_digest = digest
        return kept
    except (OSError, ValueError):
        pass  # not validated before (or an unreadable copy): validate the files
    dataset = _load_dataset(data_dir)
    if data_digest(data_dir) != digest:
        return dataset  # a file changed while it was read: keep nothing under either content
    dataset._source_digest = digest
    from .outputs import write_atomic

    with contextlib.suppress(DocgenError):  # an unwritable cache only costs the parse next time
        write_atomic(copy, dataset.model_dump_json().encode("utf-8"))
    return dataset


def data_digest(data_dir: Path) -> str:
    """sha256 over the names and bytes of every file load_dataset reads, docgen's code and the
    language of the messages (the kept data set holds its warnings as they were worded)."""
    import hashlib

    from .i18n import messages_id
    from .versions import code_fingerprint

    digest = hashlib.sha256(code_fingerprint().encode() + b"\0" + messages_id().encode() + b"\0")
    paths = [data_dir / s.filename for s in SOURCES] + [(data_dir / s.filename).with_suffix(".xlsx")
                                                         for s in SOURCES if s.is_csv]
    folder = data_dir / POLICY_FOLDER
    if folder.is_dir():
        paths += sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    for path in paths:
        digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except FileNotFoundError:
            digest.update(b"\0missing")
        except OSError:
            digest.update(os.urandom(16))  # unreadable: never a hit; the full load names the problem
        digest.update(b"\0")
    return digest.hexdigest()


def _invisible(data_dir: Path) -> list[Problem]:
    """Invisible characters in valid YAML files (a zero-width space in a company's name goes into
    every contract as it is): warnings at their place."""
    from .load import INVISIBLE, screen_text

    paths = [data_dir / s.filename for s in SOURCES if not s.is_csv]
    folder = data_dir / POLICY_FOLDER
    if folder.is_dir():
        paths += sorted(folder.glob("*.yaml"))
    out = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if not any(c in text for c in INVISIBLE):
            continue
        name = path.relative_to(data_dir).as_posix()
        lines = text.splitlines()
        # the screen's problems at an invisible character (it names the others too), told by the
        # character itself rather than by its message, which is in the reader's language
        out += [p for p in screen_text(text, name)
                if p.line is not None and p.col is not None and 0 < p.line <= len(lines)
                and lines[p.line - 1][p.col - 1:p.col] in INVISIBLE]
    return out


def _LOOKALIKES(name: str) -> list[str]:  # noqa: N802 - reads as the list it returns
    """Names a user may have given the file `name`: client.yml, Client.yaml, client.yaml.txt."""
    stem, suffix = name.rsplit(".", 1)
    forms = [f"{stem}.yml", f"{stem}.YAML", f"{stem}.YML", f"{stem.capitalize()}.{suffix}", f"{name}.txt"]
    return [f for f in forms if f != name]


def _load_dataset(data_dir: Path) -> m.Dataset:
    problems: list[Problem] = []
    recs: dict[str, list[Record]] = {}
    encodings: dict[str, str] = {}
    files: dict[str, str] = {}
    invalid_ids: dict[str, set[str]] = {s.kind: set() for s in SOURCES}
    unusable: set[str] = set()
    for source in SOURCES:
        path = export_path(data_dir, source)
        display = display_path(path)
        if source.is_csv and path.suffix == ".csv" and path.with_suffix(".xlsx").exists():
            problems.append(Problem(display, None, None, "",
                                    _("both {csv} and {xlsx} are in the data folder; keep the one that is "
                                      "current and move the other away").format(
                                        csv=path.name, xlsx=path.with_suffix(".xlsx").name)))
        files[source.kind] = display
        other = next((path.with_name(name) for name in _LOOKALIKES(path.name) if path.with_name(name).exists()),
                     None) if not path.exists() else None
        if other is not None:
            problems.append(Problem(display_path(other), None, None, "",
                                    _("docgen reads {expected}, not {found}: rename the file to {expected}").format(
                                        expected=path.name, found=other.name)))
            recs[source.kind] = []
            unusable.add(source.kind)
            continue
        if not source.required and not path.exists():
            continue
        loader = functools.partial(_load_csv_source, encodings=encodings) if source.is_csv else _load_yaml_source
        before = len(problems)
        if source.kind == "policy" and (data_dir / POLICY_FOLDER).is_dir():
            files["policy"] = display_path(data_dir / POLICY_FOLDER) + "/"
            single = loader(source, path, display, problems) if path.exists() else []
            recs["policy"] = _load_policy_versions(data_dir, single, problems)
        else:
            recs[source.kind] = loader(source, path, display, problems)
        if len(problems) > before:
            if source.many:
                invalid_ids[source.kind] = _raw_ids(path, source) - {str(getattr(r.model, "id", ""))
                                                                     for r in recs[source.kind]}
            if not recs[source.kind]:
                unusable.add(source.kind)
    _cross_check(recs, files, problems, invalid_ids, unusable)
    if problems:
        raise InputError(problems)
    warnings = [str(w) for w in _warnings(recs) + _contract_warnings(recs) + _invisible(data_dir)]
    optional = {s.kind: [r.model for r in recs[s.kind]] for s in SOURCES if not s.required and s.kind in recs}
    # the same keyword arguments in the same order, gathered in one dict typed like model_construct's
    # `**values: Any` (mypy took a spread dict of lists as a possible value of its `_fields_set` parameter)
    values: dict[str, Any] = {
        "client": recs["client"][0].model,
        "policy": max((r.model for r in recs["policy"]), key=lambda p: p.effective_date),
        "policies": sorted((r.model for r in recs["policy"]), key=lambda p: p.effective_date),
        "policy_files": {r.model.version: f"{POLICY_FOLDER}/{Path(r.file).name}"
                         if r.file.startswith(display_path(data_dir / POLICY_FOLDER) + os.sep) else "policy.yaml"
                         for r in recs["policy"]},
        **{s.kind: [r.model for r in recs[s.kind]] for s in SOURCES if s.many and s.required},
        "bundles": optional.get("bundles") or list(m.DEFAULT_BUNDLES),
        "reviews": optional.get("reviews", []),
        "improvements": optional.get("improvements", []),
        "warnings": warnings,
        "encodings": encodings,
    }
    return m.Dataset.model_construct(**values)


def counts(dataset: m.Dataset) -> dict[str, int]:
    """Number of records per entity, for `docgen validate`."""
    return {s.kind: (1 if not s.many else len(getattr(dataset, s.kind))) for s in SOURCES}


def iter_sources() -> Iterable[Source]:
    return iter(SOURCES)
