"""Add a source: copy the article verbatim, record it in the manifest, stamp its cleaning notebook.

``python -m analysis new-source ARTICLE --source-id ... --city-en ... (see --help)``

Editorial decisions
- Everything is checked before anything is written: a wrong or missing field, an unknown language,
  kind or admin level, a period that is not in the schema's form, an id or a raw file name already
  taken, a place already known with other metadata, body markers that do not select exactly one line.
  A refusal leaves ``data/raw``, the manifest, ``places.csv`` and ``notebooks/`` untouched.
- All or nothing: the raw file is copied under a temp name and renamed; if anything fails or is
  interrupted afterwards (Ctrl-C, SIGTERM, SIGHUP, a failed first run of the notebook), the manifest
  and ``places.csv`` get their old bytes back and the new raw file and notebook are removed, so a
  retry starts afresh. It holds the suite's lock (``.suite-state/lock``) while it writes.
- The title, where none is given, is the last non-empty line before the body that is not a byline
  (来源/发布时间/作者/字号 ..., a date; the headline above the article; the page's navigation comes
  first), else the body's first line. ``--title`` says otherwise.
- The body: without markers, the first and last non-empty lines of the file are taken, which is
  right for a file holding only the article; a page with navigation or teasers needs
  ``--body-start`` / ``--body-end`` (the start of the body's first line, the end of its last line).
  When the markers select no line or several, the command asks for them at a terminal (it lists
  the lines and takes the first and last line's numbers); without a terminal it stops with an error.
- The raw file is named ``<source_id>.txt`` (ids are unique, so two articles of one city, date and
  period never collide) and copied byte for byte.
- Codes are accepted in any case and normalised (``zh-hans`` -> ``zh-Hans``, ``Results`` -> ``results``,
  ``2021-h1`` -> ``2021-H1``, ``2022-ytd@2022-09-22`` -> ``2022-YTD@2022-09-22``).
- A published date that is unknown is never invented: ``--published unknown`` (or empty) needs
  ``--accessed``, the date the article was read; charts then say "published date unknown (accessed ...)".
- A population for a new place (``--population`` with its citation ``--population-source``, optionally
  ``--population-date``) is appended to ``data/raw/reference/population_added.csv``, so per-capita
  comparisons include the place; a place with a census or added population already is refused.
- The notebook is numbered after the existing cleaning notebooks (15-19, then 150-199, then 1500-1999: each sorts
  between the cleaning notebooks 10-14 and the analysis notebooks 20-23), stamped
  from the same template as the others, with an empty figure list to fill, and executed once so
  that the article's mention index is already shown.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import signal
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from analysis.core.paths import ROOT, atomic_path
from analysis.core.periods import check_period
from analysis.sources.manifest import (
    ADMIN_LEVELS,
    COLUMNS,
    KINDS,
    LANGUAGES,
    URL_PATTERN,
    ManifestError,
    article_body_span,
    is_date,
)
from analysis.suite.state import suite_lock

PLACE_COLUMNS = ["place_en", "place_zh", "admin_level", "parent_en", "province"]


class ScaffoldError(ValueError):
    """The new source's metadata or file is wrong; nothing was written."""


@dataclass
class NewSource:
    """What a researcher says about an article they bring."""

    article: Path
    source_id: str
    city_en: str
    city_zh: str
    admin_level: str
    province: str
    language: str
    published: str
    period: str
    kind: str
    outlet: str
    title: str = ""
    parent_en: str = ""
    translation_of: str = ""
    body_start: str = ""
    body_end: str = ""
    note: str = ""
    accessed: str = ""  # the date the article was read; required where the published date is unknown
    population: str = ""  # resident population of a new place, with its citation (population_source)
    population_source: str = ""
    population_date: str = ""  # the population's reference date, if the citation gives one
    url: str = ""  # where the article stands (http:// or https://)
    licence: str = ""  # its licence or terms of use, as the site states them
    citation: str = ""  # how the outlet asks to be cited, or a full reference to the article


POPULATION_COLUMNS = ["city_en", "city_zh", "admin_level", "province", "resident_population", "reference_date",
                      "source_title", "source_publisher", "retrieved_via", "note"]


