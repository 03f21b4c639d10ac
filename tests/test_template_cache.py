"""Template parts are compiled and cleaned up once per process, not once per document; nothing
about templates is kept on disk between runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TEMPLATES, write_mini

from docgen import render
from docgen.build import properties_for
from docgen.plan import documents
from docgen.validate import load_dataset


def _render(tmp_path: Path, kind: str = "monthly", n: int = 0) -> bytes:
    data = load_dataset(write_mini(tmp_path / "data"))
    job = [j for j in documents(data, TEMPLATES) if j.kind == kind][n]
    return render.render_docx(job.template, job.build_context(), properties_for(job, "甲方"))


def test_a_second_document_of_a_template_is_not_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                ) -> None:
    render.environment.cache_clear()
    render._patched.cache_clear()
    first = _render(tmp_path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again within one process")

    monkeypatch.setattr(render._Sandbox, "compile", refuse)
    monkeypatch.setattr(render.DocxTemplate, "patch_xml", refuse)
    assert _render(tmp_path) == first
    render.environment.cache_clear()  # a new process compiles again, and gets the same document
    render._patched.cache_clear()
    monkeypatch.undo()
    assert _render(tmp_path) == first


def test_nothing_about_templates_is_written_to_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_CACHE", str(tmp_path / "cache"))
    render.environment.cache_clear()
    _render(tmp_path)
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").glob("templates-*"))


def test_newlines_and_tabs_in_values_still_become_breaks_and_tabs(tmp_path: Path) -> None:
    import zipfile
    from io import BytesIO

    from docx import Document

    template = tmp_path / "t.docx"
    doc = Document()
    doc.add_paragraph("{{ text }}")
    doc.save(str(template))
    props = render.Properties(title="t", subject="t", author="a")

    def body(text: str) -> str:
        data = render.render_docx(template, {"text": text}, props)
        return zipfile.ZipFile(BytesIO(data)).read("word/document.xml").decode()

    plain = body("第一行")
    assert "第一行" in plain and "<w:br/>" not in plain
    broken = body("第一行\n第二行\t附注")
    assert "<w:br/>" in broken and "<w:tab/>" in broken
    assert broken.index("第一行") < broken.index("<w:br/>") < broken.index("第二行") < broken.index("<w:tab/>")
