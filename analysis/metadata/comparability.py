"""What makes two figures comparable: status, denominator, scope, counting unit, stock or flow.

Two figures are set side by side as like for like only when their **comparability key** is equal:
indicator, unit, denominator, scope, status and stock/flow (:data:`KEY`). The attributes' values are
controlled vocabularies (``data/vocabularies.csv``); this module reads the cues in a quote that
suggest them, and says in words how two keys differ.

Editorial decisions (the cues are deliberately few and conservative; a cleaning notebook can always
say otherwise with ``Fig(status=..., scope=..., denominator=...)``):
- **status** defaults to the article's kind (results -> ``result``, targets -> ``target``). In a
  results article, a quote that announces (招聘公告, announcement) is ``announced``; one that plans
  (规划, 计划, 拟, 将, will, plan to) is ``plan``; one that sets a goal (目标, 力争, target, strive)
  is ``target``; but 完成…目标 ("completed the goal") is a result. :func:`status_hint` is the test
  that no ``result`` row's quote says otherwise.
- **denominator** of a share (codebook ``measure`` = share) is read from the quote: 一般公共预算支出 /
  general public budget -> ``general_public_budget_spending``; 财政支出 / fiscal expenditure ->
  ``fiscal_spending``; otherwise ``not_stated``. Never assumed.
- **scope** tokens read from the quote: 中小学(幼儿园) / schools (kindergartens) ->
  ``incl_kindergartens``; 市驻地 / 中心城区 / 主城区 / the city's residence -> ``city_seat``; a named
  bureau (市…局, 市妇联, Bureau) -> ``one_department``. Other tokens (urban, rural, school level) are
  set by the notebook where the sentence, not the quote, says so.
- **bounds in English translations**: "more than", "over", "above" may render 以上 (at least,
  inclusive) or 超过 / 余 (more than). They are read as ``at_least``, the reading true under either
  original, and flagged ``bound_from_translation``.
"""

from __future__ import annotations

import re

KEY = ["indicator", "unit", "denominator", "scope", "status", "stock_flow"]

_ANNOUNCED = re.compile(r"招聘公告|发布.{0,6}公告|announcement", re.I)
_PLAN = re.compile(r"规划|计划(?!生育)|拟|将(?!近)|年内(?:完成|建成|实现)|年底前|\bwill\b|\bplan(?:s|ned)? to\b"
                   r"|\bto be (?:built|recruited)\b", re.I)
_TARGET = re.compile(r"目标|力争|\btarget|\bstrive|\baims? to\b", re.I)
_DONE = re.compile(r"完成.{0,8}目标|达到.{0,8}目标|completed? .{0,20}target", re.I)
# 完成计划任务的107%, 完成全年目标的80%: what was done, as a share of the plan: a result
_DONE_SHARE = re.compile(r"(?:已|累计|共)?完成.{0,10}(?:计划|目标|任务)(?:任务)?的?\s*\d+(?:\.\d+)?\s*%"
                         r"|占.{0,6}(?:计划|目标|任务).{0,6}的\s*\d+(?:\.\d+)?\s*%"  # 占年度计划投资的86.5%
                         r"|\d+(?:\.\d+)?\s*(?:%|percent) of (?:the |its )?(?:annual |full-year |yearly |year's )?"
                         r"(?:plan|target|goal)", re.I)
_DENOMINATOR = [
    ("general_public_budget_spending", re.compile(r"一般公共预算支出|general public budget|general budget (?:expenditure|spending)", re.I)),
    ("fiscal_spending", re.compile(r"财政支出|fiscal (?:expenditure|spending)|financial expenditure", re.I)),
]
_SCOPE = [
    ("incl_kindergartens", re.compile(r"(?:中小学|学校)(?:[(（]幼儿园[)）]|[、和及与]?幼儿园)"
                                      r"|schools? (?:\(kindergartens?\)|and kindergartens?)", re.I)),
    ("city_seat", re.compile(r"市驻地|中心城区|主城区|city's residence|main urban area|central urban area", re.I)),
    ("one_department", re.compile(r"市[^,，。、]{1,6}局|市妇联|\bBureau\b")),
]


def _simplified(text: str) -> str:
    from analysis.core.quantities import to_simplified

    return to_simplified(text)


