"""Incremental builds and bundles, read back from the manifest and the PDFs."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import MINI, TEMPLATES, have_soffice, pdffonts, pdftotext, write_mini
from pypdf import PdfReader

from docgen.cli import cli
from docgen.manifest import MANIFEST_NAME

pytestmark = [pytest.mark.soffice, pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")]

CHANGES = """\
changes:
  - id: C1
    agreement: hx-2026
    type: 替换
    old_staff: s2
    new_person: {name: 赵敏, role: 网络工程师, certificates: [HCIP], years_experience: 7}
    reason: 原人员家庭原因离职
    requested: 2026-10-01
    effective: 2026-10-12
    handover: [账号权限, 运维文档, 未结工单]
    access_revoked: true
    pledge_signed: true
    vendor_letter_no: HX-2026-031
"""
LEAVE2 = MINI["leave.yaml"] + """\
  - id: L2
    staff: s2
    type: 病假
    start: 2026-10-20 09:00
    end: 2026-10-21 18:00
    hours: 16
    reason: 急性肠胃炎就医
    substitute: s1
    vendor_letter_no: HX-QJ-2026-009
    approved_by: 陈立
"""
BUNDLES = """\
bundles:
  - name: forms-pack
    title: 人员管理表单汇编
    per: month
    kinds: [leave, change]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data", **{"changes.yaml": CHANGES, "leave.yaml": LEAVE2, "bundles.yaml": BUNDLES})
    return tmp_path


def _build(runner, *args: str):
    return runner.invoke(cli, ["build", "--data", "data", "--out", "out", *args], catch_exceptions=False)


def _manifest(root: Path) -> dict:
    return json.loads((root / "out" / MANIFEST_NAME).read_text())["outputs"]


def test_build_then_noop_then_policy_change_rebuilds_only_dependents(project: Path, runner) -> None:
    first = _build(runner)
    assert first.exit_code == 0, first.output
    before = _manifest(project)
    assert set(before) == {"leave:L1", "leave:L2", "change:C1", "bundle:forms-pack-2026-10", "contract:hx-2026",
                           "scope:hx-2026", "sla:hx-2026", "nda:hx-2026", "assessment:hx-2026", "staffing:hx-2026",
                           "pricing:hx-2026", "monthly:hx-2026-2026-10", "annual:hx-2026-2026"}
    second = _build(runner)
    assert second.exit_code == 0
    assert "Everything is up to date (13 outputs)" in second.output
    # raise the vendor-letter threshold: the leave forms, their bundle and the contract (which quotes
    # the leave rules) depend on policy.leave; the SLA annex, NDA, reports and change form do not
    policy = (project / "data/policy.yaml").read_text()
    (project / "data/policy.yaml").write_text(policy.replace(
        "  assessment:", "  leave:\n    letter_over_hours: 6\n  assessment:"))
    dry = _build(runner, "--dry-run")
    assert "policy.yaml:leave changed → 1 bundle, 2 运维人员请销假登记表, 1 运维外包服务合同" in dry.output, dry.output
    assert _manifest(project) == before  # a dry run writes nothing
    third = _build(runner)
    assert third.exit_code == 0, third.output
    after = _manifest(project)
    changed = {k for k in after if after[k]["files"] != before[k]["files"]}
    assert changed == {"leave:L1", "leave:L2", "bundle:forms-pack-2026-10", "contract:hx-2026"}
    assert after["change:C1"] == before["change:C1"]
    text = pdftotext(project / "out/forms/2026-10/请销假_L2.pdf")
    assert "超过6小时须由乙方出具书面函" in re.sub(r"\s+", "", text)


def test_bundle_toc_bookmarks_stamps_metadata_fonts(project: Path, runner) -> None:
    result = _build(runner, "--draft")
    assert result.exit_code == 0, result.output
    pdf = next((project / "out/bundles").glob("forms-pack-2026-10*.pdf"))
    reader = PdfReader(pdf)
    total = len(reader.pages)
    # bookmarks: one per document, nested under the vendor only when several vendors are present
    marks = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline]
    assert [t for t, _ in marks] == ["运维人员请销假登记表", "运维人员请销假登记表", "运维人员变更登记表"]
    # the 目录 lists each document with the page its bookmark points at (1-based)
    toc = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    rows = list(re.finditer(r"^\s*\d+\s+(\S+)\s+\S+\s+(\d+)\s+(\d+)\s*$", toc, flags=re.M))
    assert [(m[1], int(m[3])) for m in rows] == [(title, page + 1) for title, page in marks], toc
    # … and its page count: the next one starts right after it
    starts = [int(m[3]) for m in rows] + [total + 1]
    assert [int(m[2]) for m in rows] == [b - a for a, b in zip(starts, starts[1:], strict=False)], toc
    # one page number per page: each document's own, no bundle stamp over it
    front = 2  # the cover and one 目录 page
    assert total == front + sum(len(PdfReader(p).pages) for p in (project / "out/forms/2026-10").glob("*.pdf"))
    for i, page in enumerate(reader.pages, start=1):
        numbers = re.findall(r"第\s*\d+\s*页", page.extract_text())
        assert len(numbers) == (0 if i <= front else 1), (i, numbers)
    meta = reader.metadata
    assert meta.title == "人员管理表单汇编 2026年10月"
    assert meta.author == "澄湖实业集团有限公司"
    assert "人员管理表单汇编" in meta.subject and meta.keywords
    assert "草稿" in pdftotext(pdf)
    fonts = pdffonts(pdf)
    assert "CJKsc" in fonts and not re.search(r"CJK(jp|kr|tc|hk)", fonts)


