"""Policy revisions: each version in its own file with an effective date; every period applies the
version in force on its first day; a revision rewrites neither earlier reports nor signed contracts."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import MINI, have_soffice, line_of, write_mini
from docx import Document

from docgen import i18n
from docgen.cli import cli
from docgen.errors import InputError
from docgen.manifest import sha256
from docgen.metrics import month_metrics
from docgen.reports import monthly_context
from docgen.validate import load_dataset


def revision(text: str, version: str, effective: str, late: str = "800.00") -> str:
    """The policy `text` as another version, effective from `effective`, with another late fee."""
    out = re.sub(r'version: "[^"]+"', f'version: "{version}"', text, count=1)
    out = re.sub(r"effective_date: \S+", f"effective_date: {effective}", out, count=1)
    return out.replace("amount: 500.00", f"amount: {late}", 1)


def _with_revision(folder: Path, effective: str) -> Path:
    data = write_mini(folder)
    (data / "policy").mkdir()
    (data / "policy/2026.2.yaml").write_text(revision(MINI["policy.yaml"], "2026.2", effective), encoding="utf-8")
    return data


@pytest.mark.parametrize(("effective", "version", "late_fee"), [
    ("2026-10-01", "2026.2", Decimal("800.00")),   # in force on the month's first day: the month applies it
    ("2026-10-15", "2026.1", Decimal("500.00")),   # mid-month: the month keeps the version of its first day
    ("2026-11-01", "2026.1", Decimal("500.00")),
])
def test_a_month_applies_the_version_in_force_on_its_first_day(tmp_path: Path, effective: str, version: str,
                                                               late_fee: Decimal) -> None:
    data = load_dataset(_with_revision(tmp_path / "data", effective))
    assert [p.version for p in data.policies] == ["2026.1", "2026.2"] and data.policy.version == "2026.2"
    october = month_metrics(data, "hx-2026", 2026, 10)
    assert october.policy_version == version
    assert [line.amount for line in october.deduction_lines] == [late_fee]  # the one late arrival of 10-05
    context = monthly_context(data, data.agreement("hx-2026"), 2026, 10)
    assert context["policy"]["version"] == version  # the report names the version it applied


def test_a_draft_contract_quotes_the_newest_version_or_the_one_it_pins(tmp_path: Path) -> None:
    from docgen.context import agreement_context

    data = load_dataset(_with_revision(tmp_path / "data", "2026-12-01"))
    ag = data.agreement("hx-2026")
    assert agreement_context(data, ag, "X")["policy"]["version"] == "2026.2"
    pinned = ag.model_copy(update={"policy_version": "2026.1"})
    assert agreement_context(data, pinned, "X")["policy"]["version"] == "2026.1"


def _problems(data: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_dataset(data)
    return [str(p) for p in caught.value.problems]


def test_two_versions_in_force_on_one_day_are_refused(tmp_path: Path) -> None:
    data = _with_revision(tmp_path / "data", "2026-01-01")  # the day policy.yaml takes effect
    text = (data / "policy/2026.2.yaml").read_text(encoding="utf-8")
    found = _problems(data)
    assert any(p.startswith(f"{data / 'policy/2026.2.yaml'}:{line_of(text, 'effective_date')}:")
               and "two versions cannot be in force on one day" in p for p in found), found


def test_a_version_file_is_named_after_its_version_and_versions_are_unique(tmp_path: Path) -> None:
    data = _with_revision(tmp_path / "data", "2026-12-01")
    (data / "policy/2026.2.yaml").rename(data / "policy/2026-12.yaml")
    (data / "policy/2026.1.yaml").write_text(revision(MINI["policy.yaml"], "2026.1", "2026-06-01"), encoding="utf-8")
    found = _problems(data)
    assert any("version '2026.2' in a file named 2026-12.yaml" in p for p in found), found
    assert any("version '2026.1' is also in" in p for p in found), found


def test_a_version_without_an_effective_date_is_refused(tmp_path: Path) -> None:
    data = _with_revision(tmp_path / "data", "2026-12-01")
    path = data / "policy/2026.2.yaml"
    path.write_text(re.sub(r"  effective_date: \S+\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    found = _problems(data)
    assert any("policy/2026.2.yaml" in p and "effective_date" in p for p in found), found


def _all_files(out: Path) -> dict[str, str]:
    """The outputs (docgen's own records and the kept history aside)."""
    return {p.relative_to(out).as_posix(): sha256(p.read_bytes()) for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".docgen") and ".history" not in p.relative_to(out).parts}


