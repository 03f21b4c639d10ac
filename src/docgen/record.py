"""Record outputs: atomic writes (temporary file, fsync, rename) and the manifest of inputs → outputs."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import OutputError

TEMP_PREFIX = ".docgen-tmp-"


def safe_target(out_dir: Path, relative: str) -> Path:
    """Resolve `relative` inside `out_dir`, refusing anything that would leave it."""
    root = out_dir.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or target == root:
        raise OutputError(f"refusing to write {relative!r}: it would land outside {out_dir}")
    return target


def _umask() -> int:
    """The process's umask (read by setting it and putting it back, once)."""
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return _UMASK


_UMASK: int | None = None


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so readers see the old file or the new one, never a part.

    The file gets the permissions any new file gets under the umask (0644 under the usual 022),
    not the 0600 of a private temporary file, so colleagues on a shared folder can open it.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    except OSError as e:
        raise OutputError(f"cannot write to {path.parent}: {e.strerror}") from e
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {e.strerror}") from e


def clean_temp_files(out_dir: Path) -> int:
    """Remove temporary files an interrupted run left behind; return how many."""
    removed = 0
    if out_dir.is_dir():
        for leftover in out_dir.rglob(f"{TEMP_PREFIX}*"):
            leftover.unlink(missing_ok=True)
            removed += 1
    return removed


WORK_DIR_PREFIX = "docgen-"
_WORK_DIR = re.compile(r"docgen-[a-z-]+?-(\d+)-[^/]+$")


def work_dir(kind: str) -> Path:
    """A private folder in the system's temporary folder, named after this process so that a
    later run can remove it if this one is killed (see remove_stale_work_dirs)."""
    return Path(tempfile.mkdtemp(prefix=f"{WORK_DIR_PREFIX}{kind}-{os.getpid()}-"))


_PIPE_FILE = re.compile(r"OSL_PIPE_\d+_docgen-(\d+)-")


def remove_stale_work_dirs() -> int:
    """Remove the work folders (and LibreOffice's pipe sockets) of docgen processes that no longer
    exist; return how many."""
    removed = 0
    places = [(p, _WORK_DIR) for p in Path(tempfile.gettempdir()).glob(f"{WORK_DIR_PREFIX}*")]
    places += [(p, _PIPE_FILE) for p in Path("/tmp").glob("OSL_PIPE_*_docgen-*")]
    for path, pattern in places:
        found = pattern.match(path.name)
        if found is None:
            continue
        owner = int(found.group(1))
        if owner == os.getpid() or Path(f"/proc/{owner}").exists():
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed += 1
    return removed


# --------------------------------------------------------------------------- manifest

MANIFEST_NAME = ".docgen-manifest.json"
MANIFEST_VERSION = 1


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


def page_text_hashes(pdf: bytes) -> list[str]:
    """sha256 of each page's text, as manifests of earlier versions (whose PDFs were not
    byte-repeatable) recorded their PDFs; `docgen verify` still reads them.

    Uses poppler's pdftotext when present (fast, C); pypdf otherwise. Whitespace is collapsed so
    only the words count.
    """
    import shutil
    import subprocess

    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, timeout=120)
        if out.returncode == 0:
            pages = out.stdout.decode("utf-8", "replace").split("\f")
            if pages and not pages[-1].strip():
                pages = pages[:-1]
            return [sha256(" ".join(p.split()).encode("utf-8")) for p in pages]
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    return [sha256(" ".join((page.extract_text() or "").split()).encode("utf-8")) for page in reader.pages]


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def normalize_docx(data: bytes) -> bytes:
    """Give every member of a freshly written DOCX the same fixed date and permissions, in place.

    The members' order and compressed bytes already depend only on the content; the date is
    the one thing that changes from run to run. Rewriting the headers instead of the archive
    saves decompressing and compressing every part again.
    """
    import struct
    import zipfile
    from io import BytesIO

    out = bytearray(data)
    with zipfile.ZipFile(BytesIO(data)) as z:
        infos = z.infolist()
        central = z.start_dir  # type: ignore[attr-defined]
    year, month, day, hour, minute, second = FIXED_ZIP_TIME
    dos_time = (hour << 11) | (minute << 5) | (second // 2)
    dos_date = ((year - 1980) << 9) | (month << 5) | day
    for info in infos:
        if out[info.header_offset:info.header_offset + 4] != b"PK\x03\x04":
            raise ValueError("unexpected ZIP layout")
        struct.pack_into("<HH", out, info.header_offset + 10, dos_time, dos_date)
    pos = central
    for _ in infos:
        if out[pos:pos + 4] != b"PK\x01\x02":
            raise ValueError("unexpected ZIP layout")
        struct.pack_into("<HH", out, pos + 12, dos_time, dos_date)
        struct.pack_into("<I", out, pos + 38, 0o644 << 16)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, pos + 28)
        pos += 46 + name_len + extra_len + comment_len
    return bytes(out)


