"""Text rules that hold for every cell the suite writes."""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@")


def formula_like(text) -> bool:
    """True if a spreadsheet would read ``text`` as a formula (it begins with = + - or @)."""
    return isinstance(text, str) and text.startswith(FORMULA_START)


# Characters that reorder or break displayed text (bidi controls, line and paragraph separators): a
# field holding one shows something other than what it stores.
INVISIBLE_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")


def invisible_controls(text) -> list[str]:
    """The bidi and line-separator characters in ``text`` (U+202E, U+2028, ...), as ``U+XXXX`` names."""
    return [f"U+{ord(c):04X}" for c in str(text) if c in INVISIBLE_CONTROLS] if isinstance(text, str) else []


def show_controls(text: str) -> str:
    """``text`` with each bidi or line-separator character replaced by a visible ``[U+202E]`` (for review pages).

    >>> show_controls("abc\u202edef")
    'abc[U+202E]def'
    """
    return "".join(f"[U+{ord(c):04X}]" if c in INVISIBLE_CONTROLS else c for c in text)


def markdown_literal(text) -> str:
    """``text`` as Markdown that renders literally (no HTML, link, emphasis or heading can start in it).

    >>> print(markdown_literal('<img src=x onerror=alert(1)> [a](javascript:b) *c*'))
    &lt;img src=x onerror=alert\\(1\\)&gt; \\[a\\]\\(javascript:b\\) \\*c\\*
    """
    import html
    import re

    s = html.escape("" if text is None else str(text), quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", s)


_ZH_PUNCT = (("; ", "；"), (": ", "："), (", ", "，"), (". ", "。"), ("(", "（"), (")", "）"))


def zh_punctuation(text: str) -> str:
    """Return Chinese prose with the half-width punctuation of a sentence in full width.

    ``", "`` ``"; "`` ``": "`` ``". "`` (with their space) and parentheses become ``，；：。（）``; a comma inside a
    number (20,100), a date (2022-08-09) and a bound sign stay as they are.

    >>> zh_punctuation("临沂: 目标33 (2022年全年, 仅中小学); 5个地方")
    '临沂：目标33（2022年全年，仅中小学）；5个地方'
    """
    out = str(text)
    for a, b in _ZH_PUNCT:
        out = out.replace(a, b)
    return re.sub(r"\s*([（）；：，。])\s*", r"\1", out)


# ﹔ and ﹐ (small forms) are the semicolon and comma of many Traditional pages (達成協議3.31萬人﹔城鎮新增就業7萬人)
_CLAUSE_END = re.compile(r"[，；;。！？!?\n、﹔﹐]|,(?!\d)|(?<!\d),|\.(?=\s|$)")  # 23,600: no end
_SENTENCE_END = re.compile(r"[。！？!?\n；;﹔]|\.(?=\s|$)")
# after an English figure, its clause also ends where the next one starts: "36,000 new urban jobs ... and to keep
# its registered unemployment rate below 4 percent" (the rate's words are not the jobs' words)
# ("chose 12 projects from a ballot of 15": the ballot is the 15's word)
_CLAUSE_END_AFTER = re.compile(r"\s(?:and|while|but|as well as|with|covering|home to|involving|benefiting|benefitting|"
                               r"offering|providing|from)\s", re.I)
_CLAUSE_START_BEFORE = re.compile(r"\s(?:and|while|but)\s", re.I)  # and before an English figure, after another
# a number in digits or English words (\d is any script's digits): where one follows, "and" ends a clause
NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|"
                    r"thousand|million|billion|(?:thir|four|fif|six|seven|eigh|nine)teen|"
                    r"(?:twen|thir|for|fif|six|seven|eigh|nine)ty)\b", re.I)
# "17 of its 32": the number after "of" is the whole the number before it is a part of
_WHOLE_BEFORE = re.compile(rf"(?:{NUMBER.pattern})\s+(?:out\s+)?of\s+(?:the\s+|its\s+|their\s+|these\s+|all\s+)?$", re.I)
# and a verb after that whole is the part's ("13 of the 14 projects had been completed")
_PART_VERB = re.compile(r"\s(?:had|have|has|were|was|are|is|will|would)\s", re.I)


