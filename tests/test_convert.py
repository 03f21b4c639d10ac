"""The convert stage: real LibreOffice for fonts and paths; for hangs, crashes and bad output a fake
UNO worker speaking the worker protocol."""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from conftest import SESSION_TMP, TEMPLATES, have_soffice, pdffonts, pdftotext, session_processes, write_mini
from pypdf import PdfReader, PdfWriter

from docgen.build import properties_for
from docgen.config import Settings
from docgen.convert import convert, convert_one
from docgen.errors import ConversionError
from docgen.pdfpost import repeatable_pdf
from docgen.plan import documents
from docgen.render import render_docx
from docgen.validate import load_dataset

needs_soffice = pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")


def _blank_pdf() -> bytes:
    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    buf = BytesIO()
    w.write(buf)
    return buf.getvalue()


def _leave_docx(tmp_path: Path, folder: Path) -> Path:
    data = load_dataset(write_mini(tmp_path / "data"))
    job = next(j for j in documents(data, TEMPLATES, ["leave"]))
    path = folder / "form.docx"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_docx(job.template, job.build_context(), properties_for(job, "甲方")))
    return path


def _still_running(wanted: Callable[[str], bool], grace: float = 5.0) -> list[str]:
    """Processes of this test session (not another build's) that `wanted` picks and that are
    still there after up to `grace` s: one killed a moment ago takes a moment to be gone."""
    deadline = time.monotonic() + grace
    while True:
        found = [p for p in session_processes().values() if wanted(p.split(": ", 1)[1])]
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _soffice_processes() -> list[str]:
    """LibreOffice and fake soffice processes of this test session still running."""
    return _still_running(lambda cmdline: "fake-bin/soffice" in cmdline or "soffice.bin" in cmdline)


@needs_soffice
@pytest.mark.soffice
def test_real_conversion_uses_only_simplified_chinese_faces(tmp_path: Path) -> None:
    docx = _leave_docx(tmp_path, tmp_path / "in")
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(convert_one(docx, Settings.from_environment()))
    fonts = pdffonts(pdf)
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names, fonts
    assert all("CJKsc" in n for n in names), fonts
    assert not re.search(r"CJK(jp|kr|tc|hk)", fonts)
    text = pdftotext(pdf)
    assert "运维人员请销假登记表" in text
    assert "华信智维科技有限公司" in text


@needs_soffice
@pytest.mark.soffice
def test_pdf_bytes_do_not_depend_on_when_libreoffice_ran(tmp_path: Path) -> None:
    pdf = convert_one(_leave_docx(tmp_path, tmp_path / "in"), Settings.from_environment())
    assert repeatable_pdf(pdf) == pdf
    # put back what another LibreOffice run would have written: its time, its random /ID
    stamp = b"/CreationDate(D:20261126140034Z')"
    info = pdf.rfind(b"/Producer")
    gap = pdf.find(b" " * len(stamp), info)
    assert info > 0 and gap > 0, "the conversion time was not blanked"
    run = bytearray(pdf)
    run[gap:gap + len(stamp)] = stamp
    ids = [m.span(1) for m in re.finditer(rb"<([0-9A-F]{32})>", pdf[pdf.rfind(b"trailer"):])]
    assert len(ids) == 2
    base = pdf.rfind(b"trailer")
    for a, b in ids:
        run[base + a:base + b] = b"0123456789ABCDEF" * 2
    run = bytes(run)
    assert PdfReader(BytesIO(run)).metadata["/CreationDate"]
    assert run != pdf and repeatable_pdf(run) == pdf
    assert "/CreationDate" not in PdfReader(BytesIO(pdf)).metadata


@needs_soffice
@pytest.mark.soffice
def test_parallel_conversion_with_awkward_paths(tmp_path: Path) -> None:
    source = _leave_docx(tmp_path, tmp_path / "src")
    docs = []
    for name in ("with space", "hash#mark", "percent%41", "中文目录"):
        folder = tmp_path / name
        folder.mkdir()
        target = folder / f"{name}.docx"
        target.write_bytes(source.read_bytes())
        docs.append(target)
    outcomes = convert(docs, Settings.from_environment(), jobs=4)
    assert [o.source for o in outcomes] == docs
    assert all(o.pdf is not None and o.pdf.startswith(b"%PDF-") for o in outcomes), [o.error for o in outcomes]
    assert not _soffice_processes()


