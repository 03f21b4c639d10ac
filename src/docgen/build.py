"""Make documents: render every job, convert them to PDF together, write outputs atomically."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .convert import convert
from .errors import DocgenError
from .plan import Job
from .record import safe_target, write_atomic
from .render import Properties, render_docx


@dataclass
class Made:
    """What a run produced and what failed, for the summary line."""

    written: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)


def properties_for(job: Job, author: str) -> Properties:
    return Properties(title=f"{job.title}（{job.key}）" if job.key else job.title, subject=job.subject or job.title,
                      author=author, keywords=f"docgen;{job.kind};{job.key}")


def make(jobs: Sequence[Job], out_dir: Path, *, author: str, pdf: bool = True, docx: bool = True,
         workers: int | None = None, progress: Callable[[str], None] | None = None) -> Made:
    """Render `jobs` into `out_dir` as DOCX and/or PDF. One failing job does not stop the others."""
    made = Made()
    stage = Path(tempfile.mkdtemp(prefix="docgen-render-"))
    try:
        rendered: list[tuple[Job, Path]] = []
        for job in jobs:
            try:
                data = render_docx(job.template, job.build_context(), properties_for(job, author))
            except DocgenError as e:
                made.failed[job.id] = str(e)
                continue
            staged = stage / f"{len(rendered):05d}.docx"
            staged.write_bytes(data)
            rendered.append((job, staged))
            if docx:
                target = safe_target(out_dir, job.output + ".docx")
                write_atomic(target, data)
                made.written.append(target)
            if progress:
                progress(f"rendered {job.id}")
        if pdf and rendered:
            outcomes = convert([s for _, s in rendered], jobs=workers)
            for (job, _), outcome in zip(rendered, outcomes, strict=True):
                if outcome.pdf is None:
                    made.failed[job.id] = f"{job.output}.pdf: {outcome.error}"
                    continue
                target = safe_target(out_dir, job.output + ".pdf")
                write_atomic(target, outcome.pdf)
                made.written.append(target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return made
