"""`docgen month 2026-10`: the month's reports, forms and pack in one command, with their paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import have_soffice, write_mini

from docgen.cli import cli


@pytest.mark.soffice
@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is not installed")
def test_the_month_in_one_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner) -> None:
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data")
    result = runner.invoke(cli, ["month", "2026-10"])
    assert result.exit_code == 0, result.output
    written = {Path(line).relative_to(tmp_path / "out").as_posix() if Path(line).is_absolute()
               else Path(line).relative_to("out").as_posix()
               for line in result.output.splitlines() if line.startswith(("out/", str(tmp_path)))}
    assert "bundles/monthly-pack-2026-10_月度运维服务报告汇编.pdf" in written
    assert any(p.startswith("reports/2026-10/月度运维服务报告_") and p.endswith(".pdf") for p in written)
    assert any(p.startswith("forms/2026-10/请销假_") and p.endswith(".docx") for p in written)
    assert all((tmp_path / "out" / p).is_file() for p in written)
    assert not list((tmp_path / "out").glob("contracts/*"))  # the month only
    again = runner.invoke(cli, ["month", "2026-10"])
    assert again.exit_code == 0 and "(unchanged)" in again.output and "0 made, 3 unchanged" in again.output

    monthly = runner.invoke(cli, ["report", "monthly", "--month", "2026-10"])
    assert monthly.exit_code == 0 and "docgen month 2026-10" in monthly.output


def test_a_month_without_records_says_which_months_have_them(tmp_path: Path, monkeypatch, runner) -> None:
    monkeypatch.chdir(tmp_path)
    write_mini(tmp_path / "data")
    result = runner.invoke(cli, ["month", "2025-03"])
    assert result.exit_code == 1 and "nothing to make for 2025-03" in result.output and "2026-10" in result.output
    assert not (tmp_path / "out").exists()
    bad = runner.invoke(cli, ["month", "2026-13"])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output
