"""Helpers for the livelihood (民生) reports suite: sources, quantities, observations.

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
    "validate_figures",
    "Skip",
    "open_mentions",
    "load_ledger",
    "dismissal_table",
    "taken_summary",
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
    "ROOT": "paths",
    "ManifestError": "sources",
    "article_body_span": "sources",
    "load_places": "sources",
    "load_sources": "sources",
    "read_article": "sources",
    "source_card": "sources",
    "Quantity": "quantities",
    "Fig": "observations",
    "clean_source": "observations",
    "load_codebook": "codebook",
    "load_vocabularies": "codebook",
    "wide_table": "compare",
    "load_observations": "observations",
    "mention_index": "observations",
    "untaken_mentions": "observations",
    "propose_figures": "propose",
    "validate_figures": "validate",
    "Skip": "ledger",
    "open_mentions": "ledger",
    "load_ledger": "ledger",
    "dismissal_table": "ledger",
    "taken_summary": "ledger",
    "translation_audit": "audit",
    "find": "explore",
    "provenance": "explore",
    "find_quantities": "quantities",
    "parse_quantity": "quantities",
    "to_simplified": "quantities",
}


_SUBMODULES = {"audit", "checks", "codebook", "comparability", "compare", "explore", "export", "hints", "ledger", "scaffold",
               "notebooks", "observations", "paths", "pipeline", "plotting", "propose", "publish", "quantities", "schema",
               "site", "sources", "validate"}


def __getattr__(name: str):
    if name in _LAZY:
        module = importlib.import_module(f"{__name__}.{_LAZY[name]}")
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:  # analysis.compare, analysis.paths, ... without an explicit import
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
