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