def test_one_failing_document_does_not_stop_the_others(project: Path, runner) -> None:
    import shutil

    broken_dir = project / "broken-templates"
    shutil.copytree(TEMPLATES, broken_dir)
    (broken_dir / "forms/change_form.docx").write_bytes(b"not a zip")
    result = runner.invoke(cli, ["build", "--data", "data", "--out", "out", "--templates", str(broken_dir)])
    assert result.exit_code == 1
    assert "failed: change:C1" in result.output
    assert (project / "out/forms/2026-10/请销假_L1.pdf").exists()
    assert not (project / "out/forms/2026-10/人员变更_C1.pdf").exists()
    assert "change:C1" not in _manifest(project)


def test_report_and_bundle_commands(project: Path, runner) -> None:
    monthly = runner.invoke(cli, ["report", "monthly", "--month", "2026-10", "--vendor", "hx", "--out", "out"])
    assert monthly.exit_code == 0, monthly.output
    assert list((project / "out/reports/2026-10").glob("月度运维服务报告_*_2026-10.pdf"))
    assert not (project / "out/bundles").exists()
    annual = runner.invoke(cli, ["report", "annual", "--year", "2026", "--out", "out"])
    assert annual.exit_code == 0, annual.output
    unknown = runner.invoke(cli, ["report", "monthly", "--month", "2026-10", "--vendor", "zz", "--out", "out"])
    assert unknown.exit_code == 2 and "no vendor 'zz'" in unknown.output
    empty = runner.invoke(cli, ["report", "monthly", "--month", "2025-01", "--out", "out"])
    assert empty.exit_code == 1 and "no monthly report for 2025-01" in empty.output
    bundle = runner.invoke(cli, ["bundle", "forms-pack-2026-10", "--out", "out"])
    assert bundle.exit_code == 0, bundle.output
    assert len(PdfReader(next((project / "out/bundles").glob("forms-pack-2026-10*.pdf"))).outline) == 3
    leave = runner.invoke(cli, ["render", "L2", "leave", "--out", "out", "--format", "docx"])
    assert leave.exit_code == 0 and "请销假_L2.docx" in leave.output


def test_without_the_python_bridge_the_user_is_told_how_to_install_it(tmp_path: Path, runner,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docgen.office.imports_uno", lambda python: False)
    write_mini(tmp_path / "data")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", "--data", str(tmp_path / "data"), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "python3-uno" in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert not list(out.rglob("*.pdf")) and not list(out.rglob("*.docx"))


def test_noop_build_compares_content_not_file_times(project: Path, runner) -> None:
    import os

    assert _build(runner).exit_code == 0
    manifest = json.loads((project / "out" / MANIFEST_NAME).read_text())
    assert manifest["version"] == 2 and "snapshot" not in manifest and len(manifest["outputs"]) == 13
    assert "Everything is up to date (13 outputs)" in _build(runner).output
    os.utime(project / "data/staff.yaml", ns=(10**18, 10**18))  # same content, another time
    (project / "data/notes.txt").write_text("a new file in the data folder\n")
    assert "Everything is up to date (13 outputs)" in _build(runner).output
    next((project / "out/forms").rglob("请销假_L2.pdf")).unlink()
    assert "2 made, 11 unchanged" in _build(runner).output  # the form and its bundle
    assert "up to date" not in _build(runner, "--draft").output


def test_an_edit_made_while_a_build_runs_is_seen_by_the_next_build(project: Path, runner,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import docgen.validate

    real = docgen.validate.load_dataset
    policy = project / "data/policy.yaml"

    def load_then_edit(data_dir: Path, *cache: Path):
        dataset = real(data_dir, *cache)
        policy.write_text(policy.read_text().replace(
            "  assessment:", "  leave:\n    letter_over_hours: 6\n  assessment:"))  # after the data was read
        return dataset

    monkeypatch.setattr(docgen.validate, "load_dataset", load_then_edit)
    assert _build(runner).exit_code == 0
    monkeypatch.setattr(docgen.validate, "load_dataset", real)
    again = _build(runner)
    assert "up to date" not in again.output and "4 made" in again.output, again.output
