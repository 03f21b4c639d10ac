"""The mistakes a Chinese keyboard and Chinese office software make in data files, each named
at its own line and column with what to write instead."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import i18n
from docgen.errors import InputError
from docgen.load import screen_text
from docgen.validate import load_dataset, typing_hint


def _problems(tmp_path: Path, file: str, old: str, new: str) -> list[str]:
    folder = tmp_path / "data"
    if not folder.exists():
        shutil.copytree(SAMPLE_DATA, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    return [str(p).replace(f"{folder}/", "") for p in caught.value.problems]


def _line(file: str, needle: str) -> int:
    return next(i for i, line in enumerate((SAMPLE_DATA / file).read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


@pytest.mark.parametrize(("old", "new", "expected", "english"), [
    ("    short_name: ", "    short_name：", ":15: short_name: 全角冒号“：”（第 15 列）",
     ":15: short_name: full-width colon '：' (column 15)"),
    ("    short_name: ", "　  short_name: ", ":1: 全角空格（第 1 列）在缩进中",
     ":1: full-width space (column 1) in the indentation"),
    ("    short_name: ", "    short_name:　", ":16: short_name: 全角空格（第 16 列）：冒号后应为半角空格",
     ":16: short_name: full-width space (column 16): after the colon write a half-width space"),
])
def test_full_width_characters_are_named_where_they_are(tmp_path: Path, old: str, new: str, expected: str,
                                                        english: str) -> None:
    with i18n.use("zh"):
        found = _problems(tmp_path, "vendors.yaml", old, new)
    line = _line("vendors.yaml", "short_name: ")
    assert found == [f"vendors.yaml:{line}{expected}" + found[0].split(expected, 1)[1]], found
    found = _problems(tmp_path / "en", "vendors.yaml", old, new)
    assert found == [f"vendors.yaml:{line}{english}" + found[0].split(english, 1)[1]], found


def test_a_full_width_comma_between_list_items() -> None:
    with i18n.use("zh"):
        [problem] = screen_text('sla:\n  windows: ["7×24"，"5×8"]\n', "policy.yaml")
    assert (problem.line, problem.col) == (2, 19) and "全角逗号" in problem.message
    [problem] = screen_text('sla:\n  windows: ["7×24"，"5×8"]\n', "policy.yaml")
    assert problem.message.startswith("full-width comma '，' (column 19) between list items")


def test_commas_and_colons_inside_chinese_text_are_fine() -> None:
    assert screen_text("basis: 迟到、早退，按每人每次计：不重复计\n# 说明：注释里的全角冒号\n", "x.yaml") == []


@pytest.mark.parametrize(("value", "hint"), [
    ("1,218,000.00", "金额不要写千分位逗号，写作 1218000.00"),
    ("¥43,500", "写作 43500"),
    ("15%", "百分比只写数字，不写 %：写作 15"),
    ("15 ％", "写作 15"),
    ("12万元", "只写数字，单位是元"),
    ("2026年12月15日", "日期写作 2026-12-15"),
    ("2026.1.5", "日期写作 2026-01-05"),
    ("5x8", "用乘号 ×：写作 5×8"),
    ("7X24", "写作 7×24"),
    ("华信\u200b智维", "零宽空格 U+200B"),
])
def test_what_to_write_instead(value: str, hint: str) -> None:
    with i18n.use("zh"):
        assert hint in typing_hint(value)
    assert typing_hint(value) and hint not in typing_hint(value)  # the English hint


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.-abc华信", max_size=12))
def test_plain_values_get_no_hint(value: str) -> None:
    hinted = typing_hint(value)
    assert not hinted or re.search(r"\d[xX]\d|年|\.", value), (value, hinted)


def test_a_thousands_separator_in_an_amount_is_named_with_the_record(tmp_path: Path) -> None:
    text = (SAMPLE_DATA / "agreements.yaml").read_text(encoding="utf-8")
    total = re.search(r"total: (\S+)", text).group(0)
    with i18n.use("zh"):
        [problem] = _problems(tmp_path, "agreements.yaml", total, "total: 1,218,000.00")
    assert problem.startswith(f"agreements.yaml:{_line('agreements.yaml', total)}:14: agreements[第1项 hx-2026].fees.total:")
    assert problem.endswith("应为金额，如 120000.00（现为 '1,218,000.00'）；金额不要写千分位逗号，写作 1218000.00")
    [problem] = _problems(tmp_path / "en", "agreements.yaml", total, "total: 1,218,000.00")
    assert problem.startswith(f"agreements.yaml:{_line('agreements.yaml', total)}:14: agreements[#1 hx-2026].fees.total:")
    assert problem.endswith("do not write thousands separators in amounts: write 1218000.00")


def test_a_chinese_date_and_an_x_for_the_times_sign(tmp_path: Path) -> None:
    with i18n.use("zh"):
        found = _problems(tmp_path, "agreements.yaml", "start: 2026-01-01", "start: 2026年1月1日")
    assert any("agreements[第1项 hx-2026].start:" in p and p.endswith("日期写作 2026-01-01") for p in found), found
    with i18n.use("zh"):
        found = _problems(tmp_path / "other", "agreements.yaml", 'service_window: "7×24"', "service_window: 7x24")
    assert any("sla.service_window:" in p and "用乘号 ×：写作 7×24" in p for p in found), found
    found = _problems(tmp_path / "en", "agreements.yaml", "start: 2026-01-01", "start: 2026年1月1日")
    assert any("agreements[#1 hx-2026].start:" in p and p.endswith("write dates as 2026-01-01") for p in found), found
    found = _problems(tmp_path / "en-other", "agreements.yaml", 'service_window: "7×24"', "service_window: 7x24")
    assert any("sla.service_window:" in p and p.endswith("use the times sign ×: write 7×24") for p in found), found


def test_an_invisible_character_in_a_key(tmp_path: Path) -> None:
    found = _problems(tmp_path, "agreements.yaml", "    contract_no: ", "    contract_no\u200b: ")
    assert any("unknown field 'contract_no\\u200b'; it holds invisible characters (zero-width space U+200B)" in p
               for p in found), found
    with i18n.use("zh"):
        found = _problems(tmp_path / "zh", "agreements.yaml", "    contract_no: ", "    contract_no\u200b: ")
    assert any("未知字段 'contract_no\\u200b'；其中有看不见的字符（零宽空格 U+200B）" in p for p in found), found


def test_an_invisible_character_in_an_id_is_shown_in_the_records_name(tmp_path: Path) -> None:
    with i18n.use("zh"):
        found = _problems(tmp_path, "staff.yaml", "- id: hx-01", "- id: hx\u200b-01")
    assert any(p.startswith(f"staff.yaml:{_line('staff.yaml', '- id: hx-01')}:9: staff[第1项 hx<U+200B>-01].id: ")
               and "零宽空格 U+200B" in p for p in found), found


def test_a_misnamed_file_says_which_name_docgen_reads(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    (folder / "client.yaml").rename(folder / "client.yml")
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    assert [str(p).replace(f"{folder}/", "") for p in caught.value.problems] == [
        "client.yml: docgen reads client.yaml, not client.yml: rename the file to client.yaml"]


def test_a_syntax_error_in_one_file_does_not_hide_the_others(tmp_path: Path) -> None:
    _problems(tmp_path, "vendors.yaml", "    short_name: ", "    short_name：")
    found = _problems(tmp_path, "agreements.yaml", "start: 2026-01-01", "start: 2026年1月1日")
    assert any(p.startswith("vendors.yaml:") and "full-width colon" in p for p in found), found
    assert any(p.startswith("agreements.yaml:") and "write dates as" in p for p in found), found


def test_an_invisible_character_in_a_valid_value_is_a_warning_at_its_place(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    text = (folder / "vendors.yaml").read_text(encoding="utf-8")
    (folder / "vendors.yaml").write_text(text.replace("name: 华信智维科技有限公司", "name: 华信智维\u200b科技有限公司", 1),
                                         encoding="utf-8")
    data = load_dataset(folder)
    line = _line("vendors.yaml", "name: 华信智维科技有限公司")
    assert any(w.startswith(f"vendors.yaml:{line}:") and "zero-width space U+200B" in w for w in data.warnings), \
        data.warnings
    with i18n.use("zh"):
        data = load_dataset(folder)
    assert any(w.startswith(f"vendors.yaml:{line}:") and "零宽空格 U+200B" in w for w in data.warnings), data.warnings
