"""The supervision reports composed in the documents' style, ready for any writer.

The 周报 follows the 通报 the plans call for: a title 关于“六保”任务推进情况的通报
（第N期）, then 总体情况, 逾期任务, 进度缓慢任务, 未按时报送（催报清单）, 拟约谈/问责,
单位排名 and 下步工作要求. Each list names the task's code, title, 牵头单位,
责任领导, deadline, actual against expected progress and the last reported problem.
"""

from __future__ import annotations

from datetime import date

from sixbao_cli import categories
from sixbao_cli.evaluate import DUE_SOON, INTERVIEW, OVERDUE, PRAISE, SLOW
from sixbao_cli.messages import CATALOG, lang, t
from sixbao_cli.render.formats import fmt_date, fmt_percent
from sixbao_cli.render.layout import Cell, Layout, Section, Table, cell
from sixbao_cli.services.reports import Item, Report, UnitLine, counts_whole_streak

_CN = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """Section numbers as the documents write them: 一、 … 十、 (1. … in English)."""
    if lang() == "en":
        return f"{n}. "
    return (_CN[n - 1] if n <= 10 else f"十{_CN[n - 11]}") + "、"


def item_number(n: int) -> str:
    """Numbered lines: （一） … in Chinese, (1) in English."""
    if lang() == "en":
        return f"({n}) "
    return f"（{_CN[n - 1] if n <= 10 else n}）"


def day_text(day: date) -> str:
    """2020年9月21日 (21 Sep 2020 in English)."""
    if lang() == "en":
        return day.strftime("%-d %b %Y")
    return f"{day.year}年{day.month}月{day.day}日"


def category_label(category: str) -> str:
    """The category in the reader's language."""
    return categories.english(category) if lang() == "en" else category


def flag_label(flag: str) -> str:
    """逾期, 临期, 进度缓慢, 未按时报送, 未启动."""
    return t(f"flag.{flag}")


def light_label(light: str) -> str:
    """红灯, 黄灯, 绿灯."""
    return t(f"light.{light}")


