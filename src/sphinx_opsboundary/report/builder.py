"""The ``opsboundary-check`` builder: the project's links and citations as a CI step.

It reads every document (always all of them, so read-time diagnostics are never
lost to an incremental build), writes no pages, and reports:

* ``OUT/opsboundary.json``: every related/side link and every citation, each
  occurrence with its status (``ok | broken | moved | duplicate | self |
  one-way``), location, message and suggestion, plus every other opsboundary
  diagnostic raised during the build;
* ``OUT/output.txt``: one ``file:line: message`` line per problem;
* ``OUT/opsboundary.sarif``: SARIF 2.1.0 for GitHub code scanning;
* under GitHub Actions, one ``::error`` annotation per problem, and a job summary
  when ``GITHUB_STEP_SUMMARY`` names a file.

Every path is relative to the repository root (:mod:`.paths`), so annotations
and code-scanning alerts land on the pull request's line.

The build's exit status is 1 when any problem exists.  Link judgements come from
:func:`.checks.judge_links`; citation problems are the ``timestamp``/``episode``
warnings the citation module raised while reading, captured by a logging
handler, so there is one source of truth for each.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import weakref
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.builders import Builder
from sphinx.locale import get_translation
from sphinx.util import logging as sphinx_logging

from ..domain import get_domain
from ..episodes.quotes import quote_report
from ..links.checks import judge_links
from ..links.graph import graph_of
from .broken import broken_citations
from .formats import citation_entry, github_annotation
from .paths import RepoPaths
from .sarif import SarifProblem, sarif_log
from .spans import option_span
from .summary import append_summary, markdown_summary

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

_ = get_translation("sphinx_opsboundary")
logger = sphinx_logging.getLogger(__name__)

__all__ = ["OpsBoundaryCheckBuilder", "Problem", "setup_checker"]

BUILDER_NAME = "opsboundary-check"
JSON_NAME = "opsboundary.json"
TEXT_NAME = "output.txt"
SARIF_NAME = "opsboundary.sarif"
#: Shape version of ``opsboundary.json`` (the unversioned 0.1 report was 1).
REPORT_VERSION = 2
#: Subtypes that :func:`judge_links` re-derives; captured copies are not double-counted.
_LINK_SUBTYPES = {"related", "moved", "duplicate", "self", "reciprocal"}
_CITATION_SUBTYPES = {"timestamp", "episode", "quote"}


@dataclass(slots=True, frozen=True)
class Captured:
    """One opsboundary warning seen during the build."""

    source: str | None
    line: int | None
    subtype: str
    message: str


@dataclass(slots=True)
class Problem:
    """One line of ``output.txt`` (and one GitHub annotation)."""

    file: str
    line: int | None
    message: str
    subtype: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        return f"{self.file}:{self.line or 0}: {self.message}"

    def sarif(self) -> SarifProblem:
        return SarifProblem(self.file, self.line, self.subtype, self.message)


class _Capture(logging.Handler):
    """Collects ``type="opsboundary"`` records, honouring ``suppress_warnings``."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__(logging.WARNING)
        self.app = app
        self.records: list[Captured] = []
        self._seen: set[Captured] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "type", None) != "opsboundary":
            return
        subtype = str(getattr(record, "subtype", "") or "")
        suppressed = self.app.config.suppress_warnings
        if sphinx_logging.is_suppressed_warning("opsboundary", subtype, suppressed):
            return
        source, line = _split_location(getattr(record, "location", None))
        captured = Captured(source, line, subtype, record.getMessage())
        if captured not in self._seen:
            self._seen.add(captured)
            self.records.append(captured)


def _split_location(location: Any) -> tuple[str | None, int | None]:
    if isinstance(location, str) and location:
        path, sep, line = location.rpartition(":")
        if sep and (line.isdigit() or not line):
            return path, int(line) if line else None
        return location, None
    if isinstance(location, tuple) and len(location) == 2:
        return (str(location[0]) if location[0] else None), location[1]
    return None, None


