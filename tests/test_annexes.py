"""The contract's annexes: every annex its 附件清单 lists is made and packed in that order, and
each says what the data says (scope and inventory, assessment rules, staff, prices)."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from conftest import MINI, SAMPLE_DATA, TEMPLATES, have_soffice, pdftotext, write_mini
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from test_contracts import DATA, rendered

from docgen import models as m
from docgen.context import ANNEXES, agreement_figures, initial_staff
from docgen.errors import InputError
from docgen.formatting import money, rmb_upper
from docgen.plan import bundle_jobs, documents
from docgen.validate import load_dataset

AGREEMENTS = [a.id for a in DATA.agreements]


def table_rows(data: bytes, first_header: str) -> list[list[str]]:
    table = next(t for t in Document(BytesIO(data)).tables if t.rows[0].cells[0].text == first_header)
    return [[c.text for c in r.cells] for r in table.rows[1:]]


def listed_annexes(contract_text: str) -> list[tuple[str, str, str]]:
    """(附件X, title, number) of each line of the contract's 附件清单."""
    tail = contract_text.split("附件清单", 1)[1].split("（以下无正文）", 1)[0]
    return re.findall(r"^(附件[一二三四五六七八九十]+)　(\S+?)（编号 (\S+)）$", tail, flags=re.M)


@pytest.mark.parametrize("agreement", AGREEMENTS)
def test_the_pack_holds_every_annex_the_contract_lists_in_that_order(agreement: str) -> None:
    ag = DATA.agreement(agreement)
    _, text = rendered("contract", agreement)
    listed = listed_annexes(text)
    assert [label for label, _, _ in listed] == ["附件一", "附件二", "附件三", "附件四", "附件五", "附件六"]
    jobs = {j.id: j for j in documents(DATA, TEMPLATES)}
    pack = next(b for b in bundle_jobs(DATA, list(jobs.values()))
                if b.key == agreement and b.spec.name == "contract-pack")
    members = pack.members
    assert members[0].kind == "contract"
    # each listed annex is the pack's next document, under the number the list gives it
    for (label, title, number), job in zip(listed, members[1:], strict=True):
        assert job.title == title and job.output.endswith(f"{number}_{title}")
        _, annex = rendered(job.kind, agreement)
        assert label in annex and f"编号：{number}" in annex and ag.contract_no in annex


def test_the_annex_list_follows_the_pack(tmp_path: Path) -> None:
    """A pack without some annexes lists only those it holds (and warns of the missing ones)."""
    folder = write_mini(tmp_path / "data", **{"bundles.yaml": (
        "bundles:\n  - {name: contract-pack, title: 合同文本汇编, per: agreement, kinds: [contract, sla, nda]}\n")})
    data = load_dataset(folder)
    _, text = rendered("contract", "hx-2026", data)
    assert [(label, title) for label, title, _ in listed_annexes(text)] == [("附件二", "服务等级协议"),
                                                                          ("附件三", "保密协议")]
    assert any("附件一" in w and "contract-pack" in w for w in data.warnings)


def test_scope_annex_lists_scope_items_and_inventory() -> None:
    ag = DATA.agreement("hx-2026")
    data, text = rendered("scope", ag.id)
    assert [r[1:] for r in table_rows(data, "序号")[:len(ag.scope)]] == [[s.name, s.description] for s in ag.scope]
    inventory = next(t for t in Document(BytesIO(data)).tables if t.rows[0].cells[1].text == "名称")
    assert [[c.text for c in r.cells][1:5] for r in inventory.rows[1:]] == [
        [i.name, i.kind, i.location or "—", str(i.quantity)] for i in ag.inventory]
    assert "、".join(ag.sla.availability_systems) in text
    # an agreement without an inventory says how the list is agreed
    lc = DATA.agreement("lc-2026")
    assert not lc.inventory
    _, text = rendered("scope", lc.id)
    assert "共同盘点" in text and "驻场与远程相结合" in text and "驻场+远程" not in text


