"""Build a large, realistic sixbao ledger for benchmarking.

    python benchmarks/build_ledger.py bench.db --tasks 100000 --entries-per-task 10
    python benchmarks/build_ledger.py postgresql+psycopg://postgres@127.0.0.1:5432/bench --tasks 10000

What it makes (all sizes are parameters; every row passes the schema's CHECK
constraints and foreign keys, which stay switched on while loading):

* units: ``--counties`` counties (default: one per 50 tasks, at most 2,000),
  each with its 县人民政府 and 25 departments under it (安平县人社局,
  安平县财政局, …); a few departments also get their full name as an alias
  (安平县人力资源和社会保障局);
* one county-level implementation plan (document) per county;
* ``--tasks`` tasks spread over the counties, in the six categories of
  ``sixbao_cli.categories.SIX`` with codes JY-000001, MS-000001, … numbered
  per category; each has one lead unit of the department the category
  belongs to and 0–3 supporting units of the same county (task_unit), one or
  two leaders (task_leader), a start date in 2020 and (mostly) a later
  deadline in 2020, sometimes a quantitative target and milestones;
* ``--entries-per-task`` progress entries per task, dated between the task's
  start and 2020-12-31 with a rising percent, reported by the lead unit
  (``source='manual'``, ``recorded_at`` an aware UTC instant on the report
  day). Entries are inserted in report-date order across all tasks, as a
  ledger filled in day by day would hold them, so one task's entries are
  scattered over the table instead of sitting side by side;
* the task_change rows the program itself writes when a report moves a task
  to 推进中 or 已完成, and 销号 (closed) for some completed tasks.

Everything is written in one write transaction (``Ledger.write()``) with
SQLAlchemy Core ``executemany`` in large chunks, or, on PostgreSQL and unless
``--no-copy`` is given, with psycopg's ``COPY FROM STDIN`` on the same
connection. The generator is seeded, so the same parameters give the same
ledger. The parameters and build figures are stored in the ledger's
``setting`` table under ``benchmark.build`` so that ``run.py`` can tell a
complete cached ledger from a stale or half-built one.

The ledger must be empty (new file or blank database) unless ``--replace``
is given: a SQLite file is then deleted first, a PostgreSQL ledger's tables
are truncated.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

MARKER_KEY = "benchmark.build"
GENERATOR_VERSION = 2  # 2: reports keep pace with the task's own deadline
YEAR_START = date(2020, 1, 1)
YEAR_END = date(2020, 12, 31)
LAST_START = date(2020, 9, 30)  # leaves every task at least three months of reports

# --- vocabulary -------------------------------------------------------------

# 25 county departments; the county government itself is the parent unit.
DEPARTMENTS = (
    "人社局", "财政局", "发改局", "商务局", "农业农村局", "市场监管局", "工信局", "住建局",
    "交通运输局", "民政局", "教育局", "卫健局", "医保局", "税务局", "应急管理局", "自然资源局",
    "生态环境局", "水利局", "统计局", "退役军人事务局", "乡村振兴局", "金融工作局", "供销社",
    "粮食和物资储备局", "能源局",
)
GOVERNMENT = "人民政府"
FULL_NAMES = {"人社局": "人力资源和社会保障局", "发改局": "发展和改革局", "市场监管局": "市场监督管理局"}

# Which departments lead a category's tasks (the first most often).
LEADS_BY_CATEGORY = {
    "保居民就业": ("人社局", "人社局", "人社局", "教育局", "退役军人事务局", "乡村振兴局"),
    "保基本民生": ("民政局", "医保局", "卫健局", "教育局", "住建局", "人社局"),
    "保市场主体": ("市场监管局", "财政局", "税务局", "金融工作局", "工信局", "商务局"),
    "保粮食能源安全": ("农业农村局", "粮食和物资储备局", "发改局", "能源局", "自然资源局", "水利局"),
    "保产业链供应链稳定": ("工信局", "商务局", "发改局", "交通运输局", "供销社"),
    "保基层运转": ("财政局", GOVERNMENT, "民政局", "应急管理局"),
}
CATEGORY_WEIGHTS = {"保居民就业": 24, "保基本民生": 22, "保市场主体": 20, "保粮食能源安全": 12,
                    "保产业链供应链稳定": 12, "保基层运转": 10}

TITLES = {
    "保居民就业": (
        "加大援企稳岗返还力度", "做好高校毕业生就业工作", "扩大以工代赈吸纳就业规模", "开发公益性岗位托底安置就业困难人员",
        "开展大规模职业技能培训", "支持农民工返乡入乡创业", "做好退役军人就业安置", "落实创业担保贷款贴息政策",
    ),
    "保基本民生": (
        "及时足额发放城乡低保金和特困人员救助供养金", "扩大失业保险保障范围", "落实困难群众价格临时补贴",
        "做好城乡居民基本医疗保险参保工作", "推进城镇老旧小区改造", "保障义务教育学生营养改善计划",
        "加强临时救助", "确保养老金按时足额发放",
    ),
    "保市场主体": (
        "落实阶段性减免企业社保费政策", "减免国有房屋租金", "加大普惠小微企业贷款支持力度", "清理拖欠民营企业中小企业账款",
        "落实增值税小规模纳税人减免政策", "降低企业用电用气成本", "推行证照分离改革", "设立应急转贷资金",
    ),
    "保粮食能源安全": (
        "稳定粮食播种面积", "落实耕地地力保护补贴", "加强高标准农田建设", "做好生猪稳产保供",
        "落实最低收购价政策", "保障煤电油气供应", "加强地方粮食储备管理", "推进农田水利设施建设",
    ),
    "保产业链供应链稳定": (
        "推动重点企业复工达产", "打通物流运输堵点", "支持外贸企业出口转内销", "开展产销对接活动",
        "实施重点产业链链长制", "推进重大项目开工建设", "支持冷链物流设施建设", "帮助企业解决原材料供应问题",
    ),
    "保基层运转": (
        "建立县级基本财力保障机制", "确保基层工资按时足额发放", "加强库款调度", "压减一般性支出",
        "优先保障三保支出", "规范乡镇财政管理", "加强直达资金监控", "盘活存量资金",
    ),
}
BODY_TAILS = (
    "，确保政策应享尽享、直达基层。", "，按月调度进展，及时解决存在问题。", "，年底前全面完成目标任务。",
    "，建立工作台账，实行清单化管理。", "，加强督导检查，确保工作落实到位。",
)
TARGETS = {
    "保居民就业": (("城镇新增就业", "人", 800, 6000), ("职业技能培训", "人次", 1000, 8000), ("返还稳岗资金", "万元", 200, 3000)),
    "保基本民生": (("发放救助资金", "万元", 300, 5000), ("改造老旧小区", "个", 5, 60)),
    "保市场主体": (("减免社保费", "万元", 500, 8000), ("新增普惠小微贷款", "万元", 1000, 20000)),
    "保粮食能源安全": (("粮食播种面积", "万亩", 20, 120), ("建成高标准农田", "万亩", 1, 10)),
    "保产业链供应链稳定": (("规上工业企业复工率", "%", 90, 100), ("重点项目开工", "个", 5, 40)),
    "保基层运转": (("下达转移支付资金", "万元", 1000, 30000),),
}
NOTES = (
    "已召开专题会议部署", "已完成第{n}批次资金拨付", "已走访企业{n}家", "已完成摸底排查", "已印发实施细则",
    "累计惠及{n}人", "已完成年度任务的阶段目标", "正在按计划推进", "已开展专项督查", "已完成数据核对上报",
)
PROBLEMS = ("部分企业申报不及时", "资金到位较慢", "基层人手不足", "数据统计口径不一致", "部分项目审批进度滞后")
NEXT_STEPS = ("加快资金拨付进度", "加强政策宣传解读", "月底前完成全部核查", "继续跟踪督办", "组织开展专项培训")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红海波宁斌林晨辉鹏飞丹萍亮"
PLACE_FIRST = "安宁平和永丰长乐新兴清河东阳西山南华北林泰来福源广德怀远云龙凤阳临江青松白水金沙石门宝丰定远"
PLACE_SECOND = "平安宁阳山川江河源泉城乡溪林岭峰川桥湖州台原塘坪渡沟关堡岗坡谷洲浦滩镇集营庄寨"
PLACE_SUFFIX = ("县", "县", "县", "区", "市")


# --- generation -------------------------------------------------------------

@dataclass
class Plan:
    """What gets built."""

    tasks: int
    entries_per_task: int = 10
    counties: int = 0  # 0: one per 50 tasks, at most 2,000
    seed: int = 2020
    chunk: int = 50_000

    def __post_init__(self) -> None:
        most = (YEAR_END - LAST_START).days + 1
        if not 0 <= self.entries_per_task <= most:
            raise ValueError(f"entries per task must be 0 to {most} (at most one report a day)")
        if self.counties <= 0:
            self.counties = max(1, min(2000, self.tasks // 50))

    def as_dict(self) -> dict[str, int]:
        return dict(tasks=self.tasks, entries_per_task=self.entries_per_task, counties=self.counties,
                    seed=self.seed, generator=GENERATOR_VERSION)


@dataclass
class Stats:
    """Rows written per table and how long each took."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def as_dict(self) -> dict[str, object]:
        return dict(rows=self.rows, seconds={k: round(v, 3) for k, v in self.seconds.items()},
                    total_rows=self.total_rows, total_seconds=round(self.total_seconds, 3))


