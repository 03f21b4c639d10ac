"""Turn the data folder into a validated Dataset, reporting every problem in one pass."""

from __future__ import annotations

import contextlib
import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import models as m
from .errors import DocgenError, InputError, Problem
from .load import CsvRow, CsvTable, load_csv, load_xlsx, load_yaml, node_position


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
        line, col, _ = node_position(self.node, (field,))
        return line, col


def _all_field_names() -> set[str]:
    names: set[str] = set()
    for obj in vars(m).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            names.update(obj.model_fields)
    return names


_FIELD_NAMES = _all_field_names()


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "missing":
        return f"missing required field {err['loc'][-1]!r}"
    if kind == "extra_forbidden":
        name = str(err["loc"][-1])
        close = difflib.get_close_matches(name, _FIELD_NAMES, n=1, cutoff=0.7)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown field {name!r}{hint}{typing_hint(name)}"
    msg: str = err["msg"]
    msg = msg.removeprefix("Value error, ")
    if kind in ("string_type", "bool_type", "int_type", "decimal_type", "date_type", "datetime_type"):
        value = err.get("input")
        if not isinstance(value, (dict, list)):
            msg += f", got {value!r}"
            if kind == "string_type" and isinstance(value, (int, bool)):
                msg += " (put the value in quotes)"
    return msg + typing_hint(err.get("input"))


def typing_hint(value: Any) -> str:
    """What to write instead, for the ways Chinese office software writes numbers, dates and
    service windows: "; 不要写千分位逗号：写作 1200000.00"."""
    if not isinstance(value, str):
        return ""
    from .load import INVISIBLE

    hidden = [name for char, name in INVISIBLE.items() if char in value]
    if hidden:
        return f"；其中有看不见的字符（{'、'.join(hidden)}），删除它"
    text = value.strip()
    if re.fullmatch(r"[¥￥]?\d{1,3}([,，]\d{3})+(\.\d+)?", text):
        return f"；金额不要写千分位逗号，写作 {re.sub(r'[¥￥,，]', '', text)}"
    if re.fullmatch(r"\d+(\.\d+)?\s*[%％]", text):
        return f"；百分比只写数字，不写 %：写作 {text.rstrip('%％ ')}"
    if re.fullmatch(r"[¥￥]?\d+(\.\d+)?\s*(元|万元|万)", text):
        return "；只写数字，单位是元（万元要换算成元）"
    found = re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?", text) or re.fullmatch(
        r"(\d{4})[./](\d{1,2})[./](\d{1,2})", text)
    if found:
        y, mo, d = found.groups()
        return f"；日期写作 {y}-{int(mo):02d}-{int(d):02d}"
    found = re.fullmatch(r"(\d+)\s*[xX*＊]\s*(\d+)", text)
    if found:
        return f"；用乘号 ×：写作 {found.group(1)}×{found.group(2)}"
    return ""


