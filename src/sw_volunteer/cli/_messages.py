"""The command line's own diagnostics, in the language of ``--lang``.

Three kinds of one-line diagnostic are worded here:

- the CLI's own messages about its arguments (the argument types of
  ``sw_volunteer.cli._common`` and the checks of the commands): one table of templates
  per language, ``EN`` and ``ZH``, with the same keys and fields; ``say`` words one in
  the language of the run;
- argparse's own messages (a required argument, an unrecognised one, an invalid
  choice ...), which argparse builds in English: ``translate_argparse`` recognises them
  by pattern and words them in Chinese;
- the file-level problems of a library error (a missing file, not UTF-8, not valid
  YAML or JSON, too large, too deep ...): ``unusable`` words them by their ``code``,
  keeping the location and the parser's own words.

The language is known before the arguments are parsed (``wants_lang`` reads ``--lang``
from the words of the command line), so that an argument type raising an error can word
it already. Anything not recognised is left as it is: the user's text is never lost.
Codes stay English, in text and in JSON; the ``message`` of a JSON problem follows
``--lang`` like the line on stderr. Problems of a document's content (an unknown field,
a dangling reference) are left as the library words them.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Final

from sw_volunteer.errors import InputError, Problem, SwVolunteerError
from sw_volunteer.vocab import Lang

EN: Final[dict[str, str]] = {
    "not_a_date": "not a date (YYYY-MM-DD): {value}",
    "outside": "{value} is outside {low} to {high}",
    "not_a_number": "not a whole number: {value}",
    "not_a_zone": "not an IANA time zone name (such as Asia/Shanghai): {value}",
    "write_suffix": "{path}: write a {suffixes} file",
    "is_a_folder": "{path}: is a folder, not a file",
    "no_folder": "{path}: the folder {folder} does not exist",
    "folder_not_writable": "{path}: the folder {folder} is not writable",
    "file_not_writable": "{path}: the file is not writable",
    "bad_size": "expected a positive number of bytes, optionally with k, M or G (e.g. 4M), "
    "not {value}",
    "not_a_network": "{value}: not a network document: name a .json, .yaml or .yml file, "
    "or an embedded dataset ({datasets})",
    "span_too_late": "--start {start} with --days {days} ends after {latest}",
    "not_key_number": "{option} {item}: expected KEY=NUMBER",
    "unknown_key": "{option} {key}: unknown; known: {known}",
    "too_many_cells": "{replications} replications x {weeks} weeks x {centres} centres is "
    "over the limit of {limit}: ask for fewer replications or weeks",
    "interrupted": "interrupted (Ctrl-C)",
    "see_help": "{prog}: {message} (see --help)",
}
"""The CLI's own messages in English (the text every English test reads)."""

ZH: Final[dict[str, str]] = {
    "not_a_date": "不是有效日期（应为 YYYY-MM-DD）：{value}",
    "outside": "{value} 不在 {low} 至 {high} 之间",
    "not_a_number": "不是整数：{value}",
    "not_a_zone": "不是 IANA 时区名称（如 Asia/Shanghai）：{value}",
    "write_suffix": "{path}：只能写入 {suffixes} 文件",
    "is_a_folder": "{path}：这是文件夹，不是文件",
    "no_folder": "{path}：文件夹 {folder} 不存在",
    "folder_not_writable": "{path}：文件夹 {folder} 没有写入权限",
    "file_not_writable": "{path}：该文件没有写入权限",
    "bad_size": "应为正的字节数，可带单位 k、M 或 G（如 4M），而不是 {value}",
    "not_a_network": "{value}：不是网络文档：请给出 .json、.yaml 或 .yml 文件，"
    "或内置数据集名称（{datasets}）",
    "span_too_late": "--start {start} 加 --days {days} 超过了最后可用日期 {latest}",
    "not_key_number": "{option} {item}：应为“名称=数值”的形式",
    "unknown_key": "{option} {key}：无法识别；可用的有：{known}",
    "too_many_cells": "{replications} 次重复 × {weeks} 周 × {centres} 个机构，超过上限 "
    "{limit}：请减少重复次数或周数",
    "interrupted": "已中断（Ctrl-C）",
    "see_help": "{prog}: {message}（见 --help）",
}
"""The same messages in Chinese, with the same fields."""

_LANG: ContextVar[Lang] = ContextVar("sw_volunteer_cli_lang", default="en")