def county_names(n: int, rng: random.Random) -> list[str]:
    """``n`` distinct, plausible county names (安宁县, 丰源区, …)."""
    firsts, seconds = dict.fromkeys(PLACE_FIRST), dict.fromkeys(PLACE_SECOND)
    pool = [a + b + s for s in dict.fromkeys(PLACE_SUFFIX) for a in firsts for b in seconds if a != b]
    if n > len(pool):
        raise SystemExit(f"at most {len(pool)} counties can be named")
    # Prefer 县 names, then 区, then 县级市, each set shuffled.
    rng.shuffle(pool)
    pool.sort(key=lambda name: "县区市".index(name[-1]))
    return pool[:n]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _day(offset: int) -> date:
    return YEAR_START + timedelta(days=offset)


def _instant(day: date, rng: random.Random) -> datetime:
    """A moment in office hours (Beijing) on ``day``, as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(9 * 3600))


class Generator:
    """Makes the rows table by table; ids are assigned here so rows can refer to each other."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.counties = county_names(plan.counties, self.rng)
        self.per_county = 1 + len(DEPARTMENTS)
        self.dept_index = {d: i + 1 for i, d in enumerate(DEPARTMENTS)}
        self.dept_index[GOVERNMENT] = 0
        # Per task, filled by tasks(): what the progress entries need.
        n = plan.tasks
        self.t_start = array("H", bytes(2 * n))        # day offset in 2020
        self.t_lead = array("I", bytes(4 * n))         # lead unit id
        self.t_target = array("d", bytes(8 * n))       # target value for '>=' targets, else 0
        self.t_category = [""] * n
        self.t_final = array("f", bytes(4 * n))        # last reported percent
        self.t_due = array("H", bytes(2 * n))          # day offset of the deadline (the year's end without one)
        self.t_pace = array("f", bytes(4 * n))         # share of 序时进度 the task keeps up (1: on pace)
        self.t_closed = bytearray(n)                   # 1: closed (销号) after completion

    def unit_id(self, county: int, dept: str) -> int:
        return county * self.per_county + self.dept_index[dept] + 1

    # -- units and documents ------------------------------------------------

    def units(self) -> Iterator[dict]:
        created = datetime(2020, 1, 2, 1, tzinfo=UTC)
        for c, county in enumerate(self.counties):
            gov = self.unit_id(c, GOVERNMENT)
            yield dict(id=gov, name=county + GOVERNMENT, parent_id=None, region=county, created_at=created)
            for dept in DEPARTMENTS:
                yield dict(id=self.unit_id(c, dept), name=county + dept, parent_id=gov, region=county,
                           created_at=created)

    def aliases(self) -> Iterator[dict]:
        for c, county in enumerate(self.counties):
            for dept, full in FULL_NAMES.items():
                yield dict(alias=county + full, unit_id=self.unit_id(c, dept))

    def documents(self) -> Iterator[dict]:
        for c, county in enumerate(self.counties):
            issued = date(2020, 3, 1) + timedelta(days=c % 60)
            yield dict(
                id=c + 1, title=f"{county}关于做好“六保”工作的实施方案", doc_number=f"{county[:2]}政办发〔2020〕{c % 90 + 10}号",
                issuer=county + GOVERNMENT, issue_date=issued, level="county", year=2020,
                source_name=f"{county}六保实施方案.docx", checksum=f"{plan_hash(self.plan)}{c:08x}",
                created_at=datetime(2020, 3, 1, 2, tzinfo=UTC) + timedelta(days=c % 60),
            )

    # -- tasks and what hangs off them --------------------------------------

    def tasks(self) -> Iterator[tuple[dict, list[dict], list[dict], list[dict]]]:
        """Per task: its row, its task_unit rows, its task_leader rows, its milestone rows."""
        rng = self.rng
        cats = list(CATEGORY_WEIGHTS)
        weights = list(CATEGORY_WEIGHTS.values())
        numbers = dict.fromkeys(cats, 0)
        from sixbao_cli.categories import code_prefix

        prefixes = {c: code_prefix(c) for c in cats}
        per_doc: dict[int, int] = {}
        span = (LAST_START - YEAR_START).days
        for i in range(self.plan.tasks):
            tid = i + 1
            county = i % len(self.counties)
            category = rng.choices(cats, weights)[0]
            numbers[category] += 1
            code = f"{prefixes[category]}-{numbers[category]:06d}"
            start_off = rng.randrange(span + 1)
            start = _day(start_off)
            if rng.random() < 0.07:
                deadline, deadline_text = None, "长期坚持"
            else:
                month = min(12, start.month + rng.randrange(1, 10))  # "X月底前": the month's last day
                deadline = date(2020, month + 1, 1) - timedelta(days=1) if month < 12 else YEAR_END
                deadline_text = f"{deadline.year}年{deadline.month}月底前"
            target_cols = dict(target_metric=None, target_value=None, target_unit=None, target_comparator=None)
            target_value = 0.0
            if rng.random() < 0.3:
                metric, unit_name, lo, hi = rng.choice(TARGETS[category])
                value = float(rng.randrange(lo, hi + 1))
                comparator = "=" if unit_name == "%" and value == 100 else ">="
                target_cols = dict(target_metric=metric, target_value=value, target_unit=unit_name,
                                   target_comparator=comparator)
                target_value = value if comparator == ">=" else 0.0
            # Reports rise to a final percent; most tasks with a passed deadline are done.
            final = 100.0 if rng.random() < (0.7 if deadline and deadline < date(2020, 11, 30) else 0.35) \
                else float(rng.randrange(20, 100))
            closed = final == 100.0 and rng.random() < 0.15
            status = "closed" if closed else ("completed" if final == 100.0 else "in_progress")
            if self.plan.entries_per_task == 0:
                status, final, closed = "not_started", 0.0, False
            title = rng.choice(TITLES[category])
            body = title + rng.choice(BODY_TAILS) if rng.random() < 0.5 else None
            doc = county + 1
            per_doc[doc] = per_doc.get(doc, 0) + 1
            created = _instant(start - timedelta(days=rng.randrange(1, 10)), rng)
            closed_at = _instant(YEAR_END, rng) if closed else None
            task = dict(
                id=tid, code=code, category=category, document_id=doc, annex=None, section=None,
                number=str(per_doc[doc]), parent_id=None, title=title, body=body, start_date=start,
                deadline=deadline, deadline_text=deadline_text, **target_cols, status=status,
                closed_at=closed_at, closed_note="经核查任务已全部完成，同意销号" if closed else None,
                created_at=created, updated_at=closed_at or _instant(YEAR_END, rng),
            )
            lead_dept = rng.choice(LEADS_BY_CATEGORY[category])
            lead = self.unit_id(county, lead_dept)
            others = [d for d in DEPARTMENTS if d != lead_dept]
            k = rng.choices((0, 1, 2, 3), (20, 35, 30, 15))[0]
            units = [dict(task_id=tid, unit_id=lead, role="lead", position=0)]
            units += [dict(task_id=tid, unit_id=self.unit_id(county, d), role="support", position=p)
                      for p, d in enumerate(rng.sample(others, k))]
            leaders = [dict(task_id=tid, name=n, position=p)
                       for p, n in enumerate(dict.fromkeys(person(rng) for _ in range(rng.choice((1, 1, 2)))))]
            milestones = []
            if deadline is not None and rng.random() < 0.4 and (deadline - start).days >= 3:
                days = sorted(rng.sample(range(1, (deadline - start).days + 1), min(3, rng.randrange(1, 4))))
                for j, d in enumerate(days):
                    pct = 100.0 if start + timedelta(days=d) == deadline else round(100 * (j + 1) / (len(days) + 1))
                    milestones.append(dict(task_id=tid, due_date=start + timedelta(days=d), expected_percent=pct,
                                           expected_value=None, note=None))
            self.t_start[i] = start_off
            self.t_lead[i] = lead
            self.t_target[i] = target_value
            self.t_category[i] = category
            self.t_final[i] = final
            self.t_due[i] = ((deadline or YEAR_END) - YEAR_START).days
            # Most offices keep pace with the deadline; a quarter fall behind (the reports' 进度缓慢).
            self.t_pace[i] = rng.uniform(0.95, 1.25) if rng.random() < 0.75 else rng.uniform(0.45, 0.85)
            self.t_closed[i] = 1 if closed else 0
            yield task, units, leaders, milestones

    # -- progress -----------------------------------------------------------

    def progress(self) -> Iterator[tuple[dict, dict | None]]:
        """Progress entries in report-date order, each with the task_change row it causes (if any).

        Every task gets ``entries_per_task`` reports on distinct days between
        its start and the year's end. Percents follow the calendar as real
        reports do: the share of the way from start to deadline, times the
        task's pace, capped at its final percent, which the last report (and any
        report after the deadline) gives.
        Reports are bucketed by day (compactly, as task*k+j) and then emitted
        day by day, so ids follow the calendar across tasks.
        """
        rng = self.rng
        k = self.plan.entries_per_task
        year_days = (YEAR_END - YEAR_START).days + 1
        buckets = [array("I") for _ in range(year_days)]
        percents = array("f", bytes(4 * self.plan.tasks * k))
        for i in range(self.plan.tasks):
            s = self.t_start[i]
            days = sorted(rng.sample(range(s, year_days), k))
            final = self.t_final[i]
            due, pace = self.t_due[i], self.t_pace[i]
            for j, d in enumerate(days):
                pct = final if j == k - 1 or d >= due else min(final, 100.0 * pace * (d - s) / max(1, due - s))
                buckets[d].append(i * k + j)
                percents[i * k + j] = round(pct)
        entry_id = 0
        reason = _status_reason()
        for d, bucket in enumerate(buckets):
            day = _day(d)
            for packed in bucket:
                i, j = divmod(packed, k)
                entry_id += 1
                pct = float(percents[packed])
                target = self.t_target[i]
                problems = rng.choice(PROBLEMS) if rng.random() < 0.2 else None
                recorded = _instant(day, rng)
                row = dict(
                    id=entry_id, task_id=i + 1, unit_id=self.t_lead[i], report_date=day, percent=pct,
                    value=round(target * pct / 100) if target else None,
                    note=rng.choice(NOTES).format(n=rng.randrange(2, 500)), problems=problems,
                    next_steps=rng.choice(NEXT_STEPS) if problems else None, reporter=person(rng),
                    source="manual", batch_id=None, supersedes_id=None, recorded_at=recorded,
                )
                change = None
                if j == 0:
                    new = "completed" if pct >= 100 else "in_progress"
                    change = dict(task_id=i + 1, field="status", old_value="not_started", new_value=new,
                                  reason=reason(entry_id), changed_at=recorded)
                elif pct >= 100 and float(percents[packed - 1]) < 100:
                    change = dict(task_id=i + 1, field="status", old_value="in_progress", new_value="completed",
                                  reason=reason(entry_id), changed_at=recorded)
                yield row, change

    def closures(self, tasks_closed_at: dict[int, datetime]) -> Iterator[dict]:
        for tid, when in tasks_closed_at.items():
            yield dict(task_id=tid, field="status", old_value="completed", new_value="closed",
                       reason="经核查任务已全部完成，同意销号", changed_at=when)