# the pool a figure is chosen from, with its own number (从16个候选项目中, 從16個候選項目中)
_POOL_BEFORE = re.compile(r"[从從][^，。；、从從]*?[0-9０-９一二三四五六七八九十百][^，。；、]*?[中里]")
_YEAR = re.compile(r"(?:19|20)\d\d(?![\d,.%]|\s*(?:yuan|people|persons|households|jobs|places|beds|units|km))", re.I)


def _next_number(text: str, pos: int) -> re.Match | None:
    """The next number in ``text`` after ``pos`` that is not a calendar year ("12 projects for 2023 from a ballot of
    15": the next figure is the 15)."""
    for m in NUMBER.finditer(text, pos):
        if m.start() > 0 and text[m.start() - 1].isdigit():
            continue
        if not _YEAR.match(text, m.start()):
            return m
    return None


def _span(text: str, start: int, end: int, pattern: re.Pattern) -> str:
    left = max((m.end() for m in pattern.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in pattern.finditer(text, end)), len(text))
    return text[left:right]


# a count in a 、 list: digits, or a numeral in characters before a measure word (五所, 十二个)
_ITEM_COUNT = re.compile(r"[0-9０-９]|[一二两三四五六七八九十百千万]+(?:所|个|個|座|家|张|張|套|户|戶|名|人|处|處|条|條|项|項|件|辆|輛|台|场|場|次|公里)")


# an item that opens with its own verb is a deed of its own (加快中小学改扩建、建成幼儿园8所: the 8 were built)
# (matched on the text in Simplified script: :func:`analysis.core.quantities.to_simplified` keeps its length)
_ACTION = re.compile(r"新改扩建|改扩建|扩建|新建|建成|建设|新增|完成|开工|动工|竣工|完工|投入使用|投用|启用|开办|推进|加快|实施|启动")
_VERB_END = re.compile(f"(?:{_ACTION.pattern})+$")


def _only_verbs(item: str) -> bool:
    """An item that is verbs said of the next one (新建, 年内新建), not a deed of its own (加快中小学改扩建)."""
    end = _VERB_END.search(item.strip())
    return bool(end) and not _ACTION.search(item.strip()[:end.start()])


def _with_items_before(text: str, start: int, clause: str) -> str:
    """``clause`` (ending at the figure's clause end) with the 、 items before it that count nothing of their own:
    in 新建、改扩建中小学、幼儿园32所 the 32 are schools and kindergartens, new and expanded. Not where the clause
    opens with a verb of its own after an item that is a deed of its own (加快中小学改扩建、建成幼儿园8所).
    """
    from analysis.core.quantities import to_simplified

    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    while left > 0 and text[left - 1] == "、":
        prev = max((m.end() for m in _CLAUSE_END.finditer(text, 0, left - 1)), default=0)
        if _ITEM_COUNT.search(text, prev, left - 1):
            break
        if _ACTION.match(to_simplified(clause).lstrip()) and not _only_verbs(to_simplified(text[prev:left - 1])):
            break
        clause, left = text[prev:left] + clause, prev
    return clause


