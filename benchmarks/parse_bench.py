"""How fast the document parser reads a plan, and whether its time grows linearly with the plan's size.

    .venv/bin/python benchmarks/parse_bench.py                  # seeds, then 0.25, 0.5, 1 and 2 MB
    .venv/bin/python benchmarks/parse_bench.py --runs 3 --sizes 1,4
    .venv/bin/python benchmarks/parse_bench.py --save /tmp/big-plan.txt   # also keep the 1 MB plan

What is measured: ``sixbao_cli.docparse.parser.parse`` on the plan's bytes, in
this process — decoding, paragraphs, identity, the outline walk, responsibility,
deadlines, targets and milestones — as ``sixbao import-doc`` calls it, without
the database. Each figure is the median of ``--runs`` timed runs after one
untimed warm-up run (which compiles the regular expressions), with the fastest
and slowest run in brackets.

The seeds are timed first, one by one. Then a large plan is built from them in
the shape of the biggest seed: the main text of 吉林省's 实施意见 (seed 000, up
to its list of annexes), followed by annex-like plans taken in turn from its six
annexed 实施方案 and from 高台县's six bundled 工作方案 (seed 002), each behind its
own renumbered marker (附件 1, 附件 2, … 附件 N), until the plan reaches the size
asked for. 1 MB is 1,000,000 bytes of UTF-8: about 70 annexes and 1,500 tasks.

Linear growth shows as a steady ``s per MB`` down the table and a growth
exponent near 1 (the slope of log time over log size from the smallest to the
largest plan; 2 would be quadratic). Like the other benchmarks, this script
asserts nothing about time: it reports, people judge.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import time
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seed"
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from sixbao_cli import phrases  # noqa: E402
from sixbao_cli.docparse.model import ParsedDocument  # noqa: E402
from sixbao_cli.docparse.parser import parse  # noqa: E402
from sixbao_cli.docparse.source import decode  # noqa: E402

MB = 1_000_000
ANNEX_MARKER = re.compile(r"^附\s*件\s*[0-9０-９]+\s*$", re.MULTILINE)
ANNEXED_TITLE = re.compile(r"^关于保\S+的实施方案$", re.MULTILINE)  # seed 000's annexes
BUNDLED_TITLE = re.compile(r"^关于保\S+工作方案$", re.MULTILINE)  # seed 002's bundled plans
ANNEX_LIST = re.compile(r"^[-—•·\s]*附\s*件\s*[:：]", re.MULTILINE)


@dataclass
class Timing:
    """The median, fastest and slowest of the timed runs, in seconds, and the document the last run gave."""

    median: float
    fastest: float
    slowest: float
    doc: ParsedDocument


def time_parse(data: bytes, name: str, runs: int) -> Timing:
    """parse() on ``data``: one untimed warm-up run, then ``runs`` timed runs, each cold.

    The phrase scanner caches its results per text; the cache is cleared before
    every run so that a run never profits from the one before it (a command
    parses a plan once).
    """
    doc = parse(data, name=name, fallback_year=2020)
    samples = []
    for _ in range(runs):
        phrases._scan.cache_clear()
        start = time.perf_counter()
        doc = parse(data, name=name, fallback_year=2020)
        samples.append(time.perf_counter() - start)
    return Timing(statistics.median(samples), min(samples), max(samples), doc)


def seed_text(prefix: str) -> str:
    (path,) = SEED.glob(f"{prefix}_*.txt")
    return decode(path.read_bytes(), name=path.name)


def _plans(text: str, title: re.Pattern[str]) -> list[tuple[str, str]]:
    """(title, body) of every plan in ``text`` that starts at a line matching ``title``, markers taken out."""
    starts = [m.start() for m in title.finditer(text)]
    plans = []
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        heading, _, body = text[begin:end].partition("\n")
        plans.append((heading.strip(), ANNEX_MARKER.sub("", body).strip()))
    return plans


def plan_parts() -> tuple[str, list[tuple[str, str]]]:
    """The main text a large plan starts with, and the annex-like plans it repeats."""
    jilin = seed_text("000")
    listed = ANNEX_LIST.search(jilin)
    main = jilin[:listed.start()].rstrip()
    annexes = _plans(jilin[listed.end():], ANNEXED_TITLE)
    gaotai = seed_text("002")
    return main, annexes + _plans(gaotai, BUNDLED_TITLE)


def build_plan(size: int, main: str, annexes: list[tuple[str, str]]) -> tuple[bytes, int]:
    """A plan of at least ``size`` bytes (UTF-8): the main text, then annexes 附件 1 … N in turn; and N."""
    parts = [main]
    total = len(main.encode("utf-8"))
    count = 0
    for title, body in cycle(annexes):
        if total >= size:
            break
        count += 1
        part = f"附件 {count}\n\n{title}\n\n{body}"
        parts.append(part)
        total += len(part.encode("utf-8")) + 2
    return "\n\n".join(parts).encode("utf-8") + b"\n", count


def _mb_per_s(size: int, seconds: float) -> float:
    return size / MB / seconds if seconds else math.inf


def report_seeds(runs: int) -> None:
    print(f"Seed plans: parse(), median of {runs} runs [fastest–slowest]")
    print(f"{'file':<28} {'KB':>6} {'tasks':>6} {'warnings':>9} {'ms':>24} {'MB/s':>7}")
    for path in sorted(SEED.glob("*.txt")):
        data = path.read_bytes()
        t = time_parse(data, path.name, runs)
        spread = f"{t.median * 1e3:.1f} [{t.fastest * 1e3:.1f}–{t.slowest * 1e3:.1f}]"
        print(f"{path.name:<28} {len(data) / 1000:>6.1f} {len(t.doc.tasks):>6} {len(t.doc.warnings):>9} "
              f"{spread:>24} {_mb_per_s(len(data), t.median):>7.2f}")
    print()


def report_sizes(sizes: list[float], runs: int, save: Path | None) -> None:
    main, annexes = plan_parts()
    print(f"Built plans: seed 000's main text + annexes from seeds 000 and 002, median of {runs} runs [fastest–slowest]")
    print(f"{'MB':>5} {'annexes':>8} {'tasks':>6} {'warnings':>9} {'seconds':>24} {'MB/s':>6} {'s per MB':>9} {'vs first':>9}")
    rows = []
    for mb in sizes:
        data, count = build_plan(int(mb * MB), main, annexes)
        if save is not None and mb == 1:
            save.write_bytes(data)
        t = time_parse(data, f"built-{mb}MB.txt", runs)
        per_mb = t.median / (len(data) / MB)
        rows.append((len(data), t.median))
        spread = f"{t.median:.3f} [{t.fastest:.3f}–{t.slowest:.3f}]"
        print(f"{len(data) / MB:>5.2f} {count:>8} {len(t.doc.tasks):>6} {len(t.doc.warnings):>9} {spread:>24} "
              f"{_mb_per_s(len(data), t.median):>6.2f} {per_mb:>9.3f} {per_mb / (rows[0][1] / (rows[0][0] / MB)):>8.2f}x")
    if len(rows) > 1:
        (small, t_small), (large, t_large) = rows[0], rows[-1]
        exponent = math.log(t_large / t_small) / math.log(large / small)
        print(f"\ngrowth exponent {small / MB:.2f} → {large / MB:.2f} MB: {exponent:.2f}  (1 = linear, 2 = quadratic)")
    if save is not None:
        print(f"the 1 MB plan: {save}" if 1 in sizes else "--save keeps the 1 MB plan; add 1 to --sizes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per plan (default 5)")
    parser.add_argument("--sizes", default="0.25,0.5,1,2", help="built plan sizes in MB, comma-separated (default 0.25,0.5,1,2)")
    parser.add_argument("--no-seeds", action="store_true", help="skip timing the seed plans one by one")
    parser.add_argument("--save", type=Path, help="write the 1 MB built plan to this file")
    args = parser.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    if not args.no_seeds:
        report_seeds(args.runs)
    report_sizes(sizes, args.runs, args.save)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
