"""sixbao import list | undo: every import is a batch; undoing one takes its entries out of the count
without deleting anything, puts back what it replaced, and moves statuses back."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select

from sixbao_cli.settings import resolve_db_url

from conftest import snapshot

H = "任务编号,填报日期,完成进度(%),进展情况\r\n"
AS_OF = ("--as-of", "2020-10-31")


def sheet(tmp_path: Path, name: str, *rows: str) -> str:
    path = tmp_path / name
    path.write_bytes(("\ufeff" + H + "".join(r + "\r\n" for r in rows)).encode("utf-8"))
    return str(path)


def state(cli) -> dict[str, tuple]:
    """Each task's status and percent as task list shows them."""
    return {r["code"]: (r["status"], r["percent"]) for r in json.loads(cli.ok("task", "list", "--json").stdout)}


def test_list_shows_batches_newest_first(cli, seeded, tmp_path):
    assert cli.ok("import", "list").stdout.strip() == "没有导入批次。"
    cli.ok("import", "progress", sheet(tmp_path, "一.csv", "JY-001,2020-09-25,60,x"), "-u", "市人社局", *AS_OF)
    cli.ok("import", "progress", sheet(tmp_path, "二.csv", "JC-001,2020-09-25,30,x", "JY-001,2020-10-05,70,x"),
           "-u", "市财政局", *AS_OF)
    batches = json.loads(cli.ok("import", "list", "--json").stdout)
    assert [(b["id"], b["kind"], b["file"], b["unit"], b["rows"], b["undone_at"]) for b in batches] == [
        (2, "progress", "二.csv", "市财政局", 2, None), (1, "progress", "一.csv", "市人力资源社会保障局", 1, None)]
    assert len(batches[0]["checksum"]) == 64
    lines = cli.ok("import", "list").stdout.splitlines()
    assert lines[0].split() == ["批次", "导入时间", "类型", "文件", "单位", "条数", "备注"]
    assert lines[1].split()[0] == "#2" and lines[1].split()[4:] == ["二.csv", "市财政局", "2"]
    assert lines[-1] == "共 2 个导入批次。"
    assert [b["id"] for b in json.loads(cli.ok("import", "list", "-n", "1", "--json").stdout)] == [2]


def test_undo_takes_a_batch_out_and_moves_statuses_back(cli, seeded, tmp_path):
    cli.ok("progress", "add", "JY-001", "-p", "40", "--date", "2020-08-05", "-u", "市人社局", "--note", "手工")
    before = state(cli)
    cli.ok("import", "progress", sheet(tmp_path, "进展.csv", "JY-001,2020-09-25,60,导入", "JY-002,2020-06-29,100,完成"),
           "-u", "市人社局", *AS_OF)
    assert state(cli)["JY-001"] == ("in_progress", 60.0) and state(cli)["JY-002"] == ("completed", 100.0)
    result = cli.ok("import", "undo", "1")
    assert result.stdout.strip() == ("已撤销导入批次 #1（进展.csv）：2 条进展不再计入（记录保留），0 条被取代的原记录恢复有效，"
                                     "1 项任务状态随之更新。")
    assert state(cli) == before  # JY-001 back to its hand-typed 40 %, JY-002 back to 未启动
    listed = {e["id"]: e for e in json.loads(cli.ok("progress", "list", "--json").stdout)}
    assert sorted(listed) == [1, 2, 3]  # nothing deleted
    assert (listed[2]["undone_batch"], listed[3]["undone_batch"], listed[1]["undone_batch"]) == (1, 1, None)
    assert "已撤销（导入批次 #1）" in cli.ok("progress", "list", "JY-001").stdout
    assert [e["id"] for e in json.loads(cli.ok("progress", "list", "--effective", "--json").stdout)] == [1]
    card = json.loads(cli.ok("task", "show", "JY-002", "--json").stdout)
    assert [(c["old"], c["new"], c["reason"]) for c in card["changes"]] == [
        ("not_started", "completed", "导入批次 #1"), ("completed", "not_started", "撤销导入批次 #1")]
    batch = json.loads(cli.ok("import", "list", "--json").stdout)[0]
    assert batch["undone_at"] is not None
    assert "已于 " in cli.ok("import", "list").stdout.splitlines()[1]


def test_a_second_undo_says_it_is_already_undone(cli, seeded, tmp_path):
    cli.ok("import", "progress", sheet(tmp_path, "进展.csv", "JY-001,2020-09-25,60,x"), "-u", "市人社局", *AS_OF)
    cli.ok("import", "undo", "1")
    before = snapshot(seeded)
    result = cli("import", "undo", "1")
    assert result.exit_code == 5
    assert result.stderr.startswith("错误：导入批次 #1（进展.csv）已于 ")
    assert result.stderr.strip().endswith(" 撤销，未作改动。")
    result = cli("import", "undo", "7")
    assert (result.exit_code, result.stderr.strip()) == (3, "错误：导入批次 #7 不存在。最新的批次是 #1，可用 sixbao import list 查看。")
    assert snapshot(seeded) == before


