"""Shared fixtures: a scratch copy of the raw data that a test may break."""

import functools
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    """A temp folder holding a copy of data/raw, usable as ``root=`` for the loaders."""
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    return tmp_path


def copy_repo(dst: Path) -> Path:
    """Copy the repository's files (what git tracks, plus untracked ones it does not ignore) to ``dst``."""
    import subprocess

    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split("\n")
    for f in filter(None, files):
        if (ROOT / f).is_file():
            (dst / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, dst / f)
    return dst


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A temp copy of the repository's files (what git tracks, plus untracked ones it does not ignore)."""
    return copy_repo(tmp_path / "repo")


def repo_env(repo: Path) -> dict:
    """The environment for a process working in the repo copy ``repo``: its own package and its own outputs
    (without the test session's MINSHENG_OUTPUT_ROOT, which points at the checkout's output copy)."""
    import os

    return {**{k: v for k, v in os.environ.items() if k != "MINSHENG_OUTPUT_ROOT"}, "PYTHONPATH": str(repo)}


def copy_of(repo: Path, tmp_path: Path) -> Path:
    """A copy of a built repo copy (runner state included, so what is up to date there is up to date here)."""
    return Path(shutil.copytree(repo, tmp_path / "repo", symlinks=True))


def in_repo(repo: Path, *args: str, check: bool = True, timeout: int = 900):
    """Run ``python *args`` in the repo copy ``repo`` (its own package and outputs); with ``check``, it must succeed."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, *args], cwd=repo, capture_output=True, text=True, env=repo_env(repo),
                         timeout=timeout)
    assert not check or out.returncode == 0, (args, out.stdout[-4000:], out.stderr[-4000:])
    return out


def record_current_in(repo: Path) -> None:
    """Give the repo copy the runner state a full run would leave, without running a notebook
    (:func:`analysis.suite.pipeline.record_current`, in the copy's own process: its paths, its package).
    Sound because the copy's files are the checkout's, and the test session proves those are what the
    notebooks write (nbval, and the root conftest's check of what its kernels wrote)."""
    in_repo(repo, "-c", "from analysis.suite.pipeline import record_current; record_current()")


def make_in(repo: Path, check: bool = True):
    """`make` (the runner) in the repo copy."""
    return in_repo(repo, "-m", "analysis", "run", check=check)


def make_test_in(repo: Path, *targets: str):
    """What `make test` runs, on the given targets, in the repo copy (its own conftest: outputs to a temp copy).
    One process: the outer session already keeps both cores busy (workers would only add start-up work); without
    hypothesis's pytest plugin, which no target here uses (its import is 0.7 s of every pytest start)."""
    return in_repo(repo, "-m", "pytest", "-n", "0", "-p", "no:hypothesispytest", *targets, check=False)


def run_suite(repo: Path) -> set[str]:
    """Run `python -m analysis run` in ``repo``; return the numbers of the notebooks it executed."""
    import re
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "analysis", "run"], cwd=repo, capture_output=True, text=True,
                         env=repo_env(repo), timeout=900)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return set(re.findall(r"ran notebooks/(\d+)_", out.stdout))


@pytest.fixture
def suite():
    """The function that runs the suite in a repo copy (see run_suite)."""
    return run_suite


@pytest.fixture
def rewrite_manifest():
    """The function that changes fields of one manifest row in a scratch repo (see _rewrite_manifest)."""
    return _rewrite_manifest


def _rewrite_manifest(root: Path, line: int, **changes) -> None:
    """Change fields of one row (by its line number, header = 1) of ``root``'s data/raw/sources.csv."""
    import csv

    path = root / "data/raw/sources.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[line - 2].update(changes)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def fill_lists(notebook: Path, figures: str, dismissed: str | None = None) -> None:
    """What a researcher does in a scaffolded notebook: write the FIGURES (and DISMISSED) cells."""
    import json

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if src.startswith("FIGURES = ["):
            cell["source"] = figures
        elif dismissed is not None and src.startswith("DISMISSED = ["):
            cell["source"] = dismissed
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


# A fictional city's report (written for these tests), with {city} for its name and {jobs} for its new jobs in 万:
# the scaffold's tests and the add-a-city walkthrough each give it theirs.
SAMPLE_ARTICLE = """网站首页 | 新闻中心 | 联系电话:0527-84358888
{city}市上半年民生实事进展顺利
今年上半年,全市城镇新增就业{jobs}万人,开展职业技能培训1.5万人次,发放创业担保贷款2.6亿元。民生支出占财政支出比重74.7%。
教育方面,新开工中小学、幼儿园12所,已竣工5所,新增学位8600个,招聘教师850名。
(记者 张三)
推荐阅读: 2021年{city}GDP达3719亿元
"""


