"""Text rules that hold for every cell the suite writes."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@")


def formula_like(text) -> bool:
    """True if a spreadsheet would read ``text`` as a formula (it begins with = + - or @)."""
    return isinstance(text, str) and text.startswith(FORMULA_START)
