"""``--lang zh``: the one-line diagnostics of unusable input are in Chinese.

Every row of the bad-input table of ``test_cli_bad_inputs`` is run again with
``--lang zh``: exit 2, one line on stderr, no English words in it (by the helper of
``test_cli_zh``, with the user's own words, command names, argument names and the
proper nouns the messages cite left out), and nothing the user typed lost.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import string
from pathlib import Path

import pytest
from tests.cli.test_cli_bad_inputs import BAD, argv_of, files  # noqa: F401 - files: a fixture
from tests.cli.test_cli_zh import english_words

from sw_volunteer.cli import _common, _messages, main, parser
from sw_volunteer.models import Network


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _names() -> frozenset[str]:
    """The command names and the names of positional arguments (``file``, ``output``)."""
    top = parser()
    commands = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    names = {"COMMAND", *commands.choices}
    for command in commands.choices.values():
        names.update(a.dest for a in command._actions if not a.option_strings)
    return frozenset(names)


NAMES = _names()
CITED = frozenset({"IANA", "Asia", "Shanghai", "YAML", "JSON", "extends"})
"""Proper nouns and a field name the messages cite: the zone database, its example zone,
the formats, and the key of a rule pack that names the pack it extends."""


def english_left(line: str, argv: list[str]) -> list[str]:
    """The English words of ``line`` that the user did not type and that are not names."""

    def typed(word: str) -> bool:  # a value may be shown shortened
        return any(word in arg for arg in argv)

    return [w for w in english_words(line) if w not in NAMES | CITED and not typed(w)]


@pytest.mark.parametrize(("case", "template"), BAD, ids=[case for case, _ in BAD])
def test_unusable_input_in_chinese_is_one_chinese_line(case, template, files):  # noqa: F811 - the fixture
    argv = [*argv_of(template, files), "--lang", "zh"]
    code, out, err = run(argv)
    assert (code, out) == (2, ""), (case, err)
    assert len(err.splitlines()) == 1, (case, err)
    left = english_left(err, argv)
    assert not left, f"{case}: English words {left} in {err!r}"
    assert re.search(r"[\u4e00-\u9fff]", err), err


@pytest.mark.parametrize(("case", "template"), BAD, ids=[case for case, _ in BAD])
def test_nothing_the_user_typed_is_lost(case, template, files):  # noqa: F811 - the fixture
    """A word of the command line quoted by the English line is in the Chinese one too."""
    argv = argv_of(template, files)
    _, _, en = run(argv)
    _, _, zh = run([*argv, "--lang", "zh"])
    quoted = [word[:40] for word in argv if word[:40] in en and word not in NAMES]
    assert all(word in zh for word in quoted), (case, quoted, zh)


@pytest.mark.parametrize(("case", "template"), BAD, ids=[case for case, _ in BAD])
def test_json_problems_follow_the_language_and_keep_their_codes(case, template, files):  # noqa: F811 - the fixture
    argv = [*argv_of(template, files), "--format", "json"]
    _, en_out, _ = run(argv)
    code, zh_out, zh_err = run([*argv, "--lang", "zh"])
    assert code == 2
    en, zh = json.loads(en_out)["problems"], json.loads(zh_out)["problems"]
    assert [(p["location"], p["code"]) for p in zh] == [(p["location"], p["code"]) for p in en]
    assert all(set(p) == {"location", "code", "message"} for p in zh)
    for record in zh:
        assert not english_left(record["message"], argv), (case, record)
    assert len(zh_err.splitlines()) == 1


def test_the_examples_read_as_documented(files):  # noqa: F811 - the fixture
    net = files["net"]
    cases = [
        (
            ["check", net, "--on", "2013-13-01"],
            "sw-volunteer check: argument --on: not a date (YYYY-MM-DD): '2013-13-01' (see --help)",
            (
                "sw-volunteer check: 参数 --on：不是有效日期（应为 YYYY-MM-DD）：'2013-13-01'"
                "（见 --help）"
            ),
        ),
        (
            ["roster", net],
            "sw-volunteer roster: the following arguments are required: --start (see --help)",
            "sw-volunteer roster: 缺少必需的参数：--start（见 --help）",
        ),
        (
            ["sessions", net, "--start", "2013-11-18", "--days", "0"],
            "sw-volunteer sessions: argument --days: 0 is outside 1 to 366 (see --help)",
            "sw-volunteer sessions: 参数 --days：0 不在 1 至 366 之间（见 --help）",
        ),
        (
            ["demo", "--out"],
            "sw-volunteer: unrecognized arguments: --out (see --help)",
            "sw-volunteer: 无法识别的参数：--out（见 --help）",
        ),
    ]
    for argv, en, zh in cases:
        assert run(argv)[2] == en + "\n"
        assert run([*argv, "--lang", "zh"])[2] == zh + "\n"
        assert run([*argv, "--lang=zh"])[2] == zh + "\n"
        assert run([*argv, "--lang", "zh", "--lang", "en"])[2] == en + "\n"  # the last wins


def test_the_language_is_read_before_parsing():
    assert _common.wants_lang(["check", "x.yaml"]) == "en"
    assert _common.wants_lang(["check", "x.yaml", "--lang", "zh"]) == "zh"
    assert _common.wants_lang(["--lang=zh", "demo", "--lang", "en"]) == "en"
    assert _common.wants_lang(["check", "x.yaml", "--lang"]) == "en"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_tables_word_the_same_messages_with_the_same_fields():
    assert set(_messages.EN) == set(_messages.ZH)
    for key, english in _messages.EN.items():
        assert _fields(english) == _fields(_messages.ZH[key]), key
        chinese = _messages.ZH[key].format_map(dict.fromkeys(_fields(english), ""))
        assert not english_left(chinese, []), key


def test_a_message_argparse_words_otherwise_is_kept():
    text = "conflicting option string: --on"
    assert _messages.translate_argparse(text) == text
    assert _messages.translate_argparse(f"argument --on: {text}") == f"参数 --on：{text}"


def test_yaml_that_cannot_be_parsed_keeps_the_parsers_words(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("centres: [\n", "utf-8")
    _, _, en = run(["validate", str(bad)])
    _, _, zh = run(["validate", str(bad), "--lang", "zh"])
    found = re.fullmatch(
        r"sw-volunteer: (.*), line (\d+), column (\d+): not valid YAML: (.*) \[not_yaml\]\n", en
    )
    assert found, en
    where, line, column, detail = found.groups()
    assert zh == f"sw-volunteer: {where}，第 {line} 行第 {column} 列：不是有效的 YAML：{detail}\n"


def test_a_document_over_the_size_limit_says_so_in_chinese(files):  # noqa: F811 - the fixture
    limit = 1024
    size = Path(files["net"]).stat().st_size
    assert size > limit
    _, _, zh = run(["check", files["net"], "--max-bytes", "1k", "--lang", "zh"])
    assert zh.count("\n") == 1
    assert f"超过上限 {limit} 字节" in zh or f"大小上限 {limit} 字节" in zh, zh
    assert not english_left(zh, [files["net"]])


def test_ctrl_c_is_reported_in_chinese(monkeypatch):
    from sw_volunteer.cli import _check

    def interrupt(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_check, "check", interrupt)
    code, out, err = run(["check", "ruian-2013", "--lang", "zh"])
    assert (code, out, err) == (130, "", "sw-volunteer: 已中断（Ctrl-C）\n")


DOCUMENTS = [
    ("a key twice in YAML", "dup.yaml", "centres: []\ncentres: []\n"),
    ("a key twice in JSON", "dup.json", '{"centres": [], "centres": []}'),
    ("a list", "list.yaml", "- a\n"),
    ("a string", "text.yaml", '"x"\n'),
    ("a Python tag", "tag.yaml", "a: !!python/object:os.system {}\n"),
    ("bad YAML", "bad.yaml", "centres: [\n"),
    ("bad JSON", "bad.json", '{"centres": [}'),
]


@pytest.mark.parametrize(("case", "name", "text"), DOCUMENTS, ids=[c for c, _, _ in DOCUMENTS])
def test_a_file_that_is_not_a_document_is_reported_in_chinese(case, name, text, tmp_path):
    """Only the parser's own words (after ``not valid YAML:``) may stay English."""
    path = tmp_path / name
    path.write_text(text, "utf-8")
    code, _, en = run(["validate", str(path)])
    assert code == 2
    found = re.search(r"not valid (?:YAML|JSON): (.*) \[", en)
    parsers_words = [found.group(1)] if found else []
    code, _, zh = run(["validate", str(path), "--lang", "zh"])
    assert code == 2
    assert zh.count("\n") == 1
    keys = list(Network.model_fields)  # a document's keys, cited as they are written
    assert not english_left(zh, [str(path), text, *keys, *parsers_words]), (case, zh)
    assert all(words in zh for words in parsers_words), (case, zh)
    where = re.match(r"sw-volunteer: (.*?)(?:, line (\d+), column (\d+))?: ", en)
    assert where, en
    assert zh.startswith(f"sw-volunteer: {where.group(1)}")
    if where.group(2):
        assert f"第 {where.group(2)} 行第 {where.group(3)} 列" in zh
