"""progress add asks for what is missing when — and only when — it runs at a terminal."""

from __future__ import annotations

import json
import os
import sys

import pexpect


def test_prompts_at_a_terminal(cli, seeded):
    env = {**os.environ, "SIXBAO_DB": seeded, "COLUMNS": "120"}
    child = pexpect.spawn(sys.executable, ["-m", "sixbao_cli", "progress", "add", "JY-001"], env=env,
                          encoding="utf-8", timeout=30)
    try:
        child.expect("该任务的单位：市人力资源社会保障局（牵头）、市财政局（配合）、市税务局（配合）")
        child.expect(r"填报单位 \[市人力资源社会保障局\]: ")
        child.sendline("各地党委、政府")  # a unit, but not one of this task's: asked again at once
        child.expect("不是任务 JY-001 的牵头或配合单位")
        child.expect(r"填报单位 \[市人力资源社会保障局\]: ")
        child.sendline("")
        child.expect(r"完成进度（%）: ")
        child.sendline("150")
        child.expect("超出 0–100")
        child.expect(r"完成进度（%）: ")
        child.sendline("40")
        child.expect(r"填报日期 \[\d{4}-\d{2}-\d{2}\]: ")
        child.sendline("2020-06-01")  # before the task started
        child.expect("早于任务 JY-001 的开始日期 2020-06-18")
        child.expect(r"填报日期 \[\d{4}-\d{2}-\d{2}\]: ")
        child.sendline("2020-09-30")
        child.expect("进展情况: ")
        child.sendline("已返还1200万元")
        child.expect(r"存在问题（可留空）: ")
        child.sendline("")
        child.expect(r"下步计划（可留空）: ")
        child.sendline("继续推进")
        child.expect("已记录进展 #1：JY-001 2020-09-30 40%")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    entry = json.loads(cli.ok("progress", "list", "--json").stdout)[0]
    assert (entry["unit"], entry["percent"], entry["note"], entry["problems"], entry["next_steps"]) == (
        "市人力资源社会保障局", 40.0, "已返还1200万元", None, "继续推进")


def _screen(seeded: str, *args: str, **env_extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(SIXBAO_DB=seeded, TERM="xterm-256color", COLUMNS="160", **env_extra)
    child = pexpect.spawn(sys.executable, ["-m", "sixbao_cli", *args], env=env, encoding="utf-8", timeout=30,
                          dimensions=(40, 160))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    return child.before


def test_colour_on_a_terminal_and_none_with_no_color(cli, seeded):
    import re

    cli.ok("progress", "add", "JY-001", "-p", "60", "--date", "2020-09-25", "-u", "市人社局", "--note", "x")
    colour = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[25])[;m]")  # foreground colour codes
    coloured = _screen(seeded, "task", "show", "JY-001")
    assert "╭" in coloured and colour.search(coloured)  # a panel, a cyan bar
    plain = _screen(seeded, "task", "show", "JY-001", NO_COLOR="1")
    assert not colour.search(plain)  # NO_COLOR removes colour (bold may stay, as no-color.org allows)
    assert "加大援企稳岗返还力度" in plain and "60%" in plain
