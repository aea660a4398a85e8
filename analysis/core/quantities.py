"""Read the figures the articles state, in digits, characters or words: ``1.75万人次``, ``两千四百五十万元``,
``十余万人``, ``不到5%``, ``两成``, ``1万-5万元``, ``no less than 5,000``, ``$1.6 billion``, ``four working groups``.

:func:`parse_quantity` reads one figure; :func:`find_quantities` indexes every number of a text, each
with its ``kind``: ``quantity`` (an amount), or what it is when it counts nothing -- ``date`` (a day,
a month, a time of day, a holiday), ``year``, ``period`` (``1-8月``, ``前三季度``, ``first half of
2022``, with its period code), ``ordinal`` (``第三``, ``12th``, ``third``, the enumerators ``一是``),
``identifier`` (hotlines, phone numbers, e-mail, URLs, document numbers, postcodes, ``5G``, ``3A``,
hospital grades), ``name`` (a number inside a name or slogan: ``十四五``, ``一站式``, ``15分钟生活圈``,
a quoted ``“一村一年一场戏”``) or ``vague`` (an amount in words with no number: ``数万``, ``thousands of``).
``docs/quantities.md`` lists every form read, with an example, and what is not read yet.

Editorial decisions
- Values are in base units: yuan (not 亿元), persons (not 万人); percentages stay in percent
  (``76.7%`` -> 76.7); tenths and per-mille become percent (``两成`` -> 20, ``八折`` -> 80,
  ``千分之五`` and ``5‰`` -> 0.5, ``万分之三`` -> 0.03); ``倍`` and ``翻一番`` are a ``multiple``
  (``增长1.5倍`` -> 1.5, ``翻两番`` -> 4). Arithmetic is decimal, so ``124.7亿`` is exactly 12470000000.
- Money keeps its currency: ``yuan`` (元, RMB, CNY, ¥), ``usd`` ($, US$, USD, 美元), ``hkd``, ``eur``, ``mop``, ``twd``,
  ``gbp``, ``jpy``. An amount in another currency is never yuan.
- Traditional script is converted with OpenCC (``t2s``) and full-width characters with Unicode NFKC,
  character by character where needed, so that every offset in the converted text is the offset in
  the original.
- Chinese unit words must follow the number directly (``33所``), except that 学位, 岗位 or 床位 just
  before the number names the unit when only a classifier follows (``新增学位8600个`` -> seats), and
  so does one earlier in the same clause when 个 follows (``新增中小学学位共8600个`` -> seats); an
  English unit noun may follow after up to six other words (``33 new primary and secondary schools``).
- A number with no unit word has unit ``count``; a number followed by a word that is not in
  :data:`UNITS` has unit ``unknown``, the word kept in ``unit_text`` and the flag ``unknown_unit``.
- A number written wholly in characters is read only where it is plainly a figure: a unit or a
  classifier follows it (``三所``, ``十件``, ``六大``), or a bound, ``百分之`` or a currency stands before it
  (``逾万人``, ``上千人``). Words that hold numeral characters but are no numbers (一般, 统一, 进一步,
  一批, 十分, 百姓, 千方百计, ``one of``, ``one by one``) are not indexed. A number in characters the reader
  cannot read (``一二三``) is not guessed: it is not indexed as an amount.
- Qualifiers: ``exact``; ``at_least`` (不少于, 不低于, 至少, 以上, 上万 (上千, 上百), no less than, no fewer than, at least, or more);
  ``more_than`` (超过, 逾, 高于, 多于, 余, 多, more than, over, above); ``about`` (约, 近, 大约, 将近,
  左右, 上下, about, around, some, roughly, approximately, nearly, almost); ``at_most`` (不超过, 未超过,
  不高于, 控制在, 以内, 以下, up to, at most, no more than); ``less_than`` (不到, 不足, 低于, 少于, less
  than, fewer than, under, below); ``range`` (``1-2``, ``1万-5万元``, ``三至五所``, ``between 10 and 20``:
  ``value`` the low, ``high`` the high bound; a multiplier or unit written once serves both).
- ``from 4,500 to 5,000`` (a change) is two figures, not a range.
- Rates are recorded in ``per`` (``4,500 yuan per year`` -> per ``year``; ``每人1000元`` -> per ``person``).
"""

from __future__ import annotations

import bisect
import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from analysis.core.numerals import (
    CJK_CHARS,
    DIGITS,
    EN_NUMBER,
    EN_WORDS,
    ORDINAL_WORDS,
    SMALL,
    approximate_range,
    cjk_value,
    english_value,
    trim_run,
)

# unit -> (Chinese words (Simplified), English words, what it counts). The one place units are defined.
UNITS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "yuan": (("元",), ("yuan", "rmb", "cny"), "money, in yuan (renminbi; 元, RMB, CNY, ¥)"),
    "usd": (("美元",), ("us dollars", "usd"), "money, in US dollars ($, US$, USD, 美元)"),
    "hkd": (("港元", "港币"), ("hk dollars", "hkd"), "money, in Hong Kong dollars (HK$, 港元)"),
    "eur": (("欧元",), ("euros", "euro", "eur"), "money, in euros (€, EUR, 欧元)"),
    "gbp": (("英镑",), ("gbp",), "money, in pounds sterling (£, GBP, 英镑)"),
    "jpy": (("日元",), ("yen", "jpy"), "money, in Japanese yen (日元)"),
    "mop": (("澳门元", "澳门币", "澳门币元", "葡币"), ("patacas", "pataca", "mop"), "money, in Macau patacas (MOP, MOP$, 澳门元)"),
    "twd": (("新台币元", "台币元"), ("twd", "ntd"), "money, in New Taiwan dollars (NT$, TWD, 新台币)"),
    "persons": (("人", "名", "位", "职工"), ("people", "persons", "person", "students", "student", "teachers", "teacher",
                "women", "workers", "employees", "residents", "children", "elderly", "staff", "cadres",
                "deceased", "personnel", "graduates", "soldiers", "employment", "urban jobs", "citizens", "villagers", "helpers",
                "laborers", "labourers", "volunteers", "patients", "seniors", "farmers", "youths", "retirees", "individuals"),
                "people (人, 名, 位; 职工 workers; machine translations write 新增就业X人 as 'X employment'; 'N new urban jobs' "
                "is 城镇新增就业, people employed, where 'jobs' alone are posts)"),
    "person_times": (("人次",), ("person-times", "person-time", "person times"), "person-times (one person counted once per occasion)"),
    "posts": (("岗次", "个岗位", "岗位"), ("positions", "posts", "jobs", "job postings"), "jobs, posts or job postings"),
    "percent": (("%",), ("percent", "per cent", "pct"), "a share or growth rate, in percent (76.7 means 76.7%; 两成 is 20, 千分之五 is 0.5)"),
    "percentage_points": (("个百分点", "百分点"), ("percentage points", "percentage point"), "a difference of two percentages"),
    "multiple": (("倍",), ("fold",), "a multiple of a base (倍: 增长1.5倍 is 1.5; 翻一番 is 2; English 'N times' is read as occasions)"),
    "institutions": (("所", "家"), ("schools", "school", "kindergartens", "kindergarten", "hospitals", "clinics",
                     "institutions", "enterprises", "companies", "museums", "nursing homes"),
                     "schools, kindergartens, clinics, hospitals, enterprises (所, 家)"),
    "beds": (("张", "病床", "张床位"), ("beds", "bed"), "beds (nursing, hospital)"),
    "seats": (("个学位", "学位"), ("degrees", "places", "seats"), "school places (学位; machine translations say 'degrees')"),
    "households": (("户",), ("households", "household", "families", "houses", "homes"), "households"),
    "km": (("公里", "千米"), ("kilometers", "kilometres", "kilometer", "km"), "kilometres"),
    "m2": (("平方米",), ("square meters", "square metres"), "square metres"),
    "km2": (("平方公里",), ("square kilometers", "square kilometres"), "square kilometres"),
    "mu": (("亩",), (), "mu (亩, 1/15 hectare), the Chinese unit of land area; machine translations render it 'acres' (no English word maps here)"),
    "villages": (("个村", "村"), ("villages", "village"), "villages"),
    "items": (("项", "类", "件", "个", "大类", "大", "组", "批次", "部"), ("items", "tasks", "projects", "issues", "categories",
              "category", "communities", "parking spaces"),
              "items, tasks, projects, categories (项, 类, 件, 个; 八大 eight major ones; 组 groups, 批次 batches)"),
    "events": (("场",), ("games", "shows", "sessions", "fairs", "meetings", "events", "activities"), "events, shows, fairs (场)"),
    "times": (("次",), ("times",), "occasions (次)"),
    "vehicles": (("辆",), ("buses", "vehicles", "cars", "bus"), "vehicles"),
    "lines": (("条",), ("lines", "routes", "streets"), "lines, routes, streets (条)"),
    "sites": (("处", "座", "片", "站", "间"), ("sites", "stations", "parks", "park", "centers", "centres", "center", "centre",
              "canteens"), "sites, facilities, fields (处, 座, 片, 站, 间)"),
    "buildings": (("栋", "幢"), ("buildings",), "buildings (栋, 幢)"),
    "trees": (("棵", "株"), ("trees",), "trees (棵, 株)"),
    "sets": (("套", "台"), ("sets", "units", "elevators"), "sets of equipment or dwelling units (套, 台)"),
    "tons": (("吨", "公吨"), ("tons", "tonnes"), "tonnes"),
    "years": (("年",), ("years", "year"), "years (a duration)"),
    "months": (("个月",), ("months", "month"), "months"),
    "age": (("周岁", "岁"), ("years old",), "age, in years"),
    "days": (("天",), ("days", "day"), "days"),
    "hours": (("小时",), ("hours", "hour"), "hours"),
    "minutes": (("分钟",), ("minutes", "minute"), "minutes"),
    "metres": (("米",), ("meters", "metres"), "metres"),
    "count": ((), (), "a bare number with no unit word"),
    "unknown": ((), (), "a unit word not in this table (kept verbatim in unit_text, flagged)"),
}
CURRENCIES = ("yuan", "usd", "hkd", "eur", "gbp", "jpy", "mop", "twd")

