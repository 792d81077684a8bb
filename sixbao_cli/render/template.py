"""A department's fill-in sheet: the template's rows laid out under Chinese (or English) headings."""

from __future__ import annotations

from sixbao_cli.messages import t
from sixbao_cli.services.templates import ProgressTemplate
from sixbao_cli.sheets.write import SheetData
from sixbao_cli.xun import Xun

# heading key, column width in .xlsx
COLUMNS = (
    ("col.code", 12), ("col.title", 36), ("template.col.unit", 20), ("template.col.role", 8), ("col.deadline", 12),
    ("template.col.last_percent", 10), ("col.report_date", 12), ("template.col.percent", 10), ("col.value", 12),
    ("col.note", 40), ("col.problems", 30), ("col.next", 30), ("template.col.reporter", 10),
)


def progress_sheet(template: ProgressTemplate) -> SheetData:
    """Title row, headings, one pre-filled row per task with the columns to fill left empty, then the notes."""
    xun = Xun.of(template.as_of)
    period = t("report.period.xun", year=xun.start.year, month=xun.start.month, part=t(f"xun.part{xun.part}"))
    rows = [
        [r.code, r.title, template.unit, t(f"role.{r.role}"), r.deadline, r.last_percent,
         None, None, None, None, None, None, None]
        for r in template.rows
    ]
    return SheetData(
        headers=[t(key) for key, _ in COLUMNS], rows=rows, widths=[w for _, w in COLUMNS],
        title=t("template.title", unit=template.unit, period=period), note=t("template.note"),
    )
