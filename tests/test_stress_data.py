"""A second data set written against the sample's assumptions, built end to end and read back.

What it holds that the sample does not: a vendor with two agreements (the second one running
from August 2026 to July 2027, across a year end), a month in which that agreement has no
ticket at all, a 0.01 deduction next to deductions a hundred thousand times larger, bundle
specs of its own, and a policy revision from September that one signed agreement has signed a
补充协议 for and the others have not.
"""

from __future__ import annotations

import json
import re
import shutil
from copy import deepcopy
from datetime import date
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, have_soffice, pdftotext
from ruamel.yaml import YAML

from docgen import fidelity
from docgen.cli import cli
from docgen.manifest import MANIFEST_NAME

pytestmark = [pytest.mark.soffice, pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")]

SECOND = "lc-2027"
REVISION = "2026.2"
REVISED = {"early_leave": 600.00, "absence": 2500.00}  # 早退 and 旷工 in the revision


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    return y


def make_stress_data(dest: Path) -> Path:
    shutil.copytree(SAMPLE_DATA, dest)
    y = _yaml()
    path = dest / "agreements.yaml"
    doc = y.load(path.read_text(encoding="utf-8"))
    lc = next(a for a in doc["agreements"] if a["id"] == "lc-2026")
    second = deepcopy(lc)
    second["id"] = SECOND
    second["contract_no"] = "CH-YW-2026-009"
    second["project_name"] = "园区网络扩容运维服务"
    second["start"] = "2026-08-01"
    second["end"] = "2027-07-31"
    doc["agreements"].append(second)
    lc["supplements"] = [{"policy_version": REVISION, "signed": date(2026, 8, 20)}]  # see the revision below
    with path.open("w", encoding="utf-8") as f:
        y.dump(doc, f)
    # dates as YAML dates again (deepcopy + str above keeps the sample's style readable)
    text = path.read_text(encoding="utf-8")
    text = text.replace("start: '2026-08-01'", "start: 2026-08-01").replace("end: '2027-07-31'", "end: 2027-07-31")
    path.write_text(text, encoding="utf-8")

    policy = dest / "policy.yaml"
    pdoc = y.load(policy.read_text(encoding="utf-8"))
    pdoc["policy"]["deductions"]["rules"][0]["amount"] = 0.01  # 迟到: one cent next to thousands
    with policy.open("w", encoding="utf-8") as f:
        y.dump(pdoc, f)
    # a revision in the middle of the term: lc-2026 signs its 补充协议 before it takes effect, hx-2026
    # does not (so its contract's version goes on applying), lc-2027 was signed under the old one
    revision = deepcopy(pdoc)
    revision["policy"]["version"] = REVISION
    revision["policy"]["effective_date"] = "2026-09-01"
    for rule in revision["policy"]["deductions"]["rules"]:
        if rule["code"] in REVISED:
            rule["amount"] = REVISED[rule["code"]]
    (dest / "policy").mkdir()
    with (dest / "policy" / f"{REVISION}.yaml").open("w", encoding="utf-8") as f:
        y.dump(revision, f)
    text = (dest / "policy" / f"{REVISION}.yaml").read_text(encoding="utf-8")
    (dest / "policy" / f"{REVISION}.yaml").write_text(
        text.replace("effective_date: '2026-09-01'", "effective_date: 2026-09-01"), encoding="utf-8")

    staff = dest / "staff.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").rstrip("\n") + f"""
  - id: lc-09
    name: 孙磊
    vendor: lc
    agreement: {SECOND}
    role: 网络工程师
    post_type: "5×8"
    start_date: 2026-08-01
    phone: "15876300009"
    pledge_signed: true
    certificates: [HCIA-Datacom]
    years_experience: 3
""", encoding="utf-8")

    tickets = dest / "tickets.csv"
    lines = tickets.read_text(encoding="utf-8").splitlines()
    header = lines[0]
    added = [
        f"INC-S-0801,{SECOND},P2,软件故障,园区核心交换机,扩容后端口闪断,2026-08-05 10:00,2026-08-05 10:20,"
        "2026-08-05 11:00,2026-08-05 13:00,2026-08-06 09:00,lc-09,5,0",
        f"INC-S-1001,{SECOND},P3,咨询与服务请求,园区无线网络,新增访客网络策略,2026-10-09 09:00,2026-10-09 10:00,"
        ",2026-10-10 09:00,2026-10-10 10:00,lc-09,4,0",
    ]  # nothing in September: a quiet month
    tickets.write_text("\n".join([header, *lines[1:], *added]) + "\n", encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def stress_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("stress")
    data = make_stress_data(root / "data")
    out = root / "out"
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--out", str(out)])
    return out, result


def test_the_second_data_set_builds_without_failures(stress_build):
    out, result = stress_build
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.output


def test_each_agreement_of_a_vendor_gets_its_own_reports_for_every_month(stress_build):
    out, _ = stress_build
    months = {p.parent.name: p for p in out.glob(f"reports/*/月度运维服务报告_*_{SECOND}_*.pdf")}
    assert sorted(months) == ["2026-08", "2026-09", "2026-10"]  # term from August; exports end in October
    first = sorted(p.parent.name for p in out.glob("reports/*/月度运维服务报告_*_lc-2026_*.pdf"))
    assert first == ["2026-07", "2026-08", "2026-09", "2026-10"]
    quiet = re.sub(r"\s+", "", pdftotext(months["2026-09"]))
    assert "本月共受理工单0张" in quiet
    assert "CH-YW-2026-009" in quiet


def test_no_two_outputs_share_a_path_and_packs_hold_each_report_once(stress_build):
    out, _ = stress_build
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    paths = [p for entry in manifest["outputs"].values() for p in entry["files"]]
    assert len(paths) == len(set(paths))
    for path in paths:
        assert (out / path).is_file(), path
    pack = pdftotext(out / "bundles/monthly-pack-2026-09_月度运维服务报告汇编.pdf")
    assert pack.count("CH-YW-2026-009") >= 1 and pack.count("CH-YW-2026-002") >= 1


def test_every_pdf_says_what_its_docx_says(stress_build):
    out, _ = stress_build
    docs = sorted(out.rglob("*.docx"))
    assert docs
    for docx in docs:
        pdf = docx.with_suffix(".pdf")
        assert fidelity.differences(pdf.read_bytes(), fidelity.expected_text(docx.read_bytes())) == [], docx.name


def test_a_one_cent_deduction_is_reported_to_the_cent(stress_build):
    out, _ = stress_build
    texts = [re.sub(r"\s+", "", pdftotext(p)) for p in out.glob("reports/*/月度运维服务报告_*.pdf")]
    assert any("0.01" in t for t in texts)


def test_no_signature_block_is_parted_from_the_other(stress_build):
    """Every document that is signed keeps both parties' blocks on one page."""
    import subprocess

    out, _ = stress_build
    signed = 0
    for pdf in sorted(out.glob("**/*.pdf")):
        if "bundles" in pdf.parts:
            continue
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        where = {i for i, page in enumerate(pages) if "（盖章）：" in page}
        if where:
            signed += 1
            both = [i for i in where if "甲方（盖章）" in pages[i] and "乙方（盖章）" in pages[i]]
            assert both, f"{pdf.name}: the signature blocks are on pages {sorted(where)}"
    assert signed >= 10


def test_each_signed_agreement_applies_the_version_its_contract_and_supplements_bind(stress_build):
    """From September lc-2026 applies 2026.2 (its 补充协议 was signed in August); hx-2026 and
    lc-2027, which signed none, go on applying 2026.1, as their contracts say."""
    out, _ = stress_build
    for month in ("2026-09", "2026-10"):
        for agreement, version in (("lc-2026", REVISION), ("hx-2026", "2026.1"), (SECOND, "2026.1")):
            report = next(out.glob(f"reports/{month}/月度运维服务报告_*_{agreement}_{month}.pdf"))
            text = re.sub(r"\s+", "", pdftotext(report))
            other = "2026.1" if version == REVISION else REVISION
            assert f"{version}版" in text and f"{other}版" not in text, (report.name, version)
    july = re.sub(r"\s+", "", pdftotext(next(out.glob("reports/2026-07/月度运维服务报告_*_lc-2026_2026-07.pdf"))))
    assert "2026.1版" in july  # before the revision took effect
