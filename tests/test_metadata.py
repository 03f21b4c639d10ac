"""What Word's and a PDF reader's document properties show: the reader's terms only. The
provenance `verify` needs is kept in a custom property (DOCX) or /DocgenProvenance (PDF)."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from conftest import have_soffice, write_mini
from docx import Document
from pypdf import PdfReader
from test_contracts import DATA, TEMPLATES

from docgen.build import properties_for
from docgen.cli import cli
from docgen.manifest import parse_provenance
from docgen.pdfpost import PROVENANCE_KEY, with_provenance
from docgen.plan import documents
from docgen.render import PROVENANCE_PROPERTY, custom_property, render_docx

INTERNAL = re.compile(r"docgen|inputs|[0-9a-f]{16}|hx-2026\b")


def test_docx_properties_speak_the_readers_terms() -> None:
    job = next(j for j in documents(DATA, TEMPLATES, ["nda"]) if j.key == "hx-2026")
    proof = f"docgen; {job.id}; inputs {'ab' * 16}"
    data = render_docx(job.template, job.build_context(), properties_for(job, DATA.client.name, proof))
    core = Document(BytesIO(data)).core_properties
    assert core.title == "保密协议（CH-YW-2026-001-NDA）"
    for shown in (core.title, core.subject, core.keywords, core.comments):
        assert not INTERNAL.search(shown or ""), shown
    assert core.created is None and core.modified is None  # no made-up 2000-01-01
    assert custom_property(data, PROVENANCE_PROPERTY) == proof
    assert parse_provenance(custom_property(data, PROVENANCE_PROPERTY) or "") == (job.id, "ab" * 16)
    names = zipfile.ZipFile(BytesIO(data)).namelist()
    assert names.count("docProps/custom.xml") == 1


def test_report_and_form_titles_name_period_and_record() -> None:
    jobs = {j.id: j for j in documents(DATA, TEMPLATES, ["monthly", "leave"])}
    report = properties_for(jobs["monthly:hx-2026-2026-10"], DATA.client.name)
    assert report.title == "月度运维服务报告（2026年10月）"
    leave = next(j for j in jobs.values() if j.kind == "leave")
    assert properties_for(leave, DATA.client.name).title == f"运维人员请销假登记表（{leave.key}）"


def test_the_pdf_provenance_is_an_incremental_update_that_keeps_every_page() -> None:
    from reportlab.pdfgen import canvas

    buf = BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setTitle("月度运维服务报告")
    for page in range(3):
        c.drawString(72, 720, f"page {page + 1}")
        c.showPage()
    c.save()
    original = buf.getvalue()
    stamped = with_provenance(original, "docgen; monthly:x-2026-10; inputs " + "0f" * 16)
    assert stamped.startswith(original.rstrip(b"\n"))  # the bytes before it stay as they were
    reader = PdfReader(BytesIO(stamped), strict=True)
    assert len(reader.pages) == 3 and reader.metadata["/Title"] == "月度运维服务报告"
    assert reader.metadata[PROVENANCE_KEY].endswith("0f" * 16)
    again = with_provenance(stamped, "docgen; monthly:x-2026-10; inputs " + "1e" * 16)
    assert PdfReader(BytesIO(again)).metadata[PROVENANCE_KEY].endswith("1e" * 16)
    assert with_provenance(original, "") == original


@pytest.mark.soffice
def test_built_pdfs_carry_provenance_outside_their_keywords(tmp_path: Path, runner, monkeypatch) -> None:
    if not have_soffice():
        pytest.skip("LibreOffice is not installed")
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data")
    assert runner.invoke(cli, ["build", "--data", "data", "--out", "out"]).exit_code == 0
    pdf = next((tmp_path / "out/contracts/hx-2026").glob("*_运维外包服务合同.pdf"))
    info = PdfReader(pdf).metadata
    assert parse_provenance(info[PROVENANCE_KEY])[0] == "contract:hx-2026"
    for key in ("/Title", "/Subject", "/Keywords"):
        assert not INTERNAL.search(str(info.get(key, ""))), (key, info.get(key))
    ok = runner.invoke(cli, ["verify", str(pdf), "--data", "data"])
    assert ok.exit_code == 0 and "matches" in ok.output, ok.output


def test_a_file_from_an_earlier_version_is_still_traced_by_its_keywords(tmp_path: Path) -> None:
    """Files made before the custom property carried the provenance in their keywords."""
    from docgen.verify import keywords_of

    job = next(j for j in documents(DATA, TEMPLATES, ["nda"]) if j.key == "hx-2026")
    old = f"docgen; {job.id}; inputs {'cd' * 16}"
    props = properties_for(job, DATA.client.name)
    data = render_docx(job.template, job.build_context(), props.__class__(
        title=props.title, subject=props.subject, author=props.author, keywords=old))
    (tmp_path / "old.docx").write_bytes(data)
    assert parse_provenance(keywords_of(tmp_path / "old.docx")[0]) == (job.id, "cd" * 16)
