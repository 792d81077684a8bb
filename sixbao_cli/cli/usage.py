"""Command-line usage errors, said in the catalog's language on one line.

typer reports a missing option or a bad value in an English box of several
lines; the officers at the terminal read Chinese, and scripts read one line.
"""

from __future__ import annotations

import re

import typer

from sixbao_cli.messages import t


def _name(exc: Exception) -> str:
    param = getattr(exc, "param", None)
    if param is not None:
        opts = [o for o in getattr(param, "opts", []) if o.startswith("--")] or list(getattr(param, "opts", []))
        if getattr(param, "param_type_name", "") == "argument":
            return (param.metavar or param.name or "").upper()
        if opts:
            return opts[0]
    hint = getattr(exc, "param_hint", None)
    return str(hint) if hint else ""


def _detail(message: str) -> str:
    """typer's reason for refusing a value, in the catalog's words where it is one sixbao knows.

    typer 0.28 (pinned in pyproject.toml) says "'abc' is not a valid int."
    and "0 is not in the range x>=1."; 0.29's pydantic layer said "Input
    should be a valid integer, …" and "… greater than or equal to 1": both
    are understood, so the messages stay the same whichever is installed.
    """
    if re.search(r"valid int(eger)?\b", message):
        return t("usage.expect_integer")
    if "valid number" in message or "valid float" in message:
        return t("usage.expect_number")
    m = re.match(r"(\S+) is not in the range (?:(\S+?)<=?)?x(?:[<>]=?(\S+?))?\.?$", message)
    if m:  # typer 0.28 names the range; say the bound the value is on the wrong side of, as 0.29 did
        value, low, high = m.groups()
        if low is None and "x>" in message:
            low, high = high, None
        try:
            below = low is not None and float(value) < float(low)
        except ValueError:
            below = low is not None
        if below or high is None:
            return t("usage.expect_min", n=low)
        return t("usage.expect_max", n=high)
    m = re.search(r"greater than or equal to (\S+)", message)
    if m:
        return t("usage.expect_min", n=m.group(1))
    m = re.search(r"less than or equal to (\S+)", message)
    if m:
        return t("usage.expect_max", n=m.group(1))
    return message.rstrip(".")


def describe(exc: typer.TyperException) -> str:
    """One line for a usage error, ending with where to find help."""
    kind = type(exc).__name__
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if kind == "MissingParameter":
        key = "usage.missing_argument" if getattr(exc.param, "param_type_name", "") == "argument" else "usage.missing_option"
        text = t(key, name=_name(exc))
    elif kind == "NoSuchOption":
        text = t("usage.no_such_option", name=exc.option_name)
        if exc.possibilities:
            text += t("usage.did_you_mean", names=t("sep.list").join(sorted(exc.possibilities)))
    elif kind == "BadParameter":
        detail = message.split(":", 1)[1].strip() if ":" in message else message
        text = t("usage.bad_value", name=_name(exc), detail=_detail(detail))
    elif m := re.match(r"No such command '(.+?)'\.(?: Did you mean '(.+?)'\?)?", message):
        text = t("usage.no_such_command", name=m.group(1))
        if m.group(2):
            text += t("usage.did_you_mean", names=m.group(2))
    elif m := re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$", message):
        text = t("usage.extra_arguments", args=m.group(1))
    else:
        text = message
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        text += t("usage.see_help", command=ctx.command_path)
    return text
