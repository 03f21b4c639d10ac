"""Signed agreements: their contract, SLA annex and NDA stay as they were made, whatever changes;
`docgen reissue` makes them again and keeps the old files; drafts follow the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI, have_soffice, line_of, write_mini

from docgen import history, i18n
from docgen.cli import cli
from docgen.errors import InputError
from docgen.manifest import sha256
from docgen.validate import load_dataset

SIGNED = MINI["agreements.yaml"].replace("    signing_place: 澄湖市\n",
                                         "    signing_place: 澄湖市\n    status: signed\n")
CONTRACT = "out/contracts/hx-2026/CH-YW-2026-001_运维外包服务合同"
SLA = "out/contracts/hx-2026/CH-YW-2026-001-SLA_服务等级协议"
REPORT = "out/reports/2026-10/月度运维服务报告_华信智维_hx-2026_2026-10"


def _raise_late_fee(root: Path) -> None:
    policy = root / "data/policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("amount: 500.00", "amount: 800.00"), encoding="utf-8")


def _hashes(root: Path, *stems: str) -> dict[str, str]:
    return {f"{s}.{ext}": sha256((root / f"{s}.{ext}").read_bytes()) for s in stems for ext in ("docx", "pdf")}


def _build(runner, *extra: str):
    return runner.invoke(cli, ["build", "--data", "data", "--out", "out", *extra])


@pytest.fixture
def signed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner) -> Path:
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data", **{"agreements.yaml": SIGNED})
    first = _build(runner)
    assert first.exit_code == 0, first.output
    return tmp_path


pytestmark = [pytest.mark.soffice, pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")]


def test_a_policy_revision_leaves_signed_documents_byte_identical(signed: Path, runner) -> None:
    before = _hashes(signed, CONTRACT, SLA)
    report_before = _hashes(signed, REPORT)
    _raise_late_fee(signed)
    dry = _build(runner, "--dry-run")
    assert dry.exit_code == 0
    assert "3 signed documents are kept as they were made (hx-2026: 运维外包服务合同、服务等级协议、考核办法)" in dry.output
    assert "policy.yaml:deductions changed" in dry.output and "docgen reissue hx-2026" in dry.output
    with i18n.use("zh"):
        dry_zh = _build(runner, "--dry-run")
        built = _build(runner)
    assert dry_zh.exit_code == 0, dry_zh.output
    assert "份已签合同文件保持原样（hx-2026：运维外包服务合同、服务等级协议、考核办法）" in dry_zh.output
    assert built.exit_code == 0, built.output
    assert "份已签合同文件保持原样" in built.output
    assert _hashes(signed, CONTRACT, SLA) == before
    assert _hashes(signed, REPORT) != report_before  # the month's report applies the new figure
    forced = _build(runner, "--force")
    assert forced.exit_code == 0 and _hashes(signed, CONTRACT, SLA) == before


def test_a_lost_signed_document_is_not_made_again_from_new_data(signed: Path, runner) -> None:
    (signed / f"{CONTRACT}.pdf").unlink()
    result = _build(runner)
    assert result.exit_code == 0, result.output
    assert "output missing or altered" in result.output and "reissue hx-2026" in result.output
    assert not (signed / f"{CONTRACT}.pdf").exists()


def test_reissue_makes_them_again_and_keeps_the_old_files(signed: Path, runner) -> None:
    old = {rel: (signed / rel).read_bytes() for rel in (f"{CONTRACT}.pdf", f"{SLA}.docx")}
    _raise_late_fee(signed)
    result = runner.invoke(cli, ["reissue", "hx-2026", "--reason", "补充协议一：迟到扣款调整为800元",
                                 "--data", "data", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert (signed / f"{CONTRACT}.pdf").read_bytes() != old[f"{CONTRACT}.pdf"]
    record = history.builds(signed / "out")[-1]
    assert record.reason == "补充协议一：迟到扣款调整为800元" and "contract:hx-2026" in record.made
    for data in old.values():  # the replaced versions are kept, and an earlier build lists them
        assert history.kept(signed / "out", sha256(data)) == data
        assert any(sha256(data) in r.files.values() for r in history.builds(signed / "out")[:-1])
    after = _build(runner)  # the reports still apply the new fee; the reissued documents are in step
    assert after.exit_code == 0 and "保持原样" not in after.output
    assert "Everything is up to date" in _build(runner).output


def test_a_draft_follows_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner) -> None:
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data")  # no status: a draft, as every agreement written before statuses
    assert _build(runner).exit_code == 0
    before = _hashes(tmp_path, SLA)
    _raise_late_fee(tmp_path)
    result = _build(runner)
    assert result.exit_code == 0 and "保持原样" not in result.output
    assert _hashes(tmp_path, SLA) != before
    refused = runner.invoke(cli, ["reissue", "hx-2026", "--reason", "x", "--data", "data", "--out", "out"])
    assert refused.exit_code == 2 and "is a draft" in refused.output


def test_reissue_needs_a_known_signed_agreement_and_a_reason(tmp_path: Path, runner) -> None:
    write_mini(tmp_path / "data", **{"agreements.yaml": SIGNED})
    args = ["--data", str(tmp_path / "data"), "--out", str(tmp_path / "out")]
    unknown = runner.invoke(cli, ["reissue", "zz-2026", "--reason", "x", *args])
    assert unknown.exit_code == 2 and "no agreement 'zz-2026'; signed agreements: hx-2026" in unknown.output
    blank = runner.invoke(cli, ["reissue", "hx-2026", "--reason", "  ", *args])
    assert blank.exit_code == 2 and "say why" in blank.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))


@pytest.mark.parametrize(("lines", "needle", "message"), [
    ("    status: terminated\n", "status: terminated", "status terminated needs `terminated`"),
    ("    status: signed\n    terminated: {date: 2026-06-30, reason: 服务商违约}\n", "terminated:",
     "`terminated` is given, but status is 'signed'"),
    ("    status: terminated\n    terminated: {date: 2027-06-30, reason: 服务商违约}\n", "terminated:",
     "terminated.date 2027-06-30 is not between signing_date"),
    ("    policy_version: \"2025.9\"\n", "policy_version", "policy version '2025.9' is not in"),
])
def test_lifecycle_mistakes_name_the_line(tmp_path: Path, lines: str, needle: str, message: str) -> None:
    text = MINI["agreements.yaml"].replace("    signing_place: 澄湖市\n", "    signing_place: 澄湖市\n" + lines)
    data = write_mini(tmp_path / "data", **{"agreements.yaml": text})
    with pytest.raises(InputError) as caught:
        load_dataset(data)
    problems = [str(p) for p in caught.value.problems]
    assert any(message in p for p in problems), problems
    if needle == "policy_version":
        assert any(f"agreements.yaml:{line_of(text, needle)}:" in p for p in problems), problems
