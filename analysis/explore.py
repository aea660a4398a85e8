"""For a researcher at the keyboard: find a figure by keyword, and see where it comes from."""

from __future__ import annotations

import pandas as pd

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


def find(obs: pd.DataFrame, keyword: str) -> pd.DataFrame:
    """Return the whole observations (every column) whose quote, figure, note, indicator, label or topic mentions ``keyword``.

    Case-insensitive; Chinese keywords also match Traditional quotes (养老 finds 養老). A column
    ``matched`` says which field matched first (quote, figure, note, indicator, label_en, label_zh,
    definition, topic), so ``provenance(find(obs, "养老").iloc[0])`` works.
    """
    from .codebook import load_codebook
    from .quantities import to_simplified

    cb = load_codebook().set_index("indicator")
    key = to_simplified(keyword).lower()
    ind = obs["indicator"].astype(str)
    fields = {
        "quote": obs["quote"].astype(str).map(to_simplified), "figure": obs["figure"].astype(str),
        "note": obs["note"].astype(str), "indicator": ind.str.replace("_", " "),
        "label_en": ind.map(cb["label_en"]), "label_zh": ind.map(cb["label_zh"]), "definition": ind.map(cb["definition"]),
        "topic": obs["topic"].astype(str).map(lambda t: " ".join((t, *TOPIC_LABELS.get(t, ("", ""))))),
    }
    matched = pd.Series("", index=obs.index, dtype=object)
    for name, text in fields.items():
        hit = text.fillna("").str.lower().str.contains(key, regex=False) & (matched == "")
        matched[hit] = name
    out = obs[matched != ""].copy()
    out.insert(0, "matched", matched[matched != ""])
    return out


def provenance(row) -> dict:
    """Return where one observation comes from: the article, its date and outlet, the file, and the quote in its sentence."""
    from .quantities import sentence_around
    from .sources import date_label, load_sources, read_article

    if isinstance(row, pd.DataFrame):
        if len(row) != 1:
            raise ValueError(f"provenance takes one row; got {len(row)} (use .iloc[n])")
        row = row.iloc[0]
    src = load_sources(verify=False).set_index("source_id").loc[str(row["source_id"])]
    raw = read_article(str(row["source_id"]), body_only=False)
    start = int(row["quote_start"])
    s0, s1 = sentence_around(raw, start, start + len(row["quote"]))
    return {"source_id": str(row["source_id"]), "outlet": src["outlet"], "published": date_label(src),
            "kind": src["kind"], "file": src["path"], "quote": row["quote"], "quote_start": start,
            "sentence": raw[s0:s1].strip()}