def _inputs(tmp_path: Path, *contents: str) -> list[Path]:
    paths = []
    for i, content in enumerate(contents):
        p = tmp_path / f"doc{i}.docx"
        p.write_text(content)
        paths.append(p)
    return paths


def test_missing_libreoffice_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConversionError, match="apt-get install -y --no-install-recommends libreoffice-writer-nogui"):
        convert_one(tmp_path / "x.docx", Settings.from_environment())


# --- the UNO converter: warm workers fed one document at a time -------------------------------

FAKE_WORKER = """
import json, os, subprocess, sys, time
log = open({log!r}, "a")
log.write("start\\n"); log.flush()
child = subprocess.Popen(["sleep", "300"])  # stands for soffice.bin: must die with the worker
print(json.dumps({{"ready": True}}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    content = open(req["src"]).read()
    log.write(content + "\\n"); log.flush()
    if "HANG" in content:
        time.sleep(300)
    if "CRASH" in content:
        os._exit(139)
    if "REFUSE" in content:
        print(json.dumps({{"ok": False, "error": "General input/output error"}}), flush=True)
        continue
    if "NOPDF" not in content:
        data = open({pdf!r}, "rb").read()
        open(req["dst"], "wb").write(data[:40] if "TRUNC" in content else data)
    print(json.dumps({{"ok": True}}), flush=True)
"""


