"""The six 保 (and room for others): canonical names, accepted spellings, code prefixes."""

from __future__ import annotations

from sixbao_cli.units import normalize_name

SIX = (
    "保居民就业",
    "保基本民生",
    "保市场主体",
    "保粮食能源安全",
    "保产业链供应链稳定",
    "保基层运转",
)
OTHER = "其他"

# canonical name -> (code prefix, English name, other spellings). The one table of aliases: every path that takes a
# category (task add/edit, import tasks, the filters -c) reads it. The short forms are those plans and offices write —
# 保就业, 保民生, 保粮食能源, 保产业链, 保基层 — and the names without 保.
_INFO: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "保居民就业": ("JY", "Jobs", ("保就业", "居民就业", "就业", "稳就业", "jobs", "employment")),
    "保基本民生": ("MS", "Basic livelihoods", ("保民生", "基本民生", "民生", "livelihood", "livelihoods")),
    "保市场主体": ("SC", "Market entities", ("市场主体", "market", "market entities")),
    "保粮食能源安全": (
        "LN", "Food and energy security",
        ("保粮食能源", "粮食能源安全", "粮食能源", "保粮食安全", "保能源安全", "粮食安全", "能源安全", "粮食", "能源",
         "food", "energy", "food and energy"),
    ),
    "保产业链供应链稳定": (
        "CL", "Industrial and supply chains",
        ("保产业链供应链", "保产业链", "保供应链", "保产业链稳定", "保供应链稳定", "产业链供应链稳定", "产业链供应链",
         "产业链", "供应链", "supply chain", "supply chains", "chains"),
    ),
    "保基层运转": ("JC", "Grassroots operations", ("保基层", "基层运转", "基层", "grassroots")),
}
# Every spelling of the six, their code prefixes (JY …, as the task codes show them: -c JY) included.
_LOOKUP = {normalize_name(s).lower(): name for name, (prefix, en, alts) in _INFO.items()
           for s in (name, prefix, en, *alts)}
# What a sheet's 类别 column may also hold: the words for "other".
_SHEET_LOOKUP = {**_LOOKUP, **{word: OTHER for word in ("其他", "其它", "其他类", "other", "others", "qt")}}
# Each of the six with every spelling a ledger may hold it under: a version that did not yet know a short form
# stored it as a category of its own (粮食能源, code QT-001). Filters and totals count such a task as its 保.
_STORED = {name: tuple(dict.fromkeys(normalize_name(s) for s in (name, *alts))) for name, (_, _, alts) in _INFO.items()}


def canonical(text: str) -> str:
    """The canonical category for ``text``: one of the six when it names one (by name, short form, English name
    or code prefix), else ``text`` itself."""
    key = normalize_name(text).lower()
    return _LOOKUP.get(key, normalize_name(text))


def lookup(text: str) -> str | None:
    """The category ``text`` names — one of the six by name, short form, English name or code prefix
    (JY, MS …), or 其他 — else None (a sheet's typo is not a new category)."""
    return _SHEET_LOOKUP.get(normalize_name(text).lower())


def spellings(category: str) -> tuple[str, ...]:
    """Every category name that counts as ``category`` (canonical) in the ledger: for one of the six, itself and the
    short forms an older version stored as categories of their own; for any other, itself."""
    return _STORED.get(category, (category,))


def choices() -> str:
    """The categories with their code prefixes, as a message lists them: 保居民就业（JY）、…、其他（QT）."""
    return "、".join([*(f"{name}（{prefix}）" for name, (prefix, _, _) in _INFO.items()), f"{OTHER}（QT）"])


def code_prefix(category: str) -> str:
    """The letters task codes of this category start with (JY-001 …); QT for others."""
    return _INFO.get(category, ("QT",))[0]


def english(category: str) -> str:
    """The category's English name, or the name itself for categories outside the six."""
    return _INFO.get(category, (None, category))[1]
