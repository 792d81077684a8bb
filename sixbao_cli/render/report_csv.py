"""A report's main list as CSV for Excel: UTF-8 with BOM, formula-like cells neutralised.

Excel reads a cell that starts with = + - @ (or a tab or line break) as a
formula; a task title or a reported problem is text the ledger does not
control, so such cells get a leading apostrophe (OWASP's CSV injection advice).
Numbers are written as numbers and never altered.
"""

from __future__ import annotations

import csv
import io

from sixbao_cli.evaluate import FLAGS
from sixbao_cli.messages import t
from sixbao_cli.render.formats import fmt_date
from sixbao_cli.render.report_layout import category_label, flag_label, light_label, step_label
from sixbao_cli.services.reports import Report
from sixbao_cli.sheets.cells import safe


def _num(value: float | None) -> object:
    return "" if value is None else (int(value) if float(value).is_integer() else value)


def _action(item) -> str:
    if item.step:
        return step_label(item.step)
    return t(f"notice.{item.notice}") if item.notice else ""


def to_csv(report: Report) -> str:
    """Units for ``report units``, else one row per listed task with every column the reports show."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    sep = t("sep.list")
    if report.kind == "units":
        writer.writerow([t("col.rank"), t("col.unit"), t("col.lead_tasks"), t("col.done_on_time"), t("col.overdue"),
                         t("col.red"), t("col.reported_xun_n"), t("col.xun_due"), t("col.report_rate"), t("col.mark"),
                         t("col.support_tasks"), t("col.support_reports")])
        for u in report.units:
            writer.writerow([_num(u.rank), safe(u.unit), u.tasks_led, u.done_on_time, u.overdue, u.red, u.xun_reported,
                             u.xun_total, _num(u.report_rate), t(f"mark.{u.mark}") if u.mark else "",
                             u.tasks_supported, u.support_reports])
        return "\ufeff" + buf.getvalue()
    writer.writerow([t("col.code"), t("col.title"), t("col.category"), t("col.lead"), t("col.support"),
                     t("col.leaders"), t("col.deadline"), t("col.actual"), t("col.expected"), t("col.behind"),
                     t("col.light"), t("col.flags"), t("col.action"), t("col.streak"), t("col.fix_by"),
                     t("col.last_report"), t("col.last_problem")])
    for it in report.items:
        writer.writerow([
            safe(it.code), safe(it.title), safe(category_label(it.category)), safe(sep.join(it.lead_units)),
            safe(sep.join(it.support_units)), safe(sep.join(it.leaders)), fmt_date(it.deadline) if it.deadline else "",
            _num(it.percent), _num(it.expected_percent), _num(it.behind), light_label(it.light),
            sep.join(flag_label(f) for f in FLAGS if f in it.flags), safe(_action(it)),
            it.streak or "", fmt_date(it.fix_by) if it.fix_by else "",
            fmt_date(it.last_report) if it.last_report else "", safe(it.last_problem or ""),
        ])
    return "\ufeff" + buf.getvalue()