@contextlib.contextmanager
def language(lang: Lang) -> Iterator[None]:
    """Word the messages of ``say`` in ``lang`` while the block runs.

    Example:
        >>> with language("zh"):
        ...     print(say("outside", value=0, low=1, high=366))
        0 不在 1 至 366 之间
        >>> print(say("outside", value=0, low=1, high=366))
        0 is outside 1 to 366
    """
    token = _LANG.set(lang)
    try:
        yield
    finally:
        _LANG.reset(token)


def current() -> Lang:
    """The language of the messages of this run (``en`` outside ``language``)."""
    return _LANG.get()


def say(key: str, /, **fields: object) -> str:
    """The message ``key`` with ``fields``, in the language of the run.

    A field that is a tuple is a list, joined by the language's separator.

    Example:
        >>> with language("zh"):
        ...     print(say("write_suffix", path="out.txt", suffixes=(".json", ".csv")))
        out.txt：只能写入 .json、.csv 文件
        >>> print(say("write_suffix", path="out.txt", suffixes=(".json", ".csv")))
        out.txt: write a .json, .csv file
    """
    zh = _LANG.get() == "zh"
    table, comma = (ZH, "、") if zh else (EN, ", ")
    shown = {k: comma.join(map(str, v)) if isinstance(v, tuple) else v for k, v in fields.items()}
    return table[key].format(**shown)


# -- argparse's own messages ------------------------------------------------------------


def _choices(text: str) -> str:
    return "、".join(part.strip() for part in text.split(","))


