"""What the data mean: the codebook, the vocabularies, the field definitions (schema) and comparability.

Holds: :mod:`.codebook` (indicators, vocabularies), :mod:`.schema` (observation and ledger fields, the in-process schema check),
:mod:`.comparability` (status, denominator, scope and stock/flow read from a quote; comparability keys).

May import: analysis.core. Never a layer above (tests/test_layers.py).
"""
