"""import-doc output: the documented JSON contract, and the summary an officer reads."""

from __future__ import annotations

from collections import Counter

from rich.console import Console

from sixbao_cli import categories
from sixbao_cli.docparse.model import ParsedDocument
from sixbao_cli.messages import t
from sixbao_cli.render.text import new_table, print_table
from sixbao_cli.services.documents import DocumentImport


def contract(doc: ParsedDocument, report: DocumentImport, *, dry_run: bool) -> dict[str, object]:
    """The JSON import-doc prints. Other tools read it: keep it stable (README, "import-doc JSON")."""
    codes = {item.task.key: item.code for item in report.tasks}
    return {
        "document": {
            "title": doc.title, "doc_number": doc.doc_number, "issuer": doc.issuer,
            "issued_on": doc.issued_on.isoformat() if doc.issued_on else None, "year": doc.year,
            "level": doc.level, "checksum": doc.checksum,
        },
        "outcome": report.outcome,
        "dry_run": dry_run,
        "tasks": [
            {
                "code": item.code,
                "outcome": item.outcome,
                "key": task.key,
                "number": task.number,
                "annex": task.annex,
                "annex_title": task.annex_title,
                "section": task.section,
                "parent": codes.get(task.parent_key) if task.parent_key else None,
                "category": task.category,
                "title": task.title,
                "text": task.text,
                # as the ledger stores them: units through the alias table, the start and milestones it keeps
                "lead_units": item.leads if item.spec else task.responsibility.leads,
                "support_units": item.supports if item.spec else [
                    u for u in task.responsibility.supports if u not in task.responsibility.leads],
                "leaders": task.responsibility.leaders,
                "start": (item.spec.start if item.spec else task.start).isoformat()
                if (item.spec and item.spec.start) or task.start else None,
                "deadline": task.deadline.isoformat() if task.deadline else None,
                "deadline_text": task.deadline_text,
                "milestones": [
                    {"date": m.due.isoformat(), "percent": m.percent} if m.percent is not None
                    else {"date": m.due.isoformat(), "value": m.value}
                    for m in (item.spec.milestones if item.spec else task.milestones)
                ],
                "targets": [
                    {"metric": tg.metric, "value": tg.value, "unit": tg.unit, "comparator": tg.comparator}
                    for tg in task.targets
                ],
                "line": task.line,
            }
            for item in report.tasks
            for task in [item.task]
        ],
        "dropped": report.dropped,
        "warnings": [{"line": w.line, "code": w.key, "message": t(w.key, **w.params)} for w in report.warnings],
    }


def render_import(console: Console, doc: ParsedDocument, report: DocumentImport, *, dry_run: bool) -> None:
    """The summary: which plan, what happened, tasks per category and per annex."""
    ident = "，".join(x for x in (doc.doc_number, doc.issuer, doc.issued_on.isoformat() if doc.issued_on else None) if x)
    ident = ident or t("doc.unidentified")
    key = {"new": "doc.imported", "revised": "doc.revised", "unchanged": "doc.unchanged"}[report.outcome]
    if dry_run and report.outcome != "unchanged":
        key += "_dry"
    console.print(t(key, title=doc.title, ident=ident))
    if report.outcome == "unchanged":
        return
    outcomes = Counter(item.outcome for item in report.tasks)
    console.print(t("doc.task_counts", new=outcomes["new"], updated=outcomes["updated"],
                    unchanged=outcomes["unchanged"], dropped=len(report.dropped)))
    parts = Counter((item.task.annex, item.task.annex_title) for item in report.tasks)
    table = new_table(console, t("col.part"), *[_short(c) for c in categories.SIX], t("col.other"), t("col.total"))
    for (annex, title), _ in sorted(parts.items(), key=lambda kv: (kv[0][0] or 0)):
        here = [item.task for item in report.tasks if item.task.annex == annex]
        by = Counter(task.category for task in here)
        other = sum(n for c, n in by.items() if c not in categories.SIX)
        label = t("doc.main_text") if annex is None else f"{annex}. {title or ''}"
        table.add_row(label, *[str(by.get(c, 0)) for c in categories.SIX], str(other), str(len(here)))
    print_table(console, table)
    for item in report.tasks:
        if item.outcome == "updated":
            fields = t("sep.list").join(t(f"field.{name}") for name in item.changed)
            console.print(t("doc.task_changed", code=item.code, title=item.task.title, fields=fields))
    if report.dropped:
        console.print(t("doc.dropped", codes=t("sep.list").join(report.dropped)))


def _short(category: str) -> str:
    return categories.english(category) if t("sep.list") == ", " else category.removeprefix("保")
