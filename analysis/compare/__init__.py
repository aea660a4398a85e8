"""Comparisons: tables, charts, the workbook, chart bundles and the researcher's explore helpers.

Holds: :mod:`.tables` (comparison tables, headlines, wide_table), :mod:`.plotting` (charts), :mod:`.export` (the workbook),
:mod:`.publish` (source lists, licence), :mod:`.explore` (find, provenance).

May import: analysis.core, analysis.metadata, analysis.sources, analysis.clean. Never a layer above (tests/test_layers.py).
"""
