"""Numbers and dates as the ledger prints them; no rich, so confirmations stay cheap to print."""

from __future__ import annotations

from datetime import date


def fmt_date(value: date | None) -> str:
    """ISO date, or a dash."""
    return value.isoformat() if value else "—"


def fmt_number(value: float | None) -> str:
    """2600, 0.5, 210,000 — no trailing zeros; a dash for nothing."""
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fmt_percent(value: float | None) -> str:
    """60%, 62.5%, or a dash."""
    return "—" if value is None else f"{fmt_number(value)}%"
