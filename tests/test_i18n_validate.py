"""validate's messages in Chinese (the default) and in English: docgen's own words for every
mistake pydantic finds, never pydantic's English text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Literal

import pytest
from conftest import MINI, SAMPLE_DATA, line_of, write_mini
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from docgen import i18n
from docgen import validate as v
from docgen.errors import InputError
from docgen.validate import load_dataset


def _problems(tmp_path: Path, name: str, old: str, new: str, lang: str = "en") -> list[str]:
    text = MINI[name]
    assert old in text, old
    folder = write_mini(tmp_path / lang / "data", **{name: text.replace(old, new, 1)})
    with i18n.use(lang), pytest.raises(InputError) as caught:
        load_dataset(folder)
    return [str(p).replace(f"{folder}/", "") for p in caught.value.problems]


def _both(tmp_path: Path, name: str, old: str, new: str) -> tuple[list[str], list[str]]:
    return _problems(tmp_path, name, old, new, "zh"), _problems(tmp_path, name, old, new, "en")


def test_an_amount_in_words_says_how_to_write_an_amount(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "agreements.yaml", "total: 1200000.00", "total: 一百二十万")
    line = line_of(MINI["agreements.yaml"], "total:")
    assert f"agreements.yaml:{line}:14: agreements[第1项 hx-2026].fees.total: 应为金额，如 120000.00；不要写千分位逗号" \
           "（现为 '一百二十万'）" in zh, zh
    assert f"agreements.yaml:{line}:14: agreements[#1 hx-2026].fees.total: should be an amount such as 120000.00, " \
           "without thousands separators, got '一百二十万'" in en, en


def test_an_amount_with_thousands_separators_says_what_to_write(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "agreements.yaml", "liquidated_damages: 100000.00", "liquidated_damages: 1,000,000.00")
    assert any(p.endswith("nda.liquidated_damages: 应为金额，如 120000.00（现为 '1,000,000.00'）；"
                          "金额不要写千分位逗号，写作 1000000.00") for p in zh), zh
    assert any(p.endswith("nda.liquidated_damages: should be an amount such as 120000.00, got '1,000,000.00'; "
                          "do not write thousands separators in amounts: write 1000000.00") for p in en), en


def test_a_percentage_and_ten_thousand_yuan(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "agreements.yaml", "availability_target_pct: 99.9", "availability_target_pct: 99.9%")
    assert any(p.endswith("sla.availability_target_pct: 应为百分比，如 15（现为 '99.9%'）；百分比只写数字，不写 %：写作 99.9")
               for p in zh), zh
    assert any(p.endswith("write a percentage as a plain number, without %: write 99.9") for p in en), en
    zh, en = _both(tmp_path / "wan", "agreements.yaml", "monthly: 100000.00", "monthly: 10万元")
    assert any(p.endswith("fees.monthly: 应为金额，如 120000.00（现为 '10万元'）；只写数字，单位是元（万元要换算成元）："
                          "写作 100000") for p in zh), zh
    assert any(p.endswith("write only the number, in yuan (convert 万元 to yuan): write 100000") for p in en), en


def test_an_impossible_date_says_what_is_wrong_with_it(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "agreements.yaml", "start: 2026-01-01", "start: 2026-13-45")
    assert any(p.endswith("agreements[第1项 hx-2026].start: '2026-13-45' 不是有效的日期：月份应在 1 到 12 之间；"
                          "日期请写作 YYYY-MM-DD，如 2026-03-01") for p in zh), zh
    assert any(p.endswith("agreements[#1 hx-2026].start: '2026-13-45' is not a valid date: the month must be 1 to 12; "
                          "write dates as YYYY-MM-DD, such as 2026-03-01") for p in en), en


def test_a_time_out_of_range_in_an_export(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "tickets.csv", "2026-10-03 09:00", "2026-10-03 25:00")
    assert "tickets.csv:2:7: tickets.opened: '2026-10-03 25:00' 不是有效的日期时间：小时应在 0 到 23 之间；" \
           "请写作 YYYY-MM-DD HH:MM，如 2026-03-01 09:30" in zh, zh
    assert "tickets.csv:2:7: tickets.opened: '2026-10-03 25:00' is not a valid date and time: the hour must be 0 " \
           "to 23; write it as YYYY-MM-DD HH:MM, such as 2026-03-01 09:30" in en, en


def test_a_value_outside_a_list_of_choices_lists_them(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "agreements.yaml", "service_mode: 驻场", "service_mode: 现场")
    assert any(p.endswith("service_mode: 应为以下之一：驻场、远程、驻场+远程（现为 '现场'）") for p in zh), zh
    assert any(p.endswith("service_mode: should be one of 驻场, 远程, 驻场+远程, got '现场'") for p in en), en


def test_yes_for_true_and_a_number_for_text(tmp_path: Path) -> None:
    old, new = "pledge_signed: true", "pledge_signed: yes"
    text = MINI["staff.yaml"].replace(old, new, 1).replace('phone: "13900000002"', "phone: 13900000002")
    zh, en = _both(tmp_path, "staff.yaml", MINI["staff.yaml"], text)
    assert any(p.endswith("staff[第1项 s1].pledge_signed: 应为 true 或 false（现为 'yes'）") for p in zh), zh
    assert any(p.endswith("staff[第2项 s2].phone: 应为文字（现为 13900000002）；请给这个值加上引号") for p in zh), zh
    assert any(p.endswith("staff[#1 s1].pledge_signed: should be true or false, got 'yes'") for p in en), en


def test_limits_missing_fields_and_unknown_ones(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "staff.yaml", "years_experience: ", "years_experience: 99 #")
    assert any(p.endswith("years_experience: 不能大于 60（现为 99）") for p in zh), zh
    assert any(p.endswith("years_experience: should be at most 60, got 99") for p in en), en
    zh, en = _both(tmp_path / "typo", "vendors.yaml", "    short_name:", "    short_nmae:")
    assert any(p.endswith("vendors[第1项 hx].short_nmae: 未知字段 'short_nmae'；是不是想写 'short_name'？") for p in zh), zh
    assert any(p.endswith("vendors[第1项 hx].short_name: 缺少必填字段 'short_name'") for p in zh), zh
    assert any(p.endswith("vendors[#1 hx].short_name: missing required field 'short_name'") for p in en), en


def test_an_unusable_id_is_described_in_words_not_as_a_pattern(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "agreements.yaml", "id: hx-2026", "id: 'hx 2026'")
    assert any(p.endswith("].id: 应为编号：只用英文字母、数字、“-”和“_”，以字母或数字开头，最多 64 个字符（现为 'hx 2026'）")
               for p in zh), zh
    assert not any("^" in p or "{0,63}" in p for p in zh + en), (zh, en)


def test_every_pattern_of_the_models_is_described_in_words() -> None:
    source = (Path(v.__file__).with_name("models.py")).read_text(encoding="utf-8")
    patterns = re.findall(r'Field\(pattern=r"([^"]+)"', source)
    assert patterns and set(patterns) <= set(v._PATTERNS), set(patterns) - set(v._PATTERNS)


def test_an_unknown_reference_and_an_empty_cell(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "agreements.yaml", "vendor: hx", "vendor: hx2")
    assert any(p.endswith("vendor: 未知的供应商 'hx2'；vendors.yaml 中有：hx") for p in zh), zh
    assert any(p.endswith("vendor: unknown vendor 'hx2'; vendors.yaml defines: hx") for p in en), en
    zh, en = _both(tmp_path / "cell", "tickets.csv", "2026-10-03 09:00", "")
    assert "tickets.csv:2:7: tickets.opened: 本行的 'opened' 列为空；此列必须填写" in zh, zh
    assert "tickets.csv:2:7: tickets.opened: the column 'opened' is empty in this row; it needs a value" in en, en


def test_a_mistake_in_a_whole_column_is_one_problem(tmp_path: Path) -> None:
    header, row = MINI["tickets.csv"].splitlines()
    rows = [row.replace("INC-1,", f"INC-{i},").replace(",P1,", ",一级,") for i in range(8)]
    zh, en = _both(tmp_path, "tickets.csv", MINI["tickets.csv"], "\n".join([header, *rows]) + "\n")
    assert zh == ["tickets.csv:2:3: tickets.severity: 'severity' 列有 8 行是同一个问题（第 2、3、4、5、6 行……），"
                  "以第一行的 '一级' 为例：应为以下之一：P1、P2、P3、P4（现为 '一级'）"]
    assert en == ["tickets.csv:2:3: tickets.severity: 8 rows of column 'severity' have this problem (rows 2, 3, 4, 5, "
                  "6, …), as in the first one, '一级': should be one of P1, P2, P3, P4, got '一级'"]


def test_a_validator_of_the_models_is_passed_through_without_pydantic_s_prefix(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "agreements.yaml", "end: 2026-12-31", "end: 2025-12-31")
    [en_end] = [p for p in en if "].end: " in p]
    [zh_end] = [p for p in zh if "].end: " in p]
    assert en_end.endswith("agreements[#1 hx-2026].end: end 2025-12-31 is not after start 2026-01-01"), en
    assert "2025-12-31" in zh_end and "Value error" not in zh_end and "agreements[第1项 hx-2026].end: " in zh_end, zh


MISTAKES = [
    ("agreements.yaml", "liquidated_damages: 100000.00", "liquidated_damages: -5.00"),
    ("agreements.yaml", "liquidated_damages: 100000.00", "liquidated_damages: 0.105"),
    ("agreements.yaml", "liquidated_damages: 100000.00", "liquidated_damages: .inf"),
    ("agreements.yaml", "liquidated_damages: 100000.00", "liquidated_damages: 12345678901234567.00"),
    ("agreements.yaml", "liquidated_damages: 100000.00", "liquidated_damages: [1]"),
    ("agreements.yaml", "start: 2026-01-01", "start: 2026-01-01 10:00"),
    ("agreements.yaml", "start: 2026-01-01", "start: 2026-1"),
    ("agreements.yaml", "vendor: hx", "vendor: [hx]"),
    ("agreements.yaml", "vendor: hx", "vendor:"),
    ("agreements.yaml", "availability_systems: [核心业务系统]", "availability_systems: []"),
    ("agreements.yaml", "availability_systems: [核心业务系统]", "availability_systems: 核心业务系统"),
    ("agreements.yaml", "    disputes:\n", "    disputes: 诉讼\n    old_disputes:\n"),
    ("agreements.yaml", "contract_no: CH-YW-2026-001", "contract_no: ch-yw"),
    ("staff.yaml", "years_experience: ", "years_experience: 2.5 #"),
    ("staff.yaml", "years_experience: ", "years_experience: abc #"),
    ("tickets.csv", "2026-10-03 09:00", "yesterday"),
    ("tickets.csv", ",P1,", ",P7,"),
]


@pytest.mark.parametrize(("name", "old", "new"), MISTAKES, ids=[m[2] for m in MISTAKES])
def test_pydantic_s_english_never_reaches_the_reader(tmp_path: Path, name: str, old: str, new: str) -> None:
    zh, en = _both(tmp_path, name, old, new)
    raw = re.compile(r"Input should|should be a valid|Value error|Assertion failed|String should|Decimal input|"
                     r"Field required|Extra inputs|List should|Datetimes provided")
    assert not [p for p in zh + en if raw.search(p)], (zh, en)
    assert all(re.search(r"[\u4e00-\u9fff]", p.split(": ", 1)[1]) for p in zh), zh
    assert zh != en


class _Probe(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=4)
    tags: list[str] = Field(max_length=1)
    kind: Literal["a"] = "a"


@pytest.mark.parametrize(("data", "zh", "en"), [
    ({"name": "abcdef", "tags": []}, "最多 4 个字符，现有 6 个", "should have at most 4 characters; it has 6"),
    ({"name": "a", "tags": ["x", "y"]}, "最多列出 1 项，现在有 2 项", "should list at most 1 item; it lists 2"),
    ({"name": "a", "tags": [], "kind": "b"}, "应为 a（现为 'b'）", "should be a, got 'b'"),
    ({"name": "a", "tags": {"x": 1}}, "应为列表：每项一行，以“- ”开头，或写作 [甲, 乙]（现为一组字段）",
     "should be a list: one item per line starting with '- ', or [a, b], got a group of fields"),
])
def test_the_rarer_mistakes(data: dict[str, object], zh: str, en: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _Probe.model_validate(data)
    [err] = caught.value.errors()
    with i18n.use("zh"):
        assert v._message(err, _Probe) == zh
    assert v._message(err, _Probe) == en


def test_a_mistake_docgen_has_no_words_for_shows_the_value() -> None:
    err = {"type": "uuid_parsing", "loc": ("x",), "msg": "Input should be a valid UUID", "input": "12-34", "ctx": {}}
    with i18n.use("zh"):
        assert v._message(err) == "值无效：'12-34'"
    assert v._message(err) == "invalid value '12-34'"


def test_a_warning_about_valid_data(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    with i18n.use("zh"):
        warnings = load_dataset(folder).warnings
    assert any("downtime_minutes: 记录的停机时间为 11 分钟，而从报告到恢复共 74 分钟：报告按记录的时间计算；请对照监控日志核实" in w
               for w in warnings), warnings
    warnings = load_dataset(folder).warnings
    assert any("downtime_minutes: 11 minutes recorded, 74 from report to restore" in w for w in warnings), warnings
