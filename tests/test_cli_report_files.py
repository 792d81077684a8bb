"""sixbao report -o: what stands at the output path (links, devices, FIFOs, modes), --dry-run and --quiet.

These run the real program in a subprocess against real files, since what is
tested is what the operating system ends up holding. The ledger content does
not matter here, so SQLite alone is enough.
"""

from __future__ import annotations

import grp
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

AS_OF = ("--as-of", "2020-12-10")


def _run(*args: str, env: dict[str, str] | None = None, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sixbao_cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL, timeout=timeout)


def test_a_symlink_stays_a_link_and_its_target_is_replaced(sqlite_seeded, tmp_path):
    target = tmp_path / "归档" / "周报.html"
    target.parent.mkdir()
    target.write_text("上周\n", encoding="utf-8")
    link = tmp_path / "最新.html"
    link.symlink_to(Path("归档") / "周报.html")
    done = _run("report", "weekly", *AS_OF, "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("归档") / "周报.html")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in target.parent.iterdir()) == ["周报.html"]  # no temporary file left


def test_a_dangling_symlink_creates_its_target(sqlite_seeded, tmp_path):
    link = tmp_path / "周报.md"
    link.symlink_to(tmp_path / "真实.md")
    assert _run("report", "weekly", *AS_OF, "-o", str(link)).returncode == 0
    assert link.is_symlink() and (tmp_path / "真实.md").read_text(encoding="utf-8").startswith("# ")


def test_a_device_behind_a_link_is_written_through_not_replaced(sqlite_seeded, tmp_path):
    devnull = tmp_path / "null.json"
    devnull.symlink_to("/dev/null")
    done = _run("report", "overdue", *AS_OF, "--format", "json", "-o", str(devnull))
    assert done.returncode == 0, done.stderr
    assert devnull.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert list(tmp_path.glob(".*")) == []


def test_dev_stdout_through_a_link_reaches_standard_output(sqlite_seeded, tmp_path):
    out = tmp_path / "out.json"
    out.symlink_to("/dev/stdout")
    done = _run("report", "overdue", *AS_OF, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.is_symlink() and "items" in json.loads(done.stdout)
    assert list(tmp_path.glob(".*")) == []


def test_a_fifo_is_written_through(sqlite_seeded, tmp_path):
    fifo = tmp_path / "管道.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = _run("report", "overdue", *AS_OF, "-o", str(fifo))
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].decode("utf-8").startswith("\ufeff任务编号,")
    assert list(tmp_path.glob(".*")) == []


def test_an_existing_files_mode_and_group_are_kept(sqlite_seeded, tmp_path):
    out = tmp_path / "周报.md"
    out.write_text("上周\n", encoding="utf-8")
    groups = [g for g in os.getgroups() if g != os.stat(out).st_gid] if os.getuid() != 0 else \
        [g.gr_gid for g in grp.getgrall() if g.gr_gid != os.stat(out).st_gid][:1]
    group = groups[0] if groups else os.stat(out).st_gid
    os.chown(out, -1, group)
    out.chmod(0o640)
    assert _run("report", "weekly", *AS_OF, "-o", str(out)).returncode == 0
    info = os.stat(out)
    assert out.read_text(encoding="utf-8").startswith("# ")
    assert stat.S_IMODE(info.st_mode) == 0o640 and info.st_gid == group


def test_a_new_file_is_readable_by_others(sqlite_seeded, tmp_path):
    out = tmp_path / "周报.md"
    assert _run("report", "weekly", *AS_OF, "-o", str(out)).returncode == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o644 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
# --- --dry-run checks the paths as the real write would ---------------------------------------------------


@pytest.mark.parametrize(("where", "message"), [
    ("无此目录/周报.html", "错误：无法写入 {out}：目录 {tmp}/无此目录 不存在。请先创建该目录。"),
    ("", "错误：{out} 是一个目录。请给出文件名。"),
    ("周报.docx", "错误：无法从文件名 {out} 判断格式"),
])
def test_dry_run_fails_as_the_real_run_would(cli, sqlite_seeded, tmp_path, where, message):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / where if where else tmp_path
    expected = message.format(out=out, tmp=tmp_path)
    fmt = () if where else ("--format", "html")
    for extra in (("--dry-run",), ()):
        result = cli("report", "weekly", *AS_OF, "-o", str(out), *fmt, *extra)
        assert result.exit_code == 4, (extra, result.stderr)
        assert result.stderr.strip().startswith(expected), (extra, result.stderr)
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.glob("*.html")) and not list(tmp_path.glob(".*"))