def status_hint(quote: str) -> str | None:
    """Return the status a quote's own words state (``announced``, ``plan``, ``target``, ``result``), or None.

    ``result`` where the words say what was done as a share of a plan (完成计划任务的107%): a result,
    whatever the article's kind; ``plan`` for 规划, 计划, 拟, 将, 年内完成 and English will / plans to;
    ``target`` for 目标, 力争 and English target, strive, aims to (unless the target was met).

    >>> status_hint("2022年全市规划新建、改扩建项目学校(幼儿园)40所"), status_hint("7000名教師招聘已統一發布招聘公告")
    ('plan', 'announced')
    >>> status_hint("已有26项提前完成全年任务目标") is None, status_hint("新增城镇就业2.01万人") is None
    (True, True)
    >>> status_hint("完成计划任务的107%"), status_hint("年内完成10所中小学校新建改扩建项目"), status_hint("aims to add 5,000 jobs")
    ('result', 'plan', 'target')
    >>> status_hint("累计完成投资41.3亿元，占年度计划投资的86.5%"), status_hint("86 percent of its annual target of 45,000")
    ('result', 'result')
    """
    text = _simplified(quote)
    if _ANNOUNCED.search(text):
        return "announced"
    if _DONE_SHARE.search(text) and not re.search(r"年内(?:完成|建成|实现)|将|力争", text):
        return "result"
    if _PLAN.search(text):
        return "plan"
    if _TARGET.search(text) and not _DONE.search(text):
        return "target"
    return None


# the words right before a number that make it the target itself: 全年目标4.5万人, 目标任务为3万人, a full-year goal of 50,000
_TARGET_BEFORE = re.compile(r"(?:(?:全年|年度)(?:目标)?任务|目标任务|目标)(?:为|是|值)?(?:约|达到|达)?$"
                            r"|\b(?:goal|target)s?\s+(?:of|is|was|at)(?:\s+(?:about|around|some))?$", re.I)
# the phrase that names a year's target, whose 全年 is the target's period and not the period of what follows it
TARGET_PHRASE = re.compile(r"(?:全年|年度)(?:目标|任务)(?:任务)?|\b(?:full-year|annual|the year's|yearly) (?:goal|target)s?",
                           re.I)


def figure_status_hint(quote: str, figure: str = "") -> str | None:
    """:func:`status_hint` of the quote, except where the words right before the figure call it the target: a
    target, even where the quote goes on to say what was done of it (完成全年目标4.5万人的76.9%: 4.5万人 is the
    year's target, 76.9% what was done of it).

    >>> figure_status_hint("完成全年目标4.5万人的76.9%", "4.5万人"), figure_status_hint("完成全年目标4.5万人的76.9%", "76.9%")
    ('target', None)
    >>> figure_status_hint("more than half of its full-year goal of 50,000", "50,000")
    'target'
    """
    text = _simplified(quote)
    fig = _simplified(figure) if figure else ""
    if fig and fig in text and _TARGET_BEFORE.search(text[:text.find(fig)].rstrip()):
        return "target"
    return status_hint(quote)


def denominator_of(quote: str) -> str:
    """Return the whole a share is of, as the quote names it (``not_stated`` when it names none).

    >>> denominator_of("民生支出占一般公共预算支出比重为76.7%"), denominator_of("占财政支出比重74.7%")
    ('general_public_budget_spending', 'fiscal_spending')
    >>> denominator_of("the proportion of people's livelihood expenditures in the city is stable at more than 80%")
    'not_stated'
    """
    text = _simplified(quote)
    for value, pattern in _DENOMINATOR:
        if pattern.search(text):
            return value
    return "not_stated"


def scope_hint(quote: str) -> list[str]:
    """Return the scope tokens a quote's own words state, e.g. ``['incl_kindergartens']``.

    >>> scope_hint("新开工中小学(幼儿园)33所"), scope_hint("市人社局開展線上線下就業技能培訓7285人"), scope_hint("新增城镇就业2.01万人")
    (['incl_kindergartens'], ['one_department'], [])
    >>> scope_hint("新开工中小学、幼儿园12所")
    ['incl_kindergartens']
    """
    text = _simplified(quote)
    return [value for value, pattern in _SCOPE if pattern.search(text)]