@pytest.mark.parametrize("agreement", AGREEMENTS)
def test_assessment_annex_quotes_the_policy_it_is_bound_to(agreement: str) -> None:
    ag = DATA.agreement(agreement)
    policy = DATA.policy_for_agreement(ag)
    data, text = rendered("assessment", agreement)
    assert [r[:2] for r in table_rows(data, "考核维度")] == [[w.name, f"{w.weight.normalize():f}%"]
                                                         for w in policy.assessment.weights]
    payouts = table_rows(data, "考核等级")
    assert [r[0] for r in payouts] == [g.name for g in policy.assessment.grades]
    assert payouts[-1][1] == f"{policy.assessment.grades[-2].min_score} 分以下"
    rules = [r for r in policy.deductions.rules if not r.windows or ag.sla.service_window in r.windows]
    assert [(r[1], r[3]) for r in table_rows(data, "序号")] == [(r.name, money(r.amount)) for r in rules]
    figures = agreement_figures(ag, policy)
    assert rmb_upper(figures["deduction_cap_amount"]) in text
    assert f"（{policy.version} 版" in text and f"{ag.fees.assessment_workdays} 个工作日内" in text
    assert f"视为该季度考核等级为“{figures['deemed_grade']}”" in text


def test_staffing_annex_lists_the_starting_staff_only() -> None:
    data, text = rendered("staffing", "hx-2026")
    names = [r[1] for r in table_rows(data, "序号")]
    ag = DATA.agreement("hx-2026")
    joined = {c.new_person.name for c in DATA.changes if c.agreement == ag.id and c.new_person}
    assert joined and not joined & set(names)  # 陈静 joined by a 新增: her 变更登记表 documents her
    assert names == [s.name for s in DATA.staff if s.agreement == ag.id and s.name not in joined]
    assert names == [s.name for s in initial_staff(DATA, ag)]
    for s in initial_staff(DATA, ag):
        assert s.phone not in text  # no more personal information than the contract needs
    _, empty = rendered("staffing", "hx-2027")
    assert "提交驻场人员名单" in empty and "序号" not in empty


@pytest.mark.parametrize("agreement", AGREEMENTS)
def test_pricing_annex_splits_each_instalment_and_adds_up(agreement: str) -> None:
    ag = DATA.agreement(agreement)
    data, text = rendered("pricing", agreement)
    figures = agreement_figures(ag, DATA.policy_for_agreement(ag))
    rows = table_rows(data, "期次")
    assert [r[0] for r in rows] == [p.stage for p in ag.fees.payment]
    for row, p in zip(rows, figures["payments"], strict=True):
        assert row[2:5] == [money(p["amount"]), money(p["base"]), money(p["performance"])]
    assert f"大写：{rmb_upper(ag.fees.total)}" in text
    assert f"{ag.fees.payment_days} 日内付款" in text and ag.fees.invoice_type in text
    if ag.fees.extra_rates:
        rates = next(t for t in Document(BytesIO(data)).tables if t.rows[0].cells[1].text == "服务项目")
        assert [[c.text for c in r.cells][1:4] for r in rates.rows[1:]] == [
            [r.item, r.unit, money(r.price)] for r in ag.fees.extra_rates]
    else:
        assert "另行书面约定" in text


@settings(max_examples=200, deadline=None)
@given(total=st.integers(min_value=1, max_value=10**11).map(lambda c: Decimal(c) / 100),
       share=st.integers(min_value=0, max_value=10000).map(lambda b: Decimal(b) / 100),
       cuts=st.lists(st.integers(min_value=1, max_value=99), min_size=0, max_size=5, unique=True))