def test_dry_run_refuses_a_folder_it_may_not_write(sqlite_seeded, tmp_path):
    locked = tmp_path / "只读"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        # as root only a read-only file system refuses; drop the override the way the tester did
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] if os.getuid() == 0 else []
        runs = [subprocess.run([*prefix, sys.executable, "-m", "sixbao_cli", "report", "weekly", *AS_OF,
                                "-o", str(locked / "周报.md"), *extra], capture_output=True, text=True,
                               stdin=subprocess.DEVNULL, timeout=60) for extra in (("--dry-run",), ())]
    finally:
        locked.chmod(0o755)
    for done in runs:
        assert done.returncode == 4, done.stderr
        assert done.stderr.strip() == f"错误：无法写入 {locked / '周报.md'}：没有权限。未写入任何文件。"
    assert list(locked.iterdir()) == []


def test_dry_run_writes_nothing_to_a_good_path(cli, sqlite_seeded, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "周报.html"
    result = cli.ok("report", "weekly", *AS_OF, "-o", str(out), "--dry-run")
    assert result.stderr.startswith(f"将写入 {out}（html，") and list(tmp_path.iterdir()) == []


# --- --quiet for cron -------------------------------------------------------------------------------------


def test_quiet_says_nothing_on_success_but_still_reports_errors(cli, sqlite_seeded, tmp_path):
    out = tmp_path / "周报.md"
    quiet = cli("report", "weekly", *AS_OF, "-o", str(out), "-q")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == "" and out.exists()
    flagged = cli("report", "weekly", "-o", str(out), "--quiet", "--fail-on", "red")
    assert flagged.exit_code == 8 and flagged.stderr.strip().endswith("退出码 8。")
    broken = cli("report", "weekly", *AS_OF, "-o", str(tmp_path / "无" / "周报.md"), "-q")
    assert broken.exit_code == 4 and broken.stderr.startswith("错误：无法写入")
    screen = cli("report", "overdue", *AS_OF, "-q", "--format", "csv")
    assert screen.exit_code == 0 and screen.stdout.startswith("\ufeff任务编号")  # data still goes out


def test_a_read_only_file_is_replaced_when_its_folder_allows_it(sqlite_seeded, tmp_path):
    # The mode is given to the new file after it is written: staged read-only, it refused its own content.
    out = tmp_path / "周报.md"
    out.write_text("上周\n", encoding="utf-8")
    out.chmod(0o444)
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] if os.getuid() == 0 else []
    done = subprocess.run([*prefix, sys.executable, "-m", "sixbao_cli", "report", "weekly", *AS_OF, "-o", str(out)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("# ") and stat.S_IMODE(os.stat(out).st_mode) == 0o444


@pytest.mark.parametrize("command", [("report", "overdue", *AS_OF), ("export", "tasks")])
def test_dev_stdout_appended_to_a_log_keeps_the_log(sqlite_seeded, tmp_path, command):
    # cron: "sixbao … -o /dev/stdout >> log" must add to the log, never empty it first
    log = tmp_path / "cron.log"
    log.write_text("上周的记录\n", encoding="utf-8")
    with open(log, "a", encoding="utf-8") as handle:
        done = subprocess.run([sys.executable, "-m", "sixbao_cli", *command, "-o", "/dev/stdout", "--format", "csv"],
                              stdout=handle, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 0, done.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("上周的记录\n") and "任务编号" in text
