"""Convert DOCX files to PDF with LibreOffice headless, in parallel batches, and check every PDF.

Why: starting LibreOffice costs about 0.7 s, converting a contract about 0.1 s, so each worker
converts a list of documents per start. Every worker has its own profile folder (parallel runs
sharing one fail silently), runs in its own process group (so a hang is killed whole), and its
output is checked rather than its exit code trusted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .errors import ConversionError

INSTALL_HINT = ("LibreOffice was not found (no 'soffice' on PATH). Install it with:\n"
                "  sudo apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk poppler-utils")
DEFAULT_TIMEOUT = 60.0
BATCH_LIMIT = 40
STARTUP_ALLOWANCE = 30.0


@dataclass(frozen=True)
class Outcome:
    """Result of converting one DOCX: the checked PDF bytes, or why there are none."""

    source: Path
    pdf: bytes | None
    error: str | None = None


def soffice_binary() -> str:
    """Path of the LibreOffice binary, or ConversionError with install instructions."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(INSTALL_HINT)


def fontconfig_file() -> Path:
    """The fontconfig file that maps 宋体/黑体/… to Noto CJK SC faces (see fonts.py)."""
    from .fonts import prepare

    return prepare()


def check_pdf(data: bytes, what: str) -> None:
    """Refuse output that is not a readable PDF with at least one page."""
    if not data:
        raise ConversionError(f"{what}: LibreOffice wrote an empty file")
    if not data.startswith(b"%PDF-"):
        raise ConversionError(f"{what}: LibreOffice output is not a PDF (starts with {data[:8]!r})")
    try:
        from io import BytesIO

        pages = len(PdfReader(BytesIO(data), strict=False).pages)
    except (PyPdfError, ValueError, KeyError, OSError) as e:
        raise ConversionError(f"{what}: LibreOffice wrote an unreadable PDF ({e})") from e
    if pages < 1:
        raise ConversionError(f"{what}: LibreOffice wrote a PDF without pages")