def _field_path(root: Any, loc: tuple[Any, ...]) -> str:
    """The field a problem is in, naming each record of a list by its 1-based position and its id
    (or code, key, name) as a reader counts them: "agreements[第4项 zh-2027].fees.total"."""
    out, node = "", root
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, CommentedSeq) and 0 <= part < len(node) else None
            name = next((str(item[k]) for k in ("id", "code", "key", "level", "name")
                         if isinstance(item, CommentedMap) and isinstance(item.get(k), (str, int))), "")
            name = name if len(name) <= 24 else name[:23] + "…"
            out += f"[第{part + 1}项{' ' + name if name else ''}]"
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
            problems.append(Problem(display, line, col, _field_path(root, walked) or source.kind, _message(err)))
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
                                        f"version {rec.model.version!r} in a file named {path.name}; name the "
                                        f"file after its version ({rec.model.version}.yaml)"))
            records.append(rec)
    if not records and not problems:
        problems.append(Problem(display_path(folder), None, None, "", "holds no policy version (<version>.yaml)"))
    by_version: dict[str, Record] = {}
    for rec in records:
        other = by_version.setdefault(rec.model.version, rec)
        if other is not rec:
            line, col = rec.where("version")
            problems.append(Problem(rec.file, line, col, "policy.version",
                                    f"version {rec.model.version!r} is also in {other.file}"))
    by_day: dict[object, Record] = {}
    for rec in sorted(records, key=lambda r: r.file):
        same_day = by_day.get(rec.model.effective_date)
        if same_day is not None:
            line, col = rec.where("effective_date")
            problems.append(Problem(rec.file, line, col, "policy.effective_date",
                                    f"{rec.model.effective_date}: version {same_day.model.version} "
                                    f"({same_day.file}) takes "
                                    "effect on the same day; two versions cannot be in force on one day"))
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
            line, col, _ = node_position(root, (key,), point_at_key=True)
            problems.append(Problem(display, line, col, str(key),
                                    f"unknown top-level key; this file holds {source.kind!r}"))
    if source.kind not in root:
        problems.append(Problem(display, 1, 1, source.kind, f"missing top-level key {source.kind!r}"))
        return []
    body = root[source.kind]
    if not source.many:
        model = _validate_node(source, display, root, body, (source.kind,), problems)
        return [Record(model, display, body)] if model is not None else []
    if not isinstance(body, CommentedSeq):
        line, col, _ = node_position(root, (source.kind,))
        problems.append(Problem(display, line, col, source.kind, "expected a list of records"))
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
            hint = f"; did you mean {close[0]!r}?" if close else ""
            header_problems.append(Problem(display, 1, i + 1, f"{source.kind}.{name}",
                                           f"unknown column {name!r}{hint}"))
    for name, info in fields.items():
        if info.is_required() and name not in table.header:
            header_problems.append(Problem(display, 1, None, f"{source.kind}.{name}", f"missing column {name!r}"))
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
                found = Problem(display, row.line, col, f"{source.kind}.{column}", _message(err))
                by_column.setdefault((column, err["type"]), []).append((found, err.get("input")))
            continue
        records.append(Record(model, display, row, header))
    for (column, _), failed in by_column.items():
        problems.extend(_per_column(column, failed))
    return records


COLUMN_PATTERN_AT = 5  # more rows than this with one mistake in one column: one problem for the column


def _per_column(column: str, found: list[tuple[Problem, Any]]) -> list[Problem]:
    """The problems of one column: each row's, or one for the column when many rows share the
    mistake (a whole column exported in a format docgen does not read)."""
    if len(found) <= COLUMN_PATTERN_AT:
        return [p for p, _ in found]
    first = found[0][0]
    shown = ", ".join(str(p.line) for p, _ in found[:5])
    return [Problem(first.file, first.line, first.col, first.field,
                    f"{len(found)} rows of column {column!r} have this problem (rows {shown}, …), "
                    f"as in the first one, {found[0][1]!r}: {first.message}")]


def _duplicates(records: list[Record], kind: str, problems: list[Problem]) -> None:
    seen: dict[str, Record] = {}
    for rec in records:
        key = rec.model.id.lower()
        if key in seen:
            first_line, _ = seen[key].where("id")
            line, col = rec.where("id")
            same = ("" if seen[key].model.id == rec.model.id
                    else f" (as {seen[key].model.id!r}; ids must differ in more than case)")
            problems.append(Problem(rec.file, line, col, f"{kind}.id",
                                    f"duplicate id {rec.model.id!r}, first used at line {first_line}{same}"))
        else:
            seen[key] = rec


def _same_value(records: list[Record], field: str, kind: str, what: str, problems: list[Problem],
                why: str) -> None:
    """Report every record whose `field` repeats an earlier record's (ignoring case and spaces)."""
    seen: dict[str, Record] = {}
    for rec in records:
        value = str(getattr(rec.model, field))
        key = "".join(value.split()).casefold()
        if key in seen:
            first_line, _ = seen[key].where(field)
            line, col = rec.where(field)
            problems.append(Problem(rec.file, line, col, f"{kind}.{field}",
                                    f"duplicate {what} {value!r}, first used at line {first_line}; {why}"))
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
        reason = f"contains {bad.group()!r}, which a file name cannot hold"
    elif title.strip() in ("", ".", "..") or title.startswith((".", " ")) or title.endswith((".", " ")):
        reason = "must not start or end with a dot or a space"
    elif len(title) > MAX_TITLE:
        reason = f"is {len(title)} characters long; at most {MAX_TITLE} fit in a file name"
    if reason:
        line, col = rec.where("title")
        problems.append(Problem(rec.file, line, col, "bundles.title",
                                f"the title becomes the bundle's file name and {reason}"))


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
    known = ", ".join(sorted(targets)[:12]) or "none"
    line, col = rec.where(field)
    problems.append(Problem(rec.file, line, col, field,
                            f"unknown {what} {value!r}; {target_file} defines: {known}"))
    return None


