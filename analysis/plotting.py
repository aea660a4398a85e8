"""One house style for every chart: a title that states the finding, units on the axis, a source note,
results solid and targets hatched, bounds drawn as bounds, English or Chinese by one parameter.

Fonts: a system Noto Sans CJK SC / Source Han Sans SC where the machine has one, otherwise the SC
face ("Noto Sans CJK SC", Simplified forms; index 2) of the OFL-1.1 ``NotoSansCJK-Regular.ttc`` that
the ``noto-cjk-sans-otc`` package ships (licence: ``LICENSES/OFL-1.1.txt``). It covers Simplified and
Traditional characters. It is registered when this module is imported and appended to
``font.family`` as a glyph fallback, so a researcher's own ``plt.show()`` renders Chinese too.
SVGs embed glyph outlines (``svg.fonttype = path``), so they render without the font installed, and
use a fixed ``svg.hashsalt`` and no date, so that re-running gives the same file.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .comparability import unit_label
from .compare import BOUND
from .paths import FIGURES

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
           "source": "Source", "per_10k": "per 10,000 residents", "scope": "its scope is not the whole place",
           "bound": "→ open bound (at least / more than)", "census": "Population: 2020 census, another cited official figure, or as a place's own article states it",
           "hatched": {"target": "hatched ╱", "plan": "dotted", "announced": "cross-hatched"}, "grey": "grey, ?"},
    "zh": {"not reported": "未报告", "no population": "无人口数据", "doubtful": "存疑",
           "source": "来源", "per_10k": "每万常住人口", "scope": "统计范围非全域",
           "bound": "→ 开区间 (不少于 / 超过)", "census": "人口: 2020年第七次人口普查、所引统计数据或该地报道所述",
           "hatched": {"target": "斜线", "plan": "点", "announced": "交叉线"}, "grey": "灰色, ?"},
}


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Return the family name of the CJK font the charts use, registering the bundled one if needed.

    A system SC font is kept where present; otherwise the SC face of ``noto-cjk-sans-otc``'s .ttc is
    registered (matplotlib lists every face of the collection; the family name picks face 2, SC).
    Either way the family is appended to ``font.family`` as a glyph fallback for plain matplotlib.
    """
    import matplotlib
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    family = next((n for n in ("Noto Sans CJK SC", "Source Han Sans SC") if n in names), None)
    if family is None:
        try:
            import noto_cjk_sans_otc
        except ImportError:
            raise RuntimeError("no CJK font: install the project (make) or Debian's fonts-noto-cjk") from None
        font_manager.fontManager.addfont(str(noto_cjk_sans_otc.FONT_PATH))
        family = "Noto Sans CJK SC"
    if family not in matplotlib.rcParams["font.family"]:  # matplotlib falls back glyph by glyph along this list
        matplotlib.rcParams["font.family"] = [*matplotlib.rcParams["font.family"], family]
    return family


cjk_font()  # register at import: inline plt.show() in a notebook renders Chinese without calling style()


def style() -> dict:
    """Return the house rcParams (seaborn's whitegrid plus our font, sizes and stable SVG output)."""
    import seaborn as sns

    rc = dict(sns.axes_style("whitegrid"))
    rc.update({
        "font.family": "sans-serif", "font.sans-serif": [cjk_font(), "DejaVu Sans"], "axes.unicode_minus": False,
        "font.size": 9, "axes.titlesize": 10, "axes.titleweight": "normal", "axes.labelsize": 9,
        "xtick.labelsize": 8, "ytick.labelsize": 8, "svg.fonttype": "path", "svg.hashsalt": "minsheng",
        "savefig.dpi": 200, "figure.dpi": 100, "axes.edgecolor": "#bbbbbb", "grid.color": "#e5e5e5",
    })
    return rc


def source_note(source_ids, lang: str = "en", extra: str = "", root: Path | None = None) -> str:
    """Return the note under a chart naming the articles (outlet, date) and the population source."""
    from .sources import date_label, load_sources

    src = load_sources(root, verify=False).set_index("source_id")
    parts = []
    for sid in sorted({s for s in source_ids if s}):
        r = src.loc[sid]
        city = r["city_zh"] if lang == "zh" else r["city_en"]
        parts.append(f"{city}: {r['outlet'].split(',')[0]}, {date_label(r, lang)}")
    t = TEXT[lang]
    return f"{t['source']}: " + "; ".join(parts) + (f". {extra}" if extra else "")


def _row_label(r, lang: str) -> str:
    sep = " · "
    if r["status_id"] == "not reported":
        return f"{r['place']} ({r['level']})"
    label = f"{r['place']} ({r['level']}){sep}{r['period']}{sep}{r['status']}"
    return label + (f"\n{r['differs']}" if r.get("differs") else "")


