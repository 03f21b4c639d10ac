"""After a revision: nothing lost (history), what changed per document in the reader's terms,
redlines whose tracked changes are the changed values, a drafted 补充协议 for signed agreements,
and `docgen diff`."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from conftest import have_soffice
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from docgen import history, i18n
from docgen.changes import Values, changes_between, diff
from docgen.cli import cli
from docgen.manifest import Manifest, fingerprint, sha256
from docgen.redline import W, accept_all, compare, reject_all, texts

# --------------------------------------------------------------------------- change lists

POLICY = {"deductions": {"rules": [{"code": "late", "name": "迟到", "amount": "500.00", "unit": "人/次"},
                                   {"code": "absence", "name": "旷工", "amount": "2000.00", "unit": "人/次/天"}],
                         "monthly_cap_pct": "20"}}


def _revised(**amounts: str) -> dict:
    new = json.loads(json.dumps(POLICY))
    for rule in new["deductions"]["rules"]:
        rule["amount"] = amounts.get(rule["code"], rule["amount"])
    new["deductions"]["monthly_cap_pct"] = amounts.get("cap", "20")
    return new


def test_a_changed_amount_is_named_by_its_rule_and_shown_as_the_document_prints_it() -> None:
    found = diff(POLICY, _revised(late="800.00", cap="15"))
    assert found == [("考勤违约金 · 迟到 · 金额", "500.00 元/人/次", "800.00 元/人/次"), ("考勤违约金 · 月度合计上限", "20%", "15%")]


def test_a_rule_added_or_removed_is_one_change_not_a_field_by_field_list() -> None:
    new = _revised()
    new["deductions"]["rules"] = new["deductions"]["rules"][:1] + [
        {"code": "complaint", "name": "被投诉", "amount": "1000.00", "unit": "人/次"}]
    assert diff(POLICY, new) == [("考勤违约金 · 旷工", "有", ""), ("考勤违约金 · 被投诉", "", "有")]


def test_the_same_section_under_the_file_of_another_version_is_compared_by_value() -> None:
    old_value, new_value = POLICY["deductions"], _revised(late="800.00")["deductions"]
    old = {"policy.yaml:deductions": fingerprint(old_value), "policy.yaml:leave": fingerprint({"a": 1})}
    new = {"policy/2026.2.yaml:deductions": fingerprint(new_value), "policy/2026.2.yaml:leave": fingerprint({"a": 1})}
    found = changes_between(old, new, {"policy/2026.2.yaml:deductions": new_value, "policy/2026.2.yaml:leave": {"a": 1}},
                            Values({fingerprint(old_value): old_value}))
    assert [c.text() for c in found] == ["管理办法 · 考勤违约金 · 迟到 · 金额：500.00 元/人/次 → 800.00 元/人/次"]


def test_an_input_whose_old_value_is_unknown_still_says_that_it_changed() -> None:
    found = changes_between({"policy.yaml:deductions": "0" * 64}, {"policy.yaml:deductions": "1" * 64},
                            {"policy.yaml:deductions": POLICY["deductions"]}, Values({}))
    assert [c.text() for c in found] == ["管理办法 · 考勤违约金：已变更（旧值未记录）"]


def test_records_are_counted_with_the_ids_that_changed() -> None:
    old = [{"id": "INC-1", "level": "P1"}, {"id": "INC-2", "level": "P2"}]
    new = [{"id": "INC-1", "level": "P2"}, {"id": "INC-3", "level": "P3"}]
    found = changes_between({"tickets.csv:hx": fingerprint(old)}, {"tickets.csv:hx": fingerprint(new)},
                            {"tickets.csv:hx": new}, Values({fingerprint(old): old}))
    assert [c.text() for c in found] == ["工单记录（hx）：2 条 → 2 条（新增 1 条：INC-3；删除 1 条：INC-2；修改 1 条：INC-1）"]


# --------------------------------------------------------------------------- redlines

def _docx(paragraphs: list[str], cells: list[list[str]] | None = None) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if cells:
        table = doc.add_table(rows=len(cells), cols=len(cells[0]))
        for row, values in zip(table.rows, cells, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _marked(docx: bytes, tag: str) -> list[str]:
    root = etree.fromstring(zipfile.ZipFile(BytesIO(docx)).read("word/document.xml"))
    inner = "t" if tag == "ins" else "delText"
    return ["".join(t.text or "" for t in el.iter(f"{{{W}}}{inner}")) for el in root.iter(f"{{{W}}}{tag}")
            if el.getparent().tag != f"{{{W}}}rPr"]


def test_a_changed_cell_is_one_deletion_and_one_insertion_of_the_value() -> None:
    head = ["第六条　考勤违约金", "乙方驻场人员发生下列情形的，按下表支付违约金："]
    old = _docx(head, [["迟到", "500.00", "人/次"], ["旷工", "2,000.00", "人/次/天"]])
    new = _docx(head, [["迟到", "800.00", "人/次"], ["旷工", "2,000.00", "人/次/天"]])
    marked = compare(old, new)
    assert (marked.insertions, marked.deletions) == (1, 1)
    assert _marked(marked.docx, "ins") == ["800.00"] and _marked(marked.docx, "del") == ["500.00"]
    assert accept_all(marked.docx) == texts(new) and reject_all(marked.docx) == texts(old)


def test_a_changed_figure_inside_a_sentence_is_marked_as_that_figure() -> None:
    old = _docx(["每月违约金合计不超过当月月度服务费的 20%，即人民币（大写）贰万元整（¥20,000.00）。"])
    new = _docx(["每月违约金合计不超过当月月度服务费的 15%，即人民币（大写）壹万伍仟元整（¥15,000.00）。"])
    marked = compare(old, new)
    assert _marked(marked.docx, "ins") == ["15%", "壹万伍仟元整", "¥15,000.00"]
    assert _marked(marked.docx, "del") == ["20%", "贰万元整", "¥20,000.00"]


def test_paragraphs_added_and_removed_are_whole_tracked_paragraphs() -> None:
    old = _docx(["一", "二", "三", "四"])
    new = _docx(["一", "二（修订）", "新增的一段", "四", "最后一段"])
    marked = compare(old, new)
    assert accept_all(marked.docx) == texts(new) and reject_all(marked.docx) == texts(old)


_TEXT = st.text(alphabet="甲乙丙丁服务费迟到旷工0123456789.,%元 ", min_size=0, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=8), st.lists(_TEXT, min_size=1, max_size=8))
def test_accepting_every_change_gives_the_new_text_and_rejecting_gives_the_old(old: list[str], new: list[str]) -> None:
    a, b = _docx(old), _docx(new)
    marked = compare(a, b)
    assert accept_all(marked.docx) == texts(b)
    assert reject_all(marked.docx) == texts(a)


def test_redlining_changes_nothing_when_the_text_is_the_same() -> None:
    same = _docx(["甲方", "乙方"], [["1", "2"]])
    assert compare(same, same).changes == 0


# --------------------------------------------------------------------------- history

def test_restore_puts_back_the_files_of_an_earlier_build_and_can_be_undone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)

    def build(text: str) -> history.BuildRecord:
        (out / "a/doc.docx").write_text(text, encoding="utf-8")
        manifest = Manifest.model_validate({"outputs": {"contract:x": {"kind": "contract",
                                                                        "files": {"a/doc.docx": sha256(text.encode())}}}})
        manifest.save(out)
        return history.record_build(out, manifest, ["contract:x"])

    first = build("第一版")
    history.keep_before(out, Manifest.load(out), ["contract:x"])
    second = build("第二版")
    assert [r.id for r in history.builds(out)] == [first.id, second.id]
    record, written = history.restore(out, first.id)
    assert record.id == first.id and written == ["a/doc.docx"]
    assert (out / "a/doc.docx").read_text(encoding="utf-8") == "第一版"
    assert json.loads((out / ".docgen-manifest.json").read_text())["outputs"]["contract:x"]["files"]["a/doc.docx"] \
        == sha256("第一版".encode())
    history.restore(out, second.id)  # and back
    assert (out / "a/doc.docx").read_text(encoding="utf-8") == "第二版"


def test_retention_keeps_the_last_builds_and_every_version_of_signed_documents(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "c").mkdir(parents=True)
    for i in range(4):
        (out / "c/signed.pdf").write_text(f"signed {i}", encoding="utf-8")
        (out / "c/report.pdf").write_text(f"report {i}", encoding="utf-8")
        files = {"c/signed.pdf": sha256(f"signed {i}".encode()), "c/report.pdf": sha256(f"report {i}".encode())}
        manifest = Manifest.model_validate({"outputs": {"x": {"kind": "contract", "files": files}}})
        manifest.save(out)
        history.record_build(out, manifest, ["x"], signed=["c/signed.pdf"], keep=2)
    assert len(history.builds(out)) == 2
    assert all(history.kept(out, sha256(f"signed {i}".encode())) for i in range(4))
    assert history.kept(out, sha256(b"report 0")) is None and history.kept(out, sha256(b"report 3"))


def test_an_unknown_build_is_a_clear_message(tmp_path: Path, runner) -> None:
    (tmp_path / "out").mkdir()
    result = runner.invoke(cli, ["history", "--out", str(tmp_path / "out"), "restore", "2020"])
    assert result.exit_code != 0 and "no recorded builds" in result.output


# --------------------------------------------------------------------------- the sample, revised

REVISION_DATE = "2026-10-01"


def _revise(data: Path) -> None:
    """A new policy version: two deduction amounts and the monthly cap changed."""
    text = (data / "policy.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2026.1"', 'version: "2026.2"').replace("effective_date: 2026-01-01",
                                                                         f"effective_date: {REVISION_DATE}")
    text = re.sub(r"(name: 迟到\n\s+amount: )500\.00", r"\g<1>800.00", text)
    text = re.sub(r"(name: 旷工\n\s+amount: )2000\.00", r"\g<1>2500.00", text)
    text = text.replace("monthly_cap_pct: 20", "monthly_cap_pct: 15")
    assert text.count("800.00") == 1 and "2500.00" in text and "monthly_cap_pct: 15" in text
    (data / "policy").mkdir(exist_ok=True)
    (data / "policy/2026.2.yaml").write_text(text, encoding="utf-8")


EXPECTED = {("管理办法 · 考勤违约金 · 迟到 · 金额", "500.00 元/人/次", "800.00 元/人/次"),
            ("管理办法 · 考勤违约金 · 旷工 · 金额", "2,000.00 元/人/次/天", "2,500.00 元/人/次/天"),
            ("管理办法 · 考勤违约金 · 月度合计上限", "20%", "15%")}
IN_THE_SUPPLEMENT = [  # hx-2026: a monthly fee of 140,000.00
    ["合同正文、附件二《服务等级协议》、附件四《考核办法》", "考勤违约金 · 迟到 · 金额", "500.00 元/人/次", "800.00 元/人/次"],
    ["合同正文、附件二《服务等级协议》、附件四《考核办法》", "考勤违约金 · 旷工 · 金额", "2,000.00 元/人/次/天",
     "2,500.00 元/人/次/天"],
    ["合同正文、附件二《服务等级协议》、附件四《考核办法》", "考勤违约金 · 月度合计上限",
     "当月月度服务费的 20%（¥28,000.00）", "当月月度服务费的 15%（¥21,000.00）"],
]


@pytest.mark.soffice
@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
def test_a_policy_revision_keeps_explains_redlines_and_drafts(sample_copy: Path, runner, monkeypatch) -> None:
    root = sample_copy.parent
    monkeypatch.chdir(root)
    assert runner.invoke(cli, ["build"]).exit_code == 0
    out = root / "out"
    before = {rel: digest for entry in Manifest.load(out).outputs.values() for rel, digest in entry.files.items()}
    _revise(sample_copy)

    dry = runner.invoke(cli, ["build", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    draft = ["contracts/hx-2027/CH-YW-2027-001_运维外包服务合同", "contracts/hx-2027/CH-YW-2027-001-SLA_服务等级协议",
             "contracts/hx-2027/CH-YW-2027-001-KPI_考核办法"]
    for path in draft:
        block = dry.output.split(path, 1)[1].split("\n\n", 1)[0]
        assert "迟到 · 金额：500.00 元/人/次 → 800.00 元/人/次" in block and "月度合计上限：20% → 15%" in block
    for agreement, number in (("hx-2026", "001"), ("lc-2026", "002"), ("qs-2026", "003")):
        assert f"contracts/{agreement}/CH-YW-2026-{number}-BC-2026.2_补充协议（草稿）" in dry.output

    built = runner.invoke(cli, ["build"])
    assert built.exit_code == 0, built.output
    assert "What changed: out/变更说明.md" in built.output

    for rel, digest in before.items():  # every earlier file can still be had, byte for byte
        assert history.kept(out, digest) is not None, rel
    assert any(r.files == before for r in history.builds(out))

    listed = json.loads((out / "变更说明.json").read_text(encoding="utf-8"))
    by_path = {d["path"]: d for d in listed["documents"]}
    for path in draft:
        entry = by_path[path]
        assert {(c["what"], c["old"], c["new"]) for c in entry["changes"]} - {
            ("管理办法 · 版本", "2026.1（2026-01-01起施行）", f"2026.2（{REVISION_DATE}起施行）")} == EXPECTED
        redline = out / next(r for r in entry["redline"] if r.endswith(".docx"))
        marked = redline.read_bytes()
        new = (out / f"{path}.docx").read_bytes()
        assert accept_all(marked) == texts(new)
        assert reject_all(marked) == texts(history.kept(out, next(
            d for rel, d in before.items() if rel == f"{path}.docx")) or b"")
        inserted = [t for t in _marked(marked, "ins") if t.strip()]
        # every tracked change is a changed value: a figure, a percentage, an amount in 大写, the version or its date
        assert inserted and all(re.fullmatch(r"[¥\d,.%]+|[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+|2026\.2", t.strip())
                                for t in inserted), inserted
        assert "800.00" in inserted and "15%" in "".join(inserted)
        assert (out / next(r for r in entry["redline"] if r.endswith(".pdf"))).is_file()

    supplement = "out/contracts/hx-2026/CH-YW-2026-001-BC-2026.2_补充协议（草稿）"
    words = "".join(p.text for p in Document(f"{supplement}.docx").paragraphs)
    [table] = [t for t in Document(f"{supplement}.docx").tables if t.rows[0].cells[0].text == "序号"]
    rows = sorted([c.text for c in r.cells][1:] for r in table.rows[1:])
    assert "CH-YW-2026-001" in words and "2026.2" in words and "2026年10月1日" in words
    # 第二条 states the rule the reports apply (Dataset.policy_applied): months from the effective date
    assert "2.2　上述变更适用于首日在2026年10月1日（含）以后的各服务月份" in words
    assert "依原合同第1.5条的约定，管理办法此后的修订，经双方签订补充协议后方适用于原合同" in words
    assert rows == sorted(IN_THE_SUPPLEMENT)
    pdf = subprocess.run(["pdftotext", f"{supplement}.pdf", "-"], capture_output=True, text=True,
                         check=True).stdout
    assert "补充协议" in pdf and "800.00" in pdf and "2,500.00" in pdf and "15%" in pdf
    assert not list((out / "contracts/hx-2027").glob("*补充协议*"))  # a draft needs none

    kept_redline = out / by_path[draft[0]]["redline"][0]
    assert runner.invoke(cli, ["build", "--force"]).exit_code == 0
    assert kept_redline.is_file()  # a build that changes no text leaves the last redlines where they are

    # the contracts as they were can be compared with the new ones
    old_contract = root / "old.docx"
    old_contract.write_bytes(history.kept(out, before[f"{draft[0]}.docx"]) or b"")
    shown = runner.invoke(cli, ["diff", str(old_contract), f"out/{draft[0]}.docx", "--redline", "对照.docx"])
    assert shown.exit_code == 0, shown.output
    assert "迟到 · 金额：500.00 元/人/次 → 800.00 元/人/次" in shown.output and (root / "对照.docx").is_file()


def test_two_builds_are_compared_document_by_document(tmp_path: Path, runner) -> None:
    out = tmp_path / "out"
    (out / "c").mkdir(parents=True)
    old_value, new_value = POLICY["deductions"], _revised(late="800.00")["deductions"]
    history.save_values(out, {fingerprint(old_value): old_value, fingerprint(new_value): new_value})
    ids = []
    for value, text in ((old_value, "第一版"), (new_value, "第二版")):
        (out / "c/sla.docx").write_text(text, encoding="utf-8")
        manifest = Manifest.model_validate({"outputs": {"sla:x": {
            "kind": "sla", "inputs": {"policy.yaml:deductions": fingerprint(value)},
            "files": {"c/sla.docx": sha256(text.encode())}}}})
        manifest.save(out)
        ids.append(history.record_build(out, manifest, ["sla:x"]).id)
    with i18n.use("zh"):
        result = runner.invoke(cli, ["history", "--out", str(out), "diff", ids[0]])
        same = runner.invoke(cli, ["history", "--out", str(out), "diff", ids[1], ids[1]])
    assert result.exit_code == 0, result.output
    assert "c/sla：" in result.output and "迟到 · 金额：500.00 元/人/次 → 800.00 元/人/次" in result.output
    assert "共 1 个输出文件有变化" in result.output
    assert "两次生成的输出文件相同" in same.output
    english = runner.invoke(cli, ["history", "--out", str(out), "diff", ids[0]])
    assert "c/sla:\n" in english.output and "1 output changed" in english.output


def test_one_earlier_version_can_be_taken_out_of_the_history(tmp_path: Path, runner) -> None:
    out = tmp_path / "out"
    (out / "contracts/a").mkdir(parents=True)
    ids = []
    for text in ("第一版", "第二版"):
        (out / "contracts/a/合同.docx").write_text(text, encoding="utf-8")
        manifest = Manifest.model_validate({"outputs": {"contract:a": {
            "kind": "contract", "files": {"contracts/a/合同.docx": sha256(text.encode())}}}})
        manifest.save(out)
        ids.append(history.record_build(out, manifest, ["contract:a"]).id)
    listed = runner.invoke(cli, ["history", "--out", str(out), "show", ids[0]])
    assert listed.exit_code == 0 and listed.output.split() == ["contracts/a/合同.docx"]
    target = tmp_path / "旧合同.docx"
    shown = runner.invoke(cli, ["history", "--out", str(out), "show", ids[0], "合同.docx", "--to", str(target)])
    assert shown.exit_code == 0, shown.output
    assert target.read_text(encoding="utf-8") == "第一版" and (out / "contracts/a/合同.docx").read_text(
        encoding="utf-8") == "第二版"
    missing = runner.invoke(cli, ["history", "--out", str(out), "show", ids[0], "报告.docx"])
    assert missing.exit_code == 2 and "0 files matching '报告.docx'" in missing.output