@dataclass
class Manifest:
    """Per output: the hashes of exactly the inputs it was made from, and of the files made."""

    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    tools: dict[str, str] = field(default_factory=dict)
    snapshot: dict[str, Any] | None = None  # see take_snapshot: set by full builds only

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = out_dir / MANIFEST_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict) or raw.get("version") != MANIFEST_VERSION:
            return cls()
        snapshot = raw.get("snapshot")
        return cls(outputs=raw.get("outputs", {}), tools=raw.get("tools", {}),
                   snapshot=snapshot if isinstance(snapshot, dict) else None)

    def save(self, out_dir: Path) -> None:
        body: dict[str, Any] = {"version": MANIFEST_VERSION, "tools": self.tools,
                                "outputs": {k: self.outputs[k] for k in sorted(self.outputs)}}
        if self.snapshot is not None:
            body["snapshot"] = self.snapshot
        write_atomic(out_dir / MANIFEST_NAME, (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def changed_inputs(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Labels of inputs that differ between two runs (added, removed or changed)."""
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


def outputs_intact(out_dir: Path, entry: dict[str, Any]) -> bool:
    """True when every file the manifest lists exists with the recorded hash."""
    files = entry.get("files", {})
    if not files:
        return False
    for rel, digest in files.items():
        path = out_dir / rel
        if not path.is_file() or file_hash(path) != digest:
            return False
    return True


LOCK_NAME = ".docgen.lock"


@contextmanager
def output_lock(out_dir: Path, *, timeout: float = 30.0, wait: bool = True) -> Iterator[None]:
    """Hold an exclusive lock on `out_dir` so two builds never write into it at once."""
    import fcntl
    import socket

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise OutputError(f"cannot write to {out_dir}: {e.strerror}") from e
    try:
        deadline = time.monotonic() + (timeout if wait else 0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
                    raise OutputError(f"{out_dir} is locked by {holder}; waited {timeout:.0f} s") from None
                time.sleep(0.2)
        stamp = f"pid {os.getpid()} on {socket.gethostname()} since {time.strftime('%Y-%m-%d %H:%M:%S')}"
        os.ftruncate(fd, 0)
        os.pwrite(fd, stamp.encode(), 0)
        yield
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- snapshot

def _stat_key(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _tree(folder: Path) -> dict[str, list[int] | None]:
    found: dict[str, list[int] | None] = {}
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            found[path.relative_to(folder).as_posix()] = _stat_key(path)
    return found


def source_stats(data_dir: Path) -> dict[str, Any]:
    """Size and modification time of every file in the data folder, taken before they are read,
    so that an edit made while a build runs is seen by the next one."""
    return {"data_dir": str(data_dir.resolve()), "data": _tree(data_dir)}


def file_stats(paths: set[Path]) -> dict[str, list[int] | None]:
    """Size and modification time of each of `paths`, by absolute path."""
    return {str(p.resolve()): _stat_key(p) for p in sorted(paths)}


def take_snapshot(sources: dict[str, Any], out_dir: Path, manifest: Manifest, *, draft: bool) -> dict[str, Any]:
    """`sources` (source_stats, plus the templates' file_stats) with the outputs' sizes and times
    and the tool versions.

    Why: deciding that nothing changed normally means loading and validating every data file
    (about 0.3 s with Python's start-up and imports). When no file has moved since the last full
    build, `docgen build` can say so from these numbers alone; any difference sends it down the
    normal path, which compares content hashes.
    """
    return {**sources,
            "outputs": {rel: _stat_key(out_dir / rel)
                        for entry in manifest.outputs.values() for rel in entry.get("files", {})},
            "draft": draft, "tools": dict(manifest.tools)}


def unchanged_since_snapshot(data_dir: Path, out_dir: Path, *, draft: bool,
                             tools: dict[str, str] | None = None) -> int | None:
    """The number of outputs when no file has changed since the last full build; None otherwise."""
    manifest = Manifest.load(out_dir)
    snap = manifest.snapshot
    if not snap or snap.get("draft") != draft or snap.get("data_dir") != str(data_dir.resolve()):
        return None
    if _tree(data_dir) != snap.get("data"):
        return None
    for name, key in (snap.get("templates") or {}).items():
        if key is None or _stat_key(Path(name)) != key:
            return None
    outputs = snap.get("outputs") or {}
    if not outputs or any(key is None or _stat_key(out_dir / rel) != key for rel, key in outputs.items()):
        return None
    if tools is None:
        from .versions import tools_fingerprint

        tools = tools_fingerprint(pdf=True)
    if tools != snap.get("tools") or tools != manifest.tools:
        return None
    return len(manifest.outputs)
