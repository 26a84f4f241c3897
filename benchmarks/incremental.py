"""How much an incremental build redoes after a small edit, read from Sphinx's own output.

Builds the generated project once, then rebuilds without ``-E`` after:

0. no change at all;
1. an edit to one page's body (not its title);
2. a new title for the page that most others list as related.

For each rebuild it reports what Sphinx printed: the ``N added, N changed,
N removed`` line, the documents named on the ``reading sources...`` lines and on
the ``writing output...`` lines, and the time.  After the retitle it also opens the
HTML of every page whose related list shows the retitled page's title (entries
without an explicit title) and counts those still showing the old title (a stale
incremental build), and compares with a fresh ``-E`` build.
The hand-written variant is run too, as the baseline of what Sphinx does alone.

Usage::

    python benchmarks/incremental.py --pages 200
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import VARIANTS, Page, Project, Variant, make_project, write_project
from harness import (
    WORK,
    BuildResult,
    check_clean,
    environment,
    print_environment,
    sphinx_build,
    table,
    write_json,
)

_COUNTS = re.compile(r"(\d+) added, (\d+) changed, (\d+) removed")
_READING = re.compile(r"reading sources\.\.\. \[\s*\d+%\] (\S+)")
_WRITING = re.compile(r"writing output\.\.\. \[\s*\d+%\] (\S+)")
_TARGETS = re.compile(r"targets for (\d+) source files that are out of date")
_OUTDATED = re.compile(r"looking for now-outdated files\.\.\. (.*)")


def parse_output(output: str) -> dict[str, Any]:
    """What Sphinx says it read and wrote (default verbosity or ``-v``)."""
    lines = [line.strip() for line in re.split(r"[\r\n]+", output) if line.strip()]
    counts = next((m for line in lines if (m := _COUNTS.search(line))), None)
    targets = next((m for line in lines if (m := _TARGETS.search(line))), None)
    outdated = next((m for line in lines if (m := _OUTDATED.search(line))), None)
    read = list(dict.fromkeys(m[1] for line in lines if (m := _READING.search(line))))
    written = list(dict.fromkeys(m[1] for line in lines if (m := _WRITING.search(line))))
    return {
        "added": int(counts[1]) if counts else None,
        "changed": int(counts[2]) if counts else None,
        "removed": int(counts[3]) if counts else None,
        "out_of_date_targets": int(targets[1]) if targets else None,
        "now_outdated": outdated[1].strip() if outdated else None,
        "read": read,
        "written": written,
    }


def _most_linked(project: Project) -> tuple[Page, list[str], list[str]]:
    """The page most listed as related, the pages listing it, and those of them
    whose link text is the target's title (no explicit title given)."""
    inbound = project.inbound()
    docname = max(inbound, key=lambda d: (len(inbound[d]), d))
    page = next(p for p in project.pages if p.docname == docname)
    untitled = sorted(
        {
            p.docname
            for p in project.pages
            for entry in p.related
            if entry.target.split("#", 1)[0] == docname and entry.title is None
        }
    )
    return page, sorted(set(inbound[docname])), untitled


def _stale(out: Path, linkers: Sequence[str], old: str, new: str) -> dict[str, int]:
    """Among the pages linking to the retitled one, how many show which title."""
    found = {"new_title": 0, "old_title": 0}
    for docname in linkers:
        page = (out / f"{docname}.html").read_text(encoding="utf-8")
        # Only the related list: sidebars and next/previous links show titles too,
        # and Sphinx never rewrites those for a neighbour's new title.
        start = page.find("Related paths")
        end = page.find("</ul>", start)
        text = html.unescape(page[start:end]) if start >= 0 else ""
        found["new_title"] += new in text
        found["old_title"] += old in text
    return found


def _rebuild(label: str, src: Path, out: Path) -> tuple[BuildResult, dict[str, Any]]:
    result = sphinx_build(label, src, out, fresh=False, quiet=False)
    check_clean(result)
    return result, parse_output(result.output)


