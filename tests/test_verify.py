"""Reproducible outputs and `docgen verify`: a built contract traces back to its data."""

from __future__ import annotations

import json
import re
import time
from io import BytesIO
from pathlib import Path

import pytest
from conftest import MINI, write_mini
from pypdf import PdfReader, PdfWriter

from docgen.cli import cli
from docgen.manifest import MANIFEST_NAME


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner) -> Path:
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data")
    result = runner.invoke(cli, ["build", "--data", "data", "--out", "out"])
    assert result.exit_code == 0, result.output
    return tmp_path


def _contract(root: Path, ext: str) -> Path:
    return next((root / "out/contracts/hx-2026").glob(f"*合同.{ext}"))


@pytest.mark.soffice
def test_same_inputs_give_identical_docx_and_pdf_bytes(built: Path, runner) -> None:
    manifest = json.loads((built / "out" / MANIFEST_NAME).read_text())["outputs"]
    first = {ext: _contract(built, ext).read_bytes() for ext in ("docx", "pdf")}
    time.sleep(1.1)  # LibreOffice stamps the conversion time to the second
    result = runner.invoke(cli, ["build", "--data", "data", "--out", "out", "--force"])
    assert result.exit_code == 0, result.output
    again = json.loads((built / "out" / MANIFEST_NAME).read_text())["outputs"]
    for ext in ("docx", "pdf"):
        assert _contract(built, ext).read_bytes() == first[ext], ext
    assert again["contract:hx-2026"]["files"] == manifest["contract:hx-2026"]["files"]
    reader = PdfReader(_contract(built, "pdf"))
    assert "/CreationDate" not in reader.metadata
    assert re.search(rb"/ID\s*\[\s*<[0-9A-F]{32}>", first["pdf"][first["pdf"].rfind(b"trailer"):])


@pytest.mark.soffice
def test_every_output_has_the_same_bytes_whatever_converted_it_before(tmp_path: Path, runner) -> None:
    """LibreOffice numbers the Type 1 fonts it writes with a counter that runs for the life of the
    process: one worker converting everything gives other numbers than two sharing the work."""
    data = write_mini(tmp_path / "data")
    outs = {}
    for jobs in ("2", "1"):
        out = tmp_path / f"out{jobs}"
        result = runner.invoke(cli, ["build", "--data", str(data), "--out", str(out), "--jobs", jobs])
        assert result.exit_code == 0, result.output
        outs[jobs] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.*")
                      if p.suffix in (".pdf", ".docx")}
    assert len(outs["1"]) >= 10 and outs["1"].keys() == outs["2"].keys()
    assert [name for name in outs["1"] if outs["1"][name] != outs["2"][name]] == []


@pytest.mark.soffice
def test_verify_detects_a_pdf_rewritten_with_the_same_text(built: Path, runner) -> None:
    target = _contract(built, "pdf")
    writer = PdfWriter(clone_from=PdfReader(target))
    buf = BytesIO()
    writer.write(buf)
    target.write_bytes(buf.getvalue())
    result = runner.invoke(cli, ["verify", str(target), "--data", "data"])
    assert result.exit_code == 1
    assert "ALTERED: differs from the recorded PDF" in result.output


@pytest.mark.parametrize("ext", ["pdf", "docx"])
@pytest.mark.soffice
def test_verify_matches_then_reports_the_changed_record(built: Path, runner, ext: str) -> None:
    target = _contract(built, ext)
    ok = runner.invoke(cli, ["verify", str(target), "--data", "data"])
    assert ok.exit_code == 0, ok.output
    assert "contract:hx-2026" in ok.output
    assert "matches what the current data, template and policy produce" in ok.output
    assert "template: contracts/service_contract.docx" in ok.output
    agreements = (built / "data/agreements.yaml").read_text(encoding="utf-8")
    (built / "data/agreements.yaml").write_text(agreements.replace("total: 1200000.00", "total: 1260000.00"),
                                                encoding="utf-8")
    bad = runner.invoke(cli, ["verify", str(target), "--data", "data"])
    assert bad.exit_code == 1
    assert "DOES NOT match" in bad.output
    assert "agreements.yaml:hx-2026 changed since the file was made" in bad.output