QUALIFIERS = ("exact", "at_least", "more_than", "about", "at_most", "less_than", "range")
KINDS = ("quantity", "date", "year", "period", "ordinal", "identifier", "name", "vague")
_PRE = {
    "不少于": "at_least", "不低于": "at_least", "至少": "at_least", "超过": "more_than", "逾": "more_than", "超": "more_than",
    "高于": "more_than", "多于": "more_than", "上": "more_than",
    "约": "about", "近": "about", "大约": "about", "将近": "about", "接近": "about",
    "不超过": "at_most", "未超过": "at_most", "不高于": "at_most", "控制在": "at_most",
    "不到": "less_than", "不足": "less_than", "低于": "less_than", "少于": "less_than", "未达": "less_than",
    "no less than": "at_least", "not less than": "at_least", "no fewer than": "at_least", "not fewer than": "at_least",
    "at least": "at_least",
    "more than": "more_than", "over": "more_than", "above": "more_than", "exceeding": "more_than",
    "about": "about", "around": "about", "approximately": "about", "nearly": "about", "almost": "about",
    "some": "about", "roughly": "about", "close to": "about",
    "up to": "at_most", "within": "at_most", "no more than": "at_most", "not more than": "at_most", "at most": "at_most",
    "less than": "less_than", "fewer than": "less_than", "under": "less_than", "below": "less_than",
}
_POST = {"以上": "at_least", "及以上": "at_least", "以内": "at_most", "以下": "at_most", "及以下": "at_most", "左右": "about",
         "上下": "about"}
_EN_POST = {"or more": "at_least", "or above": "at_least", "and above": "at_least", "or less": "at_most",
            "or below": "at_most", "and below": "at_most"}
_APPROX = {"余": "more_than", "多": "more_than"}
_ZH_MULT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000, "万亿": 10**12, "千万": 10**7,
            "百万": 10**6, "十万": 10**5, "千亿": 10**11, "百亿": 10**10, "十亿": 10**9}
_EN_MULT = {"thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_PER = {"年": "year", "人": "person", "月": "month", "天": "day", "日": "day", "户": "household", "所": "institution",
        "year": "year", "person": "person", "month": "month", "day": "day", "household": "household",
        "capita": "person", "student": "student"}
_CURRENCY_PREFIX = {"nt$": "twd", "twd": "twd", "ntd": "twd", "mop$": "mop", "mop": "mop", "新台币": "twd", "台币": "twd",
                    "澳门币": "mop", "港币": "hkd", "人民币": "yuan", "美元": "usd",
                    "us$": "usd", "$": "usd", "usd": "usd", "hk$": "hkd", "hkd": "hkd", "€": "eur", "eur": "eur",
                    "£": "gbp", "gbp": "gbp", "¥": "yuan", "rmb": "yuan", "cny": "yuan"}

_ZH_UNIT = {w: u for u, (zh, _en, _d) in UNITS.items() for w in zh}
# A noun before the number that names the unit when only a generic classifier follows (新增学位8600个).
NOUN_UNITS = {"学位": "seats", "岗位": "posts", "床位": "beds"}
_CLASSIFIERS = {"个", "张", "人", "名"}
# 学位 / 岗位 / 床位 earlier in the same clause (no punctuation between) before a number counted with 个
_CLAUSE_NOUN = re.compile(r"(学位|岗位|床位)[^,，。；;、\d]*$")
# measure words that make a number in characters a figure though no unit of UNITS is theirs (六大, 两级)
_MEASURE = "批届期轮支级大种本册部门块栋幢层间趟遍回季周道"
_EN_UNIT = {w: u for u, (_zh, en, _d) in UNITS.items() for w in en}
# unit nouns that also qualify a later noun ("elderly care center", "student dormitories", "school buses"): after
# them the reader reads on to the noun that ends the phrase; after any other unit noun it stops there
_EN_MODIFIERS = {"elderly", "children", "women", "student", "students", "teacher", "teachers", "seniors", "senior",
                 "youth", "youths", "farmers", "workers", "villagers", "employment", "residents", "school", "schools",
                 "community", "patients", "staff", "employees", "citizens", "day"}  # "day care centers"
_STOP = {"of", "to", "in", "for", "from", "with", "by", "at", "on", "is", "are", "was", "were", "have", "has",
         "had", "been", "the", "a", "an", "which", "that", "this", "will", "be", "per", "each", "last", "next"}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MON_ABBR = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_CM = r"1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十]"  # a month in digits or characters
_RANGE_SEP = r"\s*(?:-|–|—|~|～|至|到)\s*"
_Y = r"(?:19|20)\d\d"
_OPEN_Q, _CLOSE_Q = "“\"「『‘", "”\"」』’"
_CJK_NUM_CLASS = "".join(sorted(set(CJK_CHARS)))

