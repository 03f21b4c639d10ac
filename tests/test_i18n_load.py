"""The loader's, the models' and docgen.toml's messages in Chinese (the default) and in English:
YAML syntax errors in docgen's own words (never ruamel's), the Chinese keyboard's slips, CSV and
Excel exports, the models' checks and the config file."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from docgen import i18n
from docgen import models as m
from docgen.config import load_config
from docgen.errors import InputError
from docgen.load import INVISIBLE, load_csv, load_xlsx, load_yaml, screen_text


def _yaml_problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "client.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_yaml(path, "client.yaml")
    return [str(p) for p in caught.value.problems]


# the mistakes people make in YAML, and what ruamel would have said about each
COMMON = {
    "a colon missing": "name: 华信\ncity 苏州\nshort_name: 华信\n",
    "a colon in a value": "name: 会议: 周一\n",
    "a tab": "client:\n\tname: 华信\n",
    "a misindented key": "client:\n  name: 华信\n city: 苏州\n",
    "a quote left open": 'name: "华信\ncity: 苏州\n',
    "a bracket left open": "categories: [硬件维护, 软件支持\ncity: 苏州\n",
    "a brace left open": "bank: {bank: 工商银行\n",
    "a list item in a mapping": "client:\n  name: 华信\n  - 苏州\n",
    "a key in a list": "items:\n  - 甲\n  name: 乙\n",
    "text after a quoted value": "name: '华信's'\n",
    "a list item after a key": "name: - 华信\n",
    "a value starting with @": "email: @huaxin\n",
    "a backslash in double quotes": 'path: "D:\\data"\n',
    "two commas": "items: [甲,, 乙]\n",
}


@pytest.mark.parametrize("mistake", COMMON)
def test_common_yaml_mistakes_are_told_in_docgens_words_not_the_parsers(tmp_path: Path, mistake: str) -> None:
    with i18n.use("zh"):
        [problem] = _yaml_problems(tmp_path, COMMON[mistake])
    assert re.match(r"client\.yaml:\d+:\d+: YAML 语法错误：", problem), problem
    assert "无法解析" not in problem  # not the general message: this one is known
    for words in ("while ", "expected", "found", "scanning", "parsing", "token", "not allowed", "mapping"):
        assert words not in problem, (words, problem)
    [english] = _yaml_problems(tmp_path, COMMON[mistake])
    assert english.split(": ", 1)[0] == problem.split(": ", 1)[0]  # the same place in both languages
    assert "YAML syntax error: " in english and "cannot read this" not in english


def test_a_missing_colon_names_its_line(tmp_path: Path) -> None:
    with i18n.use("zh"):
        [problem] = _yaml_problems(tmp_path, COMMON["a colon missing"])
    assert problem == ("client.yaml:3:1: YAML 语法错误：第 2 行没有冒号“:”；应写作“键: 值”（半角冒号加一个空格）；"
                       "如果它是上一行的值的续行，请把它缩进")
    [problem] = _yaml_problems(tmp_path, COMMON["a colon missing"])
    assert problem.startswith("client.yaml:3:1: YAML syntax error: line 2 has no colon ':'; write it as key: value")


def test_an_open_quote_and_an_open_bracket_name_where_they_were_opened(tmp_path: Path) -> None:
    with i18n.use("zh"):
        [quote] = _yaml_problems(tmp_path, COMMON["a quote left open"])
        [bracket] = _yaml_problems(tmp_path, COMMON["a bracket left open"])
    assert quote.endswith("YAML 语法错误：第 1 行第 7 列的引号 \" 没有闭合；请在值的末尾补上 \""), quote
    assert bracket.endswith("YAML 语法错误：第 1 行第 13 列的“[”没有用“]”闭合，或者其中的项之间缺少半角逗号“,”"), bracket
    [quote] = _yaml_problems(tmp_path, COMMON["a quote left open"])
    assert quote.endswith('YAML syntax error: the quote " opened at line 1, column 7 is never closed; add the closing "')


def test_a_tab_is_named_with_its_column(tmp_path: Path) -> None:
    with i18n.use("zh"):
        [problem] = _yaml_problems(tmp_path, "client:\n  name:\t华信\n")
    assert problem == ("client.yaml:2:8: YAML 语法错误：制表符 Tab（第 8 列）；YAML 中这里不能用 Tab，"
                       "缩进和分隔都请用半角空格")
    [problem] = _yaml_problems(tmp_path, "client:\n  name:\t华信\n")
    assert problem.endswith("YAML syntax error: a tab character (column 8); YAML does not allow tabs here, "
                            "indent and separate with spaces")


def test_a_rare_yaml_error_is_the_general_message_with_the_parsers_words_in_brackets(tmp_path: Path) -> None:
    with i18n.use("zh"):
        [problem] = _yaml_problems(tmp_path, "note: |x\n  text\n")
    assert problem.startswith("client.yaml:1:8: YAML 语法错误：这里无法解析（while scanning a block scalar "), problem
    assert problem.endswith("）")
    [problem] = _yaml_problems(tmp_path, "note: |x\n  text\n")
    assert problem.startswith("client.yaml:1:8: YAML syntax error: cannot read this (while scanning a block scalar")


def test_a_duplicate_key_and_refused_yaml_features(tmp_path: Path) -> None:
    with i18n.use("zh"):
        assert _yaml_problems(tmp_path, "city: 苏州\nname: 华信\ncity: 无锡\n") == [
            "client.yaml:3:1: 键 'city' 重复；第一次出现在第 1 行"]
        assert _yaml_problems(tmp_path, "name: !!str 华信\n") == ["client.yaml:1:7: 不允许使用标签（tag:yaml.org,2002:str）；请删除它"]
        assert _yaml_problems(tmp_path, "- 华信\n") == ["client.yaml:1:1: 文件最外层应为“键: 值”形式的内容，实际是一个列表（以“- ”开头）"]
        assert _yaml_problems(tmp_path, "\n\n") == ["client.yaml:1:1: 文件是空的"]
    assert _yaml_problems(tmp_path, "city: 苏州\nname: 华信\ncity: 无锡\n") == [
        "client.yaml:3:1: duplicate key 'city'; first defined at line 1"]


def test_a_control_character_is_a_located_problem_not_a_crash(tmp_path: Path) -> None:
    with i18n.use("zh"):
        [problem] = _yaml_problems(tmp_path, "city: 苏州\nname: 华\x07信\n")
    assert problem == "client.yaml:2:8: YAML 文件中不允许出现字符 U+0007（第 8 列）；请删除它（常见于从其他程序复制的文字）"
    [problem] = _yaml_problems(tmp_path, "city: 苏州\nname: 华\x07信\n")
    assert problem.startswith("client.yaml:2:8: the character U+0007 (column 8) is not allowed in a YAML file")


def test_what_a_chinese_keyboard_slips_in_is_named_at_the_character() -> None:
    text = "client:\n  name：华信\n  city: 苏\u200b州\n"
    with i18n.use("zh"):
        found = [str(p) for p in screen_text(text, "client.yaml")]
        assert [i18n._(INVISIBLE[c]) for c in "\u200b\u00a0"] == ["零宽空格 U+200B", "不换行空格 U+00A0"]
    assert found == ["client.yaml:2:7: name: 全角冒号“：”（第 7 列）：键 name 后应为半角冒号“:”再加一个空格",
                     "client.yaml:3:10: 看不见的字符：零宽空格 U+200B（第 10 列）；请删除它（常见于从网页或聊天软件复制的文字）"]
    found = [str(p) for p in screen_text(text, "client.yaml")]
    assert found[1] == ("client.yaml:3:10: invisible character: zero-width space U+200B (column 10); delete it "
                        "(it often comes with text copied from a web page or a chat app)")
    assert i18n._(INVISIBLE["\u200b"]) == "zero-width space U+200B"


def test_csv_exports_in_neither_encoding_and_with_a_short_row(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_bytes(b"id,agreement\nINC-1,hx\n" + b"\xff\xfe\n")
    with i18n.use("zh"), pytest.raises(InputError) as caught:
        load_csv(path, "tickets.csv")
    assert str(caught.value.problems[0]) == ("tickets.csv:3:1: 既不是 UTF-8 编码，也不是 GB18030 编码（字节 0xFF）；"
                                             "请把文件另存为 UTF-8（Excel 中选“CSV UTF-8（逗号分隔）”）")
    path.write_text("id,agreement\nINC-1\nINC-2,hx,x\n", encoding="utf-8")
    with i18n.use("zh"), pytest.raises(InputError) as caught:
        load_csv(path, "tickets.csv")
    assert str(caught.value.problems[0]) == "tickets.csv:2:1: 这一行有 1 列，而表头有 2 列"
    with pytest.raises(InputError) as caught:
        load_csv(path, "tickets.csv")
    assert str(caught.value.problems[0]) == "tickets.csv:2:1: row has 1 cell, the header has 2"
    path.write_text("id,agreement\nINC-2,hx,x\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_csv(path, "tickets.csv")
    assert str(caught.value.problems[0]) == "tickets.csv:2:1: row has 3 cells, the header has 2"


def test_a_workbook_with_a_value_in_a_column_without_a_header(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "工单"
    sheet.append(["id", "agreement"])
    sheet.append(["INC-1", "hx", "多余"])
    book.save(tmp_path / "tickets.xlsx")
    with i18n.use("zh"), pytest.raises(InputError) as caught:
        load_xlsx(tmp_path / "tickets.xlsx", "tickets.xlsx")
    assert str(caught.value.problems[0]) == ("tickets.xlsx[工单]:2:3: 没有表头的列中有值；请在第 1 行给这一列写上名称，"
                                             "或清空这个单元格")
    with pytest.raises(InputError) as caught:
        load_xlsx(tmp_path / "tickets.xlsx", "tickets.xlsx")
    assert str(caught.value.problems[0]).startswith("tickets.xlsx[工单]:2:3: a value in a column without a header")


def _model_message(make) -> str:
    with pytest.raises(ValidationError) as caught:
        make()
    return caught.value.errors()[0]["msg"].removeprefix("Value error, ")


def test_the_models_checks_speak_the_readers_language() -> None:
    def fees() -> m.Fees:
        return m.Fees(total=Decimal("100"), monthly=Decimal("10"),
                      payment=[m.Installment(stage="首期", percent=Decimal("60"), condition="签订后"),
                               m.Installment(stage="尾期", percent=Decimal("30"), condition="验收后")])

    def disputes() -> m.Disputes:
        return m.Disputes(method="仲裁")

    def hours() -> m.ServiceWindow:
        return m.ServiceWindow(name="5×8", days="工作日", hours="9:00-17:00")

    with i18n.use("zh"):
        assert _model_message(fees) == "各期付款比例合计为 90，不是 100"
        assert _model_message(disputes) == "选择仲裁时需要填写 arbitration_commission（仲裁委员会的名称）"
        assert _model_message(hours) == "服务时间应写作 HH:MM-HH:MM，如 09:00-17:00，而不是 '9:00-17:00'"
    assert _model_message(fees) == "payment percentages add up to 90, not 100"
    assert _model_message(disputes) == "arbitration needs arbitration_commission (the name of the arbitration commission)"


def test_docgen_toml_mistakes(tmp_path: Path) -> None:
    (tmp_path / "docgen.toml").write_text("[project]\ndata = data\n", encoding="utf-8")
    with i18n.use("zh"), pytest.raises(InputError) as caught:
        load_config(tmp_path, environ={})
    assert str(caught.value.problems[0]).endswith(
        'docgen.toml:2:8: 不是有效的 TOML：这个值无法读取；文字要加引号，如 "data"，数字不加引号')
    (tmp_path / "docgen.toml").write_text("[project]\njobs = 100\n", encoding="utf-8")
    with i18n.use("zh"), pytest.raises(InputError) as caught:
        load_config(tmp_path, environ={})
    assert str(caught.value.problems[0]).endswith("docgen.toml:2: project.jobs: 应在 1 到 64 之间")
    # a byte order mark, as Windows Notepad writes it, is no mistake: the file is read without it
    (tmp_path / "docgen.toml").write_bytes("\ufeff[project]\njobs = 3\n".encode())
    assert load_config(tmp_path, environ={}).jobs == 3
