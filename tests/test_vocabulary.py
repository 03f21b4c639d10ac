"""Service windows and service categories live in the policy's vocabulary: a 5×12 window and a new
category added there appear in the contract documents and set the SLA clock, without a new docgen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, use_checkout_templates
from docx import Document

import docgen
from docgen.errors import InputError
from docgen.validate import load_dataset

VOCABULARY = """\
  vocabulary:
    service_windows:
      - {name: "5×8", days: 工作日, hours: "09:00-17:00"}
      - {name: "7×24", days: 每天, hours: "00:00-24:00"}
      - {name: "5×12", days: 工作日, hours: "08:00-20:00"}
    service_categories: [硬件维护, 软件支持, 网络安全, 网络运维, 数据库运维, 桌面运维, 机房运维, 应用运维, 云平台运维]
"""


def _data(tmp_path: Path, *, window: str = "5×12", category: str = "云平台运维", vocabulary: bool = True) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    use_checkout_templates(tmp_path)
    policy = (folder / "policy.yaml").read_text(encoding="utf-8")
    if vocabulary:
        (folder / "policy.yaml").write_text(policy.replace("  deductions:\n", VOCABULARY + "  deductions:\n", 1),
                                            encoding="utf-8")
    vendors = (folder / "vendors.yaml").read_text(encoding="utf-8")
    (folder / "vendors.yaml").write_text(vendors.replace("categories: [网络运维, 网络安全]",
                                                         f"categories: [网络运维, 网络安全, {category}]", 1),
                                         encoding="utf-8")
    agreements = (folder / "agreements.yaml").read_text(encoding="utf-8")
    at = agreements.index("- id: lc-2026")
    window_at = agreements.index('service_window: "5×8"', at)
    (folder / "agreements.yaml").write_text(
        agreements[:window_at] + f'service_window: "{window}"' + agreements[window_at + len('service_window: "5×8"'):],
        encoding="utf-8")
    return folder


def _text(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def test_a_window_and_a_category_added_in_the_policy_appear_in_the_contract(tmp_path: Path) -> None:
    _data(tmp_path)
    project = docgen.Project.load(tmp_path)
    data = project.validate()
    lc = data.agreement("lc-2026")
    assert data.window_of(lc).hours == "08:00-20:00"
    for kind in ("contract", "sla", "scope"):
        result = project.build(project.plan_document(data, kind, "lc-2026", pdf=False))
        assert result.ok, result.failed
    contract = _text(next((tmp_path / "out/contracts/lc-2026").glob("*_运维外包服务合同.docx")))
    assert "服务窗口为5×12（工作日每天 08:00-20:00）" in contract
    assert "乙方确认具备下列类别的服务能力：网络运维、网络安全、云平台运维。" in contract
    sla = _text(next((tmp_path / "out/contracts/lc-2026").glob("*-SLA_服务等级协议.docx")))
    assert "“5×12”指在工作日（依国家法定节假日及调休安排确定）每天 08:00-20:00 提供服务" in sla
    scope = _text(next((tmp_path / "out/contracts/lc-2026").glob("*-SCOPE_服务清单.docx")))
    assert "服务窗口为5×12，即工作日（依国家法定节假日及调休安排确定）每天 08:00-20:00" in scope


def test_a_window_the_policy_does_not_define_names_the_ones_it_does(tmp_path: Path) -> None:
    folder = _data(tmp_path, window="5×10")
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    assert any(p.field == "sla.service_window" and "unknown service window '5×10'" in p.message
               and "5×8, 7×24, 5×12" in p.message for p in caught.value.problems), caught.value


def test_without_a_vocabulary_the_defaults_apply(tmp_path: Path) -> None:
    folder = _data(tmp_path, vocabulary=False)
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == ["categories", "sla.service_window"], caught.value
    assert load_dataset(SAMPLE_DATA).policy.vocabulary.window("5×8").hours == "09:00-17:00"


POSTS_AND_LEAVE = """\
  vocabulary:
    service_windows:
      - {name: "5×8", days: 工作日, hours: "09:00-17:00"}
      - {name: "7×24", days: 每天, hours: "00:00-24:00"}
      - {name: "5×12", days: 工作日, hours: "08:00-20:00"}
    leave_types: [事假, 病假, 年假, 调休, 婚假, 丧假, 产假, 陪产假]
