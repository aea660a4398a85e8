"""pyproject.toml and environment.yml declare the same dependencies with the same bounds."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _norm(spec: str) -> tuple[str, str]:
    m = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", spec)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_conda_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = dict(_norm(s) for s in project["dependencies"] + project["optional-dependencies"]["test"])
    conda_side = {}
    deps = (ROOT / "environment.yml").read_text().split("dependencies:", 1)[1]
    for line in deps.splitlines():
        m = re.match(r"\s+- (.+)$", line)
        item = m.group(1).strip() if m else ""
        if not item or item in ("pip", "pip:", "-e .") or re.match(r"python\b", item):
            continue
        name, spec = _norm(item)
        conda_side[name] = spec
    assert conda_side == pip_side
    assert "- -e ." in (ROOT / "environment.yml").read_text()


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci/run").read_text()
    assert "make test" in readme and re.search(r"^make test$", ci, re.M)
    assert ci.count("make ") == 1  # nothing weaker, nothing else