def run_variant(project: Project, variant: Variant, root: Path) -> list[dict[str, Any]]:
    src = root / "src" / variant
    out = root / "out" / variant
    if src.exists():
        shutil.rmtree(src)
    write_project(project, variant, src)
    first = sphinx_build(f"{variant} initial", src, out, fresh=True, quiet=False)
    check_clean(first)
    steps: list[dict[str, Any]] = [
        {
            "step": "initial build",
            "seconds": first.seconds,
            **parse_output(first.output),
        }
    ]

    result, parsed = _rebuild(f"{variant} no change", src, out)
    steps.append({"step": "no change", "seconds": result.seconds, **parsed})

    edited = project.pages[len(project.pages) // 2]
    path = src / f"{edited.docname}.rst"
    text = path.read_text(encoding="utf-8")
    first_para = edited.paragraphs[0]
    path.write_text(text.replace(first_para, first_para + " An edited sentence.", 1), "utf-8")
    result, parsed = _rebuild(f"{variant} body edit", src, out)
    steps.append({"step": f"body edit of {edited.docname}", "seconds": result.seconds, **parsed})

    target, linkers, untitled = _most_linked(project)
    old, new = target.title, target.title.replace("Topic", "Retitled topic", 1)
    path = src / f"{target.docname}.rst"
    text = path.read_text(encoding="utf-8")
    old_heading = f"{old}\n{'=' * len(old)}\n"
    path.write_text(text.replace(old_heading, f"{new}\n{'=' * len(new)}\n", 1), "utf-8")
    result, parsed = _rebuild(f"{variant} retitle", src, out)
    staleness = _stale(out, untitled, old, new)
    fresh_out = root / "out" / f"{variant}-fresh"
    fresh = sphinx_build(f"{variant} fresh after retitle", src, fresh_out)
    check_clean(fresh)
    steps.append(
        {
            "step": f"retitle of {target.docname} ({len(linkers)} pages list it as related)",
            "seconds": result.seconds,
            **parsed,
            "linking_pages": len(linkers),
            "linking_pages_showing_target_title": len(untitled),
            "linking_pages_written": len(set(linkers) & set(parsed["written"])),
            "linking_pages_showing": staleness,
            "fresh_build_linking_pages_showing": _stale(fresh_out, untitled, old, new),
        }
    )
    return steps


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--variant", choices=(*VARIANTS, "both"), default="both")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)

    env = environment()
    print_environment(env)
    project = make_project(args.pages)
    root = WORK / f"incremental-{args.pages}"
    variants = VARIANTS if args.variant == "both" else (args.variant,)
    command = "python benchmarks/incremental.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    payload: dict[str, Any] = {
        "mode": "incremental",
        "command": command,
        "environment": env,
        "pages": args.pages,
        "variants": {},
    }
    rows: list[list[str]] = []
    for variant in variants:
        print(f"\n{variant}: {args.pages} pages", flush=True)
        steps = run_variant(project, variant, root)
        payload["variants"][variant] = steps
        for step in steps:
            stale = step.get("linking_pages_showing")
            rows.append(
                [
                    variant,
                    step["step"],
                    f"{step['added']}/{step['changed']}/{step['removed']}",
                    str(len(step["read"])),
                    str(len(step["written"])),
                    f"{step['seconds']:.2f}",
                    (
                        f"{stale['old_title']} old, {stale['new_title']} new"
                        f" of {step['linking_pages_showing_target_title']}"
                        if stale
                        else ""
                    ),
                ]
            )
    path = write_json(f"incremental-pages-{args.pages}", payload, args.output)
    print()
    print(
        table(
            [
                "variant",
                "step",
                "added/changed/removed",
                "read",
                "written",
                "s",
                "related links showing the title",
            ],
            rows,
        )
    )
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
