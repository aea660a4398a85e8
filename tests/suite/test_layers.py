"""The house: ``analysis/`` is layered subpackages whose imports only go downwards, with no cycle.

Every import counts, at module level or inside a function, absolute or relative. The layers, lowest
first, are ``analysis.LAYERS``; the top level (``__init__``, ``__main__``) may import any layer.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "analysis"
sys.path.insert(0, str(ROOT))
from analysis import LAYERS  # noqa: E402


def module_name(path: Path, pkg: Path = PKG) -> str:
    parts = path.relative_to(pkg.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, pkg: Path = PKG) -> list[tuple[int, str]]:
    """(line, module) for every import of the package in ``path``, resolved to a module where it names one."""
    name = module_name(path, pkg)
    is_pkg = path.name == "__init__.py"
    modules = {module_name(p, pkg) for p in pkg.rglob("*.py")}
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == pkg.name]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != pkg.name:
                continue
            for a in node.names:  # `from analysis.compare import plotting` imports the module
                sub = f"{target}.{a.name}"
                out.append((node.lineno, sub if sub in modules else target))
    return out


def layer_of(module: str, layers=LAYERS) -> int:
    parts = module.split(".")
    return layers.index(parts[1]) if len(parts) > 1 and parts[1] in layers else len(layers)


def problems(pkg: Path = PKG, layers=LAYERS) -> list[str]:
    """Every upward import and every import cycle among the modules of ``pkg``."""
    out, graph = [], {}
    for path in sorted(pkg.rglob("*.py")):
        me = module_name(path, pkg)
        graph[me] = set()
        for line, target in imports(path, pkg):
            if target == me:
                continue
            graph[me].add(target)
            if layer_of(target, layers) > layer_of(me, layers):
                out.append(f"{path.relative_to(pkg.parent)}:{line}: {me} (layer {layer_of(me, layers)}) imports "
                           f"{target} (layer {layer_of(target, layers)}), a layer above it")
    # cycles: a module that reaches itself (parent packages count as the __init__ they run)
    for start in sorted(graph):
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    out.append("import cycle: " + " -> ".join(trail + [nxt]))
                    stack = []
                    break
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, trail + [nxt]))
    return sorted(set(out))


def test_no_upward_import_and_no_cycle():
    assert problems() == []


def test_the_top_level_is_thin():
    top = sorted(p.name for p in PKG.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"]
    assert sorted(p.name for p in PKG.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_it_holds_and_may_import(layer):
    doc = ast.get_docstring(ast.parse((PKG / layer / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert "Holds:" in doc and "May import:" in doc
    below = LAYERS[: LAYERS.index(layer)]
    assert all(f"analysis.{b}" in doc for b in below) or layer == "suite" or not below


def test_the_checker_sees_an_upward_import_inside_a_function_and_a_cycle(tmp_path):
    pkg = tmp_path / "analysis"
    for layer in ("core", "clean"):
        (pkg / layer).mkdir(parents=True)
        (pkg / layer / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "core" / "a.py").write_text("def f():\n    from analysis.clean.b import g\n")
    (pkg / "clean" / "b.py").write_text("from ..core import a\n\ndef g():\n    pass\n")
    found = problems(pkg, ("core", "clean"))
    assert any("core.a (layer 0) imports analysis.clean.b (layer 1)" in p for p in found), found
    assert any(p.startswith("import cycle:") and "analysis.core.a" in p and "analysis.clean.b" in p for p in found), found