# Words with numeral characters that are no numbers: not indexed.
_NOT_NUMBER_WORDS = tuple("""
    进一步 统一 唯一 之一 逐一 一一 同一 划一 第一时间 万一
    一般 一体 一些 一批 一系列 一大批 一定 一直 一起 一致 一切 一旦 一次性 一线 一流 一道 一同 一律 一并 一举 一方面
    一步 一代 一度 一贯 一时 一样 一边 一味 一心 一揽子 一条龙 一把手 一刀切 一手 一番 一如既往 一带一路
    十分 十足 十全十美 百姓 千方百计 千家万户 万众 万家 千万 万物 百货 千里 万里 一成不变
    每千人 每万人 每百人 每十万人 每千名 每万名 每百名 千人口 万人口 百人口
    五湖四海 四面八方 三心二意 七上八下 一五一十 一二三产 三产 二产 一产 一心一意 一丝不苟 一目了然 百花齐放 万事
""".split())
_EN_NOT_NUMBERS = re.compile(r"\bone\s+(?:of|another|by\s+one|after\s+another|side|hand)\b|\bone\s?-\s?(?:time|off|on-one|to-one)\b"
                             r"|\b(?:no|any|at)\s+one\b", re.I)
_NOT_NUMBERS = re.compile(_alt(_NOT_NUMBER_WORDS) + "|" + _EN_NOT_NUMBERS.pattern, re.I)
_STOP_WORDS = frozenset(_NOT_NUMBER_WORDS)
_STOP_LENGTHS = sorted({len(w) for w in _STOP_WORDS})


def _stop_end(norm: str, low: str, p: int) -> int:
    """If the numeral at ``p`` stands inside a word that is no number (统一, 十分, one of), return that word's end, else -1."""
    c = norm[p]
    if c.isascii():
        if low.startswith("one", p):
            for m in _EN_NOT_NUMBERS.finditer(low, max(0, p - 4), p + 24):
                if m.start() <= p < m.end():
                    return m.end()
        return -1
    for n in _STOP_LENGTHS:
        for o in range(n):
            a = p - o
            if a < 0:
                break
            w = norm[a:a + n]
            if w in _STOP_WORDS:
                prev, nxt = norm[a - 1:a] if a else "", norm[a + n:a + n + 1]
                if w == "十分" and nxt == "钟" or w == "一番" and prev == "翻" or w == "之一" and prev == "分":
                    continue
                if w == "万一" and (prev.isdigit() or prev in CJK_CHARS):
                    continue
                if w == "千万" and (prev.isdigit() or prev in CJK_CHARS or nxt in "人元户"):
                    continue
                return a + n
    return -1


# Numbers inside names, slogans and programmes: indexed as kind "name"
_NAMES = "|".join([
    r"十[一二三四五六]五(?:规划|时期|期间)?", r"\d+\s*分钟[\u4e00-\u9fff]{0,6}?圈", r"\d+\s?-\s?minutes?(?:\s+[A-Za-z-]+){0,4}?\s+circles?",
    r"一站式|一网通办|一网统管|一件事|一次办好|一老一小|两癌|两学一做|一村一品|三孩|二孩|两孩|三农|四好农村路|五险一金",
    r"三公经费|两会|一张网|一盘棋|一窗受理|一门式|一码通|一卡通|一键|百强|三甲",
    r"(?i:\bone-stop\b|\bone-click\b|\bone\s+network\b|\btwo\s+cancers\b|\btwo\s+sessions\b|\bfour\s+good\s+rural\s+roads\b"
    r"|\bthree\s+rural\b|\bfive\s+insurances\b)",
])
_HOLIDAY = r"(?:五一|十一|六一|七一|八一|三八)(?=假期|黄金周|期间|长假|小长假|劳动节|儿童节|国庆|建党|建军|妇女节|前夕|前后)"

_SPECIAL = re.compile(
    rf"""
    (?P<url>https?://[^\s，。；;)）]+|www\.[A-Za-z0-9.-]+[^\s，。；;)）]*)
    |(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)
    |(?P<doc>[〔\[【(]\s*{_Y}\s*[〕\]】)]\s*\d+\s*号)
    |(?P<phone>(?<![\d.])(?:\(0\d{{2,3}}\)\s*|0\d{{2,3}}\s*[-—–]\s*)\d{{7,8}}(?!\d)|(?<![\d.,])1[3-9]\d{{9}}(?![\d.]))
    |(?P<hotline>(?<![\d.,])\d{{3,6}}(?=(?:政务服务便民|政务服务|便民服务|服务|便民|市长|政务|公共服务|民生|咨询|投诉|举报)?(?:热线|专线|服务电话|急救电话|报警电话)|(?:\s+[A-Za-z-]+){{0,4}}\s+[Hh]otline)
        |(?:(?<=热线)|(?<=热线:)|(?<=电话)|(?<=电话:)|(?<=[Hh]otline\s)|(?<=[Hh]otline:\s))\d{{3,}}(?:-\d+)?)
    |(?P<postcode>(?:(?<=邮编)|(?<=邮编:)|(?<=邮政编码)|(?<=邮政编码:)|(?<=[Pp]ostcode\s)|(?<=[Pp]ostal\scode\s))\d{{6}}(?!\d))
    |(?P<pmonths>(?:(?P<py>{_Y})年度?)?(?<![\d.])(?P<pm1>{_CM})(?:月份?)?{_RANGE_SEP}(?P<pm2>{_CM})月份?(?!\d{{1,2}}日))
    |(?P<qend>(?:(?P<qey>{_Y})年)?第?(?P<qe>[一二三四1-4])季度末)
    |(?P<phx>(?<=H)(?P<hx>[12])\s+(?P<hxy>{_Y})\b|(?P<hyy>{_Y})\s?H(?P<hyx>[12])\b)
    |(?P<pquarter>(?:(?P<qy>{_Y})年度?)?(?:前(?P<qn>[一二三1-3])个?季度|第?(?P<q1>[一二三四1-4])季度))
    |(?P<pfirstn>(?:(?P<ny>{_Y})年度?)?前(?P<nn>十[一二]|[一二三四五六七八九十]|\d{{1,2}})个月)
    |(?P<phalf>(?P<hy>{_Y})年度?(?P<hh>上|下)半年)
    |(?P<pen>(?i:(?P<eh>first|second)\s+half(?:\s+of(?:\s+the\s+year)?(?:\s+(?P<ehy>{_Y}))?)?
        |first\s+(?P<eq>three|two|3|2)\s+quarters(?:\s+of(?:\s+the\s+year)?(?:\s+(?P<eqy>{_Y}))?)?
        |first\s+quarter(?:\s+of(?:\s+the\s+year)?(?:\s+(?P<e1y>{_Y}))?)?
        |first\s+(?P<enm>two|three|four|five|six|seven|eight|nine|ten|eleven|\d{{1,2}})\s+months(?:\s+of(?:\s+the\s+year)?(?:\s+(?P<enmy>{_Y}))?)?
        |(?P<ea>January|Jan\.?)\s*(?:to|-|–|through|until)\s*(?P<eb>{_MONTHS}|(?:{_MON_ABBR})\.?)(?:,?\s+(?:of\s+)?(?P<eby>{_Y}))?))
    |(?P<cyear>[〇零一二三四五六七八九]{{4}}年度?|{_Y}\s*[-–—~至到]\s*{_Y}年?度?)
    |(?P<monthspan>{_Y}\.\d{{1,2}}\s*[-–—~至]\s*{_Y}\.\d{{1,2}}(?![\d]))
    |(?P<dayrange>\d{{1,2}}月\d{{1,2}}日?{_RANGE_SEP}(?:\d{{1,2}}月)?\d{{1,2}}日|(?<![\d.])\d{{1,2}}[日号]?{_RANGE_SEP}\d{{1,2}}[日号])
    |(?P<time>(?<![\d.:])(?:[01]?\d|2[0-3])[:：][0-5]\d(?![\d:])|(?:(?<=上午)|(?<=下午)|(?<=晚上)|(?<=早上)|(?<=凌晨)|(?<=中午)|(?<=晚))\d{{1,2}}[时点](?:\d{{1,2}}分|半)?
        |(?<![\d.])\d{{1,2}}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b))
    |(?P<date>{_Y}年\d{{1,2}}月(?:\d{{1,2}}[日号])?|\d{{1,2}}月\d{{1,2}}[日号]|{_Y}[-./]\d{{1,2}}[-./]\d{{1,2}}
        |(?<![\d.])\d{{1,2}}月(?:底|初|份|中旬|上旬|下旬)?|(?<![A-Za-z])(?:{_MONTHS})\s\d{{1,2}}(?:st|nd|rd|th)?(?:,\s{_Y})?
        |(?<![A-Za-z])(?:{_MON_ABBR})\.?\s\d{{1,2}}(?:st|nd|rd|th)?\b(?:,\s{_Y})?
        |(?<![\d零〇一二两三四五六七八九十个])(?:十[一二]|[一二三四五六七八九十])月(?:份|底|初|中旬|上旬|下旬)?|{_HOLIDAY})
    |(?P<name>{_NAMES})
    |(?P<ord>\d+(?:st|nd|rd|th)\b|第\s*(?:\d+|[零〇一二两三四五六七八九十百千]+)|其[一二三四五六七八九十]
        |(?:\d+|[一二三四五六七八九十]+)届(?=[\u4e00-\u9fff]{{0,6}}?(?:人大|政协|党代会|全会|委员会|运动会|全运会|代表大会))
        |(?:\d+|[一二三四五六七八九十]+)次(?=会议|全会|全体会议|常委会)
        |\([一二三四五六七八九十]{{1,3}}\)|(?<![^\s。；;：:\n])[一二三四五六七八九十]{{1,3}}、(?=[\u4e00-\u9fff])
        |(?<![^\n])(?:0\d(?=\s)|\d{{1,2}}(?=[.、)]))(?=[.、)]?\s*[\u4e00-\u9fff])
        |(?<![^\s。；;，,：:！？、\n(（])[一二三四五六七八九十]是|(?<![A-Za-z-])(?i:{'|'.join(ORDINAL_WORDS)})(?![A-Za-z]))
    |(?P<frac>一半|(?i:\b(?:a|one)\s+(?:third|quarter|half)\b|\btwo\s+thirds\b|\bthree\s+quarters\b)
        |(?<![百千万])(?P<zd>[一二三四五六七八九十]|\d+)分之(?P<zn>[一二三四五六七八九]|\d+))
    |(?P<ident>(?:(?<=No\.)|(?<=No\.\s))\d+|(?<=[A-Za-z])\d+(?:\.\d+)?[A-Za-z]?|\d+(?:[A-Z](?![a-z])|G\b|K\b)|[一二三]级(?=甲等|乙等|公立|医院|综合医院)|(?:\d+|[一二三四五六七八九十]+)号线
        |(?:\d+|[一二三四五六七八九十]+)期(?=工程|项目)|(?<=[路街道巷弄])\d+号|[一二三四五1-5]星级
        |(?i:\b(?:three|two|one|second|third)\s?-\s?(?:level|grade|class))(?=(?:\s+[A-Za-z]+){{0,3}}\s+hospitals?\b))
    |(?P<vague>(?:数|几)[十百千万亿]+|成千上万|数以[十百千万亿]+计|千千万万|(?i:\b(?:dozens|hundreds|thousands|millions|tens\s+of\s+thousands)\s+of\b))
    """,
    re.VERBOSE,
)
# a short quoted phrase: up to 16 characters of Chinese, 40 of English; a straight quote hugs its words
_QUOTED = re.compile(r'[“「『‘]([^“”"「」『』‘’\n]{1,16})[”」』’]|"(?! )([^"“”\n]{1,40}?)(?<! )"')
_HAS_NUMERAL = re.compile(rf"\d|[零〇一二两三四五六七八九十廿百千万亿]|(?<![A-Za-z])(?i:{EN_WORDS})(?![A-Za-z])")
_JUST_A_FIGURE = re.compile(rf"\s*(?:{_NUM})\s*(?:万|亿)?(?:{_alt(_ZH_UNIT)})?\s*")

