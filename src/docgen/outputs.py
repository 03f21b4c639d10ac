"""Write into the output folder safely: atomic writes (temporary file, fsync, rename), paths that
cannot leave the folder, one build at a time (a lock), and private work folders.

The manifest of what was made from what is manifest.py."""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError
from .i18n import N_, _

TEMP_PREFIX = ".docgen-tmp-"

# What the system says when a file cannot be written or read, for the reader who does not read
# English (the system's own text, e.strerror, is English: Python does not follow LC_MESSAGES).
OS_REASONS = {
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EROFS: N_("Read-only file system"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EDQUOT: N_("Disk quota exceeded"),
    errno.ENOENT: N_("No such file or directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EISDIR: N_("Is a directory"),
    errno.EEXIST: N_("File exists"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.EIO: N_("Input/output error"),
}


def os_reason(e: OSError) -> str:
    """Why a file operation failed, in the reader's language: the system's text (e.strerror) in
    English, its translation where docgen has one."""
    own = e.strerror or str(e)
    known = OS_REASONS.get(e.errno) if e.errno is not None else None
    if known is None:
        return own
    translated = _(known)
    return translated if translated != known else own


def safe_target(out_dir: Path, relative: str) -> Path:
    """Resolve `relative` inside `out_dir`, refusing anything that would leave it."""
    root = out_dir.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or target == root:
        raise OutputError(_("refusing to write {path!r}: it would land outside {folder}").format(
            path=relative, folder=out_dir))
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
        raise OutputError(_("cannot write to {folder}: {reason}").format(folder=path.parent,
                                                                           reason=os_reason(e))) from e
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
        raise OutputError(_("cannot write {path}: {reason}").format(path=path, reason=os_reason(e))) from e
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
        raise OutputError(_("cannot write to {folder}: {reason}").format(folder=out_dir, reason=os_reason(e))) from e
    try:
        deadline = time.monotonic() + (timeout if wait else 0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _lock_holder(os.pread(fd, 200, 0).decode("utf-8", "replace").strip())
                    raise OutputError(_("{folder} is locked by {holder}; waited {seconds:.0f} s").format(
                        folder=out_dir, holder=holder, seconds=timeout if wait else 0)) from None
                time.sleep(0.2)
        # the same words in every language: the build that waits reads them (see _lock_holder)
        stamp = f"pid {os.getpid()} on {socket.gethostname()} since {time.strftime('%Y-%m-%d %H:%M:%S')}"
        os.ftruncate(fd, 0)
        os.pwrite(fd, stamp.encode(), 0)
        yield
    finally:
        os.close(fd)


_STAMP = re.compile(r"pid (\d+) on (.*) since (.+)")


def _lock_holder(stamp: str) -> str:
    """Who holds an output folder's lock, from the stamp it wrote there, in the reader's language."""
    found = _STAMP.fullmatch(stamp)
    if found is None:
        return stamp or _("another process")
    return _("pid {pid} on {host} since {since}").format(pid=found.group(1), host=found.group(2),
                                                         since=found.group(3))