class OpsBoundaryCheckBuilder(Builder):
    """Reads the project and reports every broken link and citation; writes no pages."""

    name = BUILDER_NAME
    format = "opsboundary"
    epilog = _("The opsboundary report is in %(outdir)s.")
    allow_parallel = True

    def init(self) -> None:
        # Started at config-inited, so problems found while loading the
        # configuration and the episode registry are in the report too.
        self.capture = (
            _CAPTURES.pop(self.app) if self.app in _CAPTURES else _start_capture(self.app)
        )
        self.problems: list[Problem] = []
        self.paths = RepoPaths(self.srcdir)

    def get_outdated_docs(self) -> list[str]:
        return []

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""

    def prepare_writing(self, docnames: AbstractSet[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass

    def _file(self, source: str | None, docname: str | None = None) -> str:
        if not source and docname:
            source = str(self.env.doc2path(docname))
        if not source:
            return self.paths.rel(Path(self.confdir) / "conf.py")
        return self.paths.rel(source)

    def tool_version(self) -> str:
        """The extension's version, for the report's generator and SARIF's driver."""
        extension = self.app.extensions.get("sphinx_opsboundary")
        return str(getattr(extension, "version", None) or "unknown")

    def report(self) -> dict[str, Any]:
        """The JSON report; also fills :attr:`problems`."""
        env = self.env
        problems: list[Problem] = []
        links = []
        results = judge_links(env, history=True)
        for result in results:
            link = result.link
            file = self._file(link.source, link.docname)
            entry: dict[str, Any] = {
                "file": file,
                "line": link.line,
                "docname": link.docname,
                "origin": link.origin,
                "group": link.group,
                "target": link.raw,
                "kind": link.kind,
                "resolved": _with_anchor(result.resolved, link.anchor, link.kind),
                "status": result.status,
                "message": result.message,
                "suggestion": result.suggestion,
            }
            links.append(entry)
            if result.problem:
                extra = {
                    "target_doc": link.target if link.kind == "doc" else None,
                    "docname": link.docname,
                    "raw": link.raw,
                    "anchor": link.anchor,
                    "origin": link.origin,
                }
                subtype = result.subtype or "related"
                problems.append(Problem(file, link.line, result.message, subtype, extra))

        by_place: dict[tuple[str, int | None], list[Captured]] = {}
        for record in self.capture.records:
            by_place.setdefault((self._file(record.source), record.line), []).append(record)

        citations = []
        claimed: set[Captured] = set()
        for citation in get_domain(env).all_citations():
            file = self._file(citation.source, citation.docname)
            span = option_span(citation.source, citation.line)
            if citation.origin != "directive":
                span = range(citation.line, citation.line + 1)
            found = [
                r
                for number in span
                for r in by_place.get((file, number), [])
                if r.subtype in _CITATION_SUBTYPES
            ]
            claimed.update(found)
            message = "; ".join(r.message for r in found)
            status = "broken" if found else "ok"
            citations.append(
                citation_entry(citation, file, status, message, quote_report(env, citation))
            )
            for record in found:
                problems.append(Problem(file, citation.line, record.message, record.subtype))
        for entry, found in broken_citations(env, by_place, self._file):
            citations.append(entry)
            claimed.update(found)
            for record in found:
                # At the warning's own line (an :at: option's), as before it was claimed.
                problems.append(Problem(entry["file"], record.line, record.message, record.subtype))
        citations.sort(key=lambda c: (c["docname"], c["line"]))

        diagnostics = []
        for record in self.capture.records:
            if record in claimed or record.subtype in _LINK_SUBTYPES:
                continue
            file = self._file(record.source)
            diagnostics.append(
                {
                    "file": file,
                    "line": record.line,
                    "subtype": record.subtype,
                    "status": "broken",
                    "message": record.message,
                }
            )
            problems.append(Problem(file, record.line, record.message, record.subtype))

        problems.sort(key=lambda p: (p.file, p.line or 0, p.message))
        self.problems = problems
        counts: dict[str, int] = {}
        for problem in problems:
            counts[problem.subtype] = counts.get(problem.subtype, 0) + 1
        return {
            "version": REPORT_VERSION,
            "generator": {"name": "sphinx-opsboundary", "version": self.tool_version()},
            "source": self.paths.rel(self.srcdir),
            "problems": len(problems),
            "counts": dict(sorted(counts.items())),
            "links": links,
            "citations": citations,
            "diagnostics": diagnostics,
            "graph": graph_of(env, results),
        }

    def finish(self) -> None:
        data = self.report()
        outdir = Path(self.outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        (outdir / JSON_NAME).write_text(
            json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (outdir / TEXT_NAME).write_text(
            "".join(p.text() + "\n" for p in self.problems), encoding="utf-8"
        )
        sarif = sarif_log([p.sarif() for p in self.problems], self.tool_version())
        (outdir / SARIF_NAME).write_text(
            json.dumps(sarif, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        if _summary_enabled(self.app):
            append_summary(markdown_summary([p.sarif() for p in self.problems]))
        if _annotations_enabled(self.app):
            for problem in self.problems:
                sys.stdout.write(github_annotation(problem.file, problem.line, problem.message))
                sys.stdout.write("\n")
            sys.stdout.flush()
        if self.problems:
            logger.error(
                "opsboundary-check found %d problem(s); see %s",
                len(self.problems),
                outdir / TEXT_NAME,
            )

    def cleanup(self) -> None:
        logging.getLogger(sphinx_logging.NAMESPACE).removeHandler(self.capture)


#: Captures started at config-inited, before the builder exists, per application.
_CAPTURES: weakref.WeakKeyDictionary[Sphinx, _Capture] = weakref.WeakKeyDictionary()


def _start_capture(app: Sphinx, config: Config | None = None) -> _Capture:
    capture = _Capture(app)
    # First in line: Sphinx's own warning handler rewrites the record in place
    # (location prefix, type suffix) when nothing defers it, as at config-inited.
    logging.getLogger(sphinx_logging.NAMESPACE).handlers.insert(0, capture)
    _CAPTURES[app] = capture
    return capture


def _stop_unused_capture(app: Sphinx) -> None:
    """Another builder was chosen: drop the capture started at config-inited."""
    capture = _CAPTURES.pop(app, None)  # the check builder took its own in init()
    if capture is not None:
        logging.getLogger(sphinx_logging.NAMESPACE).removeHandler(capture)


def _with_anchor(resolved: str | None, anchor: str | None, kind: str) -> str | None:
    """``docname#anchor`` for a ``doc#anchor`` link, so the report keeps where it lands."""
    if resolved and anchor and kind == "doc":
        return f"{resolved}#{anchor}"
    return resolved


def _summary_enabled(app: Sphinx) -> bool:
    setting = app.config.opsboundary_check_summary
    if setting is None:
        return bool(os.environ.get("GITHUB_STEP_SUMMARY"))
    return bool(setting)


def _annotations_enabled(app: Sphinx) -> bool:
    setting = app.config.opsboundary_check_annotations
    if setting is None:
        return os.environ.get("GITHUB_ACTIONS") == "true"
    return bool(setting)


def _force_full_read(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """The checker always reads every page, so read-time problems are all reported."""
    if app.builder is not None and app.builder.name == BUILDER_NAME:
        return sorted(env.found_docs - added - changed)
    return []


def _exit_status(app: Sphinx, exception: Exception | None) -> None:
    builder = app.builder
    if exception is None and isinstance(builder, OpsBoundaryCheckBuilder) and builder.problems:
        app.statuscode = 1


def setup_checker(app: Sphinx) -> None:
    """Register the ``opsboundary-check`` builder and its exit status."""
    app.add_builder(OpsBoundaryCheckBuilder)
    #: None: annotate when GITHUB_ACTIONS=true; True/False force it on or off.
    app.add_config_value("opsboundary_check_annotations", None, "", types=(bool, type(None)))
    #: None: append a job summary when GITHUB_STEP_SUMMARY is set; True/False force it.
    app.add_config_value("opsboundary_check_summary", None, "", types=(bool, type(None)))
    app.connect("config-inited", _start_capture, priority=0)
    app.connect("builder-inited", _stop_unused_capture)
    app.connect("env-get-outdated", _force_full_read)
    app.connect("build-finished", _exit_status)
