"""Issue 12: nothing lost, nothing half-written, nothing silently published. One test (or a small group)
per numbered item of the reliability probe; each reproduced its defect before the fix."""

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]


# --- item 3: impossible values are refused by parsing, in one function ---
@pytest.mark.parametrize("period", ["2020-H1\n", "2020-M07-M02", "2020-YTD@2019-99-99", "2020-YTD@2020-02-30",
                                    "2020-YTD@2021-01-05", "2020\r", " 2020", "2020-M00-M03", "H1 2020"])
def test_item03_check_period_refuses_impossible_periods(period):
    from analysis.core.periods import check_period

    with pytest.raises(ValueError, match="period"):
        check_period(period)


@pytest.mark.parametrize("period", ["2020", "2020-H1", "2020-H2", "2022-M01-M08", "2022-M03-M03",
                                    "2022-YTD@2022-09-22", "2024-YTD@2024-02-29", "2022-spring"])
def test_item03_check_period_accepts_real_periods(period):
    from analysis.core.periods import check_period, period_bounds

    assert check_period(period) == period
    assert period_bounds(period)[0] <= period_bounds(period)[1]


def test_item03_fig_period_and_schema_use_the_same_check():
    from analysis.clean.observations import Fig, ObservationError, build_observations
    from analysis.metadata.schema import SchemaError, validate

    fig = Fig("new_urban_jobs", "新增城镇就业2.01万人", period="2022-H1\n")
    with pytest.raises(ObservationError, match=r"figure 1 \(new_urban_jobs\): .*period"):
        build_observations("zaozhuang_2022h1_zh", [fig])
    df = pd.read_csv(ROOT / "data/clean/xuzhou_2020h1_zh.csv", dtype=str, keep_default_na=False)
    for bad in ("2020-H1\n", "2020-M07-M02", "2020-YTD@2019-99-99"):
        df.loc[2, "period"] = bad
        with pytest.raises(SchemaError, match=r"row 3 .*field 'period'"):
            validate(df, where="data/clean/xuzhou_2020h1_zh.csv")


SCAFFOLD_GOOD = dict(source_id="testcity_2021h1_zh", city_en="Testcity", city_zh="样例", admin_level="prefecture",
                     province="Jiangsu", language="zh-Hans", published="2021-07-20", period="2021-H1", kind="results",
                     outlet="样例日报", body_start="今年上半年", body_end="(记者 张三)")
ARTICLE = ("网站首页 | 新闻中心\n样例市上半年民生实事进展顺利\n今年上半年,全市城镇新增就业3.2万人,开展职业技能培训1.5万人次。\n"
           "新增学位8600个,招聘教师850名。\n(记者 张三)\n推荐阅读: 2021年样例GDP达3719亿元\n")


@pytest.mark.parametrize("field, value, message", [
    ("published", "2022-02-30", "--published '2022-02-30'"),
    ("period", "2021-H1\n", "--period"),
    ("period", "2020-M07-M02", "--period"),
    ("period", "2020-YTD@2019-99-99", "--period"),
    ("city_en", "Testcity\nEvil", "--city-en"),
    ("outlet", "样例\x00日报", "--outlet"),
    ("note", "a\rb", "--note"),
])
def test_item03_new_source_refuses_impossible_values(scratch_repo, tmp_path, field, value, message):
    from analysis.suite.scaffold import NewSource, ScaffoldError, plan

    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(ScaffoldError, match="nothing written") as e:
        plan(NewSource(article=article, **{**SCAFFOLD_GOOD, field: value}), root=scratch_repo)
    assert message in str(e.value)


