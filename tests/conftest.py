"""Shared fixtures: a small, fully known data set and a CLI runner; and the check that every test
cleans up after itself.

The session gets a private temporary folder (TMPDIR and tempfile.tempdir point to it from here on,
before docgen is imported), so docgen's work folders and LibreOffice profiles of this session, and
of every subprocess it starts, land there. The leftover check looks only at what this session made:
another docgen build or test run on the same machine is none of its business.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

# --- the session's private temporary folder (set before anything imports docgen) ---------------

SESSION_VAR = "DOCGEN_TEST_SESSION"  # inherited by every subprocess: marks the processes of this session
SYSTEM_TEMP = tempfile.gettempdir()
SESSION_TMP = Path(tempfile.mkdtemp(prefix="pytest-docgen-session-", dir=SYSTEM_TEMP)).resolve()
_SAVED_ENV = {name: os.environ.get(name) for name in ("TMPDIR", SESSION_VAR, "PYTEST_DEBUG_TEMPROOT", "DOCGEN_LANG")}
os.environ["TMPDIR"] = os.environ[SESSION_VAR] = str(SESSION_TMP)
# the tests read docgen's messages in English, whatever this machine's locale; tests/test_i18n.py
# (and any test that says `with i18n.use("zh")` or passes `--lang zh`) reads the Chinese ones
os.environ["DOCGEN_LANG"] = "en"
# pytest's tmp_path stays where pytest usually puts it (and is kept after the run, as usual)
os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", SYSTEM_TEMP)
tempfile.tempdir = str(SESSION_TMP)


def _remove_session_tmp() -> None:
    """The end of the session: its temporary folder goes, the environment is as it was."""
    shutil.rmtree(SESSION_TMP, ignore_errors=True)
    for name, value in _SAVED_ENV.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    tempfile.tempdir = None


atexit.register(_remove_session_tmp)  # also when no test ran (collection errors, --collect-only)

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"  # the project's templates (the checkout's own)
SAMPLE_DATA = ROOT / "data"

MINI = {
    "client.yaml": """\
client:
  name: 澄湖实业集团有限公司
  short_name: 澄湖集团
  uscc: 91320500MA1XYK2L3Q
  legal_rep: 周明远
  address: 江苏省澄湖市湖滨路88号
  city: 澄湖市
  department: 信息中心
  contact:
    name: 陈立
    phone: "0512-66001234"
  bank:
    bank: 中国工商银行澄湖分行
    account: "1102020109000012345"
""",
    "policy.yaml": """\
policy:
  version: "2026.1"
  effective_date: 2026-01-01
  title: 运维外包服务商管理办法
  deductions:
    monthly_cap_pct: 20
    rules:
      - code: late
        name: 迟到
        amount: 500.00
        unit: 人/次
        basis: 晚于规定上班时间到岗
      - code: absence
        name: 旷工
        amount: 2000.00
        unit: 人/次/天
        basis: 未请假且未到岗
  assessment:
    weights:
      - {key: sla, name: 服务质量, weight: 60}
      - {key: staffing, name: 人员管理, weight: 40}
    grades:
      - {name: 优秀, min_score: 90}
      - {name: 良好, min_score: 80}
      - {name: 合格, min_score: 60}
      - {name: 不合格, min_score: 0}
""",
    "vendors.yaml": """\
vendors:
  - id: hx
    name: 华信智维科技有限公司
    short_name: 华信智维
    uscc: 91320583MA27WQ8H0P
    legal_rep: 王建国
    address: 江苏省澄湖市科技园1号
    tier: 战略级
    categories: [硬件维护, 软件支持]
    qualifications: [ISO 9001]
    contact:
      name: 李强
      phone: "13800001111"
    bank:
      bank: 中国银行澄湖支行
      account: "6216600000000001"
""",
    "agreements.yaml": """\
agreements:
  - id: hx-2026
    contract_no: CH-YW-2026-001
    vendor: hx
    project_name: 信息系统运维外包服务
    signing_date: 2025-12-20
    signing_place: 澄湖市
    start: 2026-01-01
    end: 2026-12-31
    scope:
      - name: 服务器运维
        description: 机房服务器巡检与故障处理
    service_mode: 驻场
    fees:
      total: 1200000.00
      monthly: 100000.00
      payment:
        - {stage: 上半年, percent: 50, condition: 验收合格后30日内}
        - {stage: 下半年, percent: 50, condition: 验收合格后30日内}
    sla:
      service_window: 7×24
      availability_target_pct: 99.9
      availability_systems: [核心业务系统]
      levels:
        - level: P1
          name: 一级故障
          definition: 核心业务中断
          response: 15m
          arrival: 2h
          restore: 4h
          closure: 3d
    nda:
      liquidated_damages: 100000.00
    disputes:
      method: 诉讼
