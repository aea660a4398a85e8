"""``python -m analysis``: the command line (:mod:`analysis.suite.cli`)."""

from analysis.suite.cli import entry

if __name__ == "__main__":
    entry()
