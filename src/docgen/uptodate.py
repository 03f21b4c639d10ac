"""The answer to "is everything up to date?" kept under the content it was given for.

A no-op `docgen build` otherwise imports the whole pipeline (pydantic models alone take about
0.25 s), reads the data and plans every output: about 0.6 s for the sample. After every build
whose result is fully up to date, docgen writes `.docgen-uptodate.json` in the output folder
with a key over everything a plan reads — the bytes of every file in the data and templates
folders, the manifest's bytes, docgen's code, LibreOffice's version, the fonts, the folders, the
options and the language of the messages — and what the plan said (how many outputs, the held
notices). The next build with the same key prints that answer without loading anything else,
when every output file the manifest lists is still the file the plan found with its recorded
hash.

Inputs are compared by content, never by sizes or times, so any changed byte anywhere a plan
reads makes the full plan run. Output files, about 13 MB for the sample, are compared by their
kernel stamp (size, mtime, ctime, inode) taken when the plan had just checked their hashes:
hashing them again took 18 ms, most of what the record saves over the former stat snapshot,
and any write to a file changes its ctime, which no program can set back. A record is only
written after a plan that found nothing to do. This module uses the standard library only.
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
    from .i18n import messages_id
    from .versions import tools_fingerprint

    digest = hashlib.sha256()
    # the language too: the record keeps the held notices as they were printed, in that language
    digest.update(json.dumps({"options": options, "tools": tools_fingerprint(config.settings, bool(options["pdf"])),
                              "out": str(config.out_dir), "language": messages_id()}, sort_keys=True).encode())
    _tree(digest, config.data_dir, config.out_dir)
    _tree(digest, config.templates_dir, config.out_dir)
    try:
        digest.update((config.out_dir / MANIFEST_NAME).read_bytes())
    except OSError:
        digest.update(b"\0no manifest")
    return digest.hexdigest()


def _output_files(out_dir: Path) -> list[str] | None:
    """Every file the manifest lists (relative paths); None without a usable manifest."""
    try:
        manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        return sorted(rel for entry in manifest["outputs"].values() for rel in entry["files"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _stamp(path: Path) -> list[int]:
    """What the kernel says about a file: size, modification and change times, inode. The change
    time (ctime) moves with every write and cannot be set back by a program, so an unchanged
    stamp means unchanged content."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def check(config: ProjectConfig, options: dict[str, object]) -> UpToDate | None:
    """The recorded answer when nothing a plan reads has changed since it was recorded, else None."""
    try:
        record = json.loads((config.out_dir / RECORD_NAME).read_text(encoding="utf-8"))
        if record.get("version") != RECORD_VERSION:
            return None
        key, outputs, held = record["key"], int(record["outputs"]), [str(h) for h in record["held"]]
        stamps: dict[str, list[int]] = record["files"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    try:
        if key != state_key(config, options):
            return None
        if any(_stamp(config.out_dir / rel) != stamp for rel, stamp in stamps.items()):
            return None
    except (OSError, DocgenError):
        return None  # the full plan names the problem
    return UpToDate(outputs=outputs, held=held)


def remember(config: ProjectConfig, options: dict[str, object], answer: UpToDate) -> None:
    """Record `answer` for the content as it is now (see check). Called under the output lock
    right after a plan found every output file with its recorded hash: the files' stamps taken
    now stand for that content."""
    from .outputs import write_atomic

    files = _output_files(config.out_dir)
    if files is None:
        return
    try:
        stamps = {rel: _stamp(config.out_dir / rel) for rel in files}
    except OSError:
        return
    body = {"version": RECORD_VERSION, "key": state_key(config, options), "outputs": answer.outputs,
            "held": answer.held, "files": stamps}
    with contextlib.suppress(DocgenError, OSError):  # without the record the next no-op only plans in full
        write_atomic(config.out_dir / RECORD_NAME, (json.dumps(body, ensure_ascii=False) + "\n").encode("utf-8"))


def forget(config: ProjectConfig) -> None:
    """Remove the record (a build is about to change the output folder)."""
    with contextlib.suppress(OSError):
        (config.out_dir / RECORD_NAME).unlink(missing_ok=True)
