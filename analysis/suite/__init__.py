"""Running the whole: the notebook runner and its state, notebook writing, the scaffold, the site, the command line.

Holds: :mod:`.pipeline` (runner), :mod:`.state` (fingerprints, lock), :mod:`.notebooks` (writing notebooks),
:mod:`.scaffold` (new-source), :mod:`.site` (make site), :mod:`.refdocs` (reference pages), :mod:`.cli` (python -m analysis).

May import: every layer below. Never a layer above (tests/test_layers.py).
"""
