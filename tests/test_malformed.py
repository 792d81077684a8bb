"""The catalogue of malformed inputs: each is refused with its one exact message, a non-zero exit, no traceback,
and the ledger exactly as it was.

The files and what sixbao must answer to each are in tests/fixtures/malformed/ (manifest.toml; the workbooks are
written by make_xlsx.py): progress and task sheets in CSV, JSON and .xlsx, plan texts for import-doc and rules
files for report rules --set. Bad command-line arguments are the table ARG_CASES below. Together with the 57
sheets of test_cli_import_bad_input.py they make the catalogue of issue 6. Every case runs in-process on one
seeded SQLite ledger; a handful also run as a real ``sixbao`` process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import Cli, seed, snapshot

MALFORMED = Path(__file__).parent / "fixtures" / "malformed"
MANIFEST = tomllib.loads((MALFORMED / "manifest.toml").read_text(encoding="utf-8"))["case"]
FILE_CASES = [(c["file"], c["args"], c["exit"], c["message"]) for c in MANIFEST]

# (id, arguments, exit code, the whole message on stderr); files named here do not exist
ARG_CASES = [
    ("as-of 13月", ["import", "progress", "x.csv", "--as-of", "2020-13-01"], 4,
     "错误：--as-of 的值“2020-13-01”是不存在的日期。请检查月份和日期。"),
    ("as-of 文字", ["report", "weekly", "--as-of", "下周一"], 4,
     "错误：--as-of 的值“下周一”不是日期。请写成 2020-09-25、2020/9/25 或 2020年9月25日。"),
    ("进度150", ["progress", "add", "JY-001", "-p", "150", "--date", "2020-09-25", "-u", "市人社局"], 4,
     "错误：--percent 的值“150”超出 0–100。完成进度请填 0 到 100 之间的百分数（60 或 60% 都表示百分之六十）。"),
    ("进度文字", ["progress", "add", "JY-001", "-p", "过半", "--date", "2020-09-25", "-u", "市人社局"], 4,
     "错误：--percent 的值“过半”不是百分数。请写成 60、60% 或 0.6% 这样的数。"),
    ("时限错字", ["task", "add", "新任务", "-c", "就业", "-l", "市人社局", "-d", "6月低前"], 4,
     "错误：--deadline 的值“6月低前”不是日期。请写成 2020-09-25、2020/9/25 或 2020年9月25日。"),
    ("未知单位", ["task", "add", "新任务", "-c", "就业", "-l", "市人社"], 3, "错误：单位“市人社”不存在。相近的单位或简称：市人社局。"),
    ("未知任务", ["task", "show", "JY-999"], 3, "错误：任务编号“JY-999”不存在。是否要找：JY-001、JY-002？"),
    ("未知选项", ["task", "list", "--colour"], 2, "错误：没有选项 --colour。用法见：sixbao task list --help"),
    ("年份太小", ["import", "tasks", "x.csv", "--year", "1999"], 2,
     "错误：--year 的值无效：应不小于 2000。用法见：sixbao import tasks --help"),
    ("年份太大", ["import", "tasks", "x.csv", "--year", "2101"], 2,
     "错误：--year 的值无效：应不大于 2100。用法见：sixbao import tasks --help"),
    ("批次不是数", ["import", "undo", "abc"], 2, "错误：BATCH 的值无效：应为整数。用法见：sixbao import undo --help"),
    ("没有的表", ["import", "progress", "没有这个表.csv", "-u", "市人社局"], 4,
     "错误：无法读取文件 没有这个表.csv：文件或目录不存在"),
    ("目录当文件", ["import-doc", "."], 4, "错误：无法读取文件 .：这是一个目录，不是文件"),
    ("文件当目录", ["import", "progress", "/dev/null/x.csv", "-u", "市人社局"], 4,
     "错误：无法读取文件 /dev/null/x.csv：路径中有一段不是目录"),
    ("没有的方案", ["import-doc", "没有这个方案.txt"], 4, "错误：无法读取文件 没有这个方案.txt：文件或目录不存在"),
    ("没有的规则", ["report", "weekly", "--rules", "没有这个规则.toml"], 4,
     "错误：无法读取规则文件 没有这个规则.toml：文件不存在。请检查 --rules 或 report rules --set 给出的路径。"),
    ("规则设又清", ["report", "rules", "--set", "x.toml", "--reset"], 4, "错误：--set 和 --reset 不能同时使用。"),
    ("未知格式", ["report", "weekly", "--format", "pdf"], 4,
     "错误：不支持的格式“pdf”，可用：terminal | markdown | html | csv | json。"),
    ("目标不明", ["task", "edit", "JY-001", "--target", "尽力而为"], 4,
     "错误：目标“尽力而为”看不懂。请写成“指标≥数值单位”，例如：城镇新增就业>=2600人。"),
    ("节点不明", ["task", "edit", "JY-001", "-m", "九月"], 4,
     "错误：节点“九月”看不懂。请写成“日期:进度%”或“日期:数值”，例如 2020-05-31:50%。"),
    ("空字节参数", ["task", "show", "JY-\x00001"], 3, "错误：任务编号“JY-\x00001”不存在。是否要找：JY-001、JY-002？"),
]


@pytest.fixture(scope="module")
def catalogue_ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One seeded SQLite ledger for every case: each must leave it exactly as it found it."""
    url = str(tmp_path_factory.mktemp("malformed") / "ledger.db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIXBAO_DB", url)
        seed(Cli(), url)
    return url