def _doubt_reason(r, lang: str) -> str:
    """The reason of a doubtful row, for the note under the chart: the flag's label and, in English, the check's words."""
    from .codebook import vocab_label
    from .compare import doubtful_flags

    flags = [f for f in str(r["flags"]).split(";") if f in doubtful_flags()]
    words = ", ".join(vocab_label("flag", f, lang) for f in flags)
    if lang == "en":
        import re

        why = [m.group(1).strip() for f in flags for m in [re.search(rf"\[{f}: ([^\]]*)\]", str(r.get("note", "")))] if m]
        words += f" ({'; '.join(why)})" if why else ""
    return f"? {r['place']}, {r['indicator']}: {words}"


def comparison_chart(table: pd.DataFrame, title: str, lang: str = "en", metric: str = "value",
                     note: str = "", root: Path | None = None):
    """Draw one panel per indicator of a :func:`analysis.compare.comparison_table`; return the figure.

    ``metric`` is ``value`` (absolute) or ``per_10k``. Results are solid bars; targets, plans and
    announcements hollow and hatched (each its own hatch); an open bound (at least, more than) ends
    in an arrowhead and its label keeps the sign; a doubtful (flagged) figure is grey with a dashed
    edge and a "?", its reason in the note; where the rows of a panel count different things
    (denominator, scope, unit), each row says how under its label; a place that reported nothing
    says so. Each bar's ``gid`` is ``place|indicator|status|doubtful-or-ok`` (kept in the SVG).
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    t = TEXT[lang]
    groups = list(dict.fromkeys(table["indicator"]))
    heights = [max(1, (table["indicator"] == g).sum()) for g in groups]
    extra = sum(1 for d in table.get("differs", []) if d) * 0.12
    doubts = []
    with plt.rc_context(style()):
        fig, axes = plt.subplots(len(groups), 1, figsize=(8.2, 1.1 + 0.34 * sum(heights) + 0.55 * len(groups) + extra),
                                 gridspec_kw={"height_ratios": heights}, squeeze=False)
        for ax, g in zip(axes[:, 0], groups, strict=True):
            sub = table[table["indicator"] == g].reset_index(drop=True)
            units = list(dict.fromkeys(u for u in sub["unit"] if u))
            unit = units[0] if units else ""
            vals = sub[metric] if metric in sub else sub["value"]
            top = max([v for v in vals if pd.notna(v)] or [1.0])
            ys = list(range(len(sub)))[::-1]
            for y, (_, r), v in zip(ys, sub.iterrows(), vals, strict=True):
                if pd.isna(v):
                    reason = t["not reported"] if r["status_id"] == "not reported" else t["no population"]
                    if r["status_id"] != "not reported" and r.get("per_10k_note", "") not in ("", "no population figure"):
                        reason = t["scope"]
                    ax.text(top * 0.01, y, reason, va="center", ha="left", color=GREY, style="italic", fontsize=8)
                    continue
                edge, fill, hatch = STATUS_STYLE.get(r["status_id"], STATUS_STYLE["target"])
                doubtful = bool(r.get("doubtful", False))
                if doubtful:
                    edge, fill = GREY, DOUBTFUL
                    doubts.append(_doubt_reason(r, lang))
                bar = ax.barh(y, v, height=0.62, color=fill, edgecolor=edge, hatch=hatch, linewidth=1.2,
                              linestyle="--" if doubtful else "-")
                for patch in bar.patches:
                    patch.set_gid(f"{r['place_en']}|{r['indicator_id']}|{r['status_id']}|{'doubtful' if doubtful else 'ok'}")
                label = r["as_said"] if metric == "value" else f"{BOUND.get(r['qualifier'], '')}{v:,.1f}"
                x_text = v + top * 0.015
                if r["qualifier"] in ("at_least", "more_than"):
                    ax.annotate("", xy=(v + top * 0.06, y), xytext=(v, y),
                                arrowprops={"arrowstyle": "-|>", "color": edge, "lw": 1.2})
                    x_text = v + top * 0.075  # past the arrowhead, so the bound sign stays readable
                if len(units) > 1:  # e.g. person-times in one article, persons in another: say so on each bar
                    label += " " + unit_label(r["unit"], lang)
                if doubtful:
                    label += f"  (? {t['doubtful']})"
                ax.text(x_text, y, " " + label, va="center", ha="left", fontsize=8, color="#222222")
            ax.set_yticks(ys)
            ax.set_yticklabels([_row_label(r, lang) for _, r in sub.iterrows()])
            ax.set_xlim(0, top * 1.45)
            ax.set_ylim(-0.6, len(sub) - 0.4)
            unit_txt = " / ".join(unit_label(u, lang) for u in units) or unit
            ax.set_xlabel(f"{unit_txt} {t['per_10k']}" if metric == "per_10k" and unit not in ("percent", "percentage_points")
                          else unit_txt)
            ax.set_title(g, loc="left", fontsize=9, fontweight="normal", color="#333333")
            ax.grid(axis="y", visible=False)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.10g}"))  # 20,000 not 20000
        title = _wrap(title, 100 if lang == "en" else 50)
        fig.suptitle(title, x=0.01, y=0.995, ha="left", va="top", fontsize=11.5)  # one CJK weight: no bold
        legend = "   ".join(_legend_items(table, t, lang, metric))
        foot = source_note(table["source_id"], lang, extra=(t["census"] if metric == "per_10k" else ""), root=root)
        for line in dict.fromkeys(doubts):
            foot += "\n" + line
        if note:
            foot += f"\n{note}"
        fig.text(0.01, 0.005, _wrap(legend + "\n" + foot, 130 if lang == "en" else 70), ha="left", va="bottom",
                 fontsize=7, color="#444444")
        head = (0.08 + 0.2 * (title.count("\n") + 1)) / fig.get_size_inches()[1]
        fig.tight_layout(rect=(0, _foot_height(fig, legend + foot, lang), 1, 1 - head))
        fig.set_layout_engine(None)  # layout done once: else each savefig re-runs it (same bytes, ~0.9 s CPU saved)
    return fig


def _legend_items(table: pd.DataFrame, t: dict, lang: str, metric: str = "value") -> list[str]:
    """The legend's words for the statuses, bounds and doubts the chart actually draws."""
    from .compare import status_label

    items = []
    drawn = table[table[metric].notna()] if metric in table else table
    for status in dict.fromkeys(s for s in drawn["status_id"] if s != "not reported"):
        style = "■" if status == "result" else "▨"
        how = "" if status == "result" else f" ({t['hatched'].get(status, '')})"
        items.append(f"{style} {status_label(status, lang)}{how}")
    if drawn["qualifier"].isin(["at_least", "more_than"]).any():
        items.append(t["bound"])
    if "doubtful" in table and (table["doubtful"] & table[metric].notna()).any():
        items.append(f"░ {t['doubtful']} ({t['grey']})")
    return items


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.fill(p, width) for p in text.split("\n"))


