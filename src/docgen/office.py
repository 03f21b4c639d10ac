"""LibreOffice as docgen starts it: the binary, a fresh profile with safe settings, the fonts and
malloc environment, the Python that can drive it through UNO, and the process groups to kill.

Kept apart from convert.py (which feeds documents to running workers) so that what a LibreOffice
process is started with can be read in one place.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import threading
from functools import lru_cache
from pathlib import Path

from .config import Settings
from .errors import ConversionError
from .i18n import N_, _
from .outputs import work_dir

INSTALL_HINT = N_("LibreOffice was not found (no 'soffice' on PATH). Install it with:\n"
                   "  sudo apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk "
                   "poppler-utils python3-uno")
BRIDGE_HINT = N_("LibreOffice's Python bridge (the uno module) was not found; docgen drives LibreOffice through "
                 "it. Install it with:\n  sudo apt-get install -y --no-install-recommends python3-uno")

# LibreOffice reads each CJK font file (16-25 MB) into a fresh buffer while starting and again for
# every PDF it exports. glibc serves such blocks with mmap and returns them at once, so each read
# page-faults 20 MB afresh; with these thresholds the blocks come from the heap and are reused.
MALLOC_TUNING = {"MALLOC_MMAP_THRESHOLD_": str(128 << 20), "MALLOC_TRIM_THRESHOLD_": str(256 << 20)}
STARTUP_ALLOWANCE = 30.0  # seconds LibreOffice may take to start


def soffice_binary() -> str:
    """Path of the LibreOffice binary, or ConversionError with install instructions."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(_(INSTALL_HINT))


def office_env(settings: Settings) -> dict[str, str]:
    """Environment for LibreOffice: docgen's font configuration (fonts.py), and glibc's malloc
    told to keep big blocks in the heap (see MALLOC_TUNING)."""
    from .fonts import prepare

    base = dict(settings.environ) if settings.environ else dict(os.environ)
    env = dict(base, FONTCONFIG_FILE=str(prepare(settings.cache_dir)), FC_LANG="zh-cn", SAL_USE_VCLPLUGIN="svp")
    if settings.malloc_tuning:
        env.update(MALLOC_TUNING)
    return env


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
"""  # noqa: E501 - one registry item per line
PROFILE_PREFIX = "docgen-lo-profile-"


def new_profile() -> Path:
    """A fresh LibreOffice profile folder with PROFILE_SETTINGS."""
    profile = work_dir("lo-profile")
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
    return profile


def uno_python(settings: Settings) -> str:
    """A Python interpreter that can import LibreOffice's `uno` bridge (Debian: python3-uno):
    `settings.uno_python` if set, else the system's; ConversionError with the install command
    when there is none."""
    candidates = [settings.uno_python, "/usr/bin/python3", shutil.which("python3")]
    for python in dict.fromkeys(c for c in candidates if c):
        if imports_uno(python):
            return python
    raise ConversionError(_(BRIDGE_HINT))


@lru_cache(maxsize=8)
def imports_uno(python: str) -> bool:
    """Whether `python` can import `uno` (asked once per process: a Python start, about 25 ms)."""
    try:
        out = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0


class ProcessGroups:
    """The process groups (LibreOffice workers) this process started, killed on exit or
    interrupt: LibreOffice runs in its own session and must never outlive docgen."""

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


# The one process-wide registry: atexit and signal handlers cannot be handed an object.
RUNNING = ProcessGroups()
atexit.register(RUNNING.kill_all)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill a process and everything it started (soffice forks soffice.bin), then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
