"""Check that the package keeps the layers of its design: lower layers never import higher.

Run as a script (``python tools/check_layers.py``); exits 1 and lists every breach. The
test suite runs it too. The rules mirror the design document's layer table.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "sw_volunteer"
ROOT = Path(__file__).resolve().parent.parent / "src" / PACKAGE

# Each top-level part of the package and its rank; a module may import parts of a lower
# rank, and parts of its own rank only where SIBLINGS_MAY_IMPORT says so.
RANKS: dict[str, int] = {
    "errors": 0,
    "_version": 0,
    "types": 1,
    "vocab": 1,
    "models": 2,
    "graph": 3,
    "scheduling": 3,
    "rules": 4,
    "simulation": 5,
    "io": 6,
    "privacy": 6,
    "datasets": 6,
    "__init__": 7,
    "__main__": 8,
    "cli": 8,
    "integrations": 8,
    "testing": 8,
}
SIBLINGS_MAY_IMPORT = {"io", "privacy", "datasets", "types", "vocab"}
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
    "pandas": {"integrations"},
    "matplotlib": {"integrations"},
    "dask": {"integrations"},
    "distributed": {"integrations"},
    "ray": {"integrations"},
    "hypothesis": {"testing"},
}


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


def _imports(tree: ast.Module) -> list[tuple[str, int, bool]]:
    """(module, line, only_for_type_checking) for every import in ``tree``."""
    found: list[tuple[str, int, bool]] = []

    def visit(nodes: list[ast.stmt], *, typing_only: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                found.extend((a.name, node.lineno, typing_only) for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((node.module, node.lineno, typing_only))
            elif isinstance(node, ast.If):
                visit(node.body, typing_only=typing_only or _is_type_checking(node))
                visit(node.orelse, typing_only=typing_only)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                visit(node.body, typing_only=typing_only)
            elif isinstance(node, ast.Try | ast.With):
                visit(node.body, typing_only=typing_only)
                for handler in getattr(node, "handlers", []):
                    visit(handler.body, typing_only=typing_only)
                visit(getattr(node, "finalbody", []), typing_only=typing_only)

    visit(tree.body, typing_only=False)
    return found


def check_file(path: Path, root: Path = ROOT) -> list[Breach]:
    """Every layer breach in one module of the package."""
    part = path.relative_to(root).parts[0].removesuffix(".py")
    module = str(path.relative_to(root.parent))
    if part not in RANKS:
        return [Breach(module, 1, "-", f"{part!r} has no layer: add it to RANKS")]
    breaches: list[Breach] = []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for name, line, typing_only in _imports(tree):
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
    return breaches


def check_tree(root: Path = ROOT) -> list[Breach]:
    """Every layer breach in the package below ``root``."""
    return [b for path in sorted(root.rglob("*.py")) for b in check_file(path, root)]


def main() -> int:
    """Print every breach; exit status 1 when there is any."""
    breaches = check_tree()
    for breach in breaches:
        print(breach)
    count = len(list(ROOT.rglob("*.py")))
    print(f"layer check: {count} modules, {len(breaches)} breaches")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
