"""Numbers written in Chinese characters or English words, read exactly.

- :func:`cjk_value`: ``一千二百`` -> 1200, ``两千四百五十万`` -> 24500000, ``九十五点五`` -> 95.5,
  ``壹佰伍拾万`` -> 1500000, ``廿五`` -> 25, ``二〇二二`` -> 2022 (digits written one by one).
- :func:`english_value`: ``twenty-five`` -> 25, ``three hundred`` -> 300, ``a dozen`` -> 12,
  ``two million`` -> 2000000.

Both return :class:`decimal.Decimal` and raise ``ValueError`` naming the text when it is not a
number they can read; neither guesses. Text is in Simplified script (see
:func:`analysis.core.quantities.to_simplified`), so 萬 億 兩 貳 參 陸 arrive as 万 亿 两 贰 参 陆.

Editorial decisions
- The financial numerals 参 and 陆 are also everyday words (参加, 陆海): they count as numerals only
  in a run that holds another financial numeral (壹 贰 叁 肆 伍 柒 捌 玖 拾 佰 仟).
- A run of two single digits with no place word between, the second larger (``三四``, ``三五``), is
  an approximate range (三五个 = three to five); the caller reads it as a range.
"""

from __future__ import annotations

import re
from decimal import Decimal

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
          "壹": 1, "贰": 2, "叁": 3, "参": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
PLACES = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}
TENS = {"廿": 20, "卅": 30}
FINANCIAL = set("壹贰叁肆伍柒捌玖拾佰仟")
# every character that can stand in a numeral run (点 only between digits)
CJK_CHARS = "".join(DIGITS) + "".join(PLACES) + "".join(BIG) + "".join(TENS) + "点"


def cjk_value(run: str) -> Decimal:
    """Return the value of a numeral written in Chinese characters.

    >>> [str(cjk_value(s)) for s in ("一千二百", "两千四百五十万", "十余"[:1], "零点五", "九十五点五", "壹佰伍拾万", "二〇二二")]
    ['1200', '24500000', '10', '0.5', '95.5', '1500000', '2022']
    """
    if not run or any(c not in CJK_CHARS for c in run):
        raise ValueError(f"not a Chinese numeral: {run!r}")
    if "点" in run:
        whole, _, frac = run.partition("点")
        tail = ""
        while frac and frac[-1] in BIG:  # 一点二亿: the multiplier after the decimals
            tail = frac[-1] + tail
            frac = frac[:-1]
        if not frac or any(c not in DIGITS for c in frac) or not whole:
            raise ValueError(f"not a Chinese numeral: {run!r}")
        value = cjk_value(whole) + Decimal("0." + "".join(str(DIGITS[c]) for c in frac))
        for c in tail:
            value *= BIG[c]
        return value
    if all(c in DIGITS for c in run):
        if len(run) == 1:
            return Decimal(DIGITS[run])
        if len(run) >= 3 or run[0] in "零〇" or "〇" in run:  # 二〇二二: digits one by one (years, numbers)
            return Decimal("".join(str(DIGITS[c]) for c in run))
        raise ValueError(f"not a Chinese numeral (two digits side by side): {run!r}")
    total = Decimal(0)  # completed 亿 parts
    wan = Decimal(0)  # completed 万 part
    sec = Decimal(0)  # below 万
    digit: int | None = None
    last_place = 10**9
    for c in run:
        if c in DIGITS:
            if DIGITS[c] == 0:
                digit = None
                continue
            if digit is not None:
                raise ValueError(f"not a Chinese numeral (two digits side by side): {run!r}")
            digit = DIGITS[c]
        elif c in TENS:
            if digit is not None:
                raise ValueError(f"not a Chinese numeral: {run!r}")
            sec += TENS[c]
        elif c in PLACES:
            p = PLACES[c]
            if p >= last_place:
                raise ValueError(f"not a Chinese numeral (place words out of order): {run!r}")
            last_place = p
            sec += (digit if digit is not None else 1) * p
            digit = None
        else:  # 万 亿
            part = sec + (digit or 0)
            if part == 0 and wan == 0 and total == 0:  # 万 or 亿 alone: one of it (逾万人, 亿元以上)
                part = Decimal(1)
            if c == "万":
                wan = (wan + part) * 10_000
            else:
                total = (total + wan + part) * 100_000_000
                wan = Decimal(0)
            sec, digit, last_place = Decimal(0), None, 10**9
    return total + wan + sec + (digit or 0)