def _status_reason():
    from sixbao_cli.messages import t

    template = t("progress.status_reason", id="{id}")
    return lambda entry_id: template.format(id=entry_id)


def plan_hash(plan: Plan) -> str:
    return f"{plan.seed:04x}{plan.tasks:08x}"


# --- writing ----------------------------------------------------------------

def chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Writer:
    """Inserts row chunks into one table: SQLAlchemy Core executemany, or COPY on PostgreSQL."""

    def __init__(self, conn, *, copy: bool):
        self.conn = conn
        self.copy = copy and conn.dialect.name == "postgresql"

    def write(self, table, rows: list[dict]) -> None:
        if not rows:
            return
        if not self.copy:
            from sqlalchemy import insert

            self.conn.execute(insert(table), rows)
            return
        cols = list(rows[0])
        raw = self.conn.connection.driver_connection
        columns = ", ".join(f'"{c}"' for c in cols)
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in cols])


def _log(quiet: bool, text: str) -> None:
    if not quiet:
        print(text, file=sys.stderr, flush=True)


def build(url: str, plan: Plan, *, replace: bool = False, copy: bool = True, quiet: bool = False) -> Stats:
    """Create the ledger at ``url`` (a SQLAlchemy URL) and fill it according to ``plan``."""
    from sqlalchemy import func, insert, select, text, update

    from sixbao_cli import tables as T
    from sixbao_cli.schema import open_ledger
    from sixbao_cli.settings import sqlite_path

    path = sqlite_path(url)
    if replace and path is not None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    began = time.perf_counter()
    ledger = open_ledger(url)
    stats = Stats()
    gen = Generator(plan)
    try:
        with ledger.write() as conn:
            if conn.execute(select(func.count()).select_from(T.task)).scalar() or \
                    conn.execute(select(func.count()).select_from(T.unit)).scalar():
                if not replace or path is not None:
                    raise SystemExit(f"{ledger.where} is not empty; pass --replace to overwrite it")
                names = ", ".join(t.name for t in T.metadata.sorted_tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            if ledger.dialect == "sqlite":
                conn.exec_driver_sql("PRAGMA cache_size = -524288")  # 512 MiB for this connection only
            writer = Writer(conn, copy=copy)

            def load(name: str, table, rows: Iterable[dict]) -> None:
                t0 = time.perf_counter()
                n = 0
                for batch in chunks(rows, plan.chunk):
                    writer.write(table, batch)
                    n += len(batch)
                stats.rows[name] = stats.rows.get(name, 0) + n
                stats.seconds[name] = stats.seconds.get(name, 0.0) + time.perf_counter() - t0
                _log(quiet, f"  {name:<12} {n:>10,} rows  {stats.seconds[name]:7.1f} s")

            load("unit", T.unit, gen.units())
            load("unit_alias", T.unit_alias, gen.aliases())
            load("document", T.document, gen.documents())

            # Tasks and their satellites, interleaved in chunks of tasks.
            t0 = time.perf_counter()
            counts = dict(task=0, task_unit=0, task_leader=0, milestone=0)
            closed_at: dict[int, datetime] = {}
            tasks, units, leaders, milestones = [], [], [], []

            def flush() -> None:
                for name, table, rows in (("task", T.task, tasks), ("task_unit", T.task_unit, units),
                                          ("task_leader", T.task_leader, leaders),
                                          ("milestone", T.milestone, milestones)):
                    writer.write(table, rows)
                    counts[name] += len(rows)
                    rows.clear()

            for task, u, ld, ms in gen.tasks():
                tasks.append(task)
                units.extend(u)
                leaders.extend(ld)
                milestones.extend(ms)
                if task["closed_at"] is not None:
                    closed_at[task["id"]] = task["closed_at"]
                if len(tasks) >= max(1, plan.chunk // 5):
                    flush()
            flush()
            elapsed = time.perf_counter() - t0
            for name, n in counts.items():
                stats.rows[name] = n
            stats.seconds["task+satellites"] = elapsed
            _log(quiet, f"  {'task':<12} {counts['task']:>10,} rows  (+{counts['task_unit']:,} task_unit, "
                        f"{counts['task_leader']:,} task_leader, {counts['milestone']:,} milestone)  {elapsed:7.1f} s")

            # Progress, with the status changes it causes.
            t0 = time.perf_counter()
            entries, changes = [], []
            n_entries = 0
            for row, change in gen.progress() if plan.entries_per_task else ():
                entries.append(row)
                if change is not None:
                    changes.append(change)
                if len(entries) >= plan.chunk:
                    writer.write(T.progress, entries)
                    n_entries += len(entries)
                    entries.clear()
            writer.write(T.progress, entries)
            n_entries += len(entries)
            changes.extend(gen.closures(closed_at))
            for batch in chunks(changes, plan.chunk):
                writer.write(T.task_change, batch)
            n_changes = len(changes)
            stats.rows["progress"] = n_entries
            stats.rows["task_change"] = n_changes
            stats.seconds["progress+changes"] = time.perf_counter() - t0
            _log(quiet, f"  {'progress':<12} {n_entries:>10,} rows  (+{n_changes:,} task_change)  "
                        f"{stats.seconds['progress+changes']:7.1f} s")

            if ledger.dialect == "postgresql":
                # Explicit ids were inserted: move the serial sequences past them.
                for table in ("unit", "document", "task", "progress"):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                      f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))
            stats.total_seconds = time.perf_counter() - began
            marker = dict(plan=plan.as_dict(), **stats.as_dict())
            conn.execute(insert(T.setting).values(key=MARKER_KEY, value=json.dumps(marker, ensure_ascii=False)))
        # After commit: leave the ledger as a long-used one would be.
        t0 = time.perf_counter()
        if ledger.dialect == "sqlite":
            raw = ledger.engine.raw_connection()  # outside any transaction, so the checkpoint completes
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()
        else:
            with ledger.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum would have done by now
        stats.seconds["finish"] = time.perf_counter() - t0
        stats.total_seconds = time.perf_counter() - began
        with ledger.write() as conn:  # the record, now with the finishing step's time
            conn.execute(update(T.setting).where(T.setting.c.key == MARKER_KEY)
                         .values(value=json.dumps(dict(plan=plan.as_dict(), **stats.as_dict()), ensure_ascii=False)))
    finally:
        ledger.close()
    return stats


