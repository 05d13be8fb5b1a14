"""Every code block in the docs and the README runs, and shows what it really prints.

The rules (also written for readers in ``docs/explanation/docs-testing.md``):

- a ```` ```python ```` block is executed; the blocks of one page run in order in one
  namespace, in a fresh temporary directory, like cells of a notebook;
- a block with ``title="Output"`` must equal what the python block just before it
  printed;
- a block with ``title="<file name>"`` (CSV, YAML, JSON, Python) is written to that file
  in the page's directory when it is reached, so the file a page shows is the file its
  code reads;
- a ```` ```console ```` block holds ``$ command`` lines, each followed by its output:
  ``sw-volunteer`` commands are run and their output compared; ``make`` targets must
  exist in the Makefile and ``pip install`` extras in ``pyproject.toml``;
- a line ``--8<-- "path"`` in a block is replaced by that file of ``docs/`` or
  ``examples/`` first, as the site build does;
- any other block fails the test, so nothing can be added that is not checked.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from sw_volunteer import cli
from sw_volunteer.rules import _declarations

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPET_BASES = (DOCS, ROOT / "examples")  # as pymdownx.snippets' base_path in mkdocs.yml
PAGES = sorted([ROOT / "README.md", *DOCS.rglob("*.md")])

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,})(?P<info>[^`\n]*)\n"
    r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_TITLE = re.compile(r'title="(?P<title>[^"]*)"')


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    language: str
    title: str | None
    body: str
    line: int

    @property
    def is_output(self) -> bool:
        return self.title == "Output"


def blocks_of(text: str) -> list[Block]:
    """The fenced blocks of a Markdown text, in order, with indentation removed."""
    found = []
    for match in _FENCE.finditer(text):
        info = match["info"].strip()
        language = info.split(maxsplit=1)[0] if info else ""
        title = _TITLE.search(info)
        indent = len(match["indent"])
        body = "".join(
            line[indent:] if line.strip() else line.lstrip(" \t")
            for line in match["body"].splitlines(keepends=True)
        )
        line = text.count("\n", 0, match.start()) + 1
        found.append(Block(language, title["title"] if title else None, body, line))
    return found


_SNIPPET = re.compile(r'^--8<-- "(?P<path>[^"]+)"$', re.MULTILINE)


def _expand_snippets(body: str, where: str) -> str:
    """Replace each ``--8<-- "path"`` line by the file, as pymdownx.snippets does."""

    def read(match: re.Match[str]) -> str:
        found = [base / match["path"] for base in SNIPPET_BASES if (base / match["path"]).is_file()]
        assert found, f"{where}: the snippet {match['path']!r} is in none of {SNIPPET_BASES}"
        return found[0].read_text(encoding="utf-8").rstrip("\n")

    return _SNIPPET.sub(read, body)


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, re.MULTILINE))


def _extras() -> set[str]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return set(tomllib.load(f)["project"]["optional-dependencies"])


def _run_console(block: Block, where: str) -> None:
    commands: list[tuple[str, list[str]]] = []
    for line in block.body.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
        elif line.strip():
            pytest.fail(f"{where}: console output before any `$ command`: {line!r}")
    for command, shown in commands:
        words = shlex.split(command, comments=True)
        if words[0] == "make":
            missing = set(words[1:]) - _makefile_targets()
            assert not missing, f"{where}: no such make target: {sorted(missing)}"
        elif words[:2] == ["pip", "install"]:
            for requirement in words[2:]:
                extras = re.findall(r"\[([^\]]*)\]", requirement)
                for extra in ",".join(extras).split(","):
                    assert not extra or extra in _extras(), f"{where}: no extra {extra!r}"
        elif words[0] == "sw-volunteer":
            out = io.StringIO()
            cli.main(words[1:], out=out)
            assert _normalise(out.getvalue()) == _normalise("\n".join(shown)), (
                f"{where}: `{command}` printed:\n{out.getvalue()}"
            )
        else:
            pytest.fail(f"{where}: the docs test cannot check the command {command!r}")


def run_page(page: Path, workdir: Path) -> int:
    """Run every block of ``page`` in ``workdir``; return how many blocks were checked."""
    namespace: dict[str, object] = {"__name__": f"docs.{page.stem}"}
    printed: str | None = None
    name = page.relative_to(ROOT) if page.is_relative_to(ROOT) else page.name
    blocks = blocks_of(page.read_text(encoding="utf-8"))
    for raw in blocks:
        where = f"{name}:{raw.line}"
        block = replace(raw, body=_expand_snippets(raw.body, where))
        if block.is_output:
            assert printed is not None, f"{where}: an Output block must follow a python block"
            assert _normalise(printed) == _normalise(block.body), (
                f"{where}: the code printed\n{printed}\nbut the page shows\n{block.body}"
            )
            printed = None
        elif block.title is not None:
            (workdir / block.title).write_text(block.body, encoding="utf-8")
        elif block.language in {"python", "py"}:
            out = io.StringIO()
            # dont_inherit: the page runs as a plain script, without this module's __future__.
            code = compile("\n" * block.line + block.body, str(name), "exec", dont_inherit=True)
            with contextlib.redirect_stdout(out):
                exec(code, namespace)  # noqa: S102 - running the docs is the point
            printed = out.getvalue()
        elif block.language == "console":
            _run_console(block, where)
        else:
            pytest.fail(
                f"{where}: a {block.language or 'plain'!r} block cannot be checked; see "
                "docs/explanation/docs-testing.md for the kinds of block a page may hold"
            )
    return len(blocks)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_code_block_of_the_page_runs_and_prints_what_it_shows(page, tmp_path, monkeypatch):
    # A page may register a rule kind of its own; it must not leak into other tests.
    monkeypatch.setattr(_declarations, "_REGISTRY", dict(_declarations._REGISTRY))
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    run_page(page, tmp_path)


def test_the_readme_has_a_short_example_that_runs():
    python = [
        b for b in blocks_of((ROOT / "README.md").read_text("utf-8")) if b.language == "python"
    ]
    assert len(python) == 1
    assert len(python[0].body.splitlines()) <= 20


def test_relative_links_in_the_readme_lead_to_files():
    text = (ROOT / "README.md").read_text("utf-8")
    links = re.findall(r"\]\((?!https?://|#)([^)#]+)", text)
    assert links, "the README links into the docs"
    missing = [link for link in links if not (ROOT / link).exists()]
    assert not missing


def test_the_runner_catches_wrong_output_and_unknown_blocks(tmp_path):
    page = tmp_path / "page.md"
    page.write_text('```python\nprint(1 + 1)\n```\n\n```text title="Output"\n3\n```\n')
    with pytest.raises(AssertionError, match="the code printed"):
        run_page(page, tmp_path)
    page.write_text("```bash\nrm -rf /\n```\n")
    with pytest.raises(pytest.fail.Exception, match="cannot be checked"):
        run_page(page, tmp_path)


def test_the_runner_writes_titled_files_and_runs_blocks_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "page.md"
    page.write_text(
        '```csv title="r.csv"\na,b\n```\n\n'
        '```python\nfrom pathlib import Path\nrows = Path("r.csv").read_text().split()\n```\n\n'
        "!!! note\n\n    ```python\n    print(rows)\n    ```\n\n"
        "    ```text title=\"Output\"\n    ['a,b']\n    ```\n"
    )
    assert run_page(page, tmp_path) == 4


def test_blank_lines_survive_in_indented_blocks():
    text = "!!! note\n\n    ```console\n    $ sw-volunteer demo\n    a\n\n    b\n    ```\n"
    [block] = blocks_of(text)
    assert block.body == "$ sw-volunteer demo\na\n\nb\n"