def approximate_range(run: str) -> tuple[Decimal, Decimal] | None:
    """Return (low, high) of a run such as ``三四`` or ``三五十`` (three or four, thirty to fifty), else None.

    >>> approximate_range("三五"), approximate_range("三五十"), approximate_range("五三")
    ((Decimal('3'), Decimal('5')), (Decimal('30'), Decimal('50')), None)
    """
    m = re.fullmatch(r"([一二两三四五六七八九])([二三四五六七八九])([十百千万亿]*)", run)
    if not m or DIGITS[m.group(2)] <= DIGITS[m.group(1)]:
        return None
    mult = Decimal(1)
    for c in m.group(3):
        mult *= PLACES.get(c) or BIG[c]
    return DIGITS[m.group(1)] * mult, DIGITS[m.group(2)] * mult


def trim_run(run: str) -> str:
    """Cut a candidate run where it stops being a numeral: a trailing 点, 参/陆 outside financial numerals.

    >>> trim_run("陆海"), trim_run("壹佰陆拾"), trim_run("三点"), trim_run("十参")
    ('', '壹佰陆拾', '三', '十')
    """
    if ("参" in run or "陆" in run) and not FINANCIAL.intersection(run):
        cut = min(i for i, c in enumerate(run) if c in "参陆")
        run = run[:cut]
    return run.rstrip("点")


SMALL = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
         "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "a": 1, "an": 1}
SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                 "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                 "eighteenth", "nineteenth", "twentieth", "thirtieth", "fortieth", "fiftieth", "hundredth")
EN_WORDS = "|".join(sorted((w for w in SMALL if w not in ("a", "an")), key=len, reverse=True))
# an English number phrase: "twenty-five", "three hundred and twelve", "a dozen", "two million", "a hundred"
EN_NUMBER = (rf"(?:(?:a|an|{EN_WORDS})(?:-(?:{EN_WORDS}))?(?:\s+(?:hundred|thousand|million|billion|dozen)\b(?:\s+and)?"
             rf"(?:\s+(?:{EN_WORDS})(?:-(?:{EN_WORDS}))?)?)*)")
_EN_FULL = re.compile(rf"(?i:{EN_NUMBER})")


def english_value(text: str) -> Decimal:
    """Return the value of a number written in English words.

    >>> [str(english_value(s)) for s in ("twenty-five", "three hundred and twelve", "a dozen", "two million", "Four")]
    ['25', '312', '12', '2000000', '4']
    """
    words = re.split(r"[\s-]+", text.strip().lower())
    if not words or words == [""] or words in (["a"], ["an"]):
        raise ValueError(f"not an English number: {text!r}")
    total, current, seen = Decimal(0), Decimal(0), False
    for i, w in enumerate(words):
        if w == "and":
            continue
        if w in SMALL:
            if w in ("a", "an") and i:
                raise ValueError(f"not an English number: {text!r}")
            v = SMALL[w]
            if w == "dozen" and seen:
                current = (current or 1) * 12
            else:
                current += v
            seen = True
        elif w in SCALES:
            if not seen:
                raise ValueError(f"not an English number: {text!r}")
            if w == "hundred":
                current = (current or 1) * 100
            else:
                total += (current or 1) * SCALES[w]
                current = Decimal(0)
        else:
            raise ValueError(f"not an English number: {text!r}")
    return total + current
