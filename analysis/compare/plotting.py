"""One house style for every chart: a short title that names what every panel measures, a subtitle with the
places, periods and statuses, units on the axis, a source note,
results solid and targets hatched, bounds drawn as bounds, English or Chinese by one parameter.

Made to be printed 16 cm wide (:data:`WIDTH_CM`): no text smaller than 8 pt there, PNG at 250 dpi.
Compact by default: places that report nothing are named in one line under a panel, a panel that
would hold one bar is a sentence (``compact=False`` keeps the earlier layout). Every saved chart
carries its title, description and source note in its PNG and SVG metadata and has a data bundle
beside it (``<name>.csv``: exactly the rows drawn; ``<name>.json``: title, units, citation, sources,
licence). :func:`charts` writes nothing unless given a folder; :func:`show` embeds a small PNG in a
notebook, from a :class:`Chart`, a figure or a PNG path in any folder.

Fonts: a system Noto Sans CJK SC / Source Han Sans SC where the machine has one, otherwise the SC
face ("Noto Sans CJK SC", Simplified forms; index 2) of the OFL-1.1 ``NotoSansCJK-Regular.ttc`` that
the ``noto-cjk-sans-otc`` package ships (licence: ``LICENSES/OFL-1.1.txt``). It covers Simplified and
Traditional characters. It is registered when this module is imported and appended to
``font.family`` as a glyph fallback, so a researcher's own ``plt.show()`` renders Chinese too.
SVGs embed glyph outlines (``svg.fonttype = path``), so they render without the font installed, and
use a fixed ``svg.hashsalt`` and no date, so that re-running gives the same file. Text widths for
wrapping and for the room beyond the largest bar are measured in these fonts (:func:`text_width`),
without drawing.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.compare.tables import BOUND
from analysis.core.fonts import cjk_font
from analysis.core.paths import FIGURES
from analysis.metadata.comparability import unit_label

RESULT = "#1f5f8b"
TARGET = "#c45a1a"
ANNOUNCED = "#7b5ea7"
GREY = "#6b6b6b"
DOUBTFUL = "#d9d9d9"
# status -> (edge colour, fill, hatch): results solid, everything not a result hollow and hatched
STATUS_STYLE = {"result": (RESULT, RESULT, None), "target": (TARGET, "white", "////"),
                "plan": (TARGET, "white", "...."), "announced": (ANNOUNCED, "white", "xxx")}
TEXT = {
    "en": {"not reported": "not reported", "no population": "no population figure", "doubtful": "doubtful",
           "source": "Source", "machine_translation": " (English machine translation)", "per_10k": "per 10,000 residents", "scope": "its scope is not the whole place",
           "bound": "open bound (at least / more than)", "census": "Population: 2020 census, another cited official figure, or as a place's own article states it",
           "doubtful legend": "doubtful (?, reason below)", "no per capita": "no per-capita figure",
           "nobody": "no place reports it", "sep": ", ",
           "rate": "a share or rate: not divided by population"},
    "zh": {"not reported": "未报告", "no population": "无人口数据", "doubtful": "存疑",
           "source": "来源", "machine_translation": "（英文机器翻译）", "per_10k": "每万常住人口", "scope": "统计范围非全域",
           "bound": "开区间（不少于／超过）", "census": "人口：2020年第七次人口普查、所引统计数据或该地报道所述",
           "doubtful legend": "存疑（?，原因见下）", "no per capita": "无人均数据", "nobody": "无地方报告", "sep": "、",
           "rate": "比例或比率，不按人口折算"},
}


cjk_font()  # registered at import (and by `import analysis` when matplotlib is imported): plt.show() renders Chinese


def style() -> dict:
    """Return the house rcParams (seaborn's whitegrid plus our font, sizes and stable SVG output)."""
    import seaborn as sns

    rc = dict(sns.axes_style("whitegrid"))
    rc.update({
        # the families by name, not the generic "sans-serif": a text keeps them when drawn outside this style
        # (a figure shown inline or saved with its own savefig); the same fonts in the same order as before
        "font.family": [cjk_font(), "DejaVu Sans"], "font.sans-serif": [cjk_font(), "DejaVu Sans"],
        "axes.unicode_minus": False,
        "font.size": 8, "axes.titlesize": 9, "axes.titleweight": "normal", "axes.labelsize": 8,
        "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 8, "svg.fonttype": "path",
        "svg.hashsalt": "minsheng", "savefig.dpi": DPI, "figure.dpi": 100, "axes.edgecolor": "#bbbbbb", "grid.color": "#e5e5e5",
    })
    return rc


WIDTH_CM = 16.0  # the width a report prints a chart at: every text is at least MIN_PT there
WIDTH_IN = WIDTH_CM / 2.54
MIN_PT = 8.0
DPI = 250  # 1575 px across: sharp at 16 cm
DISPLAY_WIDTH_PX = 760  # the small PNG a notebook embeds (about 120 dpi on screen)
_L, _R = 0.10, 0.10  # side margins, inches
_LINE = MIN_PT * 1.32 / 72  # one line of 8 pt text, inches
_BAR = 0.17  # bar thickness, inches
_AXIS_BELOW = 0.34  # tick labels and the unit label under a panel, inches


@lru_cache(maxsize=4096)
def _token_width(token: str, size: float) -> float:
    """Width in inches of a piece of text in the house fonts (CJK face with DejaVu Sans), without drawing."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family=[cjk_font(), "DejaVu Sans"], size=size)
    return text_to_path.get_text_width_height_descent(token, prop, ismath=False)[0] / 72


def text_width(text: str, size: float = MIN_PT) -> float:
    """Width in inches of one line of text (sum of its tokens' widths: kerning between tokens is ignored)."""
    return sum(_token_width(tok, size) for tok in _tokens(text))


def _tokens(text: str) -> list[str]:
    import re

    # a CJK character is a token of its own (a line may break after it); other text breaks after a space
    return re.findall(r"[^\s\u2e80-\u9fff\uf900-\uffef]+[\u2e80-\u9fff\uf900-\uffef]?\s*|[\u2e80-\u9fff\uf900-\uffef]|\s+", text)


_NO_LINE_START = set(")]）】,，.。;；:：、!！?？%")  # closing punctuation stays with what it closes


def wrap(text: str, width_in: float, size: float = MIN_PT) -> str:
    """Wrap text (English, Chinese or mixed) to ``width_in`` inches at ``size`` points, measured in the house fonts."""
    out = []
    for para in str(text).split("\n"):
        line, w = "", 0.0
        for tok in _tokens(para):
            tw = _token_width(tok, size)
            if line and w + _token_width(tok.rstrip(), size) > width_in and tok[0] not in _NO_LINE_START:
                out.append(line.rstrip())
                line, w = tok.lstrip(), _token_width(tok.lstrip(), size)
            else:
                line, w = line + tok, w + tw
        out.append(line.rstrip())
    return "\n".join(out)


def source_note(source_ids, lang: str = "en", extra: str = "", root: Path | None = None) -> str:
    """Return the note under a chart naming the articles (outlet in the chart's language, date) and the population source."""
    from analysis.compare.tables import LANGS
    from analysis.metadata.codebook import require_choice

    require_choice(lang, LANGS, "lang")
    from analysis.compare.publish import source_list

    t = TEXT[lang]
    parts = [f"{s['city']}: {s['outlet']}" + (t["machine_translation"] if s["machine_translation"] else "")
             + f", {s['published']}" for s in source_list(source_ids, lang, root)]
    note = f"{t['source']}: " + "; ".join(parts) + (f". {extra}" if extra else "")
    from analysis.core.text import zh_punctuation

    return zh_punctuation(note) if lang == "zh" else note


POPULATION_GAP_YEARS = 3  # a figure this many years or more from its population's reference year says so


def population_gap(r) -> tuple[int, int] | None:
    """(figure year, population year) of a per-capita row whose years are :data:`POPULATION_GAP_YEARS` or more
    apart, else None.

    >>> population_gap({"period_id": "2013", "population_date": "2020-11-01", "per_10k": 3.2})
    (2013, 2020)
    >>> population_gap({"period_id": "2022-H1", "population_date": "2020-11-01", "per_10k": 3.2}) is None
    True
    """
    try:
        fy, py = int(str(r["period_id"])[:4]), int(str(r["population_date"])[:4])
    except (KeyError, ValueError, TypeError):
        return None
    if pd.isna(r.get("per_10k")):
        return None
    return (fy, py) if abs(fy - py) >= POPULATION_GAP_YEARS else None


def _row_label(r, lang: str) -> str:
    sep = " · "
    if r["status_id"] == "not reported":
        return f"{r['place']} ({r['level']})"
    label = f"{r['place']} ({r['level']}){sep}{r['period']}{sep}{r['status']}"
    return label + (f"{sep}{r['differs']}" if r.get("differs") else "")


def _doubt_reason(r, lang: str) -> str:
    """The reason of a doubtful row, for the note under the chart, in words: each flag's label from the
    vocabulary ("ten times its siblings", "doubtful translation"), never a flag id or a check's arithmetic
    (the row's note in the bundle and :func:`analysis.provenance` keep the details)."""
    from analysis.compare.tables import doubtful_flags
    from analysis.metadata.codebook import vocab_label

    flags = [f for f in str(r["flags"]).split(";") if f in doubtful_flags()]
    words = ("; " if lang == "en" else "、").join(vocab_label("flag", f, lang) for f in flags)
    return f"? {r['place']}, {r['indicator']}: {words}" if lang == "en" else f"? {r['place']}，{r['indicator']}：{words}"


def _no_value_reason(r, t: dict) -> str:
    """Why a reported figure has no per-capita value (the words of :func:`analysis.compare.tables.per_capita`'s note)."""
    note = str(r.get("per_10k_note", ""))
    if note.startswith("a share or rate"):
        return t["rate"]
    return t["no population"] if note in ("", "no population figure") else t["scope"]


def _value_words(r, metric: str, lang: str) -> str:
    """A drawn figure in words for a sentence: '3.9 pp', '20,100 persons', '70.1 school places per 10,000 residents'."""
    unit = r["unit"]
    rate = unit in ("percent", "percentage_points")
    if metric == "per_10k":
        v = f"{BOUND.get(r['qualifier'], '')}{r['per_10k']:,.1f}"
        return f"{v} {unit_label(unit, lang)} {TEXT[lang]['per_10k']}" if lang == "en" else f"{v}{unit_label(unit, lang)}/万常住人口"
    if rate:
        return r["as_said"]
    return f"{r['as_said']} {unit_label(unit, lang)}" if lang == "en" else f"{r['as_said']}{unit_label(unit, lang)}"


def panel_sentence(p: dict, metric: str, lang: str) -> str:
    """One sentence for a panel that would hold one bar or none: who reports it, what, when, as what."""
    t = TEXT[lang]
    ind, drawn, no_value = p["indicator"], p["drawn"], p["no_value"]
    word = t["no per capita"]
    without = "; ".join(f"{r['place']} ({_no_value_reason(r, t)})" for _, r in no_value.iterrows())
    if len(drawn) == 1:
        r = drawn.iloc[0]
        what = _value_words(r, metric, lang)
        extra = f", {r['differs']}" if r["differs"] else ""
        doubt = f" (? {t['doubtful']})" if r["doubtful"] else ""
        s = (f"{ind}: only {r['place']} ({r['level']}) reports it: {what}{doubt} ({r['status']}, {r['period']}{extra})"
             if lang == "en" else f"{ind}: 仅{r['place']}({r['level']})报告: {r['status']}{what}{doubt}({r['period']}{extra})")
        if without:
            s += f". {word[0].upper() + word[1:] if lang == 'en' else word}: {without}"
        return s
    if without:
        return f"{ind}: {word}: {without}"
    return f"{ind}: {t['nobody']}"


def _panels(table: pd.DataFrame, metric: str, compact: bool) -> list[dict]:
    """Split a comparison table into panels: rows drawn as bars, rows without a value, places that report nothing."""
    col = metric if metric in table else "value"
    panels = []
    for g in dict.fromkeys(table["indicator"]):
        sub = table[table["indicator"] == g].reset_index(drop=True)
        reported = sub[sub["status_id"] != "not reported"]
        panels.append({"indicator": g, "sub": sub, "drawn": reported[reported[col].notna()],
                       "no_value": reported[reported[col].isna()], "missing": sub[sub["status_id"] == "not reported"]})
    any_pair = any(len(p["drawn"]) >= 2 for p in panels)
    for p in panels:  # a panel of one bar says less than a sentence; unless no panel would be left to draw
        p["as_panel"] = (not compact) or len(p["drawn"]) >= 2 or (not any_pair and len(p["drawn"]) == 1)
    return panels


def comparison_chart(table: pd.DataFrame, title: str | None = None, lang: str = "en", metric: str = "value",
                     note: str = "", root: Path | None = None, compact: bool = True, subtitle: str | None = None):
    """Draw one panel per indicator of a :func:`analysis.compare.tables.comparison_table`; return the figure.

    ``metric`` is ``value`` (absolute) or ``per_10k``. Results are solid bars; targets, plans and
    announcements hollow and hatched (each its own hatch); an open bound (at least, more than) ends
    in an arrowhead and its label keeps the sign; a doubtful (flagged) figure is grey with a dashed
    edge and a "?", its reason in the note; where the rows of a panel count different things
    (denominator, scope, unit), each row's label says how. Each row's label stands above its bar.

    ``compact`` (the default): the places that report nothing for a panel are named in one line under
    it, and so are those without a per-capita figure; an indicator that would be a panel of one bar
    (or none) is one sentence under the panels instead (unless no panel of two bars or more is left).
    ``compact=False`` keeps the earlier layout: every place has a row, *not reported* written where a
    bar would be, and every indicator its panel.

    ``title`` (default :func:`analysis.compare.tables.chart_title`: what every panel measures, at most
    80 characters) and ``subtitle`` (default :func:`analysis.compare.tables.chart_subtitle`: places,
    periods, statuses, and whether a panel's bars are like for like) stand above the panels. Chinese
    charts take Chinese punctuation (:func:`analysis.core.text.zh_punctuation`).

    The figure is 16 cm wide and no text is smaller than 8 pt. Each bar's ``gid`` is
    ``place|indicator|status|period|doubtful-or-ok`` (kept in the SVG). ``fig.minsheng`` holds what
    :func:`save` writes beside the chart: the title, a description (:func:`analysis.compare.tables.summary`),
    the source note, and the rows drawn (bars and sentences), for the chart's data bundle.
    """
    from analysis.compare.tables import LANGS, VALUE_METRICS
    from analysis.metadata.codebook import require_choice

    require_choice(lang, LANGS, "lang")
    require_choice(metric, VALUE_METRICS, "metric")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from analysis.compare.tables import chart_subtitle, summary
    from analysis.compare.tables import chart_title as table_title  # not this module's chart_title (a file's title)
    from analysis.core.text import zh_punctuation

    P = zh_punctuation if lang == "zh" else str  # noqa: N806 - the chart's punctuation, applied to every text
    t = TEXT[lang]
    title = P(table_title(table, metric, lang) if title is None else title)
    subtitle = P(chart_subtitle(table, metric, lang) if subtitle is None else subtitle)
    col = metric if metric in table else "value"
    panels = _panels(table, metric, compact)
    aw = WIDTH_IN - _L - _R  # axes width, inches
    doubts, drawn_rows, blocks = [], [], []
    y = 0.10  # inches from the top
    title_raw = title
    title = wrap(" ".join(str(title).split()), aw, 10.5)
    y_title = y
    y += (title.count("\n") + 1) * 10.5 * 1.3 / 72 + 0.04
    subtitle_raw = " ".join(str(subtitle).split())
    subtitle = wrap(subtitle_raw, aw) if subtitle_raw else ""
    y_subtitle = y
    y += ((subtitle.count("\n") + 1) * _LINE + 0.06) if subtitle else 0.06
    for p in panels:  # in the table's order: a panel, or one sentence where a panel of one bar (or none) would be
        if not p["as_panel"]:
            text = wrap("• " + P(panel_sentence(p, metric, lang)), aw)
            blocks.append({"p": p, "sentence": text, "y": y})
            y += (text.count("\n") + 1) * _LINE + 0.10
            continue
        rows = p["drawn"] if compact else p["sub"]
        labels = [wrap(P(_row_label(r, lang)), aw) for _, r in rows.iterrows()]
        heights = [(lab.count("\n") + 1) * _LINE + _BAR + 0.07 for lab in labels]
        under = []
        if compact and len(p["missing"]):
            under.append(f"{t['not reported'].capitalize() if lang == 'en' else t['not reported']}: "
                         + t["sep"].join(dict.fromkeys(p["missing"]["place"])))
        if compact and len(p["no_value"]):
            under.append(f"{t['no per capita'][0].upper() + t['no per capita'][1:]}: " + "; ".join(f"{r['place']} ({_no_value_reason(r, t)})"
                                                                for _, r in p["no_value"].iterrows()))
        under_txt = wrap(P("\n".join(under)), aw) if under else ""
        blocks.append({"p": p, "rows": rows, "labels": labels, "heights": heights, "top": y + 9 * 1.3 / 72 + 0.03,
                       "under": under_txt, "y_title": y})
        axh = sum(heights) + 0.03
        y = blocks[-1]["top"] + axh + _AXIS_BELOW
        if under_txt:
            y += (under_txt.count("\n") + 1) * _LINE + 0.03
        y += 0.14
    # legend: real swatches in the bars' colours, for what the chart draws
    handles, names = _legend_items(panels, t, lang, metric)
    widths = [text_width(n) + 0.36 for n in names]
    ncol = len(names)
    while ncol > 1 and sum(sorted(widths, reverse=True)[:ncol]) > aw:
        ncol -= 1
    legend_rows = -(-len(names) // ncol) if names else 0
    y_legend = y
    y += legend_rows * 0.21 + (0.06 if names else 0)
    for p in panels:
        for _, r in (p["drawn"] if p["as_panel"] or len(p["drawn"]) else p["drawn"]).iterrows():
            if r["doubtful"]:
                doubts.append(_doubt_reason(r, lang))
    foot = source_note(table["source_id"], lang, extra=(t["census"] if metric == "per_10k" else ""), root=root)
    if metric == "per_10k":  # a figure far from its population's year says so: 2013 figure, 2020 population
        for p in panels:
            for _, r in p["drawn"].iterrows():
                gap = population_gap(r)
                if gap:
                    doubts.append(f"{r['place']}: {gap[0]} figure, {gap[1]} population" if lang == "en"
                                  else f"{r['place']}: {gap[0]}年数据, {gap[1]}年人口")
    for line in dict.fromkeys(doubts):
        foot += "\n" + line
    if note:
        foot += f"\n{note}"
    foot = P(foot)
    foot_raw, foot = foot, wrap(foot, aw)
    y_foot = y
    y += (foot.count("\n") + 1) * _LINE + 0.08
    height = y

    def fy(inches):  # inches from the top -> figure fraction
        return 1 - inches / height

    with plt.rc_context(style()):
        fig = plt.figure(figsize=(WIDTH_IN, height))
        fig.text(_L / WIDTH_IN, fy(y_title), title, ha="left", va="top", fontsize=10.5, color="#111111")
        if subtitle:
            fig.text(_L / WIDTH_IN, fy(y_subtitle), subtitle, ha="left", va="top", fontsize=MIN_PT, color="#444444")
        for b in blocks:
            if "sentence" in b:
                fig.text(_L / WIDTH_IN, fy(b["y"]), b["sentence"], ha="left", va="top", fontsize=MIN_PT, color="#222222")
                continue
            p, rows = b["p"], b["rows"]
            fig.text(_L / WIDTH_IN, fy(b["y_title"]), p["indicator"], ha="left", va="top", fontsize=9, color="#333333")
            axh = sum(b["heights"]) + 0.03
            ax = fig.add_axes((_L / WIDTH_IN, fy(b["top"] + axh), aw / WIDTH_IN, axh / height))
            units = list(dict.fromkeys(u for u in rows["unit"] if u)) or list(dict.fromkeys(u for u in p["sub"]["unit"] if u))
            vals = [v for v in rows[col] if pd.notna(v)]
            top = max(vals or [1.0])
            # room beyond the largest bar: just enough for each bar's label (and arrowhead), measured
            xmax = top * 1.02
            texts = []
            for _, r in rows.iterrows():
                v = r[col]
                if pd.isna(v):
                    texts.append("")
                    continue
                label = r["as_said"] if metric == "value" else f"{BOUND.get(r['qualifier'], '')}{v:,.1f}"
                if len(units) > 1:
                    label += " " + unit_label(r["unit"], lang)
                if r["doubtful"]:
                    label += f"  (? {t['doubtful']})"
                texts.append(label)
                need = text_width(" " + label) + 0.06 + (0.22 if r["qualifier"] in ("at_least", "more_than") else 0)
                xmax = max(xmax, v * aw / max(aw - need, aw * 0.3))
            per_in = xmax / aw  # data units per inch
            yy = 0.02
            for (_, r), lab, h, label in zip(rows.iterrows(), b["labels"], b["heights"], texts, strict=True):
                ax.text(0, yy, lab, transform=ax.get_yaxis_transform(), ha="left", va="top", fontsize=MIN_PT,
                        color="#222222", zorder=3, bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
                yc = yy + (lab.count("\n") + 1) * _LINE + _BAR / 2 + 0.01
                yy += h
                v = r[col]
                if pd.isna(v):
                    reason = t["not reported"] if r["status_id"] == "not reported" else _no_value_reason(r, t)
                    ax.text(0, yc, reason, va="center", ha="left", color=GREY, style="italic", fontsize=MIN_PT)
                    continue
                edge, fill, hatch = STATUS_STYLE.get(r["status_id"], STATUS_STYLE["target"])
                doubtful = bool(r.get("doubtful", False))
                if doubtful:
                    edge, fill = GREY, DOUBTFUL
                bar = ax.barh(yc, v, height=_BAR, color=fill, edgecolor=edge, hatch=hatch, linewidth=1.0,
                              linestyle="--" if doubtful else "-")
                for patch in bar.patches:
                    patch.set_gid(bar_id(r))
                drawn_rows.append({**r.to_dict(), "drawn_as": "bar", "plotted_value": v})
                x_text = v + 0.05 * per_in
                if r["qualifier"] in ("at_least", "more_than"):
                    ax.annotate("", xy=(v + 0.2 * per_in, yc), xytext=(v, yc),
                                arrowprops={"arrowstyle": "-|>", "color": edge, "lw": 1.0, "shrinkA": 0, "shrinkB": 0})
                    x_text = v + 0.22 * per_in  # past the arrowhead, so the bound sign stays readable
                ax.text(x_text, yc, label, va="center", ha="left", fontsize=MIN_PT, color="#222222")
            ax.set_xlim(0, xmax)
            ax.set_ylim(axh, 0)
            ax.set_yticks([])
            for side in ("top", "right", "left"):
                ax.spines[side].set_visible(False)
            ax.grid(axis="y", visible=False)
            ax.tick_params(axis="x", labelsize=MIN_PT, length=2, pad=2)
            unit_txt = " / ".join(unit_label(u, lang) for u in units)
            if metric == "per_10k" and not set(units) & {"percent", "percentage_points"}:
                unit_txt = f"{unit_txt} {t['per_10k']}" if lang == "en" else f"{unit_txt}/万常住人口"
            ax.set_xlabel(unit_txt, fontsize=MIN_PT, labelpad=2)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.10g}"))  # 20,000 not 20000
            if b["under"]:
                fig.text(_L / WIDTH_IN, fy(b["top"] + axh + _AXIS_BELOW), b["under"], ha="left", va="top", fontsize=MIN_PT,
                         color=GREY, style="italic")
        for p in panels:
            if not p["as_panel"]:
                drawn_rows += [{**r.to_dict(), "drawn_as": "sentence", "plotted_value": r[col]} for _, r in p["drawn"].iterrows()]
        if names:
            fig.legend(handles, names, loc="upper left", bbox_to_anchor=(_L / WIDTH_IN, fy(y_legend)), ncol=ncol,
                       frameon=False, fontsize=MIN_PT, handlelength=1.6, handleheight=0.9, columnspacing=1.1,
                       handletextpad=0.4, borderaxespad=0, borderpad=0)
        fig.text(_L / WIDTH_IN, fy(y_foot), foot, ha="left", va="top", fontsize=MIN_PT, color="#444444")
    fig.minsheng = {  # what save() writes into the files' metadata and the data bundle
        "title": " ".join(str(title_raw).split()), "subtitle": subtitle_raw, "description": summary(table, lang),
        "source": foot_raw,
        "rows": pd.DataFrame(drawn_rows), "lang": lang, "metric": metric,
        "indicators": list(dict.fromkeys(table["indicator_id"])) if "indicator_id" in table else [],
        "not_drawn": [{"indicator": p["indicator"], "place": r["place"], "why": t["not reported"]} for p in panels
                      for _, r in p["missing"].iterrows()]
        + [{"indicator": p["indicator"], "place": r["place"], "why": _no_value_reason(r, t)} for p in panels
           for _, r in p["no_value"].iterrows()],
        "source_ids": sorted({s for s in table["source_id"] if s}),
    }
    return fig


def bar_id(r) -> str:
    """A bar's id in the SVG: ``place|indicator|status|period|doubtful-or-ok``."""
    return f"{r['place_en']}|{r['indicator_id']}|{r['status_id']}|{r['period_id']}|{'doubtful' if r['doubtful'] else 'ok'}"


def _legend_items(panels: list[dict], t: dict, lang: str, metric: str = "value") -> tuple[list, list[str]]:
    """Legend handles (swatches drawn like the bars) and words, for the statuses, bounds and doubts the chart draws."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from analysis.compare.tables import status_label

    drawn = pd.concat([p["drawn"] for p in panels if p["as_panel"]] or [pd.DataFrame(columns=["status_id"])])
    handles, names = [], []
    if drawn.empty:
        return handles, names
    from analysis.compare.tables import STATUS_RANK

    statuses = sorted(set(drawn.loc[~drawn["doubtful"].astype(bool), "status_id"]), key=lambda s: STATUS_RANK.get(s, 5))
    for status in statuses:
        edge, fill, hatch = STATUS_STYLE.get(status, STATUS_STYLE["target"])
        handles.append(Patch(facecolor=fill, edgecolor=edge, hatch=hatch, linewidth=1.0))
        names.append(status_label(status, lang))
    if drawn["qualifier"].isin(["at_least", "more_than"]).any():
        handles.append(Line2D([0], [0], color="#444444", lw=1.0, marker=">", markersize=4, markevery=[1]))
        names.append(t["bound"])
    if drawn["doubtful"].astype(bool).any():
        handles.append(Patch(facecolor=DOUBTFUL, edgecolor=GREY, linestyle="--", linewidth=1.0))
        names.append(t["doubtful legend"])
    return handles, names


def save(fig, name: str, folder: Path | None = None) -> list[Path]:
    """Save ``fig`` as ``figures/<name>.png`` (250 dpi) and ``.svg`` (stable bytes) with its data bundle
    ``<name>.csv`` and ``<name>.json``, each atomically; close the figure. Return the four paths.

    The chart's title, subtitle, description and source note are written into both images' metadata
    (PNG text chunks ``Title``, ``Subtitle``, ``Description``, ``Source``, ``Copyright``; SVG Dublin
    Core ``title``, ``coverage`` (the subtitle), ``description``, ``source``, ``rights``). The bundle (:func:`write_bundle`) holds exactly the rows
    the chart draws. Each file is written under a temp name and renamed.
    """
    import matplotlib.pyplot as plt

    from analysis.compare.publish import LICENCE
    from analysis.core.paths import atomic_path

    folder = Path(folder) if folder else FIGURES
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.png", folder / f"{name}.svg"]
    meta = getattr(fig, "minsheng", None) or {"title": name, "description": "", "source": "", "lang": "en"}
    lang = meta.get("lang", "en")
    png_meta = {"Software": None, "Title": meta["title"], "Subtitle": meta.get("subtitle", ""),
                "Description": meta["description"], "Source": meta["source"], "Copyright": LICENCE[lang]}
    # SVG takes Dublin Core terms only: the subtitle (places, periods, statuses) is the chart's dc:coverage
    svg_meta = {"Date": None, "Creator": None, "Title": meta["title"], "Coverage": meta.get("subtitle", ""),
                "Description": meta["description"], "Source": meta["source"], "Rights": LICENCE[lang]}
    with plt.rc_context(style()):  # fonts are looked up at draw time: save under the same style
        for path, kwargs in ((paths[0], {"dpi": DPI, "metadata": png_meta}), (paths[1], {"metadata": svg_meta})):
            with atomic_path(path) as tmp:
                fig.savefig(tmp, format=path.suffix[1:], **kwargs)
    plt.close(fig)
    if "rows" in meta:
        paths += write_bundle(meta, name, folder)
    return paths


BUNDLE_COLUMNS = ["indicator_id", "indicator", "place", "place_en", "level", "period", "period_id", "status", "status_id",
                  "differs", "value", "unit", "unit_words", "qualifier", "qualifier_words", "as_said", "plotted_value",
                  "plotted_unit", "plotted_unit_words", "drawn_as", "population", "population_date", "population_source",
                  "doubtful", "flags", "source_id", "quote"]
# A Chinese chart's bundle has Chinese headers (the English bundle keeps the column names); ids stay ids, and the
# *_words columns say the unit and the bound in the chart's language. read_bundle() reads either with these names.
BUNDLE_HEADERS_ZH = {
    "indicator_id": "指标代码", "indicator": "指标", "place": "地方", "place_en": "地方代码", "level": "行政级别",
    "period": "时期", "period_id": "时期代码", "status": "性质", "status_id": "性质代码", "differs": "口径差异",
    "value": "数值", "unit": "单位代码", "unit_words": "单位", "qualifier": "限定代码", "qualifier_words": "限定",
    "as_said": "原文数值", "plotted_value": "绘制数值", "plotted_unit": "绘制单位代码", "plotted_unit_words": "绘制单位",
    "drawn_as": "绘制方式", "population": "常住人口", "population_date": "人口时点", "population_source": "人口来源",
    "doubtful": "存疑", "flags": "标记", "source_id": "来源代码", "quote": "原文引文",
}


def read_bundle(path) -> pd.DataFrame:
    """Read a chart's data bundle CSV (English or Chinese headers) with the column names of :data:`BUNDLE_COLUMNS`."""
    rows = pd.read_csv(path, dtype={"period_id": str, "时期代码": str}, keep_default_na=False)
    return rows.rename(columns={v: k for k, v in BUNDLE_HEADERS_ZH.items()})


def plotted_unit_words(plotted_unit: str, lang: str) -> str:
    """The unit a bundle's bar is drawn in, in words: 'persons per 10,000 residents', '人/万常住人口'."""
    base = plotted_unit.removesuffix("_per_10k_residents")
    if base == plotted_unit:
        return unit_label(base, lang)
    return f"{unit_label(base, lang)} {TEXT['en']['per_10k']}" if lang == "en" else f"{unit_label(base, lang)}/万常住人口"


def write_bundle(meta: dict, name: str, folder: Path) -> list[Path]:
    """Write a chart's data bundle: ``<name>.csv`` (exactly the rows drawn, as bars or sentences, with their
    place, period, status, value, unit, qualifier, source, verbatim quote and flags) and ``<name>.json``
    (title, subtitle, description, units, citation, sources, licence, and what is not drawn and why).

    A Chinese chart's CSV has Chinese headers (:data:`BUNDLE_HEADERS_ZH`, also in the JSON's ``columns``);
    the ``*_words`` columns give the unit, the bound and the plotted unit in the chart's language.
    """
    import json

    from analysis.compare.publish import LICENCE, LICENCE_ID, citation, source_list
    from analysis.core.paths import atomic_path
    from analysis.metadata.codebook import vocab_label

    rows = meta["rows"].copy()
    if rows.empty:
        rows = pd.DataFrame(columns=BUNDLE_COLUMNS)
    per = meta["metric"] == "per_10k"
    lang = meta["lang"]
    rows["plotted_unit"] = [f"{u}_per_10k_residents" if per else u for u in rows.get("unit", [])]
    rows = rows.reindex(columns=BUNDLE_COLUMNS)
    rows["population"] = pd.to_numeric(rows["population"], errors="coerce").round().astype("Int64")  # a count
    units = {u: plotted_unit_words(u, lang) for u in dict.fromkeys(rows["plotted_unit"].dropna())}
    rows["unit_words"] = [unit_label(u, lang) if isinstance(u, str) and u else "" for u in rows["unit"]]
    rows["plotted_unit_words"] = [units.get(u, "") for u in rows["plotted_unit"]]
    rows["qualifier_words"] = [vocab_label("qualifier", q, lang) if isinstance(q, str) and q else "" for q in rows["qualifier"]]
    csv_path, json_path = folder / f"{name}.csv", folder / f"{name}.json"
    out = rows.rename(columns=BUNDLE_HEADERS_ZH) if lang == "zh" else rows
    with atomic_path(csv_path) as tmp:
        out.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
    doc = {"chart": name, "title": meta["title"], "subtitle": meta.get("subtitle", ""), "description": meta["description"],
           "language": lang,
           "metric": meta["metric"], "indicators": meta["indicators"], "units": units,
           "files": {"png": f"{name}.png", "svg": f"{name}.svg", "csv": f"{name}.csv"},
           "citation": citation(meta["title"], meta["source_ids"], lang), "source_note": meta["source"],
           "sources": source_list(meta["source_ids"], lang), "licence": {"id": LICENCE_ID, "text": LICENCE[lang]},
           "rows": len(rows), "not_drawn": meta["not_drawn"],
           "columns": {c: BUNDLE_HEADERS_ZH[c] if lang == "zh" else c for c in BUNDLE_COLUMNS}}
    with atomic_path(json_path) as tmp:
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [csv_path, json_path]


def chart_title(path: Path, key: str = "Title") -> str:
    """Return the title (or ``key="Subtitle"``: the subtitle) written into an exported chart PNG's metadata (empty if none)."""
    from PIL import Image

    with Image.open(path) as im:
        return " ".join(str(im.info.get(key, "")).split())


class Chart:
    """A chart as a notebook shows it: a small display-resolution PNG (``image/png``) and its title and subtitle as text.

    The embedded PNG travels with the ``.ipynb`` (nbconvert's HTML and a code host's viewer show it);
    the text is the chart's computed title and, on a second line, its subtitle, which nbval compares
    (it skips images): a sentence the notebook prints, checked like every other.
    """

    def __init__(self, title: str, png: bytes, paths: list[Path] | None = None, name: str = "", lang: str = "en",
                 figure=None, subtitle: str = ""):
        self.title, self._png, self.paths, self.name, self.lang = title, png, list(paths or []), name, lang
        self.subtitle = subtitle
        self.figure = figure  # the matplotlib Figure drawn (to restyle or save by hand), where this chart drew one

    def _repr_png_(self) -> bytes:
        return self._png

    def __repr__(self) -> str:
        return self.title + (f"\n{self.subtitle}" if self.subtitle else "")


def _display_png(data: bytes) -> bytes:
    """Downscale a chart PNG to :data:`DISPLAY_WIDTH_PX` wide, 256 colours: small, and the same bytes every time."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        im = im.convert("RGB")
        h = round(im.height * DISPLAY_WIDTH_PX / im.width)
        small = im.resize((DISPLAY_WIDTH_PX, h), Image.LANCZOS).quantize(256, dither=Image.Dither.NONE)
        out = io.BytesIO()
        small.save(out, format="png", optimize=True)
    return out.getvalue()


def show(chart, alt: str | None = None) -> Chart:
    """Return a chart for a notebook to display: a :class:`Chart`, a figure, or the path of an exported PNG (any folder).

    The image is embedded (display resolution, a few tens of kB), so the notebook carries its chart
    wherever it goes; its text is the chart's title (from the PNG's metadata) unless ``alt`` is given.
    """
    import io

    if isinstance(chart, Chart):
        return chart if alt is None else Chart(alt, chart._png, chart.paths, chart.name, chart.lang, chart.figure)
    if hasattr(chart, "savefig"):  # a matplotlib figure
        import matplotlib.pyplot as plt

        buf = io.BytesIO()
        with plt.rc_context(style()):
            chart.savefig(buf, format="png", dpi=DISPLAY_WIDTH_PX / chart.get_size_inches()[0])
        meta = getattr(chart, "minsheng", {})
        if alt is not None:
            return Chart(alt, _display_png(buf.getvalue()), figure=chart)
        return Chart(meta.get("title", ""), _display_png(buf.getvalue()), figure=chart, subtitle=meta.get("subtitle", ""))
    path = Path(chart)
    if alt is not None:
        return Chart(alt, _display_png(path.read_bytes()), [path], path.stem)
    return Chart(chart_title(path), _display_png(path.read_bytes()), [path], path.stem, subtitle=chart_title(path, "Subtitle"))


def nice(x: float) -> str:
    """Format a number for prose: 20100 -> '20,100'; 52.13 -> '52.1'."""
    return f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:,.1f}" if not math.isnan(x) else "–"


def charts(obs, indicators: list[str], name: str, titles: dict[str, str] | None = None, metric: str = "value",
           notes: dict[str, str] | None = None, folder: Path | None = None, compact: bool = True) -> list[Chart]:
    """Draw one comparison in English and Chinese; return the two :class:`Chart` (English first) for display.

    Nothing is written unless ``folder`` is given: then each language's PNG, SVG and data bundle go to
    ``<folder>/<name>_<lang>.*`` (the analysis notebooks pass ``plotting.FIGURES``, the published
    charts). Without ``titles`` each language's title is :func:`analysis.compare.tables.chart_title` of the data
    (what every panel measures) and its subtitle :func:`analysis.compare.tables.chart_subtitle`.
    An indicator not in the codebook raises ``KeyError`` naming the closest ones.
    """
    from analysis.compare.tables import VALUE_METRICS
    from analysis.metadata.codebook import require_choice

    require_choice(metric, VALUE_METRICS, "metric")
    import io

    import matplotlib.pyplot as plt

    from analysis.compare.tables import comparison_table

    out = []
    for lang in ("en", "zh"):
        table = comparison_table(obs, indicators, lang=lang)
        title = (titles or {}).get(lang) or None  # None: comparison_chart's own default title
        fig = comparison_chart(table, title, lang=lang, metric=metric, note=(notes or {}).get(lang, ""), compact=compact)
        meta_title, meta_subtitle = fig.minsheng["title"], fig.minsheng["subtitle"]
        if folder is None:
            buf = io.BytesIO()
            with plt.rc_context(style()):
                fig.savefig(buf, format="png", dpi=DISPLAY_WIDTH_PX / WIDTH_IN)
            plt.close(fig)  # closed for pyplot (no second inline display); still a Figure to save or restyle
            out.append(Chart(meta_title, _display_png(buf.getvalue()), [], f"{name}_{lang}", lang, fig, meta_subtitle))
        else:
            paths = save(fig, f"{name}_{lang}", folder)
            out.append(Chart(meta_title, _display_png(paths[0].read_bytes()), paths, f"{name}_{lang}", lang, fig, meta_subtitle))
    return out
