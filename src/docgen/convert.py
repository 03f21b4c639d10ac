"""Convert DOCX files to PDF with LibreOffice headless, in parallel batches, and check every PDF.

Why: starting LibreOffice costs about 0.7 s, converting a contract about 0.1 s, so each worker
converts a list of documents per start. Every worker has its own profile folder (parallel runs
sharing one fail silently), runs in its own process group (so a hang is killed whole), and its
output is checked rather than its exit code trusted.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import queue
import re
import select
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import ConversionError, DocgenError
from .pdfids import renumber_type1
from .record import MANIFEST_NAME, remove_stale_work_dirs, work_dir
from .versions import soffice_binary

DEFAULT_TIMEOUT = 60.0
# LibreOffice reads each CJK font file (16-25 MB) into a fresh buffer while starting and again for
# every PDF it exports. glibc serves such blocks with mmap and returns them at once, so each read
# page-faults 20 MB afresh; with these thresholds the blocks come from the heap and are reused.
MALLOC_TUNING = {"MALLOC_MMAP_THRESHOLD_": str(128 << 20), "MALLOC_TRIM_THRESHOLD_": str(256 << 20)}
BATCH_LIMIT = 40
STARTUP_ALLOWANCE = 30.0


@dataclass(frozen=True)
class Outcome:
    """Result of converting one DOCX: the checked PDF bytes, or why there are none."""

    source: Path
    pdf: bytes | None
    error: str | None = None


def fontconfig_file() -> Path:
    """The fontconfig file that maps 宋体/黑体/… to Noto CJK SC faces (see fonts.py)."""
    from .fonts import prepare

    return prepare()


def office_env() -> dict[str, str]:
    """Environment for LibreOffice: docgen's font configuration, and glibc's malloc told to keep
    big blocks in the heap (see MALLOC_TUNING)."""
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file()), FC_LANG="zh-cn", SAL_USE_VCLPLUGIN="svp")
    if os.environ.get("DOCGEN_MALLOC_TUNING", "1") != "0":
        env.update(MALLOC_TUNING)
    return env


def checked_pdf(data: bytes, what: str, *, fonts_numbered: bool = False) -> bytes:
    """Refuse output that is not a readable PDF with at least one page; return it repeatable."""
    if not data:
        raise ConversionError(f"{what}: LibreOffice wrote an empty file")
    if not data.startswith(b"%PDF-"):
        raise ConversionError(f"{what}: LibreOffice output is not a PDF (starts with {data[:8]!r})")
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pages = len(PdfReader(BytesIO(data), strict=False).pages)
    except (PyPdfError, ValueError, KeyError, OSError) as e:
        raise ConversionError(f"{what}: LibreOffice wrote an unreadable PDF ({e})") from e
    if pages < 1:
        raise ConversionError(f"{what}: LibreOffice wrote a PDF without pages")
    return repeatable_pdf(data, fonts_numbered=fonts_numbered)


_INFO_REF = re.compile(rb"/Info\s+(\d+)\s+0\s+R")
_CREATED = re.compile(rb"/CreationDate\s*\(D:[0-9Z+\-']{0,30}\)")
_RUN_HEX = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]|/DocChecksum\s*/([0-9A-Fa-f]{32})")


def repeatable_pdf(data: bytes, *, fonts_numbered: bool = False) -> bytes:
    """The same PDF without what changes from one LibreOffice run to the next.

    LibreOffice writes the time of conversion (/CreationDate), a random /ID and a checksum over
    both; nothing else differs between two conversions of the same DOCX. The date is blanked
    (the document carries its own dates, and the DOCX has none either) and /ID and /DocChecksum
    become a digest of the rest, all in place, so every byte offset stays valid and the same
    inputs give the same PDF bytes. A file laid out differently is returned unchanged. The Type 1
    fonts LibreOffice makes of the CFF faces are numbered per document first (pdfids.py), unless
    the UNO worker did that already (`fonts_numbered`).
    """
    if not fonts_numbered:
        data = renumber_type1(data)
    trailer = data.rfind(b"trailer")
    info = _INFO_REF.search(data, trailer) if trailer >= 0 else None
    if info is None:
        return data
    start = data.rfind(b"\n" + info.group(1) + b" 0 obj", 0, trailer)
    end = data.find(b"endobj", start)
    if start < 0 or end < 0:
        return data
    out = bytearray(data)
    for m in list(_CREATED.finditer(out, start, end)):
        out[m.start():m.end()] = b" " * (m.end() - m.start())
    spans = [m.span(g) for m in _RUN_HEX.finditer(out, trailer) for g in (1, 2, 3) if m.group(g)]
    for a, b in spans:
        out[a:b] = b"0" * (b - a)
    digest = hashlib.md5(out, usedforsecurity=False).hexdigest().upper().encode()
    for a, b in spans:
        out[a:b] = digest
    return bytes(out)


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
atexit.register(RUNNING.kill_all)  # LibreOffice runs in its own session; never outlive docgen


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
# LibreOffice's own settings for every profile docgen starts: never load linked images or other
# resources from places the document does not vouch for, never update links (OLE, DDE, fields),
# no macros. The template pre-flight refuses such content already; this holds if some slips past.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableActiveContent" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Field" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def new_profile() -> Path:
    """A fresh LibreOffice profile folder with PROFILE_SETTINGS."""
    profile = work_dir("lo-profile")
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
    return profile
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
    remove_stale_work_dirs()
    return len(groups)


def _run_batch(binary: str, files: Sequence[Path], outdir: Path, timeout: float,
               export: str = PDF_FILTER) -> str | None:
    """Run one soffice call over `files`; return an error text for a timeout or crash."""
    try:
        env = office_env()
    except DocgenError as e:
        return str(e)
    profile = new_profile()
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
            data = checked_pdf(data, str(source))
        except ConversionError as e:
            outcomes.append(Outcome(source, None, str(e)))
            continue
        outcomes.append(Outcome(source, data))
    return outcomes


def _convert_chunk(binary: str, chunk: Sequence[Path], names: dict[Path, Path], timeout: float,
                   export: str) -> list[Outcome]:
    outdir = work_dir("lo-out")
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


def watermark_options(watermark: str | None) -> dict[str, object]:
    """PDF export options that print `watermark` diagonally on every page (empty: none)."""
    if not watermark:
        return {}
    return {"Watermark": watermark, "WatermarkColor": 13421772, "WatermarkFontHeight": 96,
            "WatermarkRotateAngle": 450}


def _export_filter(options: dict[str, object]) -> str:
    if not options:
        return PDF_FILTER
    typed = {k: {"type": "string" if isinstance(v, str) else "long", "value": v if isinstance(v, str) else str(v)}
             for k, v in options.items()}
    return PDF_FILTER + ":" + json.dumps(typed)


def _settle(future: Future[object], then: Callable[[Outcome], object] | None, outcome: Outcome) -> None:
    """Complete `future` with `then(outcome)` (or the outcome), or with the error `then` raised."""
    try:
        future.set_result(then(outcome) if then is not None else outcome)
    except BaseException as e:  # noqa: BLE001 - handed to whoever waits on the future
        future.set_exception(e)


class Converter:
    """Documents go in one at a time with `submit`; each comes back as a Future of its Outcome.

    `then` (optional) runs on the outcome in the worker's thread, e.g. to hash the PDF's pages.
    Use as a context manager: leaving it waits for every document, or kills every LibreOffice
    process if an exception (Ctrl-C included) is on its way out.
    """

    def submit(self, docx: Path, then: Callable[[Outcome], object] | None = None) -> Future[object]:
        raise NotImplementedError

    def flush(self) -> None:
        """Start work on documents held back for a batch (no-op for workers fed one at a time)."""

    def close(self, kill: bool = False) -> None:
        raise NotImplementedError

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, kind: object, error: object, tb: object) -> None:
        self.close(kill=error is not None)


def open_converter(*, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT, watermark: str | None = None,
                   expected: int = 0) -> Converter:
    """The fastest working converter: warm UNO workers when LibreOffice's Python bridge is
    installed, otherwise batched `soffice --convert-to` calls. `DOCGEN_CONVERTER=batch|uno` chooses.

    `expected` (how many documents will come) sizes the batches of the batch converter; without
    it, batches are as large as allowed and start on `flush`.
    """
    binary = soffice_binary()
    reap_orphans()
    jobs = max(1, jobs or os.cpu_count() or 1)
    python = uno_python()
    if python is not None:
        return UnoConverter(binary, python, jobs=jobs, timeout=timeout, options=watermark_options(watermark))
    return BatchConverter(binary, jobs=jobs, timeout=timeout, export=_export_filter(watermark_options(watermark)),
                          expected=expected)


class BatchConverter(Converter):
    """Holds documents back until a batch is full, then converts it with one `soffice` call."""

    def __init__(self, binary: str, *, jobs: int, timeout: float, export: str, expected: int,
                 batch_limit: int = BATCH_LIMIT, chunks_per_worker: int = 2) -> None:
        self.binary, self.timeout, self.export = binary, timeout, export
        per_chunk = -(-expected // (jobs * chunks_per_worker)) if expected > 0 else batch_limit
        self.size = max(1, min(batch_limit, per_chunk))
        self.pool = ThreadPoolExecutor(max_workers=jobs)
        self.stage = work_dir("lo-in")
        self.held: list[tuple[Path, Future[object], Callable[[Outcome], object] | None]] = []
        self.count = 0

    def submit(self, docx: Path, then: Callable[[Outcome], object] | None = None) -> Future[object]:
        future: Future[object] = Future()
        self.held.append((docx, future, then))
        if len(self.held) >= self.size:
            self.flush()
        return future

    def flush(self) -> None:
        if not self.held:
            return
        batch, self.held = self.held, []
        names: dict[Path, Path] = {}
        for src, _, _ in batch:
            staged = self.stage / f"d{self.count:05d}.docx"
            self.count += 1
            shutil.copyfile(src, staged)
            names[staged] = src

        def work() -> None:
            try:
                outcomes = _convert_chunk(self.binary, list(names), names, self.timeout, self.export)
                for (_, future, then), outcome in zip(batch, outcomes, strict=True):
                    _settle(future, then, outcome)
            except BaseException as e:  # noqa: BLE001 - handed to whoever waits on the futures
                for _, future, _ in batch:
                    if not future.done():
                        future.set_exception(e)

        self.pool.submit(work)

    def close(self, kill: bool = False) -> None:
        if kill:
            RUNNING.kill_all()
        else:
            self.flush()
        self.pool.shutdown(wait=True, cancel_futures=kill)
        shutil.rmtree(self.stage, ignore_errors=True)


UNO_WORKER = Path(__file__).with_name("uno_worker.py")
RECYCLE_AFTER = 200  # documents per LibreOffice instance before a fresh one (bounds memory growth)
PIPE_FOLDER = Path("/tmp")  # where LibreOffice puts the socket of --accept=pipe (fixed, whatever $TMPDIR says)
WORKER_MARGIN = 10.0  # seconds for the worker's own Python to start, on top of STARTUP_ALLOWANCE


def warm_converter(out_dir: Path, *, workers: int | None, force: bool) -> Converter | None:
    """Start LibreOffice before the data is even validated when a full build is coming (--force,
    or no manifest yet), so its start-up overlaps with validation; None otherwise."""
    if not force and (out_dir / MANIFEST_NAME).exists():
        return None
    try:
        if uno_python() is None:
            return None  # batched calls need their list of documents first
        return open_converter(jobs=workers)
    except DocgenError:
        return None  # reported again, in its place, when a document needs converting


def uno_python() -> str | None:
    """A Python interpreter that can import LibreOffice's `uno` bridge (Debian: python3-uno), or None.

    `DOCGEN_CONVERTER=batch` turns the UNO workers off; `DOCGEN_UNO_PYTHON` names the interpreter.
    """
    choice = os.environ.get("DOCGEN_CONVERTER", "auto")
    if choice == "batch":
        return None
    candidates = [os.environ.get("DOCGEN_UNO_PYTHON"), "/usr/bin/python3", shutil.which("python3")]
    for python in dict.fromkeys(c for c in candidates if c):
        if _imports_uno(python):
            return python
    if choice == "uno":
        raise ConversionError("DOCGEN_CONVERTER=uno, but no Python with LibreOffice's uno module was found "
                              "(install it with: sudo apt-get install -y python3-uno)")
    return None


_UNO_CHECKED: dict[str, bool] = {}


def _imports_uno(python: str) -> bool:
    """Whether `python` can import `uno`. Asking costs a Python start (about 25 ms, before any
    worker can start), so a yes is remembered in docgen's cache folder together with the files
    it rests on: the interpreter and the `uno` module, both unchanged since."""
    if python not in _UNO_CHECKED:
        from .fonts import cache_dir

        cache = cache_dir() / "uno-python.json"
        try:
            saved = json.loads(cache.read_text(encoding="utf-8")).get(python)
            if saved and all(_stat_key(f) == key for f, key in saved.items()):
                _UNO_CHECKED[python] = True
                return True
        except (OSError, ValueError, AttributeError):
            pass
        try:
            out = subprocess.run([python, "-c", "import uno; print(uno.__file__)"], capture_output=True, text=True,
                                 timeout=30)
            ok = out.returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        _UNO_CHECKED[python] = ok
        files = [shutil.which(python) or python, out.stdout.strip()] if ok else []
        if files and all(_stat_key(f) for f in files):
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                cache.write_text(json.dumps({python: {f: _stat_key(f) for f in files}}), encoding="utf-8")
            except OSError:
                pass
    return _UNO_CHECKED[python]


def _stat_key(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return ""
    return f"{st.st_size}|{st.st_mtime_ns}"


class _UnoProcess:
    """One worker process (uno_worker.py) and the LibreOffice it drives, in their own process group."""

    def __init__(self, binary: str, python: str, worker: Path) -> None:
        env = office_env()  # first: it may fail (fonts, cache), and then nothing is left behind
        self.profile = new_profile()
        self.outdir = work_dir("lo-out")
        pipe = f"docgen-{os.getpid()}-{self.profile.name[-8:]}"
        self.pipe_file = PIPE_FOLDER / f"OSL_PIPE_{os.getuid()}_{pipe}"  # LibreOffice's socket, left after exit
        self.log = (self.outdir / "worker.log").open("wb")
        self.proc = subprocess.Popen([python, str(worker), binary, self.profile.as_uri(), pipe,
                                      str(STARTUP_ALLOWANCE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, env=env, start_new_session=True, cwd=self.outdir)
        RUNNING.add(self.proc)
        self.buffer = b""
        self.converted = 0

    def ask(self, request: dict[str, object] | None, timeout: float,
            stopping: threading.Event | None = None) -> dict[str, object] | None:
        """Send `request` (None: only read) and wait up to `timeout` s for the answer line, or
        until `stopping` is set."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if request is not None:
            try:
                self.proc.stdin.write((json.dumps(request) + "\n").encode())
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError):
                return None
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if stopping is not None and stopping.is_set():
                return None
            ready, _, _ = select.select([fd], [], [], min(left, 0.25))
            if not ready:
                if self.proc.poll() is not None:  # died; a child may still hold the pipe open
                    return None
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            answer = json.loads(line)
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None

    def why_dead(self) -> str:
        code = self.proc.poll()
        self.log.flush()
        lines = (self.outdir / "worker.log").read_bytes().decode("utf-8", "replace").strip().splitlines()
        detail = f": {lines[-1]}" if lines else ""
        return (f"LibreOffice exited with code {code}" if code is not None else "LibreOffice stopped answering") + detail

    def stop(self, kill: bool = False) -> None:
        """End the worker: on end of input it kills its LibreOffice and reaps it (the profile is
        thrown away, so there is nothing to save); the group is killed when that does not happen
        within a few seconds, or at once with `kill`."""
        if not kill and self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        RUNNING.discard(self.proc)
        kill_group(self.proc)
        for stream in (self.proc.stdin, self.proc.stdout, self.log):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)
        shutil.rmtree(self.outdir, ignore_errors=True)
        self.pipe_file.unlink(missing_ok=True)


