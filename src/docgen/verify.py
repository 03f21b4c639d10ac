"""Trace an output back to the data, template and policy that made it, and check it still matches.

Why: legal must be able to show that a signed contract corresponds to the records. Every DOCX
and PDF docgen makes carries `docgen; <document>; inputs <digest>` in its keywords; the digest
covers the hashes of exactly the records, template, policy sections and tool versions it was
made from. Recomputing that digest from the current data says whether the file is still what
the data would produce; the manifest, when at hand, says which input differs and whether the
file itself was altered after it was made.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .errors import DocgenError
from .record import (
    MANIFEST_NAME,
    Manifest,
    changed_inputs,
    inputs_digest,
    page_text_hashes,
    parse_provenance,
    sha256,
)


@dataclass
class Verdict:
    """What `docgen verify` found out about one file."""

    file: Path
    document: str
    policy_version: str = ""
    template: str = ""
    matches_data: bool = False
    changed: list[str] = field(default_factory=list)
    content: str = "not checked (no manifest found)"

    def lines(self) -> list[str]:
        out = [f"{self.file}: {self.document}"]
        if self.template:
            out.append(f"  template: {self.template}")
        if self.policy_version:
            out.append(f"  policy version now: {self.policy_version}")
        if self.matches_data:
            out.append("  matches what the current data, template and policy produce")
        else:
            out.append("  DOES NOT match what the current data would produce")
            out += [f"    {c}" for c in self.changed]
        out.append(f"  file content: {self.content}")
        return out


def keywords_of(path: Path) -> tuple[str, bytes]:
    """The keywords property of a DOCX or PDF, and the file's bytes."""
    data = path.read_bytes()
    if data.startswith(b"%PDF-"):
        try:
            meta = PdfReader(BytesIO(data)).metadata
        except PyPdfError as e:
            raise DocgenError(f"{path}: not a readable PDF ({e})") from e
        return str((meta or {}).get("/Keywords", "") or ""), data
    if zipfile.is_zipfile(BytesIO(data)):
        from docx import Document
        from docx.opc.exceptions import PackageNotFoundError

        try:
            return Document(BytesIO(data)).core_properties.keywords or "", data
        except (KeyError, ValueError, PackageNotFoundError, zipfile.BadZipFile) as e:
            raise DocgenError(f"{path}: a ZIP file but not a DOCX document ({e}); docgen verifies the DOCX "
                              "and PDF files it made") from e
    raise DocgenError(f"{path}: not a DOCX or PDF file")


def _manifest_for(path: Path) -> tuple[Manifest, Path] | None:
    for folder in [path.parent, *path.parents]:
        if (folder / MANIFEST_NAME).is_file():
            return Manifest.load(folder), folder
    return None


def verify(path: Path, data_dir: Path) -> Verdict:
    """Check `path` against the current data in `data_dir`."""
    from .build import job_inputs
    from .versions import tools_fingerprint
    from .plan import plan
    from .validate import load_dataset

    keywords, data = keywords_of(path)
    found = parse_provenance(keywords)
    if found is None:
        raise DocgenError(f"{path}: carries no docgen provenance (keywords: {keywords!r}); was it made by docgen?")
    job_id, digest = found
    dataset = load_dataset(data_dir)
    jobs = {j.id: j for j in plan(dataset)}
    verdict = Verdict(path, job_id, policy_version=dataset.policy.version)
    job = jobs.get(job_id)
    if job is None:
        verdict.changed.append(f"the current data no longer calls for {job_id}")
        return verdict
    verdict.template = f"{job.template.parent.name}/{job.template.name}"
    current = job_inputs(job, tools_fingerprint(pdf=True))
    verdict.matches_data = inputs_digest(current).startswith(digest)
    at_hand = _manifest_for(path)
    if at_hand is not None:
        manifest, root = at_hand
        entry = manifest.outputs.get(job_id)
        if entry is not None:
            if inputs_digest(entry.get("inputs", {})).startswith(digest):
                verdict.changed = [f"{label} changed since the file was made"
                                   for label in changed_inputs(entry["inputs"], current)]
            verdict.content = _content(path, data, entry, root)
    if not verdict.matches_data and not verdict.changed:
        verdict.changed.append("inputs differ (no manifest of this build at hand to say which)")
    return verdict


def _content(path: Path, data: bytes, entry: dict, root: Path) -> str:
    rel = path.resolve().relative_to(root.resolve()).as_posix() if path.resolve().is_relative_to(root.resolve()) else ""
    recorded = entry.get("files", {}).get(rel)
    if recorded == sha256(data):
        return "identical to the file this build recorded"
    if data.startswith(b"%PDF-") and entry.get("pdf_page_text_sha256"):
        # manifests of earlier versions, whose PDFs were not byte-repeatable
        pages = page_text_hashes(data)
        if pages == entry["pdf_page_text_sha256"]:
            return "page texts identical to the recorded PDF (bytes differ)"
        return "ALTERED: page texts differ from the recorded PDF"
    if recorded is not None:
        kind = "PDF" if data.startswith(b"%PDF-") else "DOCX"
        return f"ALTERED: differs from the recorded {kind}"
    if not data.startswith(b"%PDF-") and entry.get("docx_sha256"):
        return "identical to the recorded DOCX" if entry["docx_sha256"] == sha256(data) else \
            "ALTERED: differs from the recorded DOCX"
    return "not recorded in the manifest"
