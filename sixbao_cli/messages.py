"""Every user-facing string, in Simplified Chinese and English.

``t(key, **params)`` picks the language from ``SIXBAO_LANG`` (``zh`` by
default, ``en`` on request) at each call. Keys are grouped by the part of the
program that speaks; ``tests/test_messages.py`` checks that both languages
have every key with the same ``{placeholders}`` and that every key the code
uses exists.
"""

from __future__ import annotations

import os

# key: (中文, English)
CATALOG: dict[str, tuple[str, str]] = {
    # --- the ledger database -------------------------------------------------
    "db.no_psycopg": (
        "未安装 PostgreSQL 驱动。请执行：pip install 'sixbao[postgres]'",
        "The PostgreSQL driver is not installed. Run: pip install 'sixbao[postgres]'",
    ),
    "db.is_directory": ("台账路径 {path} 是一个目录，不是文件。请用 --db 指定文件路径。", "The ledger path {path} is a directory, not a file. Give a file path with --db."),
    "db.missing_dir": ("台账所在目录 {path} 不存在。请先创建该目录，或用 --db 指定其他位置。", "The ledger's directory {path} does not exist. Create it first, or choose another place with --db."),
    "db.cannot_create": ("无法创建台账文件 {path}：{reason}。请检查目录权限，或用 --db 指定其他位置。", "Cannot create the ledger file {path}: {reason}. Check the directory's permissions, or choose another place with --db."),
    "db.locked": ("台账 {path} 正被其他程序长时间锁定，本次操作未执行。请稍后重试，或关闭占用该文件的程序。", "The ledger {path} is locked by another program for too long; nothing was done. Try again later, or close the program holding it."),
    "db.not_writable": ("台账 {path} 不可写（只读文件或无权限），本次操作未执行。请检查文件和目录权限。", "The ledger {path} cannot be written (read-only file or no permission); nothing was done. Check the file's and directory's permissions."),
    "db.not_a_ledger_file": ("{path} 不是 SQLite 数据库文件。请用 --db 指定正确的台账文件。", "{path} is not a SQLite database file. Point --db at the right ledger."),
    "db.disk_full": ("磁盘已满，台账 {path} 未写入任何内容。请清理磁盘空间后重试。", "The disk is full; nothing was written to the ledger {path}. Free some space and try again."),
    "db.cannot_connect": ("无法连接数据库 {path}：{reason}", "Cannot connect to the database {path}: {reason}"),
    "db.foreign": ("{path} 中已有其他程序的数据表，不是 sixbao 台账，未做任何改动。请用 --db 指定台账文件或空数据库。", "{path} holds another program's tables, not a sixbao ledger; nothing was changed. Point --db at a ledger or an empty database."),
    "db.too_new": ("台账 {path} 的结构版本 {revision} 比本程序新，为保护数据拒绝打开。请升级 sixbao 后再使用。", "The ledger {path} has schema revision {revision}, newer than this program; refusing to open it to protect the data. Upgrade sixbao first."),
    "db.backup_exists": ("备份文件 {path} 已存在。请换一个文件名，或加 --force 覆盖。", "The backup file {path} already exists. Choose another name, or add --force to overwrite it."),
    "db.backup_sqlite_only": (
        "db backup 只用于 SQLite 台账。PostgreSQL 台账请用：pg_dump --format=custom --file=台账.dump \"{path}\"",
        "db backup is for SQLite ledgers. For PostgreSQL use: pg_dump --format=custom --file=ledger.dump \"{path}\"",
    ),
    "db.backup_failed": ("无法写入备份文件 {path}：{reason}", "Cannot write the backup file {path}: {reason}"),
    "db.no_ledger": ("台账 {path} 尚不存在。请先执行 sixbao init。", "The ledger {path} does not exist yet. Run sixbao init first."),
}


def lang() -> str:
    """The current language: ``en`` when SIXBAO_LANG asks for English, else ``zh``."""
    return "en" if os.environ.get("SIXBAO_LANG", "").lower().startswith("en") else "zh"


def t(key: str, **params: object) -> str:
    """The message ``key`` in the current language, formatted with ``params``."""
    zh, en = CATALOG[key]
    text = en if lang() == "en" else zh
    return text.format(**params) if params else text
