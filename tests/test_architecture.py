"""The import structure of framing (ARCHITECTURE.md): no circles, stages import only downward, no
private name crosses a module line.

The graph is read from the source with ``ast``: every ``import framing...`` and ``from framing...
import`` statement, at module level or inside a function (a lazy import is an arrow all the same).
Left out: imports under ``if TYPE_CHECKING:`` (for type checkers only) and the lazy exports of
``framing/__init__.py`` (``importlib.import_module`` in its ``__getattr__``, not an import statement).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "framing"

#: Stages from the bottom up. A module may import modules of its own stage or of a lower one. A
#: subpackage (``framing.match``) is one entry: all its modules share its stage.
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("framing._errors", "framing._version", "framing._voices", "framing._docstrings", "framing._dates",
              "framing._formats", "framing._atomic", "framing._words", "framing._groups", "framing._checks",
              "framing._chunk", "framing._strings", "framing._kernel", "framing.progress")),
    ("readers", ("framing.readers",)),
    ("text", ("framing.text",)),
    ("clean", ("framing.clean",)),
    ("corpus", ("framing.corpus",)),
    ("lexicon", ("framing.lexicon",)),
    ("voice", ("framing.voice",)),
    ("syndication", ("framing.syndication",)),  # below match: find_hits(exclude_shared=) drops shared passages
    ("match", ("framing.match",)),
    ("scale and matcher users", ("framing.distributed", "framing.scale", "framing.vectorize", "framing.audit")),
    ("stats", ("framing.intervals", "framing.similarity", "framing._stats", "framing.stats", "framing.compare",
               "framing.design", "framing.models", "framing.distinctive", "framing.validation")),
    ("plot", ("framing._labels", "framing.plot")),
    ("report_parts", ("framing.report_parts",)),
    ("report", ("framing.report",)),
    ("cli", ("framing.cli",)),
    ("namespace", ("framing",)),  # framing/__init__.py: the flat namespace sits above everything it exports
]

#: (importer, module, name) of private names still imported across modules, each with its reason.
ALLOWED_PRIVATE: dict[tuple[str, str, str], str] = {}


def _module_names(root: Path) -> dict[str, Path]:
    mods = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = path
    return mods


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Every import statement of the tree, functions included, ``if TYPE_CHECKING:`` bodies left out."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def import_graph(root: Path = ROOT) -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    """Arrows module -> framing modules it imports, and every (importer, module, name) imported."""
    mods = _module_names(root)

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, set[str]] = {name: set() for name in mods}
    names: list[tuple[str, str, str]] = []
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [resolve(a.name) for a in node.names if a.name.split(".")[0] == "framing"]
            else:
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                if module.split(".")[0] != "framing":
                    continue
                targets = []
                for alias in node.names:
                    sub = f"{module}.{alias.name}"
                    target = sub if sub in mods else resolve(module)  # `from framing.match import options`
                    targets.append(target)
                    if sub not in mods:
                        names.append((name, target, alias.name))
            edges[name].update(t for t in targets if t and t != name)
    return edges, names


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in edges.get(v, ()):
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def stage_of(module: str) -> int:
    """The stage of a module: the entry naming it or the subpackage holding it."""
    best = None
    for i, (_stage, members) in enumerate(STAGES):
        for m in members:
            if (module == m or module.startswith(m + ".")) and (best is None or len(m) > len(best[1])):
                best = (i, m)
    if best is None:
        raise KeyError(module)
    return best[0]


def _unit(module: str) -> str:
    """The subpackage (framing.match, framing.text, framing.readers) or the top-level module."""
    return ".".join(module.split(".")[:2])


@pytest.fixture(scope="module")
def graph():
    return import_graph()


# ------------------------------------------------------------------------- the reader itself
def test_the_graph_sees_lazy_and_relative_imports_and_skips_type_checking(tmp_path):
    pkg = tmp_path / "framing"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from framing.b import x\n")
    (pkg / "a.py").write_text("def f():\n    from framing.b import _hidden\n    from . import c\n")
    (pkg / "b.py").write_text("import framing.sub.d\n")
    (pkg / "c.py").write_text("from framing.a import f\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "d.py").write_text("from ..b import y\nfrom framing.sub import e\n")
    (pkg / "sub" / "e.py").write_text("")
    edges, names = import_graph(pkg)
    assert edges["framing"] == set()  # TYPE_CHECKING only
    assert edges["framing.a"] == {"framing.b", "framing.c"}  # inside a function; relative
    assert edges["framing.b"] == {"framing.sub.d"}
    assert edges["framing.sub.d"] == {"framing.b", "framing.sub.e"}  # `..b`; a submodule by `from pkg import`
    assert ("framing.a", "framing.b", "_hidden") in names
    assert sorted(cycles(edges)) == [["framing.a", "framing.c"], ["framing.b", "framing.sub.d"]]


def test_every_module_has_a_stage(graph):
    edges, _ = graph
    missing = []
    for module in edges:
        try:
            stage_of(module)
        except KeyError:
            missing.append(module)
    assert not missing, f"add these modules to STAGES (and to ARCHITECTURE.md): {missing}"


def test_the_graph_has_the_arrows_it_should(graph):
    """Guards the test itself: lazy imports of the package are read (cli reads the corpus lazily)."""
    edges, _ = graph
    assert "framing.corpus" in edges["framing.cli"]
    assert "framing.match" in edges["framing.audit"]
    assert "framing.clean" in edges["framing.corpus"]


# ------------------------------------------------------------------------------ the rules
def test_no_import_circles(graph):
    edges, _ = graph
    assert cycles(edges) == []


def test_stages_import_only_downward(graph):
    edges, _ = graph
    upward = sorted((a, STAGES[stage_of(a)][0], b, STAGES[stage_of(b)][0])
                    for a, targets in edges.items() for b in targets if stage_of(b) > stage_of(a))
    assert upward == [], "arrows from a lower stage up: " + "; ".join(f"{a} ({sa}) -> {b} ({sb})"
                                                                      for a, sa, b, sb in upward)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_private_name_crosses_a_subpackage(graph):
    _, names = graph
    crossing = [(a, m, n) for a, m, n in names if _private(n) and _unit(a) != _unit(m)]
    assert crossing == [], "give these an internal home (a module named _x holding names without _): " \
        f"{crossing}"


def test_no_private_name_crosses_a_module_but_the_listed_ones(graph):
    _, names = graph
    crossing = {(a, m, n) for a, m, n in names if _private(n) and a != m}
    assert crossing - set(ALLOWED_PRIVATE) == set()
    assert set(ALLOWED_PRIVATE) - crossing == set(), "remove the entries that no longer occur from ALLOWED_PRIVATE"
