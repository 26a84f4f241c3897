"""The three parsers behind :func:`load_data_file`, each with its key-line finder.

Each parse function raises :class:`DataFileError` with the line of the problem;
each ``*_key_lines`` maps key paths to the 1-based line that defines them.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from typing import Any

from .base import DataFileError, KeyPath, Reason
from .values import MAX_INTEGER_DIGITS

#: A run of digits too long to be a number any feature uses.
_LONG_DIGITS = re.compile(rf"[0-9][0-9_]{{{MAX_INTEGER_DIGITS},}}")


def _too_many_digits(text: str, digits: str | None = None) -> DataFileError:
    """The error for an integer of absurd length, at the line that writes it."""
    index = text.find(digits) if digits else -1
    if index < 0:
        match = _LONG_DIGITS.search(text)
        index = match.start() if match else -1
    line = text.count("\n", 0, index) + 1 if index >= 0 else None
    return DataFileError(
        f"holds a number of more than {MAX_INTEGER_DIGITS} digits; numbers must be of a sane size",
        line,
        reason="value",
    )


# --------------------------------------------------------------------------
# TOML
# --------------------------------------------------------------------------

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def _parse_toml(text: str) -> Any:
    try:
        return tomllib.loads(text)
    except ValueError as error:
        if not isinstance(error, tomllib.TOMLDecodeError):
            raise _too_many_digits(text) from None  # int(): over Python's digit limit
        raw = str(error)
        match = _TOML_POSITION.search(raw)
        line = getattr(error, "lineno", None) or (int(match[1]) if match else None)
        message = _TOML_POSITION.sub("", raw)
        raise DataFileError(
            f"is not valid TOML: {message}", line, reason="syntax", parser_message=raw
        ) from None


_TOML_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_TOML_DOTTED = rf"{_TOML_KEY_PART}(?:\s*\.\s*{_TOML_KEY_PART})*"
#: ``[table]`` / ``[[array.of.tables]]`` at the start of a line.
_TOML_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_TOML_DOTTED})\s*\]")
#: ``key =`` / ``a."b".c =`` at the start of a line.
_TOML_ASSIGN = re.compile(rf"^\s*({_TOML_DOTTED})\s*=")
_TOML_PART = re.compile(_TOML_KEY_PART)


def _toml_key(dotted: str) -> tuple[str, ...]:
    parts: list[str] = []
    for match in _TOML_PART.finditer(dotted):
        part = match.group(0)
        if part[0] in "\"'":
            try:
                part = tomllib.loads(f"k = {part}")["k"]
            except tomllib.TOMLDecodeError:
                part = part[1:-1]
        parts.append(part)
    return tuple(parts)


def _toml_key_lines(text: str) -> dict[KeyPath, int]:
    """Key path -> line for table headers, ``key =`` lines and their array items.

    Keys are only looked for on lines that start outside any string, array or
    inline table, so text inside a multi-line string or array, or a value that
    merely equals a key (``kind = "e"``), never counts as a key.  Items of an
    array assigned at the top of a table (``sides = [...]``) get their own
    lines, also when the array spans lines.  Keys inside inline tables are not
    located (:meth:`LoadedData.line_of` then answers with their parent's line).
    """
    scanner = _TomlScanner()
    table: KeyPath = ()
    arrays: dict[tuple[str, ...], int] = {}  # [[name]] -> index of its last table
    for number, line in enumerate(text.splitlines(), 1):
        start = 0
        if scanner.state is None and scanner.depth == 0:
            header = _TOML_HEADER.match(line)
            assign = None if header else _TOML_ASSIGN.match(line)
            if header:
                raw = _toml_key(header.group(2))
                if header.group(1) == "[[":
                    arrays[raw] = arrays.get(raw, -1) + 1
                resolved: list[str | int] = []
                for count in range(1, len(raw) + 1):
                    resolved.append(raw[count - 1])
                    scanner.lines.setdefault(tuple(resolved), number)
                    if raw[:count] in arrays:
                        resolved.append(arrays[raw[:count]])
                        scanner.lines.setdefault(tuple(resolved), number)
                table = tuple(resolved)
                start = header.end()
            elif assign:
                path = table
                for part in _toml_key(assign.group(1)):
                    path = (*path, part)
                    scanner.lines.setdefault(path, number)
                scanner.assigned = path
                start = assign.end()
        scanner.scan(line, number, start)
        scanner.assigned = None
    return scanner.lines


class _TomlScanner:
    """String state, bracket depth and top-level array items across lines."""

    def __init__(self) -> None:
        self.lines: dict[KeyPath, int] = {}
        self.state: str | None = None  #: the open multi-line string delimiter
        self.depth = 0
        self.assigned: KeyPath | None = None  #: the key assigned on this line
        self.array: KeyPath | None = None  #: the top-level array being read
        self.item = 0
        self.expect_item = False

    def _item_start(self, number: int) -> None:
        if self.array is not None and self.depth == 1 and self.expect_item:
            self.lines.setdefault((*self.array, self.item), number)
            self.expect_item = False

    def scan(self, line: str, number: int, index: int = 0) -> None:
        """Follow *line* from *index* on (comments skipped)."""
        length = len(line)
        while index < length:
            if self.state is not None:
                if self.state == '"""' and line[index] == "\\":
                    index += 2
                    continue
                if line.startswith(self.state, index):
                    index += 3
                    while index < length and line[index] == self.state[0]:
                        index += 1  # up to two quotes may end the string's content
                    self.state = None
                    continue
                index += 1
                continue
            char = line[index]
            if char == "#":
                break
            if char.isspace():
                index += 1
                continue
            if char == "," and self.depth == 1 and self.array is not None:
                self.item += 1
                self.expect_item = True
                index += 1
                continue
            if char not in "]}":
                self._item_start(number)
            if line.startswith(('"""', "'''"), index):
                self.state = line[index : index + 3]
                index += 3
                continue
            if char == '"':
                index += 1
                while index < length and line[index] != '"':
                    index += 2 if line[index] == "\\" else 1
            elif char == "'":
                end = line.find("'", index + 1)
                index = length if end < 0 else end
            elif char in "[{":
                if self.depth == 0 and char == "[" and self.assigned is not None:
                    self.array, self.item, self.expect_item = self.assigned, 0, True
                self.depth += 1
            elif char in "]}":
                self.depth = max(self.depth - 1, 0)
                if self.depth == 0:
                    self.array = None
            index += 1


# --------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _LongNumber(Exception):
    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.digits = digits


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _LongNumber(digits)
    return int(digits)


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_int=_json_int)
    except _LongNumber as error:
        raise _too_many_digits(text, error.digits) from None
    except json.JSONDecodeError as error:
        raise DataFileError(
            f"is not valid JSON: {error.msg}", error.lineno, parser_message=error.msg
        ) from None
    except _DuplicateKey as error:
        _lines, duplicates = _json_key_lines(text)
        key, line, first = duplicates[0] if duplicates else (error.key, None, None)
        raise _duplicate_error(key, line, first) from None