""",
    "staff.yaml": """\
staff:
  - id: s1
    name: 张伟
    vendor: hx
    agreement: hx-2026
    role: 系统运维工程师
    post_type: 7×24
    start_date: 2026-01-01
    phone: "13900000001"
    pledge_signed: true
    years_experience: 6
  - id: s2
    name: 刘洋
    vendor: hx
    agreement: hx-2026
    role: 网络工程师
    post_type: 5×8
    start_date: 2026-01-01
    phone: "13900000002"
    pledge_signed: true
    years_experience: 4
""",
    "leave.yaml": """\
leave:
  - id: L1
    staff: s1
    type: 事假
    start: 2026-10-12 09:00
    end: 2026-10-12 11:00
    hours: 2
    reason: 办理个人事务
    approved_by: 陈立
""",
    "changes.yaml": "changes: []\n",
    "tickets.csv": (
        "id,agreement,severity,category,system,summary,opened,responded,arrived,restored,closed,assignee,satisfaction\n"
        "INC-1,hx-2026,P1,硬件故障,核心业务系统,服务器宕机,2026-10-03 09:00,2026-10-03 09:10,"
        "2026-10-03 10:00,2026-10-03 12:00,2026-10-04 12:00,s1,5\n"
    ),
    "attendance.csv": "id,date,staff,kind,count,note\nA1,2026-10-05,s2,late,1,迟到20分钟\n",
}


def write_mini(folder: Path, **overrides: str) -> Path:
    """Write the mini data set into `folder`, with some files replaced, and make the folder
    above it a project whose templates are the checkout's (see use_checkout_templates)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**MINI, **overrides}.items():
        (folder / name).write_text(text, encoding="utf-8")
    use_checkout_templates(folder.parent)
    return folder


