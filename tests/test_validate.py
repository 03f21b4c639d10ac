"""Bad input: every problem is reported with file:line:col and field, all in one pass."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import MINI, line_of, write_mini

from docgen import i18n
from docgen.cli import cli
from docgen.errors import InputError
from docgen.validate import load_dataset


def problems_for(tmp_path: Path, **files: str) -> list[str]:
    folder = write_mini(tmp_path / "data", **files)
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    return [str(p) for p in exc.value.problems]


def replace(name: str, old: str, new: str) -> dict[str, str]:
    text = MINI[name]
    assert old in text, old
    return {name: text.replace(old, new, 1)}


def test_mini_data_is_valid(mini: Path) -> None:
    data = load_dataset(mini)
    assert data.vendors[0].name == "华信智维科技有限公司"
    assert data.agreements[0].sla.levels[0].response == 15
    assert str(data.agreements[0].fees.total) == "1200000.00"


def test_missing_required_field_is_reported_at_parent(tmp_path: Path) -> None:
    files = replace("vendors.yaml", "    legal_rep: 王建国\n", "")
    line = line_of(files["vendors.yaml"], "- id: hx")
    assert f"data/vendors.yaml:{line}:5: vendors[#1 hx].legal_rep: missing required field 'legal_rep'" in "\n".join(
        problems_for(tmp_path, **files)).replace(str(tmp_path) + "/", "")


def _only(problems: list[str], tmp_path: Path) -> list[str]:
    return [p.replace(str(tmp_path) + "/", "") for p in problems]


def test_unknown_field_suggests_the_right_one(tmp_path: Path) -> None:
    files = replace("vendors.yaml", "    short_name:", "    short_nmae:")
    line = line_of(files["vendors.yaml"], "short_nmae")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert f"data/vendors.yaml:{line}:5: vendors[#1 hx].short_nmae: unknown field 'short_nmae'; did you mean 'short_name'?" in got


def test_text_where_a_number_belongs(tmp_path: Path) -> None:
    files = replace("agreements.yaml", "total: 1200000.00", "total: 一百二十万")
    line = line_of(files["agreements.yaml"], "total:")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert any(p.startswith(f"data/agreements.yaml:{line}:14: agreements[#1 hx-2026].fees.total: ") and "should be an amount such as 120000.00" in p
               for p in got), got


def test_impossible_date(tmp_path: Path) -> None:
    files = replace("agreements.yaml", "start: 2026-01-01", "start: 2026-13-45")
    line = line_of(files["agreements.yaml"], "start:")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert any(p.startswith(f"data/agreements.yaml:{line}:12: agreements[#1 hx-2026].start: ") and "month" in p for p in got), got


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-5.00", "should be at least 0, got -5.00"),
        ("0.105", "should have at most 2 decimal places, got 0.105"),
        ('"12,50"', "should be an amount such as 120000.00, without thousands separators, got '12,50'"),
        (".inf", "should be an amount such as 120000.00"),
    ],
)
def test_bad_amounts(tmp_path: Path, value: str, expected: str) -> None:
    files = replace("agreements.yaml", "liquidated_damages: 100000.00", f"liquidated_damages: {value}")
    line = line_of(files["agreements.yaml"], "liquidated_damages")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert any(p.startswith(f"data/agreements.yaml:{line}:27: agreements[#1 hx-2026].nda.liquidated_damages: ")
               and expected in p for p in got), got


def test_invalid_credit_code(tmp_path: Path) -> None:
    files = replace("vendors.yaml", "91320583MA27WQ8H0P", "91320583MA27WQ8H0X")
    line = line_of(files["vendors.yaml"], "uscc:")
    with i18n.use("zh"):
        got = _only(problems_for(tmp_path, **files), tmp_path)
    assert any(p.startswith(f"data/vendors.yaml:{line}:11: ") and p.endswith("uscc: 统一社会信用代码的校验位是 'X'，应为 'P'")
               for p in got), got
    got = _only(problems_for(tmp_path / "en", **files), tmp_path / "en")
    assert any(p.startswith(f"data/vendors.yaml:{line}:11: ") and p.endswith(
        "uscc: the unified social credit code check character is 'X', expected 'P'") for p in got), got


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    files = replace("client.yaml", "  department: 信息中心\n", "  department: 信息中心\n  city: 苏州市\n")
    first = line_of(files["client.yaml"], "city:")
    second = line_of(files["client.yaml"], "city:", 2)
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert got == [f"data/client.yaml:{second}:3: duplicate key 'city'; first defined at line {first}"]


def test_end_before_start(tmp_path: Path) -> None:
    files = replace("agreements.yaml", "end: 2026-12-31", "end: 2025-12-31")
    line = line_of(files["agreements.yaml"], "end:")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert f"data/agreements.yaml:{line}:10: agreements[#1 hx-2026].end: end 2025-12-31 is not after start 2026-01-01" in got


def test_ticket_restored_before_opened_in_csv(tmp_path: Path) -> None:
    files = replace("tickets.csv", "2026-10-03 12:00,2026-10-04", "2026-10-02 12:00,2026-10-04")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert ("data/tickets.csv:2:10: tickets.restored: restored 2026-10-02 12:00 is before opened 2026-10-03 09:00"
            in got)


def test_unknown_vendor_names_both_files(tmp_path: Path) -> None:
    files = replace("agreements.yaml", "vendor: hx", "vendor: hx2")
    line = line_of(files["agreements.yaml"], "vendor:")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert f"data/agreements.yaml:{line}:13: vendor: unknown vendor 'hx2'; data/vendors.yaml defines: hx" in got


def test_unknown_staff_in_ticket_csv(tmp_path: Path) -> None:
    files = replace("tickets.csv", ",s1,5", ",s9,5")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert "data/tickets.csv:2:12: assignee: unknown staff member 's9'; data/staff.yaml defines: s1, s2" in got


def test_yaml_syntax_error_has_position(tmp_path: Path) -> None:
    files = replace("vendors.yaml", "categories: [硬件维护, 软件支持]", "categories: [硬件维护, 软件支持")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert len(got) == 1 and got[0].startswith("data/vendors.yaml:") and "YAML syntax error" in got[0]
    line = int(got[0].split(":")[1])
    assert line >= line_of(files["vendors.yaml"], "categories")


def test_python_tag_is_refused_and_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    files = replace("client.yaml", "short_name: 澄湖集团", f"short_name: !!python/object/apply:os.system ['touch {marker}']")
    line = line_of(files["client.yaml"], "short_name")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert got == [f"data/client.yaml:{line}:15: tags not allowed (tag:yaml.org,2002:python/object/apply:os.system); remove it"]
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    started = time.monotonic()
    got = _only(problems_for(tmp_path, **{"client.yaml": bomb}), tmp_path)
    assert time.monotonic() - started < 1.0
    assert got[0] == "data/client.yaml:1:4: anchors not allowed (&a)"
    assert any("aliases not allowed (*a)" in p for p in got)


def test_yaml_version_directive_is_refused(tmp_path: Path) -> None:
    files = {"client.yaml": "%YAML 1.1\n---\n" + MINI["client.yaml"].replace("city: 澄湖市", "city: NO")}
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert got == ["data/client.yaml:2:1: version directive not allowed (%YAML); remove it"]


def test_latin1_file(tmp_path: Path) -> None:
    folder = write_mini(tmp_path / "data")
    (folder / "vendors.yaml").write_bytes(MINI["vendors.yaml"].replace("华信智维科技有限公司", "Café SA").encode("latin-1", "replace"))
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    got = _only([str(p) for p in exc.value.problems], tmp_path)
    line = line_of(MINI["vendors.yaml"], "华信智维科技有限公司")
    assert f"data/vendors.yaml:{line}:14: is not UTF-8 (byte 0xE9); save the file as UTF-8" in got


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    folder = write_mini(tmp_path / "data")
    (folder / "client.yaml").write_bytes(b"\xef\xbb\xbf" + MINI["client.yaml"].encode())
    assert load_dataset(folder).client.short_name == "澄湖集团"


def test_empty_file(tmp_path: Path) -> None:
    got = _only(problems_for(tmp_path, **{"staff.yaml": ""}), tmp_path)
    assert "data/staff.yaml:1:1: file is empty" in got


def test_list_at_top_level(tmp_path: Path) -> None:
    got = _only(problems_for(tmp_path, **{"client.yaml": "- a\n- b\n"}), tmp_path)
    assert got == ["data/client.yaml:1:1: expected a mapping at the top of the file, found a list"]


def test_control_character_is_named(tmp_path: Path) -> None:
    files = replace("vendors.yaml", "address: 江苏省澄湖市科技园1号", 'address: "江苏省澄湖市\\x0b科技园1号"')
    line = line_of(files["vendors.yaml"], "address:")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert (f"data/vendors.yaml:{line}:14: vendors[#1 hx].address: contains the control character U+000B at position 7; "
            "remove it") in got


def test_strict_types_reject_bool_and_unquoted_number(tmp_path: Path) -> None:
    files = replace("staff.yaml", "pledge_signed: true", "pledge_signed: yes")
    files["staff.yaml"] = files["staff.yaml"].replace('phone: "13900000002"', "phone: 13900000002")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert any("staff[#1 s1].pledge_signed: should be true or false, got 'yes'" in p for p in got), got
    assert any("staff[#2 s2].phone: should be text, got 13900000002 (put the value in quotes)" in p
               for p in got), got


def test_leave_rules_from_policy(tmp_path: Path) -> None:
    files = replace("leave.yaml", "hours: 2", "hours: 10")
    line = line_of(files["leave.yaml"], "hours:")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert any(p.startswith(f"data/leave.yaml:{line}:12: vendor_letter_no: leave of 10 hours needs vendor_letter_no")
               for p in got), got
    assert any(p.startswith(f"data/leave.yaml:{line}:12: substitute: leave of 10 hours needs a substitute")
               for p in got), got


def test_case_insensitive_duplicate_ids(tmp_path: Path) -> None:
    files = replace("staff.yaml", "id: s2", "id: S1")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert any("staff.id: duplicate id 'S1', first used at line 2 (as 's1'; ids must differ in more than case)" in p
               for p in got), got


def test_path_like_ids_are_refused(tmp_path: Path) -> None:
    files = replace("agreements.yaml", "id: hx-2026", "id: ../../etc/x")
    got = _only(problems_for(tmp_path, **files), tmp_path)
    assert any("].id: should be an id of ASCII letters, digits, '-' and '_'" in p for p in got), got


def test_all_problems_in_one_pass_across_files(tmp_path: Path) -> None:
    files = {**replace("vendors.yaml", "91320583MA27WQ8H0P", "91320583MA27WQ8H0X"),
             **replace("agreements.yaml", "start: 2026-01-01", "start: 2026-13-45"),
             **replace("tickets.csv", ",P1,", ",P7,"),
             **replace("staff.yaml", "role: 网络工程师", "rolle: 网络工程师")}
    got = _only(problems_for(tmp_path, **files), tmp_path)
    files_hit = {p.split(":")[0] for p in got}
    assert files_hit == {"data/vendors.yaml", "data/agreements.yaml", "data/tickets.csv", "data/staff.yaml"}


def test_cli_validate_reports_and_exits_1_without_traceback(tmp_path: Path, runner, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data", **replace("agreements.yaml", "vendor: hx", "vendor: nobody"))
    result = runner.invoke(cli, ["validate", "--data", "data"])
    assert result.exit_code == 1
    assert "Error: data/agreements.yaml:" in result.output
    assert "unknown vendor 'nobody'" in result.output
    assert "problems found; nothing was written." in result.output
    assert "Traceback" not in result.output


def test_cli_validate_prints_counts(tmp_path: Path, runner, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data")
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert "staff            2" in result.output
    assert "all data valid" in result.output


def test_cli_usage_error_exits_2(runner) -> None:
    result = runner.invoke(cli, ["render", "x", "poem"])
    assert result.exit_code == 2


def test_render_writes_nothing_on_invalid_data(tmp_path: Path, runner, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data", **replace("vendors.yaml", "91320583MA27WQ8H0P", "91320583MA27WQ8H0X"))
    result = runner.invoke(cli, ["render", "hx-2026", "contract", "--out", "out"])
    assert result.exit_code == 1
    assert not (tmp_path / "out").exists()


def test_records_are_named_by_their_position_counted_from_one_and_their_id(tmp_path: Path) -> None:
    import shutil

    from conftest import SAMPLE_DATA

    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    text = (folder / "agreements.yaml").read_text(encoding="utf-8")
    fourth = text.index("- id: hx-2027")
    total = text.index("total:", fourth)
    end = text.index("\n", total)
    (folder / "agreements.yaml").write_text(text[:total] + "total: 1,200,000.00" + text[end:], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    assert any("agreements[#4 hx-2027].fees.total" in str(p) for p in caught.value.problems), caught.value
