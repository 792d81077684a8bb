"""sixbao report on a real terminal of 80, 120 and 160 columns: codes, dates, percents and steps stay whole.

The program runs in a subprocess whose standard output is a pseudo-terminal
of the given size, as in an officer's terminal window; what it prints is read
back and checked line by line. Piped output is covered by the golden files.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest
from rich.cells import cell_len

AS_OF = "2020-12-10"
TOKEN = re.compile(r"[A-Z]{2}-\d{3}|\d{4}-\d{2}-\d{2}|\d+(?:\.\d+)?%／\d+(?:\.\d+)?%|未报送／\d+(?:\.\d+)?%")


@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "ledger.db"
    env = {**os.environ, "SIXBAO_DB": str(path)}
    subprocess.run([sys.executable, "-m", "sixbao_cli", "demo"], env=env, check=True, capture_output=True,
                   stdin=subprocess.DEVNULL, timeout=300)
    return path


def _on_terminal(args: list[str], ledger, columns: int) -> str:
    """What ``sixbao ARGS`` shows on a terminal ``columns`` wide (colours off, so only text is compared)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {**os.environ, "SIXBAO_DB": str(ledger), "TERM": "xterm-256color", "NO_COLOR": "1"}
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    proc = subprocess.Popen([sys.executable, "-m", "sixbao_cli", *args], stdout=follower, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed: Linux reports EIO
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


@pytest.mark.parametrize("columns", [80, 120, 160])
@pytest.mark.parametrize("kind", ["overdue", "slow", "weekly"])
def test_codes_dates_and_percents_are_never_broken(demo_ledger, kind, columns):
    shown = _on_terminal(["report", kind, "--as-of", AS_OF], demo_ledger, columns)
    lines = shown.splitlines()
    assert all(cell_len(line) <= columns for line in lines), max(lines, key=cell_len)
    data = json.loads(subprocess.run(
        [sys.executable, "-m", "sixbao_cli", "report", kind, "--as-of", AS_OF, "--json"], capture_output=True, text=True,
        env={**os.environ, "SIXBAO_DB": str(demo_ledger)}, stdin=subprocess.DEVNULL, timeout=120, check=True).stdout)
    found = set(TOKEN.findall(shown))
    for item in data["items"]:
        assert item["code"] in found, (item["code"], columns)
        if item.get("deadline"):
            assert item["deadline"] in found, (item["deadline"], columns)
    # nothing that starts like a code, date or percent is cut off at a line's end
    assert not [line for line in lines if re.search(r"(?:\b[A-Z]{2}-\d{0,2}|\b20\d\d-(?:\d\d-?)?|／\d*)\s*$", line)]
    assert "…" not in shown  # nothing shortened: what does not fit folds
