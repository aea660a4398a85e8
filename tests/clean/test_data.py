"""The committed data obey the rulebook: one call per source of whatever the manifest holds.

These are the only tests of what the committed data hold; every rule lives in
:mod:`analysis.clean.rules` (and :mod:`analysis.clean.validate` for ``as_built``), where
``python -m analysis validate``, ``make`` and ``load_observations`` run the same checks.
"""

import pytest

from analysis.clean.rules import RULES
from analysis.clean.validate import check_source
from analysis.sources.manifest import load_sources

SOURCES = list(load_sources(verify=False)["source_id"])


@pytest.mark.parametrize("source_id", SOURCES)
def test_every_source_obeys_every_rule(source_id):
    problems = check_source(source_id)
    assert not problems, "\n".join(map(str, problems))


def test_the_rulebook_names_every_rule_once_with_a_statement():
    assert len(RULES) == len(set(RULES)) >= 10
    assert all(r.statement and r.level in ("rows", "ledger", "source") for r in RULES.values())
