"""The codebook (``data/codebook.csv``) and the controlled vocabularies (``data/vocabularies.csv``).

Both are data, read by the schema, the cleaning helpers, the comparisons and the charts alike, so
that what an indicator counts and what each attribute value means is stated once.

- The codebook: one row per indicator: topic, unit(s), English and Chinese label, definition,
  plausible ``min``/``max``, ``part_of``, ``rate_of``, ``measure``, ``stock_flow`` and ``overlaps`` (another
  indicator that counts largely the same things, so that two disagreeing figures are flagged
  ``conflicting_figures``).
  ``measure`` says what kind of number it is: ``level`` (a count or an amount), ``share`` (a part of
  a whole, in percent: every share row must name its ``denominator``), ``rate`` (a stated rate of
  some population, e.g. coverage) or ``change`` (growth, or a change in percentage points).
  ``stock_flow`` is the indicator's default: ``flow`` (done during the period) or ``stock`` (a level
  at the period's end).
  ``requires`` and ``excludes`` gate the indicator by the words around a figure (``|``-separated,
  Simplified or English, matched as parts of words, case-insensitive, Traditional folded to
  Simplified): at least one ``requires`` word must stand in the figure's sentence (one of each group,
  where ``&`` joins groups: a stage and what is counted), and no ``excludes`` word in its clause (:func:`gate`). ``new_urban_jobs`` requires 就业 / job / employ and excludes 参保,
  补贴, 毕业生, 岗位, ...: a pension enrolment is never a new urban job. Empty: no gate. The proposer
  never proposes a gated-out indicator and the rulebook's ``indicator_words`` refuses a row filed
  under one unless its note starts ``indicator:``.
- The vocabularies: one row per allowed value of ``status``, ``denominator``, ``scope`` (tokens),
  ``stock_flow`` and ``flag``, with labels in both languages and a definition; ``per_capita`` says
  whether a scope token still allows dividing by the place's population, ``doubtful`` whether a flag
  marks the figure as doubtful (drawn distinctly, never leading a title).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

from analysis.core.paths import ROOT
from analysis.core.text import NUMBER, formula_like

CODEBOOK_REL = "data/codebook.csv"
VOCABULARIES_REL = "data/vocabularies.csv"
TOPICS = ("spending", "employment", "education", "social_security", "social_assistance", "elderly_care",
          "health", "housing", "culture", "environment", "infrastructure", "governance")
# resident_population is filed under governance: the articles give it as context, not as a livelihood result
# What a topic is called in a chart title (English, Chinese): "Education: 4 measures" where the measures' own
# names would not fit in a title (:func:`analysis.compare.tables.chart_title`).
TOPIC_NAMES = {
    "spending": ("Livelihood spending", "民生支出"), "employment": ("Employment", "就业"), "education": ("Education", "教育"),
    "social_security": ("Social security", "社会保障"), "social_assistance": ("Social assistance", "社会救助"),
    "elderly_care": ("Elderly care", "养老服务"), "health": ("Health", "卫生健康"), "housing": ("Housing", "住房"),
    "culture": ("Culture", "文化"), "environment": ("Environment", "生态环境"), "infrastructure": ("Infrastructure", "基础设施"),
    "governance": ("Governance", "社会治理"),
}
# Topic names in both languages, so that 养老 finds elderly care and "jobs" finds employment.
TOPIC_LABELS = {
    "spending": ("livelihood spending budget", "民生支出 财政 预算"),
    "employment": ("employment jobs work training", "就业 岗位 培训 创业"),
    "education": ("education schools teachers students", "教育 学校 教师 学生 学位"),
    "social_security": ("social security insurance", "社会保障 社保 保险"),
    "social_assistance": ("social assistance relief poverty disabled", "社会救助 低保 救助 残疾"),
    "elderly_care": ("elderly care old age pension nursing", "养老 老年 敬老院 护理"),
    "health": ("health medical hospitals clinics", "卫生 健康 医疗 医院"),
    "housing": ("housing homes communities renovation", "住房 棚改 老旧小区 住房保障"),
    "culture": ("culture films opera", "文化 电影 戏曲"),
    "environment": ("environment sewage water", "环境 污水 饮水"),
    "infrastructure": ("infrastructure roads parks parking", "基础设施 道路 公园 停车"),
    "governance": ("governance government services tasks population", "政务 任务 项目 人口"),
}
MEASURES = ("level", "share", "rate", "change")
VOCAB_FIELDS = ("status", "denominator", "scope", "stock_flow", "flag", "dismissal", "qualifier")


class CodebookError(ValueError):
    """The codebook or a vocabulary is wrong, or a name is not in it; the message names file and row."""


@lru_cache(maxsize=8)
def _read_cached(path: str, mtime: float, kind: str):
    """Read and check a codebook or vocabulary file once per version of it (path and mtime)."""
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    (_check_codebook if kind == "codebook" else _check_vocabularies)(df)
    return df


def _read(root: Path | None, rel_path: str, kind: str):
    path = (Path(root) if root else ROOT) / rel_path
    if not path.exists():
        raise CodebookError(f"{rel_path}: file not found")
    return _read_cached(str(path), path.stat().st_mtime, kind)


def _check_codebook(df) -> None:
    for n, row in enumerate(df.to_dict("records"), start=2):
        where = f"{CODEBOOK_REL} line {n} ({row['indicator']})"
        if row["topic"] not in TOPICS:
            raise CodebookError(f"{where}: unknown topic {row['topic']!r}")
        if row.get("measure") not in MEASURES:
            raise CodebookError(f"{where}: measure {row.get('measure')!r} is not one of {', '.join(MEASURES)}")
        if row.get("stock_flow") not in ("flow", "stock"):
            raise CodebookError(f"{where}: stock_flow {row.get('stock_flow')!r} is not flow or stock")
        for col in ("indicator", "label_en", "label_zh", "definition"):
            if formula_like(str(row.get(col) or "")):
                raise CodebookError(f"{where}: {col} {row[col]!r} starts with {row[col][0]!r}, which a spreadsheet runs "
                                    "as a formula (labels reach the chart bundles and the workbook); write it without the sign")
        if "&" in str(row.get("excludes") or ""):
            raise CodebookError(f"{where}: excludes {row['excludes']!r} holds '&', which only requires may (any excluded "
                                "word rules an indicator out)")
        req = str(row.get("requires") or "")
        if "&" in req and len(gate_groups(req)) != req.count("&") + 1:
            raise CodebookError(f"{where}: requires {req!r} has an empty group around '&'")
    if df["indicator"].duplicated().any():
        raise CodebookError(f"{CODEBOOK_REL}: duplicate indicator {df.loc[df['indicator'].duplicated(), 'indicator'].iloc[0]}")


def _check_vocabularies(df) -> None:
    bad = df[~df["field"].isin(VOCAB_FIELDS)]
    if len(bad):
        raise CodebookError(f"{VOCABULARIES_REL}: unknown field {bad.iloc[0]['field']!r} (expected one of {VOCAB_FIELDS})")
    if df.duplicated(["field", "value"]).any():
        d = df[df.duplicated(["field", "value"])].iloc[0]
        raise CodebookError(f"{VOCABULARIES_REL}: {d['field']} value {d['value']!r} listed twice")
    from analysis.core.quantities import QUALIFIERS

    words = df.loc[df["field"] == "qualifier", "value"].tolist()
    if sorted(words) != sorted(QUALIFIERS):  # the reader's bounds, each with its words (tables, workbook, download)
        raise CodebookError(f"{VOCABULARIES_REL}: the qualifier rows must be exactly {', '.join(QUALIFIERS)} "
                            f"(found {', '.join(words) or 'none'})")


@lru_cache(maxsize=4096)
def _word_at_start(word: str) -> re.Pattern:
    return re.compile(r"(?<![a-z])" + re.escape(word))


def says(word: str, text: str) -> bool:
    """Whether lower-case ``text`` says gate word ``word``: an English word where a word starts ('lag' is not in
    'flagship', 'lift' not in 'facelift'; 'enrol' is in 'enrolments'), a Chinese one anywhere.

    >>> says("lag", "a flagship project"), says("lag", "two projects lag behind"), says("滞后", "进度滞后")
    (False, True, True)
    """
    if word[:1].isascii() and word[:1].isalpha():
        return bool(_word_at_start(word).search(text))
    return word in text


def _last_said(word: str, text: str) -> int:
    """Where ``text`` last says gate word ``word`` (as :func:`says` reads it), -1 if nowhere."""
    if word[:1].isascii() and word[:1].isalpha():
        return max((m.start() for m in _word_at_start(word).finditer(text)), default=-1)
    return text.rfind(word)


def gate_words(cell) -> list[str]:
    """The words of a codebook ``requires`` / ``excludes`` cell, lower-case (``"就业|Job"`` -> ``['就业', 'job']``),
    every group's (:func:`gate_groups`) in one list."""
    return [w for group in gate_groups(cell) for w in group]


