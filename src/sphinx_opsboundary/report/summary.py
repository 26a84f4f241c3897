"""The Markdown job summary for ``GITHUB_STEP_SUMMARY``: counts and the first problems.

A pure function of the problem list; the builder and the ``check`` command line
append the same summary.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence

from .sarif import SarifProblem

__all__ = ["MAX_ROWS", "append_summary", "markdown_summary"]

#: Rows of the problem table; the rest are counted (the report files hold them all).
MAX_ROWS = 50


def _cell(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\r", " ")
        .replace("\n", " ")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def markdown_summary(
    problems: Sequence[SarifProblem], *, title: str = "opsboundary-check", note: str = ""
) -> str:
    """A heading, a count per subtype and a table of the first :data:`MAX_ROWS` problems."""
    if not problems:
        return f"### {title}: no problems\n\n{note + chr(10) if note else ''}"
    lines = [f"### {title}: {len(problems)} problem(s)", ""]
    if note:
        lines += [note, ""]
    lines += ["| subtype | count |", "| --- | ---: |"]
    for subtype, count in sorted(Counter(p.subtype for p in problems).items()):
        lines.append(f"| `opsboundary.{_cell(subtype)}` | {count} |")
    lines += ["", "| file:line | subtype | problem |", "| --- | --- | --- |"]
    for problem in problems[:MAX_ROWS]:
        place = f"{problem.file}:{problem.line or 0}"
        lines.append(f"| `{_cell(place)}` | {_cell(problem.subtype)} | {_cell(problem.message)} |")
    if len(problems) > MAX_ROWS:
        lines += ["", f"… and {len(problems) - MAX_ROWS} more in the report files."]
    return "\n".join(lines) + "\n"


def append_summary(text: str, path: str | None = None) -> bool:
    """Append *text* to ``GITHUB_STEP_SUMMARY`` (or *path*); False when there is none."""
    target = path if path is not None else os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError:
        return False
    return True
