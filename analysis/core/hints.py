"""Hints for a figure list that does not validate: the passage a mistyped quote probably meant.

Editorial decisions
- A quote is looked for again after folding what a researcher typing or pasting a quote commonly
  changes: white space (line breaks, spaces, ideographic spaces), full- and half-width forms
  (１２％ / 12%, ，/ ,), Traditional and Simplified script (a Simplified quote typed for a
  Traditional article), and the pinyin that some sites print after a character (設(shè)). The hint
  is the passage *as it stands in the raw file*, so it can be pasted back as the quote.
- Where folding finds nothing, the nearest passage is the window of the body around the longest
  run the quote shares with it (difflib), with its similarity; below 50% no passage is offered.
- A hint never changes a figure: it is advice in the error message, nothing more.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher, get_close_matches

# pinyin with tone marks (or tone numbers) in brackets after a character: 設(shè), 设（she4）
_PINYIN = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń]{1,7}[1-5]?[)）]")
_SPACE = re.compile(r"\s+")


def fold(text: str) -> tuple[str, list[int]]:
    """Return ``text`` folded for matching and, for each folded character, its offset in ``text``.

    >>> fold("設(shè)置 １２％")
    ('设置12%', [0, 6, 8, 9, 10])
    """
    from analysis.core.quantities import to_simplified

    simple = to_simplified(text)  # same length: width and script folded
    drop = [False] * len(text)
    for pattern in (_PINYIN, _SPACE):
        for m in pattern.finditer(simple):
            for i in range(m.start(), m.end()):
                drop[i] = True
    keep = [i for i in range(len(text)) if not drop[i]]
    return "".join(simple[i] for i in keep), keep


def _differences(quote: str, passage: str) -> list[str]:
    """Say how a quote differs from the passage it was meant to be."""
    from analysis.core.quantities import _FOLD, to_simplified

    why = []
    if _SPACE.sub("", quote) != quote or _SPACE.sub("", passage) != passage:
        if _SPACE.sub("", quote) == _SPACE.sub("", passage) or _SPACE.findall(quote) != _SPACE.findall(passage):
            why.append("white space")
    if _PINYIN.search(passage) and not _PINYIN.search(quote):
        why.append("pinyin in brackets that the article prints after a character, as in 設(shè)")
    q, p = _PINYIN.sub("", _SPACE.sub("", quote)), _PINYIN.sub("", _SPACE.sub("", passage))
    folded_q, folded_p = q.translate(_FOLD), p.translate(_FOLD)
    if q != p and folded_q == folded_p:
        why.append("full-width and half-width characters")
    elif folded_q != folded_p and to_simplified(q) == to_simplified(p):
        why.append("Simplified and Traditional script")
    return why or ["characters that look alike"]


def nearest_passage(quote: str, text: str, start: int = 0, end: int | None = None) -> str:
    """Return a hint naming the passage of ``text[start:end]`` that ``quote`` probably meant, or ''.

    >>> nearest_passage("新增城鎮就業2.01万人", "今年新增城镇就业2.01万人。")
    "did you mean '新增城镇就业2.01万人'? (the quote differs in Simplified and Traditional script)"
    """
    end = len(text) if end is None else end
    body = text[start:end]
    fb, where = fold(body)
    fq, _ = fold(quote)
    if fq and fq in fb:
        i = fb.index(fq)
        a, b = where[i], where[i + len(fq) - 1] + 1
        passage = body[a:b]
        count = fb.count(fq)
        more = f"; it stands {count} times, say which with occurrence=" if count > 1 else ""
        return f"did you mean {passage!r}? (the quote differs in {'; '.join(_differences(quote, passage))}{more})"
    if not fq or not fb:
        return ""
    m = SequenceMatcher(None, fb, fq, autojunk=False).find_longest_match(0, len(fb), 0, len(fq))
    if m.size < 2:
        return ""
    lo = max(0, m.a - m.b)
    hi = min(len(fb), lo + len(fq))
    ratio = SequenceMatcher(None, fb[lo:hi], fq, autojunk=False).ratio()
    if ratio < 0.5:
        return ""
    passage = body[where[lo]:where[hi - 1] + 1]
    return f"the nearest passage in the body is {passage!r} ({ratio:.0%} alike)"


def closest(name: str, names, n: int = 3) -> str:
    """Return 'closest: a, b, c' for a misspelt name among ``names``, or ''.

    >>> closest("new_urban_job", ["new_urban_jobs", "schools_started"])
    'closest: new_urban_jobs'
    """
    hits = get_close_matches(name, list(names), n=n, cutoff=0.5)
    return f"closest: {', '.join(hits)}" if hits else ""
