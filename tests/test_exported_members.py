"""The public surface is curated: each package's ``__all__`` is exact and sorted."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types

import pytest

import sw_volunteer

_SUBPACKAGES = sorted(
    name
    for _, name, is_package in pkgutil.walk_packages(sw_volunteer.__path__, prefix="sw_volunteer.")
    if is_package and name != "sw_volunteer.testing"
)
PACKAGES = ["sw_volunteer", *_SUBPACKAGES]


def _isort_style(name: str) -> tuple[int, str]:
    """Constants, then classes, then the rest: the order ruff's RUF022 keeps."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_names_real_objects(name):
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported, key=_isort_style), f"{name}.__all__ is not sorted"
    assert len(exported) == len(set(exported))
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == []


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_name_is_exported(name):
    module = importlib.import_module(name)
    public = {
        n
        for n, value in vars(module).items()
        if not n.startswith("_")
        and not (isinstance(value, types.ModuleType) and n not in module.__all__)
        and n != "annotations"
    }
    assert public <= set(module.__all__), sorted(public - set(module.__all__))


def test_the_version_is_exported():
    assert sw_volunteer.__version__.count(".") == 2


# The modules whose names are public besides the packages: the integrations and the
# test strategies are imported by their own names.
EXAMPLE_MODULES = [
    *PACKAGES,
    "sw_volunteer.integrations.pandas",
    "sw_volunteer.integrations.plotting",
    "sw_volunteer.integrations.dask",
    "sw_volunteer.testing.strategies",
]


def _public_callables() -> list[tuple[str, object]]:
    """Every public function and class, once, under the first name it is exported by."""
    seen: set[int] = set()
    out = []
    for name in EXAMPLE_MODULES:
        module = importlib.import_module(name)
        for member in module.__all__:
            value = getattr(module, member)
            # Type aliases (``Scope = Literal[...]``) are neither: they document a type.
            if not (inspect.isclass(value) or inspect.isfunction(value)):
                continue
            if id(value) in seen:
                continue
            seen.add(id(value))
            out.append((f"{name}.{member}", value))
    return out


PUBLIC_CALLABLES = _public_callables()


def test_there_are_many_public_functions_and_classes():
    assert len(PUBLIC_CALLABLES) > 150


@pytest.mark.parametrize(
    ("name", "value"), PUBLIC_CALLABLES, ids=[name for name, _ in PUBLIC_CALLABLES]
)
def test_every_public_function_and_class_shows_an_executed_example(name, value):
    """A ``>>>`` example in the object's own docstring, run by --doctest-modules."""
    doc = value.__doc__ or ""
    assert ">>>" in doc, f"{name} has no example"
