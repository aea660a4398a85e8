"""Read the figures the articles state: ``1.75万人次``, ``124.7亿元``, ``no less than 5,000``, ``76.7%``.

Editorial decisions
- Values are in base units: yuan (not 亿元), persons (not 万人); percentages stay in percent
  (``76.7%`` -> 76.7, unit ``percent``) and percentage points in points.
- Arithmetic is decimal (``Decimal(digits) * multiplier``), so ``124.7亿`` is exactly 12470000000.
- Traditional script is converted with OpenCC (``t2s``) and full-width characters with Unicode
  NFKC, character by character where needed, so that every offset in the converted text is the
  offset in the original.
- Chinese unit words must follow the number directly (``33所``), except that 学位, 岗位 or 床位 just
  before the number names the unit when only a classifier follows (``新增学位8600个`` -> seats);
  an English unit noun may follow
  after up to six other words (``33 new primary and secondary schools`` -> schools), the last
  unit noun before punctuation or a function word (of, to, in, the, ...) wins.
- A number with no unit word has unit ``count``; a number followed by a word that is not in
  :data:`UNITS` has unit ``unknown``, the word kept in ``unit_text`` and the flag
  ``unknown_unit``: nothing is guessed silently.
- Qualifiers: ``exact``, ``at_least`` (不少于, 至少, 以上, no less than, at least), ``more_than``
  (超过, 逾, 余, 多, more than, over, above), ``about`` (约, 近, 左右, about, nearly),
  ``at_most`` (不超过, 以内, 以下, up to, at most), ``range`` (``1-2``: ``value`` low, ``high`` high).
- Rates are recorded in ``per`` (``4,500 yuan per year`` -> per ``year``; ``每人1000元`` -> per
  ``person``), never dropped.
- :func:`find_quantities` also indexes dates (``7月5日``, ``July 5th``), calendar years, ordinals and
  identifiers (``B4``, ``5G``, ``3A``) as kinds of their own, so that every digit in an article is
  accounted for; numbers written wholly in Chinese characters are indexed only after 百分之
  (elsewhere 一是, 三个 are far more often words than figures).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

# unit -> (Chinese words (Simplified), English words, what it counts). The one place units are defined.
UNITS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "yuan": (("元",), ("yuan", "rmb"), "money, in yuan (renminbi)"),
    "persons": (("人", "名", "位", "职工"), ("people", "persons", "person", "students", "student", "teachers", "teacher",
                "women", "workers", "employees", "residents", "children", "elderly", "staff", "cadres",
                "deceased", "personnel", "graduates", "soldiers", "employment"),
                "people (人, 名, 位; 职工 workers; machine translations write 新增就业X人 as 'X employment')"),
    "person_times": (("人次",), ("person-times", "person-time", "person times"), "person-times (one person counted once per occasion)"),
    "posts": (("岗次", "个岗位", "岗位"), ("positions", "posts", "jobs", "job postings"), "jobs, posts or job postings"),
    "percent": (("%",), ("percent", "per cent"), "a share or growth rate, in percent (76.7 means 76.7%)"),
    "percentage_points": (("个百分点", "百分点"), ("percentage points", "percentage point"), "a difference of two percentages"),
    "institutions": (("所", "家"), ("schools", "school", "kindergartens", "kindergarten", "hospitals", "clinics",
                     "institutions", "enterprises", "companies", "museums", "nursing homes"),
                     "schools, kindergartens, clinics, hospitals, enterprises (所, 家)"),
    "beds": (("张",), ("beds", "bed"), "beds (nursing, hospital)"),
    "seats": (("个学位", "学位"), ("degrees", "places", "seats"), "school places (学位; machine translations say 'degrees')"),
    "households": (("户",), ("households", "household", "families", "houses"), "households"),
    "km": (("公里", "千米"), ("kilometers", "kilometres", "kilometer", "km"), "kilometres"),
    "m2": (("平方米",), ("square meters", "square metres"), "square metres"),
    "km2": (("平方公里",), ("square kilometers", "square kilometres"), "square kilometres"),
    "mu": (("亩",), (), "mu (亩, 1/15 hectare), the Chinese unit of land area; machine translations render it 'acres' (no English word maps here)"),
    "villages": (("个村", "村"), ("villages", "village"), "villages"),
    "items": (("项", "类", "件", "个"), ("items", "tasks", "projects", "issues", "categories", "category", "communities"),
              "items, tasks, projects, categories (项, 类, 件, 个)"),
    "events": (("场",), ("games", "shows", "sessions", "fairs", "meetings", "events", "activities"), "events, shows, fairs (场)"),
    "times": (("次",), ("times",), "occasions (次)"),
    "vehicles": (("辆",), ("buses", "vehicles", "cars", "bus"), "vehicles"),
    "lines": (("条",), ("lines", "routes", "streets"), "lines, routes, streets (条)"),
    "sites": (("处", "座", "片"), ("sites", "stations", "parks", "park", "centers", "centres"), "sites, facilities, fields (处, 座, 片)"),
    "sets": (("套", "台"), ("sets", "units"), "sets of equipment or dwelling units (套, 台)"),
    "tons": (("吨",), ("tons", "tonnes"), "tonnes"),
    "years": (("年",), ("years", "year"), "years (a duration)"),
    "months": (("个月",), ("months",), "months"),
    "age": (("周岁", "岁"), ("years old",), "age, in years"),
    "days": (("天",), ("days",), "days"),
    "count": ((), (), "a bare number with no unit word"),
    "unknown": ((), (), "a unit word not in this table (kept verbatim in unit_text, flagged)"),
}

QUALIFIERS = ("exact", "at_least", "more_than", "about", "at_most", "range")
_PRE = {
    "不少于": "at_least", "不低于": "at_least", "至少": "at_least", "超过": "more_than", "逾": "more_than",
    "约": "about", "近": "about", "不超过": "at_most", "不高于": "at_most",
    "no less than": "at_least", "not less than": "at_least", "at least": "at_least",
    "more than": "more_than", "over": "more_than", "above": "more_than", "exceeding": "more_than",
    "about": "about", "around": "about", "approximately": "about", "nearly": "about", "almost": "about",
    "up to": "at_most", "no more than": "at_most", "not more than": "at_most", "at most": "at_most",
}
_POST = {"以上": "at_least", "以内": "at_most", "以下": "at_most", "左右": "about"}
_APPROX = {"余": "more_than", "多": "more_than"}
_MULT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000, "万亿": 10**12,
         "thousand": 1000, "million": 10**6, "billion": 10**9}
_PER = {"年": "year", "人": "person", "月": "month", "天": "day", "日": "day", "户": "household", "所": "institution",
        "year": "year", "person": "person", "month": "month", "day": "day", "household": "household",
        "capita": "person", "student": "student"}

_ZH_UNIT = {w: u for u, (zh, _en, _d) in UNITS.items() for w in zh}
# A noun before the number that names the unit when only a generic classifier follows (新增学位8600个).
_NOUN_UNIT = {"学位": "seats", "岗位": "posts", "床位": "beds"}
_CLASSIFIERS = {"个", "张", "人", "名"}
_EN_UNIT = {w: u for u, (_zh, en, _d) in UNITS.items() for w in en}
_STOP = {"of", "to", "in", "for", "from", "with", "by", "at", "on", "is", "are", "was", "were", "have", "has",
         "had", "been", "the", "a", "an", "which", "that", "this", "will", "be", "per", "each"}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿点"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_PATTERN = re.compile(
    rf"""
    (?P<date>\d{{4}}年\d{{1,2}}月(?:\d{{1,2}}日)?|\d{{1,2}}月\d{{1,2}}日|\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}}
        |\d{{4}}年\d{{1,2}}月|(?<![\d.])\d{{1,2}}月(?:底|初|份|中旬|上旬|下旬)?|(?<![A-Za-z])(?:{_MONTHS})\s\d{{1,2}}(?:st|nd|rd|th)?(?:,\s\d{{4}})?)
    |(?P<ord>\d+(?:st|nd|rd|th)\b)
    |(?P<ident>(?<=[A-Za-z])\d+(?:\.\d+)?[A-Za-z]?|\d+(?:[A-Z](?![a-z])|G\b|K\b))
    |(?P<noun>学位|岗位|床位)?(?:(?<![A-Za-z])(?P<pre>(?i:{_alt(_PRE)}))\s*)?
     (?:(?P<pct>百分之)(?P<cn>[{_CN_DIGITS}]+|{_NUM})
      |(?P<num>{_NUM})(?:\s*(?:-|~|～|至|到|to)\s*(?P<num2>{_NUM}))?
       (?P<approx>余|多)?(?P<mult>万亿|亿|万|千(?!米)|百(?!分)|(?<=\d)十|\s*(?:thousand|million|billion)\b)?(?P<approx2>余|多)?
       (?P<zhunit>{_alt(_ZH_UNIT)})?
     )
     (?P<post>{_alt(_POST)})?
    """,
    re.VERBOSE,
)
# Fast path for find_quantities: jump to the next digit (or 百分之), look back for a qualifier or a
# month name that may open the mention, and anchor the full pattern there (3x faster than search).
_CANDIDATE = re.compile(r"\d|百分之")
_LOOKBACK = re.compile(rf"(?:(?:学位|岗位|床位)?(?<![A-Za-z])(?i:{_alt(_PRE)})\s*|(?:学位|岗位|床位)|(?<![A-Za-z])(?:{_MONTHS})\s)$")


def _next_match(norm: str, pos: int) -> re.Match | None:
    """Return the next mention at or after ``pos``, as _PATTERN.search would, but faster."""
    while True:
        c = _CANDIDATE.search(norm, pos)
        if not c:
            return None
        p = c.start()
        back = _LOOKBACK.search(norm, max(pos, p - 20), p)
        m = _PATTERN.match(norm, back.start()) if back else None
        if m is None or m.end() <= p:
            m = _PATTERN.match(norm, p)
        if m is not None:
            return m
        pos = p + 1


_EN_TAIL = re.compile(r"\s*(%|-?[A-Za-z][A-Za-z\-]*)(?!['’])")
_EN_PER = re.compile(r"\s*(?:per|a|each|every)\s+(year|person|month|day|household|capita|student)\b|\s*/\s*(年|人|月|天|户)")
_ZH_PER_BEFORE = re.compile(r"每(年|人|月|天|日|户|所)$")
_ZH_PER_AFTER = re.compile(r"/(年|人|月|天|户)|每(年|月|天)")


@dataclass(frozen=True)
class Quantity:
    """A figure as stated: value in base units, its unit, and what kind of bound it is."""

    value: float
    unit: str
    qualifier: str = "exact"
    high: float | None = None  # upper bound of a range
    per: str | None = None  # rate denominator: 4,500 yuan per year -> "year"
    unit_text: str = ""  # the unit word(s) as written
    text: str = ""  # the matched text
    flags: tuple[str, ...] = field(default=())


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


_FOLD = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: " ", 0xFE54: ";", 0xFE55: ":", 0xFF64: "、"})
_FOLD = {k: v for k, v in _FOLD.items() if len(v) == 1}


def to_simplified(text: str) -> str:
    """Return ``text`` in Simplified script with half-width digits and punctuation, same length.

    >>> to_simplified("15.7萬崗次，１２％")
    '15.7万岗次,12%'
    """
    folded = text.translate(_FOLD)
    if folded.isascii():
        return folded
    out = _opencc().convert(folded)
    if len(out) != len(folded):  # a phrase changed length: convert character by character
        conv = _opencc().convert
        out = "".join(c2 if len(c2 := conv(c)) == 1 else c for c in folded)
    return out


def _decimal(digits: str) -> Decimal:
    return Decimal(digits.replace(",", ""))


def _cn_number(text: str) -> Decimal:
    import cn2an

    try:
        return Decimal(str(cn2an.cn2an(text, "strict")))
    except (ValueError, KeyError) as e:
        raise ValueError(f"not a Chinese numeral: {text!r}") from e


def _english_unit(norm: str, end: int) -> tuple[str, str, int]:
    """Find an English unit noun after position ``end``: (unit, unit_text, new_end)."""
    pos, words, best = end, [], None
    for _ in range(8):
        m = _EN_TAIL.match(norm, pos)
        if not m:
            break
        word = m.group(1)
        low = word.lower().strip("-")
        if word == "%":
            if not words:
                return "percent", "%", m.end()
            break
        if low in _STOP or (best and low in ("and", "or")):
            break
        words.append((low, m.end(), m.start(1)))
        two = " ".join(w for w, _, _ in words[-2:])
        if len(words) >= 2 and two in _EN_UNIT:
            best = (_EN_UNIT[two], len(words) - 2, m.end())
        elif low in _EN_UNIT:
            best = (_EN_UNIT[low], len(words) - 1, m.end())
        pos = m.end()
        if len(words) == 7 and best is None:
            break
    if best:
        unit, first, stop = best
        return unit, norm[words[first][2]:stop], stop
    if words:
        return "unknown", norm[words[0][2]:words[0][1]], end
    return "count", "", end


def _build(m: re.Match, norm: str, english: bool) -> tuple[Quantity, int]:
    """Turn one regex match into a Quantity; returns it and the end offset (after any unit words)."""
    g = m.groupdict()
    end = m.end()
    flags: list[str] = []
    qualifier = _PRE.get((g["pre"] or "").lower(), "exact")
    if g["pct"]:
        cn = g["cn"]
        value = _decimal(cn) if cn[0].isdigit() else _cn_number(cn)
        return Quantity(float(value), "percent", qualifier, unit_text="百分之", text=m.group(0)), end
    mult_word = (g["mult"] or "").strip()
    mult = Decimal(_MULT[mult_word]) if mult_word else Decimal(1)
    value = _decimal(g["num"]) * mult
    high = _decimal(g["num2"]) * mult if g["num2"] else None
    if high is not None and high <= value:
        raise ValueError(f"not a range (high <= low): {m.group(0)!r}")
    for a in (g["approx"], g["approx2"]):
        if a:
            qualifier = _APPROX[a]
    if g["post"]:
        qualifier = _POST[g["post"]]
    if high is not None:
        qualifier = "range"
    unit, unit_text = "count", ""
    if g["noun"] and (not g["zhunit"] or g["zhunit"] in _CLASSIFIERS):  # 新增学位8600个: the noun names the unit
        unit, unit_text = _NOUN_UNIT[g["noun"]], g["noun"] + (g["zhunit"] or "")
    elif g["zhunit"]:
        unit, unit_text = _ZH_UNIT[g["zhunit"]], g["zhunit"]
    elif english or (end < len(norm) and norm[end:end + 1] in " %" or (end < len(norm) and norm[end].isascii() and norm[end].isalpha())):
        unit, unit_text, end = _english_unit(norm, end)
    elif end < len(norm) and "\u4e00" <= norm[end] <= "\u9fff" and not g["post"]:
        unit, unit_text = "unknown", norm[end]
    if unit == "unknown":
        flags.append("unknown_unit")
    per = None
    before = _ZH_PER_BEFORE.search(norm, max(0, m.start() - 3), m.start())
    after = _EN_PER.match(norm, end) or _ZH_PER_AFTER.match(norm, end)
    if after:
        per = _PER[next(x for x in after.groups() if x)]
        end = after.end()
    elif before:
        per = _PER[before.group(1)]
    return Quantity(float(value), unit, qualifier, float(high) if high is not None else None, per,
                    unit_text, norm[m.start():end], tuple(flags)), end


def parse_quantity(text: str) -> Quantity:
    """Parse one figure such as ``1.75万人次`` or ``35.02 million yuan`` into a :class:`Quantity`.

    >>> parse_quantity("1.75万人次")
    Quantity(value=17500.0, unit='person_times', qualifier='exact', high=None, per=None, unit_text='人次', text='1.75万人次', flags=())
    >>> q = parse_quantity("no less than 5,000"); (q.value, q.unit, q.qualifier)
    (5000.0, 'count', 'at_least')
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_quantity expects a string, got {type(text).__name__}")
    norm = to_simplified(text.strip())
    lead = re.match(r"每(?:年|人|月|天|日|户|所)", norm)
    m = _PATTERN.match(norm, lead.end() if lead else 0)
    if not m or m.group("date") or m.group("ident") or m.group("ord") or not (m.group("num") or m.group("pct")):
        raise ValueError(f"not a quantity: {text!r}")
    english = bool(re.search(r"[A-Za-z]", norm)) and not re.search(r"[\u4e00-\u9fff]", norm[m.end():m.end() + 1])
    q, end = _build(m, norm, english)
    rest = norm[end:].strip(" .,;，。")
    if rest:
        q = Quantity(q.value, q.unit, q.qualifier, q.high, q.per, q.unit_text, q.text, q.flags + ("trailing_text",))
    return q


