"""unit list | add | alias."""

from __future__ import annotations

import json

from conftest import snapshot


def test_add_alias_and_list(cli, db_url):
    assert cli.ok("unit", "add", " 市人力资源 社会保障局 ", "-a", "市人社局").stdout.strip() == "已添加单位：市人力资源社会保障局"
    cli.ok("unit", "add", "各市(州)、县(市、区)党委、政府")
    assert cli.ok("unit", "alias", "市人社局", "人社局", "市人社").stdout.splitlines() == [
        "“人社局”现为“市人力资源社会保障局”的简称。", "“市人社”现为“市人力资源社会保障局”的简称。"]
    rows = json.loads(cli.ok("unit", "list", "--json").stdout)
    assert [(r["name"], r["aliases"]) for r in rows] == [
        ("各市（州）、县（市、区）党委、政府", []),  # one unit, brackets normalised to full width
        ("市人力资源社会保障局", ["人社局", "市人社", "市人社局"]),
    ]
    assert [r["name"] for r in json.loads(cli.ok("unit", "list", "-q", "人社", "--json").stdout)] == ["市人力资源社会保障局"]


def test_counts_tasks_led_and_supported(cli, seeded):
    rows = {r["name"]: (r["lead_tasks"], r["support_tasks"]) for r in json.loads(cli.ok("unit", "list", "--json").stdout)}
    assert rows["市人力资源社会保障局"] == (2, 0)
    assert rows["市财政局"] == (1, 2)
    assert rows["各地党委、政府"] == (0, 1)


def test_conflicts_change_nothing(cli, seeded):
    before = snapshot(seeded)
    result = cli("unit", "add", "市人社局")
    assert (result.exit_code, result.stderr.strip()) == (5, "错误：单位“市人社局”已存在（或已是某单位的简称）。")
    result = cli("unit", "alias", "市财政局", "市人社局")
    assert (result.exit_code, result.stderr.strip()) == (5, "错误：“市人社局”已是“市人力资源社会保障局”的名称或简称。")
    result = cli("unit", "alias", "市财政", "财政局")
    assert (result.exit_code, result.stderr.strip()) == (3, "错误：单位“市财政”不存在。相近的单位或简称：市财政局。")
    assert snapshot(seeded) == before