def gate_groups(cell) -> list[list[str]]:
    """The groups of a ``requires`` cell: ``&`` joins groups that must each be met, ``|`` the words of one group, any
    of which meets it. A school completed needs a stage and what is counted: ``竣工|completed & 学校|school``
    (a bare "ten projects have been completed" is no school).

    >>> gate_groups("竣工|Completed & 学校|school")
    [['竣工', 'completed'], ['学校', 'school']]
    """
    groups = [[w.strip().lower() for w in part.split("|") if w.strip()] for part in str(cell or "").split("&")]
    return [g for g in groups if g]


# The words that say at which stage a building is (planned, new or expanded, started, under way, completed, in use).
# Items of a 、 list share their list's: 建成中小学五所、幼儿园十二所 says 建成 of the kindergartens too.
_STAGE = re.compile(r"新改扩建|改扩建|扩建|新建|建成|开工|动工|竣工|完工|完成建设|投入使用|投用|启用|开办|在建|计划|规划|"
                    r"施工|封顶|主体|建设中|正在建设|收尾|前期|交付")
_EN_STAGE = re.compile(r"(?<![a-z])(?:complet\w*|finish\w*|start\w*|under way|underway|under construction|open(?:s|ed|ing)?\b|"
                       r"put into use|in use|began|begun|built|plan(?:s|ned|ning)?\b)")