# a number starts here: digits, a numeral character, an English number word, 百分之-type ratios, a currency sign
_EN_CAND = re.compile(rf"(?<![A-Za-z])(?i:{EN_NUMBER})(?![A-Za-z])")
_DIGITS = re.compile(_NUM)
_CJK_RUN = re.compile(rf"[{_CJK_NUM_CLASS}参陆]+")
_AFTER_NUM = re.compile(r"(?P<ap1>余|多)?(?P<mult>万亿|千万|百万|十万|千亿|百亿|十亿|亿|万|千(?![米瓦克])|百(?!分))?(?P<ap2>余|多)?")
_EN_MULT_RE = re.compile(r"\s*(?P<emult>thousand|million|billion|trillion)\b", re.I)
_SEP = re.compile(r"\s*(?:-|–|—|~|～|至|到)\s*|\s+to\s+", re.I)
_AND = re.compile(r"\s+and\s+", re.I)
_ZH_UNIT_RE = re.compile(_alt(_ZH_UNIT))
_POST_RE = re.compile(_alt(_POST))
_EN_POST_RE = re.compile(rf"\s+(?:{_alt(_EN_POST)})\b", re.I)
_LOOKBACK = re.compile(
    rf"(?P<noun>学位|岗位|床位)?(?:(?<![A-Za-z])(?P<pre>(?i:{_alt(k for k in _PRE if k != '上')}))\s*)?"
    rf"(?P<cur>(?i:nt\$|mop\$|us\$|hk\$|usd|hkd|eur|gbp|rmb|cny|twd|ntd|mop)|新台币|台币|澳门币|港币|人民币|美元|[$€£¥])?\s*(?P<between>(?i:between)\s+)?(?P<ratio>百分之|千分之|万分之)?(?P<fan>翻)?$"
)
_LOOKBACK_WORDS = frozenset([w.split()[-1] for w in _PRE if w.isascii()]
                            + ["between", "usd", "rmb", "cny", "hkd", "eur", "gbp", "twd", "ntd", "mop"])


_YEAR_WORDS = frozenset(["in", "since", "by", "from", "until", "before", "after", "during", "of", "year"])


def _last_word(norm: str, p: int) -> str:
    """The lower-case word that ends just before ``p`` (one space allowed), e.g. ``than`` in ``more than 5``."""
    q = p - 1 if norm[p - 1:p] == " " else p
    a = q
    while a > 0 and norm[a - 1].isascii() and norm[a - 1].isalpha():
        a -= 1
    return norm[a:q].lower()


_LOOKBACK_END = frozenset([w[-1] for w in _PRE if not w.isascii()] + list("位之翻$€£¥币元"))
_FROM = re.compile(r"(?i:\bfrom\s+)(?:[$€£¥]|us\$|rmb\s*)?$|[由从]$")
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
_FOLD.update({0x3000: " ", 0xFE54: ";", 0xFE55: ":", 0xFF64: "、", 0xFFE5: "¥", 0xFFE1: "£"})
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


_MONTH_NO = {m.lower(): i for i, m in enumerate(_MONTHS.split("|"), start=1)}
_MONTH_NO.update({a.lower(): i for i, a in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                                       "oct", "nov", "dec"], start=1)})
_MONTH_NO["sept"] = 9


def _month(text: str) -> int:
    t = text.strip().rstrip(".")
    if t.isdigit():
        return int(t)
    if t.lower() in _MONTH_NO:
        return _MONTH_NO[t.lower()]
    if t.lower() in SMALL:
        return SMALL[t.lower()]
    return int(cjk_value(t))


