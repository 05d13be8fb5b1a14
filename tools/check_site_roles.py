"""Fail when the built site shows a Sphinx role or a cross-reference left unresolved.

Docstrings are rendered by mkdocstrings, which knows nothing of Sphinx roles: a
``:class:`Network``` in a docstring reaches the reader as the literal text
``:class:Network``. Cross-references are written for autorefs instead
(``[`Network`][sw_volunteer.models.Network]``); one whose target is missing is left as
brackets. ``make docs`` runs this over ``site/`` after the build:

    python tools/check_site_roles.py site
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# A role as rendered in HTML (``:class:<code>X</code>``) or left as source text.
ROLE_IN_HTML = re.compile(
    r":(?:py:)?(?:class|func|meth|attr|mod|data|exc|obj|const|ref):(?:<code>|`)"
)
# An autorefs reference that found no target: ``[<code>X</code>][some.path]``.
UNRESOLVED = re.compile(r"\[<code>[^<]*</code>\]\[[\w.]+\]")


def findings(html: str) -> list[str]:
    """The role and unresolved-reference snippets in one page's HTML.

    Example:
        >>> findings("<p>a <code>Network</code></p>")
        []
        >>> findings("<p>see :class:<code>Network</code></p>")
        [':class:<code>']
        >>> findings("<p>[<code>Network</code>][sw_volunteer.Nope]</p>")
        ['[<code>Network</code>][sw_volunteer.Nope]']
    """
    return [m.group(0) for m in ROLE_IN_HTML.finditer(html)] + [
        m.group(0) for m in UNRESOLVED.finditer(html)
    ]


def main(site: str = "site") -> int:
    """Print every finding as ``page: snippet``; exit 1 if there is any."""
    root = Path(site)
    pages = sorted(root.rglob("*.html"))
    if not pages:
        print(f"{root}: no HTML pages (build the site first)", file=sys.stderr)
        return 2
    bad = [
        f"{page.relative_to(root)}: {snippet}"
        for page in pages
        for snippet in findings(page.read_text(encoding="utf-8"))
    ]
    for line in bad:
        print(line, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
