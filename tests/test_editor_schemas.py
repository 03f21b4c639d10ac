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
