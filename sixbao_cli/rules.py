"""Supervision rules: thresholds, the reporting interval and the escalation ladder.

The defaults come from the plans themselves (see rules_default.toml beside this
module, where each value cites the sentence it comes from). A ledger may keep
its own rules (``sixbao report rules --set FILE``, stored as the setting
``rules``) and ``--rules FILE`` overrides both.
Loading and validating a TOML file lives in :func:`load_rules`.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sixbao_cli.errors import InvalidInput
from sixbao_cli.messages import Phrase, os_reason, t


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
DEFAULT_RULES_FILE = Path(__file__).resolve().with_name("rules_default.toml")

# Each table's keys, in the order the default file writes them; [[ladder]] lists each step's keys.
_SCHEMA: dict[str, tuple[str, ...]] = {
    "lights": ("yellow_behind", "red_behind", "due_soon_days"),
    "reporting": ("interval_days",),
    "ladder": ("after", "action", "fix_days"),
    "ranking": ("bottom", "top"),
    "requirements": ("lines",),
}
_MISSING = object()
_MOST = {"rules.expect_days": 3650, "rules.expect_step": 360, "rules.expect_count": 100_000}


def load_rules(path: Path | str | None = None, *, text: str | None = None, name: str | None = None) -> Rules:
    """Read supervision rules from a TOML file (``path``) or from ``text``; the shipped defaults when neither is given.

    Keys the file leaves out keep the shipped defaults (rules_default.toml); a ``[[ladder]]``
    in the file replaces the whole default ladder. Every problem raises
    :class:`InvalidInput` naming the file and the line: ``rules.unreadable``,
    ``rules.syntax``, ``rules.unknown_key``, ``rules.bad_value`` or ``rules.ladder``.
    """
    shipped = path is None and text is None
    if text is None:
        path = Path(path) if path is not None else DEFAULT_RULES_FILE
        text = _read(path)
    name = name or (str(path) if path is not None else "<text>")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(name, text, exc) from None
    # An office's own file changes what it names; everything else — the
    # 下步工作要求 sentences included — comes from the shipped defaults.
    return _Reader(name, text).rules(data, DEFAULT_RULES if shipped else load_rules())


def read_rules_text(path: Path) -> str:
    """The text of a rules file, or :class:`InvalidInput` saying why it cannot be read."""
    return _read(Path(path))


_MAX_RULES_BYTES = 1 << 20  # the shipped file is 5 KB: a megabyte is no rules file (and /dev/zero never ends)


def _read(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(_MAX_RULES_BYTES + 1)
        if len(raw) > _MAX_RULES_BYTES:
            raise InvalidInput("rules.unreadable", file=str(path), reason=Phrase.of("rules.too_big"))
    except FileNotFoundError:
        raise InvalidInput("rules.unreadable", file=str(path), reason=Phrase.of("rules.no_such_file")) from None
    except IsADirectoryError:
        raise InvalidInput("rules.unreadable", file=str(path), reason=Phrase.of("rules.is_directory")) from None
    except OSError as exc:
        raise InvalidInput("rules.unreadable", file=str(path), reason=os_reason(exc)) from None
    try:
        # Notepad and WPS may save UTF-8 with a BOM, which tomllib itself rejects.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("rules.unreadable", file=str(path), reason=Phrase.of("rules.not_utf8")) from None


_DECODE_AT = re.compile(r"^(?P<detail>.*?)\s*\((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)$", re.S)


def _syntax_error(name: str, text: str, exc: tomllib.TOMLDecodeError) -> InvalidInput:
    # tomllib (3.11) carries the position only inside its message text.
    m = _DECODE_AT.match(str(exc))
    if m is None:
        return InvalidInput("rules.syntax", file=name, line=1, column=1, detail=str(exc))
    if m["line"]:
        line, column = int(m["line"]), int(m["column"])
    else:
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    return InvalidInput("rules.syntax", file=name, line=line, column=column, detail=m["detail"])


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=""")
_PART = re.compile(r""""([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+)""")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(next(g for g in m.groups() if g is not None) for m in _PART.finditer(dotted))


def _key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Where each table and key is written: ``("ladder", 1, "after")`` → line number (from 1).

    tomllib returns plain values without positions, so the text is scanned
    again; this is enough for the rules file's flat layout (tables, arrays of
    tables, bare or quoted keys) and skips the inside of multi-line strings.
    """
    where: dict[tuple[str | int, ...], int] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: tuple[str | int, ...] = ()
    open_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if open_string:
            if open_string in line:
                open_string = None
            continue
        header, key = _HEADER.match(line), _KEY.match(line)
        if key:
            where.setdefault(table + _parts(key[1]), number)
        elif header:
            names = _parts(header[2])
            if header[1] == "[[":
                counts[names] = counts.get(names, -1) + 1
                table = names + (counts[names],)
            else:
                table = names
            where.setdefault(table, number)
        for quotes in ('"""', "'''"):
            if line.count(quotes) % 2:
                open_string = quotes
    return where


