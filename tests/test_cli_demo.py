"""sixbao demo: the seed plans and a plausible 2020, built once, the same every time."""

from __future__ import annotations

import json

from conftest import count, snapshot


def test_demo_builds_once_and_rebuilding_changes_nothing(cli, db_url):
    first = cli.ok("demo").stdout.splitlines()
    assert first[0].startswith("演示台账已建立：")
    assert first[1] == "方案 5 份，任务 348 项，单位 226 个，进展记录 4540 条。"
    assert first[2].split() == ["类别", "任务数", "已报送", "已完成"]
    assert [line.split()[0] for line in first[3:9]] == [
        "保居民就业", "保基本民生", "保市场主体", "保粮食能源安全", "保产业链供应链稳定", "保基层运转"]
    before = snapshot(db_url)
    again = cli.ok("demo").stdout.splitlines()
    assert again[0].startswith("演示台账已是最新，未作改动：") and again[1:] == first[1:]
    assert snapshot(db_url) == before
    statuses = {t["status"] for t in json.loads(cli.ok("task", "list", "--json").stdout)}
    assert statuses == {"not_started", "in_progress", "completed", "closed"}
    assert count(db_url, "document_context") > 20


def test_demo_is_the_same_on_every_ledger(cli, db_url, tmp_path):
    cli.ok("demo")
    other = str(tmp_path / "other.db")
    cli.ok("--db", other, "demo")
    mine = [(e["date"], e["percent"], e["value"], e["note"]) for e in json.loads(cli.ok("progress", "list", "JY-001", "--json").stdout)]
    theirs = [(e["date"], e["percent"], e["value"], e["note"])
              for e in json.loads(cli.ok("--db", other, "progress", "list", "JY-001", "--json").stdout)]
    assert mine == theirs and len(mine) > 5


def test_demo_never_mixes_into_a_real_ledger(cli, seeded):
    before = snapshot(seeded)
    result = cli("demo")
    assert result.exit_code == 5
    assert result.stderr.strip().startswith("错误：台账中已有演示以外的数据，为免混淆，演示只建在新台账中。")
    assert snapshot(seeded) == before
