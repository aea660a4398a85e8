"""The source manifest (``data/raw/sources.csv``): load it, verify it, read the articles.

Editorial decisions
- An article is kept byte for byte; the manifest records its sha256, and every read checks it.
- The article *body* is the run of whole lines from the line that starts with ``body_starts_with``
  to the line that ends with ``body_ends_with`` (surrounding white space ignored). Navigation,
  bylines, "recommended" teasers and other website furniture outside it are never data.
  Each marker must select exactly one line, so a body can never be picked by accident.
- ``places`` lists every place the article gives figures for (``;``-separated); each must be in
  ``data/raw/places.csv``, which says its admin level and its parent city.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from analysis.core.paths import ROOT, rel

LANGUAGES = ("en", "zh-Hans", "zh-Hant")
KINDS = ("results", "targets")
ADMIN_LEVELS = ("prefecture", "county-level city", "district")
COLUMNS = (
    "source_id", "path", "sha256", "city_en", "city_zh", "admin_level", "province", "language",
    "translation_of", "outlet", "published", "accessed", "period", "kind", "title", "body_starts_with",
    "body_ends_with", "places", "seed_file", "note", "url", "licence", "citation",
)
# Where the article stands, its terms of use and how its outlet asks to be cited. May be empty: the five seed
# articles were handed over without them; `new-source --url --licence --citation` records them for a new one.
SOURCE_REFERENCE = ("url", "licence", "citation")
URL_PATTERN = r"https?://[^\s<>\"]+"
# published may be unknown (empty) when accessed, the date the article was read, says when it stood
REQUIRED = tuple(c for c in COLUMNS
                 if c not in ("translation_of", "note", "seed_file", "published", "accessed", *SOURCE_REFERENCE))
MANIFEST_REL = "data/raw/sources.csv"
PLACES_REL = "data/raw/places.csv"


class ManifestError(ValueError):
    """A manifest row (or the file it points to) is wrong; the message names file and row."""


def _read_csv(path: Path, name: str | None = None):
    import pandas as pd

    name = name or rel(path)
    if not path.exists():
        raise ManifestError(f"{name}: file not found")
    if path.is_dir():
        raise ManifestError(f"{name}: is a directory, not a CSV file")
    try:  # utf-8-sig: a byte-order mark (Excel's "CSV UTF-8") is not part of the first column's name
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise ManifestError(f"{name}: the file is empty (no header, no rows)") from None
    except (UnicodeDecodeError, pd.errors.ParserError) as e:
        raise ManifestError(f"{name}: not a readable UTF-8 CSV ({str(e).splitlines()[0]})") from None


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _bare(line: str) -> str:
    """A line without surrounding white space and without a UTF-8 byte-order mark (U+FEFF) at its start."""
    return line.strip().lstrip("\ufeff").lstrip()


def article_body_span(text: str, starts_with: str, ends_with: str, where: str = "article") -> tuple[int, int]:
    """Return (start, end) character offsets of the article body inside ``text``.

    >>> article_body_span("nav 1\\nBody one\\nBody two.\\nteaser 2", "Body one", "two.")
    (6, 24)
    """
    lines = text.splitlines(keepends=True)
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line)
    first = [i for i, ln in enumerate(lines) if _bare(ln).startswith(starts_with)]
    last = [i for i, ln in enumerate(lines) if _bare(ln).endswith(ends_with)]
    for name, marker, hits in (("body_starts_with", starts_with, first), ("body_ends_with", ends_with, last)):
        if not marker:
            raise ManifestError(f"{where}: {name} is empty")
        if not hits:
            raise ManifestError(f"{where}: {name} {marker!r} not found at the start/end of any line")
        if len(hits) > 1:
            raise ManifestError(f"{where}: {name} {marker!r} matches {len(hits)} lines; make it unique")
    i, j = first[0], last[0]
    if j < i:
        raise ManifestError(f"{where}: the body's last line comes before its first line")
    start = offsets[i] + lines[i].find(_bare(lines[i]))  # after leading white space and a BOM
    end = offsets[j] + len(lines[j].rstrip())
    return start, end


def load_places(root: Path | None = None):
    """Return ``data/raw/places.csv``: every place, its Chinese name, admin level and parent city."""
    root = Path(root) if root else ROOT
    df = _read_csv(root / PLACES_REL, PLACES_REL)
    for n, row in enumerate(df.itertuples(index=False), start=2):
        if row.admin_level not in ADMIN_LEVELS:
            raise ManifestError(f"{PLACES_REL} line {n} ({row.place_en}): unknown admin_level {row.admin_level!r}")
        if row.parent_en and row.parent_en not in set(df["place_en"]):
            raise ManifestError(f"{PLACES_REL} line {n} ({row.place_en}): parent {row.parent_en!r} is not a place")
    return df.astype("string")


# load_sources(verify=False) parsed, keyed on the repository and the exact bytes of the manifest and places.csv: a
# validation asks for the manifest dozens of times (48 in one check_all), each parse ~25 ms. With verify=True
# nothing is kept: every load hashes every raw file again.
_PARSED: dict[tuple[str, bytes, bytes], object] = {}


def load_sources(root: Path | None = None, verify: bool = True):
    """Return the manifest as a typed DataFrame, one row per article, after checking every row.

    Checks: required columns and values, unique ``source_id``, known language, kind and admin
    level, ISO dates, a url (where given) is a web address, the file exists and its sha256 matches, the body markers select exactly one
    first and one last line, ``translation_of`` names another source, ``places`` are all known.
    Any failure raises :class:`ManifestError` naming ``data/raw/sources.csv``, the line and the id.
    ``verify=False`` skips the files (existence, checksum, body markers) and reuses the parse of the same
    manifest and places bytes (:data:`_PARSED`; the paths are checked again each time).
    """
    import pandas as pd

    root = Path(root) if root else ROOT
    key = None
    if not verify:  # the same manifest and places bytes read the same: parse once, re-check only the paths
        try:
            key = (str(root.resolve()), (root / MANIFEST_REL).read_bytes(), (root / PLACES_REL).read_bytes())
        except OSError:
            key = None
        if key is not None and key in _PARSED:
            out = _PARSED[key]
            for n, path in enumerate(out["path"], start=2):
                _check_inside_raw(str(path), root, f"{MANIFEST_REL} line {n} (source_id={out['source_id'].iloc[n - 2]})")
            return out.copy()
    df = _read_csv(root / MANIFEST_REL, MANIFEST_REL)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ManifestError(f"{MANIFEST_REL}: missing column(s) {', '.join(missing)}")
    if df.empty:
        raise ManifestError(f"{MANIFEST_REL}: no articles (a header without rows); nothing to verify")
    known_places = set(load_places(root)["place_en"])
    ids = set(df["source_id"])
    seen: set[str] = set()
    for n, sid in enumerate(df["source_id"], start=2):  # line 1 is the header
        if sid in seen:
            raise ManifestError(f"{MANIFEST_REL} line {n} (source_id={sid}): duplicate source_id {sid!r}")
        seen.add(sid)
    for n, row in enumerate(df.to_dict("records"), start=2):
        where = f"{MANIFEST_REL} line {n} (source_id={row['source_id'] or '?'})"
        for col in REQUIRED:
            if not row[col].strip():
                raise ManifestError(f"{where}: {col} is empty")
        _check_one_line(row, where)
        if row["language"] not in LANGUAGES:
            raise ManifestError(f"{where}: unknown language {row['language']!r} (expected one of {', '.join(LANGUAGES)})")
        if row["kind"] not in KINDS:
            raise ManifestError(f"{where}: unknown kind {row['kind']!r} (expected one of {', '.join(KINDS)})")
        if row["admin_level"] not in ADMIN_LEVELS:
            raise ManifestError(f"{where}: unknown admin_level {row['admin_level']!r}")
        for col in ("published", "accessed"):
            if row[col] and not is_date(row[col]):
                raise ManifestError(f"{where}: {col} {row[col]!r} is not an ISO date (YYYY-MM-DD)")
        if not row["published"] and not row["accessed"]:
            raise ManifestError(f"{where}: published is empty; where the date is unknown, give the date it was "
                                "accessed (column accessed) instead of inventing one")
        _check_manifest_period(row["period"], where)
        if row["url"] and not re.fullmatch(URL_PATTERN, row["url"]):
            raise ManifestError(f"{where}: url {row['url']!r} is not a web address (http:// or https://, no spaces)")
        _check_inside_raw(row["path"], root, where)
        if row["translation_of"] and row["translation_of"] not in ids - {row["source_id"]}:
            raise ManifestError(f"{where}: translation_of {row['translation_of']!r} is not another source_id")
        unknown = [p for p in row["places"].split(";") if p not in known_places]
        if unknown:
            raise ManifestError(f"{where}: place(s) {', '.join(unknown)} not in {PLACES_REL}")
        if verify:
            path = root / row["path"]
            if not path.is_file():
                raise ManifestError(f"{where}: file {row['path']} not found")
            if sha256_of(path) != row["sha256"]:
                raise ManifestError(f"{where}: sha256 does not match {row['path']} (the raw file changed, or the manifest is wrong)")
            text = path.read_bytes().decode("utf-8")  # as stored, no newline translation
            article_body_span(text, row["body_starts_with"], row["body_ends_with"], where=f"{where}, {row['path']}")
    out = df.astype("string")
    for col, cats in (("language", LANGUAGES), ("kind", KINDS), ("admin_level", ADMIN_LEVELS)):
        out[col] = pd.Categorical(df[col], categories=cats)
    for col in ("published", "accessed"):
        out[col] = pd.to_datetime(df[col].replace("", None), format="%Y-%m-%d")
    if key is not None:
        if len(_PARSED) >= 8:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = out.copy()
    return out


def is_date(text: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD (2022-02-30 is not one).

    >>> is_date("2022-07-05"), is_date("2022-02-30"), is_date("5 July 2022")
    (True, False, False)
    """
    import datetime
    import re

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(text)):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def date_label(row, lang: str = "en") -> str:
    """Return when an article was published, as a chart or card says it: ``2022-07-05``, or, where the
    date is unknown, ``published date unknown (accessed 2026-11-30)`` (never an invented date)."""
    import pandas as pd

    published, accessed = row["published"], row.get("accessed")
    if not pd.isna(published):
        return str(pd.Timestamp(published).date())
    when = "" if accessed is None or pd.isna(accessed) else str(pd.Timestamp(accessed).date())
    return f"发布日期不详(访问于{when})" if lang == "zh" else f"published date unknown (accessed {when})"


