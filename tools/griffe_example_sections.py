"""A griffe extension for the docs build: render ``Example:`` sections as examples.

The project's docstrings follow Google style, where both ``Example:`` and
``Examples:`` open a section of examples. griffe knows only the plural and renders the
singular as a plain admonition, so ``>>>`` lines would be read as Markdown (quotes,
links) instead of code. This extension renames the section before griffe parses it.
``mkdocs.yml`` loads it through the mkdocstrings ``extensions`` option.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_SINGULAR = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)


class ExampleSections(griffe.Extension):
    """Rename ``Example:`` to ``Examples:`` in every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:  # noqa: ARG002
        """Rewrite the docstring of ``obj`` once it is loaded, before it is parsed."""
        if obj.docstring is not None:
            obj.docstring.value = _SINGULAR.sub(r"\1Examples:", obj.docstring.value)