# --- item 4: a bare CR in a text cell cannot corrupt a CSV ---
def test_item04_bare_cr_in_a_note_keeps_the_csv_whole(tmp_path):
    import csv

    from analysis.clean.observations import Fig, ObservationError, build_observations
    from analysis.core.paths import atomic_write_csv
    from analysis.metadata.schema import COLUMNS

    df = pd.read_csv(ROOT / "data/clean/xuzhou_2020h1_zh.csv", dtype=str, keep_default_na=False)
    df.loc[0, "note"] = "first line\rsecond line"
    df.loc[1, "note"] = "windows\r\nline"
    path = tmp_path / "x.csv"
    atomic_write_csv(df[COLUMNS], path)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(back) == len(df) and list(back.columns) == COLUMNS
    assert back.loc[0, "note"] == "first line\nsecond line" and back.loc[1, "note"] == "windows\nline"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == len(df) + 1 and all(len(r) == len(COLUMNS) for r in rows)
    with pytest.raises(ObservationError, match=r"figure 1 .*line break"):  # a quote is part of one line
        build_observations("zaozhuang_2022h1_zh", [Fig("new_urban_jobs", "新增城镇就业2.01万人\r")])


# --- item 7: offsets into the raw file as stored, whatever its line endings ---
def _scratch_with_article(root: Path, tmp_path: Path, text: str, **markers) -> str:
    from analysis.suite.scaffold import NewSource, scaffold

    for f in ("codebook.csv", "vocabularies.csv", "comparisons.csv"):
        shutil.copy(ROOT / "data" / f, root / "data" / f)
    article = tmp_path / "article.txt"
    article.write_bytes(text.encode("utf-8"))
    fields = {**SCAFFOLD_GOOD, **markers}
    scaffold(NewSource(article=article, **fields), root=root, execute=False)
    return fields["source_id"]


@pytest.mark.parametrize("newline, bom, markers", [
    ("\r\n", "", {}), ("\r", "", {}), ("\n", "\ufeff", {}), ("\r\n", "\ufeff", {}),
    ("\n", "\ufeff", {"body_start": "", "body_end": ""}),  # default markers: the first line carries the BOM
], ids=["crlf", "lone-cr", "bom", "bom-crlf", "bom-default-markers"])
def test_item07_offsets_are_into_the_raw_file_as_stored(scratch_repo, tmp_path, newline, bom, markers):
    from analysis.clean.observations import Fig, build_observations
    from analysis.clean.trace import check_rows
    from analysis.sources.manifest import load_sources, read_article

    text = bom + ARTICLE.replace("\n", newline)
    if markers:
        text = bom + "今年上半年,全市城镇新增就业3.2万人,开展职业技能培训1.5万人次。\n新增学位8600个,招聘教师850名。\n".replace("\n", newline)
    sid = _scratch_with_article(scratch_repo, tmp_path, text, **markers)
    src = load_sources(scratch_repo).set_index("source_id").loc[sid]
    stored = (scratch_repo / src["path"]).read_bytes().decode("utf-8")
    assert stored == text  # copied byte for byte
    df = build_observations(sid, [Fig("new_urban_jobs", "全市城镇新增就业3.2万人"), Fig("teachers_recruited", "招聘教师850名")],
                            root=scratch_repo)
    for row in df.itertuples():
        assert stored[row.quote_start:row.quote_start + len(row.quote)] == row.quote
    check_rows(df, where="x.csv", root=scratch_repo, source_id=sid)  # the trace test reads it the same way
    assert read_article(sid, root=scratch_repo).startswith("今年上半年")


# --- item 9: the load that feeds the analyses runs the provenance check ---
@pytest.mark.parametrize("column, change, message", [
    ("city_en", ("Zaozhuang", "Atlantis"), r"field 'city_en' is not among the places"),
    ("quote_start", None, r"field 'quote_start' does not point at the quote"),
    ("value", None, r"field 'value' is not what the figure says"),
    ("quote", None, r"field 'quote_start' does not point at the quote"),
])
def test_item09_hand_edited_clean_csv_is_refused_on_load(tmp_path, column, change, message):
    import analysis
    from analysis.clean.trace import TraceError

    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / "data/clean/zaozhuang_2022h1_zh.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if column == "city_en":
        df.loc[df["city_en"] == change[0], "city_en"] = change[1]
    elif column == "quote_start":
        df.loc[4, "quote_start"] = str(int(df.loc[4, "quote_start"]) + 1)
    elif column == "value":
        df.loc[4, "value"] = str(float(df.loc[4, "value"]) * 10)
    else:
        df.loc[4, "quote"] = "民生"
    df.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(TraceError, match=r"data/clean/zaozhuang_2022h1_zh.csv row \d+ .*" + message):
        analysis.load_observations(root=tmp_path)


