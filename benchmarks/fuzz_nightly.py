"""The fuzz tests at nightly strength: tests/test_fuzz.py with many more cases per property.

    .venv/bin/python benchmarks/fuzz_nightly.py                    # 50,000 cases per property
    .venv/bin/python benchmarks/fuzz_nightly.py --examples 5000 -k import
    .venv/bin/python benchmarks/fuzz_nightly.py --seed 12345       # reproduce one night's run

Runs pytest on tests/test_fuzz.py with SIXBAO_FUZZ_EXAMPLES set, then prints
how many cases each property ran, how long the file took, and for the
importers how their cases ended ("ok" or the error's catalog key: how many got
past the header and into the row checks). A failing property is printed by
pytest with the smallest input Hypothesis found, ready to become an @example;
the exit code is pytest's. Hypothesis keeps what it found in .hypothesis/ and
replays it first next time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=50_000, help="cases per property (default 50,000)")
    parser.add_argument("-k", dest="select", help="only the properties whose name matches (pytest -k)")
    parser.add_argument("--seed", help="Hypothesis seed, to repeat a run")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "runs.json"
        env = {**os.environ, "SIXBAO_FUZZ_EXAMPLES": str(args.examples), "SIXBAO_FUZZ_REPORT": str(report)}
        command = [sys.executable, "-m", "pytest", "tests/test_fuzz.py", "-q", "-p", "no:cacheprovider",
                   "--durations=0", "--hypothesis-show-statistics"]
        if args.select:
            command += ["-k", args.select]
        if args.seed:
            command += [f"--hypothesis-seed={args.seed}"]
        started = time.perf_counter()
        code = subprocess.run(command, cwd=REPO, env=env, check=False).returncode
        elapsed = time.perf_counter() - started
        runs = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {"cases": {}, "outcomes": {}}

    print()
    print(f"cases per property (asked for {args.examples:,}), {elapsed:.0f} s in all:")
    width = max((len(name) for name in runs["cases"]), default=10)
    for name, cases in runs["cases"].items():
        print(f"  {name:<{width}}  {cases:>9,}")
    for name, outcomes in runs["outcomes"].items():
        total = sum(outcomes.values()) or 1
        ordered = [("ok", outcomes.get("ok", 0)), *((k, n) for k, n in outcomes.items() if k != "ok")]
        shown = ", ".join(f"{key} {n * 100 / total:.1f}%" for key, n in ordered[:8])
        print(f"  {name} ended: {shown}")
    return code


if __name__ == "__main__":
    sys.exit(main())
