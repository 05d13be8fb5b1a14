"""The install commands the project gives work from a clone: the package is not published.

``pip install 'sw-volunteer[pandas]'`` fails for anyone with a clone (no index has the
package); ``pip install -e '.[pandas]'`` in the clone's folder works. The docs, the
module docstrings and the missing-extra error all give the clone form.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest

import sw_volunteer as sv

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
EXTRAS = set(PYPROJECT["project"]["optional-dependencies"])
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
SOURCES = sorted((ROOT / "src" / "sw_volunteer").rglob("*.py"))
CLONE_FORM = re.compile(r"pip install -e '\.\[(?P<extra>[a-z]+)\]'")


def _commands(text: str) -> list[str]:
    """The ``pip install`` commands of console blocks (``$ pip install ...``)."""
    return [line[2:] for line in text.splitlines() if line.startswith("$ pip install")]


def test_the_clone_is_the_project_the_command_installs():
    assert PYPROJECT["project"]["name"] == "sw-volunteer"


@pytest.mark.parametrize("extra", sorted(EXTRAS))
def test_the_missing_extra_error_gives_a_command_that_works_in_a_clone(extra):
    message = str(sv.MissingDependencyError.for_extra("some_module", extra))
    match = CLONE_FORM.search(message)
    assert match is not None, message
    assert match.group("extra") == extra
    assert "clone" in message
    assert "sw-volunteer[" not in message


def test_every_install_command_in_the_docs_installs_from_the_clone():
    commands = [(page, c) for page in PAGES for c in _commands(page.read_text("utf-8"))]
    assert commands  # the docs do tell readers how to install the extras
    for page, command in commands:
        words = shlex.split(command)
        assert words[:3] == ["pip", "install", "-e"], f"{page.name}: {command}"
        target = words[3]
        assert target.startswith(".["), f"{page.name}: {command}"
        assert set(target[2:-1].split(",")) <= EXTRAS


def test_module_docstrings_name_extras_that_exist_in_the_clone_form():
    named = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        assert "pip install 'sw-volunteer[" not in text.replace(
            "(``pip install 'sw-volunteer[pandas]'``) works only once it is", ""
        ), path.name
        named += CLONE_FORM.findall(text)
    assert set(named) <= EXTRAS
    assert {"pandas", "plot", "dask"} <= set(named)


def test_every_raised_missing_extra_names_an_extra_of_the_project():
    calls = [
        m.group(1)
        for path in SOURCES
        for m in re.finditer(
            r'MissingDependencyError\.for_extra\(\s*"[^"]+",\s*"([^"]+)"', path.read_text("utf-8")
        )
    ]
    assert calls
    assert set(calls) <= EXTRAS
