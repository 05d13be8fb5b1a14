"""The public surface is curated: each package's ``__all__`` is exact and sorted."""

from __future__ import annotations

import importlib
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
