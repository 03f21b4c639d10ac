"""The messages of planning, rendering and `templates check` in Chinese (the default) and in
English (on request): a mistake in a request or in a template reads in the reader's language,
and why a document is made again too, while what the plan keeps stays the same in both."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import TEMPLATES, write_mini

import docgen
from docgen import i18n
from docgen.build import properties_for
from docgen.check import check_template, require_clean
from docgen.context import LeaveContext
from docgen.errors import DocgenError, RequestError, TemplateError
from docgen.plan import KINDS, Output, Plan, check_one_owner, documents, find_bundle, find_reports
from docgen.render import preflight, render_docx
from docgen.validate import load_dataset


def _leave_form(tmp_path: Path, old: str, new: str) -> Path:
    """The shipped 请销假登记表 with `old` replaced by `new` in its body."""
    target = tmp_path / "leave_form.docx"
    with zipfile.ZipFile(KINDS["leave"].template_in(TEMPLATES)) as zin, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert old in text, old
                data = text.replace(old, new, 1).encode("utf-8")
            zout.writestr(item, data)
    return target


def _plan(tmp_path: Path) -> Plan:
    write_mini(tmp_path / "data")
    (tmp_path / "docgen.toml").write_text(f'[project]\ntemplates = "{TEMPLATES.as_posix()}"\n', encoding="utf-8")
    project = docgen.Project.load(tmp_path)
    return project.plan(project.validate())


def test_an_unknown_bundle_and_a_month_without_reports_are_told_in_chinese(tmp_path: Path) -> None:
    data = load_dataset(write_mini(tmp_path / "data"))
    jobs = documents(data, TEMPLATES)
    with i18n.use("zh"), pytest.raises(RequestError) as zh:
        find_bundle(data, jobs, "contract-pack")
    assert str(zh.value).startswith("没有 PDF 汇编 'contract-pack'；已有的汇编：") and "contract-pack-hx-2026" in str(zh.value)
    with pytest.raises(RequestError, match="no bundle 'contract-pack'; known: .*contract-pack-hx-2026"):
        find_bundle(data, jobs, "contract-pack")
    with i18n.use("zh"), pytest.raises(DocgenError) as month:
        find_reports(data, jobs, "monthly", "2025-01", "hx")
    assert str(month.value) == ("没有 2025-01 的月度报告：在记录覆盖的时间范围内，供应商 hx 在这段时间没有履行中的合同"), month.value
    with pytest.raises(DocgenError, match="no monthly report for 2025-01: no agreement of hx runs in that period"):
        find_reports(data, jobs, "monthly", "2025-01", "hx")


def test_a_missing_template_and_two_documents_on_one_path_are_told_in_chinese(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "contracts/nda.docx").unlink()
    data = load_dataset(write_mini(tmp_path / "data"))
    with i18n.use("zh"), pytest.raises(TemplateError) as zh:
        documents(data, templates)
    assert str(zh.value).startswith(f"找不到模板：{templates / 'contracts/nda.docx'}（保密协议）。请把模板放回原处"), zh.value
    assert "`docgen templates init` 可复制 docgen 自带的模板" in str(zh.value)
    with pytest.raises(TemplateError, match="template not found: .*nda.docx .保密协议.. Restore it"):
        documents(data, templates)
    with i18n.use("zh"), pytest.raises(DocgenError) as clash:
        check_one_owner([("monthly:a", "x/y"), ("monthly:b", "x/Y")])
    assert str(clash.value) == "有两份文档会互相覆盖：monthly:a 和 monthly:b 都会写到 x/Y"


def test_why_a_document_is_made_is_shown_in_the_readers_language_and_kept_in_one(tmp_path: Path) -> None:
    with i18n.use("zh"):
        plan = _plan(tmp_path)
        contract = next(o for o in plan.outputs if o.id == "contract:hx-2026")
        assert contract.reasons == ["new"]  # what the plan keeps (and its JSON carries) is the same in every language
        assert contract.why() == "首次生成"
        assert any(line.startswith("首次生成 → 将重新生成 ") and "份 PDF 汇编" in line and "1 份运维外包服务合同" in line
                   for line in plan.explain()), plan.explain()
    assert contract.why() == "new"
    assert any(line.startswith("new → ") and "1 运维外包服务合同" in line and "bundle" in line
               for line in plan.explain()), plan.explain()


def test_signed_documents_kept_as_made_are_told_in_chinese(tmp_path: Path) -> None:
    held = [Output(id=f"{kind}:hx-2026", kind=kind, key="hx-2026", title=title, path=f"contracts/hx-2026/{title}",
                   inputs={}, reasons=[], held=["policy.yaml:deductions changed", "policy.yaml:leave changed",
                                                "output missing or altered"], agreement="hx-2026")
            for kind, title in (("contract", "运维外包服务合同"), ("sla", "服务等级协议"))]
    plan = Plan(out_dir=tmp_path, templates_dir=TEMPLATES, tools={}, manifest_digest="none", outputs=held)
    with i18n.use("zh"):
        assert plan.held_lines() == [
            "2 份已签合同文件保持原样（hx-2026：运维外包服务合同、服务等级协议），尽管其输入已有变化："
            "policy.yaml（deductions, leave）有变化；输出文件缺失或已被改动。"
            "如需按新数据重新出具：docgen reissue hx-2026 --reason \"…\""]
    assert plan.held_lines() == [
        "2 signed documents are kept as they were made (hx-2026: 运维外包服务合同、服务等级协议) although their "
        "inputs changed: policy.yaml (deductions, leave) changed; output missing or altered. To make them again "
        "from the new data: docgen reissue hx-2026 --reason \"…\""]


def test_template_check_findings_are_told_in_chinese_and_cached_per_language(tmp_path: Path) -> None:
    bad = _leave_form(tmp_path, "{{ person.name }}", "{{ person.nmae }}")
    with i18n.use("zh"):
        found = [str(p) for p in check_template(bad, LeaveContext)]
    assert any("leave_form.docx：document 第 " in p and "段：StaffMember 没有字段 'nmae'；是不是想写 'name'？" in p
               and "\n    附近文字：" in p for p in found), found
    cache = tmp_path / "cache"
    with pytest.raises(TemplateError) as en:
        require_clean(bad, LeaveContext, cache)
    with i18n.use("zh"), pytest.raises(TemplateError) as zh:  # the same template, checked before in English
        require_clean(bad, LeaveContext, cache)
    assert str(en.value).startswith("the template check found 1 problem; nothing was rendered from it:\n")
    assert "has no field 'nmae'; did you mean 'name'?" in str(en.value)
    assert str(zh.value).startswith("模板检查发现 1 个问题；没有用它生成任何文档：\n"), zh.value
    assert "没有字段 'nmae'" in str(zh.value) and "has no field" not in str(zh.value)


def test_a_word_mangled_tag_is_told_in_chinese(tmp_path: Path) -> None:
    damaged = _leave_form(tmp_path, "{{ leave.reason }}", "｛｛ leave.reason }}")
    with i18n.use("zh"):
        found = [p.message for p in check_template(damaged, LeaveContext)]
    assert "标签中有全角的 '｛｛'；请用半角（英文）花括号输入" in found, found
    found = [p.message for p in check_template(damaged, LeaveContext)]
    assert "full-width '｛｛' in a tag; type it with ASCII braces" in found, found


def test_render_errors_are_told_in_chinese(tmp_path: Path) -> None:
    data = load_dataset(write_mini(tmp_path / "data"))
    job = next(iter(documents(data, TEMPLATES, ["leave"])))
    template = _leave_form(tmp_path, "{{ leave.reason }}", "{{ leave_reason }}")
    with i18n.use("zh"), pytest.raises(TemplateError) as zh:
        render_docx(template, job.build_context(), properties_for(job, "甲方"))
    assert str(zh.value).startswith(f"{template}：{{{{ leave_reason }}}} 出错（UndefinedError）："
                                    "'leave_reason' 未定义（数据中没有这个名称，请检查拼写）"), zh.value
    with pytest.raises(TemplateError) as en:
        render_docx(template, job.build_context(), properties_for(job, "甲方"))
    assert str(en.value).startswith(f"{template}: UndefinedError in {{{{ leave_reason }}}}: 'leave_reason' is undefined")
    old = tmp_path / "old.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 2000)
    with i18n.use("zh"), pytest.raises(TemplateError) as doc:
        preflight(old)
    assert str(doc.value) == f"不是有效的 DOCX 文件：{old}（是旧的 .doc 文件或加密的文件吗？请另存为 .docx）"
