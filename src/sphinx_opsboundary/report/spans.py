"""The lines a citation occupies, so its option warnings count as its own.

A warning about ``:at:`` or ``:end:`` is located at the option's line, not at
the directive's first line where the citation is recorded.  The option block
is the run of option lines right after the directive line: indented
``:name: value`` lines in reStructuredText, ``:name: value`` lines (or a ``---``
YAML block) right after the fence in MyST.
"""

from __future__ import annotations

import re

from ..diagnostics import _file_lines

__all__ = ["option_span"]

_OPTION = re.compile(r"^\s*:[\w-]+:")


def option_span(source: str | None, line: int) -> range:
    """Lines ``line`` .. the last option line of the directive starting there (1-based)."""
    lines = _file_lines(source) if source else ()
    if not 0 < line <= len(lines):
        return range(line, line + 1)
    last = line
    yaml = False
    for number in range(line + 1, len(lines) + 1):
        text = lines[number - 1]
        if text.strip() == "---" and (yaml or number == line + 1):
            yaml = not yaml
            last = number
            continue
        if yaml or _OPTION.match(text):
            last = number
            continue
        break
    return range(line, last + 1)
