"""Check that the package keeps the layers of its design: lower layers never import higher.

Three checks, over every import a module can run (at the top, inside functions and
classes, in ``try`` blocks; imports under ``if TYPE_CHECKING:`` run only for the type
checker and are left out where they cannot run):

- layers: a part imports only parts of a lower rank (and third-party packages only
  where allowed);
- string imports: ``importlib.import_module("...")`` and ``__import__("...")`` are
  imports like any other (a name that is not a constant absolute one cannot be checked and
  is a breach of its own);
- cycles: no module imports itself through others (function-level imports included).

Run as a script (``python tools/check_layers.py``); exits 1 and lists every breach. The
test suite runs it too. The rules mirror the design document's layer table.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "sw_volunteer"
ROOT = Path(__file__).resolve().parent.parent / "src" / PACKAGE

# Each top-level part of the package and its rank; a module may import parts of a lower
# rank, and parts of its own rank only where SIBLINGS_MAY_IMPORT says so.
RANKS: dict[str, int] = {
    "errors": 0,
    "_version": 0,
    "_files": 0,
    "_reader": 1,
    "types": 1,
    "vocab": 1,
    "models": 2,
    "graph": 3,
    "scheduling": 3,
    "rules": 4,
    "plan": 5,
    "simulation": 6,
    "io": 7,
    "privacy": 7,
    "datasets": 7,
    "paperwork": 7,
    "__init__": 8,
    "__main__": 9,
    "cli": 9,
    "integrations": 9,
    "testing": 9,
}
SIBLINGS_MAY_IMPORT = {"io", "privacy", "datasets", "paperwork", "types", "vocab"}
NOBODY_IMPORTS = {"cli", "__main__", "integrations", "testing"}

# Third-party packages and the parts allowed to import them at run time.
THIRD_PARTY: dict[str, set[str]] = {
    "networkx": {
        "graph",
        "rules",
        "simulation",
        "io",
        "privacy",
        "datasets",
        "cli",
        "integrations",
        "testing",
    },
    "dateutil": {"types", "scheduling"},
    "numpy": {"graph", "simulation", "integrations", "testing"},
    "scipy": {"privacy"},
    "pandas": {"integrations"},
    "matplotlib": {"integrations"},
    "dask": {"integrations"},
    "distributed": {"integrations"},
    "ray": {"integrations"},
    "hypothesis": {"testing"},
    "ortools": {"plan"},
}


@dataclass(frozen=True)
class Import:
    """One import a module can run.

    Attributes:
        module: The dotted name imported from (``from X import ...``) or imported.
        names: The names of a ``from`` import (``()`` for ``import X`` and string imports).
        line: Where.
        typing_only: Under ``if TYPE_CHECKING:`` (never run).
        level: Dots of a relative import (0: absolute).
        dynamic: A string import whose name is not a constant.
        by_string: ``importlib.import_module``/``__import__``.
    """

    module: str
    names: tuple[str, ...]
    line: int
    typing_only: bool
    level: int = 0
    dynamic: bool = False
    by_string: bool = False


@dataclass(frozen=True)
class Breach:
    """One import that breaks the layers."""

    module: str
    line: int
    imported: str
    why: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: imports {self.imported}: {self.why}"


def _part_of(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0].removesuffix(".py")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _string_import(node: ast.Call) -> str | bool | None:
    """The name a call imports by string; ``None`` if it is no import; ``False`` if dynamic."""
    func = node.func
    name = (
        func.attr
        if isinstance(func, ast.Attribute)
        else func.id
        if isinstance(func, ast.Name)
        else None
    )
    if name not in {"import_module", "__import__"}:
        return None
    if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        target: str = node.args[0].value
        return False if target.startswith(".") else target
    return False


class _Visitor(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[Import] = []
        self._typing = 0

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node):
            self.visit(node.test)
            self._typing += 1
            for child in node.body:
                self.visit(child)
            self._typing -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        typing_only = self._typing > 0
        self.found.extend(Import(a.name, (), node.lineno, typing_only) for a in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        names = tuple(a.name for a in node.names)
        self.found.append(
            Import(node.module or "", names, node.lineno, self._typing > 0, level=node.level)
        )

    def visit_Call(self, node: ast.Call) -> None:
        target = _string_import(node)
        if target is not None:
            typing_only = self._typing > 0
            if target is False:
                self.found.append(Import("?", (), node.lineno, typing_only, dynamic=True))
            else:
                self.found.append(Import(str(target), (), node.lineno, typing_only, by_string=True))
        self.generic_visit(node)


def imports_of(tree: ast.Module) -> list[Import]:
    """Every import in ``tree``, wherever it is (functions, classes, ``try``, ``if``)."""
    visitor = _Visitor()
    visitor.visit(tree)
    return visitor.found


def _layered_imports(tree: ast.Module) -> list[tuple[str, int, bool]]:
    """(name, line, typing_only) of the absolute imports whose layers are checked."""
    return [
        (found.module, found.line, found.typing_only)
        for found in imports_of(tree)
        if not found.dynamic and not found.level and found.module
    ]


def check_file(path: Path, root: Path = ROOT) -> list[Breach]:
    """Every layer breach in one module of the package."""
    part = path.relative_to(root).parts[0].removesuffix(".py")
    module = str(path.relative_to(root.parent))
    if part not in RANKS:
        return [Breach(module, 1, "-", f"{part!r} has no layer: add it to RANKS")]
    breaches: list[Breach] = []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    breaches.extend(
        Breach(module, found.line, "?", "import by a name that is not a constant absolute name")
        for found in imports_of(tree)
        if found.dynamic
    )
    for name, line, typing_only in _layered_imports(tree):
        top, _, rest = name.partition(".")
        if top == PACKAGE:
            target = rest.split(".")[0] if rest else "__init__"
            if target == part:
                continue
            if target not in RANKS:
                breaches.append(Breach(module, line, name, "unknown part of the package"))
            elif (part, target) == ("__main__", "cli"):
                continue  # `python -m sw_volunteer` is the command line
            elif target in NOBODY_IMPORTS:
                breaches.append(Breach(module, line, name, f"nothing may import {target}"))
            elif RANKS[target] > RANKS[part]:
                breaches.append(
                    Breach(
                        module,
                        line,
                        name,
                        f"{part} (layer {RANKS[part]}) is below {target} (layer {RANKS[target]})",
                    )
                )
            elif RANKS[target] == RANKS[part] and not (
                part in SIBLINGS_MAY_IMPORT and target in SIBLINGS_MAY_IMPORT
            ):
                breaches.append(Breach(module, line, name, f"{part} and {target} are siblings"))
        elif top in THIRD_PARTY and not typing_only and part not in THIRD_PARTY[top]:
            allowed = ", ".join(sorted(THIRD_PARTY[top]))
            breaches.append(Breach(module, line, name, f"{top} is only for: {allowed}"))
    return sorted(breaches, key=lambda b: b.line)


def _module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _resolve(found: Import, importer: str, modules: set[str], *, is_package: bool) -> list[str]:
    """The package's modules that ``found`` runs (directly), in ``importer``."""
    base = found.module
    if found.level:
        package = importer.split(".") if is_package else importer.split(".")[:-1]
        package = package[: len(package) - (found.level - 1)]
        base = ".".join([*package, *([found.module] if found.module else [])])
    if base.split(".")[0] != PACKAGE:
        return []
    targets = [f"{base}.{n}" for n in found.names if f"{base}.{n}" in modules]
    if len(targets) < len(found.names) or not found.names:
        prefix = base
        while prefix and prefix not in modules:
            prefix = prefix.rpartition(".")[0]
        if prefix:
            targets.append(prefix)
    return targets