def _show(value: object) -> str:
    """A value as the file would write it, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Reader:
    """Turns parsed TOML into :class:`Rules`, raising with the file and line of the first bad key."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.where = _key_lines(text)

    def line(self, *path: str | int) -> int:
        for end in range(len(path), 0, -1):
            if path[:end] in self.where:
                return self.where[path[:end]]
        return 1

    def bad_value(self, path: tuple[str | int, ...], value: object, expected: Phrase) -> InvalidInput:
        name = ".".join(p for p in path if isinstance(p, str))
        return InvalidInput("rules.bad_value", file=self.name, line=self.line(*path), name=name,
                            value=_show(value), expected=expected)

    def ladder_error(self, path: tuple[str | int, ...], detail: Phrase) -> InvalidInput:
        return InvalidInput("rules.ladder", file=self.name, line=self.line(*path), detail=detail)

    def check_keys(self, table: dict, path: tuple[str | int, ...], known: tuple[str, ...]) -> None:
        for key in table:
            if key not in known:
                where = path + (key,)
                raise InvalidInput("rules.unknown_key", file=self.name, line=self.line(*where),
                                   name=".".join(str(p) for p in where if isinstance(p, str)),
                                   known=t("sep.list").join(known))

    def table(self, data: dict, name: str) -> dict:
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise self.bad_value((name,), table, Phrase.of("rules.expect_table", name=name))
        self.check_keys(table, (name,), _SCHEMA[name])
        return table

    def percent(self, table: dict, path: tuple[str, str], default: float) -> float:
        value = table.get(path[-1], _MISSING)
        if value is _MISSING:
            return default
        if not (_is_number(value) and 0 <= value <= 100):
            raise self.bad_value(path, value, Phrase.of("rules.expect_percent"))
        return float(value)

    def whole(self, table: dict, path: tuple[str | int, ...], default: int | None, *, least: int, expected: str) -> int | None:
        value = table.get(path[-1], _MISSING)
        if value is _MISSING:
            return default
        # Bounded above too: ten years of days, 360 旬 checkpoints, 100,000 units are beyond any
        # plan, and a larger number would overflow the date arithmetic.
        if not (_is_whole(value) and least <= value <= _MOST[expected]):
            raise self.bad_value(path, value, Phrase.of(expected))
        return value

    def rules(self, data: dict, base: Rules) -> Rules:
        self.check_keys(data, (), tuple(_SCHEMA))

        lights = self.table(data, "lights")
        yellow = self.percent(lights, ("lights", "yellow_behind"), base.yellow_behind)
        red = self.percent(lights, ("lights", "red_behind"), base.red_behind)
        if yellow >= red:
            if "red_behind" in lights:
                raise self.bad_value(("lights", "red_behind"), red,
                                     Phrase.of("rules.expect_above", name="yellow_behind", value=_show(yellow)))
            raise self.bad_value(("lights", "yellow_behind"), yellow,
                                 Phrase.of("rules.expect_below", name="red_behind", value=_show(red)))
        due_soon = self.whole(lights, ("lights", "due_soon_days"), base.due_soon_days, least=1, expected="rules.expect_days")

        reporting = self.table(data, "reporting")
        interval = self.whole(reporting, ("reporting", "interval_days"), base.report_interval_days,
                              least=1, expected="rules.expect_days")

        ranking = self.table(data, "ranking")
        bottom = self.whole(ranking, ("ranking", "bottom"), base.rank_bottom, least=0, expected="rules.expect_count")
        top = self.whole(ranking, ("ranking", "top"), base.rank_top, least=0, expected="rules.expect_count")

        requirements = self.table(data, "requirements")
        lines = requirements.get("lines", list(base.requirements))
        if not isinstance(lines, list):
            raise self.bad_value(("requirements", "lines"), lines, Phrase.of("rules.expect_lines"))
        for item in lines:
            if not (isinstance(item, str) and item.strip()):
                raise self.bad_value(("requirements", "lines"), item, Phrase.of("rules.expect_lines"))

        return Rules(
            yellow_behind=yellow,
            red_behind=red,
            due_soon_days=due_soon,
            report_interval_days=interval,
            ladder=self.ladder(data.get("ladder", _MISSING), base.ladder),
            rank_bottom=bottom,
            rank_top=top,
            requirements=tuple(item.strip() for item in lines),
        )

    def ladder(self, steps: object, default: tuple[LadderStep, ...]) -> tuple[LadderStep, ...]:
        if steps is _MISSING:
            return default
        if not (isinstance(steps, list) and all(isinstance(step, dict) for step in steps)):
            raise self.bad_value(("ladder",), steps, Phrase.of("rules.expect_steps"))
        if not steps:
            raise self.ladder_error(("ladder",), Phrase.of("rules.ladder_empty"))
        ladder: list[LadderStep] = []
        for index, step in enumerate(steps):
            here = ("ladder", index)
            self.check_keys(step, here, _SCHEMA["ladder"])
            for needed in ("after", "action"):
                if needed not in step:
                    raise self.ladder_error(here, Phrase.of("rules.ladder_needs", name=needed))
            after = self.whole(step, here + ("after",), None, least=1, expected="rules.expect_step")
            action = step["action"]
            if not (isinstance(action, str) and action.strip()):
                raise self.bad_value(here + ("action",), action, Phrase.of("rules.expect_action"))
            fix_days = self.whole(step, here + ("fix_days",), None, least=1, expected="rules.expect_days")
            if ladder and after <= ladder[-1].after:
                order = Phrase.of("rules.ladder_order", after=after, previous=ladder[-1].after)
                raise self.ladder_error(here + ("after",), order)
            ladder.append(LadderStep(after, action.strip(), fix_days=fix_days))
        return tuple(ladder)
