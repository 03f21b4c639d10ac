"""Write into the output folder safely: atomic writes (temporary file, fsync, rename), paths that
cannot leave the folder, one build at a time (a lock), and private work folders.

The manifest of what was made from what is manifest.py."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

TEMP_PREFIX = ".docgen-tmp-"


def safe_target(out_dir: Path, relative: str) -> Path:
    """Resolve `relative` inside `out_dir`, refusing anything that would leave it."""
    root = out_dir.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or target == root:
        raise OutputError(f"refusing to write {relative!r}: it would land outside {out_dir}")
    return target


def _read_umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _read_umask()  # read once at import, while only one thread runs: setting it races with other threads


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
        os.fchmod(fd, 0o666 & ~UMASK)
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
    except BaseException:  # Ctrl-C or SIGTERM in the middle of a write: no temporary file stays
        Path(tmp).unlink(missing_ok=True)
        raise


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
