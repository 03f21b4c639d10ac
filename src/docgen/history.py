"""Every version of every output, kept in the output folder's `.history/`, so no build loses an
earlier file and any earlier build can be listed and put back.

Layout of OUT/.history/:

    objects/<sha256>        each version of each file docgen wrote (or found there before replacing it)
    builds/<build id>.json  one record per build that made something: when, what it made and why,
                            and the files (path → sha256) and manifest the folder held after it
    values.json             the input values behind the input hashes of the manifests (so a later
                            build can say "迟到：500.00 → 800.00" instead of "deductions changed")

Why one content-addressed store: PDFs are byte-repeatable, so a version made twice is kept once,
and a record is a small list of hashes. Files are copied, not linked, so a document edited in
place in the output folder cannot change its kept versions.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from .errors import OutputError, RequestError
from .i18n import N_, _, ngettext
from .manifest import MANIFEST_NAME, Manifest, sha256
from .outputs import safe_target, write_atomic

HISTORY = ".history"
RECORD_VERSION = 1
# the reasons docgen itself gives a record: kept in English in the record, translated when shown
BEFORE_HISTORY = N_("the folder as found before history was kept")
RESTORE_OF = N_("restore of {build}")
_RESTORE = re.compile(r"restore of (\S+)")


class BuildRecord(BaseModel):
    """One build that changed the output folder."""

    version: int = RECORD_VERSION
    id: str
    at: str  # local time, "2026-12-01 16:40:12"
    made: list[str] = Field(default_factory=list)  # output ids
    reason: str = ""  # a reissue's reason, or what a restore put back
    files: dict[str, str] = Field(default_factory=dict)  # every file of the manifest after the build
    manifest: str = ""  # sha256 of the manifest after the build (in objects/)
    signed: list[str] = Field(default_factory=list)  # files of signed agreements' documents: never pruned
    changes: int = 0  # documents with a change list in this build
    notes: dict[str, str] = Field(default_factory=dict)  # 变更说明 and 修订对照 files of this build → sha256

    def line(self) -> str:
        """The record as `docgen history` lists it."""
        if self.made:
            what = ngettext("{n} document made", "{n} documents made", len(self.made)).format(n=len(self.made))
        elif self.reason.startswith("restore"):
            # TRANSLATORS: in a `docgen history` line: a build that put an earlier build's files back
            what = _("restore")
        else:
            # TRANSLATORS: in a `docgen history` line: a record of the folder that made nothing
            what = _("record")
        # TRANSLATORS: in a `docgen history` line, after "N documents made": how many have a 变更说明
        extra = _(", {n} with a change list").format(n=self.changes) if self.changes else ""
        # TRANSLATORS: in a `docgen history` line: the reason of a reissue or of a restore, at its end
        why = _(" ({reason})").format(reason=self.shown_reason()) if self.reason else ""
        return ngettext("{id}  {at}  {what}{extra}, {n} file in all{why}",
                        "{id}  {at}  {what}{extra}, {n} files in all{why}", len(self.files)).format(
            id=self.id, at=self.at, what=what, extra=extra, n=len(self.files), why=why)

    def shown_reason(self) -> str:
        """The reason in the reader's language when docgen gave it (a reissue's is the user's own)."""
        if self.reason == BEFORE_HISTORY:
            return _(BEFORE_HISTORY)
        restored = _RESTORE.fullmatch(self.reason)
        if restored:
            return _(RESTORE_OF).format(build=restored.group(1))
        return self.reason


def folder(out_dir: Path) -> Path:
    return out_dir / HISTORY


def _objects(out_dir: Path) -> Path:
    return folder(out_dir) / "objects"


def keep_bytes(out_dir: Path, data: bytes) -> str:
    """Store `data` (once) and return its sha256."""
    digest = sha256(data)
    target = _objects(out_dir) / digest
    if not target.exists():
        write_atomic(target, data)
    return digest


