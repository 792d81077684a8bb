"""Today is China's today and instants show in China time, whatever the host's time zone.

Each check runs the real program in a subprocess under a far-off ``TZ``
chosen so that the host's date differs from China's at the moment the test
runs (20 hours behind China, or 6 hours ahead late in China's evening).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from sixbao_cli.clock import CHINA


def _far_zone() -> str:
    """A TZ (POSIX Etc names count the sign backwards) whose date is not China's right now."""
    return "Etc/GMT+12" if datetime.now(CHINA).hour < 20 else "Etc/GMT-14"


@pytest.fixture
def run(sqlite_url):
    zone = _far_zone()

    def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "SIXBAO_DB": sqlite_url, "TZ": zone}
        done = subprocess.run([sys.executable, "-m", "sixbao_cli", *args], capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=60)
        if ok:
            assert done.returncode == 0, done.stderr
        return done

    host_today = subprocess.run([sys.executable, "-c", "import datetime; print(datetime.date.today())"],
                                capture_output=True, text=True, env={**os.environ, "TZ": zone}).stdout.strip()
    assert host_today != datetime.now(CHINA).date().isoformat(), "the far zone must have another date"
    run("unit", "add", "县人社局")
    run("task", "add", "稳就业测试任务", "-c", "就业", "-l", "县人社局", "-d", "2099-12-31")
    return run


def test_an_entry_for_today_in_china_is_accepted_and_tomorrow_refused(run):
    china = datetime.now(CHINA).date()
    added = run("progress", "add", "JY-001", "-p", "10", "--date", china.isoformat(), "-u", "县人社局", "--note", "x")
    assert china.isoformat() in added.stdout
    tomorrow = run("progress", "add", "JY-001", "-p", "20", "--date", (china + timedelta(days=1)).isoformat(),
                   "-u", "县人社局", "--note", "x", ok=False)
    assert tomorrow.returncode == 4 and "晚于今天" in tomorrow.stderr, tomorrow.stderr
    today = run("progress", "add", "JY-001", "-p", "30", "--date", "今天", "-u", "县人社局", "--note", "x")
    assert china.isoformat() in today.stdout


def test_a_new_task_starts_today_in_china(run):
    shown = json.loads(run("task", "show", "JY-001", "--json").stdout)
    assert shown["start"] == datetime.now(CHINA).date().isoformat()


def test_the_change_history_shows_china_time(run):
    before = datetime.now(CHINA)
    run("progress", "add", "JY-001", "-p", "10", "--date", "今天", "-u", "县人社局", "--note", "x")
    after = datetime.now(CHINA)
    shown = run("task", "show", "JY-001").stdout
    stamps = set(re.findall(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", shown))
    expected = {f"{moment:%Y-%m-%d %H:%M}" for moment in (before, after)}
    assert stamps and stamps <= expected | {f"{before + timedelta(minutes=1):%Y-%m-%d %H:%M}"}, (stamps, expected)


def test_a_report_and_an_entry_agree_on_today(run):
    china = datetime.now(CHINA).date().isoformat()
    assert run("report", "overdue", "--as-of", china, "--json").returncode == 0
    assert run("progress", "add", "JY-001", "-p", "5", "--date", china, "-u", "县人社局", "--note", "x").returncode == 0
