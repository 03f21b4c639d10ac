"""A long-lived LibreOffice converter, run by convert.py under the Python that has the `uno` module.

Protocol (JSON, one object per line): on start the worker launches soffice with the profile and
pipe name given on the command line, connects, and prints {"ready": true}. Each request
{"src": "/path/a.docx", "dst": "/path/a.pdf", "filter": {...}} is answered with {"ok": true} or
{"ok": false, "error": "..."}. End of input stops LibreOffice and the worker.

The worker dies with docgen however docgen dies: the kernel sends it SIGTERM when its parent
exits (PR_SET_PDEATHSIG, even after a SIGKILL of docgen, even while LibreOffice is starting),
and SIGTERM, like end of input, kills the LibreOffice it started before it exits.

This file uses only the standard library and `uno`, because it does not run in docgen's
environment. The parent puts it in its own process group, so killing the group on a timeout
also kills soffice.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any


def _props(**values: object) -> tuple[object, ...]:
    from com.sun.star.beans import PropertyValue

    out: list[object] = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def _filter_data(options: dict[str, object]) -> object:
    import uno

    return uno.Any("[]com.sun.star.beans.PropertyValue", _props(**options))


STARTED: list[subprocess.Popen[bytes]] = []  # the soffice launched by this worker, for stop() on any way out


def _die_with_parent() -> None:
    """Ask the kernel for SIGTERM when the parent (docgen) exits; exit at once if it already has."""
    parent = os.getppid()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: end of input still stops the worker
    if os.getppid() != parent:
        raise SystemExit(1)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def connect(soffice: str, profile: str, pipe: str, startup: float) -> tuple[subprocess.Popen[bytes], Any]:
    """Start soffice listening on `pipe` and return (process, desktop).

    UNO objects are dynamic proxies with no static types, hence `Any` for the desktop."""
    import uno

    cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore", "--nologo",
           "--nodefault", "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    STARTED.append(proc)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + startup
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:  # noqa: BLE001 - NoConnectException (a UNO type) until soffice listens
            if proc.poll() is not None:
                raise SystemExit(f"soffice exited with code {proc.returncode} while starting") from None
            if time.monotonic() > deadline:
                raise SystemExit(f"soffice did not start within {startup:.0f} s") from None
            time.sleep(0.01)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return proc, desktop


def convert(desktop: Any, src: str, dst: str, options: dict[str, object]) -> None:
    args: dict[str, object] = {"FilterName": "writer_pdf_Export"}
    if options:
        args["FilterData"] = _filter_data(options)
    # UpdateDocMode 0 (NO_UPDATE): links are never updated on load; MacroExecutionMode 0: never run macros
    doc = desktop.loadComponentFromURL(Path(src).as_uri(), "_blank", 0,
                                       _props(Hidden=True, ReadOnly=True, UpdateDocMode=0, MacroExecutionMode=0))
    if doc is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        doc.storeToURL(Path(dst).as_uri(), _props(**args))
    finally:
        doc.close(True)
    number_fonts(Path(dst))


def number_fonts(pdf: Path) -> None:
    """Number the PDF's Type 1 fonts per document (pdfids.py) here, in the worker's own process,
    so docgen's threads need not; the answer says it was done."""
    data = pdf.read_bytes()
    numbered = _pdfids().renumber_type1(data)
    if numbered != data:
        pdf.write_bytes(numbered)


def _pdfids() -> ModuleType:
    import importlib.util

    spec = importlib.util.spec_from_file_location("docgen_pdfids", Path(__file__).with_name("pdfids.py"))
    if spec is None or spec.loader is None:
        raise ImportError("cannot load pdfids.py next to uno_worker.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    globals()["_pdfids"] = lambda: module  # loaded once
    return module


def main() -> int:
    soffice, profile, pipe, startup = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    signal.signal(signal.SIGTERM, _terminate)
    try:
        _die_with_parent()
        proc, desktop = connect(soffice, profile, pipe, startup)
        out = sys.stdout
        out.write(json.dumps({"ready": True, "pid": proc.pid}) + "\n")
        out.flush()
        for line in sys.stdin:
            request = json.loads(line)
            try:
                convert(desktop, request["src"], request["dst"], request.get("filter") or {})
                reply = {"ok": True, "fonts": "numbered"}
            except Exception as e:  # noqa: BLE001 - every failure is answered; a UNO one carries its own Message
                reply = {"ok": False, "error": getattr(e, "Message", "") or f"{type(e).__name__}: {e}"}
            out.write(json.dumps(reply) + "\n")
            out.flush()
    except BrokenPipeError:
        pass  # docgen is gone
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for started in STARTED:
            stop(started)
    return 0


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Kill soffice.bin and let its launcher reap it, then reap the launcher.

    The profile is thrown away, so an orderly shutdown (about 0.2 s) would save nothing. Killing
    the launcher first would leave soffice.bin to init, which in a container may never reap it.
    """
    children = _children(proc.pid)
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    if not children:  # soffice ran without a launcher
        proc.kill()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(b")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


if __name__ == "__main__":
    os.environ.setdefault("SAL_USE_VCLPLUGIN", "svp")
    code = main()
    sys.stdout.flush()
    os._exit(code)  # skip tearing down the UNO bridge to an office that is gone (about 50 ms)