def keep_file(out_dir: Path, path: Path) -> str | None:
    """Store the file at `path` before it is replaced; its sha256, or None when there is none."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return keep_bytes(out_dir, data)


def kept(out_dir: Path, digest: str) -> bytes | None:
    try:
        return (_objects(out_dir) / digest).read_bytes()
    except OSError:
        return None


def builds(out_dir: Path) -> list[BuildRecord]:
    """The recorded builds of `out_dir`, oldest first (unreadable records are skipped)."""
    records = []
    for path in (folder(out_dir) / "builds").glob("*.json"):
        try:
            records.append(BuildRecord.model_validate_json(path.read_bytes()))
        except (OSError, ValidationError):
            continue
    return sorted(records, key=_order)


def _order(record: BuildRecord) -> tuple[str, int, int]:
    """Ids sort by time, then by their count within a second ("…-2"); a "…-before" record comes
    before the build it was made for."""
    found = re.fullmatch(r"(\d{8}-\d{6})(?:-(\d+))?(-before)?", record.id)
    if found is None:
        return (record.id, 0, 0)
    return (found.group(1), int(found.group(2) or 1), 0 if found.group(3) else 1)


def find(out_dir: Path, build_id: str) -> BuildRecord:
    """The build `build_id` ("latest", a full id, or the unique start of one)."""
    records = builds(out_dir)
    if not records:
        raise RequestError(_("{folder} has no recorded builds (.history/builds is empty)").format(folder=out_dir))
    if build_id == "latest":
        return records[-1]
    matches = [r for r in records if r.id == build_id] or [r for r in records if r.id.startswith(build_id)]
    if len(matches) != 1:
        known = ", ".join(r.id for r in records[-5:])
        if matches:
            message = _("{build!r} matches several builds of {folder}; the latest: {known} (docgen history lists "
                        "them)")
        else:
            message = _("{build!r} is not a recorded build of {folder}; the latest: {known} (docgen history lists "
                        "them)")
        raise RequestError(message.format(build=build_id, folder=out_dir, known=known))
    return matches[0]


def _new_id(out_dir: Path) -> str:
    """A build id after every recorded one: the time, and "-N" for the N-th build in one second."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    same = [_order(r)[1] for r in builds(out_dir) if _order(r)[0] == stamp]
    return stamp if not same else f"{stamp}-{max(same) + 1}"


def _write_record(out_dir: Path, record: BuildRecord) -> None:
    write_atomic(folder(out_dir) / "builds" / f"{record.id}.json",
                 (record.model_dump_json(indent=1) + "\n").encode("utf-8"))


def keep_before(out_dir: Path, manifest: Manifest, replaced: list[str]) -> None:
    """Before a build replaces the files of `replaced` (output ids): keep their current versions,
    and when the folder has no recorded build yet (made before it kept history), record the
    folder as it is, so even the first build's predecessors stay retrievable."""
    if not manifest.outputs:
        return
    first = not builds(out_dir)
    outputs = manifest.outputs if first else {k: manifest.outputs[k] for k in replaced if k in manifest.outputs}
    files: dict[str, str] = {}
    for entry in outputs.values():
        for rel, digest in entry.files.items():
            path = out_dir / rel
            if path.is_file() and (_objects(out_dir) / digest).exists():
                files[rel] = digest
                continue
            found = keep_file(out_dir, path)
            if found is not None:
                files[rel] = found
    if first:
        body = (out_dir / MANIFEST_NAME).read_bytes() if (out_dir / MANIFEST_NAME).is_file() else b""
        record = BuildRecord(id=_new_id(out_dir) + "-before", at=time.strftime("%Y-%m-%d %H:%M:%S"),
                             reason=BEFORE_HISTORY, files=files,
                             manifest=keep_bytes(out_dir, body) if body else "")
        _write_record(out_dir, record)


def record_build(out_dir: Path, manifest: Manifest, made: list[str], *, reason: str = "",
                 signed: list[str] = (), changes: int = 0, keep: int = 0) -> BuildRecord:  # type: ignore[assignment]
    """Keep every file the manifest lists (new versions are stored once) and record the build;
    then prune to the last `keep` builds (0: keep all)."""
    files: dict[str, str] = {}
    for entry in manifest.outputs.values():
        for rel, digest in entry.files.items():
            if not (_objects(out_dir) / digest).exists():
                found = keep_file(out_dir, out_dir / rel)
                if found is None:
                    continue
                digest = found
            files[rel] = digest
    body = (out_dir / MANIFEST_NAME).read_bytes() if (out_dir / MANIFEST_NAME).is_file() else b""
    record = BuildRecord(id=_new_id(out_dir), at=time.strftime("%Y-%m-%d %H:%M:%S"), made=sorted(made),
                         reason=reason, files=files, manifest=keep_bytes(out_dir, body) if body else "",
                         signed=sorted(set(signed) & set(files)), changes=changes)
    _write_record(out_dir, record)
    if keep:
        prune(out_dir, keep)
    return record