def _vocabulary(recs: dict[str, list[Record]], files: dict[str, str], problems: list[Problem]) -> None:
    """Service windows and categories are the policy's (vocabulary; by default 5×8 and 7×24 and
    the eight categories): an agreement names a window its policy defines, a vendor categories
    some version lists, a deduction rule windows of its own version."""
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
            line, col, _ = node_position(rec.node, ("sla", "service_window"))
            problems.append(Problem(rec.file, line, col, "sla.service_window",
                                    f"unknown service window {value!r}; the policy ({files['policy']}, version "
                                    f"{bound.version}) defines {', '.join(names)}: add it to "
                                    "vocabulary.service_windows there" + typing_hint(value)))
    for rec in recs["vendors"]:
        for i, category in enumerate(rec.model.categories):
            if category not in categories:
                line, col, _ = node_position(rec.node, ("categories", i))
                problems.append(Problem(rec.file, line, col, "categories",
                                        f"unknown service category {category!r}; the policy ({files['policy']}) "
                                        f"lists {'、'.join(sorted(categories))}: add it to "
                                        "vocabulary.service_categories there"))
    for rec in recs.get("policy", []):
        defined = {w.name for w in rec.model.vocabulary.service_windows}
        for i, rule in enumerate(rec.model.deductions.rules):
            for j, window in enumerate(rule.windows):
                if window not in defined:
                    line, col, _ = node_position(rec.node, ("deductions", "rules", i, "windows", j))
                    problems.append(Problem(rec.file, line, col, f"deductions.rules.{rule.code}.windows",
                                            f"unknown service window {window!r}; vocabulary.service_windows of this "
                                            f"version defines {', '.join(sorted(defined))}" + typing_hint(window)))


