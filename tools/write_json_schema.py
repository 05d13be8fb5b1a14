"""Write the JSON Schema of a network document to docs/reference/network.schema.json.

Run after changing a model (``.venv/bin/python tools/write_json_schema.py``); the docs
test fails while the committed copy differs from ``sw_volunteer.json_schema()``.
"""

from __future__ import annotations

import json
from pathlib import Path

import sw_volunteer as sv

TARGET = Path(__file__).resolve().parent.parent / "docs" / "reference" / "network.schema.json"


def main() -> None:
    """Write the schema, indented, with Chinese text left readable."""
    text = json.dumps(sv.json_schema(), indent=2, ensure_ascii=False) + "\n"
    TARGET.write_text(text, encoding="utf-8")
    print(
        f"wrote {TARGET.relative_to(Path.cwd()) if TARGET.is_relative_to(Path.cwd()) else TARGET}"
    )


if __name__ == "__main__":
    main()
