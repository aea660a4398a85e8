"""The generated reference pages (docs/reference/*.md): current, complete, deterministic, one cell per cell.

Every test states a property of whatever data/ holds today; none names a count or an indicator of today's data.
"""

import html
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.suite import refdocs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A temp root holding a copy of data/ and of the committed reference pages."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / refdocs.REFERENCE_REL, tmp_path / refdocs.REFERENCE_REL)
    return tmp_path


def test_the_committed_pages_are_current():
    stale = refdocs.stale_pages()
    assert stale == [], (f"{', '.join(stale)} not what data/ says now: run `python -m analysis docs` "
                         "and commit the pages (never edit them by hand)")


def test_each_page_says_it_is_generated_and_from_what():
    for rel, text in refdocs.pages().items():
        first = text.splitlines()[0]
        assert "python -m analysis docs" in first and "do not edit by hand" in first, rel
        assert refdocs.PAGES[rel] in first, rel
        assert text.endswith("\n") and not text.endswith("\n\n"), rel


def test_the_pages_are_deterministic_and_hold_no_absolute_path(data_copy):
    here = refdocs.pages()
    assert here == refdocs.pages()
    assert refdocs.pages(data_copy) == here  # the same data elsewhere give the same bytes: no path, no date
    for rel, text in here.items():
        assert str(ROOT) not in text and str(data_copy) not in text, rel


def test_every_indicator_value_field_rule_source_and_place_is_listed():
    from analysis.clean.rules import RULES
    from analysis.metadata.codebook import load_codebook, load_vocabularies
    from analysis.metadata.schema import fields, ledger_fields
    from analysis.sources.manifest import load_places, load_sources

    pages = refdocs.pages()
    book = pages["docs/reference/codebook.md"]
    for r in load_codebook().to_dict("records"):
        row = next(line for line in book.splitlines() if line.startswith(f"| `{r['indicator']}` |"))
        assert refdocs.esc(r["label_en"]) in row and refdocs.esc(r["label_zh"]) in row, r["indicator"]
        assert all(f"`{u}`" in row for u in r["unit"].split("|")), r["indicator"]
        if r["part_of"]:
            assert f"part of `{r['part_of']}`" in row, r["indicator"]
    # each indicator sits under its own topic's heading
    for topic, section in re.findall(r"^## (\S+)\n(.*?)(?=^## |\Z)", book, flags=re.M | re.S):
        ids = re.findall(r"^\| `([^`]+)` \|", section, flags=re.M)
        cb = load_codebook().set_index("indicator")
        assert ids and all(cb.at[i, "topic"] == topic for i in ids), topic
        assert ids == sorted(ids), topic
    voc_page = pages["docs/reference/vocabularies.md"]
    for v in load_vocabularies().to_dict("records"):
        section = voc_page.split(f"\n## {v['field']}\n", 1)[1].split("\n## ", 1)[0]
        assert f"| `{v['value']}` | {refdocs.esc(v['label_en'])} | {refdocs.esc(v['label_zh'])} |" in section, v
    fields_page = pages["docs/reference/fields.md"]
    for f in fields() + ledger_fields():
        assert f"| `{f['name']}` | `{f['type']}` |" in fields_page, f["name"]
    for r in RULES.values():
        assert f"| `{r.name}` | `{r.level}` | {refdocs.esc(r.statement)} |" in fields_page, r.name
    sources_page = pages["docs/reference/sources.md"]
    for sid in load_sources(verify=False)["source_id"]:
        assert f"| `{sid}` |" in sources_page, sid
    for p in load_places()["place_en"]:
        assert f"| {refdocs.esc(p)} |" in sources_page, p


def test_a_new_codebook_row_makes_the_codebook_page_stale_until_regenerated(data_copy):
    assert refdocs.stale_pages(data_copy) == []
    path = data_copy / "data" / "codebook.csv"
    cb = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    new = cb.iloc[[0]].assign(indicator="zz_added_for_the_test", label_en="Added | for the test")
    pd.concat([cb, new]).to_csv(path, index=False, lineterminator="\n")
    assert refdocs.stale_pages(data_copy) == ["docs/reference/codebook.md"]
    written = refdocs.write_pages(data_copy)
    assert [rel for rel, changed in written if changed] == ["docs/reference/codebook.md"]
    assert refdocs.stale_pages(data_copy) == []
    text = (data_copy / "docs/reference/codebook.md").read_text(encoding="utf-8")
    assert "| `zz_added_for_the_test` | Added \\| for the test |" in text
    assert refdocs.write_pages(data_copy) == [(rel, False) for rel in refdocs.PAGES]  # nothing left to write


def test_a_missing_page_is_stale(data_copy):
    (data_copy / "docs/reference/sources.md").unlink()
    assert refdocs.stale_pages(data_copy) == ["docs/reference/sources.md"]


@pytest.mark.parametrize("text", ["a | b\nc", "x|y\r\nz", "back\\slash | `tick` *star* _under_ <b>tag</b>\rend"])
def test_a_cell_with_a_pipe_and_a_line_break_renders_as_one_cell(text):
    from analysis.suite.site import markdown_html

    md = refdocs.table(["first", "second", "third"], [["`id`", refdocs.esc(text), refdocs.code(text)]])
    assert len(md.splitlines()) == 3  # header, rule, one row: the line break did not split the row
    out = markdown_html(md)
    rows = re.findall(r"<tr>(.*?)</tr>", out, flags=re.S)
    assert len(rows) == 2
    cells = re.findall(r"<td[^>]*>(.*?)</td>", rows[1], flags=re.S)
    assert len(cells) == 3, out
    for cell in cells[1:]:  # as text, with each line break as <br>: the words, in order, nothing interpreted
        lines = [re.sub(r"<[^>]+>", "", part) for part in re.split(r"<br\s*/?>", cell)]
        assert [html.unescape(x) for x in lines] == re.split(r"\r\n|\r|\n", text), cell


def test_the_command_writes_the_pages_and_check_says_which_are_stale(monkeypatch, capsys):
    from analysis.suite.cli import main

    assert main(["docs", "--check"]) == 0
    assert "current" in capsys.readouterr().out
    monkeypatch.setattr(refdocs, "stale_pages", lambda root=None: ["docs/reference/codebook.md"])
    assert main(["docs", "--check"]) == 1
    out = capsys.readouterr().out
    assert "stale: docs/reference/codebook.md" in out and "python -m analysis docs" in out
    monkeypatch.setattr(refdocs, "write_pages", lambda root=None: [(rel, False) for rel in refdocs.PAGES])
    assert main(["docs"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"current: {rel}" for rel in refdocs.PAGES]
