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
        child.sendline("")
        child.expect(r"完成进度（%）: ")
        child.sendline("150")
        child.expect("超出 0–100")
        child.expect(r"完成进度（%）: ")
        child.sendline("40")
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