def use_checkout_templates(project: Path) -> Path:
    """A docgen.toml in `project` (unless it has one) pointing at the checkout's templates, as a
    user's project points at its own; a command's --templates still overrides it."""
    config = project / "docgen.toml"
    if not config.exists():
        config.write_text(f'[project]\ntemplates = "{TEMPLATES.as_posix()}"\n', encoding="utf-8")
    return config


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line number of the nth line containing `needle`."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[nth - 1]


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return write_mini(tmp_path / "data")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped sample data."""
    dest = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, dest)
    use_checkout_templates(tmp_path)
    return dest


# --- what this session started and made -------------------------------------------------------

# docgen's work folders: docgen-<kind>-<pid of the docgen process>-<8 random characters>
_WORK_DIR = re.compile(r"docgen-[a-z-]+?-(\d+)-[^/]+$")
# LibreOffice's socket for a UNO worker, always in /tmp: OSL_PIPE_<uid>_docgen-<pid>-<last 8 characters
# of the worker's profile folder name> (see _UnoProcess in docgen.convert)
PIPE_FOLDER = Path("/tmp")


def _work_dir_key(name: str) -> tuple[str, str] | None:
    """(pid, last 8 characters) of a work folder's name: what the pipe of a worker using it as
    its profile is named after."""
    found = _WORK_DIR.match(name)
    return (found.group(1), name[-8:]) if found else None


class _FolderWatch:
    """Every docgen work folder created anywhere below the watched folders, seen as it is made
    (inotify), so that one created and removed within a test is known too: a LibreOffice pipe
    socket left in /tmp is traced to a profile of this session by its name even when the
    profile is gone. Folders made below the watched ones are watched as they appear (a nested
    TMPDIR, e.g. tmp_path / "tmp"); docgen's own folders are not entered."""

    IN_MOVED_TO, IN_CREATE, IN_Q_OVERFLOW, IN_IGNORED = 0x80, 0x100, 0x4000, 0x8000
    IN_ONLYDIR, IN_ISDIR, IN_NONBLOCK, IN_CLOEXEC = 0x01000000, 0x40000000, 0o4000, 0o2000000
    _EVENT = struct.calcsize("iIII")  # struct inotify_event: int wd; uint32_t mask, cookie, len; char name[]

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.created: list[Path] = []  # in the order seen
        self.keys: set[tuple[str, str]] = set()
        self.blind = False  # inotify unavailable, or events lost: attribution not possible
        self._paths: dict[int, Path] = {}
        self._seen: set[Path] = set()
        try:
            self._libc = ctypes.CDLL(None, use_errno=True)
            self.fd = self._libc.inotify_init1(self.IN_NONBLOCK | self.IN_CLOEXEC)
        except (OSError, AttributeError):
            self.fd = -1
        if self.fd < 0:
            self.blind = True
            return
        self._stop_r, self._stop_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="docgen-test-folder-watch", daemon=True)
        self._thread.start()

    def add(self, folder: Path) -> None:
        with self.lock:
            self._watch_tree(folder)

    def sync(self) -> None:
        """Take in every event so far (inotify queues them as the folders are made)."""
        with self.lock:
            self._drain()

    def close(self) -> None:
        if self.fd >= 0:
            os.write(self._stop_w, b"x")
            self._thread.join(timeout=5)
            for fd in (self.fd, self._stop_r, self._stop_w):
                os.close(fd)
            self.fd = -1

    def _run(self) -> None:
        while True:
            ready, _, _ = select.select([self.fd, self._stop_r], [], [])
            if self._stop_r in ready:
                return
            self.sync()

    def _watch_tree(self, folder: Path) -> None:
        if self.fd < 0:
            return
        wd = self._libc.inotify_add_watch(self.fd, os.fsencode(folder),
                                          self.IN_CREATE | self.IN_MOVED_TO | self.IN_ONLYDIR)
        if wd < 0:
            if ctypes.get_errno() not in (2, 20):  # ENOENT, ENOTDIR: gone already, nothing was made in it
                self.blind = True  # ENOSPC (too many watches) and the like
            return
        self._paths[wd] = folder
        try:  # what was made before the watch began
            subfolders = [folder / e.name for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
        except OSError:
            return
        for sub in subfolders:
            self._saw_folder(sub)

    def _saw_folder(self, path: Path) -> None:
        key = _work_dir_key(path.name)
        if key is not None:
            if path not in self._seen:
                self._seen.add(path)
                self.created.append(path)
                self.keys.add(key)
        elif not path.name.startswith("docgen-"):  # docgen's cache folder and the like: not entered
            self._watch_tree(path)

    def _drain(self) -> None:
        while self.fd >= 0:
            try:
                buf = os.read(self.fd, 1 << 16)
            except (BlockingIOError, InterruptedError):
                return
            at = 0
            while at + self._EVENT <= len(buf):
                wd, mask, _cookie, size = struct.unpack_from("iIII", buf, at)
                name = buf[at + self._EVENT:at + self._EVENT + size].rstrip(b"\0")
                at += self._EVENT + size
                if mask & self.IN_Q_OVERFLOW:
                    self.blind = True
                elif mask & self.IN_IGNORED:
                    self._paths.pop(wd, None)
                elif mask & self.IN_ISDIR and wd in self._paths:
                    self._saw_folder(self._paths[wd] / os.fsdecode(name))


_STATE: dict[str, Any] = {"roots": [SESSION_TMP], "watch": None}


def session_processes() -> dict[str, str]:
    """Processes started from this session (pytest itself aside), as "pid: command line": their
    command line names something in the session's temporary folder or below pytest's base
    temporary folder (LibreOffice, docgen's workers, fake soffice and fake workers), or their
    environment carries the session's mark (anything else started from here)."""
    marks = [os.fsencode(root) + b"/" for root in _STATE["roots"]]
    env_mark = f"\0{SESSION_VAR}={SESSION_TMP}\0".encode()
    me = str(os.getpid())
    found = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or pid == me:
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
            if not cmdline:  # a zombie, or a kernel thread
                continue
            if not any(mark in cmdline for mark in marks):
                with open(f"/proc/{pid}/environ", "rb") as f:
                    if env_mark not in b"\0" + f.read():
                        continue
        except OSError:  # gone, or not ours to read
            continue
        shown = cmdline.replace(bytes(1), b" ")[:160].decode("utf-8", "replace").strip()
        found[pid] = f"{pid}: {shown}"
    return found


def _session_pipes() -> set[Path]:
    """LibreOffice pipe sockets of this session in /tmp: those named after a work folder this
    session made (see _FolderWatch). Looked up by name: /tmp may hold thousands of files. When
    that cannot be told, every docgen pipe socket there counts (as strict as can be)."""
    watch = _STATE["watch"]
    if watch is None or watch.blind:
        return set(PIPE_FOLDER.glob("OSL_PIPE_*_docgen-*"))
    watch.sync()
    with watch.lock:
        keys = list(watch.keys)
    uid = os.getuid()
    pipes = (PIPE_FOLDER / f"OSL_PIPE_{uid}_docgen-{pid}-{tail}" for pid, tail in keys)
    return {pipe for pipe in pipes if os.path.lexists(pipe)}


@functools.cache
def _temp_prefix() -> str:
    for module in ("docgen.outputs", "docgen.record"):  # the module was renamed once; either will do
        with contextlib.suppress(ImportError):
            return str(__import__(module, fromlist=["TEMP_PREFIX"]).TEMP_PREFIX)
    return ".docgen-tmp-"


@pytest.fixture(scope="session", autouse=True)
def _watch_session_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_FolderWatch]:
    """Watch the session's temporary folder and pytest's base temporary folder for docgen's
    work folders (see _FolderWatch)."""
    basetemp = tmp_path_factory.getbasetemp().resolve()
    _STATE["roots"] = [SESSION_TMP, basetemp]
    watch = _FolderWatch()
    for root in _STATE["roots"]:
        watch.add(root)
    _STATE["watch"] = watch
    yield watch
    _STATE["watch"] = None
    watch.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.failed:
        item.stash[_FAILED] = True
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def messages_in_english() -> Iterator[None]:
    """Every test starts with docgen's messages in English (a `--lang zh` of the test before it
    sets the language of the whole process), and leaves them so."""
    from docgen import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def leaves_nothing_behind(request: pytest.FixtureRequest, _watch_session_folders: _FolderWatch) -> Iterator[None]:
    """Every test: no work folder, LibreOffice process or pipe socket of this session, and no
    temporary output file in tmp_path, is left over. Whatever is left is removed afterwards, so
    the next test starts clean; after a test that failed already it is only named in a warning,
    so one failure stays one."""
    watch = _watch_session_folders
    watch.sync()
    procs, mark = session_processes(), len(watch.created)
    dirs, pipes = set(SESSION_TMP.glob("docgen-*")), _session_pipes()
    yield
    deadline = time.monotonic() + 5
    while True:
        now = session_processes()
        if not (now.keys() - procs.keys()) or time.monotonic() > deadline:
            break
        time.sleep(0.05)  # a worker told to stop may take a moment to exit
    left_procs = {pid: shown for pid, shown in now.items() if pid not in procs}
    watch.sync()
    left_dirs = {p for p in watch.created[mark:] if p.exists()} | (set(SESSION_TMP.glob("docgen-*")) - dirs)
    left_pipes = _session_pipes() - pipes
    tmp = request.node.funcargs.get("tmp_path")
    left_files = list(Path(tmp).rglob(f"{_temp_prefix()}*")) if tmp is not None else []
    for pid in left_procs:
        with contextlib.suppress(OSError):
            os.kill(int(pid), signal.SIGKILL)
    for path in left_dirs:
        shutil.rmtree(path, ignore_errors=True)
    for path in left_pipes:
        path.unlink(missing_ok=True)
    if request.node.stash.get(_FAILED, False):
        if left_procs or left_dirs or left_pipes:
            warnings.warn(f"{request.node.nodeid} failed and left {sorted(left_procs.values())}, "
                          f"{sorted(map(str, left_dirs | left_pipes))}: killed and removed", stacklevel=1)
        return
    assert not left_procs, f"processes left running: {sorted(left_procs.values())}"
    assert not left_dirs, f"work folders left in the temporary folder: {sorted(map(str, left_dirs))}"
    assert not left_pipes, (f"LibreOffice pipe sockets left in {PIPE_FOLDER}: {sorted(p.name for p in left_pipes)}"
                            + (" (this session's cannot be told from others')" if watch.blind else ""))
    assert not left_files, f"temporary output files left behind: {left_files}"