def normalise(src: NewSource) -> NewSource:
    """Return ``src`` with its codes in canonical case: language, kind, admin level and period.

    >>> n = normalise(NewSource("a.txt", "x", "X", "X", "Prefecture", "P", "ZH-HANS", "Unknown", "2022-ytd@2022-09-22", "Results", "o"))
    >>> n.language, n.kind, n.admin_level, n.period, n.published
    ('zh-Hans', 'results', 'prefecture', '2022-YTD@2022-09-22', '')
    """
    import dataclasses

    def canon(value: str, allowed) -> str:
        return next((a for a in allowed if a.lower() == value.strip().lower()), value.strip())

    period = src.period.strip()
    if period:
        period = re.sub(r"(?i)-(h[12]|m\d\d|ytd)", lambda m: "-" + m.group(1).upper(), period)
        period = re.sub(r"(?i)-spring$", "-spring", period)
        period = re.sub(r"(?i)-M(\d\d)-m(\d\d)", r"-M\1-M\2", period)
    published = "" if src.published.strip().lower() in ("unknown", "none", "") else src.published.strip()
    return dataclasses.replace(src, language=canon(src.language, LANGUAGES), kind=canon(src.kind, KINDS),
                               admin_level=canon(src.admin_level, ADMIN_LEVELS), period=period, published=published,
                               accessed=src.accessed.strip(), source_id=src.source_id.strip())