def _cross_check(recs: dict[str, list[Record]], files: dict[str, str], problems: list[Problem],
                 invalid_ids: dict[str, set[str]], unusable: set[str]) -> None:
    for kind in ("vendors", "agreements", "staff", "tickets", "attendance", "leave", "changes"):
        _duplicates(recs[kind], kind, problems)
    _same_value(recs["vendors"], "short_name", "vendors", "short name", problems,
                "reports and bundles name the vendor by it")
    _same_value(recs.get("bundles", []), "name", "bundles", "bundle name", problems,
                "each bundle needs a name of its own")
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
                                    f"no ticket {rec.model.ticket!r} in {files['tickets']}"))
        elif rec.model.ticket in seen_reviews:
            problems.append(Problem(rec.file, line, col, "ticket",
                                    f"ticket {rec.model.ticket!r} already has a review above"))
        seen_reviews.add(rec.model.ticket)
    _vocabulary(recs, files, problems)
    vendors = Targets(recs["vendors"], invalid_ids["vendors"], "vendors" in unusable)
    agreements = Targets(recs["agreements"], invalid_ids["agreements"], "agreements" in unusable)
    staff = Targets(recs["staff"], invalid_ids["staff"], "staff" in unusable)

    for rec in recs["agreements"]:
        vendor = _ref(rec, "vendor", rec.model.vendor, vendors, files["vendors"], "vendor", problems)
        if vendor is not None and vendor.model.sme and rec.model.fees.payment_days > SME_PAYMENT_DAYS:
            line, col, _ = node_position(rec.node, ("fees", "payment_days"))
            problems.append(Problem(rec.file, line, col, "fees.payment_days",
                                    f"{rec.model.fees.payment_days} days: vendor {vendor.model.id!r} is an SME "
                                    f"(sme: true in {files['vendors']}), and 《保障中小企业款项支付条例》 allows "
                                    f"at most {SME_PAYMENT_DAYS} days"))
    for rec in recs.get("improvements", []):
        _ref(rec, "agreement", rec.model.agreement, agreements, files["agreements"], "agreement", problems)
    for rec in recs["staff"]:
        _ref(rec, "vendor", rec.model.vendor, vendors, files["vendors"], "vendor", problems)
        ag = _ref(rec, "agreement", rec.model.agreement, agreements, files["agreements"], "agreement", problems)
        if ag is not None and ag.model.vendor != rec.model.vendor:
            line, col = rec.where("agreement")
            problems.append(Problem(rec.file, line, col, "agreement",
                                    f"agreement {ag.model.id!r} belongs to vendor {ag.model.vendor!r}, "
                                    f"not {rec.model.vendor!r} ({files['agreements']})"))
    for rec in recs["tickets"]:
        ag = _ref(rec, "agreement", rec.model.agreement, agreements, files["agreements"], "agreement", problems)
        person = _ref(rec, "assignee", rec.model.assignee, staff, files["staff"], "staff member", problems)
        if ag is not None and person is not None and person.model.agreement != ag.model.id:
            line, col = rec.where("assignee")
            problems.append(Problem(rec.file, line, col, "assignee",
                                    f"staff member {person.model.id!r} works under agreement "
                                    f"{person.model.agreement!r}, not {ag.model.id!r} ({files['staff']})"))
        if ag is not None:
            _ticket_in_agreement(rec, ag, files["agreements"], problems)
    versions = sorted((r.model for r in recs.get("policy", [])), key=lambda p: p.effective_date)
    for rec in recs["agreements"]:
        pinned = rec.model.policy_version
        bound = next((p for p in versions if p.version == pinned), versions[-1] if versions else None)
        if bound is not None and rec.model.performance_bond_pct > bound.bond_max_pct:
            line, col = rec.where("performance_bond_pct")
            problems.append(Problem(rec.file, line, col, "performance_bond_pct",
                                    f"{rec.model.performance_bond_pct}% is over the policy's limit of "
                                    f"{bound.bond_max_pct}% (bond_max_pct in {files['policy']}, "
                                    f"version {bound.version})"))
        if versions and pinned is not None and pinned not in {p.version for p in versions}:
            line, col = rec.where("policy_version")
            problems.append(Problem(rec.file, line, col, "policy_version",
                                    f"policy version {pinned!r} is not in {files['policy']} "
                                    f"(it holds {', '.join(repr(p.version) for p in versions)})"))
    approved: dict[str, list[m.LeaveRequest]] = {}
    for rec in recs["leave"]:
        approved.setdefault(rec.model.staff, []).append(rec.model)
    for rec in recs["attendance"]:
        person = _ref(rec, "staff", rec.model.staff, staff, files["staff"], "staff member", problems)
        if person is not None and rec.model.date < person.model.start_date:
            line, col = rec.where("date")
            problems.append(Problem(rec.file, line, col, "date",
                                    f"{rec.model.date} is before {person.model.id!r} started on "
                                    f"{person.model.start_date} ({files['staff']})"))
        if rec.model.kind == ABSENCE:
            on_leave = next((r for r in approved.get(rec.model.staff, [])
                             if r.start.date() <= rec.model.date <= r.end.date()), None)
            if on_leave is not None:
                line, col = rec.where("kind")
                problems.append(Problem(rec.file, line, col, "kind",
                                        f"旷工 on {rec.model.date}, a day of approved leave {on_leave.id!r} "
                                        f"({files['leave']}); remove the record or correct the leave"))
        in_force = m.version_on(versions, rec.model.date)
        codes = [r.code for r in in_force.deductions.rules] if in_force else []
        where = "" if in_force is None else (
            files["policy"] if len(versions) == 1 else f"{files['policy']} (version {in_force.version})")
        if in_force is not None and rec.model.kind not in codes:
            line, col = rec.where("kind")
            problems.append(Problem(rec.file, line, col, "kind",
                                    f"unknown deduction kind {rec.model.kind!r}; {where} defines: " + ", ".join(codes)))
        elif in_force is not None and person is not None and person.model.agreement in agreements:
            rule = next(r for r in in_force.deductions.rules if r.code == rec.model.kind)
            window = agreements[person.model.agreement].model.sla.service_window
            if rule.windows and window not in rule.windows:
                line, col = rec.where("kind")
                problems.append(Problem(rec.file, line, col, "kind",
                                        f"{rule.name!r} applies only to {'/'.join(rule.windows)} agreements ({where}); "
                                        f"{person.model.id!r} works under {person.model.agreement!r}, a {window} "
                                        "agreement whose contract does not list it"))
    for rec in recs["leave"]:
        who = _ref(rec, "staff", rec.model.staff, staff, files["staff"], "staff member", problems)
        sub = _ref(rec, "substitute", rec.model.substitute, staff, files["staff"], "staff member", problems)
        if sub is not None and who is not None and sub.model.id == who.model.id:
            line, col = rec.where("substitute")
            problems.append(Problem(rec.file, line, col, "substitute", "the substitute cannot be the person on leave"))
        elif sub is not None and who is not None and sub.model.vendor != who.model.vendor:
            line, col = rec.where("substitute")
            problems.append(Problem(rec.file, line, col, "substitute",
                                    f"the substitute {sub.model.id!r} works for vendor {sub.model.vendor!r}, "
                                    f"not {who.model.vendor!r} like {who.model.id!r} ({files['staff']})"))
        span = Decimal((rec.model.end - rec.model.start).total_seconds()) / 3600
        if rec.model.hours > span:
            line, col = rec.where("hours")
            problems.append(Problem(rec.file, line, col, "hours",
                                    f"{rec.model.hours} hours do not fit between start and end "
                                    f"({span.quantize(Decimal('0.1'))} hours)"))
        in_force = m.version_on(versions, rec.model.start.date())
        if in_force is not None:
            _leave_rules(rec, in_force, files["policy"], problems)
    for rec in recs["changes"]:
        _ref(rec, "agreement", rec.model.agreement, agreements, files["agreements"], "agreement", problems)
        old = _ref(rec, "old_staff", rec.model.old_staff, staff, files["staff"], "staff member", problems)
        if old is not None and old.model.agreement != rec.model.agreement:
            line, col = rec.where("old_staff")
            problems.append(Problem(rec.file, line, col, "old_staff",
                                    f"staff member {old.model.id!r} works under agreement {old.model.agreement!r}, "
                                    f"not {rec.model.agreement!r} ({files['staff']})"))


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
                                   f"{t.downtime_minutes} minutes recorded, {span} from report to restore: "
                                   "the report counts the record; check it against the monitoring log"))
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
            line, col, _ = node_position(rec.node, path)
            out.append(Problem("agreements.yaml", line, col, field, message))

        after = ag.end + timedelta(days=1)
        whole = ag.start.day == 1 and after.day == 1
        months = (after.year - ag.start.year) * 12 + after.month - ag.start.month
        if whole and fees.total_basis is None and fees.monthly * months != fees.total:
            warn(("fees", "total"), "fees.total",
                 f"{ag.id}: {fees.total} is not the monthly fee {fees.monthly} × {months} months "
                 f"= {fees.monthly * months}; correct it, or say why in fees.total_basis")
        if ag.signing_date > ag.start:
            warn(("signing_date",), "signing_date",
                 f"{ag.id}: signed on {ag.signing_date}, after the term starts on {ag.start}; "
                 "the services before signing have no contract")
        if ag.nda.liquidated_damages > fees.total:
            warn(("nda", "liquidated_damages"), "nda.liquidated_damages",
                 f"{ag.id}: {ag.nda.liquidated_damages} exceeds the contract price {fees.total}; "
                 "a tribunal is likely to reduce it (民法典 第五百八十五条)")
        top = max((c.credit_pct for c in ag.sla.credits), default=None)
        if top is not None and ag.sla.credit_cap_pct > top and not any(lv.restore_credit_pct for lv in ag.sla.levels):
            warn(("sla", "credit_cap_pct"), "sla.credit_cap_pct",
                 f"{ag.id}: the cap {ag.sla.credit_cap_pct}% can never be reached: credits do not add up "
                 f"and the highest tier credits {top}%")
        commission = ag.disputes.arbitration_commission
        if commission is not None and commission not in known:
            warn(("disputes", "arbitration_commission"), "disputes.arbitration_commission",
                 f"{ag.id}: {commission!r} is not a registered arbitration commission docgen knows; "
                 "write its exact registered name, or add it to arbitration_commissions in client.yaml")
    from .context import ANNEXES

    for rec in recs.get("bundles", []):
        spec: m.BundleSpec = rec.model
        if spec.per == "agreement" and "contract" in spec.kinds:
            for kind, label, title, _ in ANNEXES:
                if kind not in spec.kinds:
                    line, col, _ = node_position(rec.node, ("kinds",))
                    out.append(Problem("bundles.yaml", line, col, "kinds",
                                       f"{spec.name} holds no {label}《{title}》 ({kind}): the contract's "
                                       f"附件清单 leaves it out, while its clauses may still refer to it"))
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
                                f"agreement {agreement.id!r} has no level {ticket.severity!r}; its SLA defines "
                                f"{', '.join(levels)} ({agreements_file})"))
    if not agreement.start <= ticket.opened.date() <= agreement.end:
        line, col = rec.where("opened")
        problems.append(Problem(rec.file, line, col, "opened",
                                f"{ticket.opened:%Y-%m-%d %H:%M} is outside the term of agreement {agreement.id!r} "
                                f"({agreement.start} to {agreement.end}, {agreements_file})"))


