"""A report as JSON: the stable shape documented in the README ("report --format json").

Written out field by field, not from the dataclasses, so that renaming a field
inside the program can never silently change what other tools read.
"""

from __future__ import annotations

import json

from sixbao_cli.render.report_layout import period_label_zh
from sixbao_cli.services.reports import Report

SCHEMA_VERSION = 1


def _d(day) -> str | None:
    return day.isoformat() if day else None


def to_dict(report: Report) -> dict:
    """The report as plain JSON-ready data."""
    r = report.rules
    return {
        "schema": SCHEMA_VERSION,
        "report": report.kind,
        "as_of": _d(report.as_of),
        "period": {"kind": report.period.kind, "start": _d(report.period.start), "end": _d(report.period.end),
                   "number": report.period.number, "label": period_label_zh(report)},
        "ranking_since": _d(report.ranking_since),
        "scope": dict(report.scope),
        "rules": {"yellow_behind": r.yellow_behind, "red_behind": r.red_behind, "due_soon_days": r.due_soon_days,
                  "report_interval_days": r.report_interval_days,
                  "ladder": [{"after": s.after, "action": s.action, "fix_days": s.fix_days} for s in r.ladder],
                  "rank_top": r.rank_top, "rank_bottom": r.rank_bottom},
        "totals": vars(report.totals).copy(),
        "by_category": [vars(c).copy() for c in report.by_category],
        "items": [{
            "code": i.code, "title": i.title, "category": i.category, "document": i.document,
            "lead_units": i.lead_units, "support_units": i.support_units, "leaders": i.leaders,
            "start": _d(i.start), "deadline": _d(i.deadline), "percent": i.percent,
            "expected_percent": i.expected_percent, "behind": i.behind, "flags": i.flags, "light": i.light,
            "notice": i.notice, "step": i.step, "streak": i.streak, "fix_by": _d(i.fix_by),
            "last_report": _d(i.last_report), "last_problem": i.last_problem,
        } for i in report.items],
        "units": [{
            "unit": u.unit, "tasks_led": u.tasks_led, "done_on_time": u.done_on_time, "overdue": u.overdue,
            "red": u.red, "xun_reported": u.xun_reported, "xun_total": u.xun_total, "report_rate": u.report_rate,
            "rank": u.rank, "mark": u.mark, "tasks_supported": u.tasks_supported, "support_reports": u.support_reports,
        } for u in report.units],
        "requirements": list(report.requirements),
        "limit": report.limit,
        "counts": dict(report.counts),
    }


def to_json(report: Report) -> str:
    """The report as indented JSON text, Chinese kept readable, ending in a newline."""
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"