def _check_one_line(row: dict, where: str) -> None:
    """Every manifest field is one line of plain text: no line break, tab or other control character."""
    for col, value in row.items():
        bad = [ch for ch in str(value) if ord(ch) < 32 or ord(ch) == 127]
        if bad:
            raise ManifestError(f"{where}: {col} {value!r} holds a control character ({bad[0]!r})")


def _check_inside_raw(path: str, root: Path, where: str) -> None:
    """A manifest path is relative and stays inside data/raw/ of this repository (no ``..``, no absolute path)."""
    raw = (root / "data" / "raw").resolve()
    if Path(path).is_absolute() or ".." in Path(path).parts or not (root / path).resolve().is_relative_to(raw):
        raise ManifestError(f"{where}: path {path!r} is outside data/raw/ of this repository; raw files live there")


def _check_manifest_period(period: str, where: str) -> None:
    from analysis.core.periods import check_period

    try:
        check_period(period)
    except ValueError as e:
        raise ManifestError(f"{where}: {e}") from None


def source_row(source_id: str, root: Path | None = None) -> dict:
    """Return one manifest row as a dict (KeyError naming the id and the known ids if absent)."""
    df = load_sources(root, verify=False)
    hit = df[df["source_id"] == source_id]
    if hit.empty:
        raise KeyError(f"unknown source_id {source_id!r}; known: {', '.join(df['source_id'])}")
    return hit.iloc[0].to_dict()


