"""A plain (non-editable) `pip install` carries the templates, the font configuration and the message
catalog."""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_DATA, Spawner, have_soffice

pytestmark = [pytest.mark.soffice, pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")]


def test_a_plain_install_builds_the_sample_data_from_another_folder(tmp_path: Path, spawn: Spawner):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("src", "templates", "pyproject.toml", "README.md"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name)
    target = tmp_path / "site"
    spawn.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(source)],
              check=True, timeout=600)
    shutil.rmtree(source)  # nothing may be read from the source tree
    work = tmp_path / "elsewhere"
    shutil.copytree(SAMPLE_DATA, work / "data")
    # -S: no .pth files, so this checkout's editable install does not shadow the plain one
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(target), sysconfig.get_paths()["purelib"]]))
    where = spawn.run([sys.executable, "-S", "-c", "import docgen; print(docgen.__file__); print(docgen.Project)"],
                      cwd=work, env=env, check=True, timeout=120)
    assert where.stdout.splitlines()[0].startswith(str(target))
    assert where.stdout.splitlines()[1] == "<class 'docgen.project.Project'>"
    missing = spawn.run([sys.executable, "-S", "-m", "docgen.cli", "build", "--dry-run"], cwd=work, env=env,
                        timeout=120)
    assert missing.returncode == 1 and "template not found" in missing.stderr and "templates init" in missing.stderr
    init = spawn.run([sys.executable, "-S", "-m", "docgen.cli", "templates", "init"], cwd=work, env=env, timeout=120)
    assert init.returncode == 0 and "12 templates copied" in init.stdout, init.stdout + init.stderr
    # the Chinese catalog travels with the code too
    again = spawn.run([sys.executable, "-S", "-m", "docgen.cli", "templates", "init", "--lang", "zh"], cwd=work,
                      env=env, timeout=120)
    assert again.returncode == 0 and "已复制 0 个模板到 templates。" in again.stdout, again.stdout + again.stderr
    run = spawn.run([sys.executable, "-S", "-m", "docgen.cli", "build", "--data", "data", "--out", "out"],
                    cwd=work, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "68 made" in run.stderr + run.stdout
    assert len(list((work / "out").rglob("*.pdf"))) == 68
