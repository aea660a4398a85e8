"""The articles: the manifest, the raw files and their bodies, the mention index and quote location.

Holds: :mod:`.manifest` (data/raw/sources.csv and places.csv, checksums, article bodies), :mod:`.mentions`
(every number of a body with raw offsets; the one quote locator).

May import: analysis.core, analysis.metadata. Never a layer above (tests/test_layers.py).
"""
