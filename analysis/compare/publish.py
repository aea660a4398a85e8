"""What every published output says about itself: the licence, how to cite it, the sources it draws on.

One place for these words, so the charts' data bundles (``figures/<chart>.json``), the workbook's
README sheet and the site say the same thing.

Decisions
- **Licence.** The compiled data, charts and workbook: CC BY 4.0 (credit the project and the
  articles). The verbatim quotes are short excerpts of the articles, quoted so that each figure can
  be checked; their copyright stays with the outlets. The code is MIT (``pyproject.toml``); the font
  embedded in the charts is OFL-1.1 (``LICENSES/OFL-1.1.txt``).
- **Citation.** The project, its version, the output's title and the articles (outlet, date) it
  draws on. No date of building, commit or machine name: outputs stay byte-identical on a re-run.
- **Outlet names.** A chart in Chinese names an outlet in Chinese: the first run of Chinese
  characters in the manifest's ``outlet`` field ("Linyi client (临沂日报融媒), ..." -> 临沂日报融媒).
  An outlet written without Chinese characters is shown as written (write its Chinese name in the
  ``outlet`` field, e.g. "Dazhong Daily (大众日报)", and the Chinese charts use it). Raw data is
  never edited for this: the name is derived.
"""

from __future__ import annotations

import re
from pathlib import Path

PROJECT = "minsheng-analysis"
VERSION = "0.1.0"
LICENCE = {
    "en": "Data, charts and workbook: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/), crediting "
          "minsheng-analysis and the articles. Quotes are short excerpts of the articles, copyright of their "
          "outlets, quoted so that every figure can be checked. Code: MIT. Chart font: Noto Sans CJK, SIL OFL 1.1.",
    "zh": "数据、图表和工作簿: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/), 请注明 minsheng-analysis 及原文出处。"
          "引文为原报道的简短摘录, 版权归原媒体所有, 仅供核对数据。代码: MIT。图表字体: Noto Sans CJK, SIL OFL 1.1。",
}
LICENCE_ID = "CC-BY-4.0"
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def outlet_name(outlet: str, lang: str = "en") -> str:
    """Return an outlet's name for a chart: in English, the manifest's words up to the first comma; in Chinese,
    its first run of Chinese characters (the words as written when there is none).

    >>> outlet_name("Linyi client (临沂日报融媒), English machine translation"), outlet_name("徐州日报 (Xuzhou Daily), via 人民网", "zh")
    ('Linyi client (临沂日报融媒)', '徐州日报')
    """
    first = str(outlet).split(",")[0].strip()
    if lang == "zh":
        m = _CJK_RUN.search(first) or _CJK_RUN.search(str(outlet))
        return m.group(0) if m else first
    return first


def machine_translation(src) -> bool:
    """True if a manifest row is a machine translation: its outlet or note says so (``English machine
    translation``, 机器翻译), as every machine-translated article of the manifest does; the charts' source
    notes then say so beside the outlet, so that a reader knows a figure was read from a translation.

    >>> machine_translation({"outlet": "Linyi client (临沂日报融媒), English machine translation", "note": ""})
    True
    """
    text = f"{src.get('outlet', '')} {src.get('note', '')}"
    return bool(re.search(r"machine[- ]translat|机器翻译|機器翻譯", text, re.I))


def source_list(source_ids, lang: str = "en", root: Path | None = None) -> list[dict]:
    """Return, for each article, its id, place, outlet (in ``lang``), date, title, kind, raw file and whether it is a
    machine translation."""
    from analysis.sources.manifest import date_label, load_sources

    src = load_sources(root, verify=False).set_index("source_id")
    out = []
    for sid in sorted({s for s in source_ids if s}):
        r = src.loc[sid]
        out.append({"source_id": sid, "city": r["city_zh"] if lang == "zh" else r["city_en"],
                    "outlet": outlet_name(r["outlet"], lang), "published": date_label(r, lang),
                    "title": r["title"], "kind": r["kind"], "language": r["language"], "file": r["path"],
                    "machine_translation": machine_translation(r)})
    return out


def citation(title: str, source_ids, lang: str = "en", root: Path | None = None) -> str:
    """Return how to cite an output: the project, version, the output's title and the articles it draws on."""
    arts = "; ".join(f"{s['outlet']}, {s['published']}" for s in source_list(source_ids, lang, root))
    if lang == "zh":
        return f"{PROJECT} {VERSION}: {title}。数据来源: {arts}。"
    return f"{PROJECT} {VERSION}: {title}. Data from: {arts}."