@pytest.mark.soffice
@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
def test_a_revision_from_december_rewrites_no_report_and_no_signed_contract(sample_copy: Path, runner) -> None:
    """The sample's records end before December and its 2026 agreements are signed: a revision
    taking effect on 2026-12-01 changes none of their files and says what it leaves alone; the
    draft renewal hx-2027 follows the new version."""
    out = sample_copy.parent / "out"
    args = ["build", "--data", str(sample_copy), "--out", str(out)]
    assert runner.invoke(cli, args).exit_code == 0
    before = _all_files(out)
    policy = (sample_copy / "policy.yaml").read_text(encoding="utf-8")
    (sample_copy / "policy").mkdir()
    (sample_copy / "policy/2026.2.yaml").write_text(revision(policy, "2026.2", "2026-12-01"), encoding="utf-8")
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    # hx-2027's contract, SLA annex, 考核办法 and its pack, and a 补充协议 drafted for each signed agreement
    assert "7 made," in result.output, result.output
    for agreement, number in (("hx", "001"), ("lc", "002"), ("qs", "003")):
        assert (out / f"contracts/{agreement}-2026/CH-YW-2026-{number}-BC-2026.2_补充协议（草稿）.pdf").is_file()
    assert result.output.count(" kept as ") == 3 and "policy/2026.2.yaml (" in result.output
    after = _all_files(out)
    with i18n.use("zh"):  # the signed documents are still held: a dry run says so again, in Chinese
        dry = runner.invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == 0 and dry.output.count("份已签合同文件保持原样") == 3, dry.output
    changed = sorted(k for k in before if after.get(k) != before[k])
    assert changed == sorted([
        "bundles/contract-pack-hx-2027_合同文本汇编.pdf",
        "contracts/hx-2027/CH-YW-2027-001-SLA_服务等级协议.docx", "contracts/hx-2027/CH-YW-2027-001-SLA_服务等级协议.pdf",
        "contracts/hx-2027/CH-YW-2027-001-KPI_考核办法.docx", "contracts/hx-2027/CH-YW-2027-001-KPI_考核办法.pdf",
        "contracts/hx-2027/CH-YW-2027-001_运维外包服务合同.docx", "contracts/hx-2027/CH-YW-2027-001_运维外包服务合同.pdf",
    ]), changed
    added = sorted(set(after) - set(before))  # the drafts for the signed agreements, the change list, redlines
    assert set(before) <= set(after) and all(
        "补充协议（草稿）" in k or k.startswith(("变更说明.", "修订对照/contracts/hx-2027/")) for k in added), added
    report = next(out.glob("reports/2026-10/月度运维服务报告_*_hx-2026_2026-10.docx"))
    text = "\n".join(c.text for t in Document(str(report)).tables for r in t.rows for c in r.cells)
    assert "2026.1 版" in text

    def sla_cells(agreement: str) -> list[str]:
        sla = next(out.glob(f"contracts/{agreement}/*-SLA_服务等级协议.docx"))
        return [c.text for t in Document(str(sla)).tables for r in t.rows for c in r.cells]

    assert any("800.00" in c for c in sla_cells("hx-2027")), "the draft's SLA annex does not quote the new late fee"
    assert not any("800.00" in c for c in sla_cells("hx-2026")), "a signed SLA annex was rewritten"
    contract = next(out.glob("contracts/hx-2027/*_运维外包服务合同.docx"))
    assert "2026.2 版" in "\n".join(p.text for p in Document(str(contract)).paragraphs)
    # the three 补充协议 are signed and recorded: none is drafted again, and nothing else is made
    agreements = (sample_copy / "agreements.yaml").read_text(encoding="utf-8")
    for ag_id, number in (("hx-2026", "001"), ("lc-2026", "002"), ("qs-2026", "003")):
        at = agreements.index(f"- id: {ag_id}\n")
        status = agreements.index("    status: signed\n", at) + len("    status: signed\n")
        agreements = (agreements[:status] + "    supplements:\n      - policy_version: \"2026.2\"\n"
                      f"        signed: 2026-11-25\n        number: CH-YW-2026-{number}-BC-2026.2\n"
                      + agreements[status:])
    (sample_copy / "agreements.yaml").write_text(agreements, encoding="utf-8")
    dry = runner.invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == 0 and "a supplementary agreement will be drafted" not in dry.output, dry.output
    assert "Everything is up to date" in dry.output or "0 outputs would be made" in dry.output, dry.output


def _signed(folder: Path, effective: str, supplement: str = "") -> Path:
    """The mini data with hx-2026 signed (and `supplement` recorded) and a version 2026.2 from `effective`."""
    data = _with_revision(folder, effective)
    text = (data / "agreements.yaml").read_text(encoding="utf-8")
    at = text.index("    contract_no:")
    (data / "agreements.yaml").write_text(text[:at] + "    status: signed\n" + supplement + text[at:], encoding="utf-8")
    return data