def test_instalment_parts_add_up_to_the_fen(total: Decimal, share: Decimal, cuts: list[int]) -> None:
    bounds = [0, *sorted(cuts), 100]
    percents = [Decimal(b - a) for a, b in zip(bounds, bounds[1:], strict=False)]
    ag = DATA.agreement("hx-2026")
    fees = ag.fees.model_copy(update={"total": total, "performance_share_pct": share, "payment": [
        m.Installment(stage=f"第{i}期", percent=p, condition="考核确认") for i, p in enumerate(percents, 1)]})
    figures = agreement_figures(ag.model_copy(update={"fees": fees}), DATA.policy)
    payments = figures["payments"]
    assert sum(p["amount"] for p in payments) == total
    assert sum(p["performance"] for p in payments) == figures["performance_amount"]
    assert sum(p["base"] for p in payments) == figures["base_amount"]
    assert all(p["base"] + p["performance"] == p["amount"] for p in payments)


@pytest.mark.parametrize("agreement", AGREEMENTS)
def test_contract_terms_fit_the_agreement(agreement: str) -> None:
    ag = DATA.agreement(agreement)
    vendor = DATA.vendor(ag.vendor)
    _, text = rendered("contract", agreement)
    # no internal tier label and no 应急 wording on a fixed monthly contract
    assert "战略级" not in text and "应急或专项服务" not in text and "任务单" not in text
    assert ("《保障中小企业款项支付条例》" in text) == vendor.sme
    assert f"甲方应在收到发票之日起 {ag.fees.payment_days} 日内付款" in text and "无争议部分先行支付" in text
    assert "逾期利息" in text and "六十日内" not in text
    if ag.sla.service_window == "5×8":
        assert f"工作日每天 {ag.sla.service_hours}" in text and "值守" not in text.split("第十四条")[1]
        assert "一级、二级故障，乙方仍须按服务等级协议约定的时限响应、到场和恢复" in text
    for clause in ("转包", "特种作业", "工伤保险", "骑缝", "境外", "等级保护", "不可抗力是指", "文书送达",
                   "以后签署一方的日期为生效日期", "竞业限制", "招揽", "接替乙方的服务商", "第二十三条"):
        assert clause in text, clause
    assert "本协议" not in text.split("附件清单")[0]


def test_key_one_sided_terms_are_bold_with_a_notice() -> None:
    data, text = rendered("contract", "hx-2026")
    bold = "".join(r.text for p in Document(BytesIO(data)).paragraphs for r in p.runs if r.bold)
    for term in ("工单系统中的时间记录为计算各项时限的依据", "甲方有权书面通知乙方解除本合同", "甲方已提请乙方注意",
                 "甲方有权从履约保证金中扣收", "乙方应按下表向甲方支付违约金"):
        assert term in bold, term
    sla, _ = rendered("sla", "hx-2026")
    sla_bold = "".join(r.text for p in Document(BytesIO(sla)).paragraphs for r in p.runs if r.bold)
    for term in ("故障级别由甲方根据影响范围初步认定", "以甲方监控系统与工单系统的记录为准", "逾期视为确认",
                 "月度可用率低于目标的，乙方按下表向甲方给予服务抵扣", "各项时限以甲方工单系统记录的时间戳为准"):
        assert term in sla_bold, term
    nda, _ = rendered("nda", "hx-2026")
    assert "按违约情节向甲方支付违约金" in "".join(
        r.text for p in Document(BytesIO(nda)).paragraphs for r in p.runs if r.bold)


def test_nda_damages_are_tiered_and_losses_stay_recoverable() -> None:
    ag = DATA.agreement("hx-2026")
    _, text = rendered("nda", ag.id)
    figures = agreement_figures(ag, DATA.policy)
    for amount in (figures["nda_minor"], figures["nda_leak"], ag.nda.liquidated_damages):
        assert f"人民币（大写）{rmb_upper(amount)}（¥{money(amount)}）" in text
    assert figures["nda_minor"] < figures["nda_leak"] < ag.nda.liquidated_damages
    assert "违约金不足以弥补甲方损失的，乙方还应赔偿超出部分的损失" in text
    assert "退出过渡期" in text and "违反本协议任何约定的" not in text