def _read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:  # a BOM and CRLF are read like plain LF files
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _csv_text(fields: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _atomic_text(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")


def _control_characters(src: NewSource) -> list[str]:
    """One error per field holding a control character (newline, CR, tab, NUL...), a bidi or line-separator
    character (U+202E, U+2028), or text a spreadsheet would run as a formula (= + - @ first): every field is
    one line of plain text, and no CSV the suite writes holds a formula."""
    import dataclasses
    import unicodedata

    from analysis.core.text import formula_like, invisible_controls

    errors = []
    for f in dataclasses.fields(src):
        value = getattr(src, f.name)
        if f.name == "article" or not isinstance(value, str):
            continue
        flag = f"--{f.name.replace('_', '-')}"
        bad = [ch for ch in value if unicodedata.category(ch) == "Cc"]
        if bad:
            errors.append(f"{flag} {value!r}: contains a control character ({bad[0]!r}); give one line of plain text")
        hidden = invisible_controls(value)
        if hidden:
            errors.append(f"{flag} {value!r}: contains {hidden[0]} (a bidi or line-separator character that shows "
                          "the text other than it is stored); give plain text")
        if formula_like(value.strip()):
            errors.append(f"{flag} {value!r}: starts with {value.strip()[0]!r}, which a spreadsheet runs as a formula; "
                          "write it without the leading sign")
    return errors


def _default_markers(text: str) -> tuple[str, str]:
    lines = [ln.strip().lstrip("\ufeff").strip() for ln in text.splitlines() if ln.strip().lstrip("\ufeff").strip()]
    if not lines:
        raise ScaffoldError("the article file is empty")
    return lines[0][:30], lines[-1][-30:]


def _next_notebook_number(folder: Path) -> str:
    used = {int(m.group(1)) for p in folder.glob("*.ipynb") if (m := re.match(r"(\d+)_", p.name))}
    for n in [*range(15, 20), *range(150, 200), *range(1500, 2000)]:
        if n not in used:
            return str(n)
    raise ScaffoldError("no free cleaning-notebook number left (15-19, 150-199, 1500-1999)")


# A line of a page's byline or tools, not its headline: source, date, author, editor, font size, views, share.
_BYLINE = re.compile(r"(来源|來源|发布时间|發佈時間|發布時間|时间|時間|作者|编辑|編輯|责任编辑|責任編輯|字号|字號|浏览|瀏覽|"
                     r"阅读|閱讀|点击|點擊|分享|打印|关闭|關閉|Source|Published|Author|Editor|Date)\s*[:：]|"
                     r"^\d{4}[-/年]\d{1,2}[-/月]\d{1,2}|【\s*字号|\[\s*字号", re.I)


def _default_title(text: str, body_start: int) -> str:
    """The headline, where none is given: the last non-empty line before the body that is not a byline (source,
    date, author, font size...; a page's navigation comes first, its headline above the article), else the body's
    first line; at most 120 characters."""
    before = [ln.strip() for ln in text[:body_start].lstrip("\ufeff").splitlines() if ln.strip()]
    before = [ln for ln in before if not _BYLINE.search(ln)] or before
    first = text[body_start:].strip().splitlines()
    return (before[-1] if before else first[0] if first else "")[:120]


def _population_errors(src: NewSource, root: Path) -> list[str]:
    """What is wrong with a new place's population: not a positive whole number, no citation, a place that has one."""
    from analysis.compare.tables import ADDED_POPULATION_REL, CENSUS_REL

    if not (src.population or src.population_source or src.population_date):
        return []
    errors = []
    if not re.fullmatch(r"[1-9]\d*", src.population.replace(",", "").strip()):
        errors.append(f"--population {src.population!r}: a whole number of residents, e.g. 4987000")
    if not src.population_source.strip():
        errors.append("--population needs --population-source: where the figure is published "
                      "(e.g. \"宿迁市第七次全国人口普查公报\")")
    if src.population_date and not is_date(src.population_date):
        errors.append(f"--population-date {src.population_date!r}: not a real date; an ISO date, YYYY-MM-DD")
    for name in (CENSUS_REL, ADDED_POPULATION_REL):
        if (root / name).exists() and src.city_en in {r["city_en"] for r in _read_rows(root / name)[1]}:
            errors.append(f"--population: {src.city_en} already has a population in {name}")
    return errors


def _population_row(src: NewSource) -> dict | None:
    if not src.population:
        return None
    return {"city_en": src.city_en, "city_zh": src.city_zh, "admin_level": src.admin_level, "province": src.province,
            "resident_population": src.population.replace(",", "").strip(), "reference_date": src.population_date,
            "source_title": src.population_source.strip(), "source_publisher": "", "retrieved_via": "",
            "note": f"added with {src.source_id} (new-source --population)"}


def plan(src: NewSource, root: Path | None = None) -> dict:
    """Check everything and return what would be written; raise :class:`ScaffoldError` otherwise."""
    root = Path(root) if root else ROOT
    errors = []
    control = _control_characters(src)  # before normalising, which strips surrounding white space
    src = normalise(src)
    for name in ("source_id", "city_en", "city_zh", "admin_level", "province", "language", "period",
                 "kind", "outlet"):
        if not str(getattr(src, name) or "").strip():
            errors.append(f"--{name.replace('_', '-')} is required")
    if src.source_id and not re.fullmatch(r"[a-z][a-z0-9_]*", src.source_id):
        errors.append(f"--source-id {src.source_id!r}: use lower-case letters, digits and _ (e.g. suqian_2021h1_zh)")
    if src.language and src.language not in LANGUAGES:
        errors.append(f"--language {src.language!r}: one of {', '.join(LANGUAGES)}")
    if src.kind and src.kind not in KINDS:
        errors.append(f"--kind {src.kind!r}: one of {', '.join(KINDS)}")
    if src.admin_level and src.admin_level not in ADMIN_LEVELS:
        errors.append(f"--admin-level {src.admin_level!r}: one of {', '.join(ADMIN_LEVELS)}")
    if src.url.strip() and not re.fullmatch(URL_PATTERN, src.url.strip()):
        errors.append(f"--url {src.url!r}: a web address, http:// or https://, with no spaces")
    if src.published and not is_date(src.published):
        errors.append(f"--published {src.published!r}: not a real date; an ISO date, YYYY-MM-DD (or 'unknown' with --accessed)")
    if src.accessed and not is_date(src.accessed):
        errors.append(f"--accessed {src.accessed!r}: not a real date; an ISO date, YYYY-MM-DD")
    if not src.published and not src.accessed:
        errors.append("--published is required: the article's date, or 'unknown' with --accessed "
                      "(the date you read it); a date is never invented")
    errors += _population_errors(src, root)
    if src.period:
        try:
            check_period(src.period)
        except ValueError as e:
            errors.append(f"--period {src.period!r}: {e}")
    errors += control
    fields, rows = _read_rows(root / "data/raw/sources.csv")
    ids = {r["source_id"] for r in rows}
    if src.source_id in ids:
        errors.append(f"--source-id {src.source_id!r} is already in data/raw/sources.csv")
    if src.translation_of and src.translation_of not in ids:
        errors.append(f"--translation-of {src.translation_of!r} is not a source_id")
    pfields, places = _read_rows(root / "data/raw/places.csv")
    known = {p["place_en"]: p for p in places}
    new_place = {"place_en": src.city_en, "place_zh": src.city_zh, "admin_level": src.admin_level,
                 "parent_en": src.parent_en, "province": src.province}
    if src.parent_en and src.parent_en not in known:
        errors.append(f"--parent-en {src.parent_en!r} is not a place in data/raw/places.csv")
    if src.city_en in known and known[src.city_en] != new_place:
        errors.append(f"{src.city_en} is already in data/raw/places.csv with other metadata: {known[src.city_en]}")
    article = Path(src.article)
    text, data = "", b""
    if article.is_dir():
        errors.append(f"article {article} is a directory; give the article's text file")
    elif not article.is_file():
        errors.append(f"article file {article} not found")
    else:
        data = article.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            errors.append(f"article file {article} is not UTF-8 ({e.reason} at byte {e.start})")
    if errors:
        raise ScaffoldError("new source refused, nothing written:\n  - " + "\n  - ".join(errors))
    start, end = src.body_start, src.body_end
    if not (start and end):
        d_start, d_end = _default_markers(text)
        start, end = start or d_start, end or d_end
    try:
        body_start, _ = article_body_span(text, start, end, where=str(article))
    except ManifestError as e:
        raise ScaffoldError(f"new source refused, nothing written: {e}; give --body-start (the start of the "
                            "body's first line) and --body-end (the end of its last line)") from None
    raw_rel = f"data/raw/{src.source_id}.txt"
    if (root / raw_rel).exists():
        raise ScaffoldError(f"new source refused, nothing written: {raw_rel} already exists")
    row = {c: "" for c in COLUMNS}
    row.update(source_id=src.source_id, path=raw_rel, sha256=hashlib.sha256(data).hexdigest(),
               city_en=src.city_en, city_zh=src.city_zh, admin_level=src.admin_level, province=src.province,
               language=src.language, translation_of=src.translation_of, outlet=src.outlet, published=src.published,
               accessed=src.accessed,
               period=src.period, kind=src.kind, title=src.title or _default_title(text, body_start),
               body_starts_with=start, body_ends_with=end, places=src.city_en, seed_file=article.name, note=src.note,
               url=src.url.strip(), licence=src.licence.strip(), citation=src.citation.strip())
    number = _next_notebook_number(root / "notebooks")
    return {"src": src, "row": row, "fields": fields, "rows": rows, "place": None if src.city_en in known else new_place,
            "population": _population_row(src),
            "pfields": pfields, "places": places, "raw_rel": raw_rel, "text": text,
            "notebook": root / "notebooks" / f"{number}_clean_{src.source_id}.ipynb"}


def scaffold(src: NewSource, root: Path | None = None, execute: bool = True) -> Path:
    """Copy the article, append its manifest row (and its place), stamp and run its notebook; return the notebook."""
    root = Path(root) if root else ROOT
    with suite_lock(root, log=lambda m: print(m, file=sys.stderr)), _signals_interrupt():
        return _scaffold(src, root, execute)


class Interrupted(KeyboardInterrupt):
    """SIGTERM (or SIGHUP) arrived: raised like Ctrl-C, so that what was written is rolled back."""


_INTERRUPTED: list[str] = []  # the signal that arrived while a source was being added, if any


@contextmanager
def _signals_interrupt():
    """While adding a source, SIGINT, SIGTERM and SIGHUP interrupt like Ctrl-C (main thread only), and are
    remembered: a kernel client that turns the interrupt into another error (nbclient raises an
    ``AssertionError`` or ``asyncio.CancelledError``) still ends as "interrupted", after the rollback."""
    _INTERRUPTED.clear()
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        name = signal.Signals(signum).name
        _INTERRUPTED.append(name)
        if signum == signal.SIGINT:
            raise KeyboardInterrupt()
        raise Interrupted(f"stopped by signal {name}")

    old = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _scaffold(src: NewSource, root: Path, execute: bool) -> Path:
    """All or nothing: on any failure or interrupt, the manifest, places.csv and datapackage.json get their
    old bytes back and the raw file, the notebook and what its first run wrote (clean CSV, ledger) are
    removed; a retry starts from scratch."""
    from analysis.compare.tables import ADDED_POPULATION_REL
    from analysis.suite.notebooks import cleaning_notebook, write_notebook

    p = plan(src, root)
    src = p["src"]  # normalised (codes in canonical case)
    saved = {root / f: (root / f).read_bytes() for f in ("data/raw/sources.csv", "data/raw/places.csv")}
    pop_path = root / ADDED_POPULATION_REL
    if pop_path.exists():
        saved[pop_path] = pop_path.read_bytes()
    created = [root / p["raw_rel"], p["notebook"]] + ([] if pop_path.exists() else [pop_path])
    # what the notebook's first run writes: its clean CSV and ledger, and the data package that lists them
    clean = root / "data" / "clean"
    created += [f for f in (clean / f"{src.source_id}.csv", clean / "ledger" / f"{src.source_id}.csv") if not f.exists()]
    package = clean / "datapackage.json"
    if package.exists():
        saved[package] = package.read_bytes()
    else:
        created.append(package)
    try:
        with atomic_path(root / p["raw_rel"]) as tmp:  # a copy cut short never stands under the raw name
            shutil.copyfile(src.article, tmp)
        if p["place"]:
            _atomic_text(root / "data/raw/places.csv", _csv_text(p["pfields"], p["places"] + [p["place"]]))
        if p["population"]:
            old = _read_rows(pop_path)[1] if pop_path.exists() else []
            _atomic_text(pop_path, _csv_text(POPULATION_COLUMNS, old + [p["population"]]))
        _atomic_text(root / "data/raw/sources.csv", _csv_text(p["fields"], p["rows"] + [p["row"]]))
        _stamp_notebook(src, p, root, execute, cleaning_notebook, write_notebook)
    except BaseException as e:
        for path in created:
            path.unlink(missing_ok=True)
        for path, data in saved.items():
            if not path.exists() or path.read_bytes() != data:
                with atomic_path(path) as tmp:
                    tmp.write_bytes(data)
        if _INTERRUPTED and not isinstance(e, KeyboardInterrupt):  # the kernel client's way of saying "interrupted"
            raise Interrupted(f"stopped by signal {_INTERRUPTED[0]}") from None
        if isinstance(e, Exception) and not isinstance(e, ScaffoldError):
            last = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", str(e)).strip().splitlines() or [""]
            raise ScaffoldError(f"new source not added, nothing written: {type(e).__name__}: {last[-1]}") from e
        raise
    return p["notebook"]


def _stamp_notebook(src: NewSource, p: dict, root: Path, execute: bool, cleaning_notebook, write_notebook) -> None:
    from analysis.core.text import markdown_literal

    r = {k: markdown_literal(v) for k, v in p["row"].items()}  # a field's text renders as text, never as HTML
    intro = (f"# Clean: {r['city_en']} {r['city_zh']}, {r['period']} ({r['language']})\n\n"
             f"**Source.** {r['outlet']}, {r['published']}: {r['title']}. **Kind:** {r['kind']}. "
             f"**Period:** {r['period']}. **Place:** {r['city_en']} ({r['admin_level']}, {r['province']}).\n\n"
             "**Decisions.** (Say here which figures you take, which you leave, and why.)")
    figures = ("FIGURES = [\n    # Fig(\"indicator_from_codebook\", \"verbatim quote from the article\"),\n"
               "    # Fig(\"...\", \"quote with several numbers\", figure=\"the one to take\"),\n"
               "    # Fig(\"...\", \"...\", status=\"plan\", scope=\"incl_kindergartens\", period=\"2021\", note=\"why\"),\n"
               "    #   status, scope, denominator, stock_flow: data/vocabularies.csv (README, 'Comparable by construction')\n]")
    closing = "## What this gives\n\n(Say in words what the figures show, and what they cannot.)"
    nb = cleaning_notebook(src.source_id, p["raw_rel"], intro, figures, closing, places=[src.city_en])
    write_notebook(nb, p["notebook"])
    if execute:
        from analysis.suite.pipeline import execute as run_notebook

        run_notebook(p["notebook"], root)