@pytest.mark.soffice
def test_verify_detects_an_altered_docx(built: Path, runner) -> None:
    import zipfile
    from io import BytesIO

    target = _contract(built, "docx")
    buf = BytesIO()
    with zipfile.ZipFile(target) as zin, zipfile.ZipFile(buf, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace("壹佰贰拾万元整".encode(), "壹佰伍拾万元整".encode())
            zout.writestr(item, data)
    target.write_bytes(buf.getvalue())
    result = runner.invoke(cli, ["verify", str(target), "--data", "data"])
    assert result.exit_code == 1
    assert "ALTERED" in result.output


def _blank_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as f:
        writer.write(f)
    return path


@pytest.mark.parametrize("kind", ["unreadable", "not docgen's"])
def test_verify_refuses_a_foreign_file(tmp_path: Path, runner, kind: str) -> None:
    other = tmp_path / "x.pdf"
    if kind == "unreadable":
        other.write_bytes(b"%PDF-1.4\n%%EOF\n")
        message = r"not a readable PDF \([^\n]+\)"  # in the parentheses: pypdf's words
    else:
        _blank_pdf(other)
        message = re.escape("carries no docgen provenance (keywords: ''); was it made by docgen?")
    write_mini(tmp_path / "data")
    result = runner.invoke(cli, ["verify", str(other), "--data", str(tmp_path / "data")])
    # a refusal is click's exit with code 1; anything else raised (CliRunner keeps it) is a crash
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, repr(result.exception)
    assert re.fullmatch(rf"Error: {re.escape(str(other))}: {message}\n", result.output), result.output
    assert "Traceback" not in result.output


@pytest.mark.soffice
def test_manifest_records_versions(built: Path) -> None:
    body = json.loads((built / "out" / MANIFEST_NAME).read_text())
    assert body["tools"]["docgen"] and "LibreOffice" in body["tools"]["libreoffice"]
    entry = body["outputs"]["contract:hx-2026"]
    assert "template:contracts/service_contract.docx" in entry["inputs"]
    assert "tool:fonts" in entry["inputs"]
    assert MINI  # the mini data set drives these builds


def _without_page(source: Path, dest: Path, index: int) -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    del writer.pages[index]
    with dest.open("wb") as f:
        writer.write(f)
    return dest


@pytest.mark.soffice
def test_verify_a_copy_away_from_its_build_by_making_it_again(built: Path, runner, tmp_path_factory) -> None:
    away = tmp_path_factory.mktemp("archive")
    copy = away / "合同.pdf"
    copy.write_bytes(_contract(built, "pdf").read_bytes())
    result = runner.invoke(cli, ["verify", str(copy), "--data", "data"])
    assert result.exit_code == 0, result.output
    assert "identical to the document the current data makes" in result.output
    cut = _without_page(copy, away / "cut.pdf", 1)
    result = runner.invoke(cli, ["verify", str(cut), "--data", "data"])
    assert result.exit_code == 1
    pages = len(PdfReader(copy).pages)
    assert f"ALTERED: the file has {pages - 1} pages, the document {pages}; they differ from page 2 on" in result.output
    assert "has been altered since it was made" in result.output


@pytest.mark.soffice
def test_verify_a_bundle_member_by_member(built: Path, runner, tmp_path_factory) -> None:
    pack = next((built / "out/bundles").glob("contract-pack-hx-2026_*.pdf"))
    result = runner.invoke(cli, ["verify", str(pack), "--data", "data"])
    assert result.exit_code == 0, result.output
    assert "every member's pages say what its document says" in result.output
    assert re.search(r"1\. contract:hx-2026 \(pages 3–\d+\): pages say what the document says", result.output)
    away = tmp_path_factory.mktemp("archive")
    last = len(PdfReader(pack).pages) - 1
    cut = _without_page(pack, away / "pack.pdf", last)
    result = runner.invoke(cli, ["verify", str(cut), "--data", "data"])
    assert result.exit_code == 1
    assert re.search(r"pricing:hx-2026 \(pages \d+–\d+\): ALTERED: the bundle has \d+ pages? of it, the document \d+",
                     result.output), result.output