def _verified_article(source_id: str, root: Path | None) -> tuple[str, tuple[int, int]]:
    """Return an article's whole text (checksum verified) and the (start, end) of its body."""
    root = Path(root) if root else ROOT
    row = source_row(source_id, root)
    data = (root / row["path"]).read_bytes()
    if hashlib.sha256(data).hexdigest() != row["sha256"]:
        raise ManifestError(f"{MANIFEST_REL} (source_id={source_id}): sha256 does not match {row['path']}")
    text = data.decode("utf-8")
    return text, article_body_span(text, row["body_starts_with"], row["body_ends_with"], where=row["path"])


def read_article(source_id: str, body_only: bool = True, root: Path | None = None) -> str:
    """Return an article's text (its body by default) after verifying the file's checksum."""
    text, (start, end) = _verified_article(source_id, root)
    return text[start:end] if body_only else text


def body_offset(source_id: str, root: Path | None = None) -> tuple[int, int]:
    """Return (start, end) of the article body as character offsets in the raw file."""
    return _verified_article(source_id, root)[1]


def source_card(source_id: str, root: Path | None = None):
    """Return one article's manifest entry as a two-column table (field, value) for display."""
    import pandas as pd

    row = source_row(source_id, root)
    keep = ["source_id", "title", "city_en", "city_zh", "admin_level", "province", "language", "translation_of",
            "outlet", "published", "period", "kind", "places", "path", "sha256", "note"]
    return pd.DataFrame({"field": keep, "value": [date_label(row) if k == "published" else str(row[k]) for k in keep]})