def pytest_unconfigure(config: pytest.Config) -> None:
    """The session's temporary folder goes at the end (and whatever still runs from this session)."""
    for pid in session_processes():
        with contextlib.suppress(OSError):
            os.kill(int(pid), signal.SIGKILL)
    _remove_session_tmp()


# --- subprocesses that die with their test ---------------------------------------------------

def _kill_group(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:  # its group is its pid only while it has not been reaped
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


class Spawner:
    """Starts subprocesses each in a process group (session) of its own; whatever of them still
    runs when the test ends, passed or failed, is killed with its group."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen[Any]] = []

    def popen(self, args: Sequence[str], **kwargs: Any) -> subprocess.Popen[Any]:
        kwargs.setdefault("start_new_session", True)
        proc = subprocess.Popen(args, **kwargs)
        self.started.append(proc)
        return proc

    def run(self, args: Sequence[str], *, timeout: float, check: bool = False, text: bool = True,
            **kwargs: Any) -> subprocess.CompletedProcess[Any]:
        """Like subprocess.run with capture_output: on a timeout the whole group is killed."""
        proc = self.popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=text, **kwargs)
        try:
            out, err = proc.communicate(timeout=timeout)
        finally:
            _kill_group(proc)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        if check:
            done.check_returncode()
        return done

    def kill_all(self) -> None:
        for proc in self.started:
            _kill_group(proc)


@pytest.fixture
def spawn() -> Iterator[Spawner]:
    spawner = Spawner()
    try:
        yield spawner
    finally:
        spawner.kill_all()


def have_soffice() -> bool:
    return shutil.which("soffice") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `soffice` need LibreOffice: skipped where it is not installed. The fast tier,
    `pytest -m "not soffice"`, is every other test."""
    if have_soffice():
        return
    skip = pytest.mark.skip(reason="LibreOffice is not installed")
    for item in items:
        if item.get_closest_marker("soffice") is not None:
            item.add_marker(skip)


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdffonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden text files")