class _Running:
    """Process groups started by this module, killed on exit or interrupt."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen[bytes]] = set()

    def add(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._procs.add(proc)

    def discard(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._procs.discard(proc)

    def kill_all(self) -> None:
        with self._lock:
            procs = list(self._procs)
        for proc in procs:
            kill_group(proc)


RUNNING = _Running()


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill a process and everything it started (soffice forks soffice.bin), then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _wait_with_progress(proc: subprocess.Popen[bytes], outdir: Path, timeout: float) -> bool:
    """Wait for `proc`; False if no new PDF appeared for `timeout` s (plus start-up at first)."""
    seen = 0
    deadline = time.monotonic() + STARTUP_ALLOWANCE + timeout
    while proc.poll() is None:
        done = sum(1 for _ in outdir.glob("*.pdf"))
        if done > seen:
            seen, deadline = done, time.monotonic() + timeout
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


PDF_FILTER = "pdf:writer_pdf_Export"
PROFILE_PREFIX = "docgen-lo-profile-"


def reap_orphans() -> int:
    """Kill LibreOffice process groups left by a docgen run that was killed (SIGKILL cannot be caught).

    Each worker's profile folder is named after the docgen process that owns it; a worker whose
    owner no longer exists is an orphan. Returns how many process groups were killed.
    """
    groups: set[int] = set()
    marker = re.compile(rb"docgen-lo-profile-(\d+)-")
    for proc_dir in Path("/proc").glob("[0-9]*"):
        try:
            found = marker.search((proc_dir / "cmdline").read_bytes())
            if found is None:
                continue
            owner = int(found.group(1))
            if owner == os.getpid() or Path(f"/proc/{owner}").exists():
                continue
            groups.add(os.getpgid(int(proc_dir.name)))
        except (OSError, ValueError):
            continue
    for pgid in groups:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
    return len(groups)


def _run_batch(binary: str, files: Sequence[Path], outdir: Path, timeout: float,
               export: str = PDF_FILTER) -> str | None:
    """Run one soffice call over `files`; return an error text for a timeout or crash."""
    profile = Path(tempfile.mkdtemp(prefix=f"{PROFILE_PREFIX}{os.getpid()}-"))
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file()), FC_LANG="zh-cn", SAL_USE_VCLPLUGIN="svp")
    cmd = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
           "--nologo", "--nodefault", "--nolockcheck", "--convert-to", export,
           "--outdir", str(outdir), *[str(f) for f in files]]
    log_path = outdir / "soffice.log"
    try:
        with log_path.open("wb") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                                    start_new_session=True, cwd=outdir)
        RUNNING.add(proc)
        try:
            if not _wait_with_progress(proc, outdir, timeout):
                return f"LibreOffice made no progress for {timeout:.0f} s and was stopped"
            out = log_path.read_bytes()
        finally:
            RUNNING.discard(proc)
            kill_group(proc)
        if proc.returncode not in (0, None):
            text = out.decode("utf-8", "replace").strip().splitlines()[-1:] if out else []
            return f"LibreOffice exited with code {proc.returncode}" + (f": {text[0]}" if text else "")
        return None
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _collect(files: Sequence[Path], outdir: Path, names: dict[Path, Path], failure: str | None) -> list[Outcome]:
    outcomes = []
    for staged in files:
        pdf_path = outdir / (staged.stem + ".pdf")
        source = names[staged]
        if not pdf_path.exists():
            outcomes.append(Outcome(source, None, failure or "LibreOffice wrote no PDF"))
            continue
        data = pdf_path.read_bytes()
        pdf_path.unlink()
        try:
            check_pdf(data, str(source))
        except ConversionError as e:
            outcomes.append(Outcome(source, None, str(e)))
            continue
        outcomes.append(Outcome(source, data))
    return outcomes


def _convert_chunk(binary: str, chunk: Sequence[Path], names: dict[Path, Path], timeout: float,
                   export: str) -> list[Outcome]:
    outdir = Path(tempfile.mkdtemp(prefix="docgen-lo-out-"))
    try:
        failure = _run_batch(binary, chunk, outdir, timeout, export)
        first = _collect(chunk, outdir, names, failure)
        retry = [staged for staged, o in zip(chunk, first, strict=True) if o.pdf is None]
        if not retry:
            return first
        by_source = {o.source: o for o in first}
        for staged in retry:  # one more try each, alone, with a fresh worker
            failure = _run_batch(binary, [staged], outdir, timeout, export)
            by_source[names[staged]] = _collect([staged], outdir, names, failure)[0]
        return [by_source[names[s]] for s in chunk]
    finally:
        shutil.rmtree(outdir, ignore_errors=True)


def convert(docx_files: Sequence[Path], *, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT,
            batch_limit: int = BATCH_LIMIT, watermark: str | None = None,
            on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Convert DOCX files to PDF bytes with `jobs` parallel LibreOffice workers.

    Each worker gets a list of at most `batch_limit` documents (then a fresh LibreOffice, which
    bounds memory growth), its own profile and a timeout of `timeout` seconds per document.
    A failed document is retried once on its own. Results come back in input order.
    `watermark` prints a diagonal text (e.g. 草稿) on every page.
    """
    if not docx_files:
        return []
    binary = soffice_binary()
    reap_orphans()
    export = PDF_FILTER
    if watermark:
        export += (':{"Watermark":{"type":"string","value":' + json.dumps(watermark) + "},"
                   '"WatermarkColor":{"type":"long","value":"13421772"},'
                   '"WatermarkFontHeight":{"type":"long","value":"96"},'
                   '"WatermarkRotateAngle":{"type":"long","value":"450"}}')
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(docx_files)))
    stage = Path(tempfile.mkdtemp(prefix="docgen-lo-in-"))
    try:
        names: dict[Path, Path] = {}
        for i, src in enumerate(docx_files):
            staged = stage / f"d{i:05d}.docx"
            shutil.copyfile(src, staged)
            names[staged] = src
        staged_all = list(names)
        size = min(batch_limit, -(-len(staged_all) // jobs))
        chunks = [staged_all[i:i + size] for i in range(0, len(staged_all), size)]
        results: dict[Path, Outcome] = {}
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            try:
                for outcomes in pool.map(lambda c: _convert_chunk(binary, c, names, timeout, export), chunks):
                    for o in outcomes:
                        results[o.source] = o
                        if on_done is not None:
                            on_done(o)
            except BaseException:
                RUNNING.kill_all()
                raise
        return [results[src] for src in docx_files]
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def convert_one(docx: Path, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Convert one DOCX and return the checked PDF bytes, or raise ConversionError."""
    outcome = convert([docx], jobs=1, timeout=timeout)[0]
    if outcome.pdf is None:
        raise ConversionError(f"{docx}: {outcome.error}")
    return outcome.pdf


def libreoffice_version() -> str:
    """The `soffice --version` line, for the manifest."""
    try:
        out = subprocess.run([soffice_binary(), "--version"], capture_output=True, text=True, timeout=60)
    except (subprocess.TimeoutExpired, OSError):
        return "unknown"
    return out.stdout.strip() or "unknown"