# What became of a figure or what is to become of it (a stage, a recruitment, a plan), as opposed to what it is: the
# words before a figure's clause that name what it counts lend their nouns, not their verbs (已招聘中小学教师390名，
# 秋季计划再招聘260名: the 260 are teachers, not recruited ones)
# what is still to come: a plan (预计年底前全部完成 is no stage a figure is at; 今年将招聘…120名、…300名 says 将 of both)
_TO_COME = re.compile(r"预计|将(?!近)|计划|拟|力争|确保|年内|底前|(?<![a-z])(?:will|expected|due|by the end)")
_DEED = re.compile(f"{_STAGE.pattern}|{_EN_STAGE.pattern}|{_TO_COME.pattern}|招聘|到岗|上岗|补充|目标|序时|滞后|参保|加入|"
                   r"(?<![a-z])(?:hire|hiring|recruit|aim|target|join|sign|on track|on schedule|behind|lag)")
_STAGES_ONLY = re.compile(f"(?:{_STAGE.pattern})+")
# the figure is the whole of a part counted before it ("completed seven of its 15 projects") or after it ("of the 12
# projects promised, five have reached their goals", 30个项目中，28个…)
_PART_BEFORE = re.compile(rf"(?:{NUMBER.pattern})\w*\s+(?:out\s+)?of\s+(?:the\s+|its\s+|their\s+|these\s+|all\s+)?$")
_WHOLE_OPENS = re.compile(r"^\s*(?:of|among|out of)\s+(?:the|its|their|these|all)\s|[\d一二两三四五六七八九十百千万][^，。；]*?(?<!建设|施工|进行|推进|实施|在建)中\s*$")
# a clause that names the whole the figure is a part of: "of the 11 projects planned", 计划新建的12所学校中
_WHOLE_LEAD = re.compile(rf"^\s*(?:of|among|out of)\s+(?:the\s+|its\s+|their\s+|these\s+|all\s+)?(?:{NUMBER.pattern})"
                         r"|[\d一二两三四五六七八九十百千万][^，。；]*?(?<!建设|施工|进行|推进|实施|在建)中\s*$")
