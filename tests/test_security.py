"""A template or a data file touches nothing outside the document it makes."""

from __future__ import annotations

import http.server
import io
import re
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, TEMPLATES, have_soffice, pdftotext, write_mini

from docgen import plan as plan_module
from docgen.check import check_template
from docgen.cli import cli
from docgen.config import Settings
from docgen.errors import TemplateError
from docgen.render import Properties, preflight, render_docx

REPORT = TEMPLATES / "forms/monthly_report.docx"


def _with_paragraph(source: Path, dest: Path, text: str, part: str = "word/document.xml") -> Path:
    """A copy of `source` with one paragraph holding `text` at the start of the body."""
    src = zipfile.ZipFile(source)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                data = data.replace(b"<w:body>", f"<w:body><w:p><w:r><w:t>{escaped}</w:t></w:r></w:p>".encode(), 1)
            out.writestr(info, data)
    src.close()
    dest.write_bytes(buf.getvalue())
    return dest


def _replace_part(source: Path, dest: Path, part: str, data: bytes, extra: dict[str, bytes] | None = None) -> Path:
    src = zipfile.ZipFile(source)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, data if info.filename == part else src.read(info.filename))
        for name, body in (extra or {}).items():
            out.writestr(name, body)
    src.close()
    dest.write_bytes(buf.getvalue())
    return dest


@pytest.fixture(scope="module")
def report_job():
    from docgen.validate import load_dataset

    data = load_dataset(SAMPLE_DATA)
    return next(j for j in plan_module.documents(data, TEMPLATES, ["monthly"]) if j.key == "hx-2026-2026-09")


ESCAPES = [
    "{{ charts.trend.tpl.replace_zipname('docProps/app.xml','/etc/passwd') }}",
    "{{ charts.trend.tpl.docx.save('PWNED.docx') }}",
    "{{ charts.trend._image.tpl }}",
    "{{ charts.trend.__class__ }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ vendor.__class__.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ self.__init__ }}",
    "{{ range.__globals__ }}",
    "{{ '{0.__class__}'.format(vendor) }}",
    "{{ '{x.__class__}'.format_map({'x': vendor}) }}",
    "{{ vendor|attr('__class__') }}",
    "{{ staff|map(attribute='__class__')|list }}",
    "{{ vendor.items.__self__ }}",
    "{{ m.by_severity.copy() }}",
    "{% for i in range(10 ** 8) %}{% endfor %}",
]


@pytest.mark.parametrize("tag", ESCAPES)
def test_every_escape_attempt_is_refused_by_the_build_and_by_templates_check(tag, report_job, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    template = _with_paragraph(REPORT, tmp_path / "evil.docx", tag)
    with pytest.raises(TemplateError) as caught:
        render_docx(template, report_job.build_context(), Properties("t", "s", "a"))
    assert str(template) in str(caught.value)
    assert not (tmp_path / "PWNED.docx").exists()
    found = check_template(template, plan_module.KINDS["monthly"].context_type)
    assert found, f"templates check lets {tag} through"


def test_a_chart_renders_as_a_picture_and_nothing_else(report_job):
    docx = render_docx(REPORT, report_job.build_context(), Properties("t", "s", "a"))
    names = zipfile.ZipFile(io.BytesIO(docx)).namelist()
    assert any(n.startswith("word/media/") for n in names)


@pytest.mark.soffice
def test_build_runs_the_template_check_before_rendering(tmp_path: Path, monkeypatch, runner):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    nda = templates / "contracts/nda.docx"
    _with_paragraph(nda, nda, "{% if false %}{{ vendor.nmae }}{% endif %}")  # never rendered, still a typo
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", "--data", str(write_mini(tmp_path / "data")), "--out", str(out),
                                 "--templates", str(templates)])
    assert result.exit_code == 1
    assert "failed: nda:hx-2026" in result.output and "has no field 'nmae'; did you mean 'name'?" in result.output
    assert not list(out.glob("contracts/hx-2026/*保密协议*"))


RELS = "word/_rels/document.xml.rels"


def _rels_with(relationship: str) -> bytes:
    base = zipfile.ZipFile(REPORT).read(RELS).decode("utf-8")
    return base.replace("</Relationships>", relationship + "</Relationships>").encode("utf-8")


@pytest.mark.parametrize(("rels", "extra", "message"), [
    ("<Relationship Id='rX' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/image' "
     "Target='http://127.0.0.1:9/x.png' TargetMode='External'/>", {}, "refers to an external resource"),
    ('<Relationship Id="rX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
     'Target="http://127.0.0.1:9/x.png" TargetMode = " External "/>', {}, "refers to an external resource"),
    ('<Relationship Id="rX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" '
     'Target="other.docx"/>', {}, "an imported file (altChunk)"),
    ('<Relationship Id="rX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/subDocument" '
     'Target="file:///etc/passwd" TargetMode="External"/>', {}, "a subdocument"),
    ('<Relationship Id="rX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject" '
     'Target="embeddings/a.bin"/>', {}, "an OLE object"),
])
def test_preflight_parses_relationships_in_any_quoting(tmp_path: Path, rels, extra, message):
    template = _replace_part(REPORT, tmp_path / "t.docx", RELS, _rels_with(rels), extra)
    with pytest.raises(TemplateError, match=re.escape(message)) as caught:
        preflight(template)
    assert RELS in str(caught.value)


def test_preflight_refuses_entities_in_a_utf16_part(tmp_path: Path):
    xml = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">'
           '&e;</cp:coreProperties>')
    template = _replace_part(REPORT, tmp_path / "t.docx", "docProps/core.xml", xml.encode("utf-16"))
    with pytest.raises(TemplateError, match="docProps/core.xml declares a DOCTYPE or entities"):
        preflight(template)


