"""The bottom layer: what every other layer stands on.

Holds: Paths of the repository and atomic writes (:mod:`.paths`), a raw file read as stored, periods (:mod:`.periods`),
text rules for every written cell (:mod:`.text`), the quantity reader (:mod:`.quantities`) and text hints (:mod:`.hints`).

May import: the standard library only (pandas where a function returns a frame). Never a layer above (tests/test_layers.py).
"""
