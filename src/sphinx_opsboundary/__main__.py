"""``python -m sphinx_opsboundary check SRC``: the link checker without an output folder.

Runs the ``opsboundary-check`` builder into a temporary directory and prints its
report as text (``file:line: message``), JSON, GitHub annotations or SARIF, with
every path relative to the repository root.  ``--since REF`` lists only the
problems a change caused (git's rename, copy and delete detection) and those in
changed files; the rest are counted (``--all`` lists them).  Exit status: 0 when
clean, 1 when there are (listed) problems or the build failed, 2 on a usage
error, a source folder outside git or a revision git does not know.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util.docutils import docutils_namespace, patch_docutils

from .links.graph import EMPTY_GRAPH, write_graph
from .report.builder import BUILDER_NAME, JSON_NAME, OpsBoundaryCheckBuilder
from .report.changes import ChangeError, ChangeSet, changes_since
from .report.formats import github_annotation
from .report.review import read_redirects, review, write_redirects
from .report.sarif import sarif_log
from .report.summary import append_summary, markdown_summary


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sphinx_opsboundary",
        description="Check related paths, boundary-table sides and episode citations.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check a Sphinx project and print the problems")
    check.add_argument("source", metavar="SRC", help="the Sphinx source directory")
    check.add_argument(
        "--format",
        choices=("text", "json", "github", "sarif"),
        default="text",
        help="text: file:line: message (default); json: the full report; "
        "github: ::error annotations; sarif: SARIF 2.1.0 for code scanning",
    )
    check.add_argument(
        "-c", "--confdir", metavar="CONFDIR", help="directory of conf.py (default: SRC)"
    )
    check.add_argument(
        "--since",
        metavar="REF",
        help="list only problems caused by changes since the git revision REF "
        "(renamed, moved or deleted pages) and problems in changed files",
    )
    check.add_argument(
        "--all", action="store_true", help="with --since: list every problem, not only the new"
    )
    check.add_argument(
        "--write-redirects",
        metavar="FILE",
        help="with --since: write the pages' moves as redirects "
        "(rediraffe's file format; a Python dict opsboundary_redirects for FILE.py)",
    )
    check.add_argument(
        "--graph",
        metavar="FILE",
        help="also write the link network to FILE: GraphML (.graphml) or JSON (.json)",
    )
    return parser


def _format(output_format: str, data: dict[str, Any], problems: list[Any], version: str) -> str:
    if output_format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output_format == "github":
        return "".join(github_annotation(p.file, p.line, p.message) + "\n" for p in problems)
    if output_format == "sarif":
        log = sarif_log([p.sarif() for p in problems], version)
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
    return "".join(p.text() + "\n" for p in problems)


def run_check(
    source: Path,
    confdir: Path,
    output_format: str,
    changes: ChangeSet | None = None,
    *,
    list_all: bool = False,
    redirects_file: Path | None = None,
    graph: str | None = None,
) -> tuple[int, str]:
    """Build into a temporary directory; return ``(exit status, printed report)``."""
    warnings = StringIO()
    with tempfile.TemporaryDirectory(prefix="opsboundary-check-") as tmp:
        outdir = Path(tmp) / "out"
        try:
            # As sphinx-build does: docutils' registries are restored afterwards, so
            # running the check inside another program leaves nothing behind.
            with patch_docutils(confdir), docutils_namespace():
                app = Sphinx(
                    srcdir=source,
                    confdir=confdir,
                    outdir=outdir,
                    doctreedir=Path(tmp) / "doctrees",
                    buildername=BUILDER_NAME,
                    confoverrides={
                        "opsboundary_check_annotations": False,
                        "opsboundary_check_summary": False,
                    },
                    status=None,
                    warning=warnings,
                    freshenv=True,
                )
                app.build()
        except SphinxError as err:
            return 1, f"{err.category}: {err}\n"
        data = json.loads((outdir / JSON_NAME).read_text(encoding="utf-8"))
    builder = app.builder
    assert isinstance(builder, OpsBoundaryCheckBuilder)
    problems = list(builder.problems)
    note = ""
    if changes is not None:
        suffixes = tuple(app.config.source_suffix or {})
        outcome = review(problems, changes, Path(app.srcdir), suffixes)
        data["since"] = outcome.summary
        fixed = {(p.file, p.line): p for p in outcome.listed if "suggestion" in p.extra}
        for link in data["links"]:
            problem = fixed.get((link["file"], link["line"]))
            if problem is not None:  # the exact fix from git, not a guess
                link["message"], link["suggestion"] = problem.message, problem.extra["suggestion"]
        problems = problems if list_all else outcome.listed
        note = f"Since `{changes.ref}`: {len(outcome.listed)} problem(s) from this change"
        if outcome.counted:
            note += f"; {len(outcome.counted)} other problem(s) " + (
                "listed too (--all)." if list_all else "counted, not listed (--all lists them)."
            )
            if not list_all:
                sys.stderr.write(
                    f"{len(outcome.counted)} other problem(s) not caused by changes since "
                    f"{changes.ref}; --all lists them\n"
                )
        if redirects_file is not None:
            write_redirects(redirects_file, outcome)
    if graph:
        write_graph(data.get("graph", EMPTY_GRAPH), graph)
    append_summary(markdown_summary([p.sarif() for p in problems], note=note))
    report = _format(output_format, data, problems, builder.tool_version())
    # Our own exit status says "problems"; any other non-zero one is a failed build.
    failed = bool(app.statuscode) and not builder.problems
    return (1 if problems or failed else 0), report


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    source = Path(args.source)
    if not source.is_dir():
        print(f"error: {source} is not a directory", file=sys.stderr)
        return 2
    confdir = Path(args.confdir) if args.confdir else source
    if not (confdir / "conf.py").is_file():
        print(f"error: no conf.py in {confdir}; pass -c CONFDIR", file=sys.stderr)
        return 2
    if args.graph and not args.graph.lower().endswith((".graphml", ".json")):
        print(f"error: --graph {args.graph}: name a .graphml or .json file", file=sys.stderr)
        return 2
    if (args.all or args.write_redirects) and not args.since:
        print("error: --all and --write-redirects need --since REF", file=sys.stderr)
        return 2
    changes = None
    if args.since:
        try:
            changes = changes_since(source, args.since)
        except ChangeError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
    redirects = Path(args.write_redirects) if args.write_redirects else None
    if redirects is not None:
        try:
            read_redirects(redirects)
        except (ValueError, SyntaxError, OSError) as err:
            print(f"error: cannot merge into {redirects}: {err}", file=sys.stderr)
            return 2
    status, report = run_check(
        source,
        confdir,
        args.format,
        changes,
        list_all=args.all,
        redirects_file=redirects,
        graph=args.graph,
    )
    sys.stdout.write(report)
    return status


if __name__ == "__main__":
    sys.exit(main())
