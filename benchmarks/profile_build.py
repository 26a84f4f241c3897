"""Profile a build of the generated project and show where the extension's cost goes.

Runs ``python -m cProfile -o PROFILE -m sphinx -E -q -b BUILDER -j 1 SRC OUT`` in a
child process, then prints, from ``pstats``: the read and write phases, and the
functions of ``sphinx_opsboundary`` by cumulative time with their call counts, so
a hot spot can be named precisely.  ``--compare`` profiles the hand-written
variant as well and lists the functions whose own time (``tottime``) grew most.

cProfile slows Python code down unevenly; read its seconds as shares, and the
build-time figures from ``run.py``.

Usage::

    python benchmarks/profile_build.py --pages 500 --compare
    python benchmarks/profile_build.py --pages 500 --builder opsboundary-check
"""

from __future__ import annotations

import argparse
import pstats
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import FEATURES, VARIANTS, Feature, Variant, make_project, write_project
from harness import WORK, environment, print_environment

PACKAGE = "sphinx_opsboundary"
#: Functions that mark the phases of a build.
PHASES = {
    "read": "sphinx/builders/__init__.py:467(read)",
    "  read_doc": "(read_doc)",
    "write": "sphinx/builders/__init__.py:703(write)",
    "  get_and_resolve_doctree": "(get_and_resolve_doctree)",
    "  write_doc (html)": "sphinx/builders/html/__init__.py:650(write_doc)",
    "  handle_page (templates)": "(handle_page)",
    "finish": "sphinx/builders/html/__init__.py:675(finish)",
}

Entry = tuple[float, float, int]  #: cumtime, tottime, calls


def _short(filename: str, line: int, name: str) -> str:
    path = filename.replace("\\", "/")
    for marker in (f"/{PACKAGE}/", "/site-packages/", "/lib/python3"):
        if marker in path:
            path = (PACKAGE + "/" if marker == f"/{PACKAGE}/" else "") + path.split(marker, 1)[1]
            break
    return f"{path}:{line}({name})"


def profile(
    variant: Variant,
    pages: int,
    related: tuple[int, int],
    builder: str,
    features: Sequence[Feature] | None = None,
) -> Path:
    tag = variant if features is None or variant == "handwritten" else "+".join(features)
    root = WORK / f"profile-{tag}-{pages}"
    project = make_project(pages, related=related)
    chosen = features if variant == "directives" else None
    src = write_project(project, variant, root / "src", features=chosen)
    out = root / "out"
    if out.exists():
        shutil.rmtree(out)
    path = WORK / f"profile-{tag}-{builder}-{pages}.prof"
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "cProfile", "-o", str(path), "-m", "sphinx"]
    cmd += ["-E", "-q", "-b", builder, "-j", "1", str(src), str(out)]
    print(" ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    return path


def load(path: Path) -> tuple[float, dict[str, Entry]]:
    stats = pstats.Stats(str(path))
    entries: dict[str, Entry] = {}
    for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        entries[_short(filename, line, name)] = (cumtime, tottime, ncalls)
    return stats.total_tt, entries  # type: ignore[attr-defined]


def phase(entries: dict[str, Entry], pattern: str) -> float:
    return sum(e[0] for where, e in entries.items() if pattern in where and "<" not in where)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--related", type=int, nargs=2, default=(4, 6), metavar=("MIN", "MAX"))
    parser.add_argument("--builder", default="html")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--variant", choices=VARIANTS, default="directives")
    parser.add_argument("--compare", action="store_true", help="profile both variants")
    parser.add_argument(
        "--features",
        nargs="+",
        choices=FEATURES,
        help="write only these features with the extension in the directive variant",
    )
    args = parser.parse_args(argv)

    print_environment(environment())
    variants: tuple[Variant, ...] = VARIANTS if args.compare else (args.variant,)
    loaded = {
        v: load(profile(v, args.pages, tuple(args.related), args.builder, args.features))
        for v in variants
    }

    print(f"\n{'phase (cumtime s)':<28}" + "".join(f"{v:>14}" for v in variants))
    print(f"{'total profiled':<28}" + "".join(f"{loaded[v][0]:14.2f}" for v in variants))
    for label, pattern in PHASES.items():
        print(f"{label:<28}" + "".join(f"{phase(loaded[v][1], pattern):14.2f}" for v in variants))

    total, entries = loaded[variants[0]]
    ours = sorted(
        ((e, where) for where, e in entries.items() if where.startswith(PACKAGE)), reverse=True
    )
    own = sum(e[1] for e, _ in ours)
    print(f"\n{variants[0]}: own time of {PACKAGE} code {own:.2f} s ({own / total:.1%})")
    print(f"{'cumtime s':>10} {'tottime s':>10} {'calls':>9}  function")
    for (cumtime, tottime, ncalls), where in ours[: args.top]:
        print(f"{cumtime:10.3f} {tottime:10.3f} {ncalls:9d}  {where}")

    if args.compare:
        base = loaded["handwritten"][1]
        grown = sorted(
            (
                (e[1] - base.get(where, (0.0, 0.0, 0))[1], where, e, base.get(where))
                for where, e in entries.items()
            ),
            reverse=True,
        )
        print("\nown time (tottime) grown most, directives minus hand-written:")
        print(f"{'+tottime s':>10} {'calls':>9} {'base calls':>10}  function")
        for delta, where, entry, before in grown[: args.top]:
            print(f"{delta:10.3f} {entry[2]:9d} {before[2] if before else 0:10d}  {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
