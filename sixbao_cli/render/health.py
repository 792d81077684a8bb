"""``db check``'s report and ``db restore``'s summary of what it is about to do."""

from __future__ import annotations

from rich.console import Console

from sixbao_cli.health import PROBLEM, WARNING, Health
from sixbao_cli.messages import t
from sixbao_cli.render.formats import fmt_number
from sixbao_cli.render.text import new_table, print_table
from sixbao_cli.restore import LedgerFacts, RestorePlan

SHOWN = 5  # details listed per check in the table; --json has up to ten


def render_health(console: Console, health: Health) -> None:
    """The checks as a table, then what the ledger holds, how it is stored, and the verdict."""
    console.print(t("db.check.title", database=health.database, dialect=health.dialect,
                    revision=health.revision or "—"))
    table = new_table(console, t("col.check"), t("col.result"), t("col.count"), t("col.details"))
    for finding in health.checks:
        details = [_detail(finding.name, d) for d in finding.details[:SHOWN]]
        if finding.count > len(details) and finding.details:
            details.append(t("db.check.more", n=finding.count - len(details)))
        table.add_row(t(f"db.check.name.{finding.name}"), t(f"db.check.status.{finding.status}"),
                      fmt_number(finding.count) if finding.count else "", t("sep.list").join(details))
    print_table(console, table)
    if health.counts:
        console.print(t("db.check.counts", **{k: fmt_number(v) for k, v in health.counts.items()}))
    s = health.storage
    if health.dialect == "sqlite":
        console.print(t("db.check.storage_sqlite", journal=s["journal_mode"], page_size=s["page_size"],
                        pages=fmt_number(s["pages"]), free=fmt_number(s["free_pages"]), size=_bytes(s["file_bytes"]),
                        wal=_bytes(s["wal_bytes"])))
    else:
        console.print(t("db.check.storage_postgresql", version=s["server_version"], size=_bytes(s["bytes"])))
    problems = sum(f.status == PROBLEM for f in health.checks)
    warnings = sum(f.status == WARNING for f in health.checks)
    if problems:
        console.print(t("db.check.unhealthy", n=problems))
    elif warnings:
        console.print(t("db.check.healthy_with_warnings", n=warnings))
    else:
        console.print(t("db.check.healthy"))


def _detail(name: str, detail: dict[str, object]) -> str:
    if "error" in detail:
        return str(detail["error"])
    return t(f"db.check.detail.{name}", **detail)


def _bytes(n: object) -> str:
    size = float(n or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return str(n)


def _facts(facts: LedgerFacts | None) -> str:
    if facts is None:
        return t("db.restore.facts_unknown")
    return t("db.restore.facts", revision=facts.revision or "—", tasks=fmt_number(facts.tasks),
             entries=fmt_number(facts.entries), batches=fmt_number(facts.batches))


def restore_summary(plan: RestorePlan, kept: object | None) -> list[str]:
    """The lines shown before a restore: what replaces what, and where the old ledger goes."""
    lines = [t("db.restore.from", source=plan.source, facts=_facts(plan.backup))]
    if plan.upgraded_from:
        lines.append(t("db.restore.upgraded", old=plan.upgraded_from, new=plan.backup.revision))
    if plan.ledger_state == "missing":
        lines.append(t("db.restore.into_new", ledger=plan.ledger))
    elif plan.ledger_state == "damaged":
        lines.append(t("db.restore.into_damaged", ledger=plan.ledger))
    else:
        lines.append(t("db.restore.into", ledger=plan.ledger, facts=_facts(plan.current)))
    if plan.ledger_state != "missing":
        lines.append(t("db.restore.keep", path=kept) if kept is not None else t("db.restore.no_keep"))
    return lines
