"""No Sphinx roles in the docstrings or pages: mkdocstrings would print them raw.

The reference pages are rendered by mkdocstrings, which does not read reStructuredText
roles: ``:class:`Network``` reaches the reader as the text ``:class:Network``. Docstrings
link with autorefs instead: ``[`Network`][sw_volunteer.models.Network]``. This test reads
every docstring of the package (modules, classes, functions and attribute docstrings,
private modules included, since their objects are rendered under public names) without
importing anything; ``tools/check_site_roles.py`` checks the built site the same way.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "sw_volunteer"
SOURCES = sorted(PACKAGE.rglob("*.py"))
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])

ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|mod|data|exc|obj|const|ref):`[^`]*`")
# An autorefs link: [`shown`][target.path]
CROSS_REF = re.compile(r"\[`[^`]+`\]\[(?P<target>[\w.]+)\]")


def _docstrings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every bare string statement: docstrings and attribute docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_sphinx_role_in_a_docstring(path):
    found = [
        f"{path.name}:{line}: {m.group(0)}"
        for line, text in _docstrings(path)
        for m in ROLE.finditer(text)
    ]
    assert found == []


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_sphinx_role_in_a_page(path):
    assert ROLE.findall(path.read_text(encoding="utf-8")) == []


def test_cross_references_name_public_objects():
    """Every autorefs target is a public path that exists (the strict build checks the rest)."""
    import sw_volunteer

    bad = []
    for path in SOURCES:
        for line, text in _docstrings(path):
            for m in CROSS_REF.finditer(text):
                target = m.group("target")
                if any(part.startswith("_") for part in target.split(".")):
                    bad.append(f"{path.name}:{line}: {target} (private)")
                elif not _resolves(target, sw_volunteer):
                    bad.append(f"{path.name}:{line}: {target}")
    assert bad == []


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a parent of ``name`` is not a package
        return False


def _resolves(target: str, package: object) -> bool:
    """Whether ``target`` (a dotted path from ``sw_volunteer``) names an object."""
    parts = target.split(".")
    if parts[0] != "sw_volunteer":
        return False
    for i in range(len(parts), 1, -1):
        module = ".".join(parts[:i])
        if _is_module(module):
            obj: object = importlib.import_module(module)
            break
    else:
        obj, i = package, 1
    for name in parts[i:]:
        annotations = getattr(obj, "__annotations__", {})
        fields = getattr(obj, "model_fields", {})
        if not hasattr(obj, name):
            # a dataclass or model field without a class-level value still resolves
            return name in annotations or name in fields
        obj = getattr(obj, name)
    return True


def test_the_site_check_finds_roles_and_dangling_links():
    spec = importlib.util.spec_from_file_location(
        "check_site_roles", ROOT / "tools" / "check_site_roles.py"
    )
    assert spec is not None
    assert spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.findings("<p>:func:<code>check</code> and :class:`Report`</p>") == [
        ":func:<code>",
        ":class:`",
    ]
    link = '<a href="../rules/#sw_volunteer.rules.check"><code>check</code></a>'
    assert tool.findings(link) == []
