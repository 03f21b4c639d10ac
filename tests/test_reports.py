"""Monthly and annual reports and the forms, read back from DOCX and checked against the records."""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from conftest import SAMPLE_DATA, TEMPLATES, write_mini
from docx import Document
from test_contracts import docx_text

from docgen.build import properties_for
from docgen.formatting import money, percent, rmb_upper
from docgen.metrics import month_metrics, year_metrics
from docgen.plan import documents
from docgen.render import render_docx
from docgen.validate import load_dataset

DATA = load_dataset(SAMPLE_DATA)


def render(kind: str, key: str, data=DATA) -> tuple[Document, str]:
    job = next(j for j in documents(data, TEMPLATES, [kind]) if j.key == key)
    out = render_docx(job.template, job.build_context(), properties_for(job, data.client.name))
    return Document(BytesIO(out)), docx_text(out)


def test_every_vendor_month_and_year_is_planned() -> None:
    monthly = {j.key for j in documents(DATA, TEMPLATES, ["monthly"])}
    running = [a for a in DATA.agreements if a.start.year == 2026]  # hx-2027 (a draft renewal) has no months yet
    assert [a.id for a in DATA.agreements if a not in running] == ["hx-2027"]
    assert monthly == {f"{a.id}-2026-{m:02d}" for a in running for m in (7, 8, 9, 10)}
    assert {j.key for j in documents(DATA, TEMPLATES, ["annual"])} == {f"{a.id}-2026" for a in running}
    assert {j.key for j in documents(DATA, TEMPLATES, ["leave"])} == {r.id for r in DATA.leave}
    assert {j.key for j in documents(DATA, TEMPLATES, ["change"])} == {c.id for c in DATA.changes}


def test_monthly_report_figures_match_metrics_and_raw_records() -> None:
    ag, year, month = "hx-2026", 2026, 9
    mm = month_metrics(DATA, ag, year, month)
    # an independent count straight from the CSV export
    with (SAMPLE_DATA / "tickets.csv").open(encoding="utf-8") as f:
        raw = [r for r in csv.DictReader(f) if r["agreement"] == ag and r["opened"].startswith("2026-09")]
    assert mm.ticket_count == len(raw)
    p1 = [r for r in raw if r["severity"] == "P1" and r["responded"]]
    met = sum(1 for r in p1 if (datetime.fromisoformat(r["responded"]) - datetime.fromisoformat(r["opened"])
                                ).total_seconds() <= 15 * 60)
    row = next(r for r in mm.sla_rows if r.level == "P1" and r.metric == "响应")
    assert (row.measured, row.met) == (len(p1), met)

    doc, text = render("monthly", f"{ag}-{year}-{month:02d}")
    assert f"本月共受理工单 {mm.ticket_count} 张" in text
    assert (f"SLA 指标达标 {mm.targets_met}/{mm.targets_total} 项（{percent(mm.target_attainment_pct)}），"
            f"按工单计的时限达成率 {percent(mm.overall_attainment_pct)}") in text
    assert f"本月实际扣除 {money(mm.deduction_applied)} 元，即人民币（大写）{rmb_upper(mm.deduction_applied)}" in text
    assert f"综合得分 {mm.score} 分，考核等级：{mm.grade}" in text
    sla_table = next(t for t in doc.tables if t.rows[0].cells[0].text == "级别" and len(t.columns) == 8)
    assert len(sla_table.rows) - 1 == len(mm.sla_rows)
    assert f"P1 | 响应 | 15分钟 | {row.measured} | {row.met}" in text
    deduction_table = next(t for t in doc.tables if t.rows[0].cells[0].text == "记录号")
    assert len(deduction_table.rows) - 1 == len(mm.deduction_lines)
    assert [r.cells[0].text for r in deduction_table.rows[1:]] == [d.record for d in mm.deduction_lines]
    assert len(doc.inline_shapes) >= 2  # severity and trend charts
    assert "{{" not in text


