"""The mention index of an article body, and where a quote stands in a raw file.

Every number of the body in the reader's terms (:func:`analysis.core.quantities.find_quantities`),
with offsets into the raw file as stored; :func:`locate_quote` is the one quote locator of rows
and dismissals (a quote stands exactly once in the body, or says which ``occurrence``).
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.core.hints import nearest_passage
from analysis.core.quantities import find_quantities
from analysis.sources.manifest import body_offset, read_article


class QuoteError(ValueError):
    """A quote is not found, stands outside the body, or stands more than once."""


def locate_quote(quote: str, raw: str, body: tuple[int, int], where: str, path: str, occurrence: int | None = None,
                 error: type[Exception] = QuoteError) -> int:
    """Return where ``quote`` stands in ``raw``: exactly once inside the body, or its ``occurrence`` (1-based) there.

    Raises ``error`` naming ``where``, with a hint: the passage a quote not found probably meant
    (:func:`analysis.core.hints.nearest_passage`), ``occurrence=`` for a passage standing several times.
    """
    b0, b1 = body
    hits = [m.start() for m in re.finditer(re.escape(quote), raw)]
    inside = [h for h in hits if b0 <= h and h + len(quote) <= b1]
    if not hits:
        hint = nearest_passage(quote, raw, b0, b1)
        raise error(f"{where}: quote not found verbatim in {path}: {quote!r}" + (f"; {hint}" if hint else ""))
    if not inside:
        raise error(f"{where}: quote stands only outside the article body (website furniture): {quote!r}")
    if occurrence is not None:
        if not (isinstance(occurrence, int) and 1 <= occurrence <= len(inside)):
            raise error(f"{where}: occurrence={occurrence!r}, but the quote stands {len(inside)} time(s) in the body: {quote!r}")
        return inside[occurrence - 1]
    if len(inside) > 1:
        raise error(f"{where}: quote stands {len(inside)} times in the body (at {', '.join(map(str, inside))}); "
                    f"quote more of the sentence, or say which with occurrence=1..{len(inside)}: {quote!r}")
    return inside[0]


def mention_index(source_id: str, root: Path | None = None):
    """Return every numeric mention of an article body, with ``raw_start`` offsets into the raw file."""
    df = find_quantities(read_article(source_id, root=root))
    b0, _ = body_offset(source_id, root)
    df.insert(0, "raw_start", df["start"] + b0)
    return df


def figure_spans(obs) -> list[tuple[int, int]]:
    """Return (start, end) raw-file offsets of each observation's figure (inside its quote)."""
    return [(s + q.index(f), s + q.index(f) + len(f)) for s, q, f in zip(obs["quote_start"], obs["quote"], obs["figure"], strict=True)]