def _duplicate_error(key: Any, line: int | None, first: int | None) -> DataFileError:
    where = f" (first defined at line {first})" if first else ""
    return DataFileError(
        f"defines the key {key!r} twice{where}; remove or rename one of them",
        line,
        reason="duplicate",
    )


def _json_key_lines(text: str) -> tuple[dict[KeyPath, int], list[tuple[str, int, int]]]:
    """Key path -> line of every object key and array item, and the duplicates.

    A small scanner over JSON text that already parsed (or whose only fault is a
    duplicate key): it follows strings, objects and arrays, so a key is found
    where it is a key, never where its text appears as a value.  Duplicates are
    ``(key, line, line of the first definition)`` in document order.
    """
    lines: dict[KeyPath, int] = {}
    duplicates: list[tuple[str, int, int]] = []
    # One frame per open container: [is_object, path, seen keys, key or index, expecting key]
    stack: list[list[Any]] = []
    line, index, length = 1, 0, len(text)

    def value_start() -> KeyPath:
        """The path of the value starting here; an array item's line is noted."""
        if not stack:
            return ()
        is_object, parent, _seen, slot, _expecting = stack[-1]
        path = (*parent, slot)
        if not is_object:
            lines.setdefault(path, line)
        return path

    while index < length:
        char = text[index]
        if char == "\n":
            line += 1
        elif char == '"':
            end = index + 1
            while end < length and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if stack and stack[-1][0] and stack[-1][4]:
                frame = stack[-1]
                try:
                    key = json.loads(text[index : end + 1])
                except ValueError:
                    key = text[index + 1 : end]
                frame[3], frame[4] = key, False
                path = (*frame[1], key)
                if key in frame[2]:
                    duplicates.append((key, line, frame[2][key]))
                else:
                    frame[2][key] = line
                lines.setdefault(path, line)
            else:
                value_start()
            line += text.count("\n", index, end)
            index = end
        elif char in "{[":
            path = value_start()
            stack.append([char == "{", path, {}, 0, char == "{"])
        elif char in "}]":
            if stack:
                stack.pop()
        elif char == ",":
            if stack:
                if stack[-1][0]:
                    stack[-1][4] = True
                else:
                    stack[-1][3] += 1
        elif not char.isspace() and char != ":":
            value_start()
        index += 1
    return lines, duplicates


