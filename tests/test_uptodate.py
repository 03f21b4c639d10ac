"""A build with nothing to do answers from the record of the last one, keyed by content: any
changed byte of the data, templates, manifest or outputs, or other options, plan in full."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TEMPLATES, write_mini

import docgen
from docgen.uptodate import RECORD_NAME


def _built(tmp_path: Path) -> docgen.Project:
    """The mini data set with its own copy of the templates, built as DOCX only (no LibreOffice)."""
    write_mini(tmp_path / "data")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    (tmp_path / "docgen.toml").write_text('[project]\ntemplates = "templates"\n', encoding="utf-8")
    project = docgen.Project.load(tmp_path)
    result = project.build(project.plan(project.validate(), pdf=False))
    assert result.ok and result.made
    return project


def test_after_a_build_the_answer_is_known_without_planning(tmp_path: Path) -> None:
    project = _built(tmp_path)
    done = project.up_to_date(pdf=False)
    assert done is not None
    plan = project.plan(project.validate(), pdf=False)
    assert not plan.todo and done.outputs == len(plan.outputs) and done.held == plan.held_lines()
    assert project.up_to_date() is None, "answered for PDFs, which were never made"
    assert project.up_to_date(pdf=False, draft=True) is None


@pytest.mark.parametrize("change", ["data byte", "new data file", "template byte", "output altered",
                                    "output altered, its time set back", "output removed", "manifest edited"])
def test_any_change_a_plan_would_see_makes_it_plan_again(tmp_path: Path, change: str) -> None:
    project = _built(tmp_path)
    out = tmp_path / "out"
    contract = next(out.rglob("*运维外包服务合同.docx"))
    if change == "data byte":
        client = tmp_path / "data/client.yaml"
        client.write_text(client.read_text(encoding="utf-8").replace("陈立", "陈力"), encoding="utf-8")
    elif change == "new data file":
        (tmp_path / "data/policy").mkdir()
        (tmp_path / "data/policy/notes.txt").write_text("x", encoding="utf-8")
    elif change == "template byte":
        nda = tmp_path / "templates/contracts/nda.docx"
        nda.write_bytes(nda.read_bytes() + b"\0")
    elif change == "output altered":
        contract.write_bytes(contract.read_bytes()[:-1] + b"\1")
    elif change == "output altered, its time set back":
        st = contract.stat()
        contract.write_bytes(contract.read_bytes()[:-1] + b"\1")  # same size
        os.utime(contract, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert contract.stat().st_mtime_ns == st.st_mtime_ns
    elif change == "output removed":
        contract.unlink()
    else:
        manifest = out / ".docgen-manifest.json"
        body = json.loads(manifest.read_text(encoding="utf-8"))
        body["tools"]["docgen"] = "0.0.0+other"
        manifest.write_text(json.dumps(body), encoding="utf-8")
    assert project.up_to_date(pdf=False) is None


def test_a_build_that_makes_something_forgets_the_answer_until_it_is_done(tmp_path: Path) -> None:
    project = _built(tmp_path)
    record = tmp_path / "out" / RECORD_NAME
    assert record.is_file()
    client = tmp_path / "data/client.yaml"
    client.write_text(client.read_text(encoding="utf-8").replace("陈立", "陈力"), encoding="utf-8")
    plan = project.plan(project.validate(), pdf=False)
    assert plan.todo
    one = [project.documents(plan.dataset)[0]]
    partial = project.plan(plan.dataset, only=one, pdf=False, force=True)
    project.build(partial)
    assert not record.exists(), "a partial build left the old answer"
    assert project.up_to_date(pdf=False) is None
    project.build(plan)
    assert project.up_to_date(pdf=False) is not None


def test_the_answer_does_not_load_the_pipeline(tmp_path: Path) -> None:
    _built(tmp_path)
    code = ("import sys, docgen; p = docgen.Project.load(sys.argv[1]); done = p.up_to_date(pdf=False); "
            "print(done is not None, sorted(m for m in ('pydantic', 'docxtpl', 'docgen.models', 'ruamel.yaml') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True,
                         env=os.environ.copy(), timeout=60)
    assert out.stdout.split("\n")[0] == "True []", out.stdout + out.stderr