def test_an_sme_vendor_is_paid_within_60_days(tmp_path: Path) -> None:
    vendors = MINI["vendors.yaml"].replace("    tier:", "    sme: true\n    tier:", 1)
    agreements = MINI["agreements.yaml"].replace("      monthly: ", "      payment_days: 90\n      monthly: ", 1)
    assert vendors != MINI["vendors.yaml"] and agreements != MINI["agreements.yaml"]
    with pytest.raises(InputError) as caught:
        load_dataset(write_mini(tmp_path / "data", **{"vendors.yaml": vendors, "agreements.yaml": agreements}))
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "fees.payment_days" in text and "SME" in text and "60" in text and "agreements.yaml:" in text


def test_a_rule_of_another_service_window_is_refused(tmp_path: Path) -> None:
    """The mini agreement is 7×24: a rule for 5×8 agreements only is not in its contract, so an
    attendance record of that kind is refused rather than charged."""
    policy = MINI["policy.yaml"].replace("code: late", "code: late\n        windows: ['5×8']", 1)
    assert policy != MINI["policy.yaml"] and "service_window: 7×24" in MINI["agreements.yaml"]
    with pytest.raises(InputError) as caught:
        load_dataset(write_mini(tmp_path / "data", **{"policy.yaml": policy}))
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "attendance.csv:2:" in text and "applies only to 5×8 agreements" in text
    data = load_dataset(write_mini(tmp_path / "ok", **{"policy.yaml": policy, "attendance.csv": "id,date,staff,kind,count,note\n"}))
    _, text = rendered("contract", "hx-2026", data)
    assert "迟到" not in text.split("第十四条")[1]


def test_every_annex_kind_is_numbered_once() -> None:
    labels = [label for _, label, _, _ in ANNEXES]
    assert labels == ["附件一", "附件二", "附件三", "附件四", "附件五", "附件六"]
    assert SAMPLE_DATA.exists()


@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
@pytest.mark.soffice
def test_the_contract_pack_pdf_holds_every_annex(tmp_path: Path, runner, monkeypatch) -> None:
    import shutil

    from conftest import use_checkout_templates
    from pypdf import PdfReader

    from docgen.cli import cli

    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE_DATA, tmp_path / "data")
    use_checkout_templates(tmp_path)
    result = runner.invoke(cli, ["build", "--out", "out"])
    assert result.exit_code == 0, result.output
    pack = next((tmp_path / "out/bundles").glob("contract-pack-lc-2026_*.pdf"))
    toc = re.sub(r"\s+", "", pdftotext(pack).split("目", 1)[1].split("\f", 2)[0])
    for _, label, title, _ in ANNEXES:
        assert f"{label}{title}" in toc, toc  # the 目录 names each annex as the contract lists it
    marks = [o.title for o in PdfReader(pack).outline]
    assert marks == ["运维外包服务合同"] + [f"{label}　{title}" for _, label, title, _ in ANNEXES]
    pages = sum(len(PdfReader(p).pages) for p in (tmp_path / "out/contracts/lc-2026").glob("*.pdf"))
    assert len(PdfReader(pack).pages) >= pages
    for contract in (tmp_path / "out/contracts").glob("*/*_运维外包服务合同.pdf"):
        reader = PdfReader(contract)
        cover = re.sub(r"\s+", "", reader.pages[0].extract_text())
        assert "运维外包服务合同" in cover and "第1页" not in cover and "合同编号：CH" not in cover  # no footer, header
        last = re.sub(r"\s+", "", reader.pages[-1].extract_text())
        # the seals share their page with the annex list and （以下无正文）
        assert "附件六报价明细" in last and "（以下无正文）" in last and "乙方（盖章）" in last, contract