def _bundle_kinds(rec: Record, problems: list[Problem]) -> None:
    from .plan import KINDS

    for i, kind in enumerate(rec.model.kinds):
        if kind not in KINDS:
            line, col, _ = node_position(rec.node, ("kinds", i))
            problems.append(Problem(rec.file, line, col, "kinds",
                                    f"unknown document kind {kind!r}; known: {', '.join(KINDS)}"))


def _leave_rules(rec: Record, policy: m.Policy, policy_file: str, problems: list[Problem]) -> None:
    leave: m.LeaveRequest = rec.model
    rules = policy.leave
    if leave.hours > rules.letter_over_hours and not leave.vendor_letter_no:
        line, col = rec.where("hours")
        problems.append(Problem(rec.file, line, col, "vendor_letter_no",
                                f"leave of {leave.hours} hours needs vendor_letter_no: {policy_file} "
                                f"(version {policy.version}) requires a vendor letter over "
                                f"{rules.letter_over_hours} hours"))
    if leave.hours > rules.substitute_over_hours and not leave.substitute:
        line, col = rec.where("hours")
        problems.append(Problem(rec.file, line, col, "substitute",
                                f"leave of {leave.hours} hours needs a substitute: {policy_file} "
                                f"(version {policy.version}) requires one over {rules.substitute_over_hours} hours"))


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
        raise InputError([Problem(display_path(data_dir), None, None, "", "data folder not found")])
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
    """sha256 over the names and bytes of every file load_dataset reads, and docgen's code."""
    import hashlib

    from .versions import code_fingerprint

    digest = hashlib.sha256(code_fingerprint().encode() + b"\0")
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
        out += [p for p in screen_text(text, name) if p.message.startswith("看不见的字符")]
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
                                    f"both {path.name} and {path.with_suffix('.xlsx').name} are in the data folder; "
                                    "keep the one that is current and move the other away"))
        files[source.kind] = display
        other = next((path.with_name(name) for name in _LOOKALIKES(path.name) if path.with_name(name).exists()),
                     None) if not path.exists() else None
        if other is not None:
            problems.append(Problem(display_path(other), None, None, "",
                                    f"docgen reads {path.name}, not {other.name}: rename the file to {path.name}"))
            recs[source.kind] = []
            unusable.add(source.kind)
            continue
        if not source.required and not path.exists():
            continue
        loader = partial(_load_csv_source, encodings=encodings) if source.is_csv else _load_yaml_source
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