def period_text(report: Report) -> str:
    """The span covered: 2020年9月中旬, 2020年9月15日至9月21日, 2020年第三季度."""
    p = report.period
    if p.kind == "xun":
        from sixbao_cli.xun import Xun

        x = Xun.of(p.end)
        return t("report.period.xun", year=x.start.year, month=x.start.month, part=t(f"xun.part{x.part}"))
    if p.kind == "quarter":
        return t("report.period.quarter", year=p.end.year, q=(p.end.month - 1) // 3 + 1)
    return t("report.period.week", start=day_text(p.start), end=day_text(p.end))


def period_label_zh(report: Report) -> str:
    """The period as the documents write it, whatever the reader's language (the JSON's stable ``label``)."""
    p = report.period
    if p.kind == "xun":
        from sixbao_cli.xun import Xun

        return Xun.of(p.end).label
    if p.kind == "quarter":
        return f"{p.end.year}年第{(p.end.month - 1) // 3 + 1}季度"
    return f"{p.start.year}年{p.start.month}月{p.start.day}日至{p.end.year}年{p.end.month}月{p.end.day}日"


def _subtitle(report: Report) -> list[str]:
    lines = [t("report.as_of_line", day=day_text(report.as_of), period=period_text(report))]
    if report.scope:
        parts = [t(f"report.scope.{key}", value=category_label(value) if key == "category" else value)
                 for key, value in report.scope.items()]
        lines.append(t("report.scope_line", scope=t("sep.list").join(parts)))
    return lines


def _progress(item: Item) -> Cell:
    never = item.percent is None and item.last_report is None
    # A task never reported on is judged as 0 % done; say so rather than print a dash.
    actual = t("report.never_reported") if never else fmt_percent(item.percent)
    text = f"{actual}／{fmt_percent(item.expected_percent)}"
    return Cell(text, actual=0.0 if never else item.percent, expected=item.expected_percent, bar=True)


def _names(names: list[str]) -> str:
    return t("sep.list").join(names) or "—"


def _flags(item: Item) -> str:
    return t("sep.list").join(flag_label(f) for f in item.flags) or "—"


def step_label(action: str) -> str:
    """A ladder step in the reader's language: the default four translate, an office's own wording stays."""
    return t(f"step.{action}") if f"step.{action}" in CATALOG else action


def _action(item: Item) -> str:
    if item.step:
        return step_label(item.step)
    return t(f"notice.{item.notice}") if item.notice else "—"


def item_table(items: list[Item], *, stale: bool = False) -> Table:
    """The task list every report shares; the 催报 list adds the date of the last report."""
    columns = [t("col.light"), t("col.code"), t("col.title"), t("col.lead"), t("col.leaders"), t("col.deadline"),
               t("col.actual_expected"), t("col.flags"), t("col.action")]
    if stale:
        columns.append(t("col.last_report"))
    columns.append(t("col.last_problem"))
    table = Table(columns)
    for it in items:
        row = [Cell(light_label(it.light), light=it.light), Cell(it.code), Cell(it.title), cell(_names(it.lead_units)),
               cell(_names(it.leaders)), Cell(fmt_date(it.deadline)), _progress(it), Cell(_flags(it)),
               Cell(_action(it))]
        if stale:
            row.append(Cell(fmt_date(it.last_report)))
        row.append(cell(it.last_problem))
        table.rows.append(row)
    return table


def _ladder_table(items: list[Item], report: Report) -> Table:
    table = Table([t("col.step"), t("col.code"), t("col.title"), t("col.lead"), t("col.leaders"), t("col.streak"),
                   t("col.fix_by"), t("col.actual_expected")])
    order = {step.action: i for i, step in enumerate(report.rules.ladder)}
    # The streak is counted back no further than the top rung (unless it sets a 整改 deadline): a task there
    # may have been red longer.
    top = 0 if counts_whole_streak(report.rules) else max((step.after for step in report.rules.ladder), default=0)
    for it in sorted((i for i in items if i.step), key=lambda i: (-order.get(i.step, 0), -(i.behind or 0.0), i.code)):
        streak = f"≥{it.streak}" if top and it.streak >= top else str(it.streak)
        table.rows.append([Cell(step_label(it.step), light="red"), Cell(it.code), Cell(it.title), cell(_names(it.lead_units)),
                           cell(_names(it.leaders)), Cell(streak, numeric=True), Cell(fmt_date(it.fix_by)),
                           _progress(it)])
    return table


def unit_table(units: list[UnitLine]) -> Table:
    """单位排名: rank, lead unit, its tasks, 按时报送率, and the mark (通报表扬 / 约谈)."""
    table = Table([t("col.rank"), t("col.lead_unit"), t("col.lead_tasks"), t("col.done_on_time"), t("col.overdue"),
                   t("col.red"), t("col.reported_xun"), t("col.report_rate"), t("col.mark")])
    for u in units:
        if not u.tasks_led:
            continue
        mark_light = {PRAISE: "green", INTERVIEW: "red"}.get(u.mark or "")
        table.rows.append([
            cell(u.rank, numeric=True), Cell(u.unit), Cell(str(u.tasks_led), numeric=True),
            Cell(str(u.done_on_time), numeric=True), Cell(str(u.overdue), numeric=True), Cell(str(u.red), numeric=True),
            Cell(f"{u.xun_reported}/{u.xun_total}", numeric=True), Cell(fmt_percent(u.report_rate), numeric=True),
            Cell(t(f"mark.{u.mark}") if u.mark else "—", light=mark_light),
        ])
    return table


def support_table(units: list[UnitLine]) -> Table:
    """配合单位: the tasks each supports and the reports it filed as support (not ranked)."""
    table = Table([t("col.support_unit"), t("col.support_tasks"), t("col.support_reports")])
    for u in sorted((u for u in units if u.tasks_supported), key=lambda u: (-u.tasks_supported, u.unit)):
        table.rows.append([Cell(u.unit), Cell(str(u.tasks_supported), numeric=True),
                           Cell(str(u.support_reports), numeric=True)])
    return table


def _marks_paragraph(units: list[UnitLine]) -> str | None:
    praise = [u.unit for u in units if u.mark == PRAISE]
    interview = [u.unit for u in units if u.mark == INTERVIEW]
    if not praise and not interview:
        return None
    return t("report.marks", praise=_names(praise), interview=_names(interview))


def _overview(report: Report) -> Section:
    tt = report.totals
    section = Section(ordinal(1) + t("report.h.overview"))
    section.paragraphs.append(t(
        "report.overview", day=day_text(report.as_of), tasks=tt.tasks, done=tt.done, red=tt.red, yellow=tt.yellow,
        green=tt.green, overdue=tt.overdue, slow=tt.slow, due_soon=tt.due_soon, stale=tt.stale, reported=tt.reported,
        period=period_text(report)))
    table = Table([t("col.category"), t("col.tasks"), t("col.done"), t("col.red"), t("col.yellow"), t("col.green")])
    for c in report.by_category:
        table.rows.append([Cell(category_label(c.category)), Cell(str(c.tasks), numeric=True),
                           Cell(str(c.done), numeric=True), Cell(str(c.red), numeric=True, light="red" if c.red else None),
                           Cell(str(c.yellow), numeric=True, light="yellow" if c.yellow else None),
                           Cell(str(c.green), numeric=True, light="green" if c.green else None)])
    section.tables.append((None, table))
    return section


def _list_section(heading: str, items: list[Item], empty: str, total: int, limit: int | None, *,
                  stale: bool = False) -> Section:
    section = Section(heading)
    shown = items[:limit] if limit else items
    if shown:
        section.paragraphs.append(t("report.count", n=total))
        if len(shown) < total:
            section.paragraphs.append(t("report.listed", n=len(shown)))
        section.tables.append((None, item_table(shown, stale=stale)))
    else:
        section.paragraphs.append(empty)
    return section


def weekly_layout(report: Report) -> Layout:
    """The 周报 / 旬报 in full."""
    kind = t("report.kind.xun" if report.period.kind == "xun" else "report.kind.week")
    title = t("report.title.weekly", n=report.period.number)
    overdue = [i for i in report.items if OVERDUE in i.flags]
    due_soon = [i for i in report.items if DUE_SOON in i.flags]
    slow = [i for i in report.items if SLOW in i.flags and OVERDUE not in i.flags]
    stale = [i for i in report.items if "stale" in i.flags]
    stepped = [i for i in report.items if i.step]
    counts, limit = report.counts, report.limit
    sections = [
        _overview(report),
        _list_section(ordinal(2) + t("report.h.overdue"), overdue, t("report.none_overdue"), counts.get("overdue", 0), limit),
        _list_section(ordinal(3) + t("report.h.due_soon", days=report.rules.due_soon_days), due_soon,
                      t("report.none_due_soon"), counts.get("due_soon", 0), limit),
        _list_section(ordinal(4) + t("report.h.slow"), slow, t("report.none_slow"), counts.get("slow", 0), limit),
        _list_section(ordinal(5) + t("report.h.stale"), stale, t("report.none_stale"), counts.get("stale", 0), limit,
                      stale=True),
    ]
    ladder = Section(ordinal(6) + t("report.h.ladder"))
    if stepped:
        ladder.paragraphs.append(t("report.ladder_intro", n=counts.get("ladder", len(stepped))))
        table = _ladder_table(stepped, report)
        if limit and len(table.rows) > limit:
            table.rows = table.rows[:limit]
            ladder.paragraphs.append(t("report.listed", n=limit))
        ladder.tables.append((None, table))
    else:
        ladder.paragraphs.append(t("report.none_ladder"))
    sections.append(ladder)
    sections.append(_units_section(7, report))
    closing = Section(ordinal(8) + t("report.h.requirements"))
    closing.lines = list(report.requirements) or [t("report.no_requirements")]
    sections.append(closing)
    return Layout(title, [kind, *_subtitle(report)], sections, lang())


def _units_section(n: int, report: Report) -> Section:
    section = Section(ordinal(n) + t("report.h.units", since=day_text(report.ranking_since)))
    ranked = [u for u in report.units if u.tasks_led]
    if not ranked:
        section.paragraphs.append(t("report.none_units"))
        return section
    marks = _marks_paragraph(report.units)
    if marks:
        section.paragraphs.append(marks)
    left = report.counts.get("units", len(ranked)) - len(ranked)
    if left > 0:
        section.paragraphs.append(t("report.units_left", n=left, total=report.counts["units"]))
    section.tables.append((None, unit_table(report.units)))
    return section


def list_layout(report: Report) -> Layout:
    """``report overdue | slow | stale``: one list."""
    heading = {"overdue": "report.h.overdue", "slow": "report.h.slow", "stale": "report.h.stale"}[report.kind]
    empty = {"overdue": "report.none_overdue", "slow": "report.none_slow", "stale": "report.none_stale"}[report.kind]
    section = _list_section(t(heading), report.items, t(empty), report.counts.get("items", len(report.items)),
                            report.limit, stale=report.kind == "stale")
    return Layout(t(f"report.title.{report.kind}"), _subtitle(report), [section], lang())


def units_layout(report: Report) -> Layout:
    """``report units``: the ranking, then the support units."""
    ranking = _units_section(1, report)
    support = Section(ordinal(2) + t("report.h.support"))
    table = support_table(report.units)
    left = report.counts.get("support_units", 0) - sum(1 for u in report.units if not u.tasks_led)
    if left > 0:
        support.paragraphs.append(t("report.support_left", n=left))
    if table.rows:
        support.tables.append((None, table))
    else:
        support.paragraphs.append(t("report.none_support"))
    return Layout(t("report.title.units"), _subtitle(report), [ranking, support], lang())


def layout(report: Report) -> Layout:
    """The layout for ``report.kind``."""
    if report.kind == "weekly":
        return weekly_layout(report)
    if report.kind == "units":
        return units_layout(report)
    return list_layout(report)
