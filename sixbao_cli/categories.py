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

# canonical name -> (code prefix, English name, other spellings)
_INFO: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "保居民就业": ("JY", "Jobs", ("居民就业", "就业", "稳就业", "jobs", "employment")),
    "保基本民生": ("MS", "Basic livelihoods", ("基本民生", "民生", "livelihood", "livelihoods")),
    "保市场主体": ("SC", "Market entities", ("市场主体", "market", "market entities")),
    "保粮食能源安全": (
        "LN", "Food and energy security", ("粮食能源安全", "保粮食安全", "保能源安全", "粮食", "能源", "food", "energy"),
    ),
    "保产业链供应链稳定": (
        "CL", "Industrial and supply chains",
        ("产业链供应链稳定", "产业链供应链", "产业链", "供应链", "supply chain", "chains"),
    ),
    "保基层运转": ("JC", "Grassroots operations", ("基层运转", "基层", "grassroots")),
}
_LOOKUP = {normalize_name(s).lower(): name for name, (_, en, alts) in _INFO.items() for s in (name, en, *alts)}
# What a sheet's 类别 column may also hold: the code prefixes (JY …) and the words for "other".
_SHEET_LOOKUP = {**_LOOKUP, **{prefix.lower(): name for name, (prefix, _, _) in _INFO.items()},
                 **{word: OTHER for word in ("其他", "其它", "其他类", "other", "others", "qt")}}


def canonical(text: str) -> str:
    """The canonical category for ``text``: one of the six when it names one, else ``text`` itself."""
    key = normalize_name(text).lower()
    return _LOOKUP.get(key, normalize_name(text))


def lookup(text: str) -> str | None:
    """The category ``text`` names — one of the six by name, short form, English name or code prefix
    (JY, MS …), or 其他 — else None (a sheet's typo is not a new category)."""
    return _SHEET_LOOKUP.get(normalize_name(text).lower())


def choices() -> str:
    """The categories with their code prefixes, as a message lists them: 保居民就业（JY）、…、其他（QT）."""
    return "、".join([*(f"{name}（{prefix}）" for name, (prefix, _, _) in _INFO.items()), f"{OTHER}（QT）"])


def code_prefix(category: str) -> str:
    """The letters task codes of this category start with (JY-001 …); QT for others."""
    return _INFO.get(category, ("QT",))[0]


def english(category: str) -> str:
    """The category's English name, or the name itself for categories outside the six."""
    return _INFO.get(category, (None, category))[1]
