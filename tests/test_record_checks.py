"""Records the agreement or the policy cannot know are validation errors, all in one pass, each
naming its file, line, column and field: a level the SLA lacks, a ticket outside the term,
attendance before a start date, 旷工 on approved leave, a substitute of another vendor, leave
hours that do not fit the interval. Written into a copy of the sample data."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import line_of

from docgen.errors import InputError
from docgen.validate import load_dataset


def _append(path: Path, lines: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + lines, encoding="utf-8")


def test_every_record_the_agreement_cannot_know_is_one_located_problem(sample_copy: Path) -> None:
    data = sample_copy
    _append(data / "tickets.csv",
            "INC-X-1,lc-2026,P4,咨询与服务请求,无线网络,访客网络开通,2026-10-05 09:00,2026-10-05 09:10,,,,lc-01,,0\n"
            "INC-X-2,hx-2026,P1,硬件故障,核心业务系统,宕机,2027-01-05 09:00,2027-01-05 09:10,,,,hx-01,,0\n")
    _append(data / "attendance.csv",
            "KQ-X-1,2026-07-20,hx-05,late,1,迟到10分钟\n"  # hx-05 started on 2026-08-03
            "KQ-X-2,2026-07-22,hx-03,absence,1,未到岗\n")  # hx-03 is on approved sick leave QJ-003 that day
    leave = data / "leave.yaml"
    text = leave.read_text(encoding="utf-8")
    text = text.replace("    hours: 3.5\n", "    hours: 4\n", 1)  # QJ-001: 14:00–17:30 holds 3.5 hours
    text = text.replace("    substitute: hx-02\n", "    substitute: lc-02\n", 1)  # QJ-003's substitute, of lc
    leave.write_text(text, encoding="utf-8")

    with pytest.raises(InputError) as caught:
        load_dataset(data)
    found = {(Path(p.file).name, p.line, p.field): p.message for p in caught.value.problems}
    tickets = (data / "tickets.csv").read_text(encoding="utf-8")
    expected = {
        ("tickets.csv", line_of(tickets, "INC-X-1,"), "severity"): "agreement 'lc-2026' has no level 'P4'",
        ("tickets.csv", line_of(tickets, "INC-X-2,"), "opened"): "is outside the term of agreement 'hx-2026'",
        ("attendance.csv", line_of((data / "attendance.csv").read_text(encoding="utf-8"), "KQ-X-1"), "date"):
            "2026-07-20 is before 'hx-05' started on 2026-08-03",
        ("attendance.csv", line_of((data / "attendance.csv").read_text(encoding="utf-8"), "KQ-X-2"), "kind"):
            "absence (旷工) on 2026-07-22, a day of approved leave 'QJ-003'",
        ("leave.yaml", line_of(text, "substitute: lc-02"), "substitute"): "works for vendor 'lc', not 'hx'",
        ("leave.yaml", line_of(text, "hours: 4"), "hours"): "4 hours do not fit between start and end (3.5 hours)",
    }
    for key, message in expected.items():
        assert key in found, (key, sorted(found))
        assert message in found[key], (key, found[key])
    assert all(p.col for p in caught.value.problems if Path(p.file).name in {"tickets.csv", "attendance.csv"})


def test_a_short_recorded_downtime_is_a_warning_not_an_error(sample_copy: Path, runner) -> None:
    from docgen.cli import cli

    result = runner.invoke(cli, ["validate", "--data", str(sample_copy)])
    assert result.exit_code == 0, result.output
    tickets = (sample_copy / "tickets.csv").read_text(encoding="utf-8")
    line = line_of(tickets, "INC-202609-0083,")
    assert (f"warning: {sample_copy / 'tickets.csv'}:{line}:14: downtime_minutes: 11 minutes recorded, "
            "74 from report to restore") in result.output
    assert result.output.count("warning: ") == 4  # the four outages of the sample the audit found
    assert "all data valid" in result.output
