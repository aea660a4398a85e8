"""From an article to tidy rows: row building, checks, provenance, the ledger, the rulebook, validation, proposals.

Holds: :mod:`.observations` (Fig, clean_source), :mod:`.load` (load_observations: the clean data, no hand edit), :mod:`.checks` (plausibility flags),
:mod:`.trace` (provenance to the character), :mod:`.ledger` (every number taken or dismissed), :mod:`.audit`
(translation audit), :mod:`.rules` (the rulebook), :mod:`.validate` (a notebook's figure list, checked without a kernel),
:mod:`.propose` (proposed figures).

May import: analysis.core, analysis.metadata, analysis.sources. Never a layer above (tests/test_layers.py).
"""
