"""Messages in Chinese by default and in English on request: the catalog translates every message
docgen has, the language follows the locale and --lang, and click's own words follow too."""

from __future__ import annotations

import string
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from click.testing import CliRunner

from docgen import i18n
from docgen.cli import _lang_first, cli, help_texts
from docgen.config import language_from

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "gettext": None}


def _catalog():
    with i18n.CATALOG.open("rb") as f:
        return read_po(f, locale="zh_CN")


def _names(text: str) -> set[str]:
    """The {placeholders} of a message; a message that is no format string (it has a lone brace and
    is never formatted) has none."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return set()


def _docgen_messages() -> list[tuple[str, int, str | tuple[str, ...]]]:
    found = []
    for filename, lineno, message, _c, _x in extract_from_dir(ROOT / "src" / "docgen", [("**.py", "python")],
                                                               keywords=KEYWORDS):
        if message and (message[0] if isinstance(message, tuple) else message):
            found.append((filename, lineno, message))
    found += [("cli.py (--help)", 0, text) for _t, _a, text in help_texts(cli)]
    return found


def test_every_message_of_docgen_has_its_chinese_translation_with_the_same_placeholders():
    po = _catalog()
    gaps = []
    for filename, lineno, message in _docgen_messages():
        key = message[0] if isinstance(message, tuple) else message
        entry = po.get(key)
        strings = () if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        if entry is None or entry.fuzzy or not all(strings):
            gaps.append(f"{filename}:{lineno}: untranslated: {key!r}")
            continue
        if "%(" in key:
            continue
        ids = message if isinstance(message, tuple) else (message,)
        want = set().union(*(_names(i) for i in ids))
        gaps += [f"{filename}:{lineno}: {key!r} → {s!r}" for s in strings if _names(s) != want]
    assert not gaps, "\n".join(gaps[:40]) + f"\n({len(gaps)} in all; run tools/catalog.py update and translate)"


def test_the_catalog_keeps_no_message_the_code_no_longer_has():
    """So the catalog says what docgen says (tools/catalog.py update removes the rest)."""
    have = {m[2][0] if isinstance(m[2], tuple) else m[2] for m in _docgen_messages()}
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import catalog as tool
    finally:
        sys.path.pop(0)
    template = tool.extract()
    extra = [m.id for m in _catalog() if m.id and m.id not in template]
    assert not extra, extra[:20]
    assert have <= {m.id if isinstance(m.id, str) else m.id[0] for m in template}


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "zh"),
    ({"LANG": "C.UTF-8"}, "zh"),
    ({"LANG": "POSIX"}, "zh"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, "zh"),
    ({"LANG": "fr_FR.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8", "DOCGEN_LANG": "zh"}, "zh"),
])
def test_the_language_follows_the_locale_and_is_chinese_unless_it_is_english(environ, expected):
    assert language_from(environ) == expected


def test_lang_after_the_command_is_taken_as_well():
    assert _lang_first(["build", "--lang", "en", "-q"]) == ["--lang", "en", "build", "-q"]
    assert _lang_first(["build", "--lang=zh"]) == ["--lang=zh", "build"]
    assert _lang_first(["diff", "--", "--lang", "x"]) == ["diff", "--", "--lang", "x"]


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    return result.output


def test_help_is_chinese_with_lang_zh_and_english_with_lang_en():
    zh = _run("--lang", "zh", "--help")
    assert "用法：" in zh and "选项" in zh and "运维外包供应商管理的合同、表单和服务报告。" in zh
    assert "显示本帮助并退出。" in zh and "Show this message" not in zh
    en = _run("--lang", "en", "--help")
    assert "Usage:" in en and "Contracts, forms and service reports" in en and "用法" not in en
    build = _run("--lang", "zh", "build", "--help")
    assert "检查数据，然后把 OUT 中的每份文档和汇编更新到最新。" in build and "不论有无变化，全部重新生成。" in build


def test_click_usage_errors_are_in_the_readers_language():
    zh = CliRunner().invoke(cli, ["--lang", "zh", "render", "hx-2026", "合同"])
    assert zh.exit_code == 2
    assert "错误：" in zh.output and "不是可选值之一" in zh.output and "'合同'" in zh.output
    en = CliRunner().invoke(cli, ["--lang", "en", "render", "hx-2026", "合同"])
    assert "Error:" in en.output and "is not one of" in en.output
    month = CliRunner().invoke(cli, ["--lang", "zh", "month", "2026-13"])
    assert "月份请写成 YYYY-MM，如 2026-10" in month.output


def test_a_message_the_catalog_lacks_is_given_in_english():
    with i18n.use("zh"):
        assert i18n._("no such message in any catalog") == "no such message in any catalog"
        assert i18n._("Aborted!") == "已中止。"
        assert i18n.ngettext("{n} bundle", "{n} bundles", 3).format(n=3) == "3 份 PDF 汇编"
    with i18n.use("en"):
        assert i18n._("Aborted!") == "Aborted!"
        assert i18n.ngettext("{n} bundle", "{n} bundles", 3).format(n=3) == "3 bundles"


def test_the_compiled_catalog_is_kept_in_the_cache_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(i18n._state, "zh", None)
    with i18n.use("zh"):
        assert i18n._("Aborted!") == "已中止。"
    [kept] = (tmp_path / "cache" / "locale").glob("docgen-zh_CN-*.mo")
    monkeypatch.setattr(i18n._state, "zh", None)

    def no_compiling(source: bytes) -> bytes:
        raise AssertionError("the kept catalog was not used")

    monkeypatch.setattr(i18n, "_compile", no_compiling)
    with i18n.use("zh"):
        assert i18n._("Aborted!") == "已中止。"


def test_a_cache_that_cannot_be_written_still_gives_chinese(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DOCGEN_CACHE", str(blocker / "cache"))
    monkeypatch.setattr(i18n._state, "zh", None)
    with i18n.use("zh"):
        assert i18n._("Aborted!") == "已中止。"
    assert list(tmp_path.iterdir()) == [blocker]
