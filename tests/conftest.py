"""Shared fixtures: a small, fully known data set and a CLI runner."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
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
    """Write the mini data set into `folder`, with some files replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**MINI, **overrides}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


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
    return dest


def _work_dirs() -> set[str]:
    """docgen's work folders, and the sockets of the LibreOffice pipes its workers listen on."""
    return ({p.name for p in Path(tempfile.gettempdir()).glob("docgen-*")}
            | {p.name for p in Path("/tmp").glob("OSL_PIPE_*_docgen-*")})


def _converter_processes() -> set[str]:
    """LibreOffice and converter workers started by docgen (their command lines name a docgen profile)."""
    found = set()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if b"docgen-lo-profile-" in cmdline or b"fake_worker.py" in cmdline or b"fake-soffice" in cmdline:
            shown = cmdline.replace(bytes(1), b" ")[:120].decode("utf-8", "replace")
            found.add(f"{proc.name}: {shown}")
    return found


@pytest.fixture(autouse=True)
def leaves_nothing_behind(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test: no docgen work folder, LibreOffice process or temporary output file is left over."""
    from docgen.record import TEMP_PREFIX

    dirs, procs = _work_dirs(), _converter_processes()
    yield
    deadline = time.monotonic() + 5
    while (_converter_processes() - procs) and time.monotonic() < deadline:
        time.sleep(0.05)  # a worker told to stop may take a moment to exit
    assert not (_converter_processes() - procs), "processes left running"
    assert not (_work_dirs() - dirs), "work folders left in the temporary folder"
    tmp = request.node.funcargs.get("tmp_path")
    if tmp is not None:
        assert not list(Path(tmp).rglob(f"{TEMP_PREFIX}*")), "temporary output files left behind"


def have_soffice() -> bool:
    return shutil.which("soffice") is not None


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdffonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden text files")
