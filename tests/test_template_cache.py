"""Compiled template parts are kept on disk between runs; a damaged or unwritable cache only costs time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import write_mini
from docgen import render
from docgen.build import properties_for
from docgen.plan import plan
from docgen.validate import load_dataset


def _forget() -> None:
    """What a new process starts with: no compiled templates in memory."""
    for cached in (render.environment, render._code_cache, render._cache_folder, render._patched):
        cached.cache_clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DOCGEN_CACHE", str(tmp_path / "cache"))
    _forget()
    yield tmp_path / "cache"
    _forget()


def _render(tmp_path: Path) -> bytes:
    data = load_dataset(write_mini(tmp_path / "data"))
    job = next(j for j in plan(data) if j.kind == "monthly")
    return render.render_docx(job.template, job.build_context(), properties_for(job, "甲方"))


def test_a_new_process_uses_the_compiled_parts_on_disk(tmp_path: Path, cache: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    first = _render(tmp_path)
    stored = list(cache.glob("templates-*/__jinja2_*.cache"))
    assert len(stored) >= 2, "body, header and footer parts were not kept"
    assert list(cache.glob("templates-*/patched-*.xml"))
    _forget()

    def refuse(*args, **kwargs):
        raise AssertionError("compiled again although the cache holds the code")

    monkeypatch.setattr(render._Sandbox, "compile", refuse)
    monkeypatch.setattr(render.DocxTemplate, "patch_xml", refuse)
    assert _render(tmp_path) == first


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, cache: Path) -> None:
    first = _render(tmp_path)
    for path in cache.glob("templates-*/*"):
        path.write_bytes(b"\x00 not what was written")
    _forget()
    assert _render(tmp_path) == first


def test_an_unwritable_cache_is_only_slower(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("DOCGEN_CACHE", str(blocker))
    _forget()
    try:
        assert _render(tmp_path).startswith(b"PK")
    finally:
        _forget()


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


def test_cache_folders_of_versions_not_run_for_a_month_are_removed(tmp_path: Path, cache: Path) -> None:
    import os

    old = cache / "templates-0000000000000000"
    recent = cache / "templates-1111111111111111"
    for folder in (old, recent):
        folder.mkdir(parents=True)
        (folder / "__jinja2_x.cache").write_bytes(b"x")
    month_ago = time.time() - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    _render(tmp_path)
    assert not old.exists() and recent.exists()
    assert len(list(cache.glob("templates-*"))) == 2  # the one in use and the recent one