def _period_code(m: re.Match) -> str | None:
    """Return the period code of a period match: ``2022-M01-M08``, ``YYYY-H1`` (no year stated), or None."""
    g = m.groupdict()

    def code(year, rest):
        return f"{year or 'YYYY'}{rest}"

    if g["qend"]:  # 三季度末: the year to the quarter's last day
        end = 3 * _month(g["qe"])
        y = g["qey"] or "YYYY"
        day = calendar.monthrange(int(y) if y != "YYYY" else 2001, end)[1]
        return f"{y}-YTD@{y}-{end:02d}-{day:02d}"
    if g["phx"]:
        y, h = (g["hxy"], g["hx"]) if g["hx"] else (g["hyy"], g["hyx"])
        return f"{y}-H{h}"
    if g["pmonths"]:
        a, b = _month(g["pm1"]), _month(g["pm2"])
        return code(g["py"], f"-M{a:02d}-M{b:02d}") if 1 <= a < b <= 12 else None
    if g["pquarter"]:
        if g["qn"]:
            n = _month(g["qn"])
            return code(g["qy"], f"-M01-M{3 * n:02d}")
        q = _month(g["q1"])
        return code(g["qy"], f"-M{3 * q - 2:02d}-M{3 * q:02d}")
    if g["pfirstn"]:
        n = _month(g["nn"])
        return code(g["ny"], f"-M01-M{n:02d}") if 1 <= n <= 12 else None
    if g["phalf"]:
        return code(g["hy"], "-H1" if g["hh"] == "上" else "-H2")
    if g["eh"]:
        return code(g["ehy"], "-H1" if g["eh"].lower() == "first" else "-H2")
    if g["eq"]:
        return code(g["eqy"], f"-M01-M{3 * _month(g['eq']):02d}")
    if g["enm"]:
        n = _month(g["enm"])
        return code(g["enmy"], f"-M01-M{n:02d}") if 1 <= n <= 12 else None
    if g["ea"]:
        b = _month(g["eb"])
        return code(g["eby"], f"-M01-M{b:02d}") if b > 1 else None
    if m.group(0).strip().lower().startswith("the first quarter") or m.group(0).strip().lower().startswith("first quarter"):
        return code(g["e1y"], "-M01-M03")
    return None


def _special_kind(m: re.Match) -> str:
    k = m.lastgroup
    if k in ("url", "email", "doc", "phone", "hotline", "postcode", "ident"):
        return "identifier"
    if k in ("pmonths", "pquarter", "pfirstn", "phalf", "pen", "qend", "phx"):
        return "period"
    if k == "cyear":
        return "year"
    if k in ("dayrange", "time", "date", "monthspan"):
        return "date"
    if k in ("frac", "zd", "zn"):
        return "frac"
    if k == "ord":
        return "ordinal"
    return k  # name, vague


_FRACTIONS = {"third": (1, 3), "quarter": (1, 4), "half": (1, 2), "thirds": (2, 3), "quarters": (3, 4)}


def _fraction(m: re.Match) -> Quantity:
    """``a third``, ``three quarters``, ``三分之二``: a share, in percent."""
    if m.group(0) == "一半":
        return Quantity(50.0, "percent", "exact", unit_text="一半", text="一半")
    if m.group("zd"):
        d = Decimal(m.group("zd")) if m.group("zd").isdigit() else cjk_value(m.group("zd"))
        n = Decimal(m.group("zn")) if m.group("zn").isdigit() else cjk_value(m.group("zn"))
    else:
        word = m.group(0).split()[-1].lower()
        n, d = map(Decimal, _FRACTIONS[word])
    return Quantity(float(n / d * 100), "percent", "exact", unit_text="分之" if m.group("zd") else m.group(0).split()[-1],
                    text=m.group(0))


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _spans_by_pattern(norm: str) -> list[tuple[int, int, str, str, Quantity | None]]:
    """Mentions found over the whole text before the scan: e-mail addresses and numbers in short quoted names."""
    out = []
    emails = [(m.start(), m.end()) for m in _EMAIL.finditer(norm)] if "@" in norm else []
    out += [(a, b, "identifier", "", None) for a, b in emails]
    for m in _QUOTED.finditer(norm):  # a number inside a short quoted name: “一村一年一场戏”, “1+2+N”
        g = 1 if m.group(1) is not None else 2
        inner = m.group(g)
        if (_HAS_NUMERAL.search(_NOT_NUMBERS.sub("", inner)) and not _JUST_A_FIGURE.fullmatch(inner)
                and re.search(r"[\u4e00-\u9fffA-Za-z+]", _DIGITS.sub("", inner))
                and not (emails and any(a <= m.start(g) < b for a, b in emails))):
            out.append((m.start(g), m.end(g), "name", "", None))
    out.sort()
    return out


def _special_at(norm: str, p: int) -> tuple[int, int, str, str, Quantity | None] | None:
    """The mention read by pattern (date, period, name, identifier, ordinal, fraction) starting at ``p``, if any."""
    m = _SPECIAL.match(norm, p)
    if m is None or not m.group(0).strip():
        return None
    kind = _special_kind(m)
    period = ""
    if kind == "period":
        period = _period_code(m) or ""
        if not period:
            kind = "date"
    q = _fraction(m) if kind == "frac" else None
    start = m.start()
    prev = norm[start - 1:start]
    if q is not None and start and (prev in _LOOKBACK_END or _last_word(norm, start) in _LOOKBACK_WORDS):  # about a third, 约一半
        back = _LOOKBACK.search(norm, max(0, start - 16), start)
        if back and back.group("pre"):
            start = back.start("pre")
            q = Quantity(q.value, q.unit, _PRE[back.group("pre").lower()], unit_text=q.unit_text, text=norm[start:m.end()])
    return start, m.end(), ("quantity" if q else kind), period, q


def _unit_after(norm: str, end: int) -> tuple[str, str, int]:
    """A Chinese unit word at ``end``: (unit, unit_text, new_end) or ("", "", end)."""
    c = norm[end:end + 1]
    if c == " " and "\u4e00" <= norm[end + 1:end + 2] <= "\u9fff":  # 30 座桥梁: one space before a Chinese unit
        u = _ZH_UNIT_RE.match(norm, end + 1)
        return (_ZH_UNIT[u.group(0)], u.group(0), u.end()) if u else ("", "", end)
    if not c or (c.isascii() and c != "%"):
        return "", "", end
    u = _ZH_UNIT_RE.match(norm, end)
    if u:
        return _ZH_UNIT[u.group(0)], u.group(0), u.end()
    return "", "", end


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
        if low == "per" and re.match(r"\s+cent\b", norm[m.end():m.end() + 6], re.I):
            stop = m.end() + len(re.match(r"\s+cent", norm[m.end():m.end() + 6], re.I).group(0))
            return ("percent", norm[m.start(1):stop], stop) if not words else (best[0], norm[words[best[1]][2]:best[2]], best[2]) if best else ("percent", norm[m.start(1):stop], stop)
        if low in _STOP or (best and low in ("and", "or")):
            break
        words.append((low, m.end(), m.start(1)))
        two = " ".join(w for w, _, _ in words[-2:])
        if len(words) >= 2 and two in _EN_UNIT:
            best = (_EN_UNIT[two], len(words) - 2, m.end())
        elif low in _EN_UNIT:
            best = (_EN_UNIT[low], len(words) - 1, m.end())
        elif best and words[best[1]][0] not in _EN_MODIFIERS:  # the unit noun ended the phrase: "15 livelihood
            break  # projects it promised residents" counts projects (but "one elderly care center" counts a centre)
        pos = m.end()
        if len(words) == 7 and best is None:
            break
    if best:
        unit, first, stop = best
        return unit, norm[words[first][2]:stop], stop
    if words:
        return "unknown", norm[words[0][2]:words[0][1]], end
    return "count", "", end


