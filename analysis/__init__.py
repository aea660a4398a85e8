"""Helpers for the livelihood (民生) reports suite: sources, quantities, observations.

The package is layered; each subpackage imports only from those before it::

    core ← metadata ← sources ← clean ← compare ← suite

``core`` (paths, atomic writes, raw text, periods, the quantity reader), ``metadata`` (codebook,
vocabularies, schema, comparability), ``sources`` (manifest, articles, mention index, quote
location), ``clean`` (rows, checks, provenance, ledger, rulebook, validation, proposals),
``compare`` (tables, charts, workbook, explore), ``suite`` (runner, state, scaffold, site, CLI).

Everything public is reachable from the package top level, imported lazily so that
``import analysis`` stays cheap (pandas and friends load on first use)::

    import analysis
    sources = analysis.load_sources()
    text = analysis.read_article("zaozhuang_2022h1_zh")
    analysis.parse_quantity("1.75万人次")
"""

from __future__ import annotations

import importlib

__all__ = [
    "ROOT",
    "Fig",
    "clean_source",
    "find",
    "provenance",
    "load_codebook",
    "load_vocabularies",
    "wide_table",
    "load_observations",
    "mention_index",
    "source_card",
    "translation_audit",
    "untaken_mentions",
    "propose_figures",
    "proposal_lines",
    "validate_figures",
    "Skip",
    "open_mentions",
    "load_ledger",
    "dismissal_table",
    "taken_summary",
    "ledger_overview",
    "ledger_sources",
    "parts_table",
    "write_audit",
    "ManifestError",
    "Quantity",
    "article_body_span",
    "find_quantities",
    "load_places",
    "load_sources",
    "parse_quantity",
    "read_article",
    "to_simplified",
]

# name -> module that defines it; resolved on first attribute access (PEP 562).
_LAZY = {
    "ROOT": "core.paths",
    "ManifestError": "sources.manifest",
    "article_body_span": "sources.manifest",
    "load_places": "sources.manifest",
    "load_sources": "sources.manifest",
    "read_article": "sources.manifest",
    "source_card": "sources.manifest",
    "Quantity": "core.quantities",
    "Fig": "clean.observations",
    "clean_source": "clean.observations",
    "load_codebook": "metadata.codebook",
    "load_vocabularies": "metadata.codebook",
    "wide_table": "compare.tables",
    "load_observations": "clean.load",
    "mention_index": "sources.mentions",
    "untaken_mentions": "clean.observations",
    "propose_figures": "clean.propose",
    "proposal_lines": "clean.propose",
    "validate_figures": "clean.validate",
    "Skip": "clean.ledger",
    "open_mentions": "clean.ledger",
    "load_ledger": "clean.ledger",
    "dismissal_table": "clean.ledger",
    "taken_summary": "clean.ledger",
    "ledger_overview": "clean.ledger",
    "ledger_sources": "clean.ledger",
    "parts_table": "clean.checks",
    "write_audit": "clean.audit",
    "translation_audit": "clean.audit",
    "find": "compare.explore",
    "provenance": "compare.explore",
    "find_quantities": "core.quantities",
    "parse_quantity": "core.quantities",
    "to_simplified": "core.quantities",
}


# The layers, lowest first: each imports only from the layers before it (tests/test_layers.py).
LAYERS = ("core", "metadata", "sources", "clean", "compare", "suite")
_SUBMODULES = set(LAYERS)


# A researcher's own matplotlib or pandas chart with Chinese text renders after `import analysis` alone: the
# CJK font is registered when matplotlib is first imported (or now, if it is), without importing it here.
importlib.import_module(f"{__name__}.core.fonts").register_when_matplotlib_is_imported()


def __getattr__(name: str):
    if name in _LAZY:
        module = importlib.import_module(f"{__name__}.{_LAZY[name]}")
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:  # analysis.core, analysis.compare, ... without an explicit import
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
