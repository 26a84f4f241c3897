"""The one data-file loader (datafiles.py) behind the episodes file and ``:source:``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sphinx_opsboundary.datafiles import MAX_BYTES, DataFileError, LoadedData, load_data_file

#: The same content in every format: an entry ``e`` after an entry whose value
#: (and, in YAML, a nested key) also reads ``e`` - the trap for text searches.
SAME = {
    "toml": (
        '[a]\ntitle = "A"\nspeakers = ["S"]\nkind = "e"\n\n[e]\ntitle = "E"\n',
        {"a": 1, ("a", "kind"): 4, "e": 6, ("e", "title"): 7},
    ),
    "json": (
        '{"a": {"title": "A", "speakers": ["S"], "kind": "e"},\n "e": {"title": "E"}}\n',
        {"a": 1, ("a", "kind"): 1, "e": 2, ("e", "title"): 2},
    ),
    "yaml": (
        "a:\n  title: A\n  speakers: [S]\n  kind: e\ne:\n  title: E\n",
        {"a": 1, ("a", "kind"): 4, "e": 5, ("e", "title"): 6},
    ),
}
EXPECTED = {"a": {"title": "A", "speakers": ["S"], "kind": "e"}, "e": {"title": "E"}}


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="\n")
    return path


def refused(path: Path, **kwargs: int) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        load_data_file(path, **kwargs)
    return info.value


@pytest.mark.parametrize("fmt", sorted(SAME))
def test_every_format_loads_the_same_data_and_locates_keys(tmp_path: Path, fmt: str) -> None:
    content, lines = SAME[fmt]
    loaded = load_data_file(write(tmp_path, f"e.{fmt}", content))
    assert isinstance(loaded, LoadedData)
    assert loaded.format == fmt
    assert loaded.data == EXPECTED
    assert loaded.text == content
    for keys, line in lines.items():
        path = keys if isinstance(keys, tuple) else (keys,)
        assert loaded.line_of(*path) == line, (keys, loaded.key_lines())


def test_yml_extension_is_yaml(tmp_path: Path) -> None:
    loaded = load_data_file(write(tmp_path, "e.YML", "e: {title: E}\n"))
    assert (loaded.format, loaded.data, loaded.line_of("e")) == ("yaml", {"e": {"title": "E"}}, 1)


def test_yaml_nested_key_with_the_same_name_is_not_the_entry(tmp_path: Path) -> None:
    content = "a:\n  title: A\n  kind: e\n  e: nested\ne:\n  title: E\n"
    loaded = load_data_file(write(tmp_path, "e.yaml", content))
    assert (loaded.line_of("e"), loaded.line_of("a", "e")) == (5, 4)


def test_toml_keys_inside_strings_and_arrays_are_not_keys(tmp_path: Path) -> None:
    content = (
        'notes = """\n[e]\ne = 1\n"""\n'  # lines 1-4: a multi-line string
        'sides = [\n  "A <a>",  # comment, with a comma\n  "[e]",\n]\n'  # lines 5-8
        "[episodes.e]\n"  # line 9
        'title = "E"\n'
        "inline = {title = 'x'}\n"
    )
    loaded = load_data_file(write(tmp_path, "e.toml", content))
    assert loaded.data["episodes"]["e"]["title"] == "E"
    assert loaded.line_of("episodes", "e") == 9
    assert loaded.line_of("episodes") == 9
    assert loaded.line_of("episodes", "e", "title") == 10
    assert ("e",) not in loaded.key_lines()
    assert [loaded.line_of("sides", n) for n in range(2)] == [6, 7]
    # A key inside an inline table is located at its parent.
    assert loaded.line_of("episodes", "e", "inline", "title") == 11


def test_toml_arrays_of_tables_are_indexed(tmp_path: Path) -> None:
    content = (
        'sides = ["A", "B"]\n\n[[rows]]\naspect = "x"\ncells = ["1", "2"]\n\n'
        '[[rows]]\naspect = "y"\ncells = ["1", "2"]\n'
    )
    loaded = load_data_file(write(tmp_path, "t.toml", content))
    assert loaded.line_of("rows") == 3
    assert [loaded.line_of("rows", n) for n in range(2)] == [3, 7]
    assert loaded.line_of("rows", 1, "aspect") == 8
    assert loaded.line_of("rows", 5) == 3  # unknown index: the parent's line


def test_json_keys_and_array_items(tmp_path: Path) -> None:
    content = (
        '{\n  "sides": ["A", "B"],\n  "note": "\\"sides\\": no",\n'
        '  "rows": [\n    {"aspect": "x", "cells": ["1", "2"]},\n'
        '    {"aspect": "y",\n     "cells": ["1", "2"]}\n  ]\n}\n'
    )
    loaded = load_data_file(write(tmp_path, "t.json", content))
    assert loaded.line_of("sides") == 2
    assert loaded.line_of("rows") == 4
    assert [loaded.line_of("rows", n) for n in range(2)] == [5, 6]
    assert loaded.line_of("rows", 1, "cells") == 7
    assert loaded.line_of("nowhere") is None
    assert loaded.line_of() is None


# -- errors -------------------------------------------------------------------

PARSE_ERRORS = {
    "toml": ('sides = ["A", "B"]\n\n[[rows]]\naspect = "X"\ncells = ["a" "b"]\n', 5),
    "json": ('{\n  "sides": ["A", "B"],\n  "rows": [\n    {"aspect": "X"},\n  ]\n}\n', 5),
    "yaml": ("sides: [A, B]\nrows:\n  - aspect: X\n    cells: [a, b\n", 5),
}


@pytest.mark.parametrize("fmt", sorted(PARSE_ERRORS))
def test_parse_errors_carry_the_parsers_line(tmp_path: Path, fmt: str) -> None:
    content, line = PARSE_ERRORS[fmt]
    error = refused(write(tmp_path, f"t.{fmt}", content))
    assert error.reason == "syntax"
    assert error.line == line
    assert error.message.startswith(f"is not valid {fmt.upper()}: ")
    assert "(at line" not in error.message  # the line is in .line, not in the text
    assert error.parser_message


NOT_UTF8 = {
    "toml": b'[e]\ntitle = "ok"\nspeakers = ["\xff\xfe"]\n',
    "json": b'{"e": {"title": "ok",\n"speakers": ["S"],\n "x": "\xe9"}}',
    "yaml": b"e:\n  title: ok\n  speakers: [\xc3]\n",
}


@pytest.mark.parametrize("fmt", sorted(NOT_UTF8))
def test_not_utf8_is_an_error_at_the_bad_bytes_line(tmp_path: Path, fmt: str) -> None:
    error = refused(write(tmp_path, f"e.{fmt}", NOT_UTF8[fmt]))
    assert error.reason == "encoding"
    assert error.line == 3
    assert "not UTF-8" in error.message and "save the file as UTF-8" in error.message


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    loaded = load_data_file(write(tmp_path, "e.json", b'\xef\xbb\xbf{"e": 1}'))
    assert loaded.data == {"e": 1}


DUPLICATES = {
    "toml": ('[e]\ntitle = "One"\ntitle = "Two"\n', 3),
    "json": ('{"e": {"title": "One"},\n "f": {"title": "F"},\n "e": {"title": "Two"}}', 3),
    "yaml": ("e:\n  title: One\nf: {}\ne:\n  title: Two\n", 4),
}


@pytest.mark.parametrize("fmt", sorted(DUPLICATES))
def test_duplicate_keys_are_errors_at_the_second_definition(tmp_path: Path, fmt: str) -> None:
    content, line = DUPLICATES[fmt]
    error = refused(write(tmp_path, f"e.{fmt}", content))
    assert error.line == line
    if fmt == "toml":  # tomllib's own refusal
        assert error.reason == "syntax"
    else:
        assert error.reason == "duplicate"
        assert error.message == (
            "defines the key 'e' twice (first defined at line 1); remove or rename one of them"
        )


@pytest.mark.parametrize(
    ("fmt", "content", "key", "line", "first"),
    [
        ("json", '{"e": {"a": 1,\n  "b": 2,\n  "a": 3}}', "a", 3, 1),
        ("yaml", "e:\n  a: 1\n  b: 2\n  a: 3\n", "a", 4, 2),
        ("yaml", "e: {a: 1, a: 2}\n", "a", 1, 1),
    ],
)
def test_nested_duplicate_keys(
    tmp_path: Path, fmt: str, content: str, key: str, line: int, first: int
) -> None:
    error = refused(write(tmp_path, f"e.{fmt}", content))
    assert (error.reason, error.line) == ("duplicate", line)
    assert f"key {key!r} twice (first defined at line {first})" in error.message


def test_equal_keys_in_different_mappings_are_fine(tmp_path: Path) -> None:
    loaded = load_data_file(write(tmp_path, "t.yaml", "a: {title: A}\nb: {title: B}\n"))
    assert loaded.data == {"a": {"title": "A"}, "b": {"title": "B"}}
    loaded = load_data_file(write(tmp_path, "t.json", '[{"title": 1}, {"title": 2}]'))
    assert loaded.data == [{"title": 1}, {"title": 2}]


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    content = "sides: [A, B]\na: &a [lol, lol]\nb: [*a, *a]\nrows: []\n"
    error = refused(write(tmp_path, "bomb.yaml", content))
    assert (error.reason, error.line) == ("alias", 3)
    assert error.message == "is not valid YAML: aliases (*name) are not allowed"


def test_empty_yaml_is_none(tmp_path: Path) -> None:
    loaded = load_data_file(write(tmp_path, "e.yaml", "# nothing\n"))
    assert (loaded.data, loaded.line_of("e")) == (None, None)


def test_too_large_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, "big.json", "[" + "1," * 50 + "1]")
    error = refused(path, max_bytes=64)
    assert (error.reason, error.line) == ("too-large", None)
    assert error.message == f"is {path.stat().st_size} bytes, over the 64 byte limit; split it"
    big = write(tmp_path, "big.toml", "x = 1\n" + "#" * MAX_BYTES)
    assert refused(big).reason == "too-large"


def test_nested_too_deeply(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000))
    assert error.reason == "depth"
    assert error.message == "is not valid JSON: nested too deeply"


def test_missing_pyyaml_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml -> ImportError
    error = refused(write(tmp_path, "e.yaml", "e: {title: E}\n"))
    assert error.reason == "no-yaml"
    assert error.line is None
    assert "pip install 'sphinx-opsboundary[yaml]'" in error.message
    # The other formats do not need it.
    assert load_data_file(write(tmp_path, "e.json", '{"e": 1}')).data == {"e": 1}


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "e.ini", "[e]\n"))
    assert error.reason == "format"
    assert ".toml, .json, .yaml or .yml" in error.message
    error = refused(tmp_path / "nope.toml")
    assert (error.reason, error.line) == ("missing", None)
    assert error.message == "cannot be read (No such file or directory)"
    error = refused(tmp_path)  # a directory with no extension: format first
    assert error.reason == "format"
    directory = tmp_path / "dir.json"
    directory.mkdir()
    assert refused(directory).reason == "unreadable"


def test_error_str_includes_the_line() -> None:
    assert str(DataFileError("is not valid JSON: x", 4)) == "is not valid JSON: x (line 4)"
    assert str(DataFileError("cannot be read (x)", reason="missing")) == "cannot be read (x)"