_LIST_CLAUSE_END = re.compile(r"[，；;。！？!?\n﹔﹐]|,(?!\d)|(?<!\d),")


@lru_cache(maxsize=4096)  # gate() asks it for every candidate indicator of a figure: one answer per clause
def list_stage(clause: str, sentence: str | None) -> str:
    """The stage words of the nearest item before ``clause`` in its 、 list that states one (else the nearest after
    it), with the bare verbs just before that item (新建、改扩建…), joined by 、 after a 、, where ``clause`` states no
    stage of its own; "" otherwise.

    >>> list_stage("幼儿园5所", "三、新建、改扩建中小学9所、幼儿园5所，新增学位1.26万个")
    '、新建、改扩建'
    >>> list_stage("其中10所幼儿园", "其中10所幼儿园、24所中小学已竣工")
    '、竣工'
    >>> list_stage("幼儿园6所", "已开工中小学10所、幼儿园6所、竣工学校12所")  # the nearest stage, not the next one
    '、开工'
    >>> list_stage("竣工18所", "已开工27所、竣工18所")  # the item's own stage
    ''

    Where the same item stands twice in a sentence, the first is read.
    """
    from analysis.core.quantities import to_simplified

    if not sentence or "、" not in sentence or clause not in sentence:
        return ""
    if _STAGE.search(to_simplified(clause)):
        return ""
    at = sentence.find(clause)
    ends = [m.end() for m in _LIST_CLAUSE_END.finditer(sentence, 0, at)]
    lo = ends[-1] if ends else 0
    nxt = _LIST_CLAUSE_END.search(sentence, at + len(clause))
    items = to_simplified(sentence[lo:(nxt.start() if nxt else len(sentence))]).split("、")
    own = len(to_simplified(sentence[lo:at]).split("、")) - 1  # the index of the item the clause starts in
    if len(items) < 2:
        return ""
    staged = [i for i in range(len(items)) if i != own and _STAGE.search(items[i])]
    before = [i for i in staged if i < own]
    pick = before[-1] if before else next((i for i in staged if i > own), None)
    if pick is None:
        return ""
    first = pick
    while first > 0 and _STAGES_ONLY.fullmatch(items[first - 1].strip()):  # 新建、改扩建中小学9所: 新建 is said of them too
        first -= 1
    words = [m.group() for i in range(first, pick + 1) for m in _STAGE.finditer(items[i])]
    return "、" + "、".join(dict.fromkeys(words))