@dataclass
class _Num:
    """A number core as read at a position: value, end, script, the multiplier and approximation words."""

    start: int
    end: int
    value: Decimal
    script: str  # digits, cjk, en
    mult: int = 1
    approx: str = ""
    high: Decimal | None = None  # an approximate range in characters (三五个)


def _core(norm: str, p: int, limit: int) -> _Num | None:
    """Read the number that starts at ``p`` (digits with a multiplier, characters, or English words)."""
    c = norm[p]
    if c.isdigit():
        m = _DIGITS.match(norm, p)
        if not m or m.end() > limit:
            return None
        value = _decimal(m.group(0))
        end = m.end()
        a = _AFTER_NUM.match(norm, end, limit)
        mult, approx = 1, ""
        if a and a.end() > end:
            if a.group("mult"):
                mult = _ZH_MULT[a.group("mult")]
            approx = _APPROX.get(a.group("ap1") or a.group("ap2") or "", "")
            end = a.end()
        elif (e := _EN_MULT_RE.match(norm, end, limit)):
            mult = _EN_MULT[e.group("emult").lower()]
            end = e.end()
        return _Num(p, end, value * mult, "digits", mult, approx)
    if c in _CJK_NUM_CLASS or c in "参陆":
        m = _CJK_RUN.match(norm, p, limit)
        run = trim_run(m.group(0))
        if not run:
            return None
        end = p + len(run)
        a = _AFTER_NUM.match(norm, end, limit)
        mult, approx = 1, ""
        if a and a.end() > end and not (a.group("mult") and not a.group("ap1")):
            approx = _APPROX.get(a.group("ap1") or a.group("ap2") or "", "")
            if a.group("mult"):
                mult = _ZH_MULT[a.group("mult")]
            end = a.end()
        rng = approximate_range(run)
        if rng:
            return _Num(p, end, rng[0] * mult, "cjk", mult, approx, rng[1] * mult)
        try:
            value = cjk_value(run)
        except ValueError:
            if len(run) == 2 and all(ch in DIGITS for ch in run) and norm.startswith("折", end):
                value = Decimal(f"{DIGITS[run[0]]}.{DIGITS[run[1]]}")  # 八五折: 8.5 tenths
            else:
                return None
        return _Num(p, end, value * mult, "cjk", mult, approx)
    m = _EN_CAND.match(norm, p, limit)
    if not m:
        return None
    try:
        value = english_value(m.group(0))
    except ValueError:
        return None
    return _Num(p, m.end(), value, "en")


def _accept_cjk(norm: str, n: _Num, pre: str, end: int, bare: bool = False) -> bool:
    """A number in characters is a figure only with a unit or measure word after it, or a bound or ratio before
    (``bare``: a figure given alone, as to :func:`parse_quantity`, needs neither)."""
    if pre or (bare and end == len(norm.rstrip())):
        return True
    nxt = norm[end:end + 1]
    return bool(nxt) and (nxt in _MEASURE or nxt in "成倍折番%‰" or _ZH_UNIT_RE.match(norm, end) is not None)


def _read(norm: str, p: int, limit: int, context_en: bool, bare: bool = False) -> tuple[int, int, Quantity, str] | None:
    """Read the figure whose number starts at ``p``: (start, end, Quantity, kind) or None if no figure starts here."""
    n = _core(norm, p, limit)
    if n is None or (n.script == "cjk" and norm.startswith("分之", n.end)):  # 万分之三: the ratio is read at 三
        return None
    prev = norm[p - 2 if p > 1 and norm[p - 1] == " " else p - 1] if p else ""
    back = (_LOOKBACK.search(norm, max(0, p - 16), p)
            if prev and (prev in _LOOKBACK_END or ("a" <= prev.lower() <= "z" and _last_word(norm, p) in _LOOKBACK_WORDS))
            else None)
    start = p
    pre = ratio = cur = ""
    noun = between = fan = ""
    if back and back.end() == p and back.start() < p:
        pre = back.group("pre") or ""
        ratio, cur, noun = back.group("ratio") or "", (back.group("cur") or "").lower(), back.group("noun") or ""
        between, fan = back.group("between") or "", back.group("fan") or ""
        first = next((g for g in ("noun", "pre", "cur", "between", "ratio", "fan") if back.group(g)), None)
        if first:
            start = back.start(first)
    qualifier = _PRE.get(pre.lower(), "exact") if pre else "exact"
    if (not pre and p and norm[p - 1] == "上" and norm[p] in "百千万亿"  # 上万人: ten thousand and more (not 线上)
            and norm[p - 2:p - 1] not in tuple("线网以之向马路街楼晚早身手面台场会世史海山上")):
        pre, qualifier, start = "上", "at_least", p - 1
    end = n.end
    value, high = n.value, n.high
    flags: list[str] = []
    if n.approx:
        qualifier = n.approx
    unit, unit_text = "", ""
    if fan:  # 翻一番, 翻两番: doubled n times
        if not norm.startswith("番", end) or n.script != "cjk":
            return None
        return start, end + 1, Quantity(float(2 ** int(value)), "multiple", qualifier, text=norm[start:end + 1], unit_text="番"), "quantity"
    if ratio:  # 百分之五十, 千分之三点五, 万分之三: a share in percent
        scale = {"百分之": 1, "千分之": Decimal("0.1"), "万分之": Decimal("0.01")}[ratio]
        q2, e2 = _range_tail(norm, n, end, limit, require_same_script=True)
        if q2 is not None:
            end, high, qualifier = e2, q2 * scale, "range"
        value = value * scale
        unit, unit_text = "percent", ratio
    # a range: 1-2, 1万-5万元, 三至五所, 10%-15%, between 10 and 20 (not "from 4,500 to 5,000")
    first_unit, _first_text, after_first = _unit_after(norm, end)
    pct_first = norm.startswith("%", end)
    if not unit and high is None and not (norm[start - 1:start] in ("由", "从") or (context_en and _FROM.search(norm, max(0, start - 6), start))):
        tail_at = end + 1 if pct_first else (after_first if first_unit and n.script != "en" else end)
        hi, e2 = _range_tail(norm, n, tail_at, limit, between=bool(between))
        if hi is not None:
            if pct_first and not norm.startswith("%", e2):
                hi = None
            elif first_unit:
                u2, _t2, _e = _unit_after(norm, e2)
                if u2 != first_unit:
                    hi = None
        if hi is not None:
            high, end = hi[1], e2
            if hi[0] is not None:
                value = hi[0]
    if high is not None and high <= value:
        high = None
        end = n.end
    if high is not None:
        qualifier = "range"
    if n.script == "cjk" and not unit and not _accept_cjk(norm, n, pre or cur or noun, end, bare):
        return None
    # ratios after the number: 两成, 八折, 1.5倍, %, ‰
    nxt = "" if unit else norm[end:end + 1]
    if nxt == "成" and n.mult == 1 and not norm.startswith("成本", end):
        unit, unit_text, value, high = "percent", "成", value * 10, (high * 10 if high is not None else None)
        end += 1
        if norm[end:end + 1] in ("多", "余"):  # 三成多: more than three tenths
            qualifier, end = "more_than", end + 1
    elif nxt == "折" and n.mult == 1 and norm[end + 1:end + 2] not in ("合", "算", "旧", "扣", "射", "线"):
        unit, unit_text, value, high = "percent", "折", value * 10, (high * 10 if high is not None else None)
        end += 1
    elif nxt == "‰":
        unit, unit_text, value, high = "percent", "‰", value / 10, (high / 10 if high is not None else None)
        end += 1
    if not unit:
        if noun:
            u, t, e2 = _unit_after(norm, end)
            if not u or t in _CLASSIFIERS:
                unit, unit_text, end = NOUN_UNITS[noun], noun + t, e2
            else:
                unit, unit_text, end = u, t, e2
        else:
            unit, unit_text, end = _unit_after(norm, end)
            if unit_text == "个":  # 新增中小学学位共8600个: the clause's noun names what 个 counts
                m = _CLAUSE_NOUN.search(norm, max(0, start - 12), start)
                if m:  # the mention then starts at the noun, so that the figure alone reads the same
                    unit, unit_text, start = NOUN_UNITS[m.group(1)], m.group(1) + "个", m.start()
    if not unit:
        english = context_en or n.script == "en"
        if english or (end < len(norm) and (norm[end] in " %" or (norm[end].isascii() and norm[end].isalpha()))):
            unit, unit_text, end = _english_unit(norm, min(end, limit))
        elif end < len(norm) and "\u4e00" <= norm[end] <= "\u9fff" and not _POST_RE.match(norm, end):
            unit, unit_text = "unknown", norm[end]
        else:
            unit = "count"
    if cur:
        cur_unit = _CURRENCY_PREFIX[cur]
        if unit in ("count", "unknown") or unit == cur_unit or (unit == "yuan" and unit_text == "元" and not cur.isascii()):
            # RMB 3.5 billion, $1.6 billion; 新台币500亿元: 元 after a named currency is that currency's unit
            unit, unit_text = cur_unit, (cur + (" " + unit_text if unit_text and unit in (cur_unit, "yuan") else "")).strip()
            flags = [f for f in flags if f != "unknown_unit"]
        elif unit in CURRENCIES:
            flags.append("currency_conflict")
    if unit == "unknown":
        flags.append("unknown_unit")
    nxt = norm[end:end + 1]
    if nxt in ("以", "左", "上", "及") and (post := _POST_RE.match(norm, end)) and post.end() <= limit:
        qualifier = _POST[post.group(0)] if qualifier in ("exact",) or _POST[post.group(0)] == qualifier else qualifier
        end = post.end()
    elif nxt == " " and (epost := _EN_POST_RE.match(norm, end)) and epost.end() <= limit:
        qualifier = _EN_POST[re.sub(r"\s+", " ", epost.group(0).strip().lower())]
        end = epost.end()
    per = None
    before = _ZH_PER_BEFORE.search(norm, max(0, start - 3), start) if "每" in norm[max(0, start - 3):start] else None
    nxt = norm[end:end + 1]
    after = (_EN_PER.match(norm, end) if nxt in (" ", "/") else None) or (_ZH_PER_AFTER.match(norm, end) if nxt in ("/", "每") else None)
    if after and after.end() <= limit:
        per = _PER[next(x for x in after.groups() if x)]
        end = after.end()
    elif before:
        per = _PER[before.group(1)]
    if high is not None:
        qualifier = "range"
    q = Quantity(float(value), unit, qualifier, float(high) if high is not None else None, per, unit_text,
                 norm[start:end], tuple(flags))
    kind = "quantity"
    if (n.script == "digits" and qualifier == "exact" and high is None and n.end - n.start == 4 and n.mult == 1
            and norm[n.start:n.start + 2] in ("19", "20") and norm[n.start:n.end].isdigit()
            and (unit in ("count", "years", "unknown") or _last_word(norm, n.start) in _YEAR_WORDS)):
        kind = "year"  # 2022年, in 2022 (also "in 2022 it spent RMB 3 billion": the unit is not 2022's)
        if unit not in ("count", "years", "unknown"):
            end = n.end
            q = Quantity(float(value), "count", "exact", text=norm[start:end])
    return start, end, q, kind


