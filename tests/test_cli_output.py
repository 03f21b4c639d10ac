"""What `docgen build` and `docgen month` print: document names as they are made, a summary by
kind, -q for only the last line, -v for why, --json for scripts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import have_soffice, write_mini

from docgen.cli import cli

pytestmark = [pytest.mark.soffice, pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data")
    return tmp_path


def test_a_log_names_each_document_and_the_end_counts_them_by_kind(project: Path, runner) -> None:
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    steps = [line for line in result.output.splitlines() if re.match(r"\[\d+/\d+\] ", line)]
    assert steps and all(not re.search(r"\d{5}\.docx", line) for line in steps), steps
    assert any("CH-YW-2026-001_运维外包服务合同" in line for line in steps), steps
    assert re.search(r"^made: .*1 运维外包服务合同", result.output, re.M), result.output
    assert result.output.rstrip().splitlines()[-1].startswith(f"{len(steps)} made, 0 unchanged, 0 failed")


def test_quiet_prints_only_the_last_line(project: Path, runner) -> None:
    result = runner.invoke(cli, ["build", "-q"])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 1 and " made, " in result.output


def test_verbose_says_why_each_document_is_made(project: Path, runner) -> None:
    runner.invoke(cli, ["build", "-q"])
    policy = project / "data/policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("amount: 500.00", "amount: 800.00"), encoding="utf-8")
    result = runner.invoke(cli, ["build", "-v"])
    assert result.exit_code == 0, result.output
    assert "contracts/hx-2026/CH-YW-2026-001-SLA_服务等级协议: policy.yaml:deductions changed" in result.output


def test_json_is_the_summary_and_nothing_else(project: Path, runner) -> None:
    result = runner.invoke(cli, ["build", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert {"contract:hx-2026", "monthly:hx-2026-2026-10"} <= {m["id"] for m in body["made"]}
    assert body["failed"] == {} and body["unchanged"] == [] and body["out"] == "out"
    assert all(Path(p).is_file() for p in body["written"])
    again = json.loads(runner.invoke(cli, ["build", "--json"]).stdout)
    assert again["made"] == [] and len(again["unchanged"]) == len(body["made"])
    month = json.loads(runner.invoke(cli, ["month", "2026-10", "--json"]).stdout)
    assert month["made"] == [] and "monthly:hx-2026-2026-10" in month["unchanged"]