_SENTENCE_END = re.compile(r"[。！？!?；;\n]|\.(?=\s|$|[A-Z])")  # a full stop, not a decimal point


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Return (start, end) of the sentence holding ``text[start:end]``, by the rule find_quantities uses.

    >>> t = "达成协议3.31萬人﹔城鎮新增就業7萬人,同比增加6.5%。其他"
    >>> s, e = sentence_around(t, t.index("7萬人"), t.index("7萬人") + 3); t[s:e]
    '城鎮新增就業7萬人,同比增加6.5%。'
    """
    norm = to_simplified(text)
    s0 = max((m.end() for m in _SENTENCE_END.finditer(norm, 0, start)), default=0)
    m = _SENTENCE_END.search(norm, end)
    return s0, m.end() if m else len(text)


def find_quantities(text: str):
    """Return a DataFrame of every numeric mention in ``text``, with offsets into the original text.

    Columns: start, end (``text[start:end] == match``), match, kind (quantity, date, year,
    identifier), value, high, unit, qualifier, per, unit_text, flags, sentence, sentence_start.

    >>> df = find_quantities("全市民生支出实现124.7亿元,同比增长22.9%。")
    >>> df[["match", "value", "unit"]].values.tolist()
    [['124.7亿元', 12470000000.0, 'yuan'], ['22.9%', 22.9, 'percent']]
    """
    import bisect

    import pandas as pd

    norm = to_simplified(text)
    bounds = [m.end() for m in _SENTENCE_END.finditer(norm)]
    rows = []
    pos = 0
    while True:
        m = _next_match(norm, pos)
        if not m:
            break
        start = m.start()
        kind = "quantity"
        q = None
        if m.group("date"):
            kind, end = "date", m.end()
        elif m.group("ident") or m.group("ord"):
            kind, end = ("identifier" if m.group("ident") else "ordinal"), m.end()
        else:
            try:
                q, end = _build(m, norm, False)
            except ValueError:  # e.g. "2022-7" read as a range: index the first number alone
                m = _PATTERN.match(norm, start, start + len(m.group("num") or "x"))
                q, end = _build(m, norm, False)
            if (q.unit in ("count", "years", "unknown") and q.qualifier == "exact"
                    and re.fullmatch(r"(19|20)\d\d", m.group("num") or "")):
                kind = "year"
        i = bisect.bisect_right(bounds, start)
        s0 = bounds[i - 1] if i else 0
        s1 = bounds[i] if i < len(bounds) else len(text)
        while s1 < end and i < len(bounds):
            i += 1
            s1 = bounds[i] if i < len(bounds) else len(text)
        raw_sentence = text[s0:s1]
        lead = len(raw_sentence) - len(raw_sentence.lstrip())
        rows.append((start, end, text[start:end], kind,
                     q.value if q else float("nan"), q.high if q else None, q.unit if q else "",
                     q.qualifier if q else "", q.per if q else None, q.unit_text if q else "",
                     ";".join(q.flags) if q else "", raw_sentence.strip(), s0 + lead))
        pos = max(end, start + 1)
    cols = ["start", "end", "match", "kind", "value", "high", "unit", "qualifier", "per", "unit_text", "flags",
            "sentence", "sentence_start"]
    df = pd.DataFrame(rows, columns=cols)
    return df.astype({"start": "int64", "end": "int64", "value": "float64", "high": "float64",
                      "sentence_start": "int64"})
