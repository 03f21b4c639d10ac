"""The messages of building (progress, failures, LibreOffice, fonts and cache, the output folder,
bundles, the manifest, the project's requests) in Chinese by default and in English on request."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import write_mini

from docgen import i18n
from docgen.build import BuildResult, Bundler, Progress, _checking
from docgen.bundle import Member, read_member
from docgen.convert import Outcome
from docgen.errors import BundleError, ConversionError, DocgenError, OutputError, RequestError
from docgen.fidelity import Expected
from docgen.fonts import cache_lock
from docgen.manifest import MANIFEST_NAME, Manifest
from docgen.office import soffice_binary
from docgen.outputs import os_reason, output_lock, safe_target
from docgen.project import Project


def test_a_failed_document_is_named_failed_in_the_progress_lines(tmp_path: Path, capsys) -> None:
    failed = Outcome(tmp_path / "00001.docx", None, "LibreOffice wrote no PDF")
    progress = Progress(2, "lines")
    with i18n.use("zh"):
        _checking(Expected(), progress, "CH-YW-2026-001_运维外包服务合同")(failed)
    _checking(Expected(), progress, "CH-YW-2026-001_运维外包服务合同")(failed)
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["[1/2] CH-YW-2026-001_运维外包服务合同：失败", "[2/2] CH-YW-2026-001_运维外包服务合同: failed"]


def test_a_bundle_whose_member_failed_says_which(tmp_path: Path) -> None:
    run = SimpleNamespace(result=BuildResult(failed={"contract:hx-2026": "…"}), manifest=Manifest())
    bundle = SimpleNamespace(id="bundle:contract-pack:hx-2026",
                             members=[SimpleNamespace(id="contract:hx-2026"), SimpleNamespace(id="sla:hx-2026")])
    with i18n.use("zh"):
        Bundler(run, [], pending=set())._make(bundle)  # type: ignore[arg-type]
    assert run.result.failed[bundle.id] == "未生成：其中的文档生成失败（contract:hx-2026, sla:hx-2026）"
    run.result.failed.pop(bundle.id)
    Bundler(run, [], pending=set())._make(bundle)  # type: ignore[arg-type]
    assert run.result.failed[bundle.id] == "not made: members failed: contract:hx-2026, sla:hx-2026"


def test_a_bundle_member_that_is_not_a_pdf(tmp_path: Path) -> None:
    page = tmp_path / "report.pdf"
    page.write_text("<html>not a pdf</html>")
    with i18n.use("zh"), pytest.raises(BundleError) as zh:
        read_member(Member("月度运维服务报告", "华信", page))
    assert str(zh.value) == f"PDF 汇编中的文档 {page} 不是 PDF 文件"
    with pytest.raises(BundleError, match="not a PDF file"):
        read_member(Member("月度运维服务报告", "华信", page))
    with i18n.use("zh"), pytest.raises(BundleError, match="无法读取（文件或文件夹不存在）"):
        read_member(Member("月度运维服务报告", "华信", tmp_path / "gone.pdf"))


def test_libreoffice_missing_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docgen.office.shutil.which", lambda name: None)
    with i18n.use("zh"), pytest.raises(ConversionError) as zh:
        soffice_binary()
    assert "未找到 LibreOffice" in str(zh.value) and "请用以下命令安装" in str(zh.value)
    assert "apt-get install -y --no-install-recommends libreoffice-writer-nogui" in str(zh.value)
    with pytest.raises(ConversionError, match=r"LibreOffice was not found \(no 'soffice' on PATH\)"):
        soffice_binary()


def test_a_cache_folder_that_cannot_be_made_names_the_setting(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where the cache folder should go")
    folder = tmp_path / "blocker" / "cache"
    with i18n.use("zh"), pytest.raises(OutputError) as zh, cache_lock(folder):
        pass
    assert str(zh.value) == (f"无法写入 docgen 的缓存文件夹 {folder}：路径中有一项不是文件夹；"
                             "请把 DOCGEN_CACHE（或 docgen.toml 中的 cache）设为一个可写入、约有 100 MB 空闲空间的文件夹")
    with pytest.raises(OutputError, match="cannot write docgen's cache folder .*: Not a directory; set DOCGEN_CACHE"), \
            cache_lock(folder):
        pass


def test_system_reasons_are_given_in_chinese() -> None:
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    with i18n.use("zh"):
        assert os_reason(full) == "磁盘空间已满"
        assert os_reason(OSError(errno.EROFS, os.strerror(errno.EROFS))) == "文件系统是只读的"
        assert os_reason(OSError(errno.ECHILD, "No child processes")) == "No child processes"  # no translation
    assert os_reason(full) == os.strerror(errno.ENOSPC)


def test_the_output_lock_names_its_holder(tmp_path: Path) -> None:
    with output_lock(tmp_path):
        with i18n.use("zh"), pytest.raises(OutputError) as zh, output_lock(tmp_path, timeout=0.2):
            pass
        assert str(zh.value).startswith(f"输出文件夹 {tmp_path} 正被 ")
        assert f" 上的进程 {os.getpid()}（自 " in str(zh.value) and "起）占用" in str(zh.value)
        assert str(zh.value).endswith("已等待 0 秒，请等它结束后再试")
        with pytest.raises(OutputError, match=rf"is locked by pid {os.getpid()} on .+ since \d{{4}}-"), \
                output_lock(tmp_path, wait=False):
            pass


def test_a_path_outside_the_output_folder_is_refused(tmp_path: Path) -> None:
    with i18n.use("zh"), pytest.raises(OutputError) as zh:
        safe_target(tmp_path, "../escape.pdf")
    assert str(zh.value) == f"拒绝写入 '../escape.pdf'：它会落在输出文件夹 {tmp_path} 之外"
    with pytest.raises(OutputError, match="it would land outside"):
        safe_target(tmp_path, "../escape.pdf")


def test_a_manifest_of_another_version(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).write_text(json.dumps({"version": 9, "outputs": {}}), encoding="utf-8")
    with i18n.use("zh"), pytest.raises(OutputError) as zh:
        Manifest.load(tmp_path)
    assert str(zh.value) == (f"{tmp_path / MANIFEST_NAME}：生成清单的版本 9 不是此 docgen 能读取的版本（1, 2）；"
                             "它是由另一版本的 docgen 写入的。请改用那个版本，或生成到一个新的输出文件夹。")
    with pytest.raises(OutputError, match="manifest version 9 is not one this docgen reads"):
        Manifest.load(tmp_path)


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, object]:
    folder = tmp_path_factory.mktemp("mini")
    write_mini(folder / "data")
    project = Project.load(folder)
    return project, project.validate()


def test_a_month_without_documents(mini) -> None:
    project, dataset = mini
    with i18n.use("zh"), pytest.raises(DocgenError) as zh:
        project.plan_month(dataset, "2025-03")
    assert str(zh.value) == "2025-03 没有可生成的文档：该月没有月度报告或表单（有记录的月份：2026-10 至 2026-10）"
    with pytest.raises(DocgenError, match=r"nothing to make for 2025-03: .*\(months with records: 2026-10 to 2026-10\)"):
        project.plan_month(dataset, "2025-03")


def test_reissue_requests_that_cannot_be_done(mini) -> None:
    project, dataset = mini
    with i18n.use("zh"):
        with pytest.raises(RequestError) as unknown:
            project.plan_reissue(dataset, "zz-2026", "价格调整")
        with pytest.raises(RequestError) as draft:
            project.plan_reissue(dataset, "hx-2026", "价格调整")
    assert str(unknown.value) == "没有合同 'zz-2026'；目前没有已签署的合同"
    assert str(draft.value) == "合同 'hx-2026' 还是草稿：它的文档每次生成时都会按当前数据更新，无需重新出具"
    with pytest.raises(RequestError, match="no agreement 'zz-2026'; signed agreements: none"):
        project.plan_reissue(dataset, "zz-2026", "价格调整")


def test_checking_a_template_needs_its_kind(mini, tmp_path: Path) -> None:
    project, _dataset = mini
    with i18n.use("zh"):
        with pytest.raises(RequestError) as no_kind:
            project.check_templates([tmp_path / "t.docx"])
        with pytest.raises(RequestError) as bad_kind:
            project.check_templates([tmp_path / "t.docx"], kind="invoice")
    assert str(no_kind.value) == "使用 --template 时还要用 --kind 指定文档类型，docgen 才知道按哪类文档检查模板"
    assert str(bad_kind.value).startswith("没有文档类型 'invoice'；可用的类型：") and "contract" in str(bad_kind.value)
    with pytest.raises(RequestError, match="no document kind 'invoice'; known: "):
        project.check_templates([tmp_path / "t.docx"], kind="invoice")


def test_the_up_to_date_record_is_kept_per_language(mini) -> None:
    from docgen.uptodate import state_key

    project, _dataset = mini
    options = {"draft": False, "docx": True, "pdf": False}
    with i18n.use("zh"):
        chinese = state_key(project.config, options)
    assert state_key(project.config, options) != chinese  # the held notices it keeps are printed in one language