def test_form_numbers_carry_their_prefix_once() -> None:
    from docgen.context import form_number, leave_context

    assert form_number("QJ", "QJ-001") == "QJ-001" and form_number("QJ", "7") == "QJ-7"
    assert form_number("BG", "bg-2") == "bg-2"
    leave = DATA.leave[0]
    assert leave.id.startswith("QJ-") and leave_context(DATA, leave)["doc"]["number"] == leave.id


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.docx")), ids=lambda p: p.name)
def test_named_fonts_are_not_overridden_by_theme_fonts(template: Path) -> None:
    """Word lets w:eastAsiaTheme win over w:eastAsia (ECMA-376 17.3.2.26): a heading set to 黑体
    would show in the theme's font in Word while LibreOffice prints 黑体."""
    import zipfile

    styles = zipfile.ZipFile(template).read("word/styles.xml").decode("utf-8")
    for fonts in re.findall(r"<w:rFonts [^>]*>", styles):
        assert not ("w:eastAsia=" in fonts and "w:eastAsiaTheme=" in fonts), fonts
        assert not ("w:ascii=" in fonts and "w:asciiTheme=" in fonts), fonts


def test_the_contract_cover_has_no_page_number() -> None:
    data, _ = rendered("contract", "hx-2026")
    section = Document(BytesIO(data)).sections[0]
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_footer.paragraphs).strip()


UNIT_WORDS = {"m": "分钟", "h": "小时", "d": "天"}


@pytest.mark.parametrize("agreement", AGREEMENTS)
def test_time_limits_print_as_the_data_writes_them(agreement: str) -> None:
    """'72h' stays 72小时 and '1d' 1天, in the SLA annex and after the dataset cache."""
    from ruamel.yaml import YAML

    raw = next(a for a in YAML(typ="safe").load((SAMPLE_DATA / "agreements.yaml").read_text(encoding="utf-8"))
               ["agreements"] if a["id"] == agreement)
    written = [[re.sub(r"^(\d+)([mhd])$", lambda m: m[1] + UNIT_WORDS[m[2]], lv[k]) if lv[k] else "按需"
                for k in ("response", "arrival", "restore", "closure")] for lv in raw["sla"]["levels"]]
    data, _ = rendered("sla", agreement)
    assert [r[3:7] for r in table_rows(data, "级别") if len(r) == 7] == written
    cached = m.Dataset.model_validate_json(DATA.model_dump_json())
    assert [list(lv.written.values()) for lv in cached.agreement(agreement).sla.levels] == [
        [w for w in row if w != "按需"] for row in written]


def test_a_limit_given_in_minutes_prints_in_its_largest_whole_unit() -> None:
    from docgen.models import as_written

    assert [as_written(n, None) for n in (30, 90, 120, 1440, 4320, 0)] == [
        "30分钟", "90分钟", "2小时", "1天", "3天", "0分钟"]
    assert as_written(4320, "h") == "72小时" and as_written(1440, "d") == "1天"


def test_a_bond_over_the_policy_limit_is_refused(tmp_path: Path) -> None:
    policy = MINI["policy.yaml"].replace("policy:\n", "policy:\n  bond_max_pct: 5\n", 1)
    agreements = MINI["agreements.yaml"].replace("    fees:\n", "    performance_bond_pct: 8\n    fees:\n", 1)
    assert policy != MINI["policy.yaml"] and agreements != MINI["agreements.yaml"]
    with pytest.raises(InputError) as caught:
        load_dataset(write_mini(tmp_path / "data", **{"policy.yaml": policy, "agreements.yaml": agreements}))
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "performance_bond_pct" in text and "limit of 5%" in text and "agreements.yaml:" in text
    load_dataset(write_mini(tmp_path / "ok", **{"agreements.yaml": agreements}))  # 8 % within the default 10 %