def test_undo_of_a_replacement_puts_the_replaced_report_back(cli, seeded, tmp_path):
    first = sheet(tmp_path, "初报.csv", "JY-001,2020-09-25,60,初报")
    cli.ok("import", "progress", first, "-u", "市人社局", *AS_OF)
    cli.ok("import", "progress", sheet(tmp_path, "更正.csv", "JY-001,2020-09-26,65,更正"), "-u", "市人社局", *AS_OF,
           "--replace")
    assert state(cli)["JY-001"] == ("in_progress", 65.0)
    result = cli.ok("import", "undo", "2")
    assert "1 条被取代的原记录恢复有效" in result.stdout
    effective = json.loads(cli.ok("progress", "list", "--effective", "--json").stdout)
    assert [(e["date"], e["percent"], e["note"], e["batch_id"], e["restores"]) for e in effective] == [
        ("2020-09-25", 60.0, "初报", 1, 1)]  # a copy of entry #1, in batch 1, superseding the undone #2
    assert state(cli)["JY-001"] == ("in_progress", 60.0)
    assert "恢复 #1（撤销导入批次后）" in cli.ok("progress", "list").stdout
    # The first file again is the batch already there; the correction can come again, and go again.
    assert "内容相同，本次未导入任何内容" in cli.ok("import", "progress", first, "-u", "市人社局", *AS_OF).stdout
    again = cli.ok("import", "progress", sheet(tmp_path, "更正.csv", "JY-001,2020-09-26,65,更正"), "-u", "市人社局",
                   *AS_OF, "--replace")
    assert "取代原记录 1 条" in again.stdout and state(cli)["JY-001"] == ("in_progress", 65.0)
    cli.ok("import", "undo", "3")
    assert state(cli)["JY-001"] == ("in_progress", 60.0)
    cli.ok("import", "undo", "1")  # now the first batch too: nothing of either counts
    assert state(cli)["JY-001"] == ("not_started", None)
    assert json.loads(cli.ok("progress", "list", "--effective", "--json").stdout) == []


def test_undo_waits_for_what_was_built_on_the_batch(cli, seeded, tmp_path):
    cli.ok("import", "progress", sheet(tmp_path, "初报.csv", "JY-001,2020-09-25,60,初报"), "-u", "市人社局", *AS_OF)
    cli.ok("import", "progress", sheet(tmp_path, "更正.csv", "JY-001,2020-09-26,65,更正"), "-u", "市人社局", *AS_OF,
           "--replace")
    before = snapshot(seeded)
    result = cli("import", "undo", "1")
    assert (result.exit_code, result.stderr.strip()) == (5, (
        "错误：导入批次 #1 的进展 #1 已被导入批次 #2 的 #2 取代，未撤销。请先撤销批次 #2：sixbao import undo 2"))
    assert snapshot(seeded) == before
    cli.ok("progress", "correct", "2", "-p", "66", "--note", "手工更正")
    result = cli("import", "undo", "2")
    assert (result.exit_code, result.stderr.strip()) == (5, (
        "错误：导入批次 #2 的进展 #2 已被手工更正（#3），撤销会使更正失去依据，未撤销。如需改正，请用 sixbao progress correct 3。"))


def test_an_undone_entry_cannot_be_corrected(cli, seeded, tmp_path):
    cli.ok("import", "progress", sheet(tmp_path, "进展.csv", "JY-001,2020-09-25,60,x"), "-u", "市人社局", *AS_OF)
    cli.ok("import", "undo", "1")
    result = cli("progress", "correct", "1", "-p", "70")
    assert (result.exit_code, result.stderr.strip()) == (5, "错误：进展记录 #1 属于已撤销的导入批次 #1，不能更正。")


def test_after_undo_the_same_file_imports_again(cli, seeded, tmp_path):
    path = sheet(tmp_path, "进展.csv", "JY-001,2020-09-25,60,x")
    cli.ok("import", "progress", path, "-u", "市人社局", *AS_OF)
    cli.ok("import", "undo", "1")
    result = cli.ok("import", "progress", path, "-u", "市人社局", *AS_OF)
    assert result.stdout.strip() == f"已导入 {path}：新增 1 条，取代原记录 0 条，已在台账中 0 条（导入批次 #2）。"
    assert state(cli)["JY-001"] == ("in_progress", 60.0)


def test_only_progress_imports_are_undone(cli, seeded):
    from sixbao_cli import tables as T
    from sixbao_cli.sqltypes import utcnow

    engine = create_engine(resolve_db_url(seeded))
    with engine.begin() as conn:  # what `sixbao demo` records for its made-up reports
        conn.execute(insert(T.import_batch).values(kind="demo", file_name="sixbao demo", checksum="demo", row_count=0,
                                                   created_at=utcnow()))
    engine.dispose()
    result = cli("import", "undo", "1")
    assert (result.exit_code, result.stderr.strip()) == (5, "错误：批次 #1 是演示数据，不是进展导入，不能撤销。")


def test_counted_as_of_a_moment(cli, seeded, tmp_path):
    """Reports as of a day before an undo still see the batch: ``counted(p, cut)``."""
    from sixbao_cli import tables as T
    from sixbao_cli.services.progress_query import counted

    cli.ok("import", "progress", sheet(tmp_path, "进展.csv", "JY-001,2020-09-25,60,x"), "-u", "市人社局", *AS_OF)
    cli.ok("import", "undo", "1")
    engine = create_engine(resolve_db_url(seeded))
    try:
        with engine.connect() as conn:
            undone_at = conn.execute(select(T.import_batch.c.undone_at)).scalar_one()
            p = T.progress

            def ids(cut=None):
                return conn.execute(select(p.c.id).where(counted(p, cut))).scalars().all()

            assert ids() == [] and ids(undone_at + timedelta(seconds=1)) == []
            assert ids(undone_at) == [1] and ids(undone_at - timedelta(seconds=1)) == [1]  # undone at or after the cut
    finally:
        engine.dispose()