def import_graph(root: Path = ROOT) -> dict[str, dict[str, int]]:
    """Module -> the package's modules it imports at run time, with the line of the first."""
    paths = sorted(root.rglob("*.py"))
    names = {path: _module_name(path, root) for path in paths}
    modules = set(names.values())
    graph: dict[str, dict[str, int]] = {}
    for path in paths:
        importer = names[path]
        edges = graph.setdefault(importer, {})
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for found in imports_of(tree):
            if found.typing_only or found.dynamic:
                continue
            for target in _resolve(found, importer, modules, is_package=path.name == "__init__.py"):
                if target != importer:
                    edges.setdefault(target, found.line)
    return graph


def _components(graph: dict[str, dict[str, int]]) -> Iterator[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, {}))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    yield sorted(component)


def _cycle_in(component: list[str], graph: dict[str, dict[str, int]]) -> list[str]:
    """One cycle through the first module of ``component`` (shortest, by breadth first)."""
    members = set(component)
    first = component[0]
    paths = {first: [first]}
    queue = [first]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph.get(node, {})):
            if child == first:
                return [*paths[node], first]
            if child in members and child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return component  # unreachable for a strongly connected component


def check_cycles(root: Path = ROOT) -> list[Breach]:
    """One breach per import cycle among the package's modules."""
    graph = import_graph(root)
    breaches = []
    for component in _components(graph):
        cycle = _cycle_in(component, graph)
        first, second = cycle[0], cycle[1]
        module = first.replace(".", "/") + ".py"
        breaches.append(
            Breach(module, graph[first][second], second, "import cycle: " + " -> ".join(cycle))
        )
    return breaches


def check_tree(root: Path = ROOT) -> list[Breach]:
    """Every layer breach and import cycle in the package below ``root``."""
    layers = [b for path in sorted(root.rglob("*.py")) for b in check_file(path, root)]
    return [*layers, *check_cycles(root)]


def main() -> int:
    """Print every breach; exit status 1 when there is any."""
    breaches = check_tree()
    for breach in breaches:
        print(breach)
    count = len(list(ROOT.rglob("*.py")))
    print(
        f"layer check: {count} modules, {len(breaches)} breaches (layers, string imports, cycles)"
    )
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
