"""Convert DOCX files to PDF with warm LibreOffice instances, each driven through UNO by a worker
process (uno_worker.py), fed one document at a time, and check every PDF.

Why: starting LibreOffice costs about 0.7 s, converting a contract about 0.1 s, so each worker
keeps its LibreOffice running and converts document after document as they are rendered. Every
worker has its own profile folder (parallel runs sharing one fail silently), runs in its own
process group (so a hang is killed whole), dies with docgen (PR_SET_PDEATHSIG in the worker),
and its output is checked (pdfpost.py) rather than its exit code trusted.
"""

from __future__ import annotations

import json
import os
import queue
import select
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .errors import ConversionError, DocgenError
from .i18n import N_, _
from .office import RUNNING, STARTUP_ALLOWANCE, kill_group, new_profile, office_env, soffice_binary, uno_python
from .outputs import remove_stale_work_dirs, work_dir
from .pdfpost import checked_pdf

DEFAULT_TIMEOUT = 60.0  # seconds one document may take
STOPPED = N_("stopped before conversion")  # the reason of a document left when the build was stopped
NO_PDF = N_("LibreOffice wrote no PDF")
OPEN_FAILED = N_("LibreOffice could not open the document")  # as uno_worker.convert says it


@dataclass(frozen=True)
class Outcome:
    """Result of converting one DOCX: the checked PDF bytes, or why there are none."""

    source: Path
    pdf: bytes | None
    error: str | None = None


def watermark_options(watermark: str | None) -> dict[str, object]:
    """PDF export options that print `watermark` diagonally on every page (empty: none)."""
    if not watermark:
        return {}
    return {"Watermark": watermark, "WatermarkColor": 13421772, "WatermarkFontHeight": 96,
            "WatermarkRotateAngle": 450}


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

    def close(self, kill: bool = False) -> None:
        raise NotImplementedError

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, kind: object, error: object, tb: object) -> None:
        self.close(kill=error is not None)


def open_converter(settings: Settings, *, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT,
                   watermark: str | None = None) -> Converter:
    """`jobs` warm UNO workers (see UnoConverter); ConversionError when LibreOffice or its Python
    bridge is missing. Work folders left by docgen runs that were killed are removed first."""
    binary = soffice_binary()
    python = uno_python(settings)
    remove_stale_work_dirs()
    return UnoConverter(binary, python, settings, jobs=max(1, jobs or os.cpu_count() or 1), timeout=timeout,
                        options=watermark_options(watermark))


UNO_WORKER = Path(__file__).with_name("uno_worker.py")
RECYCLE_AFTER = 200  # documents per LibreOffice instance before a fresh one (bounds memory growth)
PIPE_FOLDER = Path("/tmp")  # where LibreOffice puts the socket of --accept=pipe (fixed, whatever $TMPDIR says)
WORKER_MARGIN = 10.0  # seconds for the worker's own Python to start, on top of STARTUP_ALLOWANCE