Then = Callable[[Outcome], object] | None


class UnoConverter(Converter):
    """`jobs` warm LibreOffice instances, each driven through UNO by a worker process and fed one
    document at a time, so conversion starts with the first rendered document and LibreOffice
    starts once per worker instead of once per batch.

    A worker hands each PDF to a small pool of checker threads and goes straight on to its next
    document, so LibreOffice does not sit idle while a PDF is checked and hashed. A conversion
    that times out, crashes or is refused is retried at once with a fresh worker; a PDF that
    fails the check goes back into the queue once.
    """

    def __init__(self, binary: str, python: str, *, jobs: int, timeout: float, options: dict[str, object],
                 worker: Path | None = None, recycle_after: int = RECYCLE_AFTER) -> None:
        self.binary, self.python, self.timeout, self.options = binary, python, timeout, options
        self.worker, self.recycle_after = worker or UNO_WORKER, recycle_after
        self.queue: queue.SimpleQueue[tuple[Path, Future[object], Then, int] | None] = queue.SimpleQueue()
        self.outstanding = 0  # submitted and not finished (futures are not kept: they hold the PDFs)
        self.idle = threading.Condition()
        self.stopping = threading.Event()
        self.checkers = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="docgen-check")
        self.threads = [threading.Thread(target=self._serve, name=f"docgen-uno-{i}", daemon=True) for i in range(jobs)]
        for t in self.threads:
            t.start()

    def submit(self, docx: Path, then: Then = None) -> Future[object]:
        future: Future[object] = Future()
        with self.idle:
            self.outstanding += 1
        future.add_done_callback(self._done)
        self.queue.put((docx, future, then, 0))
        return future

    def _done(self, future: Future[object]) -> None:
        with self.idle:
            self.outstanding -= 1
            self.idle.notify_all()

    def close(self, kill: bool = False) -> None:
        if kill:
            self.stopping.set()
            RUNNING.kill_all()
        else:
            try:
                with self.idle:  # a checker may still put a document back into the queue
                    self.idle.wait_for(lambda: self.outstanding == 0)
            except BaseException:  # Ctrl-C while waiting: stop everything instead
                self.close(kill=True)
                raise
        for _ in self.threads:
            self.queue.put(None)
        for t in self.threads:
            t.join()
        self.checkers.shutdown(wait=True)
        while not self.queue.empty():  # put back by a checker after the workers stopped (only when killed)
            item = self.queue.get_nowait()
            if item is not None:
                _settle(item[1], item[2], Outcome(item[0], None, "stopped before conversion"))

    def _start(self) -> tuple[_UnoProcess | None, str | None]:
        try:
            process = _UnoProcess(self.binary, self.python, self.worker)
        except DocgenError as e:  # fonts or cache unusable: every document will say so
            return None, str(e)
        if self.stopping.is_set():  # killed while this worker was being started: it missed kill_all
            process.stop(kill=True)
            return None, "stopped before conversion"
        answer = process.ask(None, STARTUP_ALLOWANCE + WORKER_MARGIN, self.stopping)
        if answer is None or not answer.get("ready"):
            error = process.why_dead() if process.proc.poll() is not None else \
                f"LibreOffice did not start within {STARTUP_ALLOWANCE + WORKER_MARGIN:.0f} s"
            process.stop(kill=True)
            return None, error
        return process, None

    def _serve(self) -> None:
        process: _UnoProcess | None = None
        try:
            if not self.stopping.is_set():
                process, _ = self._start()  # warm up before the first document arrives; retried on demand
            while True:
                item = self.queue.get()
                if item is None:
                    return
                src, future, then, tries = item
                if self.stopping.is_set():
                    _settle(future, then, Outcome(src, None, "stopped before conversion"))
                    continue
                try:
                    process, data, error, numbered = self._convert(process, src, attempts=2 - tries)
                except BaseException as e:  # noqa: BLE001 - handed to whoever waits on the future
                    future.set_exception(e)
                    continue
                if data is None:
                    _settle(future, then, Outcome(src, None, error))
                else:
                    self.checkers.submit(self._check, src, data, future, then, tries, numbered)
        finally:
            if process is not None:
                process.stop(kill=self.stopping.is_set())

    def _check(self, src: Path, data: bytes, future: Future[object], then: Then, tries: int,
               numbered: bool = False) -> None:
        try:
            data = checked_pdf(data, str(src), fonts_numbered=numbered)
        except ConversionError as e:
            if tries == 0 and not self.stopping.is_set():
                self.queue.put((src, future, then, 1))
            else:
                _settle(future, then, Outcome(src, None, str(e)))
            return
        _settle(future, then, Outcome(src, data))

    def _convert(self, process: _UnoProcess | None, src: Path,
                 attempts: int) -> tuple[_UnoProcess | None, bytes | None, str, bool]:
        """Convert `src` up to `attempts` times; a timeout or crash restarts the worker first.
        Returns the process, the PDF (or None and why) and whether the worker numbered its fonts."""
        error = "LibreOffice wrote no PDF"
        for _attempt in range(attempts):
            if self.stopping.is_set():
                return process, None, "stopped before conversion", False
            if process is not None and process.converted >= self.recycle_after:
                process.stop()
                process = None
            if process is None:
                process, error = self._start()
                if process is None:
                    continue
            dst = process.outdir / f"{process.converted}.pdf"
            answer = process.ask({"src": str(src.resolve()), "dst": str(dst), "filter": self.options}, self.timeout)
            process.converted += 1
            if answer is None:
                error = (f"LibreOffice made no progress for {self.timeout:.0f} s and was stopped"
                         if process.proc.poll() is None else process.why_dead())
                process.stop(kill=True)
                process = None
                continue
            data = dst.read_bytes() if dst.exists() else b""
            dst.unlink(missing_ok=True)
            if not answer.get("ok"):
                error = f"LibreOffice could not convert the document: {answer.get('error') or 'no reason given'}"
                continue
            if not data:
                error = "LibreOffice wrote no PDF"
                continue
            return process, data, "", answer.get("fonts") == "numbered"
        return process, None, error, False


def convert(docx_files: Sequence[Path], *, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT,
            watermark: str | None = None, on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Convert DOCX files to PDF bytes with `jobs` parallel LibreOffice workers (see open_converter).

    Each document has a timeout of `timeout` seconds; a failed document is retried once with a
    fresh worker. Results come back in input order. `watermark` prints a diagonal text (e.g. 草稿)
    on every page.
    """
    if not docx_files:
        return []
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(docx_files)))

    def done(outcome: Outcome) -> Outcome:
        if on_done is not None:
            on_done(outcome)
        return outcome

    with open_converter(jobs=jobs, timeout=timeout, watermark=watermark, expected=len(docx_files)) as converter:
        futures = [converter.submit(src, done) for src in docx_files]
        converter.flush()
        return [f.result() for f in futures]  # type: ignore[misc]


def convert_one(docx: Path, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Convert one DOCX and return the checked PDF bytes, or raise ConversionError."""
    outcome = convert([docx], jobs=1, timeout=timeout)[0]
    if outcome.pdf is None:
        raise ConversionError(f"{docx}: {outcome.error}")
    return outcome.pdf