def _refused(result, code: int, message: str) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.exit_code == code, result.stderr
    assert result.exit_code not in (0, 1)  # 1 is the code of an unexpected, internal error
    lines = result.stderr.strip().splitlines()
    assert lines and lines[0].startswith("错误："), result.stderr
    assert result.stderr.strip() == message


@pytest.mark.parametrize(("file", "args", "code", "message"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_malformed_file_is_refused_and_changes_nothing(cli, catalogue_ledger, tmp_path, monkeypatch, file, args,
                                                       code, message):
    monkeypatch.setenv("SIXBAO_DB", catalogue_ledger)
    monkeypatch.chdir(tmp_path)
    shutil.copy(MALFORMED / file, Path(file).name)
    before = snapshot(catalogue_ledger)
    result = cli(*(a.replace("{file}", Path(file).name) for a in args))
    _refused(result, code, message)
    assert result.stdout == ""
    assert snapshot(catalogue_ledger) == before


@pytest.mark.parametrize(("name", "args", "code", "message"), ARG_CASES, ids=[c[0] for c in ARG_CASES])
def test_malformed_argument_is_refused_and_changes_nothing(cli, catalogue_ledger, tmp_path, monkeypatch, name, args,
                                                           code, message):
    monkeypatch.setenv("SIXBAO_DB", catalogue_ledger)
    monkeypatch.chdir(tmp_path)
    before = snapshot(catalogue_ledger)
    result = cli(*args)
    _refused(result, code, message)
    assert snapshot(catalogue_ledger) == before


def test_the_catalogue_is_complete():
    """Every file in the folder has its case, and the catalogue holds at least 40 files of every kind together."""
    listed = {c["file"] for c in MANIFEST}
    present = {f"{p.parent.name}/{p.name}" for p in MALFORMED.glob("*/*")}
    assert listed == present
    assert len(listed) >= 40
    assert {f.split("/")[0] for f in listed} == {"progress", "tasks", "xlsx", "plans", "rules"}


SUBPROCESS_CASES = ["progress/截断的汉字.csv", "tasks/上级成环.csv", "xlsx/截断的工作簿.xlsx", "plans/Word改名.txt",
                    "rules/语法错误.toml"]


@pytest.mark.parametrize("file", SUBPROCESS_CASES)
def test_malformed_file_is_refused_by_the_real_program(catalogue_ledger, tmp_path, file):
    """The same answer from a real ``sixbao`` process: exit code, the message on stderr, no traceback."""
    (case,) = [c for c in MANIFEST if c["file"] == file]
    shutil.copy(MALFORMED / file, tmp_path / Path(file).name)
    before = snapshot(catalogue_ledger)
    args = [a.replace("{file}", Path(file).name) for a in case["args"]]
    run = subprocess.run([sys.executable, "-m", "sixbao_cli", *args], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "SIXBAO_DB": catalogue_ledger}, timeout=120, check=False)
    assert "Traceback" not in run.stderr
    assert (run.returncode, run.stderr.strip(), run.stdout) == (case["exit"], case["message"], "")
    assert snapshot(catalogue_ledger) == before