class _UnoProcess:
    """One worker process (uno_worker.py) and the LibreOffice it drives, in their own process group."""

    def __init__(self, binary: str, python: str, worker: Path, settings: Settings) -> None:
        env = office_env(settings)  # first: it may fail (fonts, cache), and then nothing is left behind
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
            ready, _w, _x = select.select([fd], [], [], min(left, 0.25))
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
        # the last line of the worker's log is LibreOffice's or Python's own text, shown as it is
        detail = lines[-1] if lines else ""
        if code is not None:
            if detail:
                return _("LibreOffice exited with code {code}: {detail}").format(code=code, detail=detail)
            return _("LibreOffice exited with code {code}").format(code=code)
        if detail:
            return _("LibreOffice stopped answering: {detail}").format(detail=detail)
        return _("LibreOffice stopped answering")

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

    def __init__(self, binary: str, python: str, settings: Settings, *, jobs: int, timeout: float,
                 options: dict[str, object], worker: Path | None = None, recycle_after: int = RECYCLE_AFTER) -> None:
        self.binary, self.python, self.timeout, self.options = binary, python, timeout, options
        self.settings = settings
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
        for _thread in self.threads:
            self.queue.put(None)
        for t in self.threads:
            t.join()
        self.checkers.shutdown(wait=True)
        while not self.queue.empty():  # put back by a checker after the workers stopped (only when killed)
            item = self.queue.get_nowait()
            if item is not None:
                _settle(item[1], item[2], Outcome(item[0], None, _(STOPPED)))

    def _start(self) -> tuple[_UnoProcess | None, str | None]:
        try:
            process = _UnoProcess(self.binary, self.python, self.worker, self.settings)
        except DocgenError as e:  # fonts or cache unusable: every document will say so
            return None, str(e)
        if self.stopping.is_set():  # killed while this worker was being started: it missed kill_all
            process.stop(kill=True)
            return None, _(STOPPED)
        answer = process.ask(None, STARTUP_ALLOWANCE + WORKER_MARGIN, self.stopping)
        if answer is None or not answer.get("ready"):
            error = process.why_dead() if process.proc.poll() is not None else \
                _("LibreOffice did not start within {seconds:.0f} s").format(seconds=STARTUP_ALLOWANCE + WORKER_MARGIN)
            process.stop(kill=True)
            return None, error
        return process, None

    def _serve(self) -> None:
        process: _UnoProcess | None = None
        try:
            if not self.stopping.is_set():
                process, _failure = self._start()  # warm up before the first document arrives; retried on demand
            while True:
                item = self.queue.get()
                if item is None:
                    return
                src, future, then, tries = item
                if self.stopping.is_set():
                    _settle(future, then, Outcome(src, None, _(STOPPED)))
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
        error = _(NO_PDF)
        for _attempt in range(attempts):
            if self.stopping.is_set():
                return process, None, _(STOPPED), False
            if process is not None and process.converted >= self.recycle_after:
                process.stop()
                process = None
            if process is None:
                process, failure = self._start()
                if process is None:
                    error = failure or error
                    continue
            dst = process.outdir / f"{process.converted}.pdf"
            answer = process.ask({"src": str(src.resolve()), "dst": str(dst), "filter": self.options}, self.timeout)
            process.converted += 1
            if answer is None:
                if process.proc.poll() is None:
                    error = _("LibreOffice made no progress for {seconds:.0f} s and was stopped").format(
                        seconds=self.timeout)
                else:
                    error = process.why_dead()
                process.stop(kill=True)
                process = None
                continue
            data = dst.read_bytes() if dst.exists() else b""
            dst.unlink(missing_ok=True)
            if not answer.get("ok"):
                # the reason is LibreOffice's own text (a UNO exception's message), shown as it is
                reason = answer.get("error") or _("no reason given")
                if str(reason).endswith(OPEN_FAILED):  # the worker's own words (uno_worker.convert)
                    reason = _(OPEN_FAILED)
                error = _("LibreOffice could not convert the document: {reason}").format(reason=reason)
                continue
            if not data:
                error = _(NO_PDF)
                continue
            return process, data, "", answer.get("fonts") == "numbered"
        return process, None, error, False


def convert(docx_files: Sequence[Path], settings: Settings, *, jobs: int | None = None,
            timeout: float = DEFAULT_TIMEOUT, watermark: str | None = None,
            on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Convert DOCX files to PDF bytes with `jobs` parallel LibreOffice workers (UNO workers).

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

    with open_converter(settings, jobs=jobs, timeout=timeout, watermark=watermark) as converter:
        futures = [converter.submit(src, done) for src in docx_files]
        return [f.result() for f in futures]  # type: ignore[misc]


def convert_one(docx: Path, settings: Settings, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Convert one DOCX and return the checked PDF bytes, or raise ConversionError."""
    outcome = convert([docx], settings, jobs=1, timeout=timeout)[0]
    if outcome.pdf is None:
        raise ConversionError(f"{docx}: {outcome.error}")
    return outcome.pdf
