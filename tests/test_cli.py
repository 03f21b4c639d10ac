"""Every command documents itself and answers --help."""

from __future__ import annotations

import click
import pytest

from docgen.cli import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in group.commands.items():
        out.append((*prefix, name))
        if isinstance(command, click.Group):
            out += _commands(command, (*prefix, name))
    return out


@pytest.mark.parametrize("path", _commands(cli), ids=" ".join)
def test_every_command_has_help(runner, path: tuple[str, ...]) -> None:
    result = runner.invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    command = cli
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    assert command.help and len(command.help.strip()) > 20


def test_unknown_option_is_a_usage_error(runner) -> None:
    result = runner.invoke(cli, ["build", "--nonsense"])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_bad_month_is_a_usage_error(runner) -> None:
    result = runner.invoke(cli, ["report", "monthly", "--month", "2026-13"])
    assert result.exit_code == 2
    assert "YYYY-MM" in result.output
