"""An mkdocs hook: the figures of the docs are drawn at build time by the pages' code.

For each page listed in ``FIGURE_PAGES``, the hook runs the page's Python blocks in a
temporary directory, as the docs test does, and adds every PNG they save to the site
next to the page. The picture a reader sees is therefore made by the code printed
above it, with the library as it is now; nothing is committed that could go stale.
``mkdocs.yml`` loads this file under ``hooks``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

FIGURE_PAGES = ("how-to/draw-figures.md",)

_PYTHON = re.compile(r"^```python\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def on_files(files: Files, config: Any, **_: Any) -> Files:
    """Add the figures drawn by each page of ``FIGURE_PAGES`` to the site's files."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    docs = Path(config["docs_dir"])
    for page in FIGURE_PAGES:
        text = (docs / page).read_text(encoding="utf-8")
        folder = Path(page).parent.as_posix()
        for name, content in _draw(text).items():
            files.append(File.generated(config, f"{folder}/{name}", content=content))
    return files


def _draw(text: str) -> dict[str, bytes]:
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as workdir:
        os.chdir(workdir)
        try:
            namespace: dict[str, object] = {"__name__": "docs_figures"}
            for match in _PYTHON.finditer(text):
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(match["body"], "<docs>", "exec"), namespace)  # noqa: S102
            return {p.name: p.read_bytes() for p in sorted(Path(workdir).glob("*.png"))}
        finally:
            os.chdir(here)
