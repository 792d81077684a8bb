"""The demo ledger's 周报 at fixed dates, compared byte for byte with golden files, on SQLite and PostgreSQL.

The demo is deterministic and the reports answer only from what the ledger
knew at the as-of date, so these files change only when the parser, the
demo or the reports change on purpose. After such a change, look at the diff
and refresh them with ``SIXBAO_UPDATE_GOLDEN=1 python3 -m pytest tests/test_reports_golden.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sixbao_cli.rules import DEFAULT_RULES

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


def test_weekly_lists_the_worst_of_each_section_on_the_demo(cli, demo):
    """With a limit, each section of the 周报 holds its most severe tasks in the same order as without one,
    and without a limit exactly the tasks of some section: every red and yellow task is in one."""
    def report(*args):
        return json.loads(cli.ok("report", *args, "--as-of", "2020-12-24", "--json").stdout)  # every section holds two or more

    full = report("weekly", "--limit", "0")
    sections = {
        "overdue": lambda i: "overdue" in i["flags"],
        "due_soon": lambda i: "due_soon" in i["flags"],
        "slow": lambda i: "slow" in i["flags"] and "overdue" not in i["flags"],
        "stale": lambda i: "stale" in i["flags"],
        "ladder": lambda i: i["step"] is not None,
    }
    listed = {kind: {i["code"] for i in report(kind, "--limit", "0")["items"]} for kind in ("overdue", "slow", "stale")}
    codes = [i["code"] for i in full["items"]]
    assert set(codes) == listed["overdue"] | listed["slow"] | listed["stale"] | {
        i["code"] for i in full["items"] if i["step"] or "due_soon" in i["flags"]}
    assert len(codes) == len(set(codes)) == full["counts"]["items"] == full["totals"]["red"] + full["totals"]["yellow"]
    for name, test in sections.items():
        assert full["counts"][name] == sum(1 for i in full["items"] if test(i)) >= 2, name
    for limit in (1,):
        capped = report("weekly", "--limit", str(limit))
        assert capped["counts"] == full["counts"]
        for name, test in sections.items():
            in_full = [i["code"] for i in full["items"] if test(i)]
            if name == "ladder":
                steps = {i["code"]: (i["step"], i["behind"] or 0.0) for i in full["items"]}
                order = [step.action for step in DEFAULT_RULES.ladder]
                in_full.sort(key=lambda c: (-order.index(steps[c][0]), -steps[c][1], c))  # further behind first
            assert set(in_full[:limit]) <= {i["code"] for i in capped["items"]}, (name, limit)
        kept = [c for c in codes if c in {i["code"] for i in capped["items"]}]
        assert kept == [i["code"] for i in capped["items"]]  # the same order, most severe first
