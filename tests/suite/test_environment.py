"""pyproject.toml, uv.lock and the conda route (environment.yml + requirements-lock.txt) agree; CI runs `make test`."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _lock() -> dict:
    return tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))


def _req(name: str, spec: str = "", extra: str = "") -> tuple[str, frozenset, str]:
    name = re.sub(r"[-_.]+", "-", name).lower()
    return name, frozenset(s.strip() for s in spec.replace(" ", "").split(",") if s.strip()), extra


def test_lock_matches_pyproject():
    """uv.lock was resolved from the dependencies pyproject.toml declares now (else: `make lock`)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_req(*re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", s).groups()) for s in project["dependencies"]}
    declared |= {_req(*re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", s).groups(), extra)
                 for extra, specs in project["optional-dependencies"].items() for s in specs}
    ours = next(p for p in _lock()["package"] if p.get("source", {}).get("editable") == ".")
    assert ours["name"] == project["name"]
    locked = {_req(d["name"], d.get("specifier", ""), (re.findall(r"extra == '([^']+)'", d.get("marker", "")) or [""])[0])
              for d in ours["metadata"]["requires-dist"]}
    assert locked == declared, "uv.lock is out of date with pyproject.toml: run `make lock`"


def test_conda_route_installs_exactly_the_lock():
    """requirements-lock.txt (what environment.yml installs) pins every locked package at its locked version."""
    locked = {(p["name"], p["version"]) for p in _lock()["package"] if "editable" not in p.get("source", {})}
    pinned = set()
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            m = re.match(r"([A-Za-z0-9_.\-]+)==([^ ;]+)", line.strip())
            assert m, f"not an exact pin: {line!r}"
            pinned.add((_req(m.group(1))[0], m.group(2)))
    assert pinned == locked, "requirements-lock.txt drifted from uv.lock: run `make lock`"
    env = (ROOT / "environment.yml").read_text()
    items = [m.strip() for m in re.findall(r"^\s+- (.+)$", env.split("dependencies:", 1)[1], re.M)]
    assert items == ["python=3.11", "pip", "pip:", "-r requirements-lock.txt", "-e ."], items  # nothing unpinned
    assert "mplfonts" not in env + (ROOT / "requirements-lock.txt").read_text()


def _uv() -> str | None:
    return next((str(p) for p in (ROOT / ".uv/bin/uv",) if p.exists()), None) or shutil.which("uv")


@pytest.mark.skipif(_uv() is None, reason="uv not found (make bootstraps it into .uv/)")
def test_uv_agrees_the_lock_and_export_are_current():
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    uv = _uv()
    check = subprocess.run([uv, "lock", "--check", "--offline", "--python", sys.executable], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr[-800:]
    export = subprocess.run([uv, "export", "--locked", "--offline", "--format", "requirements-txt", "--extra", "test",
                             "--no-hashes", "--no-emit-project", "--no-header", "-q", "--python", sys.executable],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert export.returncode == 0, export.stderr[-800:]
    assert export.stdout == (ROOT / "requirements-lock.txt").read_text(), "run `make lock`"


def test_makefile_installs_the_lock_with_bytecode():
    mk = (ROOT / "Makefile").read_text()
    assert "$(UV) sync --locked" in mk and "UV_COMPILE_BYTECODE := 1" in mk
    assert "uv.lock" in re.search(r"^STAMP.*$", mk, re.M).group(0)  # re-install when the lock changes


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci/run").read_text()
    assert "make test" in readme and re.search(r"^make test$", ci, re.M)
    assert ci.count("make ") == 1  # nothing weaker, nothing else