def read_marker(url: str) -> dict | None:
    """The ``benchmark.build`` record of a complete benchmark ledger, else None."""
    from sqlalchemy import create_engine, select

    from sixbao_cli import tables as T
    from sixbao_cli.settings import sqlite_path

    path = sqlite_path(url)
    if path is not None and not path.exists():
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            value = conn.execute(select(T.setting.c.value).where(T.setting.c.key == MARKER_KEY)).scalar()
    except Exception:  # noqa: BLE001 - no such table, no such database: not a benchmark ledger
        return None
    finally:
        engine.dispose()
    return json.loads(value) if value else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="\n\n".join(__doc__.split("\n\n")[:2]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", help="a SQLite file path or a SQLAlchemy URL (postgresql+psycopg://…)")
    parser.add_argument("--tasks", type=int, default=10_000, help="number of tasks (default 10000)")
    parser.add_argument("--entries-per-task", type=int, default=10, help="progress entries per task (default 10)")
    parser.add_argument("--counties", type=int, default=0,
                        help="counties, each with a government and 25 departments (default: tasks/50, at most 2000)")
    parser.add_argument("--seed", type=int, default=2020, help="random seed (default 2020)")
    parser.add_argument("--chunk", type=int, default=50_000, help="rows per executemany/COPY batch (default 50000)")
    parser.add_argument("--replace", action="store_true",
                        help="overwrite an existing ledger (SQLite: delete the file; PostgreSQL: truncate its tables)")
    parser.add_argument("--no-copy", action="store_true", help="on PostgreSQL use executemany instead of COPY")
    parser.add_argument("--quiet", action="store_true", help="print only the summary line")
    args = parser.parse_args(argv)

    from sixbao_cli.settings import display_url, resolve_db_url

    url = resolve_db_url(args.db)
    try:
        plan = Plan(tasks=args.tasks, entries_per_task=args.entries_per_task, counties=args.counties,
                    seed=args.seed, chunk=args.chunk)
    except ValueError as exc:
        parser.error(str(exc))
    _log(args.quiet, f"building {display_url(url)}: {plan.tasks:,} tasks × {plan.entries_per_task} entries, "
                     f"{plan.counties:,} counties")
    stats = build(url, plan, replace=args.replace, copy=not args.no_copy, quiet=args.quiet)
    print(f"{stats.total_rows:,} rows in {stats.total_seconds:.1f} s "
          f"({stats.total_rows / stats.total_seconds:,.0f} rows/s); "
          f"progress: {stats.rows.get('progress', 0):,} rows in {stats.seconds.get('progress+changes', 0):.1f} s")


if __name__ == "__main__":
    main()