@pytest.mark.parametrize("field", ["INCLUDEPICTURE", "INCLUDETEXT", "LINK", "DDEAUTO"])
def test_preflight_refuses_fields_that_fetch(tmp_path: Path, field: str):
    doc = zipfile.ZipFile(REPORT).read("word/document.xml").decode("utf-8")
    run = (f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> {field[:4]}</w:instrText></w:r>'
           f'<w:r><w:instrText>{field[4:]} "http://127.0.0.1:9/x.png" </w:instrText></w:r>'
           '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    template = _replace_part(REPORT, tmp_path / "t.docx", "word/document.xml",
                             doc.replace("<w:body>", "<w:body>" + run, 1).encode("utf-8"))
    with pytest.raises(TemplateError, match=f"holds a {field} field"):
        preflight(template)


class _Listener(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        type(self).hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
@pytest.mark.soffice
def test_libreoffice_fetches_nothing_even_if_a_link_slips_past(tmp_path: Path):
    from docgen.convert import convert_one

    server = http.server.HTTPServer(("127.0.0.1", 0), _Listener)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{port}/leak.png"
        doc = zipfile.ZipFile(REPORT).read("word/document.xml").decode("utf-8")
        field = (f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
                 f'INCLUDEPICTURE "{url}" \\d </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                 '<w:r><w:t>picture</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
        rel = (f"<Relationship Id='rLeak' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
               f"image' Target='{url}?rel' TargetMode='External'/>")
        picture = ('<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:20pt;height:20pt">'
                   '<v:imagedata xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                   'r:id="rLeak"/></v:shape></w:pict></w:r></w:p>')
        drawing = ('<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
                   'wordprocessingDrawing"><wp:extent cx="914400" cy="914400"/><wp:docPr id="99" name="leak"/>'
                   '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
                   'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.'
                   'openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="99" name="leak.png"/>'
                   '<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships" r:link="rLeak"/><a:stretch><a:fillRect/></a:stretch>'
                   '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
                   '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
                   '</wp:inline></w:drawing></w:r></w:p>')
        docx = tmp_path / "slipped.docx"
        _replace_part(REPORT, docx, "word/document.xml", doc.replace("<w:body>", "<w:body>" + field + picture
                                                                     + drawing, 1)
                      .encode("utf-8"))
        _replace_part(docx, tmp_path / "slipped2.docx", RELS, _rels_with(rel))
        convert_one(tmp_path / "slipped2.docx", Settings.from_environment())
    finally:
        server.shutdown()
    assert _Listener.hits == []


@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
@pytest.mark.soffice
def test_data_with_template_markup_comes_out_verbatim(tmp_path: Path, runner):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, data)
    tickets = (data / "tickets.csv").read_text(encoding="utf-8").splitlines()
    # a ticket still open at the end of September: the report lists it with its summary
    target = next(i for i, line in enumerate(tickets) if ",hx-2026," in line and "2026-09" in line.split(",")[6]
                  and not line.split(",")[10].startswith("2026-09"))
    cells = tickets[target].split(",")
    cells[5] = '"{{monospace}} & <b> {{ .Values.x }} {% raw %}"'
    tickets[target] = ",".join(cells)
    (data / "tickets.csv").write_text("\n".join(tickets) + "\n", encoding="utf-8")
    vendors = (data / "vendors.yaml").read_text(encoding="utf-8")
    name = re.search(r"^    name: (.+)$", vendors, re.M).group(1)
    short = re.search(r"^    short_name: (.+)$", vendors, re.M).group(1)
    vendors = vendors.replace(f"    name: {name}\n", f'    name: "{name}{{{{ 7*7 }}}}"\n', 1)
    vendors = vendors.replace(f"    short_name: {short}\n", f'    short_name: "{short}{{{{ 7*7 }}}}"\n', 1)
    (data / "vendors.yaml").write_text(vendors, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = next(out.glob("reports/2026-09/月度运维服务报告_*_hx-2026_2026-09.pdf"))
    from docgen.fidelity import pdf_pages

    text = re.sub(r"\s+", "", "".join(pdf_pages(report.read_bytes())))  # drawing order: cell by cell
    assert "{{monospace}}&<b>{{.Values.x}}{%raw%}" in text
    assert f"{name}{{{{7*7}}}}" in text and "49" not in text.split(name)[1][:8]
    from docx import Document

    body = "\n".join(p.text for p in Document(str(report.with_suffix(".docx"))).paragraphs)
    cells = "\n".join(c.text for t in Document(str(report.with_suffix(".docx"))).tables for r in t.rows for c in r.cells)
    assert "{{monospace}} & <b> {{ .Values.x }} {% raw %}" in cells + body
    pack = re.sub(r"\s+", "", pdftotext(next(out.glob("bundles/monthly-pack-2026-09_*.pdf"))))
    assert f"{short}{{{{7*7}}}}" in pack


def test_a_refusal_names_the_template_and_the_tag(report_job, tmp_path):
    template = _with_paragraph(REPORT, tmp_path / "evil.docx", "{{ m.by_severity.copy() }}")
    for _ in range(2):  # the second time the part comes from the compiled-template cache
        with pytest.raises(TemplateError) as caught:
            render_docx(template, report_job.build_context(), Properties("t", "s", "a"))
        assert f"{template}: SecurityError in {{{{ m.by_severity.copy() }}}}" in str(caught.value)
