"""The messages of `docgen verify`, the PDF text check, the history and `docgen diff`, in Chinese
(the default) and in English (on request).

The verify tests make a DOCX without LibreOffice (`docgen render --format docx`); the tools'
fingerprint is the DOCX-only one for the build and for verify alike, so a file fresh from its
build matches.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_mini
from docx import Document
from pypdf import PdfWriter

from docgen import history, i18n
from docgen.cli import cli
from docgen.fidelity import Expected, compare, describe
from docgen.manifest import Manifest, sha256


@pytest.fixture
def made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner) -> Iterator[Path]:
    """The contract of hx-2026 as a DOCX, fresh from its build in out/ (`render --format docx`:
    stamped without LibreOffice's and the fonts' versions, and still verified as matching)."""
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data")
    result = runner.invoke(cli, ["render", "hx-2026", "contract", "--format", "docx", "--data", "data", "--out", "out"])
    assert result.exit_code == 0, result.output
    yield next((tmp_path / "out/contracts/hx-2026").glob("*_运维外包服务合同.docx"))


def _verify(runner, path: Path, lang: str):
    with i18n.use(lang):
        return runner.invoke(cli, ["verify", str(path), "--data", "data"])


def _edit(path: Path, old: str, new: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(buf, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            zout.writestr(item, data)
    path.write_bytes(buf.getvalue())


# --------------------------------------------------------------------------- docgen verify

def test_a_file_fresh_from_its_build_matches(made: Path, runner) -> None:
    zh = _verify(runner, made, "zh")
    assert zh.exit_code == 0, zh.output
    assert "  模板：contracts/service_contract.docx" in zh.output
    assert "  当前管理办法版本：2026.1" in zh.output
    assert "  与当前的数据、模板和管理办法生成的文档一致" in zh.output
    assert "  文件内容：与这次生成记录的文件完全相同" in zh.output
    en = _verify(runner, made, "en")
    assert en.exit_code == 0, en.output
    assert "  matches what the current data, template and policy produce" in en.output
    assert "  file content: identical to the file this build recorded" in en.output


def test_an_altered_file_keeps_the_altered_token_in_both_languages(made: Path, runner) -> None:
    _edit(made, "壹佰贰拾万元整", "壹佰伍拾万元整")
    zh = _verify(runner, made, "zh")
    assert zh.exit_code == 1
    assert "  文件内容：ALTERED（已被改动）：与记录的 DOCX 不同" in zh.output, zh.output
    en = _verify(runner, made, "en")
    assert en.exit_code == 1
    assert "  file content: ALTERED: differs from the recorded DOCX" in en.output, en.output


def test_a_copy_away_from_its_build_names_the_changed_text(made: Path, runner, tmp_path_factory) -> None:
    away = tmp_path_factory.mktemp("archive") / "合同.docx"
    shutil.copy(made, away)
    zh = _verify(runner, away, "zh")
    assert zh.exit_code == 0, zh.output
    assert "文件内容：与按当前数据生成的文档完全相同（已重新生成一份进行比较）" in zh.output
    _edit(away, "壹佰贰拾万元整", "壹佰伍拾万元整")
    zh = _verify(runner, away, "zh")
    assert zh.exit_code == 1
    assert "文件内容：ALTERED（已被改动）：文字不同：文件中为「伍」，文档中此处为「贰」" in zh.output, zh.output
    en = _verify(runner, away, "en")
    assert "file content: ALTERED: the text differs: the file has 「伍」 where the document has 「贰」" in en.output


def test_a_changed_record_is_named(made: Path, runner) -> None:
    agreements = Path("data/agreements.yaml")
    text = agreements.read_text(encoding="utf-8")
    agreements.write_text(text.replace("total: 1200000.00", "total: 1260000.00"), encoding="utf-8")
    zh = _verify(runner, made, "zh")
    assert zh.exit_code == 1
    assert "  与当前数据应生成的文档不一致" in zh.output
    assert "    agreements.yaml:hx-2026 在文件生成后已变更" in zh.output, zh.output
    en = _verify(runner, made, "en")
    assert "  DOES NOT match what the current data would produce" in en.output
    assert "    agreements.yaml:hx-2026 changed since the file was made" in en.output


def test_a_file_docgen_did_not_make_is_refused(tmp_path: Path, runner) -> None:
    blank = tmp_path / "扫描件.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with blank.open("wb") as f:
        writer.write(f)
    write_mini(tmp_path / "data")
    with i18n.use("zh"):
        zh = runner.invoke(cli, ["verify", str(blank), "--data", str(tmp_path / "data")])
    assert zh.exit_code == 1
    assert f"{blank}：文件中没有 docgen 的来源记录（关键词：''）；这个文件是 docgen 生成的吗？" in zh.output
    en = runner.invoke(cli, ["verify", str(blank), "--data", str(tmp_path / "data")])
    assert f"{blank}: carries no docgen provenance (keywords: ''); was it made by docgen?" in en.output


# --------------------------------------------------------------------------- the PDF text check

def test_text_the_pdf_lost_is_named_in_chinese() -> None:
    expected = Expected(body=["符合条例的规定。违约金从服务费中扣除。"], numbering="0123456789.")
    found = compare(expected, ["符合条例的规定\n违约金从服务费中扣除。"])
    with i18n.use("zh"):
        assert [str(d) for d in found] == ["第 1 页：PDF 缺少「。」（在「符合条例的规定」之后）"]
        assert describe("x", found) == "PDF 与 DOCX 的内容不一致：第 1 页：PDF 缺少「。」（在「符合条例的规定」之后）"
    assert [str(d) for d in found] == ["page 1: the PDF lacks 「。」 (after 「符合条例的规定」)"]
    extra = compare(Expected(body=["甲方"]), ["甲方 乙方"])
    with i18n.use("zh"):
        assert [str(d) for d in extra] == ["第 1 页：PDF 中有「乙方」，DOCX 中没有"]


# --------------------------------------------------------------------------- history

def _two_builds(out: Path) -> list[str]:
    (out / "c").mkdir(parents=True)
    ids = []
    for text in ("第一版", "第二版"):
        (out / "c/合同.docx").write_text(text, encoding="utf-8")
        manifest = Manifest.model_validate({"outputs": {"contract:a": {
            "kind": "contract", "files": {"c/合同.docx": sha256(text.encode())}}}})
        manifest.save(out)
        ids.append(history.record_build(out, manifest, ["contract:a"]).id)
    return ids


def test_history_lines_and_mistakes_in_chinese(tmp_path: Path, runner) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with i18n.use("zh"):
        empty = runner.invoke(cli, ["history", "--out", str(out), "restore", "2020"])
    assert empty.exit_code == 2  # a RequestError: a usage mistake
    assert f"{out} 中没有生成记录（.history/builds 为空）" in empty.output, empty.output
    ids = _two_builds(out)
    with i18n.use("zh"):
        unknown = runner.invoke(cli, ["history", "--out", str(out), "restore", "2020"])
        several = runner.invoke(cli, ["history", "--out", str(out), "restore", ids[0][:8]])
        none = runner.invoke(cli, ["history", "--out", str(out), "show", ids[0], "报告.docx"])
        history.restore(out, ids[0])
        listed = runner.invoke(cli, ["history", "--out", str(out)])
    assert f"'2020' 不是 {out} 中的生成记录；最近几次：" in unknown.output, unknown.output
    assert f"{ids[0][:8]!r} 与 {out} 中的多个生成记录相符，请写出完整的编号" in several.output, several.output
    assert f"生成记录 {ids[0]} 中有 0 个文件与 '报告.docx' 相符（无）；请写出更完整的路径" in none.output
    lines = listed.output.splitlines()
    assert lines[0].endswith("  生成 1 份文档，共 1 个文件"), lines
    assert lines[-1].endswith(f"  恢复，共 1 个文件（恢复生成记录 {ids[0]}）"), lines
    english = runner.invoke(cli, ["history", "--out", str(out)]).output.splitlines()
    assert english[0].endswith("  1 document made, 1 file in all")
    assert english[-1].endswith(f"  restore, 1 file in all (restore of {ids[0]})")
    assert history.builds(out)[-1].reason == f"restore of {ids[0]}"  # the record itself stays language-free


# --------------------------------------------------------------------------- docgen diff

def _docx(path: Path, *paragraphs: str) -> Path:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


def test_diff_of_two_files_docgen_did_not_make(tmp_path: Path, runner, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data")
    old = _docx(tmp_path / "旧.docx", "第一条 总则", "迟到扣款 500.00 元/人/次")
    new = _docx(tmp_path / "新.docx", "第一条 总则", "迟到扣款 800.00 元/人/次")
    args = ["diff", str(old), str(new), "--data", "data", "--out", "out", "--redline", "对照.docx"]
    with i18n.use("zh"):
        zh = runner.invoke(cli, args)
    assert zh.exit_code == 0, zh.output
    assert zh.output.splitlines() == [
        "至少一份文件没有 docgen 的来源记录，只比较文字",
        "文字变更（1 段新增或修改，1 段删除或修改）：",
        "  - 迟到扣款 500.00 元/人/次",  # the documents' text as it is
        "  + 迟到扣款 800.00 元/人/次",
        "修订对照：对照.docx（1 处插入，1 处删除）",
    ]
    en = runner.invoke(cli, args)
    assert en.output.splitlines()[0] == "At least one of the files carries no docgen provenance, so only the text is compared"
    assert "Redline: 对照.docx (insertions: 1, deletions: 1)" in en.output
    with i18n.use("zh"):
        same = runner.invoke(cli, ["diff", str(old), str(old), "--data", "data", "--out", "out"])
    assert same.output.splitlines()[-1] == "文字相同"


def test_a_redline_of_a_pdf_is_refused(tmp_path: Path, runner, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data")
    pdf = tmp_path / "a.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with pdf.open("wb") as f:
        writer.write(f)
    docx = _docx(tmp_path / "b.docx", "正文")
    with i18n.use("zh"):
        result = runner.invoke(cli, ["diff", str(pdf), str(docx), "--data", "data", "--redline", "r.docx"])
    assert result.exit_code == 1
    assert "--redline 需要两份 DOCX 文件（修订标记是 Word 的功能，PDF 没有）" in result.output, result.output
