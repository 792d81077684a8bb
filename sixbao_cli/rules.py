"""Supervision rules: thresholds, the reporting interval and the escalation ladder.

The defaults come from the plans themselves (see rules_default.toml beside this
module, where each value cites the sentence it comes from). A ledger may name
another rules file (setting ``rules.file``) and ``--rules FILE`` overrides both.
Loading and validating a TOML file lives in :func:`load_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LadderStep:
    """One rung of the ladder: from ``after`` consecutive red 旬 checkpoints on, this ``action``."""

    after: int  # consecutive red checkpoints needed (1, 2, 3, 6 …)
    action: str  # 通报批评 | 限期整改 | 约谈 | 问责 (or an office's own wording)
    fix_days: int | None = None  # for 限期整改: the 整改 deadline, days after the checkpoint


@dataclass(frozen=True)
class Rules:
    """Everything the evaluation and the reports need to know about how tasks are chased."""

    yellow_behind: float = 10.0  # percentage points behind 序时进度 for 黄
    red_behind: float = 30.0  # percentage points behind 序时进度 for 红
    due_soon_days: int = 7  # 临期: deadline within this many days
    report_interval_days: int = 10  # 未按时报送: nothing from the lead unit for longer than this (one 旬)
    ladder: tuple[LadderStep, ...] = field(default_factory=lambda: (
        LadderStep(1, "通报批评"),
        LadderStep(2, "限期整改", fix_days=10),
        LadderStep(3, "约谈"),
        LadderStep(6, "问责"),
    ))
    rank_bottom: int = 3  # 单位排名: the bottom N are 约谈 candidates
    rank_top: int = 3  # and the top N are 通报表扬
    requirements: tuple[str, ...] = ()  # 下步工作要求: sentences the weekly report closes with

    def step_for(self, red_streak: int) -> LadderStep | None:
        """The ladder rung a task red at ``red_streak`` consecutive checkpoints has reached."""
        reached = [step for step in self.ladder if red_streak >= step.after]
        return max(reached, key=lambda s: s.after) if reached else None


DEFAULT_RULES = Rules()
