"""The six 保 by their customary short forms, on every path that takes a category — and a ledger an older version
filed under a short form of its own (粮食能源, code QT-001) keeps working.

The short forms are one table (sixbao_cli/categories.py); the CLI tests run the
real commands on real files, SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, update

from sixbao_cli import categories
from sixbao_cli import tables as T
from sixbao_cli.settings import resolve_db_url

from conftest import snapshot

SHORT_FORMS = {
    "保居民就业": ["保就业", "居民就业", "就业", "稳就业", "jobs"],
    "保基本民生": ["保民生", "基本民生", "民生"],
    "保市场主体": ["市场主体", "保市场主体"],
    "保粮食能源安全": ["保粮食能源", "粮食能源", "粮食能源安全", "保粮食安全", "保能源安全", "粮食"],
    "保产业链供应链稳定": ["保产业链", "保供应链", "保产业链供应链", "产业链供应链", "产业链", "供应链"],
    "保基层运转": ["保基层", "基层运转", "基层"],
}


@pytest.mark.parametrize(("written", "category"), [(w, c) for c, ws in SHORT_FORMS.items() for w in ws])
def test_each_short_form_names_its_guarantee(written, category):
    assert categories.lookup(written) == category
    assert categories.canonical(written) == category
    assert categories.lookup(f" {written} ") == category  # as a cell holds it
    assert categories.code_prefix(categories.canonical(written)) != "QT"


def test_a_word_that_names_no_guarantee_is_not_one():
    assert categories.lookup("保稳定") is None
    assert categories.canonical("文化旅游") == "文化旅游"


def _csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _card(cli, code: str) -> dict:
    return json.loads(cli.ok("task", "show", code, "--json").stdout)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_import_tasks_takes_the_short_forms(cli, seeded, tmp_path, encoding):
    sheet = _csv(tmp_path / "县台账.csv", [
        ["任务名称", "类别", "牵头单位", "开始日期", "完成时限"],
        ["返乡农民工就业帮扶", "保就业", "市人社局", "2020-06-01", "年底前"],
        ["困难群众兜底保障", "保民生", "市财政局", "2020-06-01", "年底前"],
        ["春耕备耕", "粮食能源", "市财政局", "2020-06-01", "年底前"],
        ["重点企业复工复产", "保产业链", "市财政局", "2020-06-01", "年底前"],
        ["基层三保", "保基层", "市财政局", "2020-06-01", "年底前"],
        ["减税降费", "市场主体", "市税务局", "2020-06-01", "年底前"],
        ["二、保供应链", "", "", "", ""],  # a heading row: the row below takes its category
        ["物流保通保畅", "", "市财政局", "2020-06-01", "年底前"],
    ], encoding)
    result = cli.ok("import", "tasks", str(sheet))
    assert "新增任务 7 项" in result.stdout
    got = {c["title"]: (c["code"], c["category"]) for c in json.loads(cli.ok("task", "list", "--json").stdout)}
    assert [got[t] for t in ("返乡农民工就业帮扶", "困难群众兜底保障", "春耕备耕", "重点企业复工复产", "基层三保", "减税降费",
                             "物流保通保畅")] == [
        ("JY-003", "保居民就业"), ("MS-001", "保基本民生"), ("LN-001", "保粮食能源安全"), ("CL-001", "保产业链供应链稳定"),
        ("JC-002", "保基层运转"), ("SC-001", "保市场主体"), ("CL-002", "保产业链供应链稳定")]


def test_task_add_edit_and_filters_take_the_short_forms(cli, seeded, tmp_path):
    added = cli.ok("task", "add", "测试", "-c", "粮食能源", "-l", "市财政局", "-d", "2020-12-31", "--start", "2020-06-01")
    assert "LN-001" in added.stdout and _card(cli, "LN-001")["category"] == "保粮食能源安全"
    cli.ok("task", "edit", "LN-001", "-c", "保民生", "--reason", "归类")
    assert _card(cli, "LN-001")["category"] == "保基本民生"
    listed = json.loads(cli.ok("task", "list", "-c", "保就业", "--json").stdout)
    assert sorted(r["code"] for r in listed) == ["JY-001", "JY-002"]
    out = tmp_path / "基层.csv"
    cli.ok("export", "tasks", "-c", "保基层", "-o", str(out))
    assert [r[0] for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))][1:] == ["JC-001"]
    report = json.loads(cli.ok("report", "weekly", "-c", "保民生", "--json").stdout)
    assert (report["scope"], report["totals"]["tasks"]) == ({"category": "保基本民生"}, 1)


def _misfiled(cli, url: str) -> None:
    """What an older version made of ``task add 春耕备耕 -c 粮食能源``: a category of its own, code QT-001."""
    cli.ok("task", "add", "春耕备耕", "-c", "其他", "-l", "市财政局", "-d", "2020-12-31", "--start", "2020-06-01")
    engine = create_engine(resolve_db_url(url))
    with engine.begin() as conn:
        conn.execute(update(T.task).where(T.task.c.code == "QT-001").values(category="粮食能源"))
    engine.dispose()


def test_a_ledger_with_a_short_form_filed_as_its_own_category_keeps_working(cli, seeded, tmp_path):
    _misfiled(cli, seeded)
    cli.ok("task", "add", "储备粮轮换", "-c", "保粮食能源安全", "-l", "市财政局", "-d", "2020-12-31",
           "--start", "2020-06-01")
    for written in ("粮食能源", "保粮食能源安全", "粮食"):
        listed = json.loads(cli.ok("task", "list", "-c", written, "--json").stdout)
        assert sorted(r["code"] for r in listed) == ["LN-001", "QT-001"], written
    report = json.loads(cli.ok("report", "weekly", "-c", "粮食能源", "--json").stdout)
    assert report["totals"]["tasks"] == 2
    whole = json.loads(cli.ok("report", "weekly", "--json").stdout)
    by = {c["category"]: c["tasks"] for c in whole["by_category"]}
    assert by["保粮食能源安全"] == 2 and "粮食能源" not in by  # counted as its 保, not as a seventh category
    # an export goes back in unchanged: restating the 保 refiles nothing behind the officer's back
    out = tmp_path / "台账.xlsx"
    cli.ok("export", "tasks", "-o", str(out))
    before = snapshot(seeded)
    assert "与台账一致，台账未改动" in cli.ok("import", "tasks", str(out)).stdout
    sheet = _csv(tmp_path / "改.csv", [["任务编号", "任务名称", "类别"], ["QT-001", "春耕备耕", "保粮食能源安全"]], "gb18030")
    assert "与台账一致，台账未改动" in cli.ok("import", "tasks", str(sheet)).stdout
    assert snapshot(seeded) == before
    # task edit -c files it under the full name, and the history says so
    cli.ok("task", "edit", "QT-001", "-c", "粮食能源", "--reason", "归入六保")
    card = _card(cli, "QT-001")
    assert card["category"] == "保粮食能源安全"
    assert any(c["field"] == "category" and (c["old"], c["new"]) == ("粮食能源", "保粮食能源安全")
               for c in card["changes"])


def test_the_code_prefixes_name_their_category_in_filters_and_new_tasks(cli, seeded):
    # JY-001 … : the letters the codes show are what an officer types first
    cli.ok("task", "add", "新增就业任务", "-c", "JY", "-l", "市人社局", "--start", "2020-06-01", "-d", "2020-12-31")
    assert json.loads(cli.ok("task", "show", "JY-003", "--json").stdout)["category"] == "保居民就业"
    week = json.loads(cli.ok("report", "weekly", "-c", "jy", "--json").stdout)
    assert week["scope"]["category"] == "保居民就业" and week["totals"]["tasks"] == 3