def gate(row, clause: str, sentence: str | None = None, requires: bool = True) -> str:
    """Why indicator ``row`` (a codebook row) cannot be what a figure counts, from its words; "" if it can.

    ``clause`` is the figure's clause, ``sentence`` its sentence (default: the clause). An ``excludes``
    word in the clause, or a ``requires`` group none of whose words stands in the sentence, rules the indicator out
    (``&`` joins groups that must each be met: a stage and what is counted). ``requires=False`` checks the excluded
    words only (the rulebook: a row's quote may be shorter than its sentence, so it cannot be held to words the
    sentence holds).

    What the words around the clause say of the figure (:func:`_words_of`):

    - an item of a 、 list without a stage word of its own (幼儿园5所 in 新建、改扩建中小学9所、幼儿园5所) is read
      with the stage words its list states (:func:`list_stage`): new and expanded kindergartens are not started;
    - a clause after it that says "all of them" (新建学校9所，全部投入使用) is read with it, unless it is still to
      come (预计年底前全部完成);
    - the sentence read for ``requires`` leaves out the next figure's own clause (:func:`_said_of`);
    - where a group is met only before the clause (what it counts is named there), the excluded words of the clause
      that names it rule the indicator out too, except what became of it (a stage, a recruitment, a plan: :data:`_DEED`):
      "two have been completed" of "the 18 schools and kindergartens planned" are no kindergartens alone.

    >>> book = load_codebook().set_index("indicator")
    >>> gate(book.loc["new_urban_jobs"], "城乡居民基本养老保险新增参保2.12万人")
    "the clause says '参保', which new_urban_jobs excludes"
    >>> gate(book.loc["new_urban_jobs"], "城镇新增就业2.01万人")
    ''
    >>> gate(book.loc["kindergartens_completed"], "two have been completed",
    ...      "work has started on 14 of the 18 schools and kindergartens planned, and two have been completed")
    "the words before the clause that name what it counts say 'schools and kindergartens', which kindergartens_completed excludes"
    >>> gate(book.loc["schools_planned"], "six primary schools", "Of the 11 projects planned, six primary schools opened")
    "the words before the clause that say 'plan' are said of the whole it is part of, and its own words say another stage"
    >>> gate(book.loc["schools_planned"], "幼儿园12所", "今年计划新建的30所学校中，幼儿园12所")
    ''
    >>> gate(book.loc["livelihood_projects_completed"], "15 livelihood projects", "it completed seven of its 15 livelihood projects")
    "the figure is the whole that a part of it is counted from: livelihood_projects_completed's stage is the part's"
    """
    name = getattr(row, "name", "") or row.get("indicator", "")
    text, around, lead = _words_of(clause, sentence)
    excludes = gate_words(row.get("excludes"))
    hit = next((w for w in excludes if says(w, text)), None)
    if hit:
        return f"the clause says {hit!r}, which {name} excludes"
    lent = []  # groups met only before the clause: what it counts is named there
    whole = bool(_PART_BEFORE.search(lead) or _WHOLE_OPENS.search(text))
    for need in gate_groups(row.get("requires")) if requires else []:
        if not any(says(w, around) for w in need):
            return f"the sentence has none of the words {name} requires ({', '.join(need)})"
        if not any(says(w, text) for w in need):
            if whole and any(_DEED.search(w) for w in need):  # "completed seven of its 15 projects": the seven's stage
                return f"the figure is the whole that a part of it is counted from: {name}'s stage is the part's"
            lent.append(need)
    for need in lent if lead else []:
        where, word = max((_last_said(w, lead), w) for w in need)
        if where < 0:
            continue
        ends = [m.end() for m in _LIST_CLAUSE_END.finditer(lead, 0, where)]
        nxt = _LIST_CLAUSE_END.search(lead, where)
        named = lead[ends[-1] if ends else 0:nxt.start() if nxt else len(lead)]
        if _DEED.search(word):  # a plan word lent (今年将招聘…120名、…300名) names nothing counted
            rest = text + around[len(lead):]
            if _WHOLE_LEAD.search(named) and (_STAGE.search(rest) or _EN_STAGE.search(rest)):
                return (f"the words before the clause that say {word!r} are said of the whole it is part of, and its own "
                        "words say another stage")
            continue
        # what it is, not what became of it: 其中已完工96个 is not ruled out by its whole's 开工
        hit = next((w for w in excludes if says(w, named) and not _DEED.search(w)), None)
        if hit:
            return f"the words before the clause that name what it counts say {hit!r}, which {name} excludes"
    return ""


