"""One reusable Sphinx app per syntax for property-based tests.

Each example rewrites ``fuzz.rst`` (or ``fuzz.md``), bumps its modification
time and calls ``app.build()`` again; only the part of the warning stream
written by that build is examined.  The site checks that the page really was
re-read, so no example is silently skipped by the incremental machinery.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import traceback
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from util import Warning_

from .build import parse_warnings

CONF = """
extensions = ["sphinx_opsboundary", "myst_parser", "sphinx_design"]
myst_enable_extensions = ["colon_fence"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "data"]
html_theme = "alabaster"
opsboundary_episodes = {
    "mlops-at-scale": {
        "title": "MLOps at Scale",
        "speakers": ["Raphaël Hoogvliets", "Second Speaker"],
        "url": "https://www.youtube.com/watch?v=abcdefghijk",
        "series": "Podcast A",
        "duration": "1:04:10",
    },
    "dataops-101": {
        "title": "DataOps 101",
        "speakers": ["Lars Albertsson"],
        "url": "https://example.org/audio/dataops.mp3",
    },
    "no-url": {"title": "No URL", "speakers": ["Nobody"]},
}
opsboundary_redirects = {"old": "alpha"}
"""

PAGES = {
    "index.rst": "Index\n=====\n\n.. toctree::\n   :glob:\n\n   *\n",
    "alpha.rst": ".. _alpha-label:\n\nAlpha\n=====\n\nSection\n-------\n\ntext\n",
    "beta.md": "(beta-label)=\n# Beta\n\n## Part\n\ntext\n",
    "data/table.toml": ('sides = ["A <alpha>", "B"]\n[[rows]]\naspect = "X"\ncells = ["1", "2"]\n'),
    "data/table.json": '{"sides": ["A", "B"], "rows": [{"aspect": "Y", "cells": ["1", "2"]}]}',
    "data/bad.toml": "sides = [\n",
}

#: Messages docutils' own rST parser emits for malformed markup; an untyped
#: warning is acceptable only when it is one of these, about genuinely
#: malformed input.  (Compiled from docutils/parsers/rst/states.py & friends.)
DOCUTILS_PARSER_MESSAGES = [
    r"Inline \w+( \w+)* start-string without end-string\.",
    r"Inline interpreted text or phrase reference start-string without end-string\.",
    r"Inline substitution_reference start-string without end-string\.",
    r"Inline target start-string without end-string\.",
    r"Inline emphasis start-string without end-string\.",
    r"Inline strong start-string without end-string\.",
    r"Inline literal start-string without end-string\.",
    r"Unknown target name: .*",
    r"Unknown interpreted text role .*",
    r"Undefined substitution referenced: .*",
    r"(Block quote|Bullet list|Enumerated list|Definition list|Field list|Option list|"
    r"Explicit markup|Line block|Literal block) ends without a blank line; unexpected unindent\.",
    r"Unexpected indentation\.",
    r"Unexpected section title( or transition)?\.",
    r"Title (over|under)line too short\.",
    r"Title level inconsistent:",
    r"Malformed table\.",
    r"Duplicate explicit target name: .*",
    r"Duplicate implicit target name: .*",
    r"Anonymous hyperlink mismatch.*",
    r"Enumerated list start value not ordinal-1.*",
    r"Mismatch: both interpreted text role (prefix|suffix) and reference suffix\.",
    r"Multiple roles in interpreted text.*",
    r"Document or section may not begin with a transition\.",
    r"At least one body element must separate transitions; adjacent transitions are not allowed\.",
    r"Document may not end with a transition\.",
    r"Invalid section title or transition marker\.",
    r"Possible title underline, too short for the title\.",
    r"Possible incomplete section title\.",
    r"Line block ends without a blank line\.",
    r"Inconsistent literal block quoting\.",
    r"Literal block expected; none found\.",
    r"Hyperlink target .* is not referenced\.",
    r"Substitution definition .* empty or invalid\.",
    r"Too many autonumbered footnote (references|refs): .*",
    r"Unknown directive type .*",  # only for directive names the fuzz did not intend
    r"undefined label: .*",
    r"Lexing literal_block .*",
    r"image file not readable: .*",
    r"duplicate label .*",
    r"Content block expected for the .*",
    r"Explicit markup ends without a blank line.*",
]
_ALLOWED = re.compile("|".join(f"(?:{m})" for m in DOCUTILS_PARSER_MESSAGES))


@dataclass
class Outcome:
    warnings: list[Warning_]
    raw: str
    doctree: Any
    html: str


class FuzzSite:
    def __init__(self, root: Path, suffix: str) -> None:
        self.root = root
        self.suffix = suffix
        self.page = f"fuzz{suffix}"
        self.reread: list[list[str]] = []
        self.app: SphinxTestApp | None = None
        self._stamp = 1_700_000_000.0
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        (root / "conf.py").write_text(CONF, encoding="utf-8")
        for rel, text in PAGES.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.write("Fuzz\n====\n" if suffix == ".rst" else "# Fuzz\n")
        self._start()

    def _start(self) -> None:
        if self.app is not None:
            self.app.cleanup()
        self.app = SphinxTestApp(
            "html", srcdir=self.root, status=StringIO(), warning=StringIO(), freshenv=True
        )
        self.app.connect(
            "env-before-read-docs", lambda app, env, docnames: self.reread.append(list(docnames))
        )
        self.app.build()

    def write(self, text: str) -> None:
        path = self.root / self.page
        path.write_text(text, encoding="utf-8", newline="\n")
        # Sphinx compares the mtime with the time the page was last *read*.
        self._stamp = max(self._stamp + 1, time.time() + 1)
        os.utime(path, (self._stamp, self._stamp))

    def build(self, text: str) -> Outcome:
        """Rewrite the page, rebuild, return this build's warnings (raises on crash)."""
        assert self.app is not None
        # A unique trailing comment: Sphinx may skip a file whose content did
        # not change even when its mtime did.
        self._builds = getattr(self, "_builds", 0) + 1
        comment = (
            f"\n\n.. fuzz build {self._builds}\n"
            if self.suffix == ".rst"
            else (f"\n\n% fuzz build {self._builds}\n")
        )
        self.write(text + comment)
        warning_stream = self.app._warning
        status_stream = self.app._status
        start_w, start_s = len(warning_stream.getvalue()), len(status_stream.getvalue())
        self.reread.clear()
        try:
            self.app.build()
        except BaseException:
            text_tb = traceback.format_exc()
            self._start()  # a crashed app may hold a broken environment
            raise AssertionError(f"app.build() raised:\n{text_tb}") from None
        raw = warning_stream.getvalue()[start_w:]
        status = status_stream.getvalue()[start_s:]
        assert any("fuzz" in docs for docs in self.reread), (
            f"the page was not re-read: {self.reread}"
        )
        for marker in ("Traceback", "Exception occurred"):
            assert marker not in raw + status, raw + status
        warnings = parse_warnings(raw, self.root)
        doctree = self.app.env.get_doctree("fuzz")
        html_path = Path(self.app.outdir) / "fuzz.html"
        html = html_path.read_text(encoding="utf-8") if html_path.exists() else ""
        return Outcome(warnings, strip_colors(raw), doctree, html)

    def close(self) -> None:
        if self.app is not None:
            self.app.cleanup()


