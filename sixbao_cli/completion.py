"""How complete a task is, from its latest report: one rule for status, listings and the card."""

from __future__ import annotations


def completion(percent: float | None, value: float | None, target_value: float | None,
               comparator: str | None) -> float | None:
    """Percent complete: the reported percent, else the reported value measured against the target.

    For a ≥ (or =) target, value / target, at most 100. For a ≤ target (a
    ceiling such as 失业率控制在5.5%以内), 100 while the value stays within it,
    else how far it overshoots: target / value. A target of 0 (零就业家庭动态清零:
    = 0 or ≤ 0) is met, 100, once the value is down to 0, and 0 until then;
    ≥ 0 by any value not below 0.
    """
    if percent is not None:
        return percent
    if value is None or target_value is None:
        return None
    if target_value == 0:
        met = value >= 0 if comparator == ">=" else value <= 0
        return 100.0 if met else 0.0
    if comparator == "<=":
        return 100.0 if value <= target_value else max(0.0, 100.0 * target_value / value)
    return max(0.0, min(100.0, 100.0 * value / target_value))
