"""The CJK font every chart uses, registered with matplotlib (no pandas, nothing else of the package).

:func:`cjk_font` registers it; :func:`register_when_matplotlib_is_imported` (called by
``import analysis``) makes the first import of matplotlib do so, so that a researcher's own chart
renders Chinese after ``import analysis`` alone, while ``import analysis`` itself imports no matplotlib.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from functools import lru_cache


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


class _AfterMatplotlib(importlib.abc.MetaPathFinder):
    """Finds nothing itself: on the first import of matplotlib, wraps its loader so that the CJK font is
    registered as soon as matplotlib has loaded, then steps aside."""

    def find_spec(self, name, path=None, target=None):
        if name != "matplotlib":
            return None
        sys.meta_path[:] = [f for f in sys.meta_path if f is not self]  # one shot; and no recursion below
        spec = importlib.util.find_spec(name)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run = loader.exec_module

        def exec_module(module):
            run(module)
            try:
                cjk_font()
            except Exception:  # never break matplotlib's import: charts then warn about missing glyphs
                pass

        loader.exec_module = exec_module
        return spec


def register_when_matplotlib_is_imported() -> None:
    """Register the CJK font now if matplotlib is loaded, else when it first is."""
    if "matplotlib" in sys.modules:
        cjk_font()
    elif not any(isinstance(f, _AfterMatplotlib) for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterMatplotlib())