def test_availability_is_per_system_and_the_lowest_decides() -> None:
    """hx 2026-09: 41 min on 核心业务系统 (INC-202609-0033) and 11 min on 统一身份认证平台
    (INC-202609-0083) in 43,200 minutes: (43,200 − 41) ÷ 43,200 = 99.905…% → 99.91 and
    (43,200 − 11) ÷ 43,200 = 99.974…% → 99.97. Both meet 99.9 %: no credit (annex §5.2: the
    lowest system decides). Pooled, 52 minutes would give 99.88 % and a ¥7,000 credit."""
    mm = month_metrics(DATA, "hx-2026", 2026, 9)
    assert [(s.system, s.downtime_minutes, s.availability_pct, s.tickets) for s in mm.systems] == [
        ("核心业务系统", 41, Decimal("99.91"), ["INC-202609-0033"]),
        ("统一身份认证平台", 11, Decimal("99.97"), ["INC-202609-0083"])]
    assert mm.availability_pct == Decimal("99.91") and mm.availability_ok and mm.credit_amount == 0
    assert mm.systems[1].short == ["INC-202609-0083"]  # 11 min recorded, 74 min from report to restore
    doc, text = render("monthly", "hx-2026-2026-09")
    assert "核心业务系统 | 41 | 99.91% | 达标 | INC-202609-0033" in text
    assert "统一身份认证平台 | 11 | 99.97% | 达标 | INC-202609-0083" in text
    assert "本月最低系统可用率 99.91%，目标 99.9%，达标。本月无服务抵扣。" in text
    assert "INC-202609-0033 | 核心业务系统 | 9月8日 10:42 | 9月8日 11:23 | 41 | 41" in text
    assert "INC-202609-0083 | 统一身份认证平台 | 9月23日 20:15 | 9月23日 21:29 | 11 | 74*" in text
    assert "* 记录的停机时长短于报障至恢复的时长" in text


def test_open_tickets_are_listed() -> None:
    mm = month_metrics(DATA, "hx-2026", 2026, 10)
    assert mm.open_tickets
    _, text = render("monthly", "hx-2026-2026-10")
    for t in mm.open_tickets:
        assert t.id in text


def test_month_without_incidents_says_so(tmp_path: Path) -> None:
    data = load_dataset(write_mini(tmp_path / "data", **{
        "tickets.csv": "id,agreement,severity,category,system,summary,opened\n",
        "attendance.csv": "id,date,staff,kind,count,note\nA1,2026-10-05,s2,late,1,迟到\n"}))
    _, text = render("monthly", "hx-2026-2026-10", data)
    assert "本月共受理工单 0 张，未发生故障事件" in text
    assert "本月无结果确定的 SLA 时限" in text and "本月无有效评价" in text


def test_annual_report_scores_and_renewal() -> None:
    y = year_metrics(DATA, "lc-2026", 2026)
    _, text = render("annual", "lc-2026-2026")
    assert f"年度综合得分 {y.annual_score} 分，等级“{y.annual_grade}”" in text
    assert f"建议：{y.renewal}。" in text
    for q in y.quarters:
        assert f"{q.label} | {q.months} | {q.score} | {q.grade}" in text
    assert f"扣除考勤违约金合计 {money(y.total_deductions)} 元" in text


def test_leave_form_and_change_form() -> None:
    leave = next(r for r in DATA.leave if r.substitute)
    _, text = render("leave", leave.id)
    person, sub = DATA.staff_member(leave.staff), DATA.staff_member(leave.substitute)
    assert person.name in text and sub.name in text and leave.vendor_letter_no in text
    assert f"{leave.hours} 小时" in text
    change = next(c for c in DATA.changes if c.type == "替换")
    _, text = render("change", change.id)
    assert DATA.staff_member(change.old_staff).name in text and change.new_person.name in text
    assert "提前 5 个工作日（管理办法要求不少于 15 个工作日）：不足，须经甲方书面同意" in text


def test_policy_change_of_one_amount_changes_report_totals(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    before = month_metrics(load_dataset(folder), "hx-2026", 2026, 10)
    late_events = sum(d.count for d in before.deduction_lines if d.rule_code == "late")
    assert late_events
    policy = (folder / "policy.yaml").read_text(encoding="utf-8")
    (folder / "policy.yaml").write_text(policy.replace("amount: 500.00", "amount: 600.00", 1), encoding="utf-8")
    data = load_dataset(folder)
    after = month_metrics(data, "hx-2026", 2026, 10)
    assert after.deduction_total - before.deduction_total == Decimal(100) * late_events
    _, text = render("monthly", "hx-2026-2026-10", data)
    assert f"违约金合计 {money(after.deduction_total)} 元" in text


def test_the_summary_compares_the_month_with_the_one_before() -> None:
    before, now = month_metrics(DATA, "hx-2026", 2026, 9), month_metrics(DATA, "hx-2026", 2026, 10)
    _, text = render("monthly", "hx-2026-2026-10")
    tickets = now.ticket_count - before.ticket_count
    assert f"与上月（2026年9月）相比：工单 {now.ticket_count} 张（{'减少' if tickets < 0 else '增加'} {abs(tickets)} 张）" in text
    assert f"得分 {now.score} 分（{'下降' if now.score < before.score else '提高'} {abs(now.score - before.score)} 分）" in text
    _, first = render("monthly", "hx-2026-2026-07")
    assert "与上月" not in first