@lru_cache(maxsize=4096)  # gate() asks for every candidate indicator of a figure: one answer per clause
def _words_of(clause: str, sentence: str | None) -> tuple[str, str, str]:
    """(text, around, lead) for :func:`gate`, lower-case Simplified: the clause with its list's stage and an "all of
    them" clause after it; the sentence as said of the figure, with the list's stage; the sentence before the clause."""
    from analysis.core.quantities import to_simplified

    own = to_simplified(clause).lower()
    stage = list_stage(clause, sentence) + _list_plan(own, to_simplified(sentence or "").lower())
    around = _said_of(own, to_simplified(sentence if sentence is not None else clause).lower())
    at = around.find(own)
    tail = _ALL_OF_THEM.match(around, at + len(own)) if at >= 0 else None
    if tail and _TO_COME.search(tail.group()):  # 预计年底前全部完成: what is to come is no stage it is at
        tail = None
    return own + stage + (tail.group() if tail else ""), around + stage, around[:at] if at > 0 else ""


def _list_plan(clause: str, sentence: str) -> str:
    """The plan words the head of the 、 list a clause ends stands in says of every item, where the clause says none of
    its own ("、将" for 中小学教师300名 in 今年将招聘幼儿园教师120名、中小学教师300名); "" otherwise.

    >>> _list_plan("中小学教师300名", "今年将招聘幼儿园教师120名、中小学教师300名")
    '、将'
    >>> _list_plan("中小学教师300名", "已招聘幼儿园教师120名、中小学教师300名")
    ''
    """
    at = sentence.find(clause)
    if at <= 0 or sentence[at - 1] != "、" or _TO_COME.search(clause):
        return ""
    ends = [m.end() for m in _LIST_CLAUSE_END.finditer(sentence, 0, at)]
    run = sentence[ends[-1] if ends else 0:at]
    first = NUMBER.search(run)
    words = _TO_COME.findall(run[:first.start()] if first else run)
    return "、" + "、".join(dict.fromkeys(words)) if words else ""


# a clause that says what became of all of the figure before it: 全部投入使用, 均已竣工, "all of them now open"
_ALL_OF_THEM = re.compile(r"[，,]\s*[^，,；;。、\d]{0,6}?(?:已|并|目前|现已)?(?:全部|全都|悉数|均已|均将|均于|均在|均按|均为|都已|都将)[^，,；;。]*|"
                          r",\s*all of (?:them|which)[^,;.]*")


# a date or a year is no figure (全部于9月1日前投入使用, "all open by 2024")
_DATE = re.compile(r"\d+\s*(?:年|月|日|号|號)|(?:19|20)\d\d(?!\d)(?!\s*(?:[万萬亿億]|个|個|人|所|名|元|户|戶|张|張|套|项|項|件))")


# where an English figure's words end before the next figure's: "390 teachers in the spring and plans to hire 260"
# (fewer words than figure_context's clause ends: "communities, home to 15,800 households" is said of the communities)
_NEXT_FIGURE = re.compile(r"\s(?:and|while|but|as well as|with)\s")


_A_PART = re.compile(r"[\w,.]+\s+(?:of (?:them|which|these|those)|among them)\b")


