"""Exports as Chinese Excel saves them: CSV in GB18030 or UTF-8 with BOM, and Excel's text
dates ('2026/11/2 11:05'), read into the same records as the UTF-8 ISO files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import i18n
from docgen.cli import cli
from docgen.errors import InputError
from docgen.validate import load_dataset

BASE = load_dataset(SAMPLE_DATA)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    return folder


@pytest.mark.parametrize(("encoding", "label"), [("gb18030", "GB18030"), ("utf-8-sig", "UTF-8 (BOM)")])
def test_an_export_saved_by_chinese_excel_reads_the_same(tmp_path: Path, encoding: str, label: str, runner) -> None:
    folder = _copy(tmp_path)
    for name in ("tickets.csv", "attendance.csv"):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_bytes(text.encode(encoding))
    if encoding == "gb18030":
        assert (folder / "tickets.csv").read_bytes() != (SAMPLE_DATA / "tickets.csv").read_bytes()
    data = load_dataset(folder)
    assert data.tickets == BASE.tickets and data.attendance == BASE.attendance
    assert data.encodings == {"tickets": label, "attendance": label}
    result = runner.invoke(cli, ["validate", "--data", str(folder)])
    assert result.exit_code == 0 and re.search(rf"tickets\s+410\s+\({re.escape(label)}\)", result.output), result.output


def test_excel_text_dates_read_as_iso(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    tickets = (folder / "tickets.csv").read_text(encoding="utf-8")

    def excel(m: re.Match[str]) -> str:  # 2026-07-01T09:10 → 2026/7/1 9:10
        y, mo, d, h, mi = m.groups()
        return f"{y}/{int(mo)}/{int(d)} {int(h)}:{mi}"

    slashed = re.sub(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::00)?", excel, tickets)
    assert slashed != tickets and "2026/7/" in slashed
    (folder / "tickets.csv").write_text(slashed, encoding="utf-8")
    attendance = (folder / "attendance.csv").read_text(encoding="utf-8")
    (folder / "attendance.csv").write_text(
        re.sub(r"(\d{4})-(\d{2})-(\d{2})", lambda m: f"{m[1]}/{int(m[2])}/{int(m[3])}", attendance), encoding="utf-8")
    data = load_dataset(folder)
    assert data.tickets == BASE.tickets and data.attendance == BASE.attendance


def test_an_export_in_neither_encoding_is_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "tickets.csv").write_bytes((SAMPLE_DATA / "tickets.csv").read_bytes() + b"\xff\xff\n")
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "tickets.csv:" in text and "is not UTF-8 nor GB18030 (byte 0xFF)" in text and "CSV UTF-8" in text


@settings(max_examples=100, deadline=None)
@given(st.datetimes(min_value=__import__("datetime").datetime(2000, 1, 1),
                    max_value=__import__("datetime").datetime(2099, 12, 31)).map(lambda d: d.replace(microsecond=0)))
def test_any_excel_time_reads_back(moment) -> None:
    from pydantic import TypeAdapter

    from docgen.models import Moment

    adapter = TypeAdapter(Moment)
    written = f"{moment.year}/{moment.month}/{moment.day} {moment.hour}:{moment.minute:02d}:{moment.second:02d}"
    assert adapter.validate_python(written) == moment
    assert adapter.validate_python(moment.isoformat()) == moment


# --------------------------------------------------------------------------- workbooks (.xlsx)

def _as_workbook(csv_path: Path, sheet: str, *, typed: bool = True) -> Path:
    """The CSV export saved as Excel saves a workbook: dates as date cells, counts as numbers
    (typed), or every cell as text."""
    import csv
    from datetime import date, datetime

    from openpyxl import Workbook

    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(rows[0])

    def cell(value: str) -> object:
        if not typed or value == "":
            return value or None
        for pattern, kind in (("%Y-%m-%d %H:%M", datetime), ("%Y-%m-%dT%H:%M", datetime), ("%Y-%m-%d", date)):
            try:
                parsed = datetime.strptime(value, pattern)
            except ValueError:
                continue
            return parsed if kind is datetime else parsed.date()
        return int(value) if value.isdigit() else value

    for row in rows[1:]:
        ws.append([cell(v) for v in row])
    target = csv_path.with_suffix(".xlsx")
    book.save(target)
    csv_path.unlink()
    return target


@pytest.mark.parametrize("typed", [True, False], ids=["date cells", "text cells"])
def test_the_exports_saved_as_workbooks_build_the_same_reports(tmp_path: Path, typed: bool, runner) -> None:
    from docgen.plan import documents, job_inputs

    folder = _copy(tmp_path)
    _as_workbook(folder / "tickets.csv", "工单", typed=typed)
    _as_workbook(folder / "attendance.csv", "考勤", typed=typed)
    data = load_dataset(folder)
    assert data.tickets == BASE.tickets and data.attendance == BASE.attendance
    assert data.encodings == {"tickets": "Excel (.xlsx)", "attendance": "Excel (.xlsx)"}
    templates = SAMPLE_DATA.parent / "templates"
    tools = {"docgen": "x"}
    made = {j.id: job_inputs(j, tools) for j in documents(data, templates, ["monthly", "annual"])}
    base = {j.id: job_inputs(j, tools) for j in documents(BASE, templates, ["monthly", "annual"])}
    assert made == base  # the same inputs, so the same report bytes
    result = runner.invoke(cli, ["validate", "--data", str(folder)])
    assert result.exit_code == 0 and re.search(r"tickets\s+410\s+\(Excel \(\.xlsx\)\)", result.output), result.output


def test_a_mistake_in_a_workbook_names_the_sheet_row_and_column(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    folder = _copy(tmp_path)
    book_path = _as_workbook(folder / "tickets.csv", "工单")
    book = load_workbook(book_path)
    ws = book["工单"]
    header = [c.value for c in ws[1]]
    ws.cell(row=5, column=header.index("opened") + 1, value="上午九点")
    ws.cell(row=9, column=header.index("severity") + 1, value="P9")
    book.save(book_path)
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    lines = [str(p) for p in caught.value.problems]
    col = header.index("opened") + 1
    assert any(line.startswith(f"{folder / 'tickets.xlsx'}[工单]:5:{col}: tickets.opened") for line in lines), lines
    assert any("[工单]:9:" in line and "tickets.severity" in line for line in lines), lines


def test_a_csv_and_a_workbook_of_one_export_are_refused_together(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    shutil.copy(folder / "tickets.csv", tmp_path / "tickets.csv")
    _as_workbook(folder / "tickets.csv", "工单")
    shutil.copy(tmp_path / "tickets.csv", folder / "tickets.csv")
    with pytest.raises(InputError, match=r"both tickets\.csv and tickets\.xlsx"):
        load_dataset(folder)


def test_a_file_that_is_not_a_workbook_says_how_to_save_it(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "tickets.csv").unlink()
    (folder / "tickets.xlsx").write_bytes(b"id,agreement\nINC-1,hx-2026\n")
    with i18n.use("zh"), pytest.raises(InputError, match=r"tickets\.xlsx: 不是 docgen 能读取的 Excel 工作簿.*Excel 工作簿"):
        load_dataset(folder)
    with pytest.raises(InputError, match=r"tickets\.xlsx: not an Excel workbook.*'Excel Workbook \(\*\.xlsx\)'"):
        load_dataset(folder)


def test_a_whole_column_in_an_unknown_format_is_one_problem_not_one_per_row(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    tickets = (folder / "tickets.csv").read_text(encoding="utf-8")
    # a ticket system that exports 03.07.2026 09h10
    (folder / "tickets.csv").write_text(
        re.sub(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})", r"\3.\2.\1 \4h\5", tickets), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    opened = [p for p in caught.value.problems if p.field == "tickets.opened"]
    assert len(opened) == 1 and opened[0].line == 2
    assert opened[0].message.startswith(f"{len(BASE.tickets)} rows of column 'opened' have this problem (rows 2, 3, 4,")
    assert len(caught.value.problems) <= 5  # one per time column


def test_a_few_bad_rows_are_each_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    lines = (folder / "tickets.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    for n in (3, 7):
        lines[n - 1] = re.sub(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})", r"\3.\2.\1", lines[n - 1], count=1)
    (folder / "tickets.csv").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    assert sorted(p.line for p in caught.value.problems) == [3, 7]