"""


def _posts_and_leave(tmp_path: Path, *, post: str = "5×12", leave: str = "陪产假", vocabulary: bool = True) -> Path:
    """The sample with hx-01 on a `post` post and leave QJ-001 of type `leave`."""
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    use_checkout_templates(tmp_path)
    if vocabulary:
        policy = (folder / "policy.yaml").read_text(encoding="utf-8")
        (folder / "policy.yaml").write_text(policy.replace("  deductions:\n", POSTS_AND_LEAVE + "  deductions:\n", 1),
                                            encoding="utf-8")
    staff = (folder / "staff.yaml").read_text(encoding="utf-8")
    (folder / "staff.yaml").write_text(staff.replace('post_type: "5×8"', f'post_type: "{post}"', 1), encoding="utf-8")
    leave_text = (folder / "leave.yaml").read_text(encoding="utf-8")
    (folder / "leave.yaml").write_text(leave_text.replace("type: 事假", f"type: {leave}", 1), encoding="utf-8")
    return folder


def test_a_post_type_and_a_leave_type_added_in_the_policy_appear_on_the_form(tmp_path: Path) -> None:
    _posts_and_leave(tmp_path)
    project = docgen.Project.load(tmp_path)
    data = project.validate()
    assert data.staff[0].post_type == "5×12" and data.post_window(data.staff[0]).hours == "08:00-20:00"
    leave = next(r for r in data.leave if r.id == "QJ-001")
    assert leave.type == "陪产假"
    result = project.build(project.plan_document(data, "leave", "QJ-001", pdf=False))
    assert result.ok, result.failed
    form = _text(next((tmp_path / "out").rglob("*QJ-001*.docx")))
    assert "陪产假" in form


def test_a_post_or_leave_type_the_policy_does_not_define_is_refused_with_the_ones_it_does(tmp_path: Path) -> None:
    from docgen import i18n

    folder = _posts_and_leave(tmp_path, post="7x24", leave="探亲假", vocabulary=False)
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    by_field = {p.field: p for p in caught.value.problems}
    assert set(by_field) == {"post_type", "type"}, caught.value
    post, leave = by_field["post_type"], by_field["type"]
    assert post.file.endswith("staff.yaml") and post.line == 8
    assert "unknown post type '7x24'" in post.message and "5×8, 7×24" in post.message
    assert leave.file.endswith("leave.yaml") and leave.line == 5
    assert "unknown leave type '探亲假'" in leave.message and "vocabulary.leave_types" in leave.message
    with i18n.use("zh"), pytest.raises(InputError) as zh:
        load_dataset(folder)
    text = str(zh.value)
    assert "未知的岗位类型 '7x24'" in text and "×" in text and "未知的假别 '探亲假'" in text


def test_a_per_day_absence_counts_the_days_its_posts_window_serves() -> None:
    from datetime import date

    from docgen import models as m
    from docgen.metrics import _event_days
    from docgen.workdays import WorkCalendar

    rule = m.DeductionRule.model_validate({"code": "absent", "name": "旷工", "amount": "500", "unit": "人/天",
                                           "basis": "x"})
    event = m.AttendanceEvent(id="A1", date=date(2026, 11, 13), staff="s", kind="absent", count=3)
    calendar = WorkCalendar()
    five_twelve = m.ServiceWindow(name="5×12", days="工作日", hours="08:00-20:00")
    every_day = m.ServiceWindow(name="6×12", days="每天", hours="08:00-20:00")
    # 2026-11-13 is a Friday: a 工作日 window skips the weekend, a 每天 window does not
    assert _event_days(event, rule, five_twelve, calendar) == [date(2026, 11, 13), date(2026, 11, 16),
                                                                 date(2026, 11, 17)]
    assert _event_days(event, rule, every_day, calendar) == [date(2026, 11, 13), date(2026, 11, 14),
                                                               date(2026, 11, 15)]