def _foot_height(fig, text: str, lang: str) -> float:
    lines = _wrap(text, 130 if lang == "en" else 70).count("\n") + 2
    return min(0.4, lines * 0.115 / fig.get_size_inches()[1])


def save(fig, name: str, folder: Path | None = None) -> list[Path]:
    """Save ``fig`` as ``figures/<name>.png`` (200 dpi) and ``.svg`` (stable bytes), atomically; close it.

    The chart's title is written into both files' metadata (PNG ``Title`` text chunk, SVG ``<dc:title>``).
    Each file is written under a temp name and renamed, so a reader never sees half a chart.
    """
    import matplotlib.pyplot as plt

    from .paths import atomic_path

    folder = Path(folder) if folder else FIGURES
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.png", folder / f"{name}.svg"]
    title = " ".join(fig._suptitle.get_text().split()) if fig._suptitle else name
    with plt.rc_context(style()):  # fonts are looked up at draw time: save under the same style
        for path, kwargs in ((paths[0], {"dpi": 200, "metadata": {"Software": None, "Title": title}}),
                             (paths[1], {"metadata": {"Date": None, "Creator": None, "Title": title}})):
            with atomic_path(path) as tmp:
                fig.savefig(tmp, format=path.suffix[1:], **kwargs)
    plt.close(fig)
    return paths


def chart_title(path: Path) -> str:
    """Return the title written into an exported chart PNG's metadata (empty if none)."""
    from PIL import Image

    with Image.open(path) as im:
        return " ".join(str(im.info.get("Title", "")).split())


def show(path: Path, alt: str | None = None):
    """Display an exported chart in a notebook by reference (``![title](../figures/x.png)``), not as embedded bytes.

    The alt text is the chart's own title (from its metadata) unless ``alt`` is given, so the notebook's
    saved output states the computed title, and nbval notices when it changes.
    """
    import os

    from IPython.display import Markdown

    from .paths import OUTPUT_ROOT

    alt = alt if alt is not None else chart_title(path)
    return Markdown(f"![{alt}]({Path(os.path.relpath(path, OUTPUT_ROOT / 'notebooks')).as_posix()})")


def nice(x: float) -> str:
    """Format a number for prose: 20100 -> '20,100'; 52.13 -> '52.1'."""
    return f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:,.1f}" if not math.isnan(x) else "–"


def charts(obs, indicators: list[str], name: str, titles: dict[str, str] | None = None, metric: str = "value",
           notes: dict[str, str] | None = None, folder: Path | None = None) -> list[Path]:
    """Draw and save one comparison in English and Chinese, PNG and SVG: ``figures/<name>_<lang>.*``.

    Without ``titles`` each language's title is :func:`analysis.compare.headline` of the data. An
    indicator not in the codebook raises ``KeyError`` naming the closest ones.
    """
    from .compare import comparison_table, headline

    paths = []
    for lang in ("en", "zh"):
        table = comparison_table(obs, indicators, lang=lang)
        title = (titles or {}).get(lang) or headline(table, metric, lang)
        fig = comparison_chart(table, title, lang=lang, metric=metric, note=(notes or {}).get(lang, ""))
        paths += save(fig, f"{name}_{lang}", folder)
    return paths
