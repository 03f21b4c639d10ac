"""The JSON Schemas `docgen schema` writes agree with docgen: the shipped data passes a real JSON
Schema validator, and a broken copy fails it where docgen's own validation fails."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import SAMPLE_DATA

from docgen.errors import InputError
from docgen.load import load_yaml
from docgen.schema import data_file_schemas
from docgen.validate import load_dataset

SCHEMAS = data_file_schemas()


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _schema_errors(path: Path, kind: str) -> list[tuple[list[Any], str]]:
    validator = jsonschema.Draft202012Validator(SCHEMAS[kind])
    return [(list(e.absolute_path), e.message) for e in validator.iter_errors(_plain(load_yaml(path)))]


@pytest.mark.parametrize("kind", [k for k in SCHEMAS if (SAMPLE_DATA / f"{k}.yaml").exists()])
def test_the_shipped_data_validates_against_its_schema(kind: str) -> None:
    path = SAMPLE_DATA / f"{kind}.yaml"
    jsonschema.Draft202012Validator.check_schema(SCHEMAS[kind])
    assert _schema_errors(path, kind) == []


def test_every_schema_is_a_valid_json_schema() -> None:
    for schema in SCHEMAS.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_every_field_has_a_chinese_title() -> None:
    fees = SCHEMAS["agreements"]["$defs"]["Fees"]["properties"]
    assert fees["total"]["title"] == "合同总价" and fees["monthly"]["title"] == "月度服务费"
    level = SCHEMAS["agreements"]["$defs"]["SlaLevel"]["properties"]
    assert level["response"]["title"] == "响应时限" and "2h" in level["response"]["description"]


BROKEN = [
    ("a thousands separator", lambda t: re.sub(r"total: \S+", "total: '1,680,000.00'", t, count=1),
     ["agreements", 0, "fees", "total"], "agreements[#1 hx-2026].fees.total"),
    ("a percent sign", lambda t: re.sub(r"performance_share_pct: \S+", "performance_share_pct: 15%", t, count=1),
     ["agreements", 0, "fees", "performance_share_pct"], "agreements[#1 hx-2026].fees.performance_share_pct"),
    ("a time limit in words", lambda t: re.sub(r"response: \S+", "response: 15分钟", t, count=1),
     ["agreements", 0, "sla", "levels", 0, "response"], "agreements[#1 hx-2026].sla.levels[#1 P1].response"),
    ("an unknown field", lambda t: t.replace("    contract_no:", "    contract_number: x\n    contract_no:", 1),
     ["agreements", 0], "agreements[#1 hx-2026].contract_number"),
    ("a share over 100", lambda t: re.sub(r"performance_share_pct: \S+", "performance_share_pct: 150", t, count=1),
     ["agreements", 0, "fees", "performance_share_pct"], "agreements[#1 hx-2026].fees.performance_share_pct"),
]


@pytest.mark.parametrize(("what", "breaks", "at", "field"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_copy_fails_both_where_docgen_fails(tmp_path: Path, what: str, breaks, at: list[Any],
                                                     field: str) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    path = folder / "agreements.yaml"
    text = path.read_text(encoding="utf-8")
    broken = breaks(text)
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    found = _schema_errors(path, "agreements")
    assert any(where[:len(at)] == at for where, _ in found), found
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    assert any(p.field == field for p in caught.value.problems), caught.value


def test_the_csv_columns_are_documented() -> None:
    columns = SCHEMAS["tickets.columns"]
    assert "opened" in columns["properties"] and "opened" in columns["required"]
    assert columns["properties"]["severity"]["title"]


CJK = re.compile("[\u4e00-\u9fff]")


def _properties(node: Any, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every property of every object in a schema (the top-level key, `$defs` models, nested
    objects), with where it is."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            found.append((f"{where}.{name}", prop))
        for key, value in node.items():
            found += _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _properties(value, f"{where}[{i}]")
    return found


def _enums(node: Any, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            found.append((where, node))
        for key, value in node.items():
            found += _enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _enums(value, f"{where}[{i}]")
    return found


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_every_property_has_a_chinese_title_and_description(kind: str) -> None:
    properties = _properties(SCHEMAS[kind])
    assert properties
    untitled = [where for where, prop in properties if not CJK.search(str(prop.get("title") or ""))]
    undescribed = [where for where, prop in properties if not CJK.search(str(prop.get("description") or ""))]
    assert untitled == [] and undescribed == []


@pytest.mark.parametrize("kind", [k for k in SCHEMAS if "$defs" in SCHEMAS[k]])
def test_every_model_has_a_chinese_title_and_description(kind: str) -> None:
    models = SCHEMAS[kind]["$defs"]
    assert [name for name, model in models.items()
            if not (CJK.search(model.get("title", "")) and CJK.search(model.get("description", "")))] == []
    assert CJK.search(SCHEMAS[kind]["description"])


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_every_enum_says_what_its_values_mean(kind: str) -> None:
    for where, node in _enums(SCHEMAS[kind]):
        meanings = node.get("enumDescriptions")
        assert isinstance(meanings, list) and len(meanings) == len(node["enum"]), where
        # a meaning of its own for each value (not the value repeated), in Chinese
        assert all(CJK.search(m) and m != str(v) for v, m in zip(node["enum"], meanings, strict=True)), where
    for where, prop in _properties(SCHEMAS[kind]):
        for _at, node in _enums(prop):
            assert all(str(v) in prop["description"] for v in node["enum"]), where


def test_the_descriptions_say_what_to_write() -> None:
    defs = SCHEMAS["agreements"]["$defs"]
    status = defs["Agreement"]["properties"]["status"]
    assert status["title"] == "合同状态"
    assert status["enumDescriptions"][status["enum"].index("draft")].startswith("草稿")
    assert "draft 草稿" in status["description"] and "terminated 已终止" in status["description"]
    mode = defs["Agreement"]["properties"]["service_mode"]
    assert "驻场（" in mode["description"] and len(mode["enumDescriptions"]) == 3
    total = defs["Fees"]["properties"]["total"]
    assert total["title"] == "合同总价" and "两位小数" in total["description"] and "千位分隔符" in total["description"]
    assert "YYYY-MM-DD" in defs["Agreement"]["properties"]["signing_date"]["description"]
    assert "P1 一级故障" in defs["SlaLevel"]["properties"]["level"]["description"]
    policy = SCHEMAS["policy"]["$defs"]
    key = policy["Weight"]["properties"]["key"]
    assert key["enumDescriptions"][key["enum"].index("sla")].startswith("服务质量与SLA达成")
    assert policy["ServiceWindow"]["properties"]["days"]["title"] == "服务日"
    per = SCHEMAS["bundles"]["$defs"]["BundleSpec"]["properties"]["per"]
    assert dict(zip(per["enum"], per["enumDescriptions"], strict=True))["month"] == "每月一册"
    assert "monthly（月度运维服务报告）" in SCHEMAS["bundles"]["$defs"]["BundleSpec"]["properties"]["kinds"]["description"]
    change_type = SCHEMAS["changes"]["$defs"]["PersonnelChange"]["properties"]["type"]
    assert change_type["title"] == "变更类型" and "撤离（" in change_type["description"]
    leave = SCHEMAS["leave"]
    assert leave["properties"]["leave"]["title"] == "请销假记录"  # not the policy's 请销假规则
    start = leave["$defs"]["LeaveRequest"]["properties"]["start"]
    assert start["title"] == "开始时间" and "YYYY-MM-DD HH:MM" in start["description"]
    assert "最多一位小数" in leave["$defs"]["LeaveRequest"]["properties"]["hours"]["description"]
    assert SCHEMAS["agreements"]["properties"]["agreements"]["title"] == "合同"


def test_the_csv_columns_say_what_to_write() -> None:
    tickets = SCHEMAS["tickets.columns"]["properties"]
    assert tickets["opened"]["title"] == "报障时间" and "YYYY-MM-DD HH:MM" in tickets["opened"]["description"]
    assert tickets["severity"]["enum"] == ["P1", "P2", "P3", "P4"]
    assert "P4 四级事件" in tickets["severity"]["description"]
    assert "1–5" in tickets["satisfaction"]["description"]
    attendance = SCHEMAS["attendance.columns"]["properties"]
    assert attendance["count"]["title"] == "次数" and "旷工" in attendance["count"]["description"]
    # a CSV cell has no quotes to add
    assert "引号" not in tickets["id"]["description"]


def test_a_default_is_said_when_the_description_does_not() -> None:
    fees = SCHEMAS["agreements"]["$defs"]["Fees"]["properties"]
    assert fees["tax_rate_pct"]["description"].endswith("不写时为 6。")
    sme = SCHEMAS["vendors"]["$defs"]["Vendor"]["properties"]["sme"]
    assert sme["description"].endswith("不写时为 false（否）。")
