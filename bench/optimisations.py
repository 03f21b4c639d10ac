"""What each remaining cache and trick of docgen saves, measured on the sample data.

  template checks   `templates check` of every template in a fresh process: empty cache vs kept results
  LibreOffice version   `soffice --version` vs the answer kept in the cache
  compile memo      rendering every document with each template part compiled once vs once per document
  malloc tuning     (see run_bench.py: two warm batches with and without docgen's malloc settings)

Usage: .venv/bin/python bench/optimisations.py   (prints a Markdown table for bench/NOTES.md)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
ROUNDS = 5


def _run(code: str, cache: Path) -> float:
    env = dict(os.environ, DOCGEN_CACHE=str(cache), PYTHONPATH=str(ROOT / "src"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([PYTHON, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


CHECKS = """
import time
from pathlib import Path
from docgen.check import require_clean
from docgen.config import Settings
from docgen.plan import KINDS
cache = Settings.from_environment().cache_dir
start = time.perf_counter()
for kind in KINDS.values():
    require_clean(Path("templates") / kind.template, kind.context_type, cache)
print(time.perf_counter() - start)
"""

VERSION = """
import time
from docgen.config import Settings
from docgen.versions import libreoffice_version
cache = Settings.from_environment().cache_dir
start = time.perf_counter()
libreoffice_version(cache)
print(time.perf_counter() - start)
"""

RENDER = """
import time
from docgen import render
from docgen.build import properties_for
from docgen.project import Project
project = Project.load(".")
dataset = project.validate()
jobs = project.documents(dataset)
contexts = [(job, job.build_context()) for job in jobs]
start = time.perf_counter()
for job, context in contexts:
    if {forget}:
        render.environment.cache_clear()
        render._patched.cache_clear()
    render.render_docx(job.template, context, properties_for(job, "bench"))
print(time.perf_counter() - start)
"""


def median(code: str, cache: Path, *, fresh_cache: bool) -> float:
    times = []
    for _ in range(ROUNDS):
        if fresh_cache:
            cache = Path(tempfile.mkdtemp(prefix="docgen-bench-cache-"))
        times.append(_run(code, cache))
    return statistics.median(times)


def main() -> None:
    warm = Path(tempfile.mkdtemp(prefix="docgen-bench-cache-"))
    _run(CHECKS, warm)
    _run(VERSION, warm)
    rows = [
        ("template checks, every template (fresh process)", median(CHECKS, warm, fresh_cache=True),
         median(CHECKS, warm, fresh_cache=False)),
        ("LibreOffice version (fresh process)", median(VERSION, warm, fresh_cache=True),
         median(VERSION, warm, fresh_cache=False)),
        ("rendering the 40 sample documents", median(RENDER.format(forget=True), warm, fresh_cache=False),
         median(RENDER.format(forget=False), warm, fresh_cache=False)),
    ]
    print(f"Medians of {ROUNDS} runs, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, Python "
          f"{sys.version.split()[0]}.\n")
    print("| what | without | with | saved |")
    print("| --- | --- | --- | --- |")
    for name, without, with_ in rows:
        print(f"| {name} | {without * 1000:.0f} ms | {with_ * 1000:.0f} ms | {(without - with_) * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
