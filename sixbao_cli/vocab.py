"""The ledger's fixed vocabulary: task statuses and unit roles, as stored and as spoken."""

from __future__ import annotations

from sixbao_cli.errors import InvalidInput
from sixbao_cli.messages import CATALOG, t

STATUSES = ("not_started", "in_progress", "completed", "closed", "suspended")
ROLES = ("lead", "support")


def status_label(code: str) -> str:
    """未启动 / 推进中 / 已完成 / 已销号 / 暂缓 (or the English words)."""
    return t(f"status.{code}")


def role_label(code: str) -> str:
    """牵头 / 配合 (lead / support)."""
    return t(f"role.{code}")


def parse_status(text: str) -> str:
    """A status code from its code, Chinese label or English label."""
    key = text.strip().lower().replace(" ", "_").replace("-", "_")
    for code in STATUSES:
        zh, en = CATALOG[f"status.{code}"]
        if key in (code, zh, en.lower().replace(" ", "_")):
            return code
    choices = "、".join(f"{CATALOG[f'status.{c}'][0]}({c})" for c in STATUSES)
    raise InvalidInput("status.unknown", value=text, choices=choices)


def parse_role(text: str) -> str:
    """``lead``, ``support`` or ``any`` from English or Chinese (牵头/配合/全部)."""
    key = text.strip().lower()
    for code, words in (("lead", ("lead", "牵头")), ("support", ("support", "配合")), ("any", ("any", "all", "全部", "任意"))):
        if key in words:
            return code
    raise InvalidInput("role.unknown", value=text)
