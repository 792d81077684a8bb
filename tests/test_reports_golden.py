"""The demo ledger's 周报 at fixed dates, compared byte for byte with golden files, on SQLite and PostgreSQL.

The demo is deterministic and the reports answer only from what the ledger
knew at the as-of date, so these files change only when the parser, the
demo or the reports change on purpose. After such a change, look at the diff
and refresh them with ``SIXBAO_UPDATE_GOLDEN=1 python3 -m pytest tests/test_reports_golden.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = [
    ("weekly", "2020-09-21", "markdown", "md", ()),
    ("weekly", "2020-09-21", "json", "json", ()),
    ("weekly", "2020-11-30", "markdown", "md", ("--period", "xun")),
    ("units", "2020-09-30", "csv", "csv", ("--since", "2020-07-01")),
    ("weekly", "2020-12-10", "markdown", "md", ()),  # 逾期, 限期整改 with its 整改 deadline, 约谈, 问责
    ("weekly", "2020-12-10", "json", "json", ()),
]


@pytest.fixture
def demo(cli, db_url):
    cli.ok("demo")
    return db_url


def test_golden_reports_of_the_demo(cli, demo):
    for kind, as_of, fmt, suffix, extra in CASES:
        text = cli.ok("report", kind, "--as-of", as_of, "--format", fmt, *extra).stdout
        path = GOLDEN / f"{kind}-{as_of}{'-' + extra[1] if extra and extra[0] == '--period' else ''}.{suffix}"
        if os.environ.get("SIXBAO_UPDATE_GOLDEN"):
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        assert text == path.read_bytes().decode("utf-8"), f"{path.name} differs; see the module docstring"
