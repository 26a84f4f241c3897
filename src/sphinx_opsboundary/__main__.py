"""``python -m sphinx_opsboundary check SRC``: the link checker without an output folder.

Runs the ``opsboundary-check`` builder into a temporary directory and prints its
report as text (``file:line: message``), JSON, or GitHub annotations.  Exit
status: 0 when clean, 1 when there are problems (or the build failed), 2 on a
usage error.  Meant for pre-commit hooks and quick local runs.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from io import StringIO
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import SphinxError

from .links.graph import EMPTY_GRAPH, write_graph
from .report.builder import BUILDER_NAME, JSON_NAME, TEXT_NAME
from .report.formats import github_annotation


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
        choices=("text", "json", "github"),
        default="text",
        help="text: file:line: message (default); json: the full report; "
        "github: ::error annotations",
    )
    check.add_argument(
        "-c", "--confdir", metavar="CONFDIR", help="directory of conf.py (default: SRC)"
    )
    check.add_argument(
        "--graph",
        metavar="FILE",
        help="also write the link network to FILE: GraphML (.graphml) or JSON (.json)",
    )
    return parser


def run_check(
    source: Path, confdir: Path, output_format: str, graph: str | None = None
) -> tuple[int, str]:
    """Build into a temporary directory; return ``(exit status, printed report)``."""
    warnings = StringIO()
    with tempfile.TemporaryDirectory(prefix="opsboundary-check-") as tmp:
        outdir = Path(tmp) / "out"
        try:
            app = Sphinx(
                srcdir=source,
                confdir=confdir,
                outdir=outdir,
                doctreedir=Path(tmp) / "doctrees",
                buildername=BUILDER_NAME,
                confoverrides={"opsboundary_check_annotations": False},
                status=None,
                warning=warnings,
                freshenv=True,
            )
            app.build()
        except SphinxError as err:
            return 1, f"{err.category}: {err}\n"
        data = json.loads((outdir / JSON_NAME).read_text(encoding="utf-8"))
        text = (outdir / TEXT_NAME).read_text(encoding="utf-8")
    if graph:
        write_graph(data.get("graph", EMPTY_GRAPH), graph)
    if output_format == "json":
        report = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif output_format == "github":
        lines = []
        for line in text.splitlines():
            file, _, rest = line.partition(":")
            number, _, message = rest.partition(": ")
            lines.append(github_annotation(file, int(number) or None, message))
        report = "".join(f"{line}\n" for line in lines)
    else:
        report = text
    return (1 if data["problems"] or app.statuscode else 0), report


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
    status, report = run_check(source, confdir, args.format, args.graph)
    sys.stdout.write(report)
    return status


if __name__ == "__main__":
    sys.exit(main())
