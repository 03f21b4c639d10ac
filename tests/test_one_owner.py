"""One output, one owner; and the user mistakes that used to end in a traceback or a silent loss."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINI, TEMPLATES, line_of, write_mini

from docgen.cli import cli
from docgen.errors import InputError, TemplateError
from docgen.plan import check_one_owner, documents
from docgen.validate import load_dataset


def problems_for(tmp_path: Path, **files: str) -> list[str]:
    folder = write_mini(tmp_path / "data", **files)
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    return [str(p) for p in exc.value.problems]


SECOND_VENDOR = MINI["vendors.yaml"] + """\
  - id: hx2
    name: 华信智维网络有限公司
    short_name: 华信智维
    uscc: 91320583MA27WQ8H0P
    legal_rep: 王建
    address: 江苏省澄湖市科技园2号
    tier: 常规级
    categories: [网络运维]
    qualifications: []
    contact:
      name: 李明
      phone: "13800002222"
    bank:
      bank: 中国银行澄湖支行
      account: "6216600000000002"
"""


def test_two_vendors_with_one_short_name_are_refused_at_the_second(tmp_path: Path):
    found = problems_for(tmp_path, **{"vendors.yaml": SECOND_VENDOR})
    line = line_of(SECOND_VENDOR, "short_name: 华信智维", 2)
    first = line_of(SECOND_VENDOR, "short_name: 华信智维", 1)
    assert any(p.startswith(f"{tmp_path}/data/vendors.yaml:{line}:") and "duplicate short name '华信智维'" in p
               and f"first used at line {first}" in p for p in found), found


BUNDLES = """\
bundles:
  - name: pack
    title: 合同汇编
    per: agreement
    kinds: [contract]
  - name: pack
    title: 合同汇编二
    per: agreement
    kinds: [sla]
  - name: evil
    title: /../../contracts/hx-2026/CH-YW-2026-001_运维外包服务合同
    per: agreement
    kinds: [contract]
  - name: long
    title: {long}
    per: month
    kinds: [monthly]
""".replace("{long}", "汇" * 120)


def test_bundle_names_and_titles_that_would_clash_or_escape_are_refused(tmp_path: Path):
    found = problems_for(tmp_path, **{"bundles.yaml": BUNDLES})
    text = "\n".join(found)
    assert f"bundles.yaml:{line_of(BUNDLES, 'name: pack', 2)}:" in text and "duplicate bundle name 'pack'" in text
    assert f"bundles.yaml:{line_of(BUNDLES, 'title: /../')}:" in text and "contains '/'" in text
    assert f"bundles.yaml:{line_of(BUNDLES, 'title: 汇')}:" in text and "120 characters" in text


def test_an_extra_top_level_key_is_a_located_problem(tmp_path: Path):
    for name in ("client.yaml", "policy.yaml"):
        found = problems_for(tmp_path / name, **{name: MINI[name] + "extra: 1\n"})
        line = len(MINI[name].splitlines()) + 1
        assert any(f"{name}:{line}:1: extra: unknown top-level key" in p for p in found), found


def test_a_partly_invalid_bundles_file_reports_the_bad_spec_only(tmp_path: Path):
    text = "bundles:\n  - name: ok\n    title: 汇编\n    per: month\n    kinds: [monthly]\n" \
           "  - name: bad\n    title: 汇编二\n    per: week\n    kinds: [monthly]\n"
    found = problems_for(tmp_path, **{"bundles.yaml": text})
    assert len(found) == 1 and "bundles.yaml:8:" in found[0] and "per" in found[0], found


@pytest.mark.parametrize("written", ["0x10", "0o17", "0b11", "1.4e5"])
def test_money_in_hex_octal_or_exponent_notation_is_refused(tmp_path: Path, written: str):
    text = MINI["agreements.yaml"].replace("monthly: 100000.00", f"monthly: {written}")
    found = problems_for(tmp_path, **{"agreements.yaml": text})
    line = line_of(text, f"monthly: {written}")
    assert any(f"agreements.yaml:{line}:" in p and "plain decimal numbers" in p for p in found), found


def test_a_missing_template_is_an_error_not_a_silent_skip(tmp_path: Path, monkeypatch, runner):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "contracts/nda.docx").unlink()
    data = load_dataset(write_mini(tmp_path / "data"))
    with pytest.raises(TemplateError, match="nda.docx"):
        documents(data, templates)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", "--data", str(tmp_path / "data"), "--out", str(out), "--dry-run",
                                 "--templates", str(templates)])
    assert result.exit_code == 1 and "template not found" in result.output and "nda.docx" in result.output
    assert not list(out.rglob("*.pdf"))


def test_two_jobs_for_one_path_are_refused_naming_both():
    with pytest.raises(Exception, match="monthly:a-2026-07 and monthly:b-2026-07 would both be written to x/Y"):
        check_one_owner([("monthly:a-2026-07", "x/y"), ("monthly:b-2026-07", "x/Y")])


def test_the_code_fingerprint_follows_every_file_of_the_package(tmp_path: Path):
    from docgen import versions

    copy = tmp_path / "docgen"
    shutil.copytree(Path(versions.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = versions.code_fingerprint(copy)
    assert versions.code_fingerprint(copy) == before
    (copy / "formatting.py").write_text((copy / "formatting.py").read_text(encoding="utf-8") + "\n# edit\n",
                                        encoding="utf-8")
    assert versions.code_fingerprint(copy) != before


@pytest.mark.soffice
def test_a_code_change_rebuilds_and_verify_names_it(tmp_path: Path, monkeypatch, runner):
    from docgen import versions

    data = write_mini(tmp_path / "data")
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", "--data", str(data), "--out", str(out)]).exit_code == 0
    monkeypatch.setattr(versions, "code_fingerprint", lambda root=None: "0.1.0+changed")
    contract = next(out.glob("contracts/*/*_运维外包服务合同.pdf"))
    verdict = runner.invoke(cli, ["verify", str(contract), "--data", str(data)])
    assert verdict.exit_code == 1 and "tool:docgen" in verdict.output, verdict.output
    dry = runner.invoke(cli, ["build", "--data", str(data), "--out", str(out), "--dry-run"])
    assert "tool:docgen changed" in dry.output, dry.output


def test_outputs_follow_the_umask(tmp_path: Path):
    import os

    from docgen.outputs import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.pdf", b"x")
        assert (tmp_path / "a.pdf").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


@pytest.mark.soffice
def test_a_report_made_under_its_old_name_is_replaced_not_left_behind(tmp_path: Path, runner):
    """Reports were once named by the vendor's short name alone; the first build after the
    upgrade makes them under the new name and removes the old, untouched files."""
    import json

    from docgen.manifest import MANIFEST_NAME

    data = write_mini(tmp_path / "data")
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", "--data", str(data), "--out", str(out)]).exit_code == 0
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    entry = manifest["outputs"]["monthly:hx-2026-2026-10"]
    renamed = {}
    for rel, digest in entry["files"].items():
        old = rel.replace("_hx-2026_", "_")
        (out / rel).rename(out / old)
        renamed[old] = digest
    entry["files"] = renamed
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(cli, ["build", "--data", str(data), "--out", str(out)]).exit_code == 0
    names = sorted(p.name for p in (out / "reports/2026-10").iterdir())
    assert names == ["月度运维服务报告_华信智维_hx-2026_2026-10.docx", "月度运维服务报告_华信智维_hx-2026_2026-10.pdf"]
