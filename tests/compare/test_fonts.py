"""The charts' Chinese font: OFL, the Simplified (SC) face, and every character the charts may show has a glyph."""

import csv
import subprocess
import sys
import warnings
from pathlib import Path

from analysis.compare import plotting
from analysis.metadata.comparability import UNIT_LABEL

ROOT = Path(__file__).resolve().parents[2]


def _column(path: Path, *columns: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row[c] for row in csv.DictReader(f) for c in columns]


def _strings(obj) -> list[str]:
    """Every string in a nested dict of labels."""
    return [obj] if isinstance(obj, str) else [t for v in obj.values() for t in _strings(v)]


def _chart_characters() -> str:
    """Every non-ASCII character of the labels, place names, outlets and UI strings a chart may draw."""
    texts = _column(ROOT / "data/codebook.csv", "label_zh") + _column(ROOT / "data/raw/places.csv", "place_zh")
    # outlets and titles (Xuzhou's title is Traditional), city names as the manifest writes them
    texts += _column(ROOT / "data/raw/sources.csv", "city_zh", "outlet", "title")
    texts += _column(ROOT / "data/vocabularies.csv", "label_zh")
    for table in (plotting.TEXT, UNIT_LABEL):
        texts += _strings(table)
    return "".join(sorted({ch for t in texts for ch in t if ord(ch) > 127}))


def _glyph_warnings(text: str, rc: dict) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(rc), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plt.figure(figsize=(40, 2))
        for i in range(0, len(text), 200):
            fig.text(0.01, 0.9 - 0.1 * (i // 200), text[i:i + 200], fontsize=6)
        fig.canvas.draw()
        plt.close(fig)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_every_chart_character_renders_with_the_house_font():
    chars = _chart_characters()
    assert len(chars) > 300 and "徐" in chars and "為" in chars and "未报告" in "".join(_strings(plotting.TEXT["zh"]))
    missing = _glyph_warnings(chars, plotting.style())
    assert not missing, missing[:5]


def test_the_glyph_check_can_fail():
    # the same check without the CJK font must report missing glyphs, or the test above proves nothing
    assert _glyph_warnings("枣庄徐州報", {"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]})


def test_the_simplified_face_is_used():
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=plotting.cjk_font()), fallback_to_default=False)
    font = font_manager.get_font(path)
    assert font.family_name.endswith(" SC"), font.family_name  # not the JP/KR/TC face of the collection
    assert font.postscript_name.lower().endswith("sc-regular"), font.postscript_name


def test_importing_plotting_registers_the_font_for_plain_matplotlib():
    # a researcher's own chart (no house style) after `from analysis import plotting`
    code = ("import warnings, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt; "
            "from analysis.compare import plotting; warnings.simplefilter('error'); "
            "fig, ax = plt.subplots(); ax.set_title('枣庄 滕州 徐州日報'); fig.canvas.draw(); print('ok')")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr[-500:]


def test_nothing_commercial_and_the_licence_is_here():
    import importlib.util

    assert importlib.util.find_spec("mplfonts") is None
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.lower()
    assert "simhei" not in tracked and "mplfonts" not in (ROOT / "pyproject.toml").read_text()
    assert "SIL OPEN FONT LICENSE Version 1.1" in (ROOT / "LICENSES/OFL-1.1.txt").read_text()
    site = Path(importlib.util.find_spec("matplotlib").origin).parent.parent
    fonts = [p.name.lower() for p in site.rglob("*.tt[fc]")] + [p.name.lower() for p in site.rglob("*.otf")]
    assert fonts and not [f for f in fonts if "simhei" in f or "simsun" in f or "msyh" in f]



def test_after_import_analysis_alone_a_plain_chart_renders_chinese_and_nothing_heavy_was_imported():
    code = ("import sys, warnings; import analysis; heavy = 'matplotlib' in sys.modules; "
            "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt; import pandas as pd; "
            "warnings.simplefilter('error'); fig, ax = plt.subplots(); ax.set_title('枣庄 滕州 徐州日報'); "
            "fig.canvas.draw(); ax2 = pd.Series([1, 2], index=['养老', '學位']).plot.bar(); ax2.figure.canvas.draw(); "
            "print('ok', heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.split() == ["ok", "False"], out.stderr[-800:]


def test_a_house_chart_keeps_its_fonts_when_saved_by_hand(tmp_path):
    import warnings

    import matplotlib.pyplot as plt

    import analysis
    from analysis.compare import plotting, tables

    obs = analysis.load_observations()
    for lang in ("zh", "en"):
        table = tables.comparison_table(obs, tables.comparison_indicators(tables.load_comparisons()["comparison"].iloc[0]),
                                        lang=lang)
        fig = plotting.comparison_chart(table, tables.headline(table), lang)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a missing glyph is a warning
            fig.savefig(tmp_path / f"by_hand_{lang}.png")
            fig.savefig(tmp_path / f"by_hand_{lang}.svg")
        plt.close(fig)