def export(out_dir: Path, build_id: str, path: str, dest: Path) -> tuple[BuildRecord, str, Path]:
    """Write the version of the file `path` (relative to the output folder; the unique end of a
    path will do, e.g. "CH-YW-2026-001_运维外包服务合同.pdf") that build `build_id` left to `dest`
    (a file, or a folder to put it in under its own name)."""
    record = find(out_dir, build_id)
    files = {**record.files, **record.notes}
    matches = [rel for rel in files if rel == path] or [rel for rel in files if rel.endswith("/" + path)
                                                        or rel.endswith(path)]
    if len(matches) != 1:
        shown = "; ".join(sorted(matches)[:5]) if matches else _("none")
        raise RequestError(ngettext("build {build} holds {n} file matching {path!r} ({shown}); give more of the "
                                    "path (docgen history show BUILD lists them)",
                                    "build {build} holds {n} files matching {path!r} ({shown}); give more of the "
                                    "path (docgen history show BUILD lists them)", len(matches)).format(
            build=record.id, n=len(matches), path=path, shown=shown))
    rel = matches[0]
    data = kept(out_dir, files[rel])
    if data is None:
        raise OutputError(_("the version of {file} that build {build} left is gone from {folder}").format(
            file=rel, build=record.id, folder=_objects(out_dir)))
    target = dest / Path(rel).name if dest.is_dir() else dest
    write_atomic(target, data)
    return record, rel, target


def add_notes(out_dir: Path, record: BuildRecord, files: list[Path]) -> BuildRecord:
    """Keep the change list and redlines a build wrote with its record."""
    notes = dict(record.notes)
    for path in files:
        digest = keep_file(out_dir, path)
        if digest is not None:
            notes[path.relative_to(out_dir).as_posix()] = digest
    updated = record.model_copy(update={"notes": notes})
    _write_record(out_dir, updated)
    return updated


def prune(out_dir: Path, keep: int) -> int:
    """Forget all but the last `keep` builds and remove the versions no kept build and no signed
    document needs. Returns how many stored versions were removed."""
    records = builds(out_dir)
    if keep <= 0 or len(records) <= keep:
        return 0
    ledger = folder(out_dir) / "signed.json"  # versions of signed documents whose builds are forgotten
    try:
        needed: set[str] = set(json.loads(ledger.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        needed = set()
    for r in records:  # a signed document's versions are kept whatever the retention
        needed.update(r.files[rel] for rel in r.signed if rel in r.files)
    write_atomic(ledger, (json.dumps(sorted(needed)) + "\n").encode())
    for old in records[:-keep]:
        (folder(out_dir) / "builds" / f"{old.id}.json").unlink(missing_ok=True)
    for r in records[-keep:]:
        needed.update(r.files.values())
        needed.update(r.notes.values())
        needed.add(r.manifest)
    removed = 0
    for path in _objects(out_dir).glob("*"):
        if path.name not in needed and len(path.name) == 64:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def restore(out_dir: Path, build_id: str) -> tuple[BuildRecord, list[str]]:
    """Put the files and the manifest of build `build_id` back into `out_dir`; the files they
    replace are kept first (the restore is itself a recorded build, so it can be undone).
    Returns the build and the files written. Files made by later builds are left where they are."""
    record = find(out_dir, build_id)
    missing = [rel for rel, digest in record.files.items() if not (_objects(out_dir) / digest).exists()]
    if missing:
        raise OutputError(ngettext("build {build} cannot be restored: {n} kept file is gone from {folder}, "
                                   "e.g. {file}",
                                   "build {build} cannot be restored: {n} kept files are gone from {folder}, "
                                   "e.g. {file}", len(missing)).format(
            build=record.id, n=len(missing), folder=_objects(out_dir), file=missing[0]))
    current = Manifest.load(out_dir)
    keep_before(out_dir, current, list(current.outputs))
    written = []
    for rel, digest in sorted(record.files.items()):
        target = safe_target(out_dir, rel)
        if target.is_file() and sha256(target.read_bytes()) == digest:
            continue
        if target.is_file():
            keep_file(out_dir, target)
        data = kept(out_dir, digest)
        assert data is not None
        write_atomic(target, data)
        written.append(rel)
    if record.manifest:
        body = kept(out_dir, record.manifest)
        if body is not None:
            write_atomic(out_dir / MANIFEST_NAME, body)
    else:
        (out_dir / MANIFEST_NAME).unlink(missing_ok=True)
    _write_record(out_dir, BuildRecord(id=_new_id(out_dir), at=time.strftime("%Y-%m-%d %H:%M:%S"),
                                       reason=RESTORE_OF.format(build=record.id), files=dict(record.files),
                                       manifest=record.manifest,
                                       signed=record.signed))
    return record, written


# --------------------------------------------------------------------------- input values

def load_values(out_dir: Path) -> dict[str, Any]:
    try:
        raw = json.loads((folder(out_dir) / "values.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def save_values(out_dir: Path, values: dict[str, Any]) -> None:
    write_atomic(folder(out_dir) / "values.json",
                 (json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode())


def size(out_dir: Path) -> int:
    """Bytes the kept versions take."""
    total = 0
    for path in _objects(out_dir).glob("*"):
        with contextlib.suppress(OSError):
            total += os.stat(path).st_size
    return total