def test_item09_trace_test_and_loader_share_one_check():
    source = (ROOT / "tests/clean/test_data.py").read_text(encoding="utf-8")
    assert "check_source(" in source  # the data tests run the rulebook, whose rows rules the loader runs
    import inspect

    from analysis.clean import observations

    assert "row_problems(" in inspect.getsource(observations._validate_and_trace)


# --- item 12: no clean-CSV cell a spreadsheet would run as a formula ---
@pytest.mark.parametrize("note", ["=1+1", "+1", "-x", "@SUM(A1)"])
def test_item12_formula_like_note_is_refused_when_built(note):
    from analysis.clean.observations import Fig, ObservationError, build_observations

    with pytest.raises(ObservationError, match=r"figure 1 .*spreadsheet"):
        build_observations("zaozhuang_2022h1_zh", [Fig("new_urban_jobs", "新增城镇就业2.01万人", note=note)])


@pytest.mark.parametrize("quote, figure", [("=3.2万人新增就业", "3.2万人"), ("-3.2万人新增就业", "3.2万人"),
                                           ("@3.2万人新增就业", "3.2万人")])
def test_item12_formula_like_quote_is_refused_when_built(scratch_repo, tmp_path, quote, figure):
    from analysis.clean.observations import Fig, ObservationError, build_observations

    sid = _scratch_with_article(scratch_repo, tmp_path, ARTICLE.replace("新增学位8600个", quote + ",新增学位8600个"))
    with pytest.raises(ObservationError, match=r"figure 1 .*spreadsheet"):
        build_observations(sid, [Fig("new_urban_jobs", quote, figure=figure)], root=scratch_repo)


def test_item12_formula_like_cell_is_refused_on_load(tmp_path):
    import analysis
    from analysis.clean.trace import TraceError

    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / "data/clean/linyi_2022plan_en.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, "note"] = "=cmd|' /C calc'!A0"
    df.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(TraceError, match=r"linyi_2022plan_en.csv row 1 .*field 'note' begins with"):
        analysis.load_observations(root=tmp_path)


# --- item 8: manifest paths outside the repository are refused ---
@pytest.mark.parametrize("path", ["../outside.txt", "/etc/hostname", "data/raw/../../README.md", "README.md"])
def test_item08_manifest_path_outside_the_repo_is_refused(scratch_repo, rewrite_manifest, path):
    from analysis.sources.manifest import ManifestError, load_sources

    (scratch_repo / "outside.txt").write_text("x", encoding="utf-8")
    (scratch_repo / "README.md").write_text("x", encoding="utf-8")
    rewrite_manifest(scratch_repo, 3, path=path)
    with pytest.raises(ManifestError, match=r"line 3 .*outside data/raw/"):
        load_sources(root=scratch_repo, verify=False)



# --- item 10: an empty or header-only manifest is refused, not "0 articles verified" ---
@pytest.mark.parametrize("content", ["", "header-only"])
def test_item10_empty_manifest_is_refused(scratch_repo, content):
    from analysis.sources.manifest import ManifestError, load_sources

    path = scratch_repo / "data/raw/sources.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines(keepends=True)[0] if content else "", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"data/raw/sources.csv: .*(empty|no articles)"):
        load_sources(root=scratch_repo)


# --- item 13 (manifest part): a BOM or CRLF in the manifest works; a directory article says so ---
def test_item13_manifest_with_bom_and_crlf_works(scratch_repo, tmp_path):
    from analysis.sources.manifest import load_sources
    from analysis.suite.scaffold import NewSource, plan

    for name in ("sources.csv", "places.csv"):
        path = scratch_repo / "data/raw" / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    df = load_sources(root=scratch_repo)
    assert list(df["source_id"]) == list(load_sources()["source_id"])
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    p = plan(NewSource(article=article, **{**SCAFFOLD_GOOD, "source_id": "testcity_2021h1_zh"}), root=scratch_repo)
    assert "zaozhuang_2022h1_zh" in {r["source_id"] for r in p["rows"]}
    with pytest.raises(Exception, match="already in data/raw/sources.csv"):
        plan(NewSource(article=article, **{**SCAFFOLD_GOOD, "source_id": "zaozhuang_2022h1_zh"}), root=scratch_repo)


