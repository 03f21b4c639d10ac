"""LibreOffice dies with docgen however docgen dies, and SIGTERM cleans up like Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Spawner, have_soffice, write_mini

from docgen.outputs import remove_stale_work_dirs

pytestmark = [pytest.mark.soffice, pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")]


def _office_of(pid: int) -> list[str]:
    """Processes whose command line names a LibreOffice profile of docgen process `pid`."""
    marker = f"docgen-lo-profile-{pid}-".encode()
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (proc / "cmdline").read_bytes():
                found.append(proc.name)
        except OSError:
            continue
    return found


def _start_build(spawn: Spawner, tmp_path: Path) -> subprocess.Popen[bytes]:
    data = write_mini(tmp_path / "data")
    return spawn.popen([sys.executable, "-m", "docgen.cli", "build", "--data", str(data), "--out",
                             str(tmp_path / "out"), "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, DOCGEN_CONVERTER="uno"))


def _wait_for_office(pid: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not _office_of(pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def _gone(pid: int, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while _office_of(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not _office_of(pid)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_libreoffice_dies_with_docgen_while_starting(tmp_path: Path, sig: int, spawn: Spawner):
    build = _start_build(spawn, tmp_path)
    try:
        _wait_for_office(build.pid)
        assert _office_of(build.pid), "LibreOffice never started"
        build.send_signal(sig)
        build.wait(timeout=30)
        assert _gone(build.pid), f"LibreOffice still running after {signal.Signals(sig).name}: {_office_of(build.pid)}"
        if sig == signal.SIGTERM:
            err = build.stderr.read().decode("utf-8", "replace")
            assert "Aborted!" in err and "Traceback" not in err, err
            assert build.returncode == 1, (build.returncode, err)  # as after Ctrl-C
    finally:
        spawn.kill_all()  # the build with its process group
        for pid in _office_of(build.pid):
            os.kill(int(pid), signal.SIGKILL)
        time.sleep(0.2)
        remove_stale_work_dirs()