@pytest.mark.parametrize(("supplement", "october", "november"), [
    ("", "2026.1", "2026.1"),  # no 补充协议 signed: the contract's version, whatever came into force since
    ('    supplements:\n      - {policy_version: "2026.2", signed: 2026-09-20}\n', "2026.2", "2026.2"),
    # signed after the version's effective date: from the month after the month of its signing
    ('    supplements:\n      - {policy_version: "2026.2", signed: 2026-10-10}\n', "2026.1", "2026.2"),
    ('    supplements:\n      - {policy_version: "2026.2", signed: 2026-11-01}\n', "2026.1", "2026.1"),
])
def test_a_signed_agreement_applies_its_contracts_version_until_a_supplement_is_signed(
        tmp_path: Path, supplement: str, october: str, november: str) -> None:
    """Clause 1.5 of the contract: a revision of the policy applies to a signed agreement only once a
    补充协议 is signed, so its reports apply the version it was signed under until then."""
    data = load_dataset(_signed(tmp_path / "data", "2026-10-01", supplement))
    ag = data.agreement("hx-2026")
    assert data.bound_version(ag).version == "2026.1"
    oct_metrics = month_metrics(data, "hx-2026", 2026, 10)
    assert oct_metrics.policy_version == october
    fee = {"2026.1": Decimal("500.00"), "2026.2": Decimal("800.00")}[october]
    assert [line.amount for line in oct_metrics.deduction_lines] == [fee]  # the one late arrival of 10-05
    assert monthly_context(data, ag, 2026, 10)["policy"]["version"] == october
    assert data.policy_applied(ag, date(2026, 11, 1)).version == november


def test_a_supplement_names_a_known_version_a_date_after_signing_and_a_signed_agreement(tmp_path: Path) -> None:
    data = _signed(tmp_path / "data", "2026-10-01",
                   '    supplements:\n      - {policy_version: "2027.1", signed: 2020-01-01}\n')
    found = _problems(data)
    assert any("supplements[1].policy_version: unknown policy version '2027.1'; the data has 2026.1, 2026.2" in p
               for p in found), found
    assert any("supplements[1].signed: the supplement is signed on 2020-01-01, before the agreement itself" in p
               for p in found), found
    draft = _with_revision(tmp_path / "draft", "2026-10-01")
    text = (draft / "agreements.yaml").read_text(encoding="utf-8")
    at = text.index("    contract_no:")
    (draft / "agreements.yaml").write_text(
        text[:at] + '    supplements:\n      - {policy_version: "2026.2", signed: 2026-10-10}\n' + text[at:],
        encoding="utf-8")
    assert any("a draft agreement has no signed supplements" in p for p in _problems(draft))


def _project(tmp_path: Path):
    from conftest import use_checkout_templates

    import docgen

    use_checkout_templates(tmp_path)
    return docgen.Project.load(tmp_path)


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def test_a_signed_agreements_documents_made_for_the_first_time_quote_the_version_it_is_bound_to(
        tmp_path: Path) -> None:
    """A revision already in the data when a signed agreement's documents are first made (a new
    output folder, a lost build): they quote the version the agreement is bound to, as its reports
    apply; the next build holds them against the newer version and drafts the 补充协议."""
    _signed(tmp_path / "data", "2026-10-01")
    project = _project(tmp_path)
    data = project.validate()
    for kind in ("contract", "sla", "assessment"):
        result = project.build(project.plan_document(data, kind, "hx-2026", pdf=False))
        assert result.ok, result.failed
    contract = _docx_text(next((tmp_path / "out/contracts/hx-2026").glob("*_运维外包服务合同.docx")))
    assert "2026.1 版" in contract and "2026.2" not in contract
    for name in ("*-SLA_服务等级协议.docx", "*-KPI_考核办法.docx"):
        text = _docx_text(next((tmp_path / "out/contracts/hx-2026").glob(name)))
        assert "2026.1" in text and "2026.2" not in text, name
    plan = project.plan(project.validate(), pdf=False, bundles=False)
    held = {o.kind for o in plan.outputs if o.held and o.agreement == "hx-2026"}
    assert {"contract", "sla", "assessment"} <= held
    drafts = [o for o in plan.outputs if o.kind == "supplement" and o.key == "hx-2026"]
    assert len(drafts) == 1 and drafts[0].reasons, plan.explain()


def test_a_signed_agreement_is_bound_to_the_version_its_kept_contract_quotes(tmp_path: Path) -> None:
    """Made as a draft under 2026.2 and then marked signed (signed on a day 2026.1 was still in
    force): the kept contract quotes 2026.2, so its reports apply 2026.2, not the version in force
    on the signing date."""
    data_dir = _with_revision(tmp_path / "data", "2026-10-01")
    project = _project(tmp_path)
    data = project.validate()
    assert project.build(project.plan_document(data, "contract", "hx-2026", pdf=False)).ok
    text = (data_dir / "agreements.yaml").read_text(encoding="utf-8")
    at = text.index("    contract_no:")
    (data_dir / "agreements.yaml").write_text(text[:at] + "    status: signed\n" + text[at:], encoding="utf-8")
    data = project.validate()
    ag = data.agreement("hx-2026")
    assert ag.policy_version is None and ag.signing_date < date(2026, 10, 1)
    assert data.bound_version(ag).version == "2026.2"
    assert month_metrics(data, "hx-2026", 2026, 10).policy_version == "2026.2"
    # but not before 2026.2 took effect (as after a reissue under the new version): September keeps 2026.1
    assert month_metrics(data, "hx-2026", 2026, 9).policy_version == "2026.1"
    assert load_dataset(data_dir).bound_version(ag).version == "2026.1"  # without the output folder's record
