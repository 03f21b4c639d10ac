"""An empty cache filled by several callers at once: the first run on a new machine."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from docgen import fonts


def _fonts_installed() -> bool:
    try:
        return len(fonts._collections()) == len(fonts.FACES)
    except Exception:  # noqa: BLE001
        return False


pytestmark = pytest.mark.skipif(not _fonts_installed(), reason="Noto CJK fonts are not installed")


def test_threads_and_processes_fill_one_empty_cache_at_once(tmp_path: Path, monkeypatch, spawn):
    cache = tmp_path / "cache"
    monkeypatch.setenv("DOCGEN_CACHE", str(cache))
    script = f"from pathlib import Path; from docgen import fonts; print(fonts.prepare(Path({str(cache)!r})))"
    others = [spawn.popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=dict(os.environ, DOCGEN_CACHE=str(cache)), text=True) for _ in range(2)]
    results: list[object] = []

    def prepare() -> None:
        try:
            results.append(fonts.prepare(cache))
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            results.append(e)

    threads = [threading.Thread(target=prepare) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outs = [p.communicate(timeout=300) for p in others]
    assert all(isinstance(r, Path) for r in results), results
    assert all(p.returncode == 0 for p in others), [err for _, err in outs]
    conf = results[0]
    assert all(out.strip() == str(conf) for out, _ in outs)
    faces = sorted(p.name for p in (conf.parent / "fonts").iterdir())
    assert faces == sorted(f"{ps}.otf" for _, ps in fonts.FACES.values())
    assert not list(cache.rglob("*.tmp"))
