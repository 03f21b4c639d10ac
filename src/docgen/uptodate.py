"""The answer to "is everything up to date?" kept under the content it was given for.

A no-op `docgen build` otherwise imports the whole pipeline (pydantic models alone take about
0.25 s), reads the data and plans every output: about 0.6 s for the sample. After every build
whose result is fully up to date, docgen writes `.docgen-uptodate.json` in the output folder
with a key over everything a plan reads — the bytes of every file in the data and templates
folders, the manifest's bytes, docgen's code, LibreOffice's version, the fonts, the folders and
the options — and what the plan said (how many outputs, the held notices). The next build with
the same key, and every output file of the manifest still carrying its recorded hash, prints
that answer without loading anything else.

It is not a second change detector: the key is content, never sizes or times, so any changed
byte anywhere a plan looks makes the full plan run; and a record is only written from a plan
that found nothing to do. This module uses the standard library only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .config import ProjectConfig
from .errors import DocgenError

RECORD_NAME = ".docgen-uptodate.json"
MANIFEST_NAME = ".docgen-manifest.json"  # = manifest.MANIFEST_NAME (that module imports pydantic)
RECORD_VERSION = 1


@dataclass(frozen=True)
class UpToDate:
    """What a build that finds nothing to do reports: the outputs and the held notices."""

    outputs: int
    held: list[str]


def _tree(digest: hashlib._Hash, folder: Path, out_dir: Path) -> None:
    """Names and bytes of every file under `folder` (the output folder's own files aside)."""
    digest.update(str(folder).encode() + b"\0")
    if not folder.is_dir():
        digest.update(b"\0none")
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_relative_to(out_dir)):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")


def state_key(config: ProjectConfig, options: dict[str, object]) -> str:
    """sha256 over everything a plan of `config` with `options` reads (see the module doc)."""
    from .versions import tools_fingerprint

    digest = hashlib.sha256()
    digest.update(json.dumps({"options": options, "tools": tools_fingerprint(config.settings, bool(options["pdf"])),
                              "out": str(config.out_dir)}, sort_keys=True).encode())
    _tree(digest, config.data_dir, config.out_dir)
    _tree(digest, config.templates_dir, config.out_dir)
    try:
        digest.update((config.out_dir / MANIFEST_NAME).read_bytes())
    except OSError:
        digest.update(b"\0no manifest")
    return digest.hexdigest()


def _outputs_intact(out_dir: Path) -> int | None:
    """The number of outputs in the manifest when every file it lists has its recorded hash."""
    try:
        manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        outputs = manifest["outputs"]
        for entry in outputs.values():
            files = entry["files"]
            if not files:
                return None
            for rel, sha in files.items():
                if hashlib.sha256((out_dir / rel).read_bytes()).hexdigest() != sha:
                    return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return len(outputs)


def check(config: ProjectConfig, options: dict[str, object]) -> UpToDate | None:
    """The recorded answer when nothing a plan reads has changed since it was recorded, else None."""
    try:
        record = json.loads((config.out_dir / RECORD_NAME).read_text(encoding="utf-8"))
        if record.get("version") != RECORD_VERSION:
            return None
        key, outputs, held = record["key"], int(record["outputs"]), [str(h) for h in record["held"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    try:
        if key != state_key(config, options):
            return None
    except (OSError, DocgenError):
        return None  # the full plan names the problem
    if _outputs_intact(config.out_dir) != outputs:
        return None
    return UpToDate(outputs=outputs, held=held)


def remember(config: ProjectConfig, options: dict[str, object], answer: UpToDate) -> None:
    """Record `answer` for the content as it is now (see check)."""
    from .outputs import write_atomic

    body = {"version": RECORD_VERSION, "key": state_key(config, options), "outputs": answer.outputs,
            "held": answer.held}
    with contextlib.suppress(DocgenError, OSError):  # without the record the next no-op only plans in full
        write_atomic(config.out_dir / RECORD_NAME, (json.dumps(body, ensure_ascii=False) + "\n").encode("utf-8"))


def forget(config: ProjectConfig) -> None:
    """Remove the record (a build is about to change the output folder)."""
    with contextlib.suppress(OSError):
        (config.out_dir / RECORD_NAME).unlink(missing_ok=True)
