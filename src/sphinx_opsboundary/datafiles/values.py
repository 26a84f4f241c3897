"""Values a parser accepts but no page can use: checked once, for every data file.

JSON and YAML accept ``"\\ud800"`` (a lone surrogate, which no UTF-8 output can
hold: the text, LaTeX, man and texinfo writers crash on it), numbers of any
size (Python refuses to print an integer of more than 4,300 digits) and, in
JSON, ``1e999`` (infinity).  The loader refuses such a value at its own line, so
the features only ever see text they can write and numbers of a sane size.
"""

from __future__ import annotations

import math
from typing import Any

from .base import KeyPath

__all__ = ["MAX_INTEGER", "MAX_INTEGER_DIGITS", "bad_value", "key_path_text", "value_problem"]

#: The largest integer a data file may hold (in absolute value); a time in
#: seconds, a year or a count is far below it.
MAX_INTEGER = 10**15
#: An integer written with more digits than this is refused before it is
#: converted (the conversion itself is what crashes on 5,000 digits).
MAX_INTEGER_DIGITS = 64


def value_problem(value: Any) -> str | None:
    """Why this one scalar may not be used, or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            return (
                f"holds a lone surrogate \\u{ord(value[error.start]):04x} at character "
                f"{error.start + 1} of a text, which no output can show; "
                "write the character itself"
            )
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not -MAX_INTEGER <= value <= MAX_INTEGER:
        return f"holds a number larger than {MAX_INTEGER:,}; numbers must stay below that"
    if isinstance(value, float) and not math.isfinite(value):
        return "holds a number that is infinite or not a number; write a finite number"
    return None


def bad_value(data: Any) -> tuple[KeyPath, str] | None:
    """The first unusable key or value in *data* (its key path and why), or None.

    Iterative, so a deeply nested file cannot exhaust the stack here.
    """
    todo: list[tuple[KeyPath, Any]] = [((), data)]
    while todo:
        path, value = todo.pop()
        if isinstance(value, dict):
            items = list(value.items())
            for key, item in reversed(items):
                problem = value_problem(key)
                if problem is not None:
                    return path, f"has a key that {problem}"
                todo.append(((*path, key), item))
        elif isinstance(value, list | tuple):
            todo.extend(((*path, index), item) for index, item in reversed(list(enumerate(value))))
        else:
            problem = value_problem(value)
            if problem is not None:
                return path, problem
    return None


def key_path_text(keys: KeyPath) -> str:
    """``rows[0].cells[1]`` for a message."""
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text
