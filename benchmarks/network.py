"""What the wiki-as-a-network features cost a build (SPEC §7).

The generated wiki of ``generate.py`` (directive variant: every page has a
related-paths list and a boundary table, so 6-8 links per page) is built three
ways, alternately, as fresh ``-j 1`` HTML builds:

* ``base``: the wiki as generated;
* ``backlinks``: the same with ``opsboundary_backlinks = True`` (a "Linked from"
  block on every page that has incoming links);
* ``network``: backlinks, plus one page holding a ``related-graph`` of every page.

It prints, per page count, the medians and the CPU-time ratios to ``base``, and
the extra CPU seconds per thousand links, so the growth with the size of the
wiki can be read off (the goal: linear in links, backlinks under 5 %)::

    python benchmarks/network.py --pages 250 500 1000 2000 --repeat 2
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import make_project, write_project
from harness import WORK, environment, print_environment, table, write_json
from run import _describe, _interleaved

GRAPH_PAGE = """\
The whole network
=================

.. related-graph::
   :caption: Every page of the wiki
"""


def _variants(pages: int, root: Path) -> tuple[dict[str, Path], int]:
    project = make_project(pages)
    links = sum(len(p.related) + len(p.sides) for p in project.pages)
    base = write_project(project, "directives", root / "base")
    backlinks = write_project(project, "directives", root / "backlinks")
    with (backlinks / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("opsboundary_backlinks = True\n")
    network = write_project(project, "directives", root / "network")
    with (network / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("opsboundary_backlinks = True\n")
    (network / "network.rst").write_text(GRAPH_PAGE, encoding="utf-8")
    index = network / "index.rst"
    index.write_text(
        index.read_text(encoding="utf-8").replace("   talks\n", "   talks\n   network\n"),
        encoding="utf-8",
    )
    return {"base": base, "backlinks": backlinks, "network": network}, links


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[250, 500, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    env = environment()
    print_environment(env)
    command = "python benchmarks/network.py " + " ".join(argv if argv is not None else sys.argv[1:])
    payload: dict[str, Any] = {"command": command, "environment": env, "sizes": {}}
    rows: list[list[str]] = []
    for pages in args.pages:
        root = WORK / f"network-{pages}"
        sources, links = _variants(pages, root / "src")
        runs = {label: (src, "html") for label, src in sources.items()}
        print(f"\n{pages} pages, {links} links: {' vs '.join(runs)}", flush=True)
        results = _interleaved(runs, root / "out", args.repeat, 0)
        described: dict[str, Any] = {"pages": pages, "links": links}
        cpu = {
            label: statistics.median(r.user + r.system for r in runs_)
            for label, runs_ in results.items()
        }
        for label in ("backlinks", "network"):
            part = _describe(results, label, "base")
            described[label] = {
                key: part[key] for key in ("cpu_ratio_of_medians", "time_ratio_median_of_pairs")
            }
            described[label]["extra_cpu_s_per_1000_links"] = (
                (cpu[label] - cpu["base"]) / links * 1000
            )
        described["cpu_seconds"] = cpu
        payload["sizes"][str(pages)] = described
        for label in ("base", "backlinks", "network"):
            ratio = cpu[label] / cpu["base"]
            per = (cpu[label] - cpu["base"]) / links * 1000
            rows.append(
                [str(pages), str(links), label, f"{cpu[label]:.1f}", f"{ratio:.3f}", f"{per:+.2f}"]
            )
    print()
    print(
        table(
            ["pages", "links", "variant", "cpu s (median)", "cpu / base", "extra cpu s / 1k links"],
            rows,
        )
    )
    path = write_json("network-" + "-".join(map(str, args.pages)), payload, args.output)
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
