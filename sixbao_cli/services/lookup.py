"""Finding what a user meant: close matches for unknown codes and names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def suggest(wanted: str, candidates: Iterable[str], *, limit: int = 3, cutoff: float = 0.5) -> list[str]:
    """Up to ``limit`` candidates that contain ``wanted`` (or are contained in it) or look like it.

    Containment ranks first, then similarity; ties are broken alphabetically so
    the same mistake always gets the same suggestions.
    """
    folded = wanted.casefold()
    scored = []
    matcher = difflib.SequenceMatcher(b=folded)
    for candidate in set(candidates):
        other = candidate.casefold()
        contained = bool(folded) and (folded in other or other in folded)
        matcher.set_seq1(other)
        ratio = matcher.ratio()
        if contained or ratio >= cutoff:
            scored.append((not contained, -ratio, candidate))
    return [candidate for *_, candidate in sorted(scored)[:limit]]
