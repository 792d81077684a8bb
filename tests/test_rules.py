"""The rules file: the shipped defaults cite the plans, overrides fall back to defaults, bad files name the line."""

from __future__ import annotations

import dataclasses
import re
import textwrap
import unicodedata
from pathlib import Path

import pytest

from sixbao_cli.errors import ExitCode, InvalidInput
from sixbao_cli.messages import reset_lang
from sixbao_cli.resources import seed_plans
from sixbao_cli.rules import DEFAULT_RULES, DEFAULT_RULES_FILE, LadderStep, Phrase, Rules, load_rules

# --- the shipped defaults ------------------------------------------------------

# How the comments name each plan → a phrase only that seed plan contains.
PLANS = {
    "吉发〔2020〕17号": "吉发〔2020〕17号",
    "高台县": "高台县“六保”工作方案",
    "青山湖区": "湖政发〔2020〕25号",
    "长沙市": "长政办发〔2020〕26号",
    "赣州市": "赣州市人民政府办公室印发关于",
}
_PUNCTUATION = str.maketrans({"‘": "“", "’": "”", ",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


def _normal(text: str) -> str:
    """Plan text without line breaks and with full-width punctuation (高台县 and 青山湖区 use ASCII commas)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text)).translate(_PUNCTUATION)


def _plan_texts() -> dict[str, str]:
    texts = {}
    for plan in seed_plans():
        body = plan.read_text(encoding="utf-8")
        for name, marker in PLANS.items():
            if marker in body:
                texts[name] = _normal(body)
    return texts


def _value_lines() -> list[tuple[int, str, list[str]]]:
    """Each value line of the default file with the comment block right above it."""
    lines = DEFAULT_RULES_FILE.read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in enumerate(lines):
        stripped = line.strip()
        if re.match(r"^[a-z_]+\s*=\s*[^\[]", stripped) or stripped.startswith('"'):
            block, above = [], number - 1
            while above >= 0 and lines[above].strip().startswith("#"):
                block.insert(0, lines[above].strip())
                above -= 1
            found.append((number + 1, stripped, block))
    return found


def test_the_default_file_holds_the_dataclass_defaults():
    loaded = load_rules()
    assert dataclasses.replace(loaded, requirements=()) == DEFAULT_RULES
    assert loaded == load_rules(DEFAULT_RULES_FILE)


def test_the_default_file_closes_reports_with_requirements_in_the_plans_words():
    requirements = load_rules().requirements
    assert len(requirements) >= 5
    assert all(line.endswith("。") and "\n" not in line for line in requirements)
    assert DEFAULT_RULES.requirements == ()  # the dataclass leaves them to the file


def test_every_value_in_the_default_file_has_a_comment_quoting_a_plan():
    values = _value_lines()
    assert len(values) >= 14  # 3 lights, 1 reporting, 9 ladder, 2 ranking, the requirement lines
    for number, line, block in values:
        comment = " ".join(block)
        assert block, f"line {number} ({line}) has no comment above it"
        assert any(mark in comment for mark in ("“", "《", "〔2020〕")), f"line {number}: {comment}"
        assert any(name in comment for name in PLANS), f"line {number} names no plan: {comment}"


def test_every_quotation_in_the_default_file_is_in_the_plan_it_names():
    texts = _plan_texts()
    assert sorted(texts) == sorted(PLANS)
    quoted = 0
    for number, _line, block in _value_lines():
        comment = " ".join(block)
        named = [texts[name] for name in PLANS if name in comment]
        for quote in re.findall(r"“([^”]+)”", comment):
            quoted += 1
            assert any(_normal(quote) in text for text in named), f"line {number}: “{quote}” is not in {comment}"
    assert quoted >= 20


# --- overrides: what the file says wins, the rest stays ---------------------------

OVERRIDES = [
    ("", {}),
    ("[lights]\nyellow_behind = 15\n", {"yellow_behind": 15.0}),
    ("[lights]\nyellow_behind = 12.5\n", {"yellow_behind": 12.5}),
    ("[lights]\nred_behind = 40\n", {"red_behind": 40.0}),
    ("[lights]\nyellow_behind = 0\nred_behind = 100\n", {"yellow_behind": 0.0, "red_behind": 100.0}),
    ("[lights]\ndue_soon_days = 3\n", {"due_soon_days": 3}),
    ("[reporting]\ninterval_days = 7\n", {"report_interval_days": 7}),
    ("[ranking]\nbottom = 5\n", {"rank_bottom": 5}),
    ("[ranking]\ntop = 0\n", {"rank_top": 0}),
    ('[requirements]\nlines = ["各牵头单位要按时报送。", "  对进度缓慢的任务要及时报告。 "]\n',
     {"requirements": ("各牵头单位要按时报送。", "对进度缓慢的任务要及时报告。")}),
    ("[requirements]\nlines = []\n", {"requirements": ()}),  # an office may say: none
    ('[[ladder]]\nafter = 2\naction = "约谈"\n\n[[ladder]]\nafter = 4\naction = " 问责 "\n',
     {"ladder": (LadderStep(2, "约谈"), LadderStep(4, "问责"))}),
    ('[[ladder]]\nafter = 1\naction = "限期整改"\nfix_days = 5\n', {"ladder": (LadderStep(1, "限期整改", fix_days=5),)}),
    ('ladder = [{after = 1, action = "通报批评"}, {after = 3, action = "约谈"}]\n',
     {"ladder": (LadderStep(1, "通报批评"), LadderStep(3, "约谈"))}),
    ("# 只有注释\n[lights]\n[reporting]\n[ranking]\n", {}),
]


@pytest.mark.parametrize(("text", "changes"), OVERRIDES, ids=[f"override-{i}" for i in range(len(OVERRIDES))])
def test_a_file_changes_only_what_it_says(text, changes):
    assert load_rules(text=text) == dataclasses.replace(load_rules(), **changes)


def test_a_file_on_disk_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "督办规则.toml"
    path.write_bytes("\ufeff[lights]\nyellow_behind = 20\n".encode())
    assert load_rules(path) == dataclasses.replace(load_rules(), yellow_behind=20.0)
    assert load_rules(str(path)) == load_rules(path)


# --- bad files: the exact key, line and parameters --------------------------------

KNOWN_LIGHTS = "yellow_behind、red_behind、due_soon_days"
KNOWN_TABLES = "lights、reporting、ladder、ranking、requirements"
KNOWN_STEP = "after、action、fix_days"
LADDER = '[[ladder]]\nafter = 1\naction = "通报批评"\n\n[[ladder]]\nafter = 3\naction = "约谈"\n\n'

BAD_FILES = [
    # (name, file text, catalog key, params other than file)
    ("misspelt key", "[lights]\nyelow_behind = 15\n",
     "rules.unknown_key", {"line": 2, "name": "lights.yelow_behind", "known": KNOWN_LIGHTS}),
    ("misspelt table", "[reporting]\ninterval_days = 7\n\n[light]\nred_behind = 20\n",
     "rules.unknown_key", {"line": 4, "name": "light", "known": KNOWN_TABLES}),
    ("key outside any table", "# 督办规则\nyellow_behind = 15\n",
     "rules.unknown_key", {"line": 2, "name": "yellow_behind", "known": KNOWN_TABLES}),
    ("sub-table", "[lights]\nred_behind = 40\n\n[lights.extra]\nx = 1\n",
     "rules.unknown_key", {"line": 4, "name": "lights.extra", "known": KNOWN_LIGHTS}),
    ("misspelt key in the second step", LADDER.replace('action = "约谈"', 'actoin = "约谈"'),
     "rules.unknown_key", {"line": 7, "name": "ladder.actoin", "known": KNOWN_STEP}),
    ("yellow equal to red", "[lights]\nyellow_behind = 30\nred_behind = 30\n",
     "rules.bad_value", {"line": 3, "name": "lights.red_behind", "value": "30",
                         "expected": Phrase.of("rules.expect_above", name="yellow_behind", value="30")}),
    ("red below yellow", "[lights]\nred_behind = 5\n",
     "rules.bad_value", {"line": 2, "name": "lights.red_behind", "value": "5",
                         "expected": Phrase.of("rules.expect_above", name="yellow_behind", value="10")}),
    ("yellow above the default red", "[lights]\ndue_soon_days = 7\nyellow_behind = 45.5\n",
     "rules.bad_value", {"line": 3, "name": "lights.yellow_behind", "value": "45.5",
                         "expected": Phrase.of("rules.expect_below", name="red_behind", value="30")}),
    ("threshold above 100", "[lights]\nred_behind = 120\n",
     "rules.bad_value", {"line": 2, "name": "lights.red_behind", "value": "120", "expected": Phrase.of("rules.expect_percent")}),
    ("negative threshold", "[lights]\nyellow_behind = -5\n",
     "rules.bad_value", {"line": 2, "name": "lights.yellow_behind", "value": "-5", "expected": Phrase.of("rules.expect_percent")}),
    ("threshold written as text", '[lights]\n\nyellow_behind = "10%"\n',
     "rules.bad_value", {"line": 3, "name": "lights.yellow_behind", "value": '"10%"', "expected": Phrase.of("rules.expect_percent")}),
    ("threshold nan", "[lights]\nred_behind = nan\n",
     "rules.bad_value", {"line": 2, "name": "lights.red_behind", "value": "nan", "expected": Phrase.of("rules.expect_percent")}),
    ("threshold boolean", "[lights]\nred_behind = true\n",
     "rules.bad_value", {"line": 2, "name": "lights.red_behind", "value": "true", "expected": Phrase.of("rules.expect_percent")}),
    ("negative days", "[lights]\ndue_soon_days = -1\n",
     "rules.bad_value", {"line": 2, "name": "lights.due_soon_days", "value": "-1", "expected": Phrase.of("rules.expect_days")}),
    ("zero-day interval", "[reporting]\ninterval_days = 0\n",
     "rules.bad_value", {"line": 2, "name": "reporting.interval_days", "value": "0", "expected": Phrase.of("rules.expect_days")}),
    ("fractional days", "[reporting]\n  interval_days = 7.5  # 一周半\n",
     "rules.bad_value", {"line": 2, "name": "reporting.interval_days", "value": "7.5", "expected": Phrase.of("rules.expect_days")}),
    ("days as text", '[lights]\ndue_soon_days = "七"\n',
     "rules.bad_value", {"line": 2, "name": "lights.due_soon_days", "value": '"七"', "expected": Phrase.of("rules.expect_days")}),
    ("negative rank", "[ranking]\ntop = 3\nbottom = -3\n",
     "rules.bad_value", {"line": 3, "name": "ranking.bottom", "value": "-3", "expected": Phrase.of("rules.expect_count")}),
    ("table given as a value", "lights = 10\n",
     "rules.bad_value", {"line": 1, "name": "lights", "value": "10", "expected": Phrase.of("rules.expect_table", name="lights")}),
    ("requirements not a list", '[requirements]\nlines = "按时报送"\n',
     "rules.bad_value", {"line": 2, "name": "requirements.lines", "value": '"按时报送"', "expected": Phrase.of("rules.expect_lines")}),
    ("requirement not text", '[requirements]\nlines = [\n  "按时报送。",\n  3,\n]\n',
     "rules.bad_value", {"line": 2, "name": "requirements.lines", "value": "3", "expected": Phrase.of("rules.expect_lines")}),
    ("ladder not increasing", LADDER + '[[ladder]]\nafter = 2\naction = "问责"\n',
     "rules.ladder", {"line": 10, "detail": Phrase.of("rules.ladder_order", after=2, previous=3)}),
    ("ladder step repeated", LADDER + '[[ladder]]\naction = "问责"\nafter = 3\n',
     "rules.ladder", {"line": 11, "detail": Phrase.of("rules.ladder_order", after=3, previous=3)}),
    ("empty ladder", "[lights]\nred_behind = 40\nladder = []\n",
     "rules.unknown_key", {"line": 3, "name": "lights.ladder", "known": KNOWN_LIGHTS}),
    ("empty ladder at the top", "ladder = []\n[lights]\nred_behind = 40\n",
     "rules.ladder", {"line": 1, "detail": Phrase.of("rules.ladder_empty")}),
    ("step without action", LADDER + "[[ladder]]\nafter = 6\n",
     "rules.ladder", {"line": 9, "detail": Phrase.of("rules.ladder_needs", name="action")}),
    ("step without after", '[[ladder]]\naction = "通报批评"\n',
     "rules.ladder", {"line": 1, "detail": Phrase.of("rules.ladder_needs", name="after")}),
    ("step after zero", '[[ladder]]\nafter = 0\naction = "通报批评"\n',
     "rules.bad_value", {"line": 2, "name": "ladder.after", "value": "0", "expected": Phrase.of("rules.expect_step")}),
    ("step after as text", LADDER + '[[ladder]]\nafter = "6"\naction = "问责"\n',
     "rules.bad_value", {"line": 10, "name": "ladder.after", "value": '"6"', "expected": Phrase.of("rules.expect_step")}),
    ("blank action", LADDER.replace('action = "约谈"', 'action = "  "'),
     "rules.bad_value", {"line": 7, "name": "ladder.action", "value": '"  "', "expected": Phrase.of("rules.expect_action")}),
    ("negative fix days", '[[ladder]]\nafter = 2\naction = "限期整改"\nfix_days = -10\n',
     "rules.bad_value", {"line": 4, "name": "ladder.fix_days", "value": "-10", "expected": Phrase.of("rules.expect_days")}),
    ("ladder as one table", '[ladder]\nafter = 1\naction = "通报批评"\n',
     "rules.bad_value", {"line": 1, "name": "ladder", "value": '{after = 1, action = "通报批评"}',
                         "expected": Phrase.of("rules.expect_steps")}),
    ("ladder of numbers", "ladder = [1, 2, 3]\n",
     "rules.bad_value", {"line": 1, "name": "ladder", "value": "[1, 2, 3]", "expected": Phrase.of("rules.expect_steps")}),
    ("key-like text inside a multi-line string",
     '[requirements]\nlines = ["""\n[lights]\nyellow_behind = 1\n""", 5]\n\n[lights]\nyellow_behind = "x"\n',
     "rules.bad_value", {"line": 8, "name": "lights.yellow_behind", "value": '"x"', "expected": Phrase.of("rules.expect_percent")}),
]


@pytest.mark.parametrize(("text", "key", "params"), [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES])
def test_a_bad_file_is_refused_naming_the_key_and_line(tmp_path, text, key, params):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_rules(path)
    assert caught.value.key == key
    assert caught.value.params == {"file": str(path), **params}
    assert caught.value.exit_code == ExitCode.INVALID


SYNTAX_ERRORS = [
    # (file text, line, column, detail)
    ("[lights]\nyellow_behind = 10\nred_behind 30\n", 3, 12, "Expected '=' after a key in a key/value pair"),
    ("[lights]\nyellow_behind = 10\nyellow_behind = 20\n", 3, 19, "Cannot overwrite a value"),
    ("[lights]\nred_behind = 40\n\n[lights]\n", 4, 8, "Cannot declare ('lights',) twice"),
    ('[[ladder]]\nafter = 1\naction = "通报批评\n', 3, 15, "Illegal character '\\n'"),
    ("[lights]\nyellow_behind = ", 2, 17, "Invalid value"),  # tomllib: "at end of document"
    ("[lights]\nyellow_behind = 10 %\n", 2, 20, "Expected newline or end of document after a statement"),
]


@pytest.mark.parametrize(("text", "line", "column", "detail"), SYNTAX_ERRORS)
def test_a_syntax_error_names_the_line_and_column(tmp_path, text, line, column, detail):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_rules(path)
    assert caught.value.key == "rules.syntax"
    assert caught.value.params == {"file": str(path), "line": line, "column": column, "detail": detail}


def test_text_without_a_file_is_named_as_text():
    with pytest.raises(InvalidInput) as caught:
        load_rules(text="[lights]\nred_behind = 5\n")
    assert caught.value.params["file"] == "<text>"
    assert caught.value.params["line"] == 2


def test_a_missing_file(tmp_path):
    path = tmp_path / "没有的规则.toml"
    with pytest.raises(InvalidInput) as caught:
        load_rules(path)
    assert (caught.value.key, caught.value.params) == ("rules.unreadable", {"file": str(path), "reason": Phrase.of("rules.no_such_file")})


def test_an_endless_file_is_refused_not_read_forever():
    # /dev/zero (or a FIFO nobody closes) as --rules would read until memory ran out
    with pytest.raises(InvalidInput) as caught:
        load_rules(Path("/dev/zero"))
    assert (caught.value.key, caught.value.params) == ("rules.unreadable", {"file": "/dev/zero", "reason": Phrase.of("rules.too_big")})


def test_a_directory_instead_of_a_file(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        load_rules(tmp_path)
    assert (caught.value.key, caught.value.params) == ("rules.unreadable", {"file": str(tmp_path), "reason": Phrase.of("rules.is_directory")})


def test_a_file_saved_as_gb18030(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_bytes('[[ladder]]\nafter = 1\naction = "通报批评"\n'.encode("gb18030"))
    with pytest.raises(InvalidInput) as caught:
        load_rules(path)
    assert (caught.value.key, caught.value.params) == ("rules.unreadable", {"file": str(path), "reason": Phrase.of("rules.not_utf8")})


def test_a_phrase_is_translated_when_the_message_is_shown(monkeypatch):
    error = InvalidInput("usage.bad_value", name="yellow_behind", detail=Phrase.of("usage.expect_integer"))
    assert error.message() == "yellow_behind 的值无效：应为整数。"
    monkeypatch.setenv("SIXBAO_LANG", "en")
    reset_lang()
    assert error.message() == "Invalid value for yellow_behind: a whole number is expected."
    assert Phrase.of("x.y", b=2, a=1) == Phrase("x.y", (("a", 1), ("b", 2)))


# --- the ladder -------------------------------------------------------------------

STEPS = [
    # (consecutive red checkpoints, action reached)
    (0, None),
    (1, "通报批评"),
    (2, "限期整改"),
    (3, "约谈"),
    (5, "约谈"),
    (6, "问责"),
    (10, "问责"),
]


@pytest.mark.parametrize(("streak", "action"), STEPS)
@pytest.mark.parametrize("rules", [DEFAULT_RULES, load_rules()], ids=["dataclass", "default-file"])
def test_step_for_each_streak(rules: Rules, streak, action):
    step = rules.step_for(streak)
    assert (step.action if step else None) == action


def test_the_deadline_to_fix_comes_with_the_second_step():
    assert load_rules().step_for(2).fix_days == 10
    assert load_rules().step_for(3).fix_days is None


def test_step_for_a_ladder_from_a_file():
    rules = load_rules(text=textwrap.dedent("""\
        [[ladder]]
        after = 2
        action = "约谈"
        [[ladder]]
        after = 4
        action = "问责"
        """))
    assert [getattr(rules.step_for(n), "action", None) for n in range(6)] == [None, None, "约谈", "约谈", "问责", "问责"]
