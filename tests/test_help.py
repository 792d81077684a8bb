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
        "db backup", "db check", "db current", "db restore", "db upgrade", "demo", "export progress", "export tasks", "import list", "import progress", "import tasks", "import undo", "import-doc", "init", "progress add", "progress correct", "progress list",
        "report overdue", "report rules", "report slow", "report stale", "report units", "report weekly", "task add", "task done", "task edit", "task list", "task show", "template progress", "unit add", "unit alias", "unit list",
    ]


def test_a_command_builds_only_itself(monkeypatch):
    # cli.LazyCommands: typer would turn all ~40 commands' signatures into click parameters on every run.
    built = []
    real = typer.main.get_command_from_info

    def recording(info, **kw):
        built.append(info.name)
        return real(info, **kw)

    monkeypatch.setattr(typer.main, "get_command_from_info", recording)
    for argv, names in ((["progress", "add", "--help"], ["add"]), (["task", "show", "--help"], ["show"]),
                        (["init", "--help"], ["init"]), (["--version"], [])):
        built.clear()
        with pytest.raises(SystemExit) as done:
            app(argv)
        assert (done.value.code, built) == (0, names)


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
    assert lines[0].startswith("python3 -m venv .venv") and "sixbao demo" in lines[0]
    assert lines[1].endswith("python3 -m pytest")
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1] in ci.splitlines()  # CI runs the README's test command word for word


@pytest.mark.parametrize(("argv", "message"), [
    ("task done JY-001", "错误：缺少选项 --note。用法见：sixbao task done --help"),
    ("task list -n 0", "错误：--limit 的值无效：应不小于 1。用法见：sixbao task list --help"),
    ("progress correct abc", "错误：ID 的值无效：应为整数。用法见：sixbao progress correct --help"),
    ("task lst", "错误：没有命令 lst。是否要用：list？用法见：sixbao task --help"),
    ("task list --bogus", "错误：没有选项 --bogus。用法见：sixbao task list --help"),
    ("task show", "错误：缺少参数 CODE。用法见：sixbao task show --help"),
    ("task show A B", "错误：多余的参数：B。用法见：sixbao task show --help"),
    ("--bogus", "错误：没有选项 --bogus。用法见：sixbao --help"),
])
def test_usage_errors_are_one_line_in_the_users_language(cli, argv, message):
    result = cli(argv)
    assert (result.exit_code, result.stderr.strip(), result.stdout) == (2, message, "")


def test_usage_errors_in_english(cli, monkeypatch):
    monkeypatch.setenv("SIXBAO_LANG", "en")
    result = cli("task done X")
    assert (result.exit_code, result.stderr.strip()) == (2, "Error: Missing option --note. See: sixbao task done --help")