@pytest.fixture
def fake_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The UNO converter with a fake worker (run by this Python) in place of uno_worker.py."""
    import sys

    pdf = tmp_path / "blank.pdf"
    pdf.write_bytes(_blank_pdf())
    log = tmp_path / "worker.log"
    script = tmp_path / "fake_worker.py"
    script.write_text(FAKE_WORKER.format(log=str(log), pdf=str(pdf)))
    monkeypatch.setattr("docgen.convert.UNO_WORKER", script)
    monkeypatch.setattr("docgen.convert.uno_python", lambda settings: sys.executable)
    monkeypatch.setattr("docgen.convert.office_env", lambda settings: dict(os.environ))
    monkeypatch.setattr("docgen.convert.soffice_binary", lambda: "soffice")
    return log


def _sleepers() -> list[str]:
    """The `sleep 300` of fake workers of this test session still running."""
    return _still_running(lambda cmdline: cmdline == "sleep 300")


def test_uno_hang_is_killed_with_its_group_restarted_and_retried_once(tmp_path: Path, fake_worker: Path) -> None:
    docs = _inputs(tmp_path, "HANG", "OK")
    started = time.monotonic()
    outcomes = convert(docs, Settings.from_environment(), jobs=1, timeout=1.5)
    assert time.monotonic() - started < 20
    assert outcomes[0].pdf is None and "no progress for 2 s" in (outcomes[0].error or "")
    assert outcomes[1].pdf is not None and outcomes[1].pdf.startswith(b"%PDF-")
    assert fake_worker.read_text().split() == ["start", "HANG", "start", "HANG", "start", "OK"]
    assert not _sleepers()


def test_uno_crash_restarts_the_worker_and_the_others_convert(tmp_path: Path, fake_worker: Path) -> None:
    outcomes = convert(_inputs(tmp_path, "OK", "CRASH", "OK"), Settings.from_environment(), jobs=1, timeout=5)
    assert outcomes[0].pdf is not None and outcomes[2].pdf is not None
    assert outcomes[1].pdf is None and "exited with code 139" in (outcomes[1].error or "")
    assert fake_worker.read_text().split().count("start") == 3  # first, retry of the crash, after it
    assert not _sleepers()


@pytest.mark.parametrize(("content", "message"), [
    ("NOPDF", "LibreOffice wrote no PDF"),
    ("TRUNC", "unreadable PDF"),
    ("REFUSE", "could not convert the document: General input/output error"),
])
def test_uno_bad_output_is_an_error_after_one_retry(tmp_path: Path, fake_worker: Path, content: str,
                                                     message: str) -> None:
    outcome = convert(_inputs(tmp_path, content), Settings.from_environment(), jobs=1, timeout=5)[0]
    assert outcome.pdf is None and message in (outcome.error or "")
    assert fake_worker.read_text().split().count(content) == 2
    assert not _sleepers()


def test_uno_worker_is_recycled_after_a_number_of_documents(tmp_path: Path, fake_worker: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docgen.convert.RECYCLE_AFTER", 2)
    from docgen import convert as c

    with c.UnoConverter("soffice", sys.executable, Settings.from_environment(), jobs=1, timeout=5, options={}, recycle_after=2) as conv:
        futures = [conv.submit(p) for p in _inputs(tmp_path, "OK", "OK", "OK", "OK", "OK")]
    assert all(f.result().pdf is not None for f in futures)
    assert fake_worker.read_text().split().count("start") == 3
    assert not _sleepers()


def test_uno_worker_that_never_starts_is_reported(tmp_path: Path, fake_worker: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "silent_worker.py"
    script.write_text("import time\ntime.sleep(300)\n")
    monkeypatch.setattr("docgen.convert.UNO_WORKER", script)
    monkeypatch.setattr("docgen.convert.STARTUP_ALLOWANCE", 0.5)
    monkeypatch.setattr("docgen.convert.WORKER_MARGIN", 0.5)
    started = time.monotonic()
    outcome = convert(_inputs(tmp_path, "OK"), Settings.from_environment(), jobs=1, timeout=1)[0]
    assert time.monotonic() - started < 10
    assert outcome.pdf is None and "did not start within 1 s" in (outcome.error or "")
    assert not _sleepers()


def test_interrupt_kills_every_worker(tmp_path: Path, fake_worker: Path) -> None:
    from docgen import convert as c

    conv = c.UnoConverter("soffice", sys.executable, Settings.from_environment(), jobs=2, timeout=60, options={})
    futures = [conv.submit(p) for p in _inputs(tmp_path, "HANG", "HANG")]
    deadline = time.monotonic() + 10
    while (not fake_worker.exists() or fake_worker.read_text().split().count("HANG") < 2) \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    started = time.monotonic()
    conv.close(kill=True)  # what leaving the `with` block on Ctrl-C does
    assert time.monotonic() - started < 10
    assert all(f.done() for f in futures)
    assert all(f.result().pdf is None for f in futures)
    assert not _sleepers()


@needs_soffice
@pytest.mark.soffice
def test_the_uno_converter_is_used_when_the_bridge_is_installed(tmp_path: Path) -> None:
    from docgen import convert as c

    docx = _leave_docx(tmp_path, tmp_path / "in")
    with c.open_converter(Settings.from_environment(), jobs=1) as conv:
        assert isinstance(conv, c.UnoConverter)
        outcome = conv.submit(docx).result()
    assert outcome.pdf is not None and outcome.pdf.startswith(b"%PDF-")
    assert not _soffice_processes()


@needs_soffice
@pytest.mark.parametrize("tuning", ["1", "0"])
@pytest.mark.soffice
def test_libreoffice_runs_with_the_malloc_thresholds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      tuning: str) -> None:
    from docgen import convert as c

    monkeypatch.setenv("DOCGEN_MALLOC_TUNING", tuning)
    docx = _leave_docx(tmp_path, tmp_path / "in")
    with c.open_converter(Settings.from_environment(), jobs=1) as conv:
        assert conv.submit(docx).result().pdf is not None
        environments = []
        for proc in Path("/proc").iterdir():
            try:
                cmdline = (proc / "cmdline").read_bytes()
                if f"{SESSION_TMP}/docgen-lo-profile-".encode() in cmdline and b"soffice.bin" in cmdline:
                    environments.append((proc / "environ").read_bytes().split(b"\0"))
            except OSError:
                continue
    assert environments, "no running soffice.bin found"
    for env in environments:
        assert (f"MALLOC_MMAP_THRESHOLD_={128 << 20}".encode() in env) == (tuning == "1")
        assert any(v.startswith(b"FONTCONFIG_FILE=") for v in env)


@needs_soffice
def test_fonts_are_found_through_fontconfig_when_not_in_the_usual_folder(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen import fonts

    cache = Settings.from_environment().cache_dir
    usual = fonts.prepare(cache)
    monkeypatch.setattr(fonts, "KNOWN_FOLDERS", (tmp_path,))
    assert fonts.prepare(cache) == usual
