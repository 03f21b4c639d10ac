"""The manifest: for every output, the hashes of exactly the inputs it was made from and of the
files made, kept as `.docgen-manifest.json` in the output folder and written last.

Why: after a policy revision exactly the documents that depend on the changed section must be
made again, and `docgen verify` must say which input changed since a file was made. Both read
this one typed, versioned structure; a manifest of a version this docgen does not know is
refused with a clear message rather than guessed at.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import OutputError
from .i18n import _
from .outputs import write_atomic

MANIFEST_NAME = ".docgen-manifest.json"
MANIFEST_VERSION = 2
READABLE_VERSIONS = (1, 2)  # 1: the same entries, plus a `snapshot` that is no longer used


class OutputRecord(BaseModel):
    """What one output (a document or a bundle) was made from, and the files made."""

    model_config = ConfigDict(extra="ignore")

    kind: str
    inputs: dict[str, str] = Field(default_factory=dict)
    files: dict[str, str] = Field(default_factory=dict)  # path relative to the output folder → sha256
    docx_sha256: str | None = None  # the DOCX even when only the PDF was written
    pdf_page_text_sha256: list[str] | None = None  # written by early versions, still read by verify


class Manifest(BaseModel):
    """Every output of an output folder, by output id (`contract:hx-2026`, `bundle:…`)."""

    model_config = ConfigDict(extra="ignore")

    version: int = MANIFEST_VERSION
    tools: dict[str, str] = Field(default_factory=dict)
    outputs: dict[str, OutputRecord] = Field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The manifest of `out_dir`; an empty one when there is none or it is unreadable (then
        everything is made again). OutputError for a manifest of an unknown version."""
        path = out_dir / MANIFEST_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        version = raw.get("version")
        if version not in READABLE_VERSIONS:
            raise OutputError(_("{path}: manifest version {version!r} is not one this docgen reads ({readable}); "
                                "it was written by another docgen version. Use that version, or build into a new "
                                "output folder.").format(path=path, version=version,
                                                         readable=", ".join(map(str, READABLE_VERSIONS))))
        try:
            manifest = cls.model_validate({"tools": raw.get("tools", {}), "outputs": raw.get("outputs", {})})
        except ValidationError:
            return cls()  # damaged entries: make everything again
        return manifest

    def save(self, out_dir: Path) -> None:
        body = {"version": MANIFEST_VERSION, "tools": self.tools,
                "outputs": {k: self.outputs[k].model_dump(exclude_none=True) for k in sorted(self.outputs)}}
        write_atomic(out_dir / MANIFEST_NAME, (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))

    def files_of(self, output_id: str) -> dict[str, str]:
        entry = self.outputs.get(output_id)
        return entry.files if entry is not None else {}


def _plain(obj: Any) -> Any:
    if hasattr(obj, "model_dump") and not isinstance(obj, type):  # a pydantic model
        return obj.model_dump(mode="json")
    if isinstance(obj, (list, tuple)):
        return [_plain(o) for o in obj]
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (date, Decimal)):
        return str(obj)
    return obj


def fingerprint(obj: Any) -> str:
    """Stable sha256 of a model, list or value: the same data gives the same hash in every run."""
    text = json.dumps(_plain(obj), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str:
    return sha256(path.read_bytes())


def inputs_digest(inputs: dict[str, str]) -> str:
    """One hash over every input hash of an output (its provenance key)."""
    return sha256(json.dumps(inputs, sort_keys=True).encode())


def provenance(job_id: str, inputs: dict[str, str]) -> str:
    """The text stored in an output's keywords: which document, made from which inputs."""
    return f"docgen; {job_id}; inputs {inputs_digest(inputs)[:32]}"


def parse_provenance(keywords: str) -> tuple[str, str] | None:
    """(job id, inputs digest prefix) from an output's keywords, or None.

    LibreOffice rewrites DOCX keywords into PDF keywords split at ';', ':' and spaces and joined
    with ', ', so the parts are read back whatever separates them.
    """
    parts = [p for p in re.split(r"[;,:\s]+", keywords or "") if p]
    if len(parts) == 5 and parts[0] == "docgen" and parts[3] == "inputs" and re.fullmatch(r"[0-9a-f]{32}", parts[4]):
        return f"{parts[1]}:{parts[2]}", parts[4]
    return None


def changed_inputs(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Labels of inputs that differ between two runs (added, removed or changed)."""
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


def outputs_intact(out_dir: Path, entry: OutputRecord) -> bool:
    """True when every file the manifest lists exists with the recorded hash."""
    if not entry.files:
        return False
    for rel, digest in entry.files.items():
        path = out_dir / rel
        if not path.is_file() or file_hash(path) != digest:
            return False
    return True


def page_text_hashes(pdf: bytes) -> list[str]:
    """sha256 of each page's text, as manifests of early versions (whose PDFs were not
    byte-repeatable) recorded their PDFs; `docgen verify` still reads them.

    Uses poppler's pdftotext when present (fast, C); pypdf otherwise. Whitespace is collapsed so
    only the words count.
    """
    import shutil
    import subprocess

    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, timeout=120,
                             check=False)
        if out.returncode == 0:
            pages = out.stdout.decode("utf-8", "replace").split("\f")
            if pages and not pages[-1].strip():
                pages = pages[:-1]
            return [sha256(" ".join(p.split()).encode("utf-8")) for p in pages]
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    return [sha256(" ".join((page.extract_text() or "").split()).encode("utf-8")) for page in reader.pages]