UNIT_LABEL = {
    "en": {"percent": "%", "percentage_points": "percentage points", "persons": "persons", "posts": "posts",
           "person_times": "person-times", "institutions": "schools / institutions", "yuan": "yuan",
           "seats": "school places", "households": "households", "items": "items", "beds": "beds",
           "km": "km", "m2": "m²", "km2": "km²", "villages": "villages", "events": "events", "times": "times",
           "vehicles": "vehicles", "lines": "lines", "sites": "sites", "sets": "sets", "tons": "tons",
           "years": "years", "months": "months", "age": "years of age", "days": "days", "count": "count",
           "buildings": "buildings", "trees": "trees", "hours": "hours", "minutes": "minutes", "metres": "metres",
           "mu": "mu (亩)", "multiple": "times as much", "usd": "US dollars", "hkd": "Hong Kong dollars",
           "eur": "euros", "gbp": "pounds sterling", "jpy": "yen", "mop": "patacas", "twd": "New Taiwan dollars",
           "unknown": "unit unknown"},
    "zh": {"percent": "%", "percentage_points": "个百分点", "persons": "人", "posts": "个岗位", "person_times": "人次",
           "institutions": "所", "yuan": "元", "seats": "个学位", "households": "户", "items": "项", "beds": "张",
           "km": "公里", "m2": "平方米", "km2": "平方公里", "villages": "个村", "events": "场", "times": "次",
           "vehicles": "辆", "lines": "条", "sites": "处", "sets": "套", "tons": "吨", "years": "年", "months": "个月",
           "age": "岁", "days": "天", "count": "个", "buildings": "栋", "trees": "棵", "hours": "小时", "minutes": "分钟",
           "metres": "米", "mu": "亩", "multiple": "倍", "usd": "美元", "hkd": "港元", "eur": "欧元", "gbp": "英镑",
           "jpy": "日元", "mop": "澳门元", "twd": "新台币元", "unknown": "单位不明"},
}


def unit_label(unit: str, lang: str = "en") -> str:  # every unit of analysis.core.quantities.UNITS has both (test)
    """Say a unit in words: ``person_times`` -> 'person-times' / '人次' (the id itself where no label is set)."""
    return UNIT_LABEL["zh" if lang == "zh" else "en"].get(unit, unit.replace("_", " "))


def join_scope(tokens) -> str:
    """Return scope tokens as the stored string: sorted, unique, ``;``-separated (empty: the whole place)."""
    return ";".join(sorted({t for t in tokens if t}))


def describe(row, lang: str = "en", parts=("denominator", "scope", "unit", "stock_flow")) -> str:
    """Say in words the attributes of a row that decide what it counts: '人次; 含幼儿园' / 'person-times; kindergartens included'."""
    from analysis.metadata.codebook import vocab_label

    words = []
    for part in parts:
        value = str(row.get(part, "") or "")
        if not value or (part == "stock_flow" and value == "flow"):
            continue
        if part == "scope":
            words += [vocab_label("scope", t, lang) for t in value.split(";")]
        elif part == "unit":
            words.append(unit_label(value, lang))
        else:
            words.append(vocab_label(part, value, lang))
    return "; ".join(words)


def key_of(row) -> tuple:
    """Return a row's comparability key (:data:`KEY`)."""
    return tuple(str(row.get(k, "") or "") for k in KEY)


def differences(rows, lang: str = "en") -> list[str]:
    """Return, for each row, the words that say how its key differs from the others' (empty where all agree).

    Only the attributes that vary among ``rows`` are named, so a panel of like-for-like figures says
    nothing extra, and a panel mixing shares of two different wholes names each whole on its bar.
    """
    rows = list(rows)
    varying = [k for k in ("denominator", "scope", "unit", "stock_flow")
               if len({str(r.get(k, "") or "") for r in rows}) > 1]
    out = []
    for r in rows:
        words = describe(r, lang, parts=varying) if varying else ""
        if "denominator" not in varying and str(r.get("denominator", "") or "") == "not_stated":
            words = "; ".join(w for w in (words, describe(r, lang, parts=("denominator",))) if w)
        if "scope" in varying and not str(r.get("scope", "") or ""):
            words = "; ".join(w for w in (words, "no narrower scope stated" if lang == "en" else "未限定范围") if w)
        out.append(words)
    return out
