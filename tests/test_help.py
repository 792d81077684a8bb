"""Every command has help with examples and is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from sixbao_cli.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group=None, prefix=()):
    group = group or typer.main.get_command(app)
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        else:
            yield path


COMMANDS = list(_commands())


def test_the_command_set():
    assert [" ".join(c) for c in COMMANDS] == [
        "db backup", "db current", "db upgrade", "init", "progress add", "progress correct", "progress list",
        "task add", "task done", "task edit", "task list", "task show", "unit add", "unit alias", "unit list",
    ]


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_has_a_summary_and_examples(cli, path):
    out = cli.ok(*path, "--help").stdout
    assert "Usage: sixbao " + " ".join(path) in out
    assert "示例" in out and "sixbao " + " ".join(path) in out.split("示例", 1)[1]


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_readme_documents_the_command(path):
    assert re.search(r"^#+ .*`sixbao " + re.escape(" ".join(path)) + r"\b", README, re.M), \
        f"README has no heading for sixbao {' '.join(path)}"


def test_readme_quick_start_has_two_commands():
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    lines = [line for line in block.splitlines()[1:] if line.strip()]
    assert len(lines) == 2
    assert lines[0].startswith("python3 -m pip install") and "sixbao" in lines[0]
    assert lines[1].endswith("python3 -m pytest")