SUBTYPES_OK = {
    "opsboundary.related",
    "opsboundary.moved",
    "opsboundary.duplicate",
    "opsboundary.self",
    "opsboundary.reciprocal",
    "opsboundary.timestamp",
    "opsboundary.episode",
    "opsboundary.url",
    "opsboundary.syntax",
    "opsboundary.source",
    "opsboundary.config",
}


def bad_warnings(outcome: Outcome, page: str, page_lines: int) -> list[str]:
    """Every warning that breaks the diagnostics contract, explained."""
    problems: list[str] = []
    for w in outcome.warnings:
        kind = w.type or ""
        if kind.startswith("opsboundary"):
            if kind not in SUBTYPES_OK:
                problems.append(f"unknown subtype: {w}")
            if w.file == page:
                if w.line is None or not 1 <= w.line <= page_lines:
                    problems.append(f"opsboundary warning not located on a page line: {w}")
            elif not w.file.startswith("data/"):
                problems.append(f"opsboundary warning located elsewhere: {w}")
            continue
        if kind.startswith("myst"):
            continue
        if kind and kind != "docutils":
            # Sphinx's own typed warnings for the random markup (e.g. ref.ref)
            if "opsboundary" in w.message:
                problems.append(f"warning about our nodes under a foreign type: {w}")
            continue
        if w.message.startswith('Error in "') and w.message.endswith("directive:"):
            reason = _next_line(outcome.raw, w.message)
            if not _DIRECTIVE_PARSE.match(reason):
                problems.append(f"directive error that is not a parse error: {w} / {reason!r}")
            continue
        myst_form = re.match(r"Directive '[\w-]+': (.*)", w.message)
        if myst_form:  # myst-parser's wording of the same parse errors
            if not _DIRECTIVE_PARSE.match(myst_form.group(1)):
                problems.append(f"directive error that is not a parse error: {w}")
            continue
        if "opsboundary" in w.message.lower() or not _ALLOWED.match(w.message):
            problems.append(f"untyped warning: {w}")
    return problems


#: docutils' own complaints about a directive block's arguments and options
#: (parse_directive_block), which come before our code runs.
_DIRECTIVE_PARSE = re.compile(
    r"(unknown option: |maximum \d+ argument\(s\) allowed|\d+ argument\(s\) required|"
    r"invalid option block|no content permitted|duplicate option |"
    r"no argument is permitted|invalid option (value|data))"
)


def _next_line(raw: str, message: str) -> str:
    lines = raw.splitlines()
    for index, line in enumerate(lines):
        if line.endswith(message) and index + 1 < len(lines):
            return lines[index + 1]
    return ""
