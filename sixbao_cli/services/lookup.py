"""Finding what a user meant: close matches for unknown codes and names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def suggest(wanted: str, candidates: Iterable[str], *, limit: int = 3) -> list[str]:
    """Up to ``limit`` candidates that contain ``wanted`` or look like it, best first."""
    pool = list(dict.fromkeys(candidates))
    folded = wanted.casefold()
    containing = [c for c in pool if folded and (folded in c.casefold() or c.casefold() in folded)]
    containing.sort(key=lambda c: abs(len(c) - len(wanted)))
    close = difflib.get_close_matches(wanted, pool, n=limit, cutoff=0.5)
    return list(dict.fromkeys(containing + close))[:limit]
