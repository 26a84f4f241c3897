"""How the link checker scales: time and peak memory against the number of related links.

Generates the directive project with a fixed number of ``related-paths`` entries
per page (default 50; a mix of whole documents, ``doc#anchor`` and ``ref:label``
targets) at several sizes, and times ``-b opsboundary-check`` against
``-b dummy`` (reads everything, writes nothing) at each, interleaved.  Reports the
time per link at each point and the marginal time per added link between points:
roughly linear growth keeps the marginal figures flat.

Usage::

    python benchmarks/checker_scale.py --links 6250 12500 25000 50000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import make_project, write_project
from harness import (
    WORK,
    BuildResult,
    check_clean,
    environment,
    print_environment,
    sphinx_build,
    summary,
    table,
    write_json,
)

#: Marginal cost per link may vary this much between points and still count as linear.
LINEAR_TOLERANCE = 1.5


def _report_summary(path: Path) -> dict[str, Any] | None:
    """Count the checker's report entries by origin and status (a sanity check)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    counts: Counter[str] = Counter()
    for entry in data.get("links", []):
        counts[f"{entry.get('origin')}:{entry.get('status')}"] += 1
    return {"problems": data.get("problems"), "links": dict(sorted(counts.items()))}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--links", type=int, nargs="+", default=[6250, 12500, 25000, 50000], metavar="L"
    )
    parser.add_argument("--per-page", type=int, default=50, help="related entries per page")
    parser.add_argument("--anchored", type=float, default=0.3, help="share of #anchor/ref: links")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--builders", nargs="+", default=["opsboundary-check", "dummy"], metavar="B"
    )
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)

    env = environment()
    print_environment(env)
    subject = args.builders[0]
    command = "python benchmarks/checker_scale.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    points: list[dict[str, Any]] = []
    rows: list[list[str]] = []
    for links in sorted(args.links):
        pages = max(links // args.per_page, args.per_page + 1)
        project = make_project(
            pages, related=(args.per_page, args.per_page), anchored_share=args.anchored
        )
        related = sum(len(p.related) for p in project.pages)
        root = WORK / f"scale-{links}"
        src = write_project(project, "directives", root / "src")
        print(f"\n{related} related links on {pages} pages", flush=True)
        results: dict[str, list[BuildResult]] = {b: [] for b in args.builders}
        for i in range(args.repeat):
            order = args.builders if i % 2 == 0 else args.builders[::-1]
            for builder in order:
                result = sphinx_build(builder, src, root / "out" / builder, builder)
                check_clean(result)
                results[builder].append(result)
                print(
                    f"  run {i + 1}/{args.repeat}: {builder:<18} {result.seconds:7.2f} s "
                    f"{result.maxrss_mib:7.1f} MiB",
                    flush=True,
                )
        report = _report_summary(root / "out" / "opsboundary-check" / "opsboundary.json")
        if report:
            print(f"  report: {report}", flush=True)
        point: dict[str, Any] = {
            "checker_report": report,
            "pages": pages,
            "related_links": related,
            "side_links": 2 * pages,
            "builders": {
                b: {
                    "seconds": summary([r.seconds for r in rs]),
                    "maxrss_mib": summary([r.maxrss_mib for r in rs]),
                    "runs": rs,
                }
                for b, rs in results.items()
            },
        }
        t = point["builders"][subject]["seconds"]["median"]
        point["ms_per_link"] = 1000 * t / related
        if len(args.builders) > 1:
            base = point["builders"][args.builders[1]]["seconds"]["median"]
            point["extra_ms_per_link_over_" + args.builders[1]] = 1000 * (t - base) / related
        points.append(point)
        for b in args.builders:
            stats = point["builders"][b]
            rows.append(
                [
                    str(related),
                    str(pages),
                    b,
                    f"{stats['seconds']['median']:.2f}",
                    f"{stats['seconds']['min']:.2f}-{stats['seconds']['max']:.2f}",
                    f"{1000 * stats['seconds']['median'] / related:.3f}",
                    f"{stats['maxrss_mib']['median']:.1f}",
                    f"{1024 * stats['maxrss_mib']['median'] / related:.2f}",
                ]
            )

    marginal: list[dict[str, float]] = []
    for before, after in pairwise(points):
        added = after["related_links"] - before["related_links"]
        entry = {"from": before["related_links"], "to": after["related_links"]}
        for b in args.builders:
            dt = (
                after["builders"][b]["seconds"]["median"]
                - before["builders"][b]["seconds"]["median"]
            )
            dm = (
                after["builders"][b]["maxrss_mib"]["median"]
                - before["builders"][b]["maxrss_mib"]["median"]
            )
            entry[f"{b}_ms_per_added_link"] = 1000 * dt / added
            entry[f"{b}_kib_per_added_link"] = 1024 * dm / added
        marginal.append(entry)
    verdict = "not enough points"
    key = f"{subject}_ms_per_added_link"
    if marginal:
        slopes = [m[key] for m in marginal]
        spread = max(slopes) / min(slopes) if min(slopes) > 0 else float("inf")
        linear = spread <= LINEAR_TOLERANCE
        verdict = (
            f"{'roughly linear' if linear else 'NOT linear'}: marginal time per added link "
            f"varies by a factor {spread:.2f} across points (tolerance {LINEAR_TOLERANCE})"
        )
    xs = [p["related_links"] for p in points]
    ys = [p["builders"][subject]["seconds"]["median"] for p in points]
    fit: dict[str, float] = {}
    if len(points) >= 3:
        slope, intercept = statistics.linear_regression(xs, ys)
        fit = {
            "ms_per_link": 1000 * slope,
            "intercept_s": intercept,
            "r": statistics.correlation(xs, ys),
        }

    payload = {
        "mode": "checker-scale",
        "command": command,
        "environment": env,
        "points": points,
        "marginal": marginal,
        "linear_fit": fit,
        "verdict": verdict,
    }
    path = write_json("checker-scale", payload, args.output)
    print()
    print(
        table(
            [
                "links",
                "pages",
                "builder",
                "median s",
                "range s",
                "ms/link",
                "peak MiB",
                "KiB/link",
            ],
            rows,
        )
    )
    print()
    print(
        table(
            ["links", *(f"{b} ms/added link" for b in args.builders)],
            [
                [
                    f"{m['from']:.0f}->{m['to']:.0f}",
                    *(f"{m[f'{b}_ms_per_added_link']:.3f}" for b in args.builders),
                ]
                for m in marginal
            ],
        )
    )
    if fit:
        print(
            f"\nleast squares ({subject}): {fit['ms_per_link']:.3f} ms per link + "
            f"{fit['intercept_s']:.2f} s, r = {fit['r']:.4f}"
        )
    print(verdict)
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