# A fictional article (written for these tests) with a share of a named whole, a school count that includes
# kindergartens, a plan, a part above its whole, and a website line outside the body.
TESTCITY_ARTICLE = (
    "网站首页 | 联系电话:0527-84358888\n样例市上半年民生实事进展\n"
    "今年上半年,全市城镇新增就业9.2万人,开展职业技能培训1.5万人次。民生支出占财政支出比重74.7%。\n"
    "新开工中小学、幼儿园12所,已竣工5所,计划新建学校3所。\n(记者 张三)\n"
)
TESTCITY_FIGURES = '''FIGURES = [
    Fig("new_urban_jobs", "全市城镇新增就业9.2万人"),
    Fig("vocational_training", "开展职业技能培训1.5万人次"),
    Fig("livelihood_spending_share", "民生支出占财政支出比重74.7%"),
    Fig("schools_started", "新开工中小学、幼儿园12所"),
    Fig("schools_completed", "已竣工5所"),
    Fig("schools_planned", "计划新建学校3所"),
]'''
TESTCITY = dict(source_id="testcity_2021h1_zh", city_en="Testcity", city_zh="样例", admin_level="prefecture",
                province="Jiangsu", language="zh-Hans", published="2021-07-20", period="2021-H1", kind="results",
                outlet="样例日报 (test article)", body_start="今年上半年", body_end="(记者 张三)")


def add_testcity(root: Path, figures: str = TESTCITY_FIGURES, dismissed: str | None = None, write: bool = True,
                 execute: bool = False) -> Path:
    """Scaffold the fictional Testcity into ``root`` (a repo or scratch copy), fill its lists and, with ``write``,
    write its clean CSV and ledger as its notebook would (without a kernel); with ``execute``, the scaffold runs
    the new notebook once (empty lists), as ``new-source`` does. Returns the notebook's path."""
    from analysis.clean.figure_lists import figure_list
    from analysis.clean.observations import clean_source
    from analysis.suite.scaffold import NewSource, scaffold

    article = root / "testcity.txt"
    article.write_text(TESTCITY_ARTICLE, encoding="utf-8")
    scaffold(NewSource(article=article, **TESTCITY), root=root, execute=execute)
    article.unlink()
    notebook = next((root / "notebooks").glob("*_clean_testcity_2021h1_zh.ipynb"))
    fill_lists(notebook, figures, dismissed)
    if write:
        lists = figure_list("testcity_2021h1_zh", root)
        clean_source("testcity_2021h1_zh", lists["FIGURES"], lists.get("DISMISSED", ()), root=root)
    return notebook


@pytest.fixture
def data_repo(tmp_path: Path) -> Path:
    """A scratch folder with data/ (raw, codebook, vocabularies, comparisons) and an empty notebooks/: ``root=``."""
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    for f in ("codebook.csv", "vocabularies.csv", "comparisons.csv"):
        shutil.copy(ROOT / "data" / f, tmp_path / "data" / f)
    (tmp_path / "notebooks").mkdir()
    return tmp_path


@pytest.fixture
def testcity():
    """The fictional Testcity: ``.add(root, figures=..., dismissed=..., write=...)``, ``.figures``, ``.article``, ``.meta``."""
    from types import SimpleNamespace

    return SimpleNamespace(add=add_testcity, figures=TESTCITY_FIGURES, article=TESTCITY_ARTICLE, meta=TESTCITY)


@functools.cache
def _observations():
    import analysis

    return analysis.load_observations()


def observations():
    """``analysis.load_observations()`` of the checkout, loaded (and validated) once per process: the modules that
    read it at import time share one load instead of one each (~0.2 s a module, in every worker's collection).
    A copy each call, so a module that changes its frame changes no other module's."""
    return _observations().copy()


def _sigint_default() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def interruptible():
    """A ``preexec_fn`` for a child a test sends Ctrl-C (SIGINT): its default action back, as at a terminal. A shell
    that starts the tests in the background (``make test &``, some CI runners) leaves SIGINT ignored, which every
    child inherits: Python then installs no KeyboardInterrupt handler and make ignores it too."""
    return _sigint_default