def test_item13_directory_as_article_says_it_is_a_directory(scratch_repo, tmp_path):
    from analysis.suite.scaffold import NewSource, ScaffoldError, plan

    with pytest.raises(ScaffoldError, match="is a directory"):
        plan(NewSource(article=tmp_path, **SCAFFOLD_GOOD), root=scratch_repo)


# --- item 6: tests never change tracked files; nbval kernels import this checkout ---
def test_item06_nbval_does_not_rewrite_committed_outputs():
    import subprocess
    import sys

    watched = [ROOT / "data/clean/linyi_2022plan_en.csv", ROOT / "data/clean/datapackage.json"]
    before = [(p.stat().st_ino, p.stat().st_mtime_ns) for p in watched]
    env = {k: v for k, v in os.environ.items() if k not in ("MINSHENG_OUTPUT_ROOT", "PYTHONPATH")}
    out = subprocess.run([sys.executable, "-m", "pytest", "-n", "0", "notebooks/13_clean_linyi_2022plan_en.ipynb"],
                         cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:]
    assert [(p.stat().st_ino, p.stat().st_mtime_ns) for p in watched] == before  # not even rewritten identically


def test_item06_kernels_write_to_the_output_root_and_import_this_checkout():
    from analysis.core import paths

    assert os.environ["MINSHENG_OUTPUT_ROOT"] and paths.CLEAN != ROOT / "data/clean"
    assert paths.CLEAN.parent.parent == Path(os.environ["MINSHENG_OUTPUT_ROOT"]) and paths.ROOT == ROOT
    assert os.environ["PYTHONPATH"].split(os.pathsep)[0] == str(ROOT)


# --- items 1, 5, 13 (runner): a small repo of two notebooks, executed by a stand-in for the kernel ---
@pytest.fixture
def mini(tmp_path, monkeypatch):
    """tmp repo: 10_a reads in/seed.txt and writes out/a.txt; 20_b reads out/a.txt and writes out/b_*.txt."""
    import nbformat

    from analysis.suite import pipeline
    from analysis.suite.notebooks import new_notebook

    root = tmp_path / "repo"
    (root / "in").mkdir(parents=True)
    (root / "in/seed.txt").write_text("seed", encoding="utf-8")
    (root / "notebooks").mkdir()
    a = new_notebook([("code", '(ROOT / "out").mkdir(exist_ok=True)\n'
                               '(ROOT / "out/a.txt").write_text((ROOT / "in/seed.txt").read_text() + "A")')],
                     ["in/seed.txt"], ["out/a.txt"])
    b = new_notebook([("code", '(ROOT / "out/b_1.txt").write_text((ROOT / "out/a.txt").read_text() + "B")')],
                     ["out/a.txt"], ["out/b_*.txt"])
    nbformat.write(a, root / "notebooks/10_a.ipynb")
    nbformat.write(b, root / "notebooks/20_b.ipynb")
    ran = []

    def fake_execute(path, root_):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                exec(cell.source, {"ROOT": Path(root_)})
        ran.append(path.stem[:2])

    monkeypatch.setattr(pipeline, "execute", fake_execute)

    def run(**kw):
        ran.clear()
        lines = []
        rc = pipeline.run_all(root=root, jobs=1, log=lines.append, **kw)
        return rc, sorted(ran), "\n".join(lines)

    return root, run


def test_item01_missing_or_changed_output_is_rebuilt(mini):
    root, run = mini
    assert run()[:2] == (0, ["10", "20"])
    assert run()[:2] == (0, [])
    (root / "out/a.txt").unlink()  # a deleted clean CSV: its notebook runs again
    assert run()[:2] == (0, ["10"])
    (root / "out/b_1.txt").unlink()  # a deleted chart
    assert run()[:2] == (0, ["20"])
    (root / "out/b_1.txt").write_text("hand-edited", encoding="utf-8")  # a hand-edited output
    assert run()[:2] == (0, ["20"])
    assert (root / "out/b_1.txt").read_text() == "seedAB"
    assert run()[:2] == (0, [])