# --------------------------------------------------------------------------
# YAML (PyYAML is optional: the ``yaml`` extra)
# --------------------------------------------------------------------------


@functools.cache
def _yaml_loader() -> type[Any]:
    """The strict SafeLoader subclass, built on first use (PyYAML is optional)."""
    import yaml

    class StrictLoader(yaml.SafeLoader):
        """SafeLoader that refuses aliases and duplicate keys."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) are not allowed", event.start_mark
                )
            return super().compose_node(parent, index)

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            # An impossible date (2024-02-30) or a 5,000-digit number raises a
            # bare ValueError in PyYAML's constructors: give it the node's line.
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, OverflowError) as error:
                raise yaml.constructor.ConstructorError(
                    None, None, _unreadable(node, error), node.start_mark
                ) from None

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                seen: dict[Any, int] = {}
                for key_node, _value in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    key = self.construct_object(key_node, deep=True)
                    line = key_node.start_mark.line + 1
                    try:
                        if key in seen:
                            raise _YamlDuplicate(key, line, seen[key])
                        seen[key] = line
                    except TypeError:
                        continue  # an unhashable key: the base class reports it
            return super().construct_mapping(node, deep=deep)

    return StrictLoader


def _unreadable(node: Any, error: Exception) -> str:
    """Why PyYAML could not build this scalar, in the user's terms."""
    value = getattr(node, "value", "")
    text = value if isinstance(value, str) else ""
    shown = repr(text[:40] + "…") if len(text) > 40 else repr(text)
    tag = str(getattr(node, "tag", ""))
    if tag.endswith(("int", "float")):
        return f"{shown} is not a number of sane size (at most {MAX_INTEGER_DIGITS} digits)"
    if tag.endswith("timestamp"):
        return f"{shown} is not a real date ({error}); quote it to keep it as text"
    return f"{shown} cannot be read ({error})"


class _YamlDuplicate(Exception):
    def __init__(self, key: Any, line: int, first: int) -> None:
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


def _parse_yaml(text: str) -> tuple[Any, dict[KeyPath, int]]:
    try:
        import yaml
    except ImportError:
        raise DataFileError(
            "is YAML, but PyYAML is not installed; install the yaml extra: "
            "pip install 'sphinx-opsboundary[yaml]'",
            reason="no-yaml",
        ) from None
    loader = _yaml_loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines = _yaml_key_lines(loader, node)
        return loader.construct_document(node), lines
    except _YamlDuplicate as error:
        raise _duplicate_error(error.key, error.line, error.first) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(p for p in (error.context, error.problem) if p) or str(error)
        reason: Reason = "alias" if "aliases" in (error.problem or "") else "syntax"
        raise DataFileError(
            f"is not valid YAML: {message}",
            mark.line + 1 if mark else None,
            reason=reason,
            parser_message=error.problem or message,
        ) from None
    except yaml.YAMLError as error:
        raise DataFileError(f"is not valid YAML: {error}") from None
    finally:
        loader.dispose()


def _yaml_key_lines(loader: Any, root: Any) -> dict[KeyPath, int]:
    """Key path -> line from the composed node tree (iterative: no recursion limit)."""
    import yaml

    lines: dict[KeyPath, int] = {}
    todo: list[tuple[KeyPath, Any]] = [((), root)]
    while todo:
        path, node = todo.pop()
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                try:
                    key = loader.construct_object(key_node, deep=True)
                    hash(key)
                except (yaml.YAMLError, TypeError):
                    continue
                child = (*path, key)
                lines.setdefault(child, key_node.start_mark.line + 1)
                todo.append((child, value_node))
        elif isinstance(node, yaml.SequenceNode):
            for number, item in enumerate(node.value):
                child = (*path, number)
                lines.setdefault(child, item.start_mark.line + 1)
                todo.append((child, item))
    return lines
