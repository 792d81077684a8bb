"""The message catalog: both languages complete, placeholders consistent, every used key present."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from sixbao_cli.messages import CATALOG, reset_lang, t

SOURCE = Path(__file__).resolve().parent.parent / "sixbao_cli"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_both_languages_with_the_same_placeholders(key):
    zh, en = CATALOG[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en)


def test_every_key_used_in_the_code_exists():
    used = set()
    pattern = re.compile(r"""\b(?:t|InvalidInput|NotFound|Conflict|LedgerUnavailable|SchemaMismatch|SixbaoError|Phrase\.of)\(\s*"([a-z_]+\.[a-z0-9_.]+)""")
    for path in SOURCE.rglob("*.py"):
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "the pattern found nothing"
    assert sorted(used - set(CATALOG)) == []


def test_dynamic_key_families_are_complete():
    from sixbao_cli.vocab import ROLES, STATUSES

    for code in STATUSES:
        assert f"status.{code}" in CATALOG
    for code in ROLES:
        assert f"role.{code}" in CATALOG
    for state in ("current", "blank", "old", "newer"):
        assert f"db.state.{state}" in CATALOG


def test_language_switch(monkeypatch):
    assert t("status.closed") == "已销号"
    monkeypatch.setenv("SIXBAO_LANG", "en")
    reset_lang()  # the language is read once (per CLI invocation), not at every t()
    assert t("status.closed") == "closed"
    monkeypatch.setenv("SIXBAO_LANG", "en_US.UTF-8")
    reset_lang()
    assert t("role.lead") == "lead"


def test_the_language_is_read_once_until_reset(monkeypatch):
    assert t("status.closed") == "已销号"
    monkeypatch.setenv("SIXBAO_LANG", "en")
    assert t("status.closed") == "已销号"
    reset_lang()
    assert t("status.closed") == "closed"


def test_each_cli_invocation_reads_the_language_afresh(cli, monkeypatch):
    assert cli("task", "lst").stderr.startswith("错误：")
    monkeypatch.setenv("SIXBAO_LANG", "en")
    assert cli("task", "lst").stderr.startswith("Error: ")
    monkeypatch.setenv("SIXBAO_LANG", "zh")
    assert cli("task", "lst").stderr.startswith("错误：")


@pytest.mark.parametrize(("code", "zh", "en"), [
    ("ENOENT", "文件或目录不存在", "No such file or directory"),
    ("EACCES", "没有权限", "Permission denied"),
    ("ENOSPC", "磁盘空间已满", "No space left on device"),
    ("EROFS", "所在的文件系统是只读的", "Read-only file system"),
])
def test_the_reason_a_file_call_failed_is_in_the_message_language(monkeypatch, code, zh, en):
    """The system's own words are English; a Chinese message gives the reason in Chinese."""
    import errno
    import os

    from sixbao_cli.messages import os_reason

    exc = OSError(getattr(errno, code), os.strerror(getattr(errno, code)))
    assert os_reason(exc) == zh
    monkeypatch.setenv("SIXBAO_LANG", "en")
    reset_lang()
    assert os_reason(exc) == en
    reset_lang()


def test_a_reason_not_listed_keeps_the_system_words():
    import errno
    import os

    from sixbao_cli.messages import os_reason

    exc = OSError(errno.ETXTBSY, os.strerror(errno.ETXTBSY))
    assert os_reason(exc) == os.strerror(errno.ETXTBSY)