def test_item01_a_notebook_never_runs_without_its_input(mini):
    root, run = mini
    run()
    (root / "in/seed.txt").unlink()
    rc, ran, log = run()
    assert rc == 1 and ran == []
    assert "FAILED notebooks/10_a.ipynb: input in/seed.txt is missing" in log or "input in/seed.txt is missing" in log
    assert "skip" in log and "1 failed, 1 skipped" in log  # item 13: a skipped notebook is not counted as failed


def test_item01_a_fresh_copy_runs_everything_unless_recorded_current(mini):
    """A copy without runner state runs every notebook; :func:`record_current` records the files as they stand
    (what the tests' repo copies use instead of a first run), after which only what changes runs."""
    from analysis.suite import pipeline

    root, run = mini
    assert run()[:2] == (0, ["10", "20"])
    shutil.rmtree(root / ".suite-state")  # a fresh copy: the files a run left, no state
    assert run()[:2] == (0, ["10", "20"])  # runs all
    shutil.rmtree(root / ".suite-state")
    assert [p.name for p in pipeline.record_current(root)] == ["10_a.ipynb", "20_b.ipynb"]
    assert run()[:2] == (0, [])  # recorded: nothing runs
    (root / "in/seed.txt").write_text("new seed", encoding="utf-8")
    assert run()[:2] == (0, ["10", "20"])  # a changed input: what depends on it runs
    shutil.rmtree(root / ".suite-state")
    (root / "out/b_1.txt").unlink()  # an output missing when recorded: its notebook is not current
    pipeline.record_current(root)
    assert run()[:2] == (0, ["20"])
    assert (root / "out/b_1.txt").read_text() == "new seedAB"


def test_item05_two_runs_in_one_repo_wait_for_each_other(mini):
    import threading
    import time

    from analysis.suite.state import suite_lock

    root, run = mini
    result = {}
    with suite_lock(root):
        t = threading.Thread(target=lambda: result.update(out=run()))
        t.start()
        time.sleep(0.5)
        assert t.is_alive() and not result  # waiting for the lock
    t.join(30)
    rc, ran, log = result["out"]
    assert rc == 0 and ran == ["10", "20"] and "waiting" in log


def test_item05_notebook_writes_use_unique_temp_names(tmp_path):
    import inspect
    import threading

    import nbformat

    from analysis.suite import pipeline
    from analysis.suite.notebooks import new_notebook, write_notebook

    target = tmp_path / "n.ipynb"
    (tmp_path / "n.ipynb.tmp").mkdir()  # the old fixed temp name, taken
    errors = []

    def write(i):
        try:
            write_notebook(new_notebook([("code", f"x = {i}")], []), target)
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and nbformat.read(target, as_version=4).cells[0].source.startswith("x = ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.ipynb", "n.ipynb.tmp"]
    assert ".ipynb.tmp" not in inspect.getsource(pipeline.execute)


@pytest.mark.parametrize("damage", ["state-is-a-file", "empty-stamps", "garbage-stamps", "stamps-are-folders"])
def test_item13_corrupt_state_is_no_state(mini, damage):
    root, run = mini
    run()
    state = root / ".suite-state"
    if damage == "state-is-a-file":
        shutil.rmtree(state)
        state.write_text("garbage")
    else:
        for p in list(state.iterdir()):
            if p.name == "lock":
                continue
            p.unlink()
            if damage == "empty-stamps":
                p.write_text("")
            elif damage == "garbage-stamps":
                p.write_bytes(b"\xff\xfe garbage")
            else:
                p.mkdir()
    rc, ran, log = run()
    assert rc == 0 and ran == ["10", "20"], log  # everything runs again
    assert run()[:2] == (0, [])


