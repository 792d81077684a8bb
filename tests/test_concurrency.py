"""Desk officers writing at the same moment all succeed (write transactions take the lock up front)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

WRITERS = 4
ENTRIES = 15

SCRIPT = """
import sys
from sixbao_cli.cli import app
writer = int(sys.argv[1])
for i in range(int(sys.argv[2])):
    try:
        app(["progress", "add", "JY-001", "-p", str(writer * 10 + i % 10), "--date", "2020-09-25",
             "-u", "市人社局", "--note", f"w{writer}-{i}"])
    except SystemExit as e:
        if e.code:
            sys.exit(e.code)
"""


def test_concurrent_writers_all_succeed(cli, seeded):
    env = {**os.environ, "SIXBAO_DB": seeded}
    procs = [subprocess.Popen([sys.executable, "-c", SCRIPT, str(w), str(ENTRIES)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(WRITERS)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert [code for code, _ in results] == [0] * WRITERS, [err for _, err in results]
    notes = sorted(e["note"] for e in json.loads(cli.ok("progress", "list", "--json").stdout))
    assert notes == sorted(f"w{w}-{i}" for w in range(WRITERS) for i in range(ENTRIES))