def _range_tail(norm: str, n: _Num, at: int, limit: int, require_same_script: bool = False, between: bool = False):
    """The second number of a range at ``at``: ((low or None, high), end) or (None, at).

    The low is rescaled when a multiplier is written only once (``1-2万`` -> 1万 to 2万).
    """
    if norm[at:at + 1] not in ("-", "–", "—", "~", "～", "至", "到", " "):
        return None, at
    s = (_AND if between else _SEP).match(norm, at, limit)
    if not s:
        return None, at
    p2 = s.end()
    if p2 >= limit:
        return None, at
    c = norm[p2]
    if n.script == "digits" and not c.isdigit():
        return None, at
    if n.script == "cjk" and c not in _CJK_NUM_CLASS:
        return None, at
    if n.script == "en" and not _EN_CAND.match(norm, p2, limit) and not c.isdigit():
        return None, at
    m2 = _core(norm, p2, limit)
    if m2 is None:
        return None, at
    if require_same_script:
        return m2.value, m2.end
    low = n.value
    if n.mult == 1 and m2.mult != 1 and low * m2.mult < m2.value:
        low = low * m2.mult
    if not (low < m2.value):
        return None, at
    return (low if low != n.value else None, m2.value), m2.end


def names_no_unit(q: Quantity) -> bool:
    """True if a figure's own words do not say what it counts: a bare number, an unknown word, or the bare
    classifier 个 (``8600个`` counts whatever its sentence names): then ``Fig(unit=...)`` may name it, with a note.

    >>> names_no_unit(parse_quantity("8600个")), names_no_unit(parse_quantity("8600名"))
    (True, False)
    """
    return q.unit in ("count", "unknown") or (q.unit == "items" and q.unit_text == "个")


def parse_quantity(text: str) -> Quantity:
    """Parse one figure such as ``1.75万人次``, ``十余万人`` or ``35.02 million yuan`` into a :class:`Quantity`.

    >>> parse_quantity("1.75万人次")
    Quantity(value=17500.0, unit='person_times', qualifier='exact', high=None, per=None, unit_text='人次', text='1.75万人次', flags=())
    >>> q = parse_quantity("no less than 5,000"); (q.value, q.unit, q.qualifier)
    (5000.0, 'count', 'at_least')
    >>> q = parse_quantity("no fewer than 3,000 posts"); (q.value, q.qualifier)  # not "fewer than"
    (3000.0, 'at_least')
    >>> q = parse_quantity("1万-5万元"); (q.value, q.high, q.unit, q.qualifier)
    (10000.0, 50000.0, 'yuan', 'range')
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_quantity expects a string, got {type(text).__name__}")
    norm = to_simplified(text.strip())
    found = [r for r in _mentions(norm, bare=True) if r[2] == "quantity" or r[2] == "year"]
    lead = re.match(r"每(?:年|人|月|天|日|户|所)", norm)
    first = found[0] if found else None
    if first is None or first[0] > (lead.end() if lead else 0) or first[3] is None:
        raise ValueError(f"not a quantity: {text!r}")
    s, e, _kind, q, _p = first
    if re.match(r"\s*(?:-|–|—|~|～|至|到)\s*\d", norm[e:]):
        raise ValueError(f"not a quantity (not a range: the high bound is not above the low): {text!r}")
    rest = norm[e:].strip(" .,;，。")
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
    w0, w1 = max(0, start - 5000), min(len(text), end + 5000)  # a window, not the whole of a long article
    norm = to_simplified(text[w0:w1])
    s0 = w0 + max((m.end() for m in _SENTENCE_END.finditer(norm, 0, start - w0)), default=0)
    m = _SENTENCE_END.search(norm, end - w0)
    return s0, w0 + m.end() if m else (w1 if w1 < len(text) else len(text))


_TRIG = re.compile(rf"[\d{_CJK_NUM_CLASS}参陆第其前数几成〔\[【(翻]")
def _trie(words) -> str:
    """A regex alternation of ``words`` as a trie (the re module tries alternatives one by one; a trie fails fast)."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node) -> str:
        alts = [re.escape(ch) + emit(sub) if ch else "" for ch, sub in sorted(node.items())]
        opt = "" in node
        alts = [a for a in alts if a]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and len(alts[0]) == 1 else "(?:" + "|".join(alts) + ")"
        return body + ("?" if opt else "")

    return emit(tree)