def test_item13_leftover_temp_files_are_cleaned_by_the_next_run(mini):
    root, run = mini
    run()
    (root / "notebooks/.10_a.ipynb.k3j2.tmp").write_text("half a notebook")
    (root / "notebooks/10_a.ipynb.tmp").write_text("half a notebook")
    (root / ".suite-state/.10_a.sha256.x1.tmp").write_text("")
    rc, ran, log = run()
    assert rc == 0 and "removed notebooks/.10_a.ipynb.k3j2.tmp" in log
    assert not [p for d in ("notebooks", ".suite-state") for p in (root / d).iterdir() if p.name.endswith(".tmp")]


def test_item13_a_failing_notebook_is_one_plain_line(mini, monkeypatch):
    from analysis.suite import pipeline

    root, run = mini

    def boom(path, root_):
        raise RuntimeError("\x1b[0;31mTraceback\x1b[0m\n...\n\x1b[0;31mObservationError\x1b[0m: s figure 3 (x): quote not found")

    monkeypatch.setattr(pipeline, "execute", boom)
    rc, _, log = run()
    assert rc == 1 and "\x1b" not in log
    assert "FAILED notebooks/10_a.ipynb: RuntimeError: ObservationError: s figure 3 (x): quote not found" in log


# --- item 2: new-source is all or nothing, and a retry after a failure succeeds ---
def _snap(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for d in ("data/raw", "notebooks")
            for p in (root / d).rglob("*") if p.is_file()} if root.exists() else {}


@pytest.mark.parametrize("where", ["during-copy", "during-first-run", "sigterm-during-first-run", "notebook-fails"])
def test_item02_new_source_is_all_or_nothing(scratch_repo, tmp_path, monkeypatch, where):
    import signal
    import time

    from analysis.suite import pipeline
    from analysis.suite.scaffold import NewSource, ScaffoldError, scaffold

    (scratch_repo / "notebooks").mkdir()
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    src = NewSource(article=article, **SCAFFOLD_GOOD)
    before = _snap(scratch_repo)
    if where == "during-copy":
        def half_copy(a, b, **kw):
            Path(b).write_bytes(Path(a).read_bytes()[:20])
            raise KeyboardInterrupt

        monkeypatch.setattr(shutil, "copyfile", half_copy)
    elif where == "during-first-run":
        monkeypatch.setattr(pipeline, "execute", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    elif where == "sigterm-during-first-run":
        def sigterm(*a):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)

        monkeypatch.setattr(pipeline, "execute", sigterm)
    else:
        monkeypatch.setattr(pipeline, "execute", lambda *a: (_ for _ in ()).throw(RuntimeError("cell 3 failed")))
    with pytest.raises(ScaffoldError if where == "notebook-fails" else KeyboardInterrupt):
        scaffold(src, root=scratch_repo, execute=True)
    assert _snap(scratch_repo) == before  # nothing half-written, nothing left
    assert signal.getsignal(signal.SIGTERM) is not None
    monkeypatch.undo()
    nb = scaffold(src, root=scratch_repo, execute=False)  # the retry succeeds
    assert nb.exists() and (scratch_repo / "data/raw/testcity_2021h1_zh.txt").read_bytes() == article.read_bytes()


# --- item 11: the terminal prompt for body lines validates its answers ---
def test_item11_prompt_refuses_bad_line_numbers(tmp_path, capsys, monkeypatch):
    import builtins

    from analysis.suite.cli import _ask_markers

    article = tmp_path / "a.txt"
    article.write_text("menu\n\nfirst body line\nsecond body line\nfooter\n", encoding="utf-8")
    answers = iter(["0", "x", "", "-1", "99", "2", "1", "3"])
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(answers))
    start, end = _ask_markers(article)
    assert (start, end) == ("first body line", "second body line")
    out = capsys.readouterr().out
    assert "'0' is not a line number from 1 to 4" in out and "'1' is not a line number from 2 to 4" in out


# --- item 13 (command line): one plain line, non-zero exit, no traceback, no ANSI, no noise on Ctrl-C ---
def _cli(repo: Path, *args, **kw):
    import subprocess
    import sys

    env = {**{k: v for k, v in os.environ.items() if k != "MINSHENG_OUTPUT_ROOT"}, "PYTHONPATH": str(repo)}
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=repo, capture_output=True, text=True,
                          env=env, timeout=300, **kw)


