"""Contract, SLA annex and NDA: render for every sample agreement and check what a lawyer would check."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, TEMPLATES, have_soffice, pdftotext, use_checkout_templates, write_mini
from docx import Document

from docgen.build import properties_for
from docgen.cli import cli
from docgen.context import agreement_figures
from docgen.formatting import money, rmb_upper
from docgen.plan import documents
from docgen.render import render_docx
from docgen.validate import load_dataset

DATA = load_dataset(SAMPLE_DATA)
GOLDEN = Path(__file__).parent / "golden"


def docx_text(data: bytes) -> str:
    doc = Document(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


def rendered(kind: str, agreement_id: str, data=DATA) -> tuple[bytes, str]:
    job = next(j for j in documents(data, TEMPLATES, [kind]) if j.key == agreement_id)
    out = render_docx(job.template, job.build_context(), properties_for(job, data.client.name))
    return out, docx_text(out)


@pytest.mark.parametrize("agreement", [a.id for a in DATA.agreements])
def test_contract_parties_amounts_and_dates(agreement: str) -> None:
    ag = DATA.agreement(agreement)
    vendor = DATA.vendor(ag.vendor)
    _, text = rendered("contract", agreement)
    for value in (DATA.client.name, DATA.client.uscc, vendor.name, vendor.uscc, vendor.legal_rep, ag.project_name):
        assert value in text
    assert f"合同编号：{ag.contract_no}" in text  # header
    assert f"人民币（大写）{rmb_upper(ag.fees.total)}（¥{money(ag.fees.total)}）" in text
    figures = agreement_figures(ag, DATA.policy)
    assert f"（¥{money(figures['bond_amount'])}）" in text
    assert sum((p["amount"] for p in figures["payments"]), Decimal(0)) == ag.fees.total
    for p in figures["payments"]:
        share = f"{p['months']} 个月" if p["months"] else f"{p['percent']}%"
        assert f"{p['stage']} | {share} | {money(p['amount'])}" in text
    assert f"{ag.start.year}年{ag.start.month}月{ag.start.day}日起" in text
    assert "中华人民共和国民法典" in text and "《合同法》" not in text
    assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize("agreement", [a.id for a in DATA.agreements])
def test_dispute_forum_is_exactly_one(agreement: str) -> None:
    ag = DATA.agreement(agreement)
    _, text = rendered("contract", agreement)
    if ag.disputes.method == "仲裁":
        assert ag.disputes.arbitration_commission in text and "人民法院" not in text
    else:
        assert f"甲方所在地（{DATA.client.city}）有管辖权的人民法院" in text and "仲裁委员会" not in text


@pytest.mark.parametrize("agreement", [a.id for a in DATA.agreements])
def test_sla_table_has_one_row_per_level_and_policy_deductions(agreement: str) -> None:
    ag = DATA.agreement(agreement)
    data, text = rendered("sla", agreement)
    doc = Document(BytesIO(data))
    levels_table = next(t for t in doc.tables if t.rows[0].cells[0].text == "级别")
    assert len(levels_table.rows) == 1 + len(ag.sla.levels)
    assert [r.cells[0].text for r in levels_table.rows[1:]] == [lv.level for lv in ag.sla.levels]
    deductions = next(t for t in doc.tables if t.rows[0].cells[1].text == "事项")
    rows = [(r.cells[1].text, r.cells[3].text) for r in deductions.rows[1:]]
    window = ag.sla.service_window
    assert rows == [(r.name, money(r.amount)) for r in DATA.policy.deductions.rules
                    if not r.windows or window in r.windows]
    # a 5×8 agreement carries no duty of a 7×24 post (值守, 交接班)
    assert any("值守" in name for name, _ in rows) == (window == "7×24")
    assert f"编号：{ag.contract_no}-SLA" in text


def test_nda_names_parties_and_damages() -> None:
    ag = DATA.agreements[0]
    _, text = rendered("nda", ag.id)
    assert DATA.vendor(ag.vendor).name in text and DATA.client.name in text
    assert rmb_upper(ag.nda.liquidated_damages) in text
    assert "第二十一条" in text and "销毁证明" in text


def test_strategic_tier_gets_its_clause_only() -> None:
    strategic = next(a for a in DATA.agreements if DATA.vendor(a.vendor).tier == "战略级")
    regular = next(a for a in DATA.agreements if DATA.vendor(a.vendor).tier == "常规级")
    assert "季度与甲方召开联席会议" in rendered("contract", strategic.id)[1]
    assert "季度与甲方召开联席会议" not in rendered("contract", regular.id)[1]


def test_special_characters_render_exactly(tmp_path: Path) -> None:
    from conftest import MINI

    name = '甲乙 & <Smith> "Q" 株式会社'
    folder = write_mini(tmp_path / "data", **{"vendors.yaml": MINI["vendors.yaml"].replace(
        "name: 华信智维科技有限公司", f"name: '{name}'")})
    data = load_dataset(folder)
    out, text = rendered("contract", "hx-2026", data)
    assert name in text
    Document(BytesIO(out))  # opens
    props = Document(BytesIO(out)).core_properties
    assert props.subject.startswith(name)


@pytest.mark.parametrize("kind", ["contract", "scope", "sla", "nda", "assessment", "staffing", "pricing"])
def test_golden_text(kind: str, request: pytest.FixtureRequest) -> None:
    """Catches unintended wording changes; refresh with --update-golden after a deliberate edit."""
    _, text = rendered(kind, DATA.agreements[0].id)
    path = GOLDEN / f"{kind}.txt"
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), "golden file missing: run pytest --update-golden"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
@pytest.mark.soffice
def test_render_command_writes_docx_and_pdf_with_amount_in_words(tmp_path: Path, runner, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE_DATA, tmp_path / "data")
    use_checkout_templates(tmp_path)
    ag = DATA.agreements[1]
    result = runner.invoke(cli, ["render", ag.id, "contract", "--out", "out"])
    assert result.exit_code == 0, result.output
    pdf = next((tmp_path / "out/contracts" / ag.id).glob("*.pdf"))
    assert next((tmp_path / "out/contracts" / ag.id).glob("*.docx"))
    text = re.sub(r"\s+", "", pdftotext(pdf))
    assert DATA.vendor(ag.vendor).name in text
    assert f"人民币（大写）{rmb_upper(ag.fees.total)}" in text


def test_grade_bands_are_ranges_and_the_policy_is_bound_at_its_version() -> None:
    data, text = rendered("contract", "hx-2027")
    table = next(t for t in Document(BytesIO(data)).tables if t.rows[0].cells[0].text == "考核等级")
    assert [[c.text for c in r.cells] for r in table.rows[1:]] == [
        ["优秀", "90 分及以上", "100%"], ["良好", "80 分及以上、不满 90 分", "100%"],
        ["合格", "60 分及以上、不满 80 分", "80%"], ["不合格", "60 分以下", "0%"]]
    assert "不合格（0 分及以上）" not in text and "| 0 分及以上" not in text
    assert "及其后续修订版本" not in text and "管理办法此后的修订，经双方签订补充协议后方适用于本合同" in text
    assert "本合同正文与附件约定不一致的，以本合同正文为准" in text


def test_grade_bands_follow_the_policy(tmp_path: Path) -> None:
    """The templates word each band from its scores; two bands read as a top and a bottom one."""
    data = load_dataset(write_mini(tmp_path / "data"))

    def bands(dataset) -> list[list[str]]:
        out, _ = rendered("assessment", "hx-2026", dataset)
        table = next(t for t in Document(BytesIO(out)).tables if t.rows[0].cells[0].text == "考核等级")
        return [[c.text for c in r.cells][:2] for r in table.rows[1:]]

    assert bands(data) == [["优秀", "90 分及以上"], ["良好", "80 分及以上、不满 90 分"],
                           ["合格", "60 分及以上、不满 80 分"], ["不合格", "60 分以下"]]
    policy = data.policy
    two = policy.model_copy(update={"assessment": policy.assessment.model_copy(update={"grades": [
        policy.assessment.grades[0], policy.assessment.grades[-1]]})})
    assert bands(data.model_copy(update={"policy": two, "policies": [two]})) == [
        ["优秀", "90 分及以上"], ["不合格", "90 分以下"]]
