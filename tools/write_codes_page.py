"""Write docs/reference/violation-codes.md from the message table.

Run after changing a template or a built-in rule kind
(``.venv/bin/python tools/write_codes_page.py``); tests/rules/test_codes_page.py fails
while the committed page differs from the generated one.
"""

from __future__ import annotations

from pathlib import Path

from sw_volunteer.rules import available_packs, pack, rule_kinds
from sw_volunteer.rules._messages import codes_page

TARGET = Path(__file__).resolve().parent.parent / "docs" / "reference" / "violation-codes.md"


def builtin_codes() -> dict[str, str]:
    """Each code of a kind the packaged packs use, with its kind, in registration order."""
    used = {r.kind for name in available_packs() for r in pack(name).rules}
    return {
        code: kind
        for kind, registered in rule_kinds().items()
        if kind in used
        for code in registered.codes
    }


def main() -> None:
    """Write the page."""
    TARGET.write_text(codes_page(builtin_codes()), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