def test_item13_user_errors_are_one_plain_line(repo_copy, tmp_path):
    manifest = repo_copy / "data/raw/sources.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(",2020-H1,", ",2020-M07-M02,"), encoding="utf-8")
    for args in (["check"], ["run"]):
        out = _cli(repo_copy, *args)
        assert out.returncode == 2 and "Traceback" not in out.stderr and "\x1b" not in out.stderr, out.stderr
        assert out.stderr.startswith("error: data/raw/sources.csv line ") and "period '2020-M07-M02'" in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
    out = _cli(repo_copy, "new-source", str(tmp_path), "--source-id", "x_1")
    assert out.returncode == 2 and "is a directory" in out.stderr and "Traceback" not in out.stderr


def _kernels_of(pid: int) -> list[int]:
    """The ipykernel processes descending from ``pid`` (read from /proc: this suite runs on Linux)."""
    parents, kernels = {}, []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
                parents[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
                if b"ipykernel" in (d / "cmdline").read_bytes():
                    kernels.append(int(d.name))
            except (OSError, ValueError, IndexError):
                continue

    def descends(p: int) -> bool:
        seen = set()
        while p in parents and p not in seen:
            seen.add(p)
            p = parents[p]
            if p == pid:
                return True
        return False

    return [k for k in kernels if descends(k)]


def test_item13_ctrl_c_during_a_run_is_quiet(repo_copy, interruptible):
    import signal
    import subprocess
    import sys
    import time

    env = {**{k: v for k, v in os.environ.items() if k != "MINSHENG_OUTPUT_ROOT"}, "PYTHONPATH": str(repo_copy)}
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "run", "--force"], cwd=repo_copy, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=interruptible)
    deadline = time.monotonic() + 60  # kernels are running: wait for one (not a fixed 4 s), then let it work
    while not _kernels_of(proc.pid) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert _kernels_of(proc.pid), "no kernel started"
    time.sleep(1)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C at a terminal does: the whole process group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (out, err)
    assert err.strip().startswith("interrupted") and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and "asyncio" not in err and "\x1b" not in err


def test_item13_a_bad_figure_list_fails_in_one_line_naming_the_figure(tmp_path):
    import nbformat

    from analysis.suite.notebooks import new_notebook
    from analysis.suite.pipeline import run_all

    (tmp_path / "notebooks").mkdir()
    cell = ("from analysis import Fig\nfrom analysis.clean.observations import build_observations\n"
            'build_observations("zaozhuang_2022h1_zh", [Fig("new_urban_jobs", "新增城镇就业9.99万人")])')
    nbformat.write(new_notebook([("code", cell)], []), tmp_path / "notebooks/10_bad.ipynb")
    lines = []
    assert run_all(root=tmp_path, log=lines.append) == 1  # a real kernel: its traceback is in colour
    failed = [ln for ln in lines if "FAILED" in ln]
    assert failed == ["  FAILED notebooks/10_bad.ipynb: CellExecutionError: ObservationError: zaozhuang_2022h1_zh "
                      "figure 1 (new_urban_jobs): quote not found verbatim in data/raw/2022-07-05_zaozhuang_h1-results_zh-hans.txt: "
                      "'新增城镇就业9.99万人'; the nearest passage in the body is '新增城镇就业2.01万人' (75% alike)"], lines


@pytest.mark.parametrize("field, value", [("city_en", "Zaozhuang\nEvil"), ("period", "2022-H1\n"), ("outlet", "a\tb")])
def test_item03_manifest_field_with_a_control_character_is_refused(scratch_repo, rewrite_manifest, field, value):
    from analysis.sources.manifest import ManifestError, load_sources

    rewrite_manifest(scratch_repo, 3, **{field: value})
    with pytest.raises(ManifestError, match=rf"line 3 .*{field} .*control character"):
        load_sources(root=scratch_repo, verify=False)


def test_item13_an_unreadable_notebook_is_named(mini):
    from analysis.suite.state import NotebookError

    root, run = mini
    (root / "notebooks/20_b.ipynb").write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(NotebookError, match=r"notebooks/20_b.ipynb: not a readable notebook"):
        run()