def figure_context(text: str, start: int, end: int) -> tuple[str, str]:
    """Return (clause, sentence) of the figure at ``text[start:end]``: the clause ends at a comma, 、 or
    semicolon (a decimal or thousands separator is not an end: the figure itself is skipped), the sentence
    at 。!? ； or a full stop followed by a space.

    Not :func:`analysis.clean.propose.clause_span` (the quote's clauses, which keep ``，1-6月…`` with the
    words before it so that a quote never starts with a bare number) nor the reader's
    ``sentence_around``: a gate reads the figure's own clause, which also ends at 、 and at a comma
    before a digit (in 其中10所幼儿园、24所中小学已竣工 the kindergartens' clause is 其中10所幼儿园, so the
    中小学 of the next count does not rule out ``kindergartens_completed``).

    After an English figure, its clause ends at "and", "while", "but", "with", "covering", "home to", "involving",
    "benefiting" too: the next figure's words are not its words.

    >>> figure_context("It aims at 36,000 new urban jobs and to keep unemployment below 4 percent.", 11, 32)[0]
    'It aims at 36,000 new urban jobs'

    Only where a number follows, and the last such word before it: "and" between two nouns of one figure is not the
    end of its clause. Before an
    English figure, its clause starts after an "and", "while" or "but" that follows another number.

    >>> figure_context("Schools will get nine new or expanded campuses and six kindergartens, adding places.", 51, 54)[0]
    'six kindergartens'

    The whole after "N of" is a figure of its own words: the part's verb is the part's.

    >>> figure_context("Yanlu had completed 17 of its 32 livelihood projects by August.", 30, 32)[0]
    '32 livelihood projects by August'

    >>> figure_context("By May 13 of the 14 projects had been completed.", 17, 19)[0]
    '14 projects'

    >>> figure_context("从16个候选项目中票决产生民生实事项目12项", 19, 22)[0]
    '票决产生民生实事项目12项'

    >>> figure_context("It recruited 390 primary and secondary teachers and plans to hire 260 more.", 13, 16)[0]
    'It recruited 390 primary and secondary teachers'
    >>> figure_context("In all 24 new and expanded schools and kindergartens were planned.", 7, 9)[0]
    'In all 24 new and expanded schools and kindergartens were planned'
    >>> figure_context("社会保障方面，城乡居民基本养老保险新增参保1.38万人，全市参保人数达到246万余人。", 21, 27)
    ('城乡居民基本养老保险新增参保1.38万人', '社会保障方面，城乡居民基本养老保险新增参保1.38万人，全市参保人数达到246万余人')
    >>> figure_context("達成協議3.31萬人﹔城鎮新增就業7萬人", 17, 20)  # ﹔ ends a clause and a sentence
    ('城鎮新增就業7萬人', '城鎮新增就業7萬人')

    A 、 item that counts nothing of its own belongs to the next figure's words; one that counts does not.

    >>> figure_context("年内新建、改扩建中小学、幼儿园32所。", 14, 17)[0]
    '年内新建、改扩建中小学、幼儿园32所'
    >>> figure_context("新建、改扩建中小学9所、幼儿园5所。", 15, 17)[0]
    '幼儿园5所'
    >>> figure_context("加快中小学改扩建、建成幼儿园8所。", 14, 16)[0]
    '建成幼儿园8所'
    """
    clause = _with_items_before(text, start, _span(text, start, end, _CLAUSE_END))
    at = clause.find(text[start:end])
    starts = [m for m in _CLAUSE_START_BEFORE.finditer(clause, 0, max(at, 0)) if NUMBER.search(clause, 0, m.start())]
    if starts:  # "nine ... campuses and six kindergartens": the campuses are the nine's words, not the six's
        clause, at = clause[starts[-1].end():], at - starts[-1].end()
    pool = [m for m in _POOL_BEFORE.finditer(clause, 0, max(at, 0))]
    if pool:  # 从16个候选项目中票决产生12项: the candidates are the 16's words, not the 12's
        clause, at = clause[pool[-1].end():], at - pool[-1].end()
    whole = _WHOLE_BEFORE.search(clause, 0, max(at, 0)) if at > 0 else None
    if whole and whole.end() == at and not re.fullmatch(r"(?:19|20)\d\d", text[start:end]):  # "ten of the 2025 projects":
        # a year; "completed 17 of its 32 projects": the 32 are all the projects, not the completed; in "13 of the 14
        # projects had been completed" the verb after the whole is the part's too
        clause, at = clause[at:], 0
        verb = _PART_VERB.search(clause, end - start)
        clause = clause[:verb.start()] if verb else clause
    # the last of those words before the next number ("390 primary and secondary school teachers in the spring and
    # plans to hire 260": the teachers are the 390's words); none where no number follows ("schools and
    # kindergartens were planned": one figure's words)
    nxt = _next_number(clause, at + (end - start)) if at >= 0 else None
    cut = None
    if nxt:
        cut = next(reversed([m for m in _CLAUSE_END_AFTER.finditer(clause, at + (end - start)) if m.end() <= nxt.start()]),
                   None)
    return (clause[:cut.start()] if cut else clause), _span(text, start, end, _SENTENCE_END)