_ARGPARSE: Final[list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]] = [
    (
        re.compile(r"the following arguments are required: (?P<names>.+)", re.DOTALL),
        lambda m: f"缺少必需的参数：{_choices(m['names'])}",
    ),
    (
        re.compile(r"unrecognized arguments: (?P<words>.*)", re.DOTALL),
        lambda m: f"无法识别的参数：{m['words']}",
    ),
    (
        re.compile(r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", re.DOTALL),
        lambda m: f"无效的选项值：{m['value']}（可选：{_choices(m['choices'])}）",
    ),
    (re.compile(r"expected one argument"), lambda _: "需要一个值"),
    (re.compile(r"expected at most one argument"), lambda _: "最多只能有一个值"),
    (re.compile(r"expected at least one argument"), lambda _: "至少需要一个值"),
    (
        re.compile(r"expected (?P<n>\d+) arguments?"),
        lambda m: f"需要 {m['n']} 个值",
    ),
    (
        re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", re.DOTALL),
        lambda m: f"选项不明确：{m['option']} 可能是 {_choices(m['matches'])}",
    ),
    (
        re.compile(r"one of the arguments (?P<names>.+) is required", re.DOTALL),
        lambda m: f"以下参数必须给出其一：{m['names']}",
    ),
    (
        re.compile(r"not allowed with argument (?P<other>.+)", re.DOTALL),
        lambda m: f"不能与参数 {m['other']} 同时使用",
    ),
    (
        re.compile(r"ignored explicit argument (?P<value>.+)", re.DOTALL),
        lambda m: f"该选项不接受值：{m['value']}",
    ),
    (
        re.compile(r"invalid float value: (?P<value>.*)", re.DOTALL),
        lambda m: f"不是数值：{m['value']}",
    ),
    (
        re.compile(r"invalid int value: (?P<value>.*)", re.DOTALL),
        lambda m: f"不是整数：{m['value']}",
    ),
    (
        re.compile(r"invalid (?P<type>\S+) value: (?P<value>.*)", re.DOTALL),
        lambda m: f"不是有效的 {m['type']} 值：{m['value']}",
    ),
]

_ARGUMENT = re.compile(r"argument (?P<name>\S+): (?P<rest>.*)", re.DOTALL)


def translate_argparse(message: str) -> str:
    """An argparse error message in Chinese; a message not recognised is returned as is.

    Example:
        >>> translate_argparse("the following arguments are required: --start")
        '缺少必需的参数：--start'
        >>> translate_argparse("argument --lang: invalid choice: 'fr' (choose from 'en', 'zh')")
        "参数 --lang：无效的选项值：'fr'（可选：'en'、'zh'）"
        >>> translate_argparse("something argparse may say one day")
        'something argparse may say one day'
    """
    argument = _ARGUMENT.fullmatch(message)
    if argument is not None:
        return f"参数 {argument['name']}：{translate_argparse(argument['rest'])}"
    for pattern, words in _ARGPARSE:
        found = pattern.fullmatch(message)
        if found is not None:
            return words(found)
    return message


def bad_arguments(prog: str, message: str) -> str:
    """The line for an argparse error of ``prog``, in the language of the run.

    Example:
        >>> with language("zh"):
        ...     print(bad_arguments("sw-volunteer", "unrecognized arguments: --out"))
        sw-volunteer: 无法识别的参数：--out（见 --help）
    """
    if _LANG.get() == "zh":
        message = translate_argparse(message)
    return say("see_help", prog=prog, message=message)


# -- file-level problems of library errors ------------------------------------------------

_LOCATION = re.compile(r"(?P<source>.*), line (?P<line>\d+), column (?P<column>\d+)", re.DOTALL)

_OS_REASONS: Final[dict[str, str]] = {
    "No such file or directory": "文件不存在",
    "Permission denied": "没有读取权限",
    "Is a directory": "这是文件夹，不是文件",
    "Not a directory": "路径中有一项不是文件夹",
    "File name too long": "文件名过长",
    "Too many levels of symbolic links": "符号链接层数过多",
}
"""The reasons the operating system gives for a file it cannot open, in Chinese."""

_NUMBER = re.compile(r"\d[\d,]*")


def _too_large(message: str) -> str:
    numbers = _NUMBER.findall(message)
    if message.startswith("the document has ") and len(numbers) == 2:  # noqa: PLR2004 - size, limit
        return f"文档有 {numbers[0]} 字节，超过上限 {numbers[1]} 字节"
    if message.startswith("the document is larger than") and numbers:
        return f"文档超过大小上限 {numbers[0]} 字节"
    if "YAML nodes" in message and numbers:
        return f"YAML 节点超过 {numbers[0]} 个"
    return "文档过大"


def _too_deep(message: str) -> str:
    numbers = _NUMBER.findall(message)
    return f"文档嵌套过深（超过 {numbers[0]} 层）" if numbers else "文档嵌套过深"


def _after(prefix: str, zh: str) -> Callable[[str], str]:
    """Word ``prefix`` in Chinese and keep what follows (the parser's own words)."""

    def word(message: str) -> str:
        if message.startswith(prefix):
            return f"{zh}：{message[len(prefix) :]}"
        return f"{zh}：{message}"

    return word


_NOT_UTF8 = re.compile(r"not UTF-8 text: byte (?P<byte>0x[0-9a-f]{2}) at offset (?P<at>\d+).*")
_NOT_UTF8_AT = re.compile(r"not UTF-8 text at byte offset (?P<at>\d+)")
_SELF_CYCLE = re.compile(r"the pack extends itself through (?P<name>.*)", re.DOTALL)
_KEY_BYTES = re.compile(r"the key has (?P<n>\d+) bytes; use at least (?P<least>\d+) .*")
_KEY_BITS = re.compile(r"the key looks far from random \(about (?P<bits>\d+) bits.*")


def _not_utf8(message: str) -> str:
    found = _NOT_UTF8.fullmatch(message)
    if found:
        return (
            f"不是 UTF-8 文本：偏移 {found['at']} 处的字节 {found['byte']} 无法解码；"
            "请将文件另存为 UTF-8"
        )
    found = _NOT_UTF8_AT.fullmatch(message)
    at = f"：偏移 {found['at']} 处无法解码" if found else ""
    return f"不是 UTF-8 文本{at}；请将文件另存为 UTF-8"


def _pack_cycle(message: str) -> str:
    found = _SELF_CYCLE.fullmatch(message)
    if found:
        return f"规则包经由 {found['name']} 继承了自身"
    return _after("packs extend each other: ", "规则包相互继承")(message)


def _weak_key(message: str) -> str:
    found = _KEY_BYTES.fullmatch(message)
    if found:
        return (
            f"密钥只有 {found['n']} 字节，至少需要 {found['least']} 字节"
            "（可用 sw_volunteer.privacy.new_key() 生成）"
        )
    found = _KEY_BITS.fullmatch(message)
    if found:
        return (
            f"密钥看起来远不够随机（约 {found['bits']} 位）："
            "请用 sw_volunteer.privacy.new_key() 生成"
        )
    return message


_DUPLICATE = re.compile(r"(?:the key (?P<key>.+)|a key) appears twice in one (?:object|mapping)")
_EXTENSION = re.compile(r"cannot tell the format from the extension (?P<ext>.*?): use .*")
_FORMAT = re.compile(r"(?:format )?(?P<given>.*?): use 'json' or 'yaml'")
_NOT_A = re.compile(r".*, not an? (?P<type>\w+)")


def _duplicate_key(message: str) -> str:
    found = _DUPLICATE.fullmatch(message)
    if found is None:
        return f"有重复的键：{message}"
    key = f"键 {found['key']} " if found["key"] else "有一个键"
    return f"{key}在同一对象中出现了两次"


def _unknown_format(message: str) -> str:
    found = _EXTENSION.fullmatch(message)
    if found:
        return f"无法从扩展名 {found['ext']} 判断文档格式：请使用 .json、.yaml 或 .yml"
    found = _FORMAT.fullmatch(message)
    if found:
        return f"无法识别的格式 {found['given']}：应为 json 或 yaml"
    return f"无法确定文档格式：{message}"


_KINDS: Final[dict[str, str]] = {
    "list": "列表",
    "str": "文本",
    "int": "数字",
    "float": "数字",
    "bool": "布尔值",
    "NoneType": "空值",
}
_TAG = re.compile(r"the YAML tag (?P<tag>\S+) is not allowed here: .*")
_PYTHON_TAG = re.compile(r"(?P<problem>.*): tags that construct Python objects are not allowed; .*")


def _unsafe_tag(message: str) -> str:
    found = _TAG.fullmatch(message)
    if found:
        return f"不允许使用 YAML 标签 {found['tag']}：文档只能包含普通数据"
    found = _PYTHON_TAG.fullmatch(message)
    if found:
        return f"不允许使用构造 Python 对象的 YAML 标签，文档只能包含普通数据：{found['problem']}"
    return f"不允许的 YAML 标签：{message}"


def _not_a_mapping(message: str) -> str:
    found = _NOT_A.fullmatch(message)
    kind = f"，而不是{_KINDS.get(found['type'], ' ' + found['type'])}" if found else ""
    return f"文档应为以 centres、workers 等为键的对象{kind}"


def _unreadable(message: str) -> str:
    return f"无法读取：{_OS_REASONS.get(message, message)}"


_BY_CODE: Final[dict[str, Callable[[str], str]]] = {
    "unreadable": _unreadable,
    "unreadable_key": _unreadable,
    "empty_document": lambda _: "文档为空",
    "too_large": _too_large,
    "too_deep": _too_deep,
    "not_utf8": _not_utf8,
    "not_yaml": _after("not valid YAML: ", "不是有效的 YAML"),
    "bad_yaml": _after("", "YAML 内容无法解析"),
    "not_json": _after("not valid JSON: ", "不是有效的 JSON"),
    "duplicate_key": _duplicate_key,
    "unsafe_yaml_tag": _unsafe_tag,
    "unknown_format": _unknown_format,
    "not_a_mapping": _not_a_mapping,
    "pack_cycle": _pack_cycle,
    "weak_key": _weak_key,
}
"""File-level problems worded in Chinese by their code; other codes are left as they are."""

_SUBJECTS: Final[dict[str, str]] = {
    "the pseudonymisation key": "假名化密钥",
    "the key file": "密钥文件",
}

_TYPES: Final[dict[type[BaseException], str]] = {
    OverflowError: "数值溢出",
    RecursionError: "嵌套过深",
    MemoryError: "内存不足",
    UnicodeError: "编码错误",
}


def _location(location: str) -> str:
    found = _LOCATION.fullmatch(location)
    if found is None:
        return location
    return f"{found['source']}，第 {found['line']} 行第 {found['column']} 列"


def _problem_zh(problem: Problem) -> Problem | None:
    word = _BY_CODE.get(problem.code)
    if word is None:
        return None
    return Problem(problem.location, problem.code, word(problem.message))


def unusable(
    exc: BaseException, problems: tuple[Problem, ...], *, own: bool = False
) -> tuple[str, tuple[Problem, ...]]:
    """The Chinese line and problem records for an error that stops a command (exit 2).

    A single file-level problem is worded by its code, without the code's slug on the
    line (the JSON record keeps it); a message of the command line's own (``own``) is
    already in Chinese; any other error keeps its message, after its kind in Chinese
    (``数值溢出``) when it is neither of the library nor of the operating system.

    Example:
        >>> from sw_volunteer.errors import DocumentError
        >>> error = DocumentError([Problem("a.yaml", "empty_document", "the document is empty")])
        >>> line, records = unusable(error, error.problems)
        >>> line, records[0].message, records[0].code
        ('a.yaml：文档为空', '文档为空', 'empty_document')
    """
    message = str(exc) or type(exc).__name__
    if not (own or isinstance(exc, SwVolunteerError | OSError)):
        name = next((v for k, v in _TYPES.items() if isinstance(exc, k)), type(exc).__name__)
        message = f"{name}：{message}"
    found = _problem_zh(problems[0]) if len(problems) == 1 and not own else None
    if found is None:
        return message, problems
    where = _location(found.location)
    line = f"{where}：{found.message}" if where else found.message
    subject = exc.subject if isinstance(exc, InputError) else ""
    if subject:
        line = f"{_SUBJECTS.get(subject, subject)}：{line}"
    return line, (found,)
