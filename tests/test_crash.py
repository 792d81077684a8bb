"""A command killed with SIGKILL at any moment leaves an intact ledger, all or nothing, and the next run works.

The few trials CI can afford of benchmarks/crash_trials.py, which runs twenty
of each scenario (and the migration and the backup) on a 100,000-row import.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from crash_trials import bench_ledger, doc_scenario, import_scenario, run  # noqa: E402

TRIALS = 5


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("crash")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["import", "doc"])
def test_killed_at_random_moments(workdir, name):
    if name == "import":
        scenario = import_scenario(workdir, bench_ledger(workdir, tasks=1000), rows=20_000)
    else:
        scenario = doc_scenario(workdir)
    tally = run(scenario, workdir, TRIALS, random.Random(2020))
    assert tally.failures == []
    assert (tally.trials, tally.intact, tally.old + tally.new, tally.next_ok) == (TRIALS,) * 4
    assert tally.killed >= TRIALS - 2  # the kills fell while it ran, not after
