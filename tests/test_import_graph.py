"""No import circles among the modules of arabic_news, and every module imports.

The graph is built statically (``ast``) from every ``import arabic_news...`` / ``from arabic_news... import`` and
relative import in each module, at module level *and* inside functions and methods: a function-level import
hides a circle from Python's import machinery but is a circle in the design all the same.
"""
from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import arabic_news

PACKAGE = "arabic_news"
ROOT = Path(arabic_news.__file__).resolve().parent


def _modules() -> dict[str, Path]:
    """Every module of the package: dotted name -> file (a package's name maps to its __init__.py)."""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join([PACKAGE, *parts])] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of dotted *name* that is a module of the package (``a.b.func`` -> ``a.b``)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def import_graph() -> dict[str, set[str]]:
    """module -> the package modules it imports (anywhere in its code)."""
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative import: resolve against this module's package
                    base = module.split(".") if is_package else module.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                # ``from pkg import sub`` imports the submodule when there is one, else a name of pkg
                targets = [f"{prefix}.{alias.name}" for alias in node.names] or [prefix]
            for target in targets:
                if not target.startswith(PACKAGE):
                    continue
                resolved = _resolve(target, modules)
                if resolved and resolved != module:
                    graph[module].add(resolved)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted, as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_cycle_finder_on_a_hand_made_graph():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"f"}, "f": {"e"}, "g": set()}
    assert cycles(graph) == [["a", "b", "c"], ["e", "f"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_graph_sees_function_level_and_relative_imports():
    graph = import_graph()
    # module level
    assert "arabic_news.actors.matcher" in graph["arabic_news.actors.extract"]
    # inside a function (read_article imports the decoder lazily)
    assert "arabic_news.corpus.decode" in graph["arabic_news.actors.extract"]
    # every module of the package is a node
    assert set(graph) == set(_modules())


def test_no_import_cycle_among_arabic_news_modules():
    found = cycles(import_graph())
    report = "; ".join(" <-> ".join(c) for c in found)
    assert found == [], f"import circles: {report}"


def test_every_module_imports():
    names = sorted(m.name for m in pkgutil.walk_packages([str(ROOT)], prefix=f"{PACKAGE}."))
    assert set(names) | {PACKAGE} == set(_modules())
    for name in names:
        if name.endswith(".__main__"):  # importing it runs the command line
            continue
        importlib.import_module(name)