def _said_of(clause: str, sentence: str) -> str:
    """The part of ``sentence`` that speaks of the figure of ``clause``: all of it but the clause after the figure's
    that holds the next figure, where that clause has words of its own before its number ("plans to hire 260" is not
    said of the 390 recruited; 均已竣工 after 3所 is; "and six kindergartens are to be built" is said of both).

    >>> _said_of("recruited 390 teachers", "recruited 390 teachers in spring and plans to hire 260 more")
    'recruited 390 teachers in spring'
    >>> _said_of("新建学校3所", "新建学校3所，均已竣工")
    '新建学校3所，均已竣工'
    >>> _said_of("新建学校3所", "新建学校3所，均已竣工，新增学位900个")
    '新建学校3所，均已竣工'
    >>> _said_of("新建学校6所", "新建学校6所，均于9月1日前投入使用")  # a date is no figure
    '新建学校6所，均于9月1日前投入使用'
    >>> _said_of("ten schools", "ten schools and six kindergartens are to be built")  # what both are
    'ten schools and six kindergartens are to be built'
    >>> _said_of("520 beds were added", "520 beds were added, 310 of them nursing beds")
    '520 beds were added'
    >>> _said_of("860 beds were added in care homes", "860 beds were added in care homes while 300 home care beds were set up")
    '860 beds were added in care homes'
    """
    at = sentence.find(clause)
    if at < 0:
        return sentence
    end = at + len(clause)
    nxt = next((m for m in NUMBER.finditer(sentence, end) if not _DATE.match(sentence, m.start())
                and not (m.start() and sentence[m.start() - 1].isdigit())), None)
    if not nxt:
        return sentence
    cuts = [(m.start(), m.end()) for m in _LIST_CLAUSE_END.finditer(sentence, end, nxt.start())]
    cuts += [(m.start(), m.end()) for m in _NEXT_FIGURE.finditer(sentence, end, nxt.start())]
    if not cuts:
        return sentence
    cut, after = max(cuts)
    # "... schools and six kindergartens are to be built", "8.9 billion yuan, 79.2 percent of its budget": shared words;
    # not after "while" or "but", nor where the next figure is a part ("520 beds were added, 310 of them nursing beds")
    if not sentence[after:nxt.start()].strip() and not re.search(r"while|but", sentence[cut:after]) \
            and not _A_PART.match(sentence, nxt.start()):
        return sentence
    return sentence[:cut]


def load_codebook(root: Path | None = None):
    """Return the indicator codebook: indicator, topic, unit(s), labels, definition, range, measure, stock_flow."""
    return _read(root, CODEBOOK_REL, "codebook").copy()


def load_vocabularies(root: Path | None = None):
    """Return the controlled vocabularies: field, value, label_en, label_zh, definition, per_capita, doubtful."""
    return _read(root, VOCABULARIES_REL, "vocabularies").copy()


def vocabulary(field: str, root: Path | None = None) -> list[str]:
    """Return the allowed values of one attribute, in the file's order.

    >>> vocabulary("status")
    ['result', 'target', 'plan', 'announced']
    """
    df = _read(root, VOCABULARIES_REL, "vocabularies")
    return df.loc[df["field"] == field, "value"].tolist()


def vocab_label(field: str, value: str, lang: str = "en", root: Path | None = None) -> str:
    """Return the label of a vocabulary value in English or Chinese (the value itself if unlabelled)."""
    df = _read(root, VOCABULARIES_REL, "vocabularies")
    hit = df[(df["field"] == field) & (df["value"] == value)]
    return hit.iloc[0]["label_zh" if lang == "zh" else "label_en"] if len(hit) else value


def require_choice(value, choices, name: str):
    """Return ``value`` if it is one of ``choices``; raise ``ValueError`` naming them otherwise (lang, metric, ...).

    >>> require_choice("fr", ("en", "zh"), "lang")
    Traceback (most recent call last):
    ...
    ValueError: lang='fr': one of 'en', 'zh'
    """
    if value not in choices:
        raise ValueError(f"{name}={value!r}: one of {', '.join(repr(c) for c in choices)}")
    return value


def require_known(names, known, what: str = "indicator") -> list[str]:
    """Return ``names`` as a list; raise :class:`KeyError` naming the closest known names for any that is unknown.

    >>> require_known(["new_urban_job"], ["new_urban_jobs", "startup_loans"])
    Traceback (most recent call last):
    ...
    KeyError: "unknown indicator 'new_urban_job'; did you mean: new_urban_jobs?"
    """
    names = [names] if isinstance(names, str) else list(names)
    known = list(known)
    if not names:
        raise ValueError(f"no {what} given: name at least one ({', '.join(known[:6])}{', ...' if len(known) > 6 else ''}; "
                         f"see {CODEBOOK_REL})")
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            hint = f"; did you mean: {', '.join(close)}?" if close else f"; see {CODEBOOK_REL}"
            raise KeyError(f"unknown {what} {name!r}{hint}")
    return names