def test_every_stress_agreement_gets_a_consistent_pack(tmp_path: Path) -> None:
    """The second data set (two agreements of one vendor, other windows, other amounts): every
    agreement's contract lists the annexes of its own pack, and its pricing adds up."""
    from test_stress_data import make_stress_data

    data = load_dataset(make_stress_data(tmp_path / "stress"))
    jobs = documents(data, TEMPLATES)
    packs = {b.key: b for b in bundle_jobs(data, jobs) if b.spec.name == "contract-pack"}
    assert len(data.agreements) > len(DATA.agreements)
    for ag in data.agreements:
        _, text = rendered("contract", ag.id, data)
        listed = [number for _, _, number in listed_annexes(text)]
        assert listed == [j.output.rsplit("/", 1)[1].split("_")[0] for j in packs[ag.id].members[1:]], ag.id
        assert all(ag.contract_no in n for n in listed)
        figures = agreement_figures(ag, data.policy_for_agreement(ag))
        assert sum(p["amount"] for p in figures["payments"]) == ag.fees.total
        assert sum(p["performance"] for p in figures["payments"]) == figures["performance_amount"]


def test_instalments_by_months_of_service(tmp_path: Path) -> None:
    """qs pays by months served (3 + 3 + 1 of 36,000): no month's fee waits for a later period."""
    qs = DATA.agreement("qs-2026")
    figures = agreement_figures(qs, DATA.policy_for_agreement(qs))
    assert [(p["months"], p["amount"], p["percent"]) for p in figures["payments"]] == [
        (3, Decimal("108000.00"), Decimal("42.86")), (3, Decimal("108000.00"), Decimal("42.86")),
        (1, Decimal("36000.00"), Decimal("14.29"))]
    data, _ = rendered("pricing", qs.id)
    assert [r[1:3] for r in table_rows(data, "期次")] == [["3 个月", "108,000.00"], ["3 个月", "108,000.00"],
                                                       ["1 个月", "36,000.00"]]
    by_months = MINI["agreements.yaml"].replace(
        "        - {stage: 上半年, percent: 50, condition: 验收合格后30日内}\n"
        "        - {stage: 下半年, percent: 50, condition: 验收合格后30日内}\n",
        "        - {stage: 上半年, months: 6, condition: 验收合格后30日内}\n"
        "        - {stage: 下半年, percent: 50, condition: 验收合格后30日内}\n")
    assert by_months != MINI["agreements.yaml"]
    with pytest.raises(InputError) as caught:
        load_dataset(write_mini(tmp_path / "mixed", **{"agreements.yaml": by_months}))
    assert "not both" in "\n".join(str(p) for p in caught.value.problems)
    short = by_months.replace("{stage: 下半年, percent: 50,", "{stage: 下半年, months: 5,")
    with pytest.raises(InputError) as caught:
        load_dataset(write_mini(tmp_path / "short", **{"agreements.yaml": short}))
    assert "11 months × monthly 100000.00 = 1100000.00, not the total 1200000.00" in "\n".join(
        str(p) for p in caught.value.problems)
    ok = short.replace("months: 5,", "months: 6,")
    months = load_dataset(write_mini(tmp_path / "ok", **{"agreements.yaml": ok})).agreement("hx-2026")
    assert [p["amount"] for p in agreement_figures(months, DATA.policy)["payments"]] == [Decimal("600000.00")] * 2


def test_build_says_that_the_data_has_warnings(tmp_path: Path, runner, monkeypatch) -> None:
    """A warning `validate` prints is not lost on users who only run build."""
    from docgen.cli import cli

    monkeypatch.chdir(tmp_path)
    agreements = MINI["agreements.yaml"].replace("    fees:\n", "    performance_bond_pct: 8\n    fees:\n", 1)
    folder = write_mini(tmp_path / "data", **{"agreements.yaml": agreements.replace(
        "total: 1200000.00", "total: 1250000.00")})
    result = runner.invoke(cli, ["build", "--data", str(folder), "--out", "out", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 warning about the data, listed by `docgen validate`" in result.output
    listed = runner.invoke(cli, ["validate", "--data", str(folder)])
    assert "fees.total" in listed.output and "1250000.00" in listed.output