_EN_TRIGGER_WORDS = "|".join([EN_WORDS, "|".join(ORDINAL_WORDS), _MONTHS.lower(), _MON_ABBR.lower(), "no|dozens|hundreds|thousands|millions|tens|https?|www"])
_EN_TRIGGER_SET = set(_EN_TRIGGER_WORDS.replace("https?", "http|https").split("|"))
_TRIG_EN = re.compile(r"\b(?:" + _trie(_EN_TRIGGER_SET) + r"|an?\s+(?:dozen|hundred|thousand|million|billion|third|quarter|half))\b")


def _triggers(norm: str) -> list[int]:
    """Every position where a mention may start: a digit, a numeral character, a number or month word, a bracket."""
    pos = [m.start() for m in _TRIG.finditer(norm)]
    if re.search(r"[A-Za-z]", norm):
        en = [m.start() for m in _TRIG_EN.finditer(norm.lower())]
        if en:
            pos = sorted(set(pos).union(en))
    return pos


def _mentions(norm: str, bare: bool = False) -> list[tuple[int, int, str, Quantity | None, str]]:
    """Every mention of a normalised text: (start, end, kind, Quantity or None, period code)."""
    low = norm.lower()
    pre = _spans_by_pattern(norm)
    pi = 0
    context_en = not re.search(r"[\u4e00-\u9fff]", norm[:2000])
    out: list[tuple[int, int, str, Quantity | None, str]] = []
    pos = 0
    for p in _triggers(norm):
        while pi < len(pre) and pre[pi][0] <= p:  # a quoted name or an e-mail address starts before
            s, e, kind, period, q = pre[pi]
            if s >= pos:
                out.append((s, e, kind, q, period))
                pos = e
            pi += 1
        if p < pos:
            continue
        c = norm[p]
        sp = _special_at(norm, p)
        if sp is not None:
            s, e, kind, period, q = sp
            out.append((s, e, kind, q, period))
            pos = e
            continue
        if c in "第其前数几成〔[【(" and not c.isdigit():
            continue
        if c == "翻":
            if norm.startswith("翻番", p):
                out.append((p, p + 2, "quantity", Quantity(2.0, "multiple", "exact", unit_text="番", text="翻番"), ""))
                pos = p + 2
            continue
        if not c.isdigit():
            stop = _stop_end(norm, low, p)
            if stop > 0:
                pos = stop
                continue
        limit = pre[pi][0] if pi < len(pre) else len(norm)
        got = _read(norm, p, limit, context_en, bare)
        if got is None:
            if c.isdigit():
                m = _DIGITS.match(norm, p)
                out.append((p, m.end(), "quantity", Quantity(float(_decimal(m.group(0))), "count", text=m.group(0)), ""))
                pos = m.end()
            continue
        s, e, q, kind = got
        if out and s < out[-1][1]:
            s = p
            if q is not None:
                q = Quantity(q.value, q.unit, q.qualifier, q.high, q.per, q.unit_text, norm[s:e], q.flags)
        out.append((s, e, kind, q, ""))
        pos = e
    for s, e, kind, period, q in pre[pi:]:
        if s >= pos:
            out.append((s, e, kind, q, period))
            pos = e
    return out


_HALF_YEARS = (("-H1", re.compile(r"上半年|first half", re.I)), ("-H2", re.compile(r"下半年|second half", re.I)))


def half_years(text: str) -> list[str]:
    """The half years a text's words name with no number (上半年, the first half), as period codes with ``YYYY``
    for the year: a period for the row builder and the proposals, though no mention of the index.

    >>> half_years("今年上半年,新增就业2万人"), half_years("In the second half, 3 parks will open")
    (['YYYY-H1'], ['YYYY-H2'])
    """
    t = to_simplified(text)
    return ["YYYY" + code for code, words in _HALF_YEARS if words.search(t)]


def find_quantities(text: str):
    """Return a DataFrame of every numeric mention in ``text``, with offsets into the original text.

    Columns: start, end (``text[start:end] == match``), match, kind (:data:`KINDS`), value, high, unit,
    qualifier, per, unit_text, flags, sentence, sentence_start, period (the period code of a
    ``period`` mention: ``2022-M01-M08``, or ``YYYY-M01-M09`` where the text names no year).

    >>> df = find_quantities("全市民生支出实现124.7亿元,同比增长22.9%。")
    >>> df[["match", "value", "unit"]].values.tolist()
    [['124.7亿元', 12470000000.0, 'yuan'], ['22.9%', 22.9, 'percent']]
    """
    import pandas as pd

    norm = to_simplified(text)
    bounds = [m.end() for m in _SENTENCE_END.finditer(norm)]
    rows = []
    for start, end, kind, q, period in _mentions(norm):
        if kind == "year":  # a calendar year counts nothing: no value, as for the other kinds
            q = None
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
                     ";".join(q.flags) if q else "", raw_sentence.strip(), s0 + lead, period))
    cols = ["start", "end", "match", "kind", "value", "high", "unit", "qualifier", "per", "unit_text", "flags",
            "sentence", "sentence_start", "period"]
    df = pd.DataFrame(rows, columns=cols)
    return df.astype({"start": "int64", "end": "int64", "value": "float64", "high": "float64",
                      "sentence_start": "int64"})


# what a stated period is written with (a cheap test before reading the quote's numbers)
_PERIODISH = re.compile(r"月|季度|半年|上半|下半|[Hh][12]\b|quarter|half|month|january|february|march|april|may|june|"
                        r"july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec",
                        re.I)


def stated_period(quote: str, default_period: str) -> str | None:
    """Return the one period a quote's own words state (its code, the year from ``default_period`` where
    the quote names none), or None when it states none or several.

    >>> stated_period("1-8月,全市新增城镇就业5.2万人", "2022-YTD@2022-09-22")
    '2022-M01-M08'
    >>> stated_period("全市新增城镇就业5.2万人", "2022") is None, stated_period("今年上半年,新增就业2万人", "2023")
    (True, '2023-H1')
    """
    if not _PERIODISH.search(quote):  # no word a period is written with: no need to read every number
        return None
    found = find_quantities(quote)
    codes = {p for k, p in zip(found["kind"], found["period"], strict=True) if k == "period" and p}
    if not codes:  # a half year written with no number (上半年, the first half): no mention, still a period
        codes = set(half_years(quote))
    if len(codes) != 1:
        return None
    return codes.pop().replace("YYYY", str(default_period)[:4])


_ENGLISH_NOUN_UNITS = {"school places": "seats", "beds": "beds", "posts": "posts"}
# the last noun of NOUN_UNITS in the text (an English one where no Chinese one follows it)
_SENTENCE_UNIT = re.compile(f"({'|'.join([*NOUN_UNITS, *_ENGLISH_NOUN_UNITS])})(?!.*(?:{'|'.join(NOUN_UNITS)}))", re.S)


def sentence_unit(before: str) -> str | None:
    """The unit a sentence names before a number counted with 个 alone: 学位 -> seats, 床位 -> beds, 岗位 -> posts.

    >>> sentence_unit("新增学位方面，秋季开学前可投用的共计1.26万个")
    'seats'
    """
    m = _SENTENCE_UNIT.search(to_simplified(before))
    return {**NOUN_UNITS, **_ENGLISH_NOUN_UNITS}[m.group(1)] if m else None
